"""``client.scheduled_events``: booked meetings, their invitees, cancellation, the parallel walk."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any, Literal

from desktop.api.balanced_walk import balanced_walk
from desktop.api.errors import ConnectionFailed, ServerError
from desktop.api.pagination import Page, parallel_walk
from desktop.api.resource import MAX_PAGE, APIResource, path_of
from desktop.api.transport import Params
from desktop.domain.invitees import Invitee
from desktop.domain.scheduled_events import Cancellation, ScheduledEvent
from desktop.domain.uris import parent_uuid_of, uuid_of

EventStatus = Literal["active", "canceled"]
EventSort = Literal["start_time:asc", "start_time:desc"]
InviteeSort = Literal["created_at:asc", "created_at:desc"]

PATH = "/scheduled_events"
# Calendly's timestamps have microsecond precision: the smallest step past a start time.
_TICK = timedelta(microseconds=1)


def invitee_path(invitee: str, event: str | None = None) -> str:
    """The API path of an invitee given its URI (which names its event) or ``event`` + id."""
    parent = (event and uuid_of(event)) or parent_uuid_of(invitee)
    if not parent:
        raise ValueError("an invitee is addressed by its URI, or by its id with event=...")
    return f"{PATH}/{parent}/invitees/{uuid_of(invitee)}"


class ScheduledEvents(APIResource):
    """Scheduled events (``/scheduled_events``) and their invitees.

    Lists need ``organization``, ``user`` or ``group`` (URIs): ``organization`` alone needs an
    owner/admin; ``user`` alone only works for the caller's own user; ``group`` needs
    ``organization`` too. ``min_start_time`` is inclusive, ``max_start_time`` exclusive.
    """

    # -- events ---------------------------------------------------------------------------
    async def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: EventStatus | None = None,
        min_start_time: datetime | None = None,
        max_start_time: datetime | None = None,
        sort: EventSort | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[ScheduledEvent]:
        """One page of events (Calendly's default: 20, ``start_time:asc``)."""
        params = _event_filters(
            organization, user, group, invitee_email, status, min_start_time, max_start_time
        )
        params.update(sort=sort, count=count, page_token=page_token)
        return await self._page(PATH, ScheduledEvent, params)

    async def iterate(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: EventStatus | None = None,
        min_start_time: datetime | None = None,
        max_start_time: datetime | None = None,
        sort: EventSort | None = None,
    ) -> AsyncIterator[ScheduledEvent]:
        """Every matching event, page after page (100 a page)."""
        params = _event_filters(
            organization, user, group, invitee_email, status, min_start_time, max_start_time
        )
        params["sort"] = sort
        async for event in self._all(PATH, ScheduledEvent, params):
            yield event

    async def parallel_iterate(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: EventStatus | None = None,
        min_start_time: datetime | None = None,
        max_start_time: datetime | None = None,
        windows: int | None = None,
        concurrency: int = 8,
    ) -> AsyncIterator[ScheduledEvent]:
        """The same events as ``iterate`` (ascending by start time), fetched concurrently.

        Page tokens are sequential, time windows are not: ``[min_start_time,
        max_start_time)`` is split into time windows walked ``concurrency`` at a time (100 a
        page) and merged in order, without duplicates or gaps. Events are yielded as soon as
        every earlier window is complete.

        With both bounds and ``windows`` given, the split is exactly that many equal windows
        (``pagination.parallel_walk``). Otherwise a first round asks for the first page and
        the last start at once: a list that fits in one page is done after it; else the
        bounds are tightened to the events that exist and the rest is walked in ``windows``
        equal windows if given, else by ``balanced_walk``: windows that split while they
        load, so that uneven days keep every request slot busy to the end.
        """
        filters = _event_filters(organization, user, group, invitee_email, status, None, None)
        lo, hi = min_start_time, max_start_time

        def walk_window(start: datetime, end: datetime) -> AsyncIterator[ScheduledEvent]:
            bounded = {**filters, "min_start_time": start, "max_start_time": end}
            return self._all(PATH, ScheduledEvent, bounded)

        async def fetch_window(
            start: datetime, end: datetime, token: str | None
        ) -> Page[ScheduledEvent]:
            bounded = {**filters, "min_start_time": start, "max_start_time": end}
            return await self._page(
                PATH, ScheduledEvent, {**bounded, "count": MAX_PAGE, "page_token": token}
            )

        def start_of(event: ScheduledEvent) -> datetime:
            return event.start_time

        def identity(event: ScheduledEvent) -> str:
            return event.uri

        if lo is not None and hi is not None and windows is not None:
            async for event in parallel_walk(
                walk_window,
                lo,
                hi,
                windows=windows,
                start_of=start_of,
                identity=identity,
                concurrency=concurrency,
            ):
                yield event
            return

        bounded: Params = {**filters, "min_start_time": lo, "max_start_time": hi}
        ascending = {**bounded, "sort": "start_time:asc", "count": MAX_PAGE}
        first, last = await asyncio.gather(
            self._page(PATH, ScheduledEvent, ascending),
            self._page(PATH, ScheduledEvent, {**bounded, "sort": "start_time:desc", "count": 1}),
        )
        if not first.has_more:
            for event in first.items:
                yield event
            return
        # Everything before the first page's last start is in that page (ties at that start
        # may continue on the next page, so the walk restarts there).
        cut = first.items[-1].start_time if first.items else None
        end = last.items[0].start_time + _TICK if last.items else cut
        if hi is not None and end is not None:
            end = min(end, hi)
        if cut is None or end is None or end <= cut:
            # The list changed between the two requests: go on page after page instead.
            page = first
            while True:
                for event in page.items:
                    yield event
                if page.next_page_token is None:
                    return
                page = await self._page(
                    PATH, ScheduledEvent, {**ascending, "page_token": page.next_page_token}
                )
        for event in first.items:
            if event.start_time < cut:
                yield event
        if windows is None:
            async for event in balanced_walk(
                fetch_window,
                cut,
                end,
                start_of=start_of,
                identity=identity,
                concurrency=concurrency,
                page_size=MAX_PAGE,
            ):
                yield event
            return
        async for event in parallel_walk(
            walk_window,
            cut,
            end,
            windows=windows,
            start_of=start_of,
            identity=identity,
            concurrency=concurrency,
        ):
            yield event

    async def get(self, event: str) -> ScheduledEvent:
        """An event by URI or id."""
        return await self._fetch(path_of("scheduled_events", event), ScheduledEvent)

    async def cancel(self, event: str, *, reason: str | None = None) -> Cancellation:
        """Cancel an event (and its invitees); hosts and owners/admins may, before it ends.

        ``POST`` is not retried blindly: when the answer is lost, the event is read back; if
        it is canceled the cancellation is returned, else the request is sent once more
        (canceling twice is refused by Calendly, never doubled).
        """
        path = path_of("scheduled_events", event) + "/cancellation"
        body: dict[str, Any] = {} if reason is None else {"reason": reason}
        try:
            return await self._create(path, Cancellation, body)
        except (ConnectionFailed, ServerError):
            found = await self.get(event)
            if found.cancellation is not None:
                return found.cancellation
            return await self._create(path, Cancellation, body)

    # -- invitees -------------------------------------------------------------------------
    async def list_invitees(
        self,
        event: str,
        *,
        status: EventStatus | None = None,
        email: str | None = None,
        sort: InviteeSort | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page[Invitee]:
        """One page of an event's invitees (default ``created_at:asc``)."""
        params: dict[str, Any] = {"status": status, "email": email, "sort": sort}
        params.update(count=count, page_token=page_token)
        return await self._page(_invitees_of(event), Invitee, params)

    async def iterate_invitees(
        self,
        event: str,
        *,
        status: EventStatus | None = None,
        email: str | None = None,
        sort: InviteeSort | None = None,
    ) -> AsyncIterator[Invitee]:
        """Every invitee of an event (canceled ones too unless ``status`` says otherwise)."""
        params = {"status": status, "email": email, "sort": sort}
        async for invitee in self._all(_invitees_of(event), Invitee, params):
            yield invitee

    async def get_invitee(self, invitee: str, *, event: str | None = None) -> Invitee:
        """An invitee by URI (``.../scheduled_events/{event}/invitees/{id}``), or by id with
        ``event`` (the event's URI or id)."""
        return await self._fetch(invitee_path(invitee, event), Invitee)


def _invitees_of(event: str) -> str:
    return path_of("scheduled_events", event) + "/invitees"


def _event_filters(
    organization: str | None,
    user: str | None,
    group: str | None,
    invitee_email: str | None,
    status: str | None,
    min_start_time: datetime | None,
    max_start_time: datetime | None,
) -> dict[str, Any]:
    return {
        "organization": organization,
        "user": user,
        "group": group,
        "invitee_email": invitee_email,
        "status": status,
        "min_start_time": min_start_time,
        "max_start_time": max_start_time,
    }
