"""``PATCH /event_type_availability_schedules``: an event type's own hours, and what they change."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import Api, bad_parameters, denied_with, uri, user_uri

URL = "/event_type_availability_schedules"
ZONE = "Pacific/Auckland"
WORKDAYS = [
    {"type": "wday", "wday": day, "intervals": [{"from": "09:00", "to": "17:00"}]}
    for day in ("monday", "wednesday")
]
NO_PERMISSION = "You do not have permission"


def solo_of_a_user(sandbox: SandboxServer) -> tuple[Record, Record]:
    """An active, live one-on-one event type owned by a plain member, and that membership."""
    store = sandbox.state.store
    for member in store.find("memberships", "role = 'user'", order="id"):
        for record in store.find("event_types", "owner = ? AND active = 1", (member["user"],)):
            if record["kind"] == "solo" and record["deleted_at"] is None:
                return record, member
    raise AssertionError("the seed has no active solo event type of a plain member")


def team_type(sandbox: SandboxServer, without: str | None = None) -> tuple[Record, list[str]]:
    """A team event type and its hosts' user ids (one ``without`` is not a host of, if given)."""
    store = sandbox.state.store
    for record in store.find("event_types", "owner IS NULL", order="id"):
        hosts = store.scalars(
            "SELECT user FROM event_type_hosts WHERE event_type = ? ORDER BY created_at, id",
            (record["id"],),
        )
        if len(hosts) > 1 and without not in hosts:
            return record, hosts
    raise AssertionError("the seed has no such team event type")


def patch(client: Any, event_type: str, rule: dict[str, Any], **body: Any) -> Any:
    return client.patch(
        URL, params={"event_type": event_type}, json={"availability_rule": rule, **body}
    )


def open_times(api: Api, sandbox: SandboxServer, event_type: str, days: int = 14) -> list[str]:
    start = sandbox.state.clock.now() + timedelta(hours=1)
    window = {"start_time": iso(start), "end_time": iso(start + timedelta(days=days))}
    response = api("owner").get(
        "/event_type_available_times", params={"event_type": event_type, **window}
    )
    assert response.status_code == 200, response.text
    return [slot["start_time"] for slot in response.json()["collection"]]


def local(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(ZoneInfo(ZONE))


# -- the happy path ---------------------------------------------------------------------------
def test_own_hours_drive_available_times(sandbox: SandboxServer, api: Api) -> None:
    record, member = solo_of_a_user(sandbox)
    event_type = uri(sandbox, "event_types", record["id"])
    host = api(member["email"])
    schedules_before = host.get(
        "/user_availability_schedules", params={"user": user_uri(sandbox, member["user"])}
    ).json()
    other = sandbox.state.store.find_one(
        "event_types", "owner = ? AND id != ? AND active = 1", (member["user"], record["id"])
    )
    other_uri = uri(sandbox, "event_types", other["id"]) if other else None
    other_before = open_times(api, sandbox, other_uri) if other_uri else []

    response = patch(host, event_type, {"timezone": ZONE, "rules": WORKDAYS})
    assert response.status_code == 200, response.text
    assert response.json()["resource"] == {
        "event_type": event_type,
        "availability_setting": "host",
        "availability_rule": {
            "user": user_uri(sandbox, member["user"]),
            "timezone": ZONE,
            "name": None,
            "rules": WORKDAYS,
        },
    }
    listed = host.get(URL, params={"event_type": event_type}).json()["collection"]
    assert listed == [response.json()["resource"]]

    times = open_times(api, sandbox, event_type)
    assert times
    for stamp in times:
        moment = local(stamp)
        end = moment + timedelta(minutes=record["duration"])
        assert moment.strftime("%A") in ("Monday", "Wednesday"), stamp
        assert moment.hour >= 9 and (end.hour, end.minute) <= (17, 0), stamp
    # The host's own schedules and their other event types are untouched.
    assert (
        host.get(
            "/user_availability_schedules", params={"user": user_uri(sandbox, member["user"])}
        ).json()
        == schedules_before
    )
    if other_uri:
        assert open_times(api, sandbox, other_uri) == other_before


def test_rules_are_replaced_and_timezone_alone_keeps_them(sandbox: SandboxServer, api: Api) -> None:
    record, member = solo_of_a_user(sandbox)
    event_type = uri(sandbox, "event_types", record["id"])
    host = api(member["email"])
    assert patch(host, event_type, {"timezone": ZONE, "rules": WORKDAYS}).status_code == 200
    friday = [{"type": "wday", "wday": "friday", "intervals": [{"from": "10:00", "to": "11:00"}]}]
    replaced = patch(host, event_type, {"timezone": ZONE, "rules": friday}).json()["resource"]
    assert replaced["availability_rule"]["rules"] == friday
    moved = patch(host, event_type, {"timezone": "Europe/Lisbon"}).json()["resource"]
    assert moved["availability_rule"]["rules"] == friday
    assert moved["availability_rule"]["timezone"] == "Europe/Lisbon"
    closed = patch(host, event_type, {"timezone": ZONE, "rules": []}).json()["resource"]
    assert closed["availability_rule"]["rules"] == []
    assert open_times(api, sandbox, event_type) == []


def test_default_schedule_filter_leaves_out_event_types_with_own_hours(
    sandbox: SandboxServer, api: Api
) -> None:
    record, member = solo_of_a_user(sandbox)
    store = sandbox.state.store
    default = store.find_one(
        "availability_schedules", "user = ? AND is_default = 1", (member["user"],)
    )
    assert default is not None
    query: dict[str, Any] = {
        "user": user_uri(sandbox, member["user"]),
        "user_availability_schedule": uri(sandbox, "user_availability_schedules", default["id"]),
        "count": 100,
    }
    client = api(member["email"])
    before = {e["uri"] for e in client.get("/event_types", params=query).json()["collection"]}
    event_type = uri(sandbox, "event_types", record["id"])
    assert event_type in before
    assert patch(client, event_type, {"timezone": ZONE, "rules": WORKDAYS}).status_code == 200
    after = {e["uri"] for e in client.get("/event_types", params=query).json()["collection"]}
    assert after == before - {event_type}


# -- several hosts, permissions -----------------------------------------------------------------
def test_admin_sets_one_hosts_hours_on_a_team_type(sandbox: SandboxServer, api: Api) -> None:
    admin = api("admin")
    me = admin.get("/users/me").json()["resource"]["uri"].rsplit("/", 1)[1]
    record, hosts = team_type(sandbox, without=me)
    event_type = uri(sandbox, "event_types", record["id"])
    before = admin.get(URL, params={"event_type": event_type}).json()["collection"]
    no_user = patch(admin, event_type, {"timezone": ZONE, "rules": WORKDAYS})
    assert bad_parameters(no_user) == {"availability_rule.user"}  # several hosts: which?
    target = user_uri(sandbox, hosts[-1])
    done = patch(admin, event_type, {"timezone": ZONE, "rules": WORKDAYS, "user": target})
    assert done.status_code == 200, done.text
    after = admin.get(URL, params={"event_type": event_type}).json()["collection"]
    changed = [a for a, b in zip(after, before, strict=True) if a != b]
    assert [c["availability_rule"]["user"] for c in changed] == [target]
    assert changed[0]["availability_rule"]["rules"] == WORKDAYS
    outsider = sandbox.state.store.find_one(
        "users", f"id NOT IN ({', '.join('?' for _ in hosts)})", hosts
    )
    assert outsider is not None
    stranger = patch(
        admin, event_type, {"timezone": ZONE, "user": user_uri(sandbox, outsider["id"])}
    )
    assert bad_parameters(stranger) == {"availability_rule.user"}


def test_members_may_only_change_their_own_hours(sandbox: SandboxServer, api: Api) -> None:
    record, member = solo_of_a_user(sandbox)
    event_type = uri(sandbox, "event_types", record["id"])
    store = sandbox.state.store
    someone = store.find_one("memberships", "role = 'user' AND user != ?", (member["user"],))
    assert someone is not None
    rule = {"timezone": ZONE, "rules": WORKDAYS}
    denied_with(patch(api(someone["email"]), event_type, rule), NO_PERMISSION)
    host = api(member["email"])
    aimed = patch(host, event_type, {**rule, "user": user_uri(sandbox, member["user"])})
    assert aimed.status_code == 200
    team, hosts = team_type(sandbox)
    plain = store.find_one(
        "memberships",
        f"role = 'user' AND user IN ({', '.join('?' for _ in hosts)})",
        hosts,
    )
    assert plain is not None, "no plain member hosts a team event type"
    others = [h for h in hosts if h != plain["user"]]
    response = patch(
        api(plain["email"]),
        uri(sandbox, "event_types", team["id"]),
        {**rule, "user": user_uri(sandbox, others[0])},
    )
    denied_with(response, NO_PERMISSION)
    scoped = api(member["email"], scopes=["availability:read"])
    refused = patch(scoped, event_type, rule)
    assert refused.status_code == 403 and refused.json()["required_scopes"] == [
        "availability:write"
    ]
    assert store.get("event_type_schedules", f"{record['id']}:{someone['user']}") is None


# -- validation ---------------------------------------------------------------------------------
def test_body_and_query_are_validated(sandbox: SandboxServer, api: Api) -> None:
    record, member = solo_of_a_user(sandbox)
    event_type = uri(sandbox, "event_types", record["id"])
    host = api(member["email"])
    assert bad_parameters(host.patch(URL, json={"availability_rule": {"timezone": ZONE}})) == {
        "event_type"
    }
    assert bad_parameters(host.patch(URL, params={"event_type": event_type}, json={})) == {
        "availability_rule"
    }
    bad_setting = patch(host, event_type, {"timezone": ZONE}, availability_setting="all")
    assert bad_parameters(bad_setting) == {"availability_setting"}
    rules: list[dict[str, Any]] = [
        {"type": "wday", "wday": "funday", "intervals": []},
        {"type": "date", "date": "2030-02-30", "intervals": []},
        {"type": "wday", "wday": "monday", "intervals": [{"from": "12:00", "to": "09:00"}]},
        {"type": "week", "intervals": []},
        {"type": "wday", "wday": "tuesday", "intervals": [{"from": "9am", "to": "25:00"}]},
    ]
    response = patch(host, event_type, {"timezone": "Mars/Olympus", "rules": rules})
    assert bad_parameters(response) == {
        "availability_rule.timezone",
        "availability_rule.rules[0].wday",
        "availability_rule.rules[1].date",
        "availability_rule.rules[2].intervals[0].to",
        "availability_rule.rules[3].type",
        "availability_rule.rules[4].intervals[0].from",
        "availability_rule.rules[4].intervals[0].to",
    }
    twice = patch(host, event_type, {"timezone": ZONE, "rules": [*WORKDAYS, WORKDAYS[0]]})
    assert bad_parameters(twice) == {"availability_rule.rules[2].wday"}
    missing = patch(host, uri(sandbox, "event_types", "NOSUCHTHING00000"), {"timezone": ZONE})
    assert missing.status_code == 404
    assert sandbox.state.store.count("event_type_schedules") == 0
