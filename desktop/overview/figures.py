"""What the Overview page shows: plain immutable figures, computed from the organization's data
by ``desktop.overview`` and drawn by ``desktop.ui.overview`` (this module is their contract)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class Outcome(enum.Enum):
    """What became of a meeting (a meeting with a no-show invitee counts as a no-show)."""

    HELD = "held"
    CANCELED = "canceled"
    NO_SHOW = "no-show"
    UPCOMING = "upcoming"


@dataclass(frozen=True, slots=True)
class Filter:
    """Which meetings the charts count: a local-day range (``end`` exclusive) and at most one
    of a member (user URI) or a group (group URI)."""

    start: date
    end: date
    member: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Week:
    """One week (Monday ``start``, local) and how many meetings ended each way."""

    start: date
    counts: dict[Outcome, int] = field(hash=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cancel_rate(self) -> float | None:
        """Canceled over all meetings of the week (None for an empty week)."""
        return self.counts.get(Outcome.CANCELED, 0) / self.total if self.total else None

    @property
    def no_show_rate(self) -> float | None:
        """No-shows over the meetings that took place (held + no-show), None if none did."""
        happened = self.counts.get(Outcome.HELD, 0) + self.counts.get(Outcome.NO_SHOW, 0)
        return self.counts.get(Outcome.NO_SHOW, 0) / happened if happened else None


@dataclass(frozen=True, slots=True)
class Ranked:
    """A member or event type and its number of meetings in the range (canceled excluded)."""

    uri: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Cards:
    """The counts on the cards at the top (each links to its page, filtered)."""

    members_active: int
    invitations_pending: int
    event_types_active: int
    meetings_this_week: int  # active meetings starting this local week (Monday to Sunday)
    meetings_next_week: int
    webhooks_active: int
    webhooks_retrying: int
    webhooks_disabled: int


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the page draws for one ``Filter``."""

    filter: Filter
    cards: Cards
    # Every week the range touches, oldest first (the default range: 12 weeks back, 4 ahead).
    weeks: tuple[Week, ...]
    busiest_members: tuple[Ranked, ...]  # most meetings first, at most 10
    busiest_event_types: tuple[Ranked, ...]  # most meetings first, at most 10
    # Meeting starts in the range by local weekday (0 = Monday) and hour: heatmap[day][hour].
    heatmap: tuple[tuple[int, ...], ...]
    refreshed_at: datetime  # when the data behind it was last fetched from Calendly (aware)
