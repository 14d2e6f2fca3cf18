"""``POST /scheduling_links``: single-use booking links for an event type (facts §2.7)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, endpoint, resource
from desktop.sandbox.errors import denied, detail, gather, invalid_many, not_found
from desktop.sandbox.routes.availability import host_ids
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def booking_url(state: SandboxState, link: Record, event_type: Record) -> str:
    """``<base>/d/<link slug>/<event type slug>``, like ``https://calendly.com/d/abcd-brv8/15-minute-meeting``."""
    return f"{state.base_url}/d/{link['slug']}/{event_type.get('slug') or event_type['id']}"


def new_slug(state: SandboxState) -> str:
    while True:
        text = "".join(state.random.choice(SLUG_ALPHABET) for _ in range(8))
        slug = f"{text[:4]}-{text[4:]}"
        if state.store.find_one("scheduling_links", "slug = ?", (slug,)) is None:
            return slug


@endpoint("scheduling_links:write")
async def create_scheduling_link(call: Call) -> Response:
    body = await call.body()
    problems: list[dict[str, str]] = []
    count = body.get("max_event_count")
    if count is None or count == "":
        problems.append(detail("max_event_count", "is required"))
    elif isinstance(count, bool) or count not in (1, "1"):  # S1 said 1, S2 says "1"
        problems.append(detail("max_event_count", "must be 1"))
    owner = body.get("owner")
    event_type_id = None
    if owner is None or owner == "":
        problems.append(detail("owner", "is required"))
    elif not isinstance(owner, str):
        problems.append(detail("owner", "must be a valid event_type URI"))
    else:
        event_type_id = gather(
            problems, lambda: call.state.uris.parse(owner, "event_types", "owner")
        )
    owner_type = body.get("owner_type")
    if owner_type is None or owner_type == "":
        problems.append(detail("owner_type", "is required"))
    elif owner_type != "EventType":
        problems.append(detail("owner_type", "must be EventType"))
    if problems or event_type_id is None:
        raise invalid_many(problems)
    state = call.state
    event_type = state.store.get("event_types", event_type_id)
    if event_type is None or event_type.get("deleted_at") is not None:
        raise not_found()
    call.caller.require_org(event_type["organization"])
    caller = call.caller
    if not caller.is_admin and caller.user_id not in host_ids(state, event_type):
        raise denied("You do not have permission")
    link: Record = {
        "id": state.new_id(),
        "event_type": event_type_id,
        "slug": new_slug(state),
        "max_event_count": 1,
        "used": 0,
        "created_at": iso(state.clock.now()),
    }
    state.store.insert("scheduling_links", link)
    return resource(
        {
            "booking_url": booking_url(state, link, event_type),
            "owner": state.uris.of("event_types", event_type_id),
            "owner_type": "EventType",
        },
        status=201,
    )


ROUTES = [
    Route("/scheduling_links", create_scheduling_link, methods=["POST"]),
]
