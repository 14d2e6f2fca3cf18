"""The open start times a booking page offers, a month at a time (the API's slot logic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.sandbox.routes.availability import event_type_slots
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

MONTHS_AHEAD = 12  # how far the picker browses
# A month in any time zone lies within its UTC month widened by 14 hours each side.
WIDEN = timedelta(hours=14)


def shift(month: str, count: int) -> str:
    """``"2026-11"`` moved by ``count`` months."""
    year, number = int(month[:4]), int(month[5:7])
    total = year * 12 + number - 1 + count
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def this_month(state: SandboxState) -> str:
    return f"{state.clock.now().astimezone(UTC):%Y-%m}"


def last_month(state: SandboxState) -> str:
    return shift(this_month(state), MONTHS_AHEAD)


def clamp(state: SandboxState, month: str | None) -> str | None:
    """A month the picker may show (None when outside: before now or too far ahead)."""
    if month is None or not this_month(state) <= month <= last_month(state):
        return None
    return month


def _bounds(month: str) -> tuple[datetime, datetime]:
    first = datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=UTC)
    following = shift(month, 1)
    return first, datetime(int(following[:4]), int(following[5:7]), 1, tzinfo=UTC)


def month_slots(state: SandboxState, event_type: Record, month: str) -> list[str]:
    """Open starts (UTC wire strings) of ``month`` as seen from any time zone."""
    first, following = _bounds(month)
    start = max(state.clock.now() + timedelta(seconds=1), first - WIDEN)
    end = following + WIDEN
    if end <= start or not event_type.get("active") or event_type.get("deleted_at"):
        return []
    return [iso(moment) for moment, left in event_type_slots(state, event_type, start, end)]


def opening_month(state: SandboxState, event_type: Record) -> tuple[str, list[str]]:
    """This month, or the next one with open times (looking 3 months ahead), with its slots."""
    month = this_month(state)
    for step in range(3):
        found = month_slots(state, event_type, shift(month, step))
        if any(stamp.startswith(shift(month, step)) for stamp in found):
            return shift(month, step), found
    return month, month_slots(state, event_type, month)
