"""User availability schedules, user busy times and event type availability schedules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.sandbox import SandboxServer
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import Api, assert_denied, bad_parameters, me, user_uri


def ident(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[1]


def other_member(sandbox: SandboxServer, user_id: str) -> dict[str, Any]:
    found = sandbox.state.store.find_one("memberships", "role = 'user' AND user != ?", (user_id,))
    assert found is not None
    return found


def window(sandbox: SandboxServer, days: float, ahead: float = 0.02) -> dict[str, str]:
    start = sandbox.state.clock.now() + timedelta(days=ahead)
    return {"start_time": iso(start), "end_time": iso(start + timedelta(days=days))}


# -- schedules -------------------------------------------------------------------------------
def test_own_schedules_match_the_store_default_first(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    user = me(client)
    response = client.get("/user_availability_schedules", params={"user": user["uri"]})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"collection"}  # no pagination on this list
    stored = sandbox.state.store.find("availability_schedules", "user = ?", (ident(user["uri"]),))
    assert len(body["collection"]) == len(stored) >= 1
    first = body["collection"][0]
    assert first["default"] is True and first["user"] == user["uri"]
    record = next(s for s in stored if s["id"] == ident(first["uri"]))
    assert first["timezone"] == record["timezone"] and first["name"] == record["name"]
    assert first["rules"] == record["rules"]
    wdays = {r["wday"] for r in first["rules"] if r["type"] == "wday"}
    assert wdays == {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
    got = client.get(first["uri"])
    assert got.status_code == 200 and got.json()["resource"] == first


def test_schedules_of_others_need_an_admin(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    other = other_member(sandbox, ident(me(client)["uri"]))
    uri = user_uri(sandbox, other["user"])
    refused = client.get("/user_availability_schedules", params={"user": uri})
    assert_denied(refused)
    schedule = sandbox.state.store.find_one("availability_schedules", "user = ?", (other["user"],))
    assert schedule is not None
    assert client.get(f"/user_availability_schedules/{schedule['id']}").status_code == 403
    admin = api("admin")
    listed = admin.get("/user_availability_schedules", params={"user": uri})
    assert listed.status_code == 200 and listed.json()["collection"]
    assert admin.get(f"/user_availability_schedules/{schedule['id']}").status_code == 200


def test_schedule_parameters_are_validated(api: Api) -> None:
    client = api("user")
    assert bad_parameters(client.get("/user_availability_schedules")) == {"user"}
    assert bad_parameters(client.get("/user_availability_schedules", params={"user": "me"})) == {
        "user"
    }
    missing = client.get("/user_availability_schedules/NOSUCHSCHEDULE01")
    assert missing.status_code == 404
    scoped = api("user", scopes=["users:read"]).get("/user_availability_schedules/X")
    assert scoped.status_code == 403
    assert scoped.json()["required_scopes"] == ["availability:read"]


# -- busy times ------------------------------------------------------------------------------
def busy_user(sandbox: SandboxServer) -> tuple[str, str]:
    """A plain member with both a future Calendly event and an external block this week."""
    store = sandbox.state.store
    now = sandbox.state.clock.now()
    lo, hi = iso(now + timedelta(hours=1)), iso(now + timedelta(days=7))
    for member in store.find("memberships", "role = 'user'", order="created_at, id"):
        events = store.scalars(
            "SELECT e.id FROM event_hosts h JOIN scheduled_events e ON e.id = h.event "
            "WHERE h.user = ? AND e.status = 'active' AND e.start_time > ? AND e.end_time < ?",
            (member["user"], lo, hi),
        )
        blocks = store.count(
            "busy_blocks", "user = ? AND start_time > ? AND end_time < ?", (member["user"], lo, hi)
        )
        if events and blocks:
            return member["user"], member["email"]
    raise AssertionError("the seed has no member with both kinds of busy time this week")


def test_busy_times_list_events_and_external_blocks_in_order(
    sandbox: SandboxServer, api: Api
) -> None:
    user_id, email = busy_user(sandbox)
    params = {"user": user_uri(sandbox, user_id), **window(sandbox, 7, ahead=0.04)}
    response = api(email).get("/user_busy_times", params=params)
    assert response.status_code == 200, response.text
    items = response.json()["collection"]
    assert set(response.json()) == {"collection"}
    starts = [i["start_time"] for i in items]
    assert starts == sorted(starts)
    calendly = [i for i in items if i["type"] == "calendly"]
    external = [i for i in items if i["type"] == "external"]
    assert calendly and external
    store = sandbox.state.store
    for item in calendly:
        event = store.get("scheduled_events", ident(item["event"]["uri"]))
        assert event is not None and event["status"] == "active"
        assert user_id in event["hosts"]
        assert (item["start_time"], item["end_time"]) == (event["start_time"], event["end_time"])
        assert item["buffered_start_time"] <= item["start_time"]
    blocks = store.find(
        "busy_blocks",
        "user = ? AND start_time < ? AND end_time > ?",
        (user_id, params["end_time"], params["start_time"]),
    )
    assert sorted((b["start_time"], b["end_time"]) for b in blocks) == [
        (i["start_time"], i["end_time"]) for i in external
    ]
    assert all(set(i) == {"type", "start_time", "end_time"} for i in external)


def test_canceled_events_are_not_busy(sandbox: SandboxServer, api: Api) -> None:
    user_id, email = busy_user(sandbox)
    params = {"user": user_uri(sandbox, user_id), **window(sandbox, 7, ahead=0.04)}
    client = api(email)
    event_uri = next(
        i
        for i in client.get("/user_busy_times", params=params).json()["collection"]
        if i["type"] == "calendly"
    )["event"]["uri"]
    store = sandbox.state.store
    event = store.get("scheduled_events", ident(event_uri))
    assert event is not None
    store.update("scheduled_events", dict(event, status="canceled"))
    again = client.get("/user_busy_times", params=params).json()["collection"]
    assert event_uri not in {i.get("event", {}).get("uri") for i in again}


def test_busy_times_window_is_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    user = me(client)["uri"]
    now = sandbox.state.clock.now()
    assert bad_parameters(client.get("/user_busy_times")) == {"user", "start_time", "end_time"}
    too_long = {"user": user, **window(sandbox, 7.5)}
    assert bad_parameters(client.get("/user_busy_times", params=too_long)) == {"end_time"}
    past = {
        "user": user,
        "start_time": iso(now - timedelta(hours=2)),
        "end_time": iso(now + timedelta(days=1)),
    }
    assert bad_parameters(client.get("/user_busy_times", params=past)) == {"start_time"}
    backwards = {
        "user": user,
        "start_time": iso(now + timedelta(days=2)),
        "end_time": iso(now + timedelta(days=1)),
    }
    assert bad_parameters(client.get("/user_busy_times", params=backwards)) == {"end_time"}
    garbled = {"user": user, "start_time": "tomorrow", "end_time": iso(now + timedelta(days=1))}
    assert bad_parameters(client.get("/user_busy_times", params=garbled)) == {"start_time"}
    seven = {"user": user, **window(sandbox, 7)}
    assert client.get("/user_busy_times", params=seven).status_code == 200


def test_busy_times_of_others_need_an_admin(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    other = other_member(sandbox, ident(me(client)["uri"]))
    params = {"user": user_uri(sandbox, other["user"]), **window(sandbox, 3)}
    refused = client.get("/user_busy_times", params=params)
    assert_denied(refused)
    assert api("admin").get("/user_busy_times", params=params).status_code == 200
    assert api("owner").get("/user_busy_times", params=params).status_code == 200


def test_busy_times_follow_the_sandbox_clock(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    user = me(client)["uri"]
    params = {"user": user, **window(sandbox, 1, ahead=0.5)}
    assert client.get("/user_busy_times", params=params).status_code == 200
    sandbox.state.clock.freeze(datetime.now(UTC) + timedelta(days=1))
    later = client.get("/user_busy_times", params=params)
    assert bad_parameters(later) == {"start_time"}  # that start is now in the sandbox's past


# -- event type availability schedules --------------------------------------------------------
def test_event_type_schedules_show_each_hosts_default(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    team = next(t for t in store.find("event_types") if t.get("profile_type") == "Team")
    uri = f"{sandbox.base_url}/event_types/{team['id']}"
    response = api("admin").get("/event_type_availability_schedules", params={"event_type": uri})
    assert response.status_code == 200, response.text
    items = response.json()["collection"]
    hosts = {h["user"] for h in store.find("event_type_hosts", "event_type = ?", (team["id"],))}
    assert {ident(i["availability_rule"]["user"]) for i in items} == hosts
    for item in items:
        assert item["event_type"] == uri and item["availability_setting"] == "host"
        schedule = store.get("availability_schedules", ident(item["availability_rule"]["uri"]))
        assert schedule is not None and schedule["is_default"]
        assert item["availability_rule"]["rules"] == schedule["rules"]
    outsider = store.find_one(
        "memberships",
        "role = 'user' AND user NOT IN (SELECT user FROM event_type_hosts WHERE event_type = ?)",
        (team["id"],),
    )
    assert outsider is not None
    refused = api(outsider["email"]).get(
        "/event_type_availability_schedules", params={"event_type": uri}
    )
    assert refused.status_code == 403
