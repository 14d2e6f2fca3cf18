"""Bookable start times from availability rules and busy intervals (pure: no HTTP, no store).

An availability schedule's rules are local to its time zone: ``wday`` rules give each weekday's
open intervals, and a ``date`` rule replaces them for that one date (empty intervals: closed).
Local intervals are turned into UTC instants with ``zoneinfo``, so days with a DST change are
23 or 25 hours long; a wall time that does not exist (the spring-forward gap) is read with the
offset in force before the change, i.e. it lands just after the gap.

Within each open interval, candidate starts step from the interval's start by the increment
(``default_increment``: the duration, at most 30 minutes, Calendly's default of "start times
every 30 minutes" for longer meetings) and a start is kept when the whole meeting fits in the
interval and overlaps none of the host's busy intervals. Round robin pools need any host free;
collective (and, without pools of our own, multi-pool) need every host free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Interval = tuple[datetime, datetime]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_INCREMENT_MINUTES = 30


@dataclass(frozen=True)
class HostCalendar:
    """One host's availability: schedule rules in ``timezone`` and busy UTC intervals."""

    timezone: str
    rules: Sequence[Mapping[str, Any]]
    busy: Sequence[Interval] = field(default_factory=tuple)


@dataclass(frozen=True)
class ExistingEvent:
    """A scheduled event of a group event type: its start, end and active invitees."""

    start: datetime
    end: datetime
    active_invitees: int


def default_increment(duration_minutes: int) -> timedelta:
    """Start-time step: the meeting length, but never coarser than 30 minutes."""
    return timedelta(minutes=max(1, min(duration_minutes, MAX_INCREMENT_MINUTES)))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _clock(text: str) -> tuple[int, int] | None:
    """``"hh:mm"`` as (hours, minutes); ``"24:00"`` allowed as the end of the day."""
    hours, sep, minutes = str(text).partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit():
        return None
    h, m = int(hours), int(minutes)
    if not (0 <= m < 60 and (0 <= h < 24 or (h == 24 and m == 0))):
        return None
    return h, m


def _local(day: date, clock: tuple[int, int], zone: ZoneInfo) -> datetime:
    h, m = clock
    if h == 24:
        return _local(day + timedelta(days=1), (0, 0), zone)
    return datetime.combine(day, time(h, m), tzinfo=zone).astimezone(UTC)


def day_intervals(
    rules: Sequence[Mapping[str, Any]], day: date
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The local (from, to) clock pairs open on ``day``: its date override, else its wday rules."""
    overrides = [r for r in rules if r.get("type") == "date" and r.get("date") == day.isoformat()]
    chosen = overrides or [
        r for r in rules if r.get("type") == "wday" and r.get("wday") == WEEKDAYS[day.weekday()]
    ]
    pairs = []
    for rule in chosen:
        for interval in rule.get("intervals") or []:
            start, end = _clock(interval.get("from", "")), _clock(interval.get("to", ""))
            if start is not None and end is not None and start < end:
                pairs.append((start, end))
    return sorted(pairs)


def open_intervals(
    timezone: str, rules: Sequence[Mapping[str, Any]], start: datetime, end: datetime
) -> list[Interval]:
    """The schedule's open UTC intervals that touch [start, end), unclipped, in order."""
    zone = _zone(timezone)
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    found: list[Interval] = []
    day = first
    while day <= last:
        for begin, finish in day_intervals(rules, day):
            lo, hi = _local(day, begin, zone), _local(day, finish, zone)
            if lo < hi and hi > start and lo < end:
                found.append((lo, hi))
        day += timedelta(days=1)
    return sorted(found)


def _overlaps(lo: datetime, hi: datetime, busy: Iterable[Interval]) -> bool:
    return any(b_start < hi and b_end > lo for b_start, b_end in busy)


def host_starts(
    host: HostCalendar,
    start: datetime,
    end: datetime,
    duration: timedelta,
    increment: timedelta,
) -> set[datetime]:
    """Starts in [start, end) where one host is open for the whole meeting and not busy."""
    busy = sorted(host.busy)
    starts: set[datetime] = set()
    for lo, hi in open_intervals(host.timezone, host.rules, start, end):
        moment = lo
        if moment < start:  # jump onto the interval's grid at or after ``start``
            steps = -((lo - start) // increment)
            moment = lo + steps * increment
        while moment < end and moment + duration <= hi:
            if not _overlaps(moment, moment + duration, busy):
                starts.add(moment)
            moment += increment
    return starts


def available_starts(
    hosts: Sequence[HostCalendar],
    start: datetime,
    end: datetime,
    duration_minutes: int,
    pooling_type: str | None = None,
    increment: timedelta | None = None,
) -> list[datetime]:
    """Sorted UTC starts in [start, end) when the event type can be booked.

    One host (solo) or round robin: any host free; ``collective`` or ``multi_pool``: all
    hosts free. No hosts: nothing is available.
    """
    if not hosts or end <= start or duration_minutes <= 0:
        return []
    duration = timedelta(minutes=duration_minutes)
    step = increment or default_increment(duration_minutes)
    per_host = [host_starts(h, start, end, duration, step) for h in hosts]
    if pooling_type in ("collective", "multi_pool"):
        chosen = set.intersection(*per_host)
    else:
        chosen = set.union(*per_host)
    return sorted(chosen)


def is_available(
    hosts: Sequence[HostCalendar],
    moment: datetime,
    duration_minutes: int,
    pooling_type: str | None = None,
    increment: timedelta | None = None,
) -> bool:
    """Whether ``moment`` is a bookable start: on an interval's grid, inside the rules, free."""
    moment = moment.astimezone(UTC)
    starts = available_starts(
        hosts, moment, moment + timedelta(seconds=1), duration_minutes, pooling_type, increment
    )
    return moment in starts


def group_seats(
    starts: Sequence[datetime],
    duration_minutes: int,
    invitee_limit: int,
    existing: Sequence[ExistingEvent],
) -> list[tuple[datetime, int]]:
    """Group event types: each start with the seats left (``invitee_limit`` − active invitees).

    A start that coincides with an existing event of the type offers that event's remaining
    seats (dropped when full); a start overlapping one at another time is not offered.
    ``starts`` must already ignore those events as busy time.
    """
    duration = timedelta(minutes=duration_minutes)
    by_start = {e.start: e for e in existing}
    result: list[tuple[datetime, int]] = []
    for moment in starts:
        same = by_start.get(moment)
        if same is not None:
            left = invitee_limit - same.active_invitees
            if left > 0:
                result.append((moment, left))
            continue
        if any(e.start < moment + duration and e.end > moment for e in existing):
            continue
        result.append((moment, invitee_limit))
    return result
