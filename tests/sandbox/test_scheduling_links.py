"""Single-use scheduling links for event types."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import Api, assert_denied, bad_parameters, me


def me_id(client: httpx.Client) -> str:
    return str(me(client)["uri"]).rsplit("/", 1)[1]


def own_type(sandbox: SandboxServer, user_id: str) -> dict[str, Any]:
    found = sandbox.state.store.find_one("event_types", "owner = ?", (user_id,))
    assert found is not None
    return found


@pytest.mark.parametrize("count", [1, "1"])
def test_create_link_for_own_event_type(sandbox: SandboxServer, api: Api, count: Any) -> None:
    client = api("user")
    event_type = own_type(sandbox, me_id(client))
    owner = f"{sandbox.base_url}/event_types/{event_type['id']}"
    response = client.post(
        "/scheduling_links",
        json={"max_event_count": count, "owner": owner, "owner_type": "EventType"},
    )
    assert response.status_code == 201, response.text
    body = response.json()["resource"]
    assert body["owner"] == owner and body["owner_type"] == "EventType"
    pattern = (
        rf"^{re.escape(sandbox.base_url)}/d/([a-z0-9]{{4}}-[a-z0-9]{{4}})/{event_type['slug']}$"
    )
    match = re.match(pattern, body["booking_url"])
    assert match, body["booking_url"]
    stored = sandbox.state.store.find_one("scheduling_links", "slug = ?", (match.group(1),))
    assert stored is not None
    assert stored["event_type"] == event_type["id"] and stored["max_event_count"] == 1
    assert stored["used"] == 0
    second = client.post(
        "/scheduling_links",
        json={"max_event_count": count, "owner": owner, "owner_type": "EventType"},
    ).json()
    assert second["resource"]["booking_url"] != body["booking_url"]  # each link is single-use


def test_body_is_validated_field_by_field(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    owner = f"{sandbox.base_url}/event_types/{own_type(sandbox, me_id(client))['id']}"
    assert bad_parameters(client.post("/scheduling_links", json={})) == {
        "max_event_count",
        "owner",
        "owner_type",
    }
    bad = {"max_event_count": 2, "owner": owner, "owner_type": "EventType"}
    assert bad_parameters(client.post("/scheduling_links", json=bad)) == {"max_event_count"}
    bad = {"max_event_count": True, "owner": owner, "owner_type": "EventType"}
    assert bad_parameters(client.post("/scheduling_links", json=bad)) == {"max_event_count"}
    bad = {"max_event_count": 1, "owner": owner, "owner_type": "User"}
    assert bad_parameters(client.post("/scheduling_links", json=bad)) == {"owner_type"}
    bad = {"max_event_count": 1, "owner": f"{sandbox.base_url}/users/X", "owner_type": "EventType"}
    assert bad_parameters(client.post("/scheduling_links", json=bad)) == {"owner"}
    missing = {
        "max_event_count": 1,
        "owner": f"{sandbox.base_url}/event_types/NOSUCHTYPE000001",
        "owner_type": "EventType",
    }
    assert client.post("/scheduling_links", json=missing).status_code == 404


def test_links_for_colleagues_types_need_an_admin(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    mine = me_id(client)
    other = sandbox.state.store.find_one("event_types", "owner IS NOT NULL AND owner != ?", (mine,))
    assert other is not None
    body = {
        "max_event_count": "1",
        "owner": f"{sandbox.base_url}/event_types/{other['id']}",
        "owner_type": "EventType",
    }
    refused = client.post("/scheduling_links", json=body)
    assert_denied(refused)
    assert api("admin").post("/scheduling_links", json=body).status_code == 201


def test_team_type_hosts_may_create_links(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    team = next(t for t in store.find("event_types") if t.get("profile_type") == "Team")
    hosts = [h["user"] for h in store.find("event_type_hosts", "event_type = ?", (team["id"],))]
    member = store.find_one("memberships", f"user IN ({', '.join('?' for _ in hosts)})", hosts)
    assert member is not None
    body = {
        "max_event_count": 1,
        "owner": f"{sandbox.base_url}/event_types/{team['id']}",
        "owner_type": "EventType",
    }
    response = api(member["email"]).post("/scheduling_links", json=body)
    assert response.status_code == 201
    assert f"/{team['slug']}" in response.json()["resource"]["booking_url"]


def test_scope_scheduling_links_write_is_required(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner", scopes=["event_types:write"])
    response = client.post("/scheduling_links", json={})
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["scheduling_links:write"]
