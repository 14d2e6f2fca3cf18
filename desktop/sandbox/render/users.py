"""Users and organizations on the wire (facts §3.1, §3.2)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record


def scheduling_url(state: SandboxState, user: Record) -> str:
    return f"{state.base_url}/{user['slug']}"


def user(state: SandboxState, record: Record) -> dict[str, Any]:
    return {
        "uri": state.uris.user(record["id"]),
        "name": record["name"],
        "slug": record["slug"],
        "email": record["email"],
        "scheduling_url": scheduling_url(state, record),
        "timezone": record["timezone"],
        "time_notation": record["time_notation"],
        "avatar_url": record["avatar_url"],
        "locale": record["locale"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "current_organization": state.uris.organization(record["organization"]),
        "resource_type": "User",
    }


def embedded_user(state: SandboxState, record: Record) -> dict[str, Any]:
    """The user embedded in a membership: S2 has no organization, resource_type or
    time_notation there."""
    full = user(state, record)
    return {
        key: full[key]
        for key in (
            "uri",
            "name",
            "slug",
            "email",
            "scheduling_url",
            "timezone",
            "avatar_url",
            "locale",
            "created_at",
            "updated_at",
        )
    }


def organization(state: SandboxState, record: Record) -> dict[str, Any]:
    return {
        "uri": state.uris.organization(record["id"]),
        "name": record["name"],
        "plan": record["plan"],
        "stage": record["stage"],
        "kind": record["kind"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }
