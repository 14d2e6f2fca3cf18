"""Which events each subscription scope may carry, the token scope each needs, and their labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, get_args

Scope: TypeAlias = Literal["organization", "user", "group"]
SCOPES: Final[tuple[Scope, ...]] = get_args(Scope)
_ANY: Final[tuple[Scope, ...]] = SCOPES

SCOPE_LABELS: Final[dict[str, str]] = {
    "organization": "Organization",
    "user": "User",
    "group": "Group",
}


@dataclass(frozen=True, slots=True)
class EventInfo:
    """One subscribable event: a label for people, where it may be subscribed, what it needs."""

    name: str
    label: str
    scopes: tuple[Scope, ...]
    read_scope: str  # the OAuth/PAT scope a token needs to subscribe to it (facts §2.8)


# Calendly's 2026 table (facts §6.1). ``event_type.*`` appear in Calendly's table and in the
# payloads, but not in the create body's enum, which is what Calendly accepts: they are not
# offered here (facts §9.3).
_EVENTS: Final[tuple[EventInfo, ...]] = (
    EventInfo("invitee.created", "A meeting was booked", _ANY, "scheduled_events:read"),
    EventInfo("invitee.canceled", "A meeting was canceled", _ANY, "scheduled_events:read"),
    EventInfo(
        "invitee_no_show.created",
        "An invitee was marked as a no-show",
        _ANY,
        "scheduled_events:read",
    ),
    EventInfo(
        "invitee_no_show.deleted",
        "A no-show mark was removed",
        _ANY,
        "scheduled_events:read",
    ),
    EventInfo(
        "routing_form_submission.created",
        "A routing form was submitted",
        ("organization",),
        "routing_forms:read",
    ),
    EventInfo(
        "meeting_recap.created", "A meeting recap was made", ("user",), "meeting_recaps:read"
    ),
    EventInfo(
        "meeting_recap.updated", "A meeting recap was updated", ("user",), "meeting_recaps:read"
    ),
    EventInfo(
        "meeting_recap.deleted", "A meeting recap was deleted", ("user",), "meeting_recaps:read"
    ),
    EventInfo("contact.created", "A contact was added", _ANY, "contacts:read"),
    EventInfo("contact.updated", "A contact was updated", _ANY, "contacts:read"),
    EventInfo("contact.deleted", "A contact was deleted", _ANY, "contacts:read"),
)
EVENTS: Final[dict[str, EventInfo]] = {info.name: info for info in _EVENTS}

FIELD = "Events"


def label(event: str) -> str:
    """A plain-English label for ``event`` (the event's own name when it is not known here)."""
    info = EVENTS.get(event)
    return info.label if info is not None else event


def events_for(scope: str) -> tuple[str, ...]:
    """The events a subscription of ``scope`` may carry, in Calendly's order."""
    return tuple(info.name for info in _EVENTS if scope in info.scopes)


def scopes_for(event: str) -> tuple[Scope, ...]:
    """The subscription scopes ``event`` may be subscribed at (none when unknown)."""
    info = EVENTS.get(event)
    return info.scopes if info is not None else ()


def read_scopes(events: Iterable[str]) -> tuple[str, ...]:
    """The read scopes a token needs to subscribe to ``events`` (each once, in order)."""
    return tuple(dict.fromkeys(EVENTS[e].read_scope for e in events if e in EVENTS))


def _scope_words(scopes: Sequence[str]) -> str:
    names = [SCOPE_LABELS.get(s, s).lower() for s in scopes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_events(scope: str, events: Sequence[str]) -> list[str]:
    """What is wrong with subscribing ``events`` at ``scope``: plain sentences naming the field
    (empty when the combination is one Calendly accepts)."""
    if scope not in SCOPES:
        return [
            f"Scope: {scope!r} is not a subscription scope; choose organization, user or group."
        ]
    if not events:
        return [f"{FIELD}: choose at least one event to subscribe to."]
    problems: list[str] = []
    seen: set[str] = set()
    for event in events:
        info = EVENTS.get(event)
        if event in seen:
            problems.append(f"{FIELD}: {event} is listed more than once.")
            continue
        seen.add(event)
        if info is None:
            problems.append(f"{FIELD}: {event!r} is not an event Calendly can send.")
        elif scope not in info.scopes:
            problems.append(
                f"{FIELD}: “{info.label}” ({event}) can only be subscribed at "
                f"{_scope_words(info.scopes)} scope, not {SCOPE_LABELS[scope].lower()} scope."
            )
    if any(scope not in EVENTS[e].scopes for e in seen if e in EVENTS):
        allowed = events_for(scope)
        if any(e in allowed for e in seen):
            problems.append(
                f"{FIELD}: events of different scopes need separate subscriptions; "
                f"keep only events available at {SCOPE_LABELS[scope].lower()} scope."
            )
    return problems
