"""Invitee no-shows: marking, reading and undoing, and the refusals around them."""

from __future__ import annotations

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso, parse_time
from tests.sandbox.helpers import (
    Api,
    assert_denied,
    assert_not_found,
    first_host_has_role,
    invitee_uri,
)


def attended(sandbox: SandboxServer, role: str | None = None) -> Record:
    """An active invitee without a no-show whose event has started (hosted by ``role``)."""
    store = sandbox.state.store
    now = iso(sandbox.state.clock.now())
    for invitee in store.find(
        "invitees", "status = 'active' AND json_extract(data, '$.no_show') IS NULL"
    ):
        event = store.get("scheduled_events", invitee["event"])
        if event is None or event["start_time"] > now:
            continue
        if first_host_has_role(sandbox, event, role):
            return invitee
    raise AssertionError("the seed has no past invitee to mark")


def upcoming_invitee(sandbox: SandboxServer) -> Record:
    store = sandbox.state.store
    now = iso(sandbox.state.clock.now())
    for invitee in store.find("invitees", "status = 'active'"):
        event = store.get("scheduled_events", invitee["event"])
        if event is not None and event["status"] == "active" and event["start_time"] > now:
            return invitee
    raise AssertionError("the seed has no upcoming invitee")


def mark(client: httpx.Client, invitee: str) -> httpx.Response:
    return client.post("/invitee_no_shows", json={"invitee": invitee})


def invalid_invitee(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["title"] == "Invalid Argument"
    assert [d["parameter"] for d in body["details"]] == ["invitee"]
    return str(body["details"][0]["message"])


def test_mark_read_and_undo(sandbox: SandboxServer, api: Api) -> None:
    invitee = attended(sandbox)
    uri = invitee_uri(sandbox, invitee)
    client = api("owner")
    created = mark(client, uri)
    assert created.status_code == 201, created.text
    no_show = created.json()["resource"]
    assert no_show["invitee"] == uri
    assert no_show["uri"].startswith(f"{sandbox.base_url}/invitee_no_shows/")
    parse_time(no_show["created_at"], "created_at")

    shown = client.get(uri).json()["resource"]
    assert shown["no_show"] == {"uri": no_show["uri"], "created_at": no_show["created_at"]}
    fetched = client.get(no_show["uri"])
    assert fetched.status_code == 200
    assert fetched.json()["resource"] == no_show

    deleted = client.delete(no_show["uri"])
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert client.get(no_show["uri"]).status_code == 404
    assert client.get(uri).json()["resource"]["no_show"] is None
    assert client.delete(no_show["uri"]).status_code == 404
    # Undone, the invitee may be marked again.
    assert mark(client, uri).status_code == 201


def test_seeded_no_show_is_readable(sandbox: SandboxServer, api: Api) -> None:
    record = sandbox.state.store.find_one("no_shows", "1")
    assert record is not None, "the seed made no no-show"
    invitee = sandbox.state.store.get("invitees", record["invitee"])
    assert invitee is not None
    response = api("owner").get(f"/invitee_no_shows/{record['id']}")
    assert response.status_code == 200
    assert response.json()["resource"] == {
        "uri": f"{sandbox.base_url}/invitee_no_shows/{record['id']}",
        "invitee": invitee_uri(sandbox, invitee),
        "created_at": record["created_at"],
    }


def test_host_may_mark_their_own_invitee(sandbox: SandboxServer, api: Api) -> None:
    invitee = attended(sandbox, "user")
    store = sandbox.state.store
    event = store.get("scheduled_events", invitee["event"])
    assert event is not None
    host = store.find_one("memberships", "user = ?", (event["hosts"][0],))
    assert host is not None
    assert mark(api(host["email"]), invitee_uri(sandbox, invitee)).status_code == 201
    other = attended(sandbox, "user")  # the first one is marked now
    other_event = store.get("scheduled_events", other["event"])
    assert other_event is not None
    outsider = next(
        m
        for m in store.find("memberships", "role = 'user'")
        if m["user"] not in other_event["hosts"]
    )
    assert_denied(mark(api(outsider["email"]), invitee_uri(sandbox, other)))
    assert store.get("invitees", other["id"]) == other


def test_already_marked_is_refused(sandbox: SandboxServer, api: Api) -> None:
    invitee = attended(sandbox)
    client = api("owner")
    assert mark(client, invitee_uri(sandbox, invitee)).status_code == 201
    assert "already" in invalid_invitee(mark(client, invitee_uri(sandbox, invitee)))


def test_not_before_the_event_starts(sandbox: SandboxServer, api: Api) -> None:
    invitee = upcoming_invitee(sandbox)
    client = api("owner")
    assert "before the event starts" in invalid_invitee(mark(client, invitee_uri(sandbox, invitee)))
    event = sandbox.state.store.get("scheduled_events", invitee["event"])
    assert event is not None
    start = parse_time(event["start_time"], "start_time")
    sandbox.advance_clock((start - sandbox.state.clock.now()).total_seconds() + 60)
    assert mark(client, invitee_uri(sandbox, invitee)).status_code == 201


def test_canceled_invitee_is_refused(sandbox: SandboxServer, api: Api) -> None:
    invitee = sandbox.state.store.find_one("invitees", "status = 'canceled'")
    assert invitee is not None
    assert "canceled" in invalid_invitee(mark(api("owner"), invitee_uri(sandbox, invitee)))


def test_bad_bodies(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    invalid_invitee(client.post("/invitee_no_shows", json={}))
    invalid_invitee(client.post("/invitee_no_shows", json={"invitee": 42}))
    invalid_invitee(mark(client, "not a uri"))
    invalid_invitee(mark(client, f"{sandbox.base_url}/users/ABC"))
    unknown = f"{sandbox.base_url}/scheduled_events/NOSUCHEVENT00001/invitees/no-such-invitee"
    assert_not_found(mark(client, unknown))


def test_scopes(sandbox: SandboxServer, api: Api) -> None:
    invitee = attended(sandbox)
    reader = api("owner", scopes=["scheduled_events:read"])
    response = mark(reader, invitee_uri(sandbox, invitee))
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["scheduled_events:write"]
    created = mark(api("owner"), invitee_uri(sandbox, invitee)).json()["resource"]
    assert reader.get(created["uri"]).status_code == 200
    assert reader.delete(created["uri"]).status_code == 403
