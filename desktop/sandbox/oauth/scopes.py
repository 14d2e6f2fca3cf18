"""Scope strings: parsing, validation against Calendly's catalogue and plain descriptions."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.sandbox.auth import SCOPES

# What the consent page says each scope lets the application do (facts §7.6).
DESCRIPTIONS: dict[str, str] = {
    "users:read": "see your user profile",
    "organizations:read": "see your organization, its members and invitations",
    "organizations:write": "invite and remove members of your organization",
    "groups:read": "see your organization's groups",
    "event_types:read": "see event types",
    "event_types:write": "create and change event types",
    "availability:read": "see availability schedules and busy times",
    "availability:write": "change availability schedules",
    "locations:read": "see meeting locations",
    "scheduled_events:read": "see scheduled events and their invitees",
    "scheduled_events:write": "book, cancel and mark no-shows on scheduled events",
    "scheduling_links:write": "create single-use scheduling links",
    "shares:write": "create shares of event types",
    "routing_forms:read": "see routing forms and their submissions",
    "webhooks:read": "see webhook subscriptions",
    "webhooks:write": "create and delete webhook subscriptions",
    "activity_log:read": "see the activity log",
    "data_compliance:write": "delete invitee and event data",
    "outgoing_communications:read": "see outgoing e-mails and texts",
    "contacts:read": "see contacts",
    "contacts:write": "create and change contacts",
    "meeting_recaps:read": "see meeting recaps",
    "meeting_recaps:write": "create and change meeting recaps",
}


def unknown(scopes: Iterable[str]) -> list[str]:
    """The scopes that are not in Calendly's catalogue, in the order given, once each."""
    return [s for s in dict.fromkeys(scopes) if s not in SCOPES]


def split(text: str) -> list[str]:
    """A space-separated ``scope`` parameter as a list (RFC 6749 §3.3), duplicates dropped."""
    return list(dict.fromkeys(text.split()))


def ordered(scopes: Iterable[str]) -> list[str]:
    """Known scopes in catalogue order, each once."""
    chosen = set(scopes)
    return [s for s in SCOPES if s in chosen]


def parse_cli(text: str) -> list[str]:
    """``--scopes "a b c"`` (commas allowed too); ValueError naming each unknown scope."""
    values = split(text.replace(",", " "))
    bad = unknown(values)
    if bad:
        raise ValueError(
            f"unknown scope{'s' if len(bad) > 1 else ''}: {', '.join(bad)} "
            f"(known: {' '.join(SCOPES)})"
        )
    return ordered(values)


def describe(scope: str) -> str:
    return DESCRIPTIONS.get(scope, scope)
