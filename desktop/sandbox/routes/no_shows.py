"""``/invitee_no_shows``: mark an invitee as a no-show, read the mark, undo it.

S2 documents no 409 for Create Invitee No Show, and says nothing about timing. The sandbox
answers 400 Invalid Argument naming ``invitee`` when the invitee is already marked, is
canceled, or their event has not started yet (Calendly's app offers "Mark as no-show" only
once a meeting has begun). An unknown invitee is 404; an invitee of another organization is
403. Viewing a mark follows the event's view rules; creating and deleting one needs a host
of the event or an organization owner/admin (403 "You do not have permission").
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, endpoint, no_content, require_fields, resource
from desktop.sandbox.errors import denied, invalid, not_found
from desktop.sandbox.render import events as render
from desktop.sandbox.routes.scheduled_events import NO_PERMISSION, can_manage, can_view
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso


# -- plain functions (the webhook dispatcher hooks in here) -------------------------------------
def mark_no_show(state: SandboxState, invitee: Record) -> Record:
    """Store a no-show for ``invitee`` and point the invitee at it; returns the record."""
    now = iso(state.clock.now())
    record = {"id": state.new_uuid(), "invitee": invitee["id"], "created_at": now}
    with state.store.transaction():
        state.store.insert("no_shows", record)
        state.store.update("invitees", {**invitee, "no_show": record["id"], "updated_at": now})
    state.bus.publish("invitee_no_show.created", _organization(state, invitee), record)
    return record


def unmark_no_show(state: SandboxState, record: Record, invitee: Record) -> None:
    """Delete the no-show ``record`` and clear it from its invitee."""
    with state.store.transaction():
        state.store.delete("no_shows", record["id"])
        if invitee.get("no_show") == record["id"]:
            now = iso(state.clock.now())
            state.store.update("invitees", {**invitee, "no_show": None, "updated_at": now})
    state.bus.publish("invitee_no_show.deleted", _organization(state, invitee), record)


def _organization(state: SandboxState, invitee: Record) -> str:
    event = state.store.get("scheduled_events", invitee["event"])
    return "" if event is None else str(event["organization"])


def _event_of(call: Call, invitee: Record) -> Record:
    event = call.lookup("scheduled_events", invitee["event"])
    return event


@endpoint("scheduled_events:write")
async def create_no_show(call: Call) -> Response:
    body = await call.body()
    require_fields(body, ["invitee"])
    value = body["invitee"]
    if not isinstance(value, str):
        raise invalid("invitee", "must be a valid invitee URI")
    event_id, invitee_id = call.state.uris.parse_invitee(value, "invitee")
    state = call.state
    store = state.store
    with store.transaction():
        invitee = store.get("invitees", invitee_id)
        if invitee is None or invitee["event"] != event_id:
            raise not_found()
        event = _event_of(call, invitee)
        if not can_view(state, call.caller, event):
            raise denied()
        if not can_manage(call.caller, event):
            raise denied(NO_PERMISSION)
        now = iso(state.clock.now())
        if invitee.get("no_show") is not None:
            raise invalid("invitee", "is already marked as a no-show")
        if invitee["status"] != "active":
            raise invalid("invitee", "is canceled and cannot be marked as a no-show")
        if event["start_time"] > now:
            raise invalid("invitee", "cannot be marked as a no-show before the event starts")
        record = mark_no_show(state, invitee)
    return resource(render.no_show(state, record), status=201)


def _no_show(call: Call) -> tuple[Record, Record, Record]:
    """The no-show ``uuid`` with its invitee and event (404 when any is gone)."""
    store = call.state.store
    record = store.get("no_shows", call.path("uuid"))
    if record is None:
        raise not_found()
    invitee = store.get("invitees", record["invitee"])
    if invitee is None:
        raise not_found()
    return record, invitee, _event_of(call, invitee)


@endpoint("scheduled_events:read")
def get_no_show(call: Call) -> Response:
    record, _, event = _no_show(call)
    if not can_view(call.state, call.caller, event):
        raise denied()
    return resource(render.no_show(call.state, record))


@endpoint("scheduled_events:write")
def delete_no_show(call: Call) -> Response:
    store = call.state.store
    with store.transaction():
        record, invitee, event = _no_show(call)
        if not can_view(call.state, call.caller, event):
            raise denied()
        if not can_manage(call.caller, event):
            raise denied(NO_PERMISSION)
        unmark_no_show(call.state, record, invitee)
    return no_content()


ROUTES = [
    Route("/invitee_no_shows", create_no_show, methods=["POST"]),
    Route("/invitee_no_shows/{uuid}", get_no_show, methods=["GET"]),
    Route("/invitee_no_shows/{uuid}", delete_no_show, methods=["DELETE"]),
]
