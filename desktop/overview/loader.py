"""Loads the Overview's data from Calendly, caches it per profile and refreshes only what changed.

**Full load** (no usable cache, or ``full=True``): every scheduled event starting in the window
(by default the current local week, 12 weeks before it and 4 after; an admin's whole
organization, anyone else's own meetings) by the client's balanced parallel walk; the
invitees of every active meeting that is over, to find no-shows (a few lists at a time);
members, pending invitations, event types, groups with their members, and webhook
subscription counts.

**Refresh** (a cache fetched at ``F``): Calendly's list of scheduled events has no
``updated_at`` filter, so what may have changed is found by time instead:

* *Events.* New bookings start in the future of the moment they are made, and Calendly
  refuses to cancel a meeting that is over; so only events that had not ended by ``F`` can
  have been booked, canceled or rescheduled since. The refresh re-lists the window from
  ``F − 10 minutes`` (clock skew), or from the start of the earliest cached meeting still in
  progress at ``F`` if that is earlier, to the window's end, and replaces the cached events
  of that span with what Calendly lists now (so new, canceled and rescheduled meetings all
  show). When the window has moved (a new week began), its new edges are listed too and
  events that left it are dropped.
* *No-shows.* A mark (or its removal) changes an invitee, not the event, and can be made at
  any time after a meeting. The refresh re-reads the invitees of the active meetings that
  are over and either ended after ``F − 7 days`` (marks are made in the days after a
  meeting), were not read before (over since ``F``, new in the window, or failed), or whose
  ``updated_at`` changed.
* *Bounded.* At most ``invitee_lists`` (300) invitee lists are read per load, the latest
  meetings first, so that the Overview never takes the whole rate budget (500 requests a
  minute) from the rest of the app; the others are read by the next refreshes, and
  ``OverviewData.unread`` says how many are left (they count as held until then).
* *The rest* (members, invitations, event types, groups, webhooks) is small and has no change
  filter either: it is read again in full.

Limits: a no-show marked or unmarked on a meeting that ended more than 7 days before the
previous refresh, or an event changed by other means in the past (such as Calendly's support
editing history), shows only after a full load (``load(full=True)``). A clock more than 10
minutes off Calendly's could miss a booking made just before the previous refresh.

The cache file is read and written in a worker thread; nothing here blocks the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TypeVar

import msgspec

from desktop.api.client import CalendlyClient
from desktop.overview import cache
from desktop.overview.compute import compute
from desktop.overview.data import EventRow, OverviewData, Scope, WebhookCounts
from desktop.overview.fetch import (
    DEFAULT_CONCURRENCY,
    events_in,
    no_shows_of,
    organization_parts,
    together,
)
from desktop.overview.figures import Filter, Overview
from desktop.overview.window import WEEKS_AHEAD, WEEKS_BACK, default_filter, local_zone, span_of

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (steps done, steps known so far); the total may grow
Span = tuple[datetime, datetime]
T = TypeVar("T")

CLOCK_SKEW = timedelta(minutes=10)
NO_SHOW_LOOKBACK = timedelta(days=7)
# Invitee lists read per load at most: Calendly allows 500 requests a minute per user, and the
# rest of the app shares them. A larger organization's no-shows fill in over a few refreshes.
INVITEE_LISTS = 300


def _now() -> datetime:
    return datetime.now(UTC)


def spans_to_list(old: OverviewData | None, start: datetime, end: datetime) -> list[Span]:
    """The time spans whose events a refresh lists again (all of ``[start, end)`` without a
    cache, or when the cached window does not overlap the new one)."""
    if old is None or old.window_end <= start or end <= old.window_start:
        return [(start, end)]
    since = old.fetched_at - CLOCK_SKEW
    for row in old.events:
        if row.is_active and row.end > old.fetched_at and row.start < since:
            since = row.start
    spans: list[Span] = []
    if start < old.window_start:
        spans.append((start, old.window_start))
    changed_from = max(start, min(since, old.window_end))
    if changed_from < end:
        if spans and spans[-1][1] >= changed_from:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((changed_from, end))
    return spans


def to_recheck(
    rows: list[EventRow],
    old: OverviewData | None,
    now: datetime,
    lookback: timedelta = NO_SHOW_LOOKBACK,
) -> list[str]:
    """The events whose invitees are read (for no-shows), the latest to end first: see the
    module's rule."""
    over = sorted(
        (row for row in rows if row.is_active and row.end <= now),
        key=lambda row: row.end,
        reverse=True,
    )
    if old is None:
        return [row.uri for row in over]
    cut = old.fetched_at - lookback
    before = {row.uri: row.updated_at for row in old.events}
    return [
        row.uri
        for row in over
        if row.no_shows is None or row.end > cut or before.get(row.uri) != row.updated_at
    ]


class _Progress:
    def __init__(self, report: Progress | None) -> None:
        self.report = report
        self.done = 0
        self.total = 0

    def tick(self, done: int, added: int) -> None:
        self.done += done
        self.total += added
        if self.report is not None:
            self.report(self.done, max(self.total, self.done))


class OverviewLoader:
    """The Overview's data for one signed-in profile: ``cached()`` at once, ``load()`` to
    refresh. One loader per page; loads never overlap (a second waits for the first)."""

    def __init__(
        self,
        client: CalendlyClient,
        scope: Scope,
        cache_file: Path | None,
        *,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] | None = None,
        weeks_back: int = WEEKS_BACK,
        weeks_ahead: int = WEEKS_AHEAD,
        concurrency: int = DEFAULT_CONCURRENCY,
        no_show_lookback: timedelta = NO_SHOW_LOOKBACK,
        invitee_lists: int | None = INVITEE_LISTS,
    ) -> None:
        self.client = client
        self.scope = scope
        self.cache_file = cache_file
        self.tz = tz if tz is not None else local_zone()
        self.clock = clock or _now
        self.weeks_back = weeks_back
        self.weeks_ahead = weeks_ahead
        self.concurrency = concurrency
        self.no_show_lookback = no_show_lookback
        self.invitee_lists = invitee_lists
        self._data: OverviewData | None = None
        self._reading: asyncio.Future[OverviewData | None] | None = None
        self._forgotten = False
        self._lock = asyncio.Lock()

    @property
    def data(self) -> OverviewData | None:
        """The latest data (cached or fetched), if any."""
        return self._data

    def default_filter(self, member: str | None = None, group: str | None = None) -> Filter:
        """The default range (the weeks the loader fetches) with an optional member or group."""
        return default_filter(
            self.tz,
            self.clock(),
            weeks_back=self.weeks_back,
            weeks_ahead=self.weeks_ahead,
            member=member,
            group=group,
        )

    def window(self) -> Span:
        """The span of event start times the loader keeps (UTC instants)."""
        chosen = self.default_filter()
        return span_of(chosen.start, chosen.end, self.tz)

    def overview(self, filter: Filter | None = None) -> Overview | None:
        """The figures for ``filter`` (default: the default range) from the latest data."""
        if self._data is None:
            return None
        return compute(self._data, filter or self.default_filter(), self.tz, self.clock())

    async def cached(self) -> OverviewData | None:
        """The data of the previous session, read once from the cache file (None if there is
        none, it is damaged, or it belongs to another organization or user)."""
        if self._data is not None or self.cache_file is None:
            return self._data
        if self._reading is None:  # callers at the same time share one read
            self._reading = asyncio.ensure_future(asyncio.to_thread(cache.read, self.cache_file))
        found = await asyncio.shield(self._reading)
        if found is not None and not found.scope_matches(self.scope):
            log.info("overview cache %s is for another account; not used", self.cache_file)
            found = None
        if found is not None and self._data is None and not self._forgotten:
            self._data = found
        return self._data

    async def forget(self) -> None:
        """Drop the cached data (memory and file)."""
        async with self._lock:
            self._data = None
            self._forgotten = True
            if self.cache_file is not None:
                await asyncio.to_thread(cache.remove, self.cache_file)

    async def load(
        self, *, full: bool = False, on_progress: Progress | None = None
    ) -> OverviewData:
        """Fetch what may have changed since the cached data (everything when ``full`` or
        without a cache), merge it, save the cache and return the new data. Calendly's errors
        on the scheduled events propagate (the previous data stays); other parts that fail
        keep their previous figures and are named in ``problems``."""
        async with self._lock:
            old = None if full else await self.cached()
            if old is not None and not old.scope_matches(self.scope):
                old = None
            data = await self._fetch(old, _Progress(on_progress))
            self._data = data
            if self.cache_file is not None:
                try:
                    await asyncio.to_thread(cache.write, self.cache_file, data)
                except OSError as error:
                    log.warning("overview cache %s not saved: %s", self.cache_file, error)
            return data

    async def _fetch(self, old: OverviewData | None, progress: _Progress) -> OverviewData:
        now = self.clock()
        start, end = self.window()
        spans = spans_to_list(old, start, end)
        listing = asyncio.ensure_future(
            events_in(
                self.client, self.scope, spans, concurrency=self.concurrency, tick=progress.tick
            )
        )
        parts = asyncio.ensure_future(
            organization_parts(self.client, self.scope, tick=progress.tick)
        )
        await together(listing, parts)  # a failure cancels the other, and is raised as is
        fresh, org = listing.result(), parts.result()

        previous = {row.uri: row for row in old.events} if old is not None else {}
        rows = [
            row
            for row in (old.events if old is not None else ())
            if start <= row.start < end and not any(lo <= row.start < hi for lo, hi in spans)
        ]
        for row in fresh.rows:
            if not start <= row.start < end:
                continue
            before = previous.get(row.uri)
            if before is not None and before.no_shows is not None:
                row = msgspec.structs.replace(row, no_shows=before.no_shows)
            rows.append(row)
        rows = list({row.uri: row for row in rows}.values())  # one row per event

        recheck = to_recheck(rows, old, now, self.no_show_lookback)
        if self.invitee_lists is not None:
            recheck = recheck[: max(0, self.invitee_lists)]  # the latest first; more next time
        counts, failed = await no_shows_of(
            self.client, recheck, concurrency=self.concurrency, tick=progress.tick
        )
        rows = [
            msgspec.structs.replace(row, no_shows=counts[row.uri]) if row.uri in counts else row
            for row in rows
        ]
        rows.sort(key=lambda row: (row.start, row.uri))
        unread = sum(1 for row in rows if row.is_active and row.end <= now and row.no_shows is None)

        problems = list(org.problems)
        if failed:
            problems.append(
                f"The invitees of {failed} past meetings could not be read: no-shows among "
                "them count as held until a refresh reads them."
            )
        if unread > failed:
            problems.append(
                f"The invitees of {unread - failed} older meetings are still to be read (a "
                "share of the rate limit per refresh): no-shows among them count as held "
                "until then."
            )
        hosts = {host for row in rows for host in row.hosts}
        names = dict(old.host_names) if old is not None else {}
        names.update(fresh.host_names)
        return OverviewData(
            organization=self.scope.organization,
            user=self.scope.user,
            is_admin=self.scope.is_admin,
            window_start=start,
            window_end=end,
            fetched_at=now,
            events=tuple(rows),
            members=_either(org.members, old.members if old else ()),
            invitations_pending=_either(
                org.invitations_pending, old.invitations_pending if old else 0
            ),
            event_types=_either(org.event_types, old.event_types if old else ()),
            groups=_either(org.groups, old.groups if old else ()),
            webhooks=_either(org.webhooks, old.webhooks if old else WebhookCounts()),
            host_names={uri: name for uri, name in names.items() if uri in hosts},
            problems=tuple(problems),
            unread=unread,
        )


def _either(fresh: T | None, previous: T) -> T:
    return previous if fresh is None else fresh
