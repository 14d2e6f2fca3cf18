"""``POST /shares``: a customized, hidden copy of a one-on-one event type and its one link."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import Api, bad_parameters, denied_with, uri

URL = "/shares"


def solo(sandbox: SandboxServer, owner: str) -> Record:
    for record in sandbox.state.store.find("event_types", "owner = ? AND active = 1", (owner,)):
        kinds = {loc["kind"] for loc in record["locations"] or []}
        if record["kind"] == "solo" and "webex_conference" not in kinds:
            return record
    raise AssertionError("no active solo event type")


def owner_id(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    return sandbox.summary.owner


def open_dates(api: Api, sandbox: SandboxServer, event_type: str) -> set[date]:
    start = sandbox.state.clock.now() + timedelta(minutes=30)
    window = {"start_time": iso(start), "end_time": iso(start + timedelta(days=30))}
    found = api("owner").get(
        "/event_type_available_times", params={"event_type": event_type, **window}
    )
    assert found.status_code == 200, found.text
    return {date.fromisoformat(s["start_time"][:10]) for s in found.json()["collection"]}


def test_a_customized_copy_with_a_single_use_link(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    original = solo(sandbox, owner_id(sandbox))
    today = sandbox.state.clock.now().date()
    first, last = today + timedelta(days=5), today + timedelta(days=9)
    made = client.post(
        URL,
        json={
            "event_type": uri(sandbox, "event_types", original["id"]),
            "name": "Chat with Ada",
            "duration": 20,
            "period_type": "fixed",
            "start_date": first.isoformat(),
            "end_date": last.isoformat(),
            "location_configurations": [
                {"kind": "custom", "location": "Café downstairs", "position": 1},
                {"kind": "zoom_conference", "position": 0},
            ],
            "hide_location": False,
        },
    )
    assert made.status_code == 201, made.text
    share = made.json()["resource"]
    (link,) = share["scheduling_links"]
    assert link["booking_url"].startswith(f"{sandbox.base_url}/d/")
    assert link["owner_type"] == "EventType" and link["owner"] != uri(
        sandbox, "event_types", original["id"]
    )
    override = share["share_override"]
    assert (override["name"], override["duration"], override["period_type"]) == (
        "Chat with Ada",
        20,
        "fixed",
    )
    assert (override["start_date"], override["end_date"]) == (first.isoformat(), last.isoformat())
    assert [(c["kind"], c["position"]) for c in override["location_configurations"]] == [
        ("zoom_conference", 0),
        ("custom", 1),
    ]
    copy = client.get(link["owner"]).json()["resource"]
    assert (copy["name"], copy["duration"], copy["secret"]) == ("Chat with Ada", 20, True)
    assert copy["profile"]["owner"] == uri(sandbox, "users", owner_id(sandbox))
    listed = client.get(
        "/event_types", params={"user": copy["profile"]["owner"], "count": 100}
    ).json()["collection"]
    assert link["owner"] not in [e["uri"] for e in listed]  # hidden
    days = open_dates(api, sandbox, link["owner"])
    assert days and days <= {first + timedelta(days=n) for n in range(-1, 6)}
    assert (
        sandbox.state.store.count("scheduling_links", "event_type = ?", (copy["uri"][-16:],)) == 1
    )


def test_what_is_left_out_is_copied(sandbox: SandboxServer, api: Api) -> None:
    original = solo(sandbox, owner_id(sandbox))
    made = api("owner").post(URL, json={"event_type": uri(sandbox, "event_types", original["id"])})
    assert made.status_code == 201, made.text
    override = made.json()["resource"]["share_override"]
    assert override["name"] == original["name"] and override["duration"] == original["duration"]
    assert override["duration_options"] == original["duration_options"]
    assert (override["period_type"], override["max_booking_time"]) == ("moving", 60)
    assert [c["kind"] for c in override["location_configurations"]] == [
        loc["kind"] for loc in original["locations"] or []
    ]
    schedule = sandbox.state.store.find_one(
        "availability_schedules", "user = ? AND is_default = 1", (owner_id(sandbox),)
    )
    assert schedule is not None
    assert override["availability_rule"] == {
        "rules": schedule["rules"],
        "timezone": schedule["timezone"],
    }


def test_own_availability_applies_to_the_copy_only(sandbox: SandboxServer, api: Api) -> None:
    original = solo(sandbox, owner_id(sandbox))
    source = uri(sandbox, "event_types", original["id"])
    before = open_dates(api, sandbox, source)
    rule: dict[str, Any] = {
        "timezone": "UTC",
        "rules": [
            {"type": "wday", "wday": "thursday", "intervals": [{"from": "08:00", "to": "18:00"}]}
        ],
    }
    made = api("owner").post(URL, json={"event_type": source, "availability_rule": rule})
    assert made.status_code == 201, made.text
    assert made.json()["resource"]["share_override"]["availability_rule"] == rule
    copy = made.json()["resource"]["scheduling_links"][0]["owner"]
    days = open_dates(api, sandbox, copy)
    assert days and {d.weekday() for d in days} == {3}
    assert open_dates(api, sandbox, source) == before


def test_the_body_is_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    assert bad_parameters(client.post(URL, json={})) == {"event_type"}
    original = uri(sandbox, "event_types", solo(sandbox, owner_id(sandbox))["id"])
    wrong = client.post(
        URL,
        json={
            "event_type": original,
            "name": "n" * 56,
            "duration": 0,
            "period_type": "fixed",
            "hide_location": "yes",
            "location_configurations": [{"kind": "teleport"}, {"kind": "physical"}],
            "availability_rule": {"timezone": "Nowhere", "rules": [{"type": "wday"}]},
        },
    )
    assert bad_parameters(wrong) == {
        "name",
        "duration",
        "start_date",
        "end_date",
        "hide_location",
        "location_configurations[0].kind",
        "location_configurations[1].location",
        "availability_rule.timezone",
        "availability_rule.rules[0].intervals",
        "availability_rule.rules[0].wday",
    }
    moving = client.post(URL, json={"event_type": original, "max_booking_time": 0})
    assert bad_parameters(moving) == {"max_booking_time"}
    assert bad_parameters(client.post(URL, json={"event_type": original, "period_type": "x"})) == {
        "period_type"
    }


def test_only_one_on_one_types_of_your_own(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    team = next(t for t in store.find("event_types") if t["profile_type"] == "Team")
    refused = api("owner").post(URL, json={"event_type": uri(sandbox, "event_types", team["id"])})
    assert bad_parameters(refused) == {"event_type"}
    original = uri(sandbox, "event_types", solo(sandbox, owner_id(sandbox))["id"])
    denied_with(api("user").post(URL, json={"event_type": original}), "You do not have permission")
    missing = api("owner").post(URL, json={"event_type": uri(sandbox, "event_types", "NOPE0000")})
    assert missing.status_code == 404
    scoped = api("owner", scopes=["event_types:write"]).post(URL, json={"event_type": original})
    assert scoped.status_code == 403 and scoped.json()["required_scopes"] == ["shares:write"]
    assert store.count("event_types", "json_extract(data, '$.share_of') IS NOT NULL") == 0
