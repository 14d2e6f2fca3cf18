"""Calendly's wire conventions: timestamps, full URIs on the sandbox's own host."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from desktop.sandbox.errors import ApiError, invalid

_ID = re.compile(r"^[A-Za-z0-9_-]+$")

# InviteeTracking / submission tracking: all six keys always present, values nullable.
TRACKING_KEYS = (
    "utm_campaign",
    "utm_source",
    "utm_medium",
    "utm_content",
    "utm_term",
    "salesforce_uuid",
)


def tracking(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """All six tracking keys, ``null`` when unknown."""
    source = value or {}
    return {key: source.get(key) for key in TRACKING_KEYS}


def json_object(raw: bytes) -> dict[str, Any]:
    """A request body that must be a JSON object (empty means ``{}``); 400 naming ``body``."""
    try:
        value = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise invalid("body", "must be a valid JSON object") from None
    if not isinstance(value, dict):
        raise invalid("body", "must be a valid JSON object")
    return value


def iso(moment: datetime) -> str:
    """UTC with microseconds and ``Z``, as every Calendly timestamp (facts §1.5)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: str, parameter: str) -> datetime:
    """A query or body timestamp; naive values are taken as UTC; 400 names the parameter."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(parameter, "must be a valid ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_date(value: str, parameter: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(parameter, "must be a date in YYYY-MM-DD format") from None


class Uris:
    """Builds and reads full resource URIs on one base URL (e.g. ``http://127.0.0.1:8123``)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def of(self, collection: str, ident: str) -> str:
        return f"{self.base}/{collection}/{ident}"

    def user(self, ident: str) -> str:
        return self.of("users", ident)

    def organization(self, ident: str) -> str:
        return self.of("organizations", ident)

    def invitee(self, event_id: str, invitee_id: str) -> str:
        return f"{self.base}/scheduled_events/{event_id}/invitees/{invitee_id}"

    def invitation(self, org_id: str, ident: str) -> str:
        return f"{self.base}/organizations/{org_id}/invitations/{ident}"

    def optional(self, collection: str, ident: str | None) -> str | None:
        return None if ident is None else self.of(collection, ident)

    def parse(self, value: str, collection: str, parameter: str) -> str:
        """The id inside a full URI of ``collection``; 400 naming ``parameter`` otherwise.

        Calendly filters take full URIs (facts §1.2); a URI of the right shape on another
        host (``https://api.calendly.com/...``) is accepted too, so recorded requests replay.
        """
        prefix = f"/{collection}/"
        text = value.strip()
        at = text.find(prefix)
        if not text.startswith(("http://", "https://")) or at < 0:
            raise invalid(parameter, f"must be a valid {collection.rstrip('s')} URI")
        ident = text[at + len(prefix) :].rstrip("/")
        if not _ID.match(ident):
            raise invalid(parameter, f"must be a valid {collection.rstrip('s')} URI")
        return ident

    def parse_invitee(self, value: str, parameter: str) -> tuple[str, str]:
        text = value.strip()
        match = re.search(r"/scheduled_events/([A-Za-z0-9_-]+)/invitees/([A-Za-z0-9_-]+)/?$", text)
        if not text.startswith(("http://", "https://")) or not match:
            raise invalid(parameter, "must be a valid invitee URI")
        return match.group(1), match.group(2)


def path_id(value: str) -> str:
    """A path parameter id (S2 pattern ``^[A-Za-z0-9_-]+$``); 404 when malformed."""
    if not _ID.match(value):
        raise ApiError(
            404, "Resource Not Found", "The server could not find the requested resource."
        )
    return value
