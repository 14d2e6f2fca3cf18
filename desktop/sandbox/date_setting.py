"""When a one-off event type can be booked: its ``date_setting`` (pure: no store, no HTTP).

A one-off event type (``POST /one_off_event_types``) stores its ``date_setting`` in wire form
and a ``timezone``; standard event types have neither and are never restricted here.

* ``date_range``: local dates ``start_date`` .. ``end_date`` (inclusive);
* ``days_in_future``: from the day it was created through ``days`` days later (local dates),
  weekdays only with ``only_weekdays``;
* ``spots``: only meetings lying wholly inside one of the given ``[start_time, end_time)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _zone(name: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def allows(event_type: Mapping[str, Any], start: datetime, duration_minutes: int) -> bool:
    """Whether a meeting starting at ``start`` fits the event type's date setting."""
    setting = event_type.get("date_setting")
    if not isinstance(setting, Mapping):
        return True
    kind = setting.get("type")
    if kind == "spots":
        end = start + timedelta(minutes=duration_minutes)
        return any(
            _moment(s["start_time"]) <= start and end <= _moment(s["end_time"])
            for s in setting.get("spots") or []
        )
    zone = _zone(event_type.get("timezone"))
    day = start.astimezone(zone).date()
    if kind == "date_range":
        first = date.fromisoformat(str(setting["start_date"]))
        return first <= day <= date.fromisoformat(str(setting["end_date"]))
    if kind == "days_in_future":
        first = _moment(str(event_type["created_at"])).astimezone(zone).date()
        if not first <= day <= first + timedelta(days=int(setting.get("days") or 0)):
            return False
        return not (setting.get("only_weekdays") and day.weekday() >= 5)
    return True
