"""The base of every resource: typed GET/list/POST/DELETE on the shared transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypeVar

import msgspec

from desktop.api.errors import MalformedResponse
from desktop.api.pagination import Page, walk
from desktop.api.transport import Params, Transport
from desktop.domain.decoding import decoder
from desktop.domain.envelopes import Collection, Resource
from desktop.domain.uris import uuid_of

T = TypeVar("T")

MAX_PAGE = 100  # Calendly's largest ``count``


def decode_as(raw: bytes, kind: Any, what: str) -> Any:
    """Decode an answer with a cached typed decoder; a misfit is a ``MalformedResponse``."""
    try:
        return decoder(kind).decode(raw)
    except msgspec.ValidationError as error:
        raise MalformedResponse(f"Calendly's answer to {what} did not fit: {error}") from None
    except msgspec.DecodeError:
        raise MalformedResponse(f"Calendly's answer to {what} was not valid JSON") from None


class APIResource:
    """A group of operations (``client.scheduled_events``...) sharing one transport."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def _fetch(self, path: str, kind: type[T], params: Params | None = None) -> T:
        """GET one ``{resource}``."""
        raw = await self._transport.request("GET", path, params=params)
        envelope: Resource[T] = decode_as(raw, Resource[kind], f"GET {path}")  # type: ignore[valid-type]
        return envelope.resource

    async def _page(self, path: str, kind: type[T], params: Params) -> Page[T]:
        """GET one page of a ``{collection, pagination}``."""
        raw = await self._transport.request("GET", path, params=params)
        envelope: Collection[T] = decode_as(raw, Collection[kind], f"GET {path}")  # type: ignore[valid-type]
        pagination = envelope.pagination
        return Page(
            envelope.collection,
            pagination.next_page_token if pagination else None,
            pagination.previous_page_token if pagination else None,
        )

    async def _items(self, path: str, kind: type[T], params: Params) -> tuple[T, ...]:
        """GET a list Calendly sends without pagination (available times, busy times...)."""
        return (await self._page(path, kind, params)).items

    async def _all(self, path: str, kind: type[T], params: Params) -> AsyncIterator[T]:
        """Every item of every page (``count`` 100)."""

        async def fetch(token: str | None) -> Page[T]:
            return await self._page(path, kind, {**params, "count": MAX_PAGE, "page_token": token})

        async for item in walk(fetch):
            yield item

    async def _create(self, path: str, kind: type[T], body: dict[str, Any]) -> T:
        """POST and decode the ``{resource}`` it answers with."""
        raw = await self._transport.request("POST", path, json=_drop_none(body))
        envelope: Resource[T] = decode_as(raw, Resource[kind], f"POST {path}")  # type: ignore[valid-type]
        return envelope.resource

    async def _delete(self, path: str) -> None:
        await self._transport.request("DELETE", path)


def _drop_none(body: dict[str, Any]) -> dict[str, Any]:
    """Optional body fields the caller left out are not sent at all."""
    return {key: value for key, value in body.items() if value is not None}


def path_of(collection: str, uri_or_uuid: str) -> str:
    """The API path of one resource given its URI (identity) or bare id."""
    return f"/{collection}/{uuid_of(uri_or_uuid)}"
