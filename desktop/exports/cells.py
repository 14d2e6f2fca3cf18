"""How record fields become export text: times, yes/no, numbers, location kinds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from desktop.domain import Location, LocationConfiguration

# Event ``location.type`` and event type ``locations[].kind`` values, as people call them.
LOCATION_LABELS = {
    "physical": "In person",
    "outbound_call": "Phone call (host calls)",
    "inbound_call": "Phone call (invitee calls)",
    "google_conference": "Google Meet",
    "zoom": "Zoom",
    "zoom_conference": "Zoom",
    "gotomeeting": "GoTo Meeting",
    "gotomeeting_conference": "GoTo Meeting",
    "microsoft_teams_conference": "Microsoft Teams",
    "webex_conference": "Webex",
    "custom": "Custom",
    "ask_invitee": "Invitee's choice",
}

LIST_SEPARATOR = "; "


def utc_iso(moment: datetime | None) -> str:
    """ISO 8601 in UTC to the second, ``2026-07-29T17:00:00Z``; empty for none."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def zoned_iso(moment: datetime | None, zone: tzinfo) -> str:
    """ISO 8601 in ``zone`` with its offset, ``2026-07-29T13:00:00-04:00``; empty for none."""
    if moment is None:
        return ""
    return moment.astimezone(zone).isoformat(timespec="seconds")


def zone_label(zone: tzinfo) -> str:
    """The zone's IANA name when it has one (``ZoneInfo.key``), else its abbreviation."""
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return key
    return zone.tzname(None) or "local"


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def number(value: float | None) -> str:
    """A count or duration: ``30``, not ``30.0``."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def joined(parts: Iterable[str | None]) -> str:
    """Non-empty parts separated by ``; `` (one cell holding a list)."""
    return LIST_SEPARATOR.join(part for part in parts if part)


def location_label(kind: str) -> str:
    """``zoom`` -> ``Zoom``; an unknown kind reads as its words."""
    return LOCATION_LABELS.get(kind, kind.replace("_", " ").capitalize())


def location_kind(location: Location | None) -> str:
    return location_label(location.type) if location is not None else ""


def location_place(location: Location | None) -> str:
    """The address, phone number or free text of an event's location (not its join link)."""
    if location is None:
        return ""
    return location.location or ""


def location_configuration(config: LocationConfiguration) -> str:
    """An event type's offered location: ``In person: 1 Main St`` or just ``Zoom``."""
    label = location_label(config.kind)
    detail = config.location or config.phone_number
    return f"{label}: {detail}" if detail else label
