"""``/users/me``, ``/users/{uuid}`` and ``/organizations/{uuid}``."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, endpoint, resource
from desktop.sandbox.errors import denied
from desktop.sandbox.render import users as render


@endpoint("users:read")
def get_me(call: Call) -> Response:
    return resource(render.user(call.state, call.caller.user))


@endpoint("users:read")
def get_user(call: Call) -> Response:
    ident = str(call.request.path_params["uuid"])
    if ident == "me":  # S2 accepts the literal ``me`` here too
        return resource(render.user(call.state, call.caller.user))
    record = call.found("users")
    # Membership, not the user's last organization, decides: a removed member is not ours.
    member = call.state.store.find_one(
        "memberships", "user = ? AND organization = ?", (record["id"], call.caller.org_id)
    )
    if member is None:
        raise denied("This user is not in your organization")
    return resource(render.user(call.state, record))


@endpoint("organizations:read")
def get_organization(call: Call) -> Response:
    record = call.found("organizations")
    call.caller.require_org(record["id"])
    return resource(render.organization(call.state, record))


ROUTES = [
    Route("/users/me", get_me, methods=["GET"]),
    Route("/users/{uuid}", get_user, methods=["GET"]),
    Route("/organizations/{uuid}", get_organization, methods=["GET"]),
]
