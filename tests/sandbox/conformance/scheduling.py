"""Conformance cases: event types, availability, scheduling links and shares."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.sandbox.conformance.probe import UNKNOWN, Probe, case, now, stamp
from tests.sandbox.helpers import without
from tests.sandbox.spec_facts import SCHEDULING_LINK_MAX_EVENT_COUNTS


# -- event types --------------------------------------------------------------------------------
def solo_event_type(p: Probe) -> dict[str, Any]:
    for record in p.store.find(
        "event_types", "organization = ? AND owner = ?", (p.org_id, p.summary.owner)
    ):
        if record["kind"] == "solo" and record["type"] == "StandardEventType":
            return record
    pytest.fail("the seed has no solo event type of the owner")


def bookable_event_type(p: Probe) -> dict[str, Any]:
    for record in p.store.find("event_types", "organization = ? AND active = 1", (p.org_id,)):
        if (
            record["kind"] == "solo"
            and record["type"] == "StandardEventType"
            and (record.get("deleted_at") is None)
        ):
            return record
    pytest.fail("the seed has no active solo event type")


@case("GET /event_types")
def event_types_list(p: Probe) -> None:
    assert p.call(200, "GET", "/event_types", params={"organization": p.org}).json()["collection"]
    p.call(200, "GET", "/event_types", params={"user": p.owner, "sort": "position:asc"})
    p.call(200, "GET", "/event_types", params={"organization": p.org, "active": "true"})
    p.refused(400, "organization", "GET", "/event_types")
    p.refused(400, "sort", "GET", "/event_types", params={"organization": p.org, "sort": "x:up"})
    p.call(403, "GET", "/event_types", params={"organization": p.foreign_org})


@case("POST /event_types")
def event_types_create(p: Probe) -> None:
    made = p.call(
        201,
        "POST",
        "/event_types",
        json={"owner": p.owner, "name": "Conformance chat", "duration": 25},
    )
    assert made.json()["resource"]["duration"] == 25
    body = p.refused(400, "name", "POST", "/event_types", json={"duration": 30})
    assert "owner" in [d.get("parameter") for d in body["details"]]
    member = p.user_member()
    p.call(
        403,
        "POST",
        "/event_types",
        who=p.email_of(member),
        json={"owner": p.owner, "name": "Not mine"},
    )


@case("GET /event_types/{uuid}")
def event_types_get(p: Probe) -> None:
    p.read("/event_types", bookable_event_type(p)["id"])


@case("PATCH /event_types/{uuid}")
def event_types_update(p: Probe) -> None:
    record = solo_event_type(p)
    changed = p.call(200, "PATCH", f"/event_types/{record['id']}", json={"name": "Renamed"})
    assert changed.json()["resource"]["name"] == "Renamed"
    p.refused(400, "duration", "PATCH", f"/event_types/{record['id']}", json={"duration": 0})
    p.call(404, "PATCH", f"/event_types/{UNKNOWN}", json={"name": "x"})


@case("GET /event_type_memberships")
def event_type_memberships_list(p: Probe) -> None:
    record = bookable_event_type(p)
    hosts = p.call(
        200,
        "GET",
        "/event_type_memberships",
        params={"event_type": p.uri("event_types", record["id"])},
    )
    assert hosts.json()["collection"]
    p.refused(400, "event_type", "GET", "/event_type_memberships")
    p.call(
        404, "GET", "/event_type_memberships", params={"event_type": p.uri("event_types", UNKNOWN)}
    )


@case("GET /event_type_available_times")
def available_times_list(p: Probe) -> None:
    event_type = p.uri("event_types", bookable_event_type(p)["id"])
    start = now(p) + timedelta(hours=1)
    window = {
        "event_type": event_type,
        "start_time": stamp(start),
        "end_time": stamp(start + timedelta(days=7)),
    }
    p.call(200, "GET", "/event_type_available_times", params=window)
    p.refused(
        400,
        "event_type",
        "GET",
        "/event_type_available_times",
        params=without(window, "event_type"),
    )
    too_long = {**window, "end_time": stamp(start + timedelta(days=40))}
    p.refused(400, "end_time", "GET", "/event_type_available_times", params=too_long)
    past = {**window, "start_time": stamp(start - timedelta(days=2))}
    p.refused(400, "start_time", "GET", "/event_type_available_times", params=past)


@case("GET /event_type_availability_schedules")
def event_type_schedules_list(p: Probe) -> None:
    event_type = p.uri("event_types", solo_event_type(p)["id"])
    p.call(200, "GET", "/event_type_availability_schedules", params={"event_type": event_type})
    p.refused(400, "event_type", "GET", "/event_type_availability_schedules")
    p.call(
        404,
        "GET",
        "/event_type_availability_schedules",
        params={"event_type": p.uri("event_types", UNKNOWN)},
    )


@case("PATCH /event_type_availability_schedules")
def event_type_schedules_update(p: Probe) -> None:
    event_type = p.uri("event_types", solo_event_type(p)["id"])
    rule = {
        "timezone": "America/New_York",
        "rules": [
            {"type": "wday", "wday": "monday", "intervals": [{"from": "09:00", "to": "12:00"}]}
        ],
    }
    p.call(
        200,
        "PATCH",
        "/event_type_availability_schedules",
        params={"event_type": event_type},
        json={"availability_rule": rule},
    )
    p.refused(
        400,
        "availability_rule",
        "PATCH",
        "/event_type_availability_schedules",
        params={"event_type": event_type},
        json={},
    )


@case("POST /one_off_event_types")
def one_off_create(p: Probe) -> None:
    body = {
        "name": "One-off",
        "host": p.owner,
        "duration": 30,
        "date_setting": {"type": "days_in_future", "days": 14},
    }
    p.call(201, "POST", "/one_off_event_types", json=body)
    p.refused(400, "name", "POST", "/one_off_event_types", json=without(body, "name"))


@case("POST /scheduling_links")
def scheduling_links_create(p: Probe) -> None:
    owner = p.uri("event_types", bookable_event_type(p)["id"])
    # facts §2.7, §9.6: S1 sends max_event_count as a number, S2 as a string; both work.
    for count in SCHEDULING_LINK_MAX_EVENT_COUNTS:
        link = p.call(
            201,
            "POST",
            "/scheduling_links",
            json={"max_event_count": count, "owner": owner, "owner_type": "EventType"},
        )
        assert link.json()["resource"]["owner"] == owner
    p.refused(
        400,
        "owner",
        "POST",
        "/scheduling_links",
        json={"max_event_count": "1", "owner_type": "EventType"},
    )
    p.call(
        404,
        "POST",
        "/scheduling_links",
        json={
            "max_event_count": "1",
            "owner": p.uri("event_types", UNKNOWN),
            "owner_type": "EventType",
        },
    )


@case("POST /shares")
def shares_create(p: Probe) -> None:
    event_type = p.uri("event_types", solo_event_type(p)["id"])
    p.call(201, "POST", "/shares", json={"event_type": event_type, "name": "Shared"})
    p.refused(400, "event_type", "POST", "/shares", json={})


# -- availability -------------------------------------------------------------------------------
@case("GET /user_availability_schedules")
def user_schedules_list(p: Probe) -> None:
    assert p.call(200, "GET", "/user_availability_schedules", params={"user": p.owner}).json()[
        "collection"
    ]
    p.refused(400, "user", "GET", "/user_availability_schedules")
    p.call(404, "GET", "/user_availability_schedules", params={"user": p.uri("users", UNKNOWN)})


@case("GET /user_availability_schedules/{uuid}")
def user_schedules_get(p: Probe) -> None:
    schedule = p.row("availability_schedules", "user = ?", (p.summary.owner,))
    p.read("/user_availability_schedules", schedule["id"])


@case("GET /user_busy_times")
def busy_times_list(p: Probe) -> None:
    start = now(p) + timedelta(minutes=5)
    window = {
        "user": p.owner,
        "start_time": stamp(start),
        "end_time": stamp(start + timedelta(days=6)),
    }
    p.call(200, "GET", "/user_busy_times", params=window)
    p.refused(400, "user", "GET", "/user_busy_times", params=without(window, "user"))
    p.refused(
        400,
        "end_time",
        "GET",
        "/user_busy_times",
        params={**window, "end_time": stamp(start + timedelta(days=9))},
    )


@case("GET /locations")
def locations_list(p: Probe) -> None:
    p.call(200, "GET", "/locations", params={"user": p.owner})
    p.refused(400, "user", "GET", "/locations")
