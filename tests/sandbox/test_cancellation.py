"""Cancelling a scheduled event: its effects on the event and invitees, and who may do it."""

from __future__ import annotations

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso, parse_time
from tests.sandbox.helpers import Api, assert_not_found, denied_with, first_host_has_role, user_uri


def upcoming(sandbox: SandboxServer, role: str | None = None) -> Record:
    """An active event that has not started, with invitees (hosted by a ``role`` member)."""
    store = sandbox.state.store
    now = iso(sandbox.state.clock.now())
    for event in store.find(
        "scheduled_events", "status = 'active' AND start_time > ?", (now,), order="start_time"
    ):
        if not store.count("invitees", "event = ? AND status = 'active'", (event["id"],)):
            continue
        if first_host_has_role(sandbox, event, role):
            return event
    raise AssertionError("the seed has no upcoming event to cancel")


def host_of(sandbox: SandboxServer, event: Record) -> Record:
    membership = sandbox.state.store.find_one("memberships", "user = ?", (event["hosts"][0],))
    assert membership is not None
    return membership


def cancel(client: httpx.Client, event_id: str, **body: object) -> httpx.Response:
    return client.post(f"/scheduled_events/{event_id}/cancellation", json=body)


def test_host_cancels_the_event_and_its_invitees(sandbox: SandboxServer, api: Api) -> None:
    event = upcoming(sandbox, "user")
    host = host_of(sandbox, event)
    user = sandbox.state.store.get("users", host["user"])
    assert user is not None
    before = sandbox.state.clock.now()
    client = api(host["email"])
    response = cancel(client, event["id"], reason="Double-booked, sorry")
    assert response.status_code == 201, response.text
    cancellation = response.json()["resource"]
    assert cancellation["canceled_by"] == user["name"]
    assert cancellation["reason"] == "Double-booked, sorry"
    assert cancellation["canceler_type"] == "host"
    assert parse_time(cancellation["created_at"], "created_at") >= before

    shown = client.get(f"/scheduled_events/{event['id']}").json()["resource"]
    assert shown["status"] == "canceled"
    assert shown["cancellation"] == cancellation
    assert shown["invitees_counter"]["active"] == 0
    invitees = client.get(f"/scheduled_events/{event['id']}/invitees").json()["collection"]
    assert invitees and all(i["status"] == "canceled" for i in invitees)
    assert all(i["cancellation"] == cancellation for i in invitees)
    listed = client.get(
        "/scheduled_events",
        params={
            "user": user_uri(sandbox, host["user"]),
            "status": "canceled",
            "min_start_time": event["start_time"],
            "count": 100,
        },
    ).json()["collection"]
    assert f"{sandbox.base_url}/scheduled_events/{event['id']}" in [e["uri"] for e in listed]


def test_reason_is_optional(sandbox: SandboxServer, api: Api) -> None:
    event = upcoming(sandbox)
    response = api("owner").post(f"/scheduled_events/{event['id']}/cancellation")
    assert response.status_code == 201, response.text
    assert response.json()["resource"]["reason"] is None


def test_an_admin_may_cancel_a_members_event(sandbox: SandboxServer, api: Api) -> None:
    event = upcoming(sandbox, "user")
    assert sandbox.summary is not None
    admin = sandbox.state.store.get("users", sandbox.summary.admins[0])
    assert admin is not None
    response = cancel(api(admin["email"]), event["id"], reason="Team offsite")
    assert response.status_code == 201
    assert response.json()["resource"]["canceled_by"] == admin["name"]


def test_invitees_canceled_earlier_keep_their_own_cancellation(
    sandbox: SandboxServer, api: Api
) -> None:
    """A group event where one invitee already canceled: that invitee's record stays as is."""
    event = upcoming(sandbox)
    store = sandbox.state.store
    active = store.find_one("invitees", "event = ? AND status = 'active'", (event["id"],))
    assert active is not None
    earlier = {
        "canceled_by": "Early Bird",
        "reason": "Can't make it",
        "canceler_type": "invitee",
        "created_at": iso(sandbox.state.clock.now()),
    }
    dropped = {
        **active,
        "id": "00000000-0000-4000-8000-00000000d0d0",
        "email": "early.bird@example.com",
        "name": "Early Bird",
        "status": "canceled",
        "cancellation": earlier,
    }
    store.insert("invitees", dropped)
    client = api("owner")
    assert cancel(client, event["id"], reason="Host ill").status_code == 201
    invitees = client.get(f"/scheduled_events/{event['id']}/invitees").json()["collection"]
    reasons = {i["email"]: i["cancellation"]["reason"] for i in invitees}
    assert reasons == {active["email"]: "Host ill", "early.bird@example.com": "Can't make it"}
    assert store.get("invitees", dropped["id"]) == dropped


def test_cannot_cancel_twice(sandbox: SandboxServer, api: Api) -> None:
    event = upcoming(sandbox)
    client = api("owner")
    assert cancel(client, event["id"]).status_code == 201
    denied_with(cancel(client, event["id"]), "Event is already canceled")


def test_cannot_cancel_a_past_event(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    now = iso(sandbox.state.clock.now())
    past = store.find_one("scheduled_events", "status = 'active' AND end_time < ?", (now,))
    assert past is not None
    denied_with(cancel(api("owner"), past["id"]), "Event in the past")
    assert store.get("scheduled_events", past["id"]) == past


def test_an_event_becomes_past_as_the_sandbox_clock_moves(sandbox: SandboxServer, api: Api) -> None:
    event = upcoming(sandbox)
    end = parse_time(event["end_time"], "end_time")
    sandbox.advance_clock((end - sandbox.state.clock.now()).total_seconds() + 1)
    denied_with(cancel(api("owner"), event["id"]), "Event in the past")


def test_other_members_may_not_cancel(sandbox: SandboxServer, api: Api) -> None:
    event = upcoming(sandbox)
    store = sandbox.state.store
    outsider = next(
        m for m in store.find("memberships", "role = 'user'") if m["user"] not in event["hosts"]
    )
    denied_with(
        cancel(api(outsider["email"]), event["id"]), "You are not allowed to cancel this event"
    )
    assert store.get("scheduled_events", event["id"]) == event


def test_reason_is_checked(sandbox: SandboxServer, api: Api) -> None:
    event = upcoming(sandbox)
    client = api("owner")
    for reason in ("x" * 10001, 42):
        response = cancel(client, event["id"], reason=reason)
        assert response.status_code == 400
        assert response.json()["title"] == "Invalid Argument"
        assert [d["parameter"] for d in response.json()["details"]] == ["reason"]
    assert cancel(client, event["id"], reason="y" * 10000).status_code == 201


def test_unknown_event_and_missing_scope(sandbox: SandboxServer, api: Api) -> None:
    assert_not_found(cancel(api("owner"), "NOSUCHEVENT00001"))
    event = upcoming(sandbox)
    reader = api("owner", scopes=["scheduled_events:read"])
    response = cancel(reader, event["id"])
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["scheduled_events:write"]
