"""What the Overview keeps of an organization: compact, immutable rows, cached as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import msgspec

# Bumped whenever a field changes meaning or shape: an older cache is then discarded.
VERSION = 1


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose view this is: an admin sees the whole organization, anyone else their own
    meetings (and webhook subscriptions) only."""

    organization: str  # organization URI
    user: str  # the signed-in user's URI
    is_admin: bool


class EventRow(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One scheduled event: what the figures need of it."""

    uri: str
    status: str  # active | canceled
    start: datetime
    end: datetime
    event_type: str  # event type URI
    name: str  # the event type's name when booked (the type may be gone since)
    hosts: tuple[str, ...]  # user URIs
    updated_at: datetime | None = None
    # Invitees marked no-show; None: not read (not over when fetched, canceled, or failed).
    no_shows: int | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "active"


class Person(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A member of the organization (from its membership)."""

    uri: str  # user URI
    name: str
    email: str
    role: str


class EventTypeRow(msgspec.Struct, frozen=True, array_like=True, gc=False):
    uri: str
    name: str
    active: bool


class GroupRow(msgspec.Struct, frozen=True, array_like=True, gc=False):
    uri: str
    name: str
    members: tuple[str, ...]  # user URIs of the members (admins of the group included)


class WebhookCounts(msgspec.Struct, frozen=True, gc=False):
    """Subscriptions by state; ``retrying`` ones are active but failing (not in ``active``)."""

    active: int = 0
    retrying: int = 0
    disabled: int = 0
    complete: bool = True  # False: some owners' subscriptions could not be listed


class OverviewData(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Everything ``compute`` needs, as fetched at ``fetched_at`` (the cache's content)."""

    version: int = VERSION
    organization: str
    user: str
    is_admin: bool
    window_start: datetime  # events starting in [window_start, window_end) are all here
    window_end: datetime
    fetched_at: datetime  # aware; the clock of the last fetch (full or refresh)
    events: tuple[EventRow, ...] = ()
    members: tuple[Person, ...] = ()
    invitations_pending: int = 0
    event_types: tuple[EventTypeRow, ...] = ()
    groups: tuple[GroupRow, ...] = ()
    webhooks: WebhookCounts = msgspec.field(default_factory=WebhookCounts)
    # Hosts' names by user URI, from the events themselves (people who left keep theirs).
    host_names: dict[str, str] = msgspec.field(default_factory=dict)
    problems: tuple[str, ...] = ()  # what could not be read at the last fetch, in plain words
    # Meetings over whose invitees are not read yet (failed, or left for the next refresh):
    # their no-shows are unknown and they count as held. ``load()`` again reads more.
    unread: int = 0

    def scope_matches(self, scope: Scope) -> bool:
        return (self.organization, self.user, self.is_admin) == (
            scope.organization,
            scope.user,
            scope.is_admin,
        )

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether every meeting starting in ``[start, end)`` is in ``events``."""
        return self.window_start <= start and end <= self.window_end
