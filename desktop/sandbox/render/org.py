"""Memberships, invitations, groups and group relationships on the wire (facts §3.3–3.5)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desktop.sandbox.render.users import embedded_user
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record


def membership_uri(state: SandboxState, ident: str) -> str:
    return state.uris.of("organization_memberships", ident)


def membership(state: SandboxState, record: Record, user: Record) -> dict[str, Any]:
    """An OrganizationMembership with its user embedded."""
    return {
        "uri": membership_uri(state, record["id"]),
        "role": record["role"],
        "user": embedded_user(state, user),
        "organization": state.uris.organization(record["organization"]),
        "updated_at": record["updated_at"],
        "created_at": record["created_at"],
    }


def users_by_id(state: SandboxState, ids: Iterable[str]) -> dict[str, Record]:
    """The user records for ``ids`` in one query (lists embed one user per membership)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    found = state.store.find("users", f"id IN ({marks})", wanted)
    return {user["id"]: user for user in found}


def memberships(state: SandboxState, records: list[Record]) -> list[dict[str, Any]]:
    users = users_by_id(state, (record["user"] for record in records))
    return [
        membership(state, record, users[record["user"]])
        for record in records
        if record["user"] in users
    ]


def invitation(state: SandboxState, record: Record) -> dict[str, Any]:
    """An OrganizationInvitation; ``user`` appears only once accepted (it is not nullable)."""
    body: dict[str, Any] = {
        "uri": state.uris.invitation(record["organization"], record["id"]),
        "organization": state.uris.organization(record["organization"]),
        "email": record["email"],
        "status": record["status"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "last_sent_at": record.get("last_sent_at"),
    }
    if record.get("user"):
        body["user"] = state.uris.user(record["user"])
    return body


def group(state: SandboxState, record: Record, member_count: int) -> dict[str, Any]:
    return {
        "uri": state.uris.of("groups", record["id"]),
        "name": record["name"],
        "organization": state.uris.organization(record["organization"]),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "member_count": member_count,
    }


def member_counts(state: SandboxState, group_ids: Iterable[str]) -> dict[str, int]:
    """Members per group: relationships with role ``member`` held by a membership."""
    wanted = sorted(set(group_ids))
    counts = dict.fromkeys(wanted, 0)
    if not wanted:
        return counts
    marks = ", ".join("?" for _ in wanted)
    rows = state.store.scalars(
        "SELECT group_id FROM group_relationships "
        f"WHERE role = 'member' AND owner_type = 'membership' AND group_id IN ({marks})",
        wanted,
    )
    for group_id in rows:
        counts[group_id] += 1
    return counts


def groups(state: SandboxState, records: list[Record]) -> list[dict[str, Any]]:
    counts = member_counts(state, (record["id"] for record in records))
    return [group(state, record, counts[record["id"]]) for record in records]


def owner(state: SandboxState, relationship: Record) -> dict[str, Any] | None:
    """The relationship's owner: a membership or an invitation object with its ``type``."""
    if relationship["owner_type"] == "invitation":
        found = state.store.get("invitations", relationship["owner"])
        if found is None:
            return None
        return {**invitation(state, found), "type": "OrganizationInvitation"}
    held = state.store.get("memberships", relationship["owner"])
    if held is None:
        return None
    user = state.store.get("users", held["user"])
    if user is None:
        return None
    return {**membership(state, held, user), "type": "OrganizationMembership"}


def group_relationship(
    state: SandboxState, record: Record, owner_object: dict[str, Any]
) -> dict[str, Any]:
    return {
        "uri": state.uris.of("group_relationships", record["id"]),
        "role": record["role"],
        "owner": owner_object,
        "organization": state.uris.organization(record["organization"]),
        "group": state.uris.of("groups", record["group_id"]),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }


def group_relationships(state: SandboxState, records: list[Record]) -> list[dict[str, Any]]:
    rendered = []
    for record in records:
        owner_object = owner(state, record)
        if owner_object is not None:  # owners are removed together with their relationships
            rendered.append(group_relationship(state, record, owner_object))
    return rendered
