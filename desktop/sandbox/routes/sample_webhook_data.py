"""``GET /sample_webhook_data``: a bare WebhookPayload built from the organization's own records.

Parameters as Calendly's (facts §2.8): ``event``, ``organization`` and ``scope`` required;
``user`` with user scope, ``group`` with group scope. Who may ask follows the subscription
listing: the organization's members only; admins for organization and group scope, a user
for their own user scope. An event outside its scopes (``routing_form_submission.created``
is organization-only, ``meeting_recap.*`` user-only: facts §6.1) is a 400 naming ``scope``.
An organization with nothing to sample from (no invitees, say) is a 404.
"""

from __future__ import annotations

from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.delivery import payloads, samples
from desktop.sandbox.endpoint import Call, endpoint
from desktop.sandbox.errors import detail, gather, invalid_many, not_found
from desktop.sandbox.routes.webhooks import EVENTS as SUBSCRIBABLE
from desktop.sandbox.routes.webhooks import SCOPES, authorize_owner, scope_owner
from desktop.sandbox.wire import iso

NOTHING_TO_SAMPLE = "The organization has no records to build this sample from."


def allowed_scopes(event: str) -> tuple[str, ...]:
    """The subscription scopes ``event`` exists for (``event_type.*``: every scope)."""
    known = SUBSCRIBABLE.get(event)
    return SCOPES if known is None else known[0]


@endpoint("webhooks:read")
def sample_webhook_data(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    event = gather(problems, lambda: call.choice("event", samples.EVENTS, required=True))
    org, scope, user, group = scope_owner(call, problems)
    if event is not None and scope is not None and scope not in allowed_scopes(event):
        allowed = " or ".join(allowed_scopes(event))
        problems.append(detail("scope", f"{event} is only available for {allowed} scope"))
    if problems:
        raise invalid_many(problems)
    assert event is not None and org is not None and scope is not None
    call.caller.require_org(org)
    authorize_owner(call, scope, user, group)
    state = call.state
    body = samples.sample(state, event, samples.Scope(org, user, group))
    if body is None:
        raise not_found(NOTHING_TO_SAMPLE)
    sample = payloads.envelope(
        event, iso(state.clock.now()), state.uris.user(call.caller.user_id), body
    )
    return JSONResponse(sample)


ROUTES: list[BaseRoute] = [
    Route("/sample_webhook_data", sample_webhook_data, methods=["GET"]),
]
