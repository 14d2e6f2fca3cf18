"""``/organization_memberships``: list, get and remove members of the caller's organization."""

from __future__ import annotations

import re
from typing import TypeVar

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.activity import record_activity
from desktop.sandbox.endpoint import Call, collection, endpoint, no_content, resource
from desktop.sandbox.errors import denied, detail, gather, invalid_many
from desktop.sandbox.render import org as render
from desktop.sandbox.store import Record

ROLES = ("owner", "admin", "user")
NOT_IN_ORGANIZATION = "This user is not in your organization"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

T = TypeVar("T")


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


@endpoint("organizations:read")
def list_memberships(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    org_id = gather(problems, lambda: call.uri("organization", "organizations"))
    user_id = gather(problems, lambda: call.uri("user", "users"))
    role = gather(problems, lambda: call.choice("role", ROLES))
    email = call.text("email")
    if email is not None and not valid_email(email.strip()):
        problems.append(detail("email", "must be a valid email address"))
    if org_id is None and user_id is None and not problems:
        problems.extend(
            [
                detail("organization", "is required when user is not given"),
                detail("user", "is required when organization is not given"),
            ]
        )
    if problems:
        raise invalid_many(problems)
    if org_id is not None:
        call.caller.require_org(org_id)
    where = ["organization = ?"]
    params: list[str] = [call.caller.org_id]
    if user_id is not None:
        held = call.state.store.find_one(
            "memberships", "user = ? AND organization = ?", (user_id, call.caller.org_id)
        )
        if held is None:
            raise denied(NOT_IN_ORGANIZATION)
        where.append("user = ?")
        params.append(user_id)
    if role is not None:
        where.append("role = ?")
        params.append(role)
    if email is not None:
        where.append("email = ?")
        params.append(email.strip().lower())
    page = call.page(
        "memberships", " AND ".join(where), params, {"created_at": "created_at"}, "created_at:asc"
    )
    return collection(render.memberships(call.state, page.records), page.pagination)


def _membership(call: Call) -> Record:
    record = call.found("memberships")
    return record


@endpoint("organizations:read")
def get_membership(call: Call) -> Response:
    record = _membership(call)
    if record["organization"] != call.caller.org_id:
        raise denied(NOT_IN_ORGANIZATION)
    user = call.lookup("users", record["user"])
    return resource(render.membership(call.state, record, user))


@endpoint("organizations:write")
def delete_membership(call: Call) -> Response:
    """Remove a member (S1's documented 403 messages); their access ends with it."""
    record = _membership(call)
    if record["organization"] != call.caller.org_id:
        raise denied("You cannot modify members from another organization")
    if not call.caller.is_admin:
        raise denied("You do not have permission to perform this action")
    if record["role"] == "owner":
        raise denied("You can not change owner role")
    if record["id"] == call.caller.membership["id"]:
        raise denied("You can not remove yourself from organization")
    remove_member(call, record)
    return no_content()


def remove_member(call: Call, record: Record) -> None:
    """Drop the membership, its group relationships and the user's own webhooks.

    Their tokens stop working because authentication needs a membership; organization
    webhooks they created survive (facts §6.4).
    """
    store = call.state.store
    with store.transaction():
        details = {"email": record["email"], "role": record["role"]}
        record_activity(call.state, call.caller, "User", "Remove", details)
        store.delete("memberships", record["id"])
        store.delete_where(
            "group_relationships", "owner_type = 'membership' AND owner = ?", (record["id"],)
        )
        store.delete_where(
            "webhooks",
            "scope = 'user' AND user = ? AND organization = ?",
            (record["user"], record["organization"]),
        )


ROUTES: list[BaseRoute] = [
    Route("/organization_memberships", list_memberships, methods=["GET"]),
    Route("/organization_memberships/{uuid}", get_membership, methods=["GET"]),
    Route("/organization_memberships/{uuid}", delete_membership, methods=["DELETE"]),
]
