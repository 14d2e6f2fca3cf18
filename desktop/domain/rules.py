"""Calendly's documented limits and rules, as pure functions the UI and client check early."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from types import MappingProxyType

# --- pagination (facts §4) ---
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

# --- time windows (facts §2.3, §2.5, §9.1) ---
# The 2026 spec allows 31 days of available times per request (the 2023 one said 7).
AVAILABLE_TIMES_MAX_WINDOW = timedelta(days=31)
BUSY_TIMES_MAX_WINDOW = timedelta(days=7)

# --- bookings and event types (facts §2.3, §2.4) ---
MAX_EVENT_GUESTS = 10
MIN_DURATION_MINUTES = 1
MAX_DURATION_MINUTES = 720
MAX_DURATION_OPTIONS = 4
MAX_ONE_OFF_NAME_LENGTH = 55
MAX_CANCEL_REASON_LENGTH = 10_000
EVENT_TYPE_LOCALES = ("de", "en", "es", "fr", "it", "nl", "pt", "uk")
_COLOR = re.compile(r"^#[a-f\d]{6}$")

# --- organization roles ---
ADMIN_ROLES = frozenset({"admin", "owner"})

# --- webhooks (facts §6.1) ---
WEBHOOK_SCOPES = ("organization", "user", "group")
_ANY_SCOPE = frozenset(WEBHOOK_SCOPES)

# Each event: the subscription scopes it may be used with, and the read scope a token needs.
WEBHOOK_EVENTS: Mapping[str, tuple[frozenset[str], str]] = MappingProxyType(
    {
        "invitee.created": (_ANY_SCOPE, "scheduled_events:read"),
        "invitee.canceled": (_ANY_SCOPE, "scheduled_events:read"),
        "invitee_no_show.created": (_ANY_SCOPE, "scheduled_events:read"),
        "invitee_no_show.deleted": (_ANY_SCOPE, "scheduled_events:read"),
        "routing_form_submission.created": (frozenset({"organization"}), "routing_forms:read"),
        "meeting_recap.created": (frozenset({"user"}), "meeting_recaps:read"),
        "meeting_recap.updated": (frozenset({"user"}), "meeting_recaps:read"),
        "meeting_recap.deleted": (frozenset({"user"}), "meeting_recaps:read"),
        "contact.created": (_ANY_SCOPE, "contacts:read"),
        "contact.updated": (_ANY_SCOPE, "contacts:read"),
        "contact.deleted": (_ANY_SCOPE, "contacts:read"),
    }
)
# Delivered and sampled, but missing from the create body's enum in the 2026 spec (facts §9.3):
# a subscription asking for them is refused, so the UI does not offer them.
PAYLOAD_ONLY_EVENTS = ("event_type.created", "event_type.updated", "event_type.deleted")

# --- locations (facts §3.8, gotcha §9.8) ---
# An event type's location ``kind`` and the ``type`` the booked event's location then has.
_LOCATION_TYPE_FOR_KIND = MappingProxyType(
    {"zoom_conference": "zoom", "gotomeeting_conference": "gotomeeting"}
)


def webhook_events_for_scope(scope: str) -> tuple[str, ...]:
    """The events a subscription of ``scope`` may ask for, in Calendly's order."""
    return tuple(event for event, (scopes, _) in WEBHOOK_EVENTS.items() if scope in scopes)


def webhook_scope_allows(scope: str, event: str) -> bool:
    known = WEBHOOK_EVENTS.get(event)
    return known is not None and scope in known[0]


def disallowed_webhook_events(scope: str, events: Iterable[str]) -> tuple[str, ...]:
    """The ``events`` a ``scope`` subscription cannot have (unknown events included)."""
    return tuple(event for event in events if not webhook_scope_allows(scope, event))


def webhook_read_scopes(events: Iterable[str]) -> frozenset[str]:
    """The read scopes a token needs, besides ``webhooks:write``, to subscribe to ``events``."""
    return frozenset(WEBHOOK_EVENTS[e][1] for e in events if e in WEBHOOK_EVENTS)


def scope_grants(granted: Iterable[str], required: str) -> bool:
    """Whether the ``granted`` OAuth scopes cover ``required`` (``x:write`` implies ``x:read``)."""
    have = frozenset(granted)
    if required in have:
        return True
    resource, _, access = required.partition(":")
    return access == "read" and f"{resource}:write" in have


def missing_scopes(granted: Iterable[str], required: Iterable[str]) -> tuple[str, ...]:
    have = frozenset(granted)
    return tuple(scope for scope in required if not scope_grants(have, scope))


def is_admin_role(role: str) -> bool:
    """Admins and the owner see the whole organization and manage it."""
    return role in ADMIN_ROLES


def too_many_guests(guests: Iterable[str]) -> bool:
    """More guests than a booking may add (Calendly allows 10)."""
    return len(tuple(guests)) > MAX_EVENT_GUESTS


def valid_duration(minutes: float) -> bool:
    return MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES


def duration_options_problem(options: Iterable[int]) -> str | None:
    """Why ``options`` are not acceptable duration options, or ``None`` if they are."""
    values = tuple(options)
    if len(values) > MAX_DURATION_OPTIONS:
        return f"at most {MAX_DURATION_OPTIONS} durations"
    if len(set(values)) != len(values):
        return "durations must be different"
    if not all(valid_duration(value) for value in values):
        return f"each duration must be {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES} minutes"
    return None


def valid_color(color: str) -> bool:
    """An event type colour: ``#`` and six lower-case hex digits."""
    return _COLOR.fullmatch(color) is not None


def location_type_for_kind(kind: str) -> str:
    """The event ``location.type`` a location ``kind`` yields (``zoom_conference``: ``zoom``)."""
    return _LOCATION_TYPE_FOR_KIND.get(kind, kind)


def window_fits(start_to_end: timedelta, limit: timedelta) -> bool:
    """Whether a query window is positive and within Calendly's limit for it."""
    return timedelta(0) < start_to_end <= limit
