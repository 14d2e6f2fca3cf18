"""Calendly's response envelopes: ``{resource}``, ``{collection, pagination}`` and pagination."""

from __future__ import annotations

from typing import Generic, TypeVar

from desktop.domain.base import Record

T = TypeVar("T")


class Pagination(Record, frozen=True, kw_only=True):
    """Where a page sits in a list; every key is always sent, a missing page is ``null``."""

    count: int = 0
    next_page: str | None = None
    previous_page: str | None = None
    next_page_token: str | None = None
    previous_page_token: str | None = None


class Resource(Record, Generic[T], frozen=True, kw_only=True):
    """``{"resource": ...}``: one object (GET by id, and every create)."""

    resource: T


class Collection(Record, Generic[T], frozen=True, kw_only=True):
    """``{"collection": [...], "pagination": {...}}``: one page of a list.

    A few lists (available times, busy times, availability schedules) have no pagination;
    for them ``pagination`` is ``None`` and there is never a next page.
    """

    collection: tuple[T, ...]
    pagination: Pagination | None = None

    @property
    def next_page_token(self) -> str | None:
        """The token for the following page, ``None`` on the last page."""
        return self.pagination.next_page_token if self.pagination is not None else None

    @property
    def has_more(self) -> bool:
        return self.next_page_token is not None
