"""Reschedule an invitee on the sandbox: ``POST /_sandbox/reschedulings``.

Calendly's API cannot reschedule (invitees do it on the booking page behind
``reschedule_url``); this control route stands in for that page so that tests and the app
can produce the documented canceled + created pair and its webhooks. Body:
``{invitee: <invitee URI>, start_time: <ISO 8601>, reason?: <string>}``; answer 201
``{old_invitee, new_invitee}``, both in the API's Invitee wire form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox import booking_request
from desktop.sandbox.errors import Problems, detail, gather, invalid_many, not_found
from desktop.sandbox.render import events as render
from desktop.sandbox.rescheduling import reschedule
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import json_object

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer

MAX_REASON = 10000  # as for a cancellation's reason


def _invitee(state: SandboxState, problems: Problems, value: Any) -> tuple[str, str] | None:
    if value is None or value == "":
        problems.append(detail("invitee", "is required"))
        return None
    if not isinstance(value, str):
        problems.append(detail("invitee", "must be a valid invitee URI"))
        return None
    found: tuple[str, str] | None = gather(
        problems, lambda: state.uris.parse_invitee(value, "invitee")
    )
    return found


def _reason(problems: Problems, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(detail("reason", "must be a string"))
        return None
    if len(value) > MAX_REASON:
        problems.append(detail("reason", f"must be at most {MAX_REASON} characters"))
        return None
    return value


def _stored_invitee(state: SandboxState, event_id: str, invitee_id: str) -> Record:
    record = state.store.get("invitees", invitee_id)
    if record is None or record["event"] != event_id:
        raise not_found()
    return record


def routes(server: SandboxServer) -> list[BaseRoute]:
    state = server.state

    async def create(request: Request) -> Response:
        body = json_object(await request.body())
        problems: Problems = []
        ids = _invitee(state, problems, body.get("invitee"))
        start = booking_request.read_time(problems, body.get("start_time"))
        reason = _reason(problems, body.get("reason"))
        if problems:
            raise invalid_many(problems)
        assert ids is not None and start is not None
        record = _stored_invitee(state, *ids)
        old, new = reschedule(state, record, start, reason)
        return JSONResponse(
            {
                "old_invitee": render.invitee(state, old),
                "new_invitee": render.invitee(state, new),
            },
            status_code=201,
        )

    return [Route("/_sandbox/reschedulings", create, methods=["POST"])]
