"""``GET /locations``: the meeting location kinds a user can offer (S2; facts §2.10).

Every one of the ten kinds is listed, in the spec's order. Web-conferencing kinds carry
``connected``: the sandbox has no integrations to connect, so a conferencing kind counts as
connected when one of the user's live event types (owned or hosted) already offers it. Who
may ask: the user themselves, or an owner/admin of their organization.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, collection, endpoint
from desktop.sandbox.routes.availability import check_user_access
from desktop.sandbox.state import SandboxState

KINDS = (
    "ask_invitee",
    "custom",
    "google_conference",
    "gotomeeting_conference",
    "inbound_call",
    "microsoft_teams_conference",
    "outbound_call",
    "physical",
    "webex_conference",
    "zoom_conference",
)
CONFERENCING = frozenset(k for k in KINDS if k.endswith("_conference"))


def offered_kinds(state: SandboxState, user_id: str) -> set[str]:
    """The location kinds the user's live event types (owned or hosted) offer."""
    found = state.store.find(
        "event_types",
        "json_extract(data, '$.deleted_at') IS NULL AND (owner = ? OR id IN "
        "(SELECT event_type FROM event_type_hosts WHERE user = ?))",
        (user_id, user_id),
    )
    return {
        str(location.get("kind"))
        for record in found
        for location in record.get("locations") or []
        if isinstance(location, dict)
    }


@endpoint("locations:read")
def list_locations(call: Call) -> Response:
    user_id = call.uri("user", "users", required=True)
    assert user_id is not None
    check_user_access(call, user_id)
    offered = offered_kinds(call.state, user_id)
    items: list[dict[str, Any]] = []
    for kind in KINDS:
        item: dict[str, Any] = {"kind": kind}
        if kind in CONFERENCING:
            item["connected"] = kind in offered
        items.append(item)
    return collection(items)


ROUTES = [Route("/locations", list_locations, methods=["GET"])]
