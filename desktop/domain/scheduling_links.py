"""Single-use scheduling links (``POST /scheduling_links``)."""

from __future__ import annotations

from desktop.domain.base import Record


class SchedulingLink(Record, frozen=True, kw_only=True):
    """A one-booking link to an event type; ``booking_url`` is its identity (it has no uri)."""

    booking_url: str
    owner: str | None = None  # the event type URI
    owner_type: str | None = None  # EventType
