"""Event types: listing, reading, creating and updating; hosts (event type memberships)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import (
    OTHER_ORG,
    Api,
    add_other_organization,
    all_pages,
    assert_denied,
    bad_parameters,
    me,
    uri,
    user_uri,
)


def live_types(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [t for t in sandbox.state.store.find("event_types") if t.get("deleted_at") is None]


def other_org_user(sandbox: SandboxServer) -> str:
    """A user of a second organization, put in the store for permission checks."""
    return str(add_other_organization(sandbox)["user"]["id"])


# -- list ------------------------------------------------------------------------------------
def test_organization_list_pages_through_every_event_type_sorted_by_name(
    sandbox: SandboxServer, api: Api
) -> None:
    client = api("user")
    org = me(client)["current_organization"]
    items = all_pages(client, "/event_types", {"organization": org, "count": 7})
    expected = live_types(sandbox)
    assert len(items) == len(expected) > 7
    assert len({i["uri"] for i in items}) == len(items)
    names = [i["name"] for i in items]
    assert names == sorted(names)
    assert {i["uri"].rsplit("/", 1)[1] for i in items} == {t["id"] for t in expected}
    first = items[0]
    assert first["uri"].startswith(f"{sandbox.base_url}/event_types/")
    assert first["scheduling_url"].startswith(sandbox.base_url + "/")
    assert first["profile"]["type"] in ("User", "Team")


def test_list_sorts_and_filters(sandbox: SandboxServer, api: Api) -> None:
    client = api("admin")
    org = me(client)["current_organization"]
    by_position = all_pages(
        client, "/event_types", {"organization": org, "sort": "position:desc", "count": 100}
    )
    positions = [i["position"] for i in by_position]
    assert positions == sorted(positions, reverse=True)
    created = all_pages(client, "/event_types", {"organization": org, "sort": "created_at:asc"})
    assert [i["created_at"] for i in created] == sorted(i["created_at"] for i in created)
    active = all_pages(client, "/event_types", {"organization": org, "active": "true"})
    inactive = all_pages(client, "/event_types", {"organization": org, "active": "false"})
    assert active and inactive
    assert all(i["active"] for i in active) and not any(i["active"] for i in inactive)
    assert len(active) + len(inactive) == len(live_types(sandbox))
    managed = all_pages(client, "/event_types", {"organization": org, "admin_managed": "true"})
    assert managed and all(i["admin_managed"] for i in managed)


def test_user_list_includes_team_types_they_host(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    team = next(t for t in live_types(sandbox) if t.get("profile_type") == "Team")
    host = store.find("event_type_hosts", "event_type = ?", (team["id"],))[0]["user"]
    items = all_pages(api("user"), "/event_types", {"user": user_uri(sandbox, host)})
    ids = {i["uri"].rsplit("/", 1)[1] for i in items}
    assert team["id"] in ids
    own = {t["id"] for t in live_types(sandbox) if t.get("owner") == host}
    assert own <= ids


def test_list_parameters_are_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    assert bad_parameters(client.get("/event_types")) == {"organization", "user"}
    org = me(client)["current_organization"]
    bad = client.get(
        "/event_types",
        params={"organization": org, "sort": "color:asc", "count": "500", "active": "yes"},
    )
    assert {"sort", "count", "active"} <= bad_parameters(bad)
    assert bad_parameters(client.get("/event_types", params={"organization": "nope"})) == {
        "organization"
    }


def test_another_organization_is_refused(sandbox: SandboxServer, api: Api) -> None:
    outsider = other_org_user(sandbox)
    client = api("admin")
    response = client.get(
        "/event_types",
        params={"organization": uri(sandbox, "organizations", OTHER_ORG)},
    )
    assert_denied(response)
    response = client.get("/event_types", params={"user": user_uri(sandbox, outsider)})
    assert response.status_code == 403
    assert response.json()["message"] == "This user is not in your organization"


def test_user_availability_schedule_filter(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    client = api("user")
    user = me(client)
    user_id = user["uri"].rsplit("/", 1)[1]
    schedules = store.find("availability_schedules", "user = ?", (user_id,))
    default = next(s for s in schedules if s["is_default"])
    params = {
        "user": user["uri"],
        "user_availability_schedule": f"{sandbox.base_url}/user_availability_schedules/"
        f"{default['id']}",
    }
    filtered = all_pages(client, "/event_types", params)
    everything = all_pages(client, "/event_types", {"user": user["uri"]})
    assert filtered and filtered == everything  # every type uses the default schedule
    foreign = store.find_one("availability_schedules", "user != ?", (user_id,))
    assert foreign is not None
    params["user_availability_schedule"] = (
        f"{sandbox.base_url}/user_availability_schedules/{foreign['id']}"
    )
    assert bad_parameters(client.get("/event_types", params=params)) == {
        "user_availability_schedule"
    }


def test_scope_event_types_read_is_required(api: Api) -> None:
    response = api("user", scopes=["users:read"]).get("/event_types")
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["event_types:read"]


# -- get -------------------------------------------------------------------------------------
def test_get_returns_the_listed_event_type(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    org = me(client)["current_organization"]
    listed = client.get("/event_types", params={"organization": org, "count": 3}).json()
    for item in listed["collection"]:
        got = client.get(item["uri"])
        assert got.status_code == 200
        assert got.json()["resource"] == item
    assert client.get("/event_types/NOSUCHEVENTTYPE1").status_code == 404


def test_get_of_another_organizations_event_type_is_forbidden(
    sandbox: SandboxServer, api: Api
) -> None:
    outsider = other_org_user(sandbox)
    record = dict(
        live_types(sandbox)[0],
        id="FOREIGNTYPE00001",
        organization=OTHER_ORG,
        owner=outsider,
    )
    sandbox.state.store.insert("event_types", record)
    response = api("owner").get("/event_types/FOREIGNTYPE00001")
    assert_denied(response)


def test_team_event_type_has_team_profile_and_url(sandbox: SandboxServer, api: Api) -> None:
    team = next(t for t in live_types(sandbox) if t.get("profile_type") == "Team")
    body = api("user").get(f"/event_types/{team['id']}").json()["resource"]
    assert body["profile"]["type"] == "Team"
    assert body["profile"]["name"] == team["profile_name"]
    assert body["scheduling_url"].startswith(f"{sandbox.base_url}/team/")
    assert body["scheduling_url"].endswith(f"/{team['slug']}")
    assert body["pooling_type"] in ("round_robin", "collective")


# -- create ----------------------------------------------------------------------------------
FULL_BODY: dict[str, Any] = {
    "name": "Roadmap Review",
    "active": True,
    "description": "Walk through the plan.\n\nBring questions.",
    "duration": 45,
    "duration_options": [30, 45, 60],
    "locations": [
        {"kind": "physical", "location": "1 Main St", "additional_info": "Lobby"},
        {"kind": "inbound_call", "phone_number": "+15555550100"},
        {"kind": "zoom_conference"},
    ],
    "color": "#1a2b3c",
    "locale": "fr",
}


def test_create_for_yourself_reads_back_equal(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    user = me(client)
    created = client.post("/event_types", json={"owner": user["uri"], **FULL_BODY})
    assert created.status_code == 201, created.text
    body = created.json()["resource"]
    assert body["name"] == "Roadmap Review" and body["active"] is True
    assert body["duration"] == 45 and body["duration_options"] == [30, 45, 60]
    assert body["locations"] == FULL_BODY["locations"]
    assert body["color"] == "#1a2b3c" and body["locale"] == "fr"
    assert body["description_plain"] == FULL_BODY["description"]
    assert body["kind"] == "solo" and body["pooling_type"] is None
    assert body["type"] == "StandardEventType"
    assert body["profile"] == {"type": "User", "name": user["name"], "owner": user["uri"]}
    assert body["scheduling_url"] == f"{user['scheduling_url']}/roadmap-review"
    assert client.get(body["uri"]).json()["resource"] == body
    hosts = client.get("/event_type_memberships", params={"event_type": body["uri"]}).json()
    assert [h["member"]["uri"] for h in hosts["collection"]] == [user["uri"]]
    listed = all_pages(client, "/event_types", {"user": user["uri"]})
    assert body in listed


def test_create_minimal_uses_defaults(api: Api) -> None:
    client = api("user")
    user = me(client)
    body = client.post("/event_types", json={"owner": user["uri"], "name": "Quick"}).json()
    resource = body["resource"]
    assert resource["active"] is False and resource["duration"] == 30
    assert resource["duration_options"] is None and resource["locations"] is None
    assert resource["description_plain"] is None and resource["custom_questions"] == []
    again = client.post("/event_types", json={"owner": user["uri"], "name": "Quick"}).json()
    assert again["resource"]["slug"] != resource["slug"]  # slugs stay unique per owner


def test_admin_creates_for_a_member_but_a_user_cannot(sandbox: SandboxServer, api: Api) -> None:
    member = sandbox.state.store.find_one("memberships", "role = 'user'")
    assert member is not None
    other = sandbox.state.store.find_one(
        "memberships", "role = 'user' AND user != ?", (member["user"],)
    )
    assert other is not None
    target = user_uri(sandbox, other["user"])
    made = api("admin").post("/event_types", json={"owner": target, "name": "By admin"})
    assert made.status_code == 201
    assert made.json()["resource"]["profile"]["owner"] == target
    refused = api(member["email"]).post("/event_types", json={"owner": target, "name": "No"})
    assert_denied(refused)
    outsider = other_org_user(sandbox)
    foreign = api("owner").post(
        "/event_types", json={"owner": user_uri(sandbox, outsider), "name": "No"}
    )
    assert foreign.status_code == 403


@pytest.mark.parametrize(
    ("patch", "parameter"),
    [
        ({"name": ""}, "name"),
        ({"name": 12}, "name"),
        ({"active": "yes"}, "active"),
        ({"description": 5}, "description"),
        ({"duration": 0}, "duration"),
        ({"duration": 721}, "duration"),
        ({"duration": 30.5}, "duration"),
        ({"duration_options": [15, 30, 45, 60, 90]}, "duration_options"),
        ({"duration_options": [15, 15]}, "duration_options"),
        ({"duration_options": [0, 30]}, "duration_options"),
        ({"duration_options": "30"}, "duration_options"),
        ({"duration": 20, "duration_options": [15, 30]}, "duration"),
        ({"locations": {"kind": "physical"}}, "locations"),
        ({"locations": [{"kind": "carrier_pigeon"}]}, "locations[0].kind"),
        ({"locations": [{"kind": "physical"}]}, "locations[0].location"),
        ({"locations": [{"kind": "custom", "location": ""}]}, "locations[0].location"),
        ({"locations": [{"kind": "inbound_call"}]}, "locations[0].phone_number"),
        (
            {"locations": [{"kind": "zoom_conference", "phone_number": "1"}]},
            "locations[0].phone_number",
        ),
        ({"locations": ["physical"]}, "locations[0]"),
        ({"color": "#ABCDEF"}, "color"),
        ({"color": "red"}, "color"),
        ({"locale": "xx"}, "locale"),
    ],
)
def test_create_validates_each_field(api: Api, patch: dict[str, Any], parameter: str) -> None:
    client = api("user")
    body = {"owner": me(client)["uri"], "name": "Valid", **patch}
    assert parameter in bad_parameters(client.post("/event_types", json=body))


def test_create_reports_every_problem_at_once(api: Api) -> None:
    client = api("user")
    response = client.post("/event_types", json={"duration": 0, "color": "blue"})
    assert bad_parameters(response) == {"owner", "name", "duration", "color"}
    assert bad_parameters(client.post("/event_types", json={"owner": "x", "name": "n"})) == {
        "owner"
    }
    bad_json = client.post(
        "/event_types", content=b"[1,2]", headers={"Content-Type": "application/json"}
    )
    assert bad_parameters(bad_json) == {"body"}


def test_create_needs_event_types_write(api: Api) -> None:
    client = api("user", scopes=["event_types:read", "users:read"])
    response = client.post("/event_types", json={"owner": me(client)["uri"], "name": "X"})
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["event_types:write"]


# -- update ----------------------------------------------------------------------------------
def own_solo_type(sandbox: SandboxServer, client: httpx.Client) -> dict[str, Any]:
    user_id = me(client)["uri"].rsplit("/", 1)[1]
    return next(
        t
        for t in live_types(sandbox)
        if t.get("owner") == user_id
        and t["kind"] == "solo"
        and t["pooling_type"] is None
        and not t["admin_managed"]
    )


def test_update_changes_fields_and_reads_back_equal(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    record = own_solo_type(sandbox, client)
    before = client.get(f"/event_types/{record['id']}").json()["resource"]
    change = {key: FULL_BODY[key] for key in FULL_BODY if key != "name"}
    change["name"] = "Renamed"
    response = client.patch(f"/event_types/{record['id']}", json=change)
    assert response.status_code == 200, response.text
    after = response.json()["resource"]
    assert after["name"] == "Renamed" and after["duration"] == 45
    assert after["locations"] == FULL_BODY["locations"]
    assert after["color"] == "#1a2b3c" and after["locale"] == "fr"
    assert after["slug"] == before["slug"]  # the booking link keeps working
    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]
    assert client.get(after["uri"]).json()["resource"] == after


def test_update_validates_fields(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    record = own_solo_type(sandbox, client)
    path = f"/event_types/{record['id']}"
    assert bad_parameters(client.patch(path, json={"duration": 0, "locale": "xx"})) == {
        "duration",
        "locale",
    }
    assert bad_parameters(client.patch(path, json={"owner": me(client)["uri"]})) == {"owner"}
    assert bad_parameters(
        client.patch(path, json={"duration_options": [5, 10], "duration": 15})
    ) == {"duration"}
    unchanged = client.get(path).json()["resource"]
    assert unchanged["duration"] == record["duration"]


def test_update_permissions_by_role(sandbox: SandboxServer, api: Api) -> None:
    owner_client = api("user")
    record = own_solo_type(sandbox, owner_client)
    me_id = me(owner_client)["uri"].rsplit("/", 1)[1]
    other = sandbox.state.store.find_one("memberships", "role = 'user' AND user != ?", (me_id,))
    assert other is not None
    refused = api(other["email"]).patch(f"/event_types/{record['id']}", json={"name": "Mine"})
    assert refused.status_code == 403
    allowed = api("admin").patch(f"/event_types/{record['id']}", json={"name": "Admin edit"})
    assert allowed.status_code == 200
    assert allowed.json()["resource"]["name"] == "Admin edit"
    assert api("admin").patch("/event_types/NOSUCHEVENTTYPE1", json={}).status_code == 404


def test_team_and_group_types_cannot_be_updated(sandbox: SandboxServer, api: Api) -> None:
    team = next(t for t in live_types(sandbox) if t.get("profile_type") == "Team")
    assert bad_parameters(api("admin").patch(f"/event_types/{team['id']}", json={"name": "X"})) == {
        "uuid"
    }
    assert api("user").patch(f"/event_types/{team['id']}", json={"name": "X"}).status_code == 403
    group = next(t for t in live_types(sandbox) if t["kind"] == "group")
    assert bad_parameters(
        api("owner").patch(f"/event_types/{group['id']}", json={"name": "X"})
    ) == {"uuid"}


# -- hosts -----------------------------------------------------------------------------------
def test_memberships_list_every_host_with_event_type_and_member(
    sandbox: SandboxServer, api: Api
) -> None:
    store = sandbox.state.store
    team = max(
        (t for t in live_types(sandbox) if t.get("profile_type") == "Team"),
        key=lambda t: len(t["hosts"]),
    )
    uri = f"{sandbox.base_url}/event_types/{team['id']}"
    client = api("user")
    items = all_pages(client, "/event_type_memberships", {"event_type": uri, "count": 1})
    hosts = {h["user"] for h in store.find("event_type_hosts", "event_type = ?", (team["id"],))}
    assert len(items) == len(hosts) >= 2
    assert {i["member"]["uri"].rsplit("/", 1)[1] for i in items} == hosts
    event_type = client.get(uri).json()["resource"]
    for item in items:
        assert item["event_type"] == event_type
        assert item["uri"].startswith(f"{sandbox.base_url}/event_type_memberships/")
        assert item["member"]["resource_type"] == "User"


def test_memberships_need_a_valid_event_type(api: Api) -> None:
    client = api("user")
    assert bad_parameters(client.get("/event_type_memberships")) == {"event_type"}
    assert bad_parameters(client.get("/event_type_memberships", params={"event_type": "x"})) == {
        "event_type"
    }
    missing = client.get(
        "/event_type_memberships",
        params={"event_type": "https://api.calendly.com/event_types/NOPE"},
    )
    assert missing.status_code == 404
