"""Local weeks: the default range (12 weeks back, 4 ahead), the span it covers, the local zone."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.overview.figures import Filter

WEEKS_BACK = 12  # whole weeks before the current one
WEEKS_AHEAD = 4  # whole weeks after the current one
WEEK = timedelta(days=7)


def local_zone() -> tzinfo:
    """This computer's IANA zone when it can be named (``TZ``, ``/etc/localtime``), so that
    weeks keep their local midnights across daylight-saving changes; else its current offset."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = Path("/etc/localtime").resolve()
    except OSError:
        target = None
    if target is not None and "zoneinfo" in target.parts:
        candidates.append("/".join(target.parts[target.parts.index("zoneinfo") + 1 :]))
    for name in candidates:
        if name and not name.startswith("/"):
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The instant a local day starts (aware)."""
    return datetime.combine(day, time(), tz)


def today_in(tz: tzinfo, now: datetime) -> date:
    return now.astimezone(tz).date()


def default_filter(
    tz: tzinfo,
    now: datetime,
    *,
    weeks_back: int = WEEKS_BACK,
    weeks_ahead: int = WEEKS_AHEAD,
    member: str | None = None,
    group: str | None = None,
) -> Filter:
    """The current local week, ``weeks_back`` whole weeks before it and ``weeks_ahead`` after
    (17 weeks by default), Monday to Monday."""
    monday = monday_of(today_in(tz, now))
    return Filter(
        start=monday - weeks_back * WEEK,
        end=monday + (weeks_ahead + 1) * WEEK,
        member=member,
        group=group,
    )


def span_of(start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """``[start, end)`` local days as UTC instants."""
    return (local_midnight(start, tz).astimezone(UTC), local_midnight(end, tz).astimezone(UTC))


def week_span(tz: tzinfo, now: datetime, offset: int = 0) -> tuple[datetime, datetime]:
    """The local week ``offset`` weeks from the current one, as UTC instants."""
    monday = monday_of(today_in(tz, now)) + offset * WEEK
    return span_of(monday, monday + WEEK, tz)
