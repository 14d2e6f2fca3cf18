"""``GET /locations``: the meeting location kinds a user can offer, conferencing ones connected."""

from __future__ import annotations

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import (
    OTHER_USER,
    Api,
    add_other_organization,
    bad_parameters,
    denied_with,
    me,
    user_uri,
)

KINDS = [
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
]


def offered(sandbox: SandboxServer, user_id: str) -> set[str]:
    store = sandbox.state.store
    hosted = set(
        store.scalars("SELECT event_type FROM event_type_hosts WHERE user = ?", (user_id,))
    )
    return {
        location["kind"]
        for record in store.find("event_types")
        if record["deleted_at"] is None and (record["owner"] == user_id or record["id"] in hosted)
        for location in record["locations"] or []
    }


def test_every_kind_with_connected_conferencing(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    user = me(client)
    response = client.get("/locations", params={"user": user["uri"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"collection"}
    assert [item["kind"] for item in body["collection"]] == KINDS
    used = offered(sandbox, user["uri"].rsplit("/", 1)[1])
    for item in body["collection"]:
        if item["kind"].endswith("_conference"):
            assert item["connected"] is (item["kind"] in used), item
        else:
            assert set(item) == {"kind"}


def test_connected_follows_the_event_types(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    owner = me(client)["uri"]
    before = client.get("/locations", params={"user": owner}).json()["collection"]
    unused = next(
        i["kind"] for i in before if i["kind"].endswith("_conference") and not i["connected"]
    )
    made = client.post(
        "/event_types",
        json={"owner": owner, "name": "Video chat", "locations": [{"kind": unused}]},
    )
    assert made.status_code == 201, made.text
    after = client.get("/locations", params={"user": owner}).json()["collection"]
    assert next(i for i in after if i["kind"] == unused)["connected"] is True


def test_whose_locations_may_be_read(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    store = sandbox.state.store
    mine = me(client)["uri"].rsplit("/", 1)[1]
    other = store.find_one("memberships", "role = 'user' AND user != ?", (mine,))
    assert other is not None
    theirs = user_uri(sandbox, other["user"])
    denied_with(client.get("/locations", params={"user": theirs}), "You do not have permission")
    assert api("admin").get("/locations", params={"user": theirs}).status_code == 200
    add_other_organization(sandbox)
    denied_with(
        api("admin").get("/locations", params={"user": user_uri(sandbox, OTHER_USER)}),
        "This user is not in your organization",
    )
    missing = client.get("/locations", params={"user": user_uri(sandbox, "NOSUCHUSER000000")})
    assert missing.status_code == 404
    assert bad_parameters(client.get("/locations")) == {"user"}
    assert bad_parameters(client.get("/locations", params={"user": "me"})) == {"user"}
    scoped = api("user", scopes=["users:read"]).get("/locations", params={"user": theirs})
    assert scoped.status_code == 403 and scoped.json()["required_scopes"] == ["locations:read"]
