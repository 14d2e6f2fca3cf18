"""Availability: open slots of an event type, users' schedules and their busy times."""

from __future__ import annotations

import datetime as dt

import msgspec

from desktop.domain.base import Number, Record, Timestamp, UriRecord


class EventTypeAvailableTime(Record, frozen=True, kw_only=True):
    """An open slot; book it by passing ``start_time`` to ``POST /invitees`` unchanged."""

    start_time: Timestamp
    status: str = "available"
    invitees_remaining: Number = 1  # above 1 only for group event types
    scheduling_url: str | None = None


def _parse_hhmm(text: str) -> dt.time | None:
    hours, _, minutes = text.partition(":")
    try:
        return dt.time(int(hours), int(minutes)) if hours and minutes else None
    except ValueError:
        return None  # "24:00" and other out-of-range ends


class AvailabilityInterval(Record, frozen=True, kw_only=True):
    """An ``hh:mm``–``hh:mm`` stretch of a day, in the schedule's time zone."""

    from_: str = msgspec.field(default="", name="from")
    to: str = ""

    @property
    def start(self) -> dt.time | None:
        return _parse_hhmm(self.from_)

    @property
    def end(self) -> dt.time | None:
        return _parse_hhmm(self.to)


class AvailabilityRule(Record, frozen=True, kw_only=True):
    """Weekly hours (``wday``) or a date override (``date``); no intervals = unavailable."""

    type: str  # wday | date
    intervals: tuple[AvailabilityInterval, ...] = ()
    wday: str | None = None  # sunday .. saturday
    date: str | None = None  # YYYY-MM-DD (the spec's pattern allows unpadded months and days)

    @property
    def day(self) -> dt.date | None:
        """The date of a date override."""
        if self.date is None:
            return None
        try:
            year, month, day = (int(part) for part in self.date.split("-"))
            return dt.date(year, month, day)
        except ValueError:
            return None

    @property
    def is_unavailable(self) -> bool:
        return not self.intervals


class AvailabilitySchedule(UriRecord, frozen=True, kw_only=True):
    """A user's named availability schedule (``GET /user_availability_schedules``)."""

    name: str
    user: str
    timezone: str
    default: bool = False
    rules: tuple[AvailabilityRule, ...] = ()

    @property
    def weekly_rules(self) -> tuple[AvailabilityRule, ...]:
        return tuple(rule for rule in self.rules if rule.type == "wday")

    @property
    def date_overrides(self) -> tuple[AvailabilityRule, ...]:
        return tuple(rule for rule in self.rules if rule.type == "date")


class EventTypeAvailabilityRule(Record, frozen=True, kw_only=True):
    """The schedule an event type uses for one host."""

    timezone: str
    rules: tuple[AvailabilityRule, ...] = ()
    uri: str | None = None
    name: str | None = None
    user: str | None = None


class EventTypeAvailabilitySchedule(Record, frozen=True, kw_only=True):
    """``GET /event_type_availability_schedules``: an event type's schedule per host."""

    event_type: str
    availability_rule: EventTypeAvailabilityRule | None = None
    availability_setting: str = "host"


class BusyEvent(Record, frozen=True, kw_only=True):
    """The Calendly event behind a busy time."""

    uri: str


class UserBusyTime(Record, frozen=True, kw_only=True):
    """A span when the user is busy: a Calendly event, a reserved slot, or an external one."""

    type: str  # calendly | reserved | external
    start_time: Timestamp
    end_time: Timestamp
    buffered_start_time: Timestamp | None = None
    buffered_end_time: Timestamp | None = None
    event: BusyEvent | None = None

    @property
    def duration(self) -> dt.timedelta:
        return self.end_time - self.start_time
