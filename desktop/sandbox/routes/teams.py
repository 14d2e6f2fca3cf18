"""``GET /teams`` and ``GET /teams/{team_uuid}`` (S2; facts §2.2, §3.5).

Teams come from the seed, one per Team-profile name of the organization's event types; a
user belongs to a team when they host one of its (live) event types. ``user`` narrows the
list to that member's teams; without it every team of the caller's organization is listed
(S2 names no other filter). Any member may read them; oldest first.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, collection, endpoint, resource
from desktop.sandbox.errors import gather, invalid_many
from desktop.sandbox.render import teams as render
from desktop.sandbox.routes.event_types import member_of_org

SORTS = {"created_at": "created_at"}
# Names of the teams whose event types a user hosts.
_HOSTED = (
    "SELECT json_extract(e.data, '$.profile_name') FROM event_types e "
    "JOIN event_type_hosts h ON h.event_type = e.id "
    "WHERE h.user = ? AND e.organization = ? AND e.owner IS NULL "
    "AND json_extract(e.data, '$.deleted_at') IS NULL"
)


@endpoint("organizations:read")
def list_teams(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    user_id = gather(problems, lambda: call.uri("user", "users"))
    if problems:
        raise invalid_many(problems)
    org_id = call.caller.org_id
    where = "organization = ?"
    params: list[Any] = [org_id]
    if user_id is not None:
        member_of_org(call.state, user_id, org_id)
        where += f" AND name IN ({_HOSTED})"
        params += [user_id, org_id]
    page = call.page("teams", where, params, SORTS, "created_at:asc")
    return collection([render.team(call.state, r) for r in page.records], page.pagination)


@endpoint("organizations:read")
def get_team(call: Call) -> Response:
    record = call.found("teams", "team_uuid")
    call.caller.require_org(record["organization"])
    return resource(render.team(call.state, record))


ROUTES = [
    Route("/teams", list_teams, methods=["GET"]),
    Route("/teams/{team_uuid}", get_team, methods=["GET"]),
]
