"""Event types and their host memberships on the wire (facts §3.6)."""

from __future__ import annotations

import re
from typing import Any

from desktop.sandbox.render import users as render_users
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record

LOCATION_KEYS = ("kind", "location", "additional_info", "phone_number")

UserCache = dict[str, Record | None]


def slugify(text: str) -> str:
    """``"Intro Call (30 min)"`` -> ``"intro-call-30-min"``; never empty."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "event"


def _user(state: SandboxState, ident: str | None, cache: UserCache | None) -> Record | None:
    if ident is None:
        return None
    if cache is not None and ident in cache:
        return cache[ident]
    found = state.store.get("users", ident)
    if cache is not None:
        cache[ident] = found
    return found


def scheduling_url(state: SandboxState, record: Record, cache: UserCache | None = None) -> str:
    """``<base>/<owner slug>/<slug>``; team types ``<base>/team/<team slug>/<slug>``."""
    slug = record.get("slug") or record["id"]
    if record.get("profile_type") == "Team" or record.get("owner") is None:
        team = slugify(str(record.get("profile_name") or "team"))
        return f"{state.base_url}/team/{team}/{slug}"
    owner = _user(state, record["owner"], cache)
    owner_slug = owner["slug"] if owner is not None else record["owner"]
    return f"{state.base_url}/{owner_slug}/{slug}"


def profile(state: SandboxState, record: Record) -> dict[str, Any] | None:
    """``{type, name, owner}``: a user's URI, or for a team its organization's (no team ids)."""
    kind = record.get("profile_type")
    if kind is None:
        return None
    if kind == "Team" or record.get("owner") is None:
        team = record.get("team")
        owner = (
            state.uris.of("teams", team)
            if team
            else state.uris.organization(record["organization"])
        )
    else:
        owner = state.uris.user(record["owner"])
    return {"type": kind, "name": record.get("profile_name") or "", "owner": owner}


def locations(value: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """LocationConfiguration items carry only their string fields (none of them nullable)."""
    if value is None:
        return None
    return [{k: item[k] for k in LOCATION_KEYS if item.get(k) is not None} for item in value]


def event_type(
    state: SandboxState, record: Record, cache: UserCache | None = None
) -> dict[str, Any]:
    return {
        "uri": state.uris.of("event_types", record["id"]),
        "name": record.get("name"),
        "active": bool(record["active"]),
        "booking_method": record.get("booking_method", "instant"),
        "slug": record.get("slug"),
        "scheduling_url": scheduling_url(state, record, cache),
        "duration": record["duration"],
        "duration_options": record.get("duration_options"),
        "kind": record.get("kind", "solo"),
        "pooling_type": record.get("pooling_type"),
        "type": record.get("type", "StandardEventType"),
        "color": record.get("color", "#8247f5"),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "deleted_at": record.get("deleted_at"),
        "internal_note": record.get("internal_note"),
        "description_plain": record.get("description_plain"),
        "description_html": record.get("description_html"),
        "profile": profile(state, record),
        "secret": bool(record.get("secret", False)),
        "custom_questions": list(record.get("custom_questions") or []),
        "admin_managed": bool(record.get("admin_managed", False)),
        "is_paid": bool(record.get("is_paid", False)),
        "locale": record.get("locale", "en"),
        "locations": locations(record.get("locations")),
        "position": int(record.get("position", 0)),
    }


def membership(
    state: SandboxState,
    host: Record,
    event_type_record: Record,
    cache: UserCache | None = None,
) -> dict[str, Any]:
    """One host of an event type (EventTypeMembership): the event type and the member."""
    body: dict[str, Any] = {
        "uri": state.uris.of("event_type_memberships", host["id"]),
        "event_type": event_type(state, event_type_record, cache),
    }
    member = _user(state, host["user"], cache)
    if member is not None:  # ``member`` is a non-nullable User: absent rather than null
        body["member"] = render_users.user(state, member)
    body["created_at"] = host["created_at"]
    body["updated_at"] = host.get("updated_at", host["created_at"])
    return body
