"""Scheduled events (meetings that were booked) and the parts embedded in them."""

from __future__ import annotations

from datetime import datetime, timedelta

from desktop.domain.base import Number, Record, Timestamp, UriRecord
from desktop.domain.locations import Location


class Cancellation(Record, frozen=True, kw_only=True):
    """Who canceled, why and when (on a canceled event or invitee)."""

    canceled_by: str  # a person's name
    canceler_type: str  # host | invitee
    reason: str | None = None
    created_at: Timestamp | None = None


class InviteesCounter(Record, frozen=True, kw_only=True):
    """``total`` counts canceled invitees too; ``limit`` is the most active ones allowed."""

    total: Number = 0
    active: Number = 0
    limit: Number = 1


class EventMembership(Record, frozen=True, kw_only=True):
    """A host of the event."""

    user: str
    user_email: str | None = None
    user_name: str | None = None
    buffered_start_time: Timestamp | None = None
    buffered_end_time: Timestamp | None = None


class EventGuest(Record, frozen=True, kw_only=True):
    """Someone an invitee added to the event."""

    email: str
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class CalendarEvent(Record, frozen=True, kw_only=True):
    """Deprecated: the event in the host's external calendar."""

    kind: str  # exchange | google | icloud | outlook | outlook_desktop
    external_id: str | None = None


class ScheduledEvent(UriRecord, frozen=True, kw_only=True):
    """A booked meeting (Calendly calls it an Event)."""

    status: str  # active | canceled
    start_time: Timestamp
    end_time: Timestamp
    event_type: str
    name: str | None = None
    location: Location | None = None  # details vanish six months after the event
    invitees_counter: InviteesCounter | None = None
    event_memberships: tuple[EventMembership, ...] = ()
    event_guests: tuple[EventGuest, ...] = ()
    cancellation: Cancellation | None = None
    calendar_event: CalendarEvent | None = None
    meeting_notes_plain: str | None = None
    meeting_notes_html: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def duration(self) -> timedelta:
        return self.end_time - self.start_time

    @property
    def is_canceled(self) -> bool:
        return self.status == "canceled"

    def is_past(self, now: datetime) -> bool:
        """Over by ``now`` (an aware datetime): Calendly refuses to cancel past events."""
        return self.end_time <= now

    @property
    def host_names(self) -> tuple[str, ...]:
        return tuple(m.user_name or m.user_email or m.user for m in self.event_memberships)
