"""``POST /data_compliance/deletion/invitees`` and ``/events``: 202, and the data is gone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.sandbox import SandboxServer
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import (
    OTHER_EMAIL,
    Api,
    add_other_organization,
    bad_parameters,
    denied_with,
    invitee_uri,
    org_uri,
)

INVITEES = "/data_compliance/deletion/invitees"
EVENTS = "/data_compliance/deletion/events"
NO_ACCESS = "You do not have permission to access this resource."
UPGRADE = "Please upgrade your Calendly account to Enterprise."


def repeat_invitee(sandbox: SandboxServer) -> str:
    """An e-mail that booked several events, one of them marked a no-show."""
    emails = sandbox.state.store.scalars(
        "SELECT email FROM invitees WHERE email IN "
        "(SELECT email FROM invitees GROUP BY email HAVING COUNT(*) > 1) "
        "AND json_extract(data, '$.no_show') IS NOT NULL ORDER BY email"
    )
    assert emails, "the seed has no repeat invitee with a no-show"
    return str(emails[0])


def last_activity(api: Api, sandbox: SandboxServer) -> dict[str, Any]:
    page = api("owner").get(
        "/activity_log_entries", params={"organization": org_uri(sandbox), "count": 1}
    )
    found: dict[str, Any] = page.json()["collection"][0]
    return found


# -- invitees ---------------------------------------------------------------------------------
def test_invitee_data_is_deleted_everywhere(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    email = repeat_invitee(sandbox)
    gone = store.find("invitees", "email = ?", (email,))
    kept_total = store.count("invitees") - len(gone)
    events = {i["event"] for i in gone}
    client = api("admin")
    accepted = client.post(INVITEES, json={"emails": [email.upper(), "nobody@nowhere.example"]})
    assert accepted.status_code == 202 and accepted.json() == {}
    assert store.count("invitees", "email = ?", (email,)) == 0
    assert store.count("invitees") == kept_total
    assert store.count("no_shows", "invitee IN (SELECT id FROM invitees)") == store.count(
        "no_shows"
    )
    for invitee in gone:
        assert client.get(invitee_uri(sandbox, invitee)).status_code == 404
    for event in events:  # the hosts' meetings stay
        assert client.get(f"/scheduled_events/{event}").status_code == 200
    entry = last_activity(api, sandbox)
    assert entry["fully_qualified_name"] == "DataCompliance.InviteeDeletion"
    assert entry["details"] == {"emails": 2, "invitees": len(gone)}


def test_unknown_emails_change_nothing(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    before = store.count("invitees")
    response = api("owner").post(INVITEES, json={"emails": ["nobody@nowhere.example"]})
    assert response.status_code == 202
    assert store.count("invitees") == before


def test_invitee_request_is_validated(api: Api) -> None:
    client = api("owner")
    assert bad_parameters(client.post(INVITEES, json={})) == {"emails"}
    assert bad_parameters(client.post(INVITEES, json={"emails": []})) == {"emails"}
    assert bad_parameters(client.post(INVITEES, json={"emails": "a@b.example"})) == {"emails"}
    mixed = client.post(INVITEES, json={"emails": ["a@b.example", "nope", 7]})
    assert bad_parameters(mixed) == {"emails[1]", "emails[2]"}
    assert bad_parameters(client.post(INVITEES, content=b"[1]")) == {"body"}


def test_invitee_deletion_needs_an_enterprise_admin(sandbox: SandboxServer, api: Api) -> None:
    body = {"emails": [repeat_invitee(sandbox)]}
    denied_with(api("user").post(INVITEES, json=body), NO_ACCESS)
    add_other_organization(sandbox)
    denied_with(api(OTHER_EMAIL).post(INVITEES, json=body), UPGRADE)
    scoped = api("owner", scopes=["scheduled_events:write"]).post(INVITEES, json=body)
    assert scoped.status_code == 403
    assert scoped.json()["required_scopes"] == ["data_compliance:write"]
    assert sandbox.state.store.count("invitees", "email = ?", (body["emails"][0],)) > 0
    assert (
        api("owner", scopes=["data_compliance:write"]).post(INVITEES, json=body).status_code == 202
    )


# -- events -----------------------------------------------------------------------------------
def test_events_in_the_range_go_with_their_invitees(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    now = sandbox.state.clock.now()
    start, end = now - timedelta(days=40), now - timedelta(days=10)
    low, high = iso(start), iso(end)
    inside = store.find("scheduled_events", "start_time >= ? AND start_time <= ?", (low, high))
    assert inside
    ids = [e["id"] for e in inside]
    marks = ", ".join("?" for _ in ids)
    invitees = store.scalars(f"SELECT id FROM invitees WHERE event IN ({marks})", ids)
    outside = store.count("scheduled_events") - len(inside)
    client = api("owner")
    accepted = client.post(EVENTS, json={"start_time": low, "end_time": high})
    assert accepted.status_code == 202 and accepted.json() == {}
    assert store.count("scheduled_events") == outside
    assert store.count("scheduled_events", "start_time >= ? AND start_time <= ?", (low, high)) == 0
    assert store.count("event_hosts", f"event IN ({marks})", ids) == 0
    assert store.count("invitees", f"event IN ({marks})", ids) == 0
    assert (
        store.count("no_shows", f"invitee IN ({', '.join('?' for _ in invitees)})", invitees) == 0
    )
    assert client.get(f"/scheduled_events/{ids[0]}").status_code == 404
    listed = client.get(
        "/scheduled_events",
        params={"organization": org_uri(sandbox), "min_start_time": low, "max_start_time": high},
    )
    assert listed.status_code == 200 and listed.json()["collection"] == []
    entry = last_activity(api, sandbox)
    assert entry["fully_qualified_name"] == "DataCompliance.EventDeletion"
    assert entry["details"] == {"start_time": low, "end_time": high, "events": len(inside)}


def test_event_range_is_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    now = sandbox.state.clock.now()
    past = iso(now - timedelta(days=1))
    assert bad_parameters(client.post(EVENTS, json={})) == {"start_time", "end_time"}
    assert bad_parameters(client.post(EVENTS, json={"start_time": "soon", "end_time": past})) == {
        "start_time"
    }
    future = {"start_time": past, "end_time": iso(now + timedelta(hours=1))}
    assert bad_parameters(client.post(EVENTS, json=future)) == {"end_time"}
    backwards = {"start_time": past, "end_time": iso(now - timedelta(days=2))}
    assert bad_parameters(client.post(EVENTS, json=backwards)) == {"end_time"}
    end = now - timedelta(days=1)
    start = end.replace(year=end.year - 2)
    longest = {"start_time": iso(start), "end_time": iso(end)}
    assert client.post(EVENTS, json=longest).status_code == 202  # exactly 24 months
    longer = {**longest, "start_time": iso(start - timedelta(seconds=1))}
    assert bad_parameters(client.post(EVENTS, json=longer)) == {"end_time"}


def test_event_deletion_needs_an_enterprise_admin(sandbox: SandboxServer, api: Api) -> None:
    now = sandbox.state.clock.now()
    body = {"start_time": iso(now - timedelta(days=30)), "end_time": iso(now - timedelta(days=1))}
    before = sandbox.state.store.count("scheduled_events")
    denied_with(api("user").post(EVENTS, json=body), NO_ACCESS)
    add_other_organization(sandbox)
    denied_with(api(OTHER_EMAIL).post(EVENTS, json=body), UPGRADE)
    assert sandbox.state.store.count("scheduled_events") == before
