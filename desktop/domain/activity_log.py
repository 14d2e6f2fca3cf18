"""Activity log entries (Enterprise) and the envelope their list comes in."""

from __future__ import annotations

from typing import Any

import msgspec

from desktop.domain.base import Record, Timestamp
from desktop.domain.envelopes import Collection


class ActorOrganization(Record, frozen=True, kw_only=True):
    uri: str | None = None
    role: str | None = None


class ActorGroup(Record, frozen=True, kw_only=True):
    uri: str | None = None
    name: str | None = None
    role: str | None = None


class Actor(Record, frozen=True, kw_only=True):
    """Who did it: a user, or something else named by ``type``."""

    type: str
    uri: str | None = None
    display_name: str | None = None
    alternative_identifier: str | None = None
    organization: ActorOrganization | None = None
    group: ActorGroup | None = None


class ActivityLogEntry(Record, frozen=True, kw_only=True):
    """One logged action; ``details`` is a free-form object, kept as raw JSON."""

    uri: str
    occurred_at: Timestamp
    namespace: str
    action: str
    organization: str
    fully_qualified_name: str = ""  # namespace.action
    actor: Actor | None = None
    details: msgspec.Raw = msgspec.Raw(b"{}")

    def __hash__(self) -> int:
        # msgspec.Raw is unhashable; its bytes stand for it (equality already compares them).
        fields = (self.uri, self.occurred_at, self.namespace, self.action, self.organization)
        return hash((*fields, self.fully_qualified_name, self.actor, bytes(self.details)))

    def details_dict(self) -> dict[str, Any]:
        """``details`` as plain JSON values (a fresh copy each call)."""
        value = msgspec.json.decode(self.details)
        return value if isinstance(value, dict) else {"value": value}


class ActivityLogPage(Collection[ActivityLogEntry], frozen=True, kw_only=True):
    """``GET /activity_log_entries``: a page plus totals for the whole filtered log."""

    total_count: int = 0
    exceeds_max_total_count: bool = False
    last_event_time: Timestamp | None = None
