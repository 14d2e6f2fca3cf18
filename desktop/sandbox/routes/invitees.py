"""``POST /invitees``: the Scheduling API ("Create Event Invitee", facts §2.4, §5.3).

What is checked, in order:

1. the token and its ``scheduled_events:write`` scope (401 / 403 Insufficient scope);
2. the plan: 403 "The Scheduling API is only available on paid Calendly plans..." for a free
   organization or one on a plan below Standard (``basic``, ``essentials``); a trial may book
   (5 a day, facts §5.3);
3. the endpoint's own limits (``scheduling_quota``): 429 with ``X-RateLimit-*``;
4. the request's shape: one 400 "Invalid Argument" naming every bad field by its path
   (``invitee.email``, ``questions_and_answers[1].answer``, ``tracking.utm_source``...);
5. the event type: unknown or deleted 404, another organization's 403;
6. the booking against the event type: active and not a poll (400 naming ``event_type``),
   location kind offered (and none for round robin), custom questions answered, and
   ``start_time`` one of its open slots right now. The status for a start that is not (or no
   longer) open is undocumented (facts §9.9); the sandbox answers 400 naming ``start_time``.

Any member may book any event type of their organization (secret ones too: secret only hides
a type from the landing page), as a booking page would let them; the invitee records the
caller in ``invitee_scheduled_by``.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox import booking_request, scheduling_quota
from desktop.sandbox.endpoint import Call, endpoint, resource
from desktop.sandbox.errors import Problems, denied, detail, gather, invalid_many, not_found
from desktop.sandbox.render import events as render
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record

PAID_ONLY = (
    "The Scheduling API is only available on paid Calendly plans. "
    "Upgrade your plan to access this feature."
)
# Below Standard: no Scheduling API (S2: "paid plans (Standard and above)").
PLANS_WITHOUT_SCHEDULING = ("basic", "essentials")


def _plan_allows(organization: Record | None) -> bool:
    return (
        organization is not None
        and organization.get("stage") in ("paid", "trial")
        and organization.get("plan") not in PLANS_WITHOUT_SCHEDULING
    )


def _reference(state: SandboxState, problems: Problems, body: dict[str, Any]) -> str | None:
    value = body.get("event_type")
    if value is None or value == "":
        problems.append(detail("event_type", "is required"))
        return None
    if not isinstance(value, str):
        problems.append(detail("event_type", "must be a valid event type URI"))
        return None
    return gather(problems, lambda: state.uris.parse(value, "event_types", "event_type"))


@endpoint("scheduled_events:write")
async def create_invitee(call: Call) -> Response:
    state, caller = call.state, call.caller
    organization = state.store.get("organizations", caller.org_id)
    if not _plan_allows(organization):
        raise denied(PAID_ONLY)
    assert organization is not None
    scheduling_quota.charge(state, caller.user_id, organization)

    body = await call.body()
    problems: Problems = []
    ident = _reference(state, problems, body)
    start = booking_request.read_start(state, problems, body.get("start_time"))
    request = booking_request.read(
        problems,
        invitee=body.get("invitee"),
        location=body.get("location"),
        answers=body.get("questions_and_answers"),
        tracking=body.get("tracking"),
        guests=body.get("event_guests"),
    )
    if problems:
        raise invalid_many(problems)
    assert ident is not None and start is not None and request is not None

    event_type = state.store.get("event_types", ident)
    if event_type is None or event_type.get("deleted_at") is not None:
        raise not_found()
    caller.require_org(event_type["organization"])
    problems, request = booking_request.check(state, event_type, start, request)
    if problems:
        raise invalid_many(problems)

    _, record = booking_request.book(state, event_type, start, request, caller.user_id, "api")
    return resource(render.invitee(state, record), status=201)


ROUTES = [Route("/invitees", create_invitee, methods=["POST"])]
