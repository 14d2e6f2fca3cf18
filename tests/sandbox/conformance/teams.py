"""Conformance cases: teams."""

from __future__ import annotations

from tests.sandbox.conformance.probe import UNKNOWN, Probe, case


@case("GET /teams")
def teams_list(p: Probe) -> None:
    assert p.call(200, "GET", "/teams").json()["collection"]
    team = p.org_row("teams")
    host = p.store.scalars(
        "SELECT h.user FROM event_type_hosts h JOIN event_types e ON e.id = h.event_type "
        "WHERE json_extract(e.data, '$.profile_name') = ? ORDER BY h.id LIMIT 1",
        (team["name"],),
    )[0]
    theirs = p.call(200, "GET", "/teams", who="user", params={"user": p.uri("users", host)})
    assert p.uri("teams", team["id"]) in [t["uri"] for t in theirs.json()["collection"]]
    p.call(200, "GET", "/teams", params={"count": 1})
    p.refused(400, "user", "GET", "/teams", params={"user": "someone"})
    p.refused(400, "count", "GET", "/teams", params={"count": 0})
    p.call(404, "GET", "/teams", params={"user": p.uri("users", UNKNOWN)})


@case("GET /teams/{team_uuid}")
def teams_get(p: Probe) -> None:
    team = p.org_row("teams")
    got = p.read("/teams", team["id"]).json()["resource"]
    assert got["name"] == team["name"]
