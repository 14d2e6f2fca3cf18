"""``client.activity_log``: the organization's audit trail (Enterprise plans only)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from desktop.api.pagination import Page, walk
from desktop.api.resource import MAX_PAGE, APIResource, decode_as
from desktop.api.times import aware
from desktop.domain.activity_log import ActivityLogEntry, ActivityLogPage

_PATH = "/activity_log_entries"


class ActivityLog(APIResource):
    async def list(
        self,
        *,
        organization: str,
        search_term: str | None = None,
        actor: Sequence[str] | None = None,
        namespace: Sequence[str] | None = None,
        action: Sequence[str] | None = None,
        min_occurred_at: datetime | None = None,
        max_occurred_at: datetime | None = None,
        sort: Sequence[str] | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> ActivityLogPage:
        """One page of entries plus the filtered log's ``total_count``.

        ``actor`` takes user URIs; ``sort`` items are ``field:asc|desc`` with field one of
        ``action``, ``actor.display_name``, ``actor.uri``, ``namespace``, ``occurred_at``
        (Calendly's default is ``occurred_at:desc``). Non-Enterprise organizations get
        ``PermissionDenied``.
        """
        params = _filters(
            organization, search_term, actor, namespace, action, min_occurred_at, max_occurred_at
        )
        params.update(sort=_listed(sort), count=count, page_token=page_token)
        return await self._log_page(params)

    def iterate(
        self,
        *,
        organization: str,
        search_term: str | None = None,
        actor: Sequence[str] | None = None,
        namespace: Sequence[str] | None = None,
        action: Sequence[str] | None = None,
        min_occurred_at: datetime | None = None,
        max_occurred_at: datetime | None = None,
        sort: Sequence[str] | None = None,
    ) -> AsyncIterator[ActivityLogEntry]:
        """Every entry matching the filters, page after page."""
        params = _filters(
            organization, search_term, actor, namespace, action, min_occurred_at, max_occurred_at
        )
        params["sort"] = _listed(sort)

        async def fetch(token: str | None) -> Page[ActivityLogEntry]:
            found = await self._log_page({**params, "count": MAX_PAGE, "page_token": token})
            return Page(found.collection, found.next_page_token)

        return walk(fetch)

    async def _log_page(self, params: dict[str, object]) -> ActivityLogPage:
        raw = await self._transport.request("GET", _PATH, params=params)
        page: ActivityLogPage = decode_as(raw, ActivityLogPage, f"GET {_PATH}")
        return page


def _listed(values: Sequence[str] | None) -> list[str] | None:
    """An array parameter (sent as repeated keys); a lone string is one item, not letters."""
    if values is None:
        return None
    return [values] if isinstance(values, str) else list(values)


def _filters(
    organization: str,
    search_term: str | None,
    actor: Sequence[str] | None,
    namespace: Sequence[str] | None,
    action: Sequence[str] | None,
    min_occurred_at: datetime | None,
    max_occurred_at: datetime | None,
) -> dict[str, object]:
    return {
        "organization": organization,
        "search_term": search_term,
        "actor": _listed(actor),
        "namespace": _listed(namespace),
        "action": _listed(action),
        "min_occurred_at": _optional_time("min_occurred_at", min_occurred_at),
        "max_occurred_at": _optional_time("max_occurred_at", max_occurred_at),
    }


def _optional_time(name: str, value: datetime | None) -> datetime | None:
    return None if value is None else aware(name, value)
