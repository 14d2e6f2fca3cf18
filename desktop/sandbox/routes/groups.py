"""``/groups`` and ``/group_relationships`` of the caller's organization (read-only)."""

from __future__ import annotations

import re

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.endpoint import Call, collection, endpoint, resource
from desktop.sandbox.errors import denied, gather, invalid, invalid_many, not_found
from desktop.sandbox.render import org as render
from desktop.sandbox.store import Record

_MEMBERSHIP = re.compile(r"/organization_memberships/([A-Za-z0-9_-]+)/?$")
_INVITATION = re.compile(r"/organizations/([A-Za-z0-9_-]+)/invitations/([A-Za-z0-9_-]+)/?$")


@endpoint("groups:read")
def list_groups(call: Call) -> Response:
    org_id = call.uri("organization", "organizations", required=True)
    assert org_id is not None
    call.caller.require_org(org_id)
    page = call.page(
        "groups", "organization = ?", [org_id], {"created_at": "created_at"}, "created_at:asc"
    )
    return collection(render.groups(call.state, page.records), page.pagination)


@endpoint("groups:read")
def get_group(call: Call) -> Response:
    record = call.found("groups")
    call.caller.require_org(record["organization"])
    return resource(render.groups(call.state, [record])[0])


def parse_owner(value: str) -> tuple[str, str, str]:
    """``(owner_type, id, organization id or "")`` of a membership or invitation URI."""
    text = value.strip()
    if text.startswith(("http://", "https://")):
        membership = _MEMBERSHIP.search(text)
        if membership:
            return "membership", membership.group(1), ""
        invitation = _INVITATION.search(text)
        if invitation:
            return "invitation", invitation.group(2), invitation.group(1)
    raise invalid("owner", "must be a valid organization membership or organization invitation URI")


def _owner_filter(call: Call, owner_type: str, ident: str, org_hint: str) -> None:
    """403 when the owner belongs to another organization; unknown owners match nothing."""
    if owner_type == "invitation" and org_hint and org_hint != call.caller.org_id:
        raise denied()
    table = "memberships" if owner_type == "membership" else "invitations"
    found = call.state.store.get(table, ident)
    if found is not None and found["organization"] != call.caller.org_id:
        raise denied()


@endpoint("groups:read")
def list_relationships(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    org_id = gather(problems, lambda: call.uri("organization", "organizations"))
    group_id = gather(problems, lambda: call.uri("group", "groups"))
    raw_owner = call.text("owner")
    owner = None if raw_owner is None else gather(problems, lambda: parse_owner(raw_owner))
    if problems:
        raise invalid_many(problems)
    if org_id is not None:
        call.caller.require_org(org_id)
    where = ["organization = ?"]
    params = [call.caller.org_id]
    if group_id is not None:
        group = call.state.store.get("groups", group_id)
        if group is not None and group["organization"] != call.caller.org_id:
            raise denied()
        where.append("group_id = ?")
        params.append(group_id)
    if owner is not None:
        owner_type, ident, org_hint = owner
        _owner_filter(call, owner_type, ident, org_hint)
        where.append("owner_type = ? AND owner = ?")
        params.extend([owner_type, ident])
    page = call.page(
        "group_relationships",
        " AND ".join(where),
        params,
        {"created_at": "created_at"},
        "created_at:asc",
    )
    return collection(render.group_relationships(call.state, page.records), page.pagination)


def _relationship(call: Call) -> Record:
    record = call.found("group_relationships")
    call.caller.require_org(record["organization"])
    return record


@endpoint("groups:read")
def get_relationship(call: Call) -> Response:
    record = _relationship(call)
    owner = render.owner(call.state, record)
    if owner is None:
        raise not_found()
    return resource(render.group_relationship(call.state, record, owner))


ROUTES: list[BaseRoute] = [
    Route("/groups", list_groups, methods=["GET"]),
    Route("/groups/{uuid}", get_group, methods=["GET"]),
    Route("/group_relationships", list_relationships, methods=["GET"]),
    Route("/group_relationships/{uuid}", get_relationship, methods=["GET"]),
]
