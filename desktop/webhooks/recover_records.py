"""The records recovery reads (raw, page by page) and the deliveries Calendly would have made
for one meeting's invitees, rebuilt from them.

Each delivery is the same Calendly-shaped envelope the test sender builds
(``payloads.invitee_payload`` around the records' raw JSON, so every key Calendly sends is
kept). The records are read as they are now and turned back to the moment of the delivery as
far as they tell: an ``invitee.created`` shows the invitee as booked (active, not canceled, not
a no-show), and the embedded meeting is canceled only if it was by then, with its invitee
counts of then. Other changes made since (a new location, notes) show as they are now.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from desktop.api.client import CalendlyClient
from desktop.api.errors import MalformedResponse
from desktop.api.resource import MAX_PAGE
from desktop.api.times import wire_time
from desktop.webhooks.payloads import invitee_payload, serialise

CREATED, CANCELED = "invitee.created", "invitee.canceled"
RECOVERABLE: tuple[str, ...] = (CREATED, CANCELED)

Json = dict[str, Any]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Expected:
    """One delivery Calendly would have made: what happened, to whom, and its exact body."""

    event: str  # invitee.created | invitee.canceled
    invitee_uri: str
    happened_at: datetime  # the booking's or the cancellation's time (aware, UTC)
    name: str
    email: str
    meeting: str  # the scheduled event's name
    meeting_start: datetime | None
    meeting_uri: str
    rescheduled: bool = False  # a cancellation that is the old half of a reschedule
    body: bytes = field(default=b"", repr=False, compare=False)  # the envelope to send

    @property
    def key(self) -> tuple[str, str]:
        """What a logged delivery is matched on: (event, the payload's invitee ``uri``)."""
        return (self.event, self.invitee_uri)


def moment(value: object) -> datetime | None:
    """A Calendly timestamp (``2026-01-05T10:00:00.000000Z``) as an aware datetime, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def canceled_at(invitee: Json) -> datetime | None:
    """When a canceled invitee was canceled: its cancellation's ``created_at`` (else its
    ``updated_at``, the last change, which for a canceled invitee is usually the cancel)."""
    if invitee.get("status") != "canceled":
        return None
    cancellation = invitee.get("cancellation")
    if isinstance(cancellation, dict):
        when = moment(cancellation.get("created_at"))
        if when is not None:
            return when
    return moment(invitee.get("updated_at"))


def as_booked(invitee: Json) -> Json:
    """The invitee as an ``invitee.created`` delivery showed them: active, not canceled, not a
    no-show (those came later), last updated when booked."""
    if invitee.get("status") != "canceled" and not invitee.get("no_show"):
        return invitee
    invitee = {**invitee, "status": "active"}
    invitee.pop("cancellation", None)
    if "no_show" in invitee:
        invitee["no_show"] = None
    if invitee.get("rescheduled"):
        invitee.update(rescheduled=False, new_invitee=None)
    if invitee.get("created_at"):
        invitee["updated_at"] = invitee["created_at"]
    return invitee


def event_as_of(event: Json, invitees: list[Json], when: datetime) -> Json:
    """The meeting as its invitees' records tell it was at ``when``: canceled only if it was
    by then, its invitee counts then, and not updated after then."""
    event = dict(event)
    cancellation = event.get("cancellation")
    stamp = moment(cancellation.get("created_at")) if isinstance(cancellation, dict) else None
    stamp = stamp or moment(event.get("updated_at"))  # a cancel is usually the last change
    if event.get("status") == "canceled" and stamp is not None and stamp > when:
        event["status"] = "active"
        event.pop("cancellation", None)
    updated = moment(event.get("updated_at"))
    if updated is not None and updated > when:
        event["updated_at"] = wire_time("updated_at", when)  # its change then, at the latest
    counter = event.get("invitees_counter")
    if isinstance(counter, dict):
        booked = [i for i in invitees if (m := moment(i.get("created_at"))) and m <= when]
        gone = [i for i in booked if (c := canceled_at(i)) is not None and c <= when]
        event["invitees_counter"] = {
            **counter,
            "total": len(booked),
            "active": len(booked) - len(gone),
        }
    return event


def deliveries_of(
    event: Json,
    invitees: list[Json],
    window: tuple[datetime, datetime],
    wanted: Collection[str],
    created_by: str,
) -> list[Expected]:
    """The deliveries the meeting ``event`` caused within ``window`` (both ends included):
    ``invitee.created`` for each invitee booked then, ``invitee.canceled`` for each canceled
    then — those of ``wanted`` only."""
    start, end = window
    found: list[Expected] = []
    for invitee in invitees:
        uri = invitee.get("uri")
        if not isinstance(uri, str):
            continue
        booked = moment(invitee.get("created_at"))
        if CREATED in wanted and booked is not None and start <= booked <= end:
            meeting = event_as_of(event, invitees, booked)
            found.append(_expected(CREATED, booked, as_booked(invitee), meeting, created_by))
        canceled = canceled_at(invitee)
        if CANCELED in wanted and canceled is not None and start <= canceled <= end:
            meeting = event_as_of(event, invitees, canceled)
            found.append(_expected(CANCELED, canceled, invitee, meeting, created_by))
    return found


def _expected(
    name: str, happened_at: datetime, invitee: Json, event: Json, created_by: str
) -> Expected:
    envelope = {
        "event": name,
        "created_at": wire_time("created_at", happened_at),
        "created_by": created_by,
        "payload": invitee_payload(invitee, event),
    }
    return Expected(
        event=name,
        invitee_uri=str(invitee["uri"]),
        happened_at=happened_at,
        name=_text(invitee.get("name")) or _text(invitee.get("email")),
        email=_text(invitee.get("email")),
        meeting=_text(event.get("name")),
        meeting_start=moment(event.get("start_time")),
        meeting_uri=_text(event.get("uri")),
        rescheduled=name == CANCELED and bool(invitee.get("rescheduled")),
        body=serialise(envelope),
    )


def logged_key(body: bytes) -> tuple[str, str] | None:
    """(event, payload ``uri``) of a logged delivery's body, or None when it is not a
    Calendly-shaped invitee delivery."""
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(envelope, dict):
        return None
    event, payload = envelope.get("event"), envelope.get("payload")
    if not isinstance(event, str) or not isinstance(payload, dict):
        return None
    uri = payload.get("uri")
    return (event, uri) if isinstance(uri, str) and uri else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


# -- reading -------------------------------------------------------------------------------------
async def raw_items(
    client: CalendlyClient, path: str, params: dict[str, Any]
) -> AsyncIterator[Json]:
    """The raw JSON items of every page of a list (the payloads keep every key Calendly sends)."""
    token: str | None = None
    while True:
        raw = await client.transport.request(
            "GET", path, params={**params, "count": MAX_PAGE, "page_token": token}
        )
        try:
            page = json.loads(raw)
            items, pagination = page["collection"], page.get("pagination") or {}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise MalformedResponse(f"Calendly's answer to GET {path} was not a list.") from None
        for item in items:
            if isinstance(item, dict):
                yield item
        following = pagination.get("next_page_token")
        if not following or following == token:
            return
        token = following


async def bounded(items: Sequence[T], work: Callable[[T], Awaitable[R]], limit: int) -> list[R]:
    """``work`` on every item, at most ``limit`` at once, results in order; the first failure
    cancels the rest and is raised."""
    results: dict[int, R] = {}
    queue = iter(enumerate(items))

    async def worker() -> None:
        for index, item in queue:  # one shared iterator: each item is taken once
            results[index] = await work(item)

    workers = [asyncio.ensure_future(worker()) for _ in range(max(1, min(limit, len(items))))]
    try:
        await asyncio.gather(*workers)
    finally:
        for each in workers:
            each.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return [results[index] for index in range(len(items))]
