"""``GET /teams`` and ``GET /teams/{team_uuid}``: the teams behind Team-profile event types."""

from __future__ import annotations

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import (
    OTHER_EMAIL,
    Api,
    add_other_organization,
    all_pages,
    assert_not_found,
    bad_parameters,
    denied_with,
    org_uri,
    uri,
    user_uri,
)


def team_hosts(sandbox: SandboxServer, name: str) -> set[str]:
    return set(
        sandbox.state.store.scalars(
            "SELECT h.user FROM event_type_hosts h JOIN event_types e ON e.id = h.event_type "
            "WHERE e.owner IS NULL AND json_extract(e.data, '$.profile_name') = ?",
            (name,),
        )
    )


def test_every_team_profile_is_a_team(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    listed = all_pages(api("user"), "/teams", {"count": 2}, check_count=True)
    profiles = {t["profile_name"] for t in store.find("event_types") if t["profile_type"] == "Team"}
    assert len(profiles) >= 2
    assert {t["name"] for t in listed} == profiles and len(listed) == len(profiles)
    assert all(t["organization"] == org_uri(sandbox) for t in listed)
    rows = store.find("teams", order="created_at, id")
    assert [t["uri"] for t in listed] == [uri(sandbox, "teams", r["id"]) for r in rows]
    team_type = next(t for t in store.find("event_types") if t["profile_type"] == "Team")
    team = next(t for t in listed if t["name"] == team_type["profile_name"])
    shown = api("user").get(f"/event_types/{team_type['id']}").json()["resource"]
    assert shown["scheduling_url"] == f"{team['scheduling_url']}/{team_type['slug']}"
    got = api("user").get(team["uri"])
    assert got.status_code == 200 and got.json() == {"resource": team}


def test_a_users_teams_are_those_whose_event_types_they_host(
    sandbox: SandboxServer, api: Api
) -> None:
    store = sandbox.state.store
    teams = store.find("teams")
    hosts = {t["name"]: team_hosts(sandbox, t["name"]) for t in teams}
    member = max(
        (m for m in store.find("memberships")),
        key=lambda m: sum(m["user"] in users for users in hosts.values()),
    )
    expected = {name for name, users in hosts.items() if member["user"] in users}
    assert expected
    params = {"user": user_uri(sandbox, member["user"])}
    found = api("user").get("/teams", params=params).json()["collection"]
    assert {t["name"] for t in found} == expected
    outsider = next(
        m
        for m in store.find("memberships")
        if not any(m["user"] in users for users in hosts.values())
    )
    none = api("user").get("/teams", params={"user": user_uri(sandbox, outsider["user"])})
    assert none.status_code == 200 and none.json()["collection"] == []


def test_errors(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    assert bad_parameters(client.get("/teams", params={"user": "me"})) == {"user"}
    assert bad_parameters(client.get("/teams", params={"count": 101})) == {"count"}
    assert_not_found(client.get("/teams", params={"user": user_uri(sandbox, "NOSUCHUSER000000")}))
    assert_not_found(client.get("/teams/NOSUCHTEAM000000"))
    other = add_other_organization(sandbox)
    denied_with(
        client.get("/teams", params={"user": user_uri(sandbox, other["user"]["id"])}),
        "This user is not in your organization",
    )
    team = sandbox.state.store.find("teams")[0]
    stranger = api(OTHER_EMAIL).get(f"/teams/{team['id']}")
    assert stranger.status_code == 403 and stranger.json()["title"] == "Permission Denied"
    assert api(OTHER_EMAIL).get("/teams").json()["collection"] == []
    scoped = api("user", scopes=["users:read"]).get("/teams")
    assert scoped.status_code == 403 and scoped.json()["required_scopes"] == ["organizations:read"]
