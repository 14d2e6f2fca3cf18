"""``/scheduled_events``: list and get events, their invitees, and cancel an event.

Permission rules follow S2's description of List Events (facts §2.4):

* ``organization`` alone lists every event of the organization: owner/admin only.
* ``organization`` + ``user`` lists that member's events: owner/admin for anyone, a plain
  user only for themselves (it is their own data either way).
* ``user`` alone is allowed only for your own user and then spans every organization; for
  another member of your organization Calendly answers 403 "Please also specify
  organization ...".
* ``group`` needs ``organization`` too (S2's 403 message "Please also specify organization
  when requesting events for a group within your organization.") and an organization
  owner/admin or an admin of that group.
* no ``organization``, ``user`` or ``group`` at all: 400 naming ``organization``.

``min_start_time`` is inclusive and ``max_start_time`` exclusive (S2 says "after" and
"prior to"; half-open windows let consecutive windows tile without overlap or gaps).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.auth import Caller
from desktop.sandbox.endpoint import Call, collection, endpoint, resource
from desktop.sandbox.errors import ApiError, denied, gather, invalid, invalid_many, not_found
from desktop.sandbox.render import events as render
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

STATUSES = ("active", "canceled")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_REASON = 10000

NOT_IN_ORGANIZATION = "This user is not in your organization"
USER_NEEDS_ORGANIZATION = (
    "Please also specify organization when requesting events for a user within your organization."
)
GROUP_NEEDS_ORGANIZATION = (
    "Please also specify organization when requesting events for a group within your organization."
)
NO_PERMISSION = "You do not have permission"
CANNOT_VIEW = "You are not allowed to view this event"
CANNOT_CANCEL = "You are not allowed to cancel this event"
IN_THE_PAST = "Event in the past"
ALREADY_CANCELED = "Event is already canceled"

# Users who belong to a group: any relationship owned by their membership (a group admin's
# one relationship has role ``admin``; they belong to the group all the same).
_GROUP_MEMBERS = (
    "SELECT m.user FROM memberships m JOIN group_relationships g ON g.owner = m.id "
    "WHERE g.group_id = ? AND g.owner_type = 'membership'"
)


# -- permissions (shared with the no-show routes) -----------------------------------------------
def is_host(caller: Caller, event: Record) -> bool:
    return caller.user_id in (event.get("hosts") or [])


def is_group_admin_for(state: SandboxState, caller: Caller, event: Record) -> bool:
    """Whether the caller administers a group that one of the event's hosts belongs to."""
    hosts = list(event.get("hosts") or [])
    if not hosts:
        return False
    marks = ", ".join("?" for _ in hosts)
    sql = (
        "SELECT COUNT(*) FROM group_relationships a JOIN group_relationships b "
        "ON a.group_id = b.group_id JOIN memberships m ON b.owner = m.id "
        "WHERE a.owner = ? AND a.owner_type = 'membership' AND a.role = 'admin' "
        f"AND b.owner_type = 'membership' AND m.user IN ({marks})"
    )
    found = state.store.scalars(sql, (caller.membership["id"], *hosts))
    return bool(found and found[0])


def can_view(state: SandboxState, caller: Caller, event: Record) -> bool:
    """Hosts, the organization's owner/admins and admins of a host's group see an event."""
    if is_host(caller, event):
        return True
    if event["organization"] != caller.org_id:
        return False
    return caller.is_admin or is_group_admin_for(state, caller, event)


def can_manage(caller: Caller, event: Record) -> bool:
    """Hosts and the organization's owner/admins may cancel or mark no-shows."""
    if is_host(caller, event):
        return True
    return event["organization"] == caller.org_id and caller.is_admin


def viewable_event(call: Call, ident: str) -> Record:
    """The event ``ident`` if the caller may see it: 404 when unknown, 403 otherwise."""
    record = call.lookup("scheduled_events", ident)
    if not can_view(call.state, call.caller, record):
        raise denied(CANNOT_VIEW)
    return record


# -- cancellation (the webhook dispatcher hooks in here) ----------------------------------------
def cancel_event(
    state: SandboxState,
    event_record: Record,
    canceled_by: str,
    reason: str | None,
    canceler_type: str = "host",
) -> dict[str, Any]:
    """Cancel an event and its active invitees together; returns the wire Cancellation."""
    now = iso(state.clock.now())
    cancellation = {
        "canceled_by": canceled_by,
        "reason": reason,
        "canceler_type": canceler_type,
        "created_at": now,
    }
    store = state.store
    canceled: list[Record] = []
    with store.transaction():
        updated = dict(event_record)
        updated.update(status="canceled", cancellation=dict(cancellation), updated_at=now)
        store.update("scheduled_events", updated)
        for person in store.find(
            "invitees", "event = ? AND status = 'active'", (event_record["id"],)
        ):
            person.update(status="canceled", cancellation=dict(cancellation), updated_at=now)
            store.update("invitees", person)
            canceled.append(person)
    for person in canceled:
        state.bus.publish("invitee.canceled", event_record["organization"], person)
    return cancellation


# -- list ---------------------------------------------------------------------------------------
def _check_user(call: Call, user_id: str, organization: str | None) -> None:
    caller = call.caller
    if user_id == caller.user_id:
        return
    user = call.lookup("users", user_id)
    if user["organization"] != caller.org_id:
        raise denied(NOT_IN_ORGANIZATION)
    if organization is None:
        raise denied(USER_NEEDS_ORGANIZATION)
    if not caller.is_admin:
        raise denied(NO_PERMISSION)


def _check_group(call: Call, group_id: str, organization: str | None) -> None:
    caller = call.caller
    group = call.lookup("groups", group_id)
    if group["organization"] != caller.org_id:
        raise denied()
    if organization is None:
        raise denied(GROUP_NEEDS_ORGANIZATION)
    if caller.is_admin:
        return
    admin = call.state.store.count(
        "group_relationships",
        "group_id = ? AND owner = ? AND owner_type = 'membership' AND role = 'admin'",
        (group_id, caller.membership["id"]),
    )
    if not admin:
        raise denied(NO_PERMISSION)


def _filters(call: Call) -> tuple[str, list[Any]]:
    """The WHERE clause for the list's query parameters, after every permission check."""
    problems: list[dict[str, str]] = []

    def collect(read: Any) -> Any:
        return gather(problems, read)

    organization = collect(lambda: call.uri("organization", "organizations"))
    user = collect(lambda: call.uri("user", "users"))
    group = collect(lambda: call.uri("group", "groups"))
    status = collect(lambda: call.choice("status", STATUSES))
    email = call.text("invitee_email")
    if email is not None and not EMAIL.match(email.strip()):
        problems.append({"parameter": "invitee_email", "message": "must be a valid email"})
    low = collect(lambda: call.time("min_start_time"))
    high = collect(lambda: call.time("max_start_time"))
    if problems:
        raise invalid_many(problems)
    if organization is None and user is None and group is None:
        raise invalid("organization", "is required unless user or group is given")

    if organization is not None and organization != call.caller.org_id:
        raise denied()
    if user is not None:
        _check_user(call, user, organization)
    if group is not None:
        _check_group(call, group, organization)
    if organization is not None and user is None and group is None:
        call.caller.require_admin(NO_PERMISSION)

    clauses: list[str] = []
    params: list[Any] = []
    if organization is not None:
        clauses.append("organization = ?")
        params.append(organization)
    if user is not None:
        clauses.append("id IN (SELECT event FROM event_hosts WHERE user = ?)")
        params.append(user)
    if group is not None:
        clauses.append(f"id IN (SELECT event FROM event_hosts WHERE user IN ({_GROUP_MEMBERS}))")
        params.append(group)
    if email is not None:
        clauses.append("id IN (SELECT event FROM invitees WHERE email = ?)")
        params.append(email.strip().lower())
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    if low is not None:
        clauses.append("start_time >= ?")
        params.append(iso(low))
    if high is not None:
        clauses.append("start_time < ?")
        params.append(iso(high))
    return " AND ".join(clauses), params


@endpoint("scheduled_events:read")
def list_events(call: Call) -> Response:
    where, params = _filters(call)
    page = call.page(
        "scheduled_events", where, params, {"start_time": "start_time"}, "start_time:asc"
    )
    return collection([render.event(call.state, r) for r in page.records], page.pagination)


@endpoint("scheduled_events:read")
def get_event(call: Call) -> Response:
    record = viewable_event(call, call.path("uuid"))
    return resource(render.event(call.state, record))


# -- invitees -----------------------------------------------------------------------------------
@endpoint("scheduled_events:read")
def list_invitees(call: Call) -> Response:
    record = viewable_event(call, call.path("uuid"))
    problems: list[dict[str, str]] = []
    status = None
    try:
        status = call.choice("status", STATUSES)
    except ApiError as error:
        problems.extend(error.details or [])
    email = call.text("email")
    if email is not None and not EMAIL.match(email.strip()):
        problems.append({"parameter": "email", "message": "must be a valid email"})
    if problems:
        raise invalid_many(problems)
    clauses, params = ["event = ?"], [record["id"]]
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    if email is not None:
        clauses.append("email = ?")
        params.append(email.strip().lower())
    page = call.page(
        "invitees", " AND ".join(clauses), params, {"created_at": "created_at"}, "created_at:asc"
    )
    return collection([render.invitee(call.state, r) for r in page.records], page.pagination)


@endpoint("scheduled_events:read")
def get_invitee(call: Call) -> Response:
    event_id, invitee_id = call.path("event_uuid"), call.path("invitee_uuid")
    record = call.state.store.get("invitees", invitee_id)
    if record is None or record["event"] != event_id:
        raise not_found()
    event = call.lookup("scheduled_events", event_id)
    if not can_view(call.state, call.caller, event):
        raise denied(CANNOT_VIEW)
    return resource(render.invitee(call.state, record))


# -- cancellation -------------------------------------------------------------------------------
@endpoint("scheduled_events:write")
async def cancel(call: Call) -> Response:
    body = await call.body()
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise invalid("reason", "must be a string")
    if isinstance(reason, str) and len(reason) > MAX_REASON:
        raise invalid("reason", f"must be at most {MAX_REASON} characters")
    ident = call.path("uuid")
    state = call.state
    with state.store.transaction():  # check and cancel atomically
        record = state.store.get("scheduled_events", ident)
        if record is None:
            raise not_found()
        if not can_manage(call.caller, record):
            raise denied(CANNOT_CANCEL)
        if record["status"] == "canceled":
            raise denied(ALREADY_CANCELED)
        if record["end_time"] <= iso(state.clock.now()):
            raise denied(IN_THE_PAST)
        result = cancel_event(state, record, call.caller.user["name"], reason, "host")
    return resource(render.cancellation(result), status=201)


ROUTES = [
    Route("/scheduled_events", list_events, methods=["GET"]),
    Route("/scheduled_events/{uuid}", get_event, methods=["GET"]),
    Route("/scheduled_events/{uuid}/invitees", list_invitees, methods=["GET"]),
    Route("/scheduled_events/{event_uuid}/invitees/{invitee_uuid}", get_invitee, methods=["GET"]),
    Route("/scheduled_events/{uuid}/cancellation", cancel, methods=["POST"]),
]
