"""The Scheduling API books like the UI: one-on-one, group, round robin and collective types."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.booking import host_is_free
from desktop.sandbox.bus import Happened
from tests.sandbox.booking_support import (
    event_of,
    event_type,
    first_open,
    kinds,
    one_on_one,
    open_times,
    request_body,
)
from tests.sandbox.helpers import Api, all_pages, bad_parameters, uri, user_uri, when


def test_one_on_one_booking_creates_the_event_and_invitee(sandbox: SandboxServer, api: Api) -> None:
    client = api("admin")
    me = client.get("/users/me").json()["resource"]
    record = event_type(sandbox, lambda r: one_on_one(r) and bool(r["custom_questions"]))
    start = first_open(client, sandbox, record)
    body = request_body(
        sandbox,
        record,
        start,
        tracking={
            "utm_campaign": "spring",
            "utm_source": "newsletter",
            "utm_medium": "email",
            "utm_content": None,
            "utm_term": None,
            "salesforce_uuid": None,
        },
        event_guests=["Guest.One@Example.com", "guest.two@example.com"],
    )
    response = client.post("/invitees", json=body)
    assert response.status_code == 201, response.text
    invitee = response.json()["resource"]
    assert invitee["email"] == "pat.booker@example.com"
    assert invitee["name"] == "Pat Booker"
    assert invitee["timezone"] == "Europe/Berlin"
    assert invitee["status"] == "active"
    assert invitee["scheduling_method"] == "api"
    assert invitee["invitee_scheduled_by"] == me["uri"]
    assert invitee["tracking"]["utm_campaign"] == "spring"
    assert invitee["tracking"]["utm_content"] is None
    ident = invitee["uri"].rsplit("/", 1)[1]
    assert invitee["cancel_url"].endswith(f"/cancellations/{ident}")
    assert invitee["reschedule_url"].endswith(f"/reschedulings/{ident}")
    asked = {(qa["question"], qa["answer"]) for qa in body["questions_and_answers"]}
    assert {(qa["question"], qa["answer"]) for qa in invitee["questions_and_answers"]} == asked

    # The event and the invitee read back like any other booking.
    event = client.get(event_of(sandbox, invitee)).json()["resource"]
    assert event["uri"] == invitee["event"]
    assert event["status"] == "active"
    assert event["name"] == record["name"]
    assert event["event_type"] == uri(sandbox, "event_types", record["id"])
    assert when(event["start_time"]) == when(start)
    assert when(event["end_time"]) - when(start) == timedelta(minutes=record["duration"])
    assert [m["user"] for m in event["event_memberships"]] == [user_uri(sandbox, record["owner"])]
    assert event["invitees_counter"] == {"total": 1, "active": 1, "limit": 1}
    assert {g["email"] for g in event["event_guests"]} == {
        "guest.one@example.com",
        "guest.two@example.com",
    }
    listed = all_pages(client, event_of(sandbox, invitee) + "/invitees", {})
    assert [i["uri"] for i in listed] == [invitee["uri"]]
    again = client.get(event_of(sandbox, invitee) + f"/invitees/{ident}").json()["resource"]
    assert again == invitee
    # The host sees it among their scheduled events.
    mine = all_pages(
        client,
        "/scheduled_events",
        {
            "organization": uri(sandbox, "organizations", record["organization"]),
            "user": user_uri(sandbox, record["owner"]),
            "min_start_time": start,
        },
    )
    assert invitee["event"] in [e["uri"] for e in mine]


def test_the_booked_slot_is_no_longer_offered(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, one_on_one)
    start = first_open(client, sandbox, record)
    booked = client.post("/invitees", json=request_body(sandbox, record, start))
    assert booked.status_code == 201, booked.text
    assert start not in [t["start_time"] for t in open_times(client, sandbox, record)]
    again = client.post("/invitees", json=request_body(sandbox, record, start))
    assert bad_parameters(again) == {"start_time"}


def test_first_name_and_last_name_make_the_name(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    record = event_type(sandbox, one_on_one)
    start = first_open(client, sandbox, record)
    invitee = {
        "email": "ana@example.org",
        "first_name": "Ana",
        "last_name": "Lima",
        "timezone": "America/Sao_Paulo",
        "text_reminder_number": "+5511987654321",
    }
    response = client.post("/invitees", json=request_body(sandbox, record, start, invitee=invitee))
    assert response.status_code == 201, response.text
    made = response.json()["resource"]
    assert (made["name"], made["first_name"], made["last_name"]) == ("Ana Lima", "Ana", "Lima")
    assert made["text_reminder_number"] == "+5511987654321"
    me = client.get("/users/me").json()["resource"]
    assert made["invitee_scheduled_by"] == me["uri"]


def _location_of(sandbox: SandboxServer, api: Api, kind: str) -> tuple[dict[str, Any], Any]:
    """Book the first one-on-one type offering ``kind`` with that kind; its event's location."""
    client = api("owner")
    record = event_type(sandbox, lambda r: one_on_one(r) and kind in kinds(r))
    config = next(c for c in record["locations"] if c["kind"] == kind)
    location: dict[str, Any] = {"kind": kind}
    if kind in ("physical", "custom"):
        location["location"] = config["location"]
    elif kind == "ask_invitee":
        location["location"] = "Blue Bottle, Market St"
    elif kind == "outbound_call":
        location["location"] = "+1 415 555 0199"
    start = first_open(client, sandbox, record)
    response = client.post(
        "/invitees", json=request_body(sandbox, record, start, location=location)
    )
    assert response.status_code == 201, response.text
    event = client.get(event_of(sandbox, response.json()["resource"])).json()["resource"]
    return config, event["location"]


@pytest.mark.parametrize(
    ("kind", "output"),
    [
        ("zoom_conference", "zoom"),
        ("google_conference", "google_conference"),
        ("microsoft_teams_conference", "microsoft_teams_conference"),
        ("gotomeeting_conference", "gotomeeting"),
        ("webex_conference", "webex_conference"),
    ],
)
def test_a_conference_gets_a_join_url(
    sandbox: SandboxServer, api: Api, kind: str, output: str
) -> None:
    _, location = _location_of(sandbox, api, kind)
    assert location["type"] == output
    assert location["status"] == "pushed"
    assert location["join_url"].startswith("https://")


def test_places_and_calls_carry_their_details(sandbox: SandboxServer, api: Api) -> None:
    config, physical = _location_of(sandbox, api, "physical")
    assert physical["type"] == "physical"
    assert physical["location"] == config["location"]
    _, asked = _location_of(sandbox, api, "ask_invitee")
    assert asked == {"type": "ask_invitee", "location": "Blue Bottle, Market St"}
    _, outbound = _location_of(sandbox, api, "outbound_call")
    assert outbound == {"type": "outbound_call", "location": "+1 415 555 0199"}
    config, inbound = _location_of(sandbox, api, "inbound_call")
    assert inbound["type"] == "inbound_call"
    assert inbound["location"] == config["phone_number"]
    config, custom = _location_of(sandbox, api, "custom")
    assert custom == {"type": "custom", "location": config["location"]}


def test_group_bookings_share_one_event_and_count_seats(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: r["kind"] == "group")
    limit = record["invitee_limit"]
    # A session others have already joined, if the month has one; else a fresh one.
    roomy = [t for t in open_times(client, sandbox, record, 31) if t["invitees_remaining"] > 2]
    slot = min(roomy, key=lambda t: (t["invitees_remaining"] == limit, t["start_time"]))
    start, seats = slot["start_time"], slot["invitees_remaining"]
    first = client.post("/invitees", json=request_body(sandbox, record, start))
    assert first.status_code == 201, first.text
    after = {
        t["start_time"]: t["invitees_remaining"] for t in open_times(client, sandbox, record, 31)
    }
    assert after[start] == seats - 1
    other = {"email": "sam@example.net", "name": "Sam Second", "timezone": "Asia/Tokyo"}
    second = client.post("/invitees", json=request_body(sandbox, record, start, invitee=other))
    assert second.status_code == 201, second.text
    assert second.json()["resource"]["event"] == first.json()["resource"]["event"]
    event = client.get(event_of(sandbox, first.json()["resource"])).json()["resource"]
    taken = limit - seats  # invitees already booked into that session before these two
    assert event["invitees_counter"]["active"] == taken + 2
    assert event["invitees_counter"]["limit"] == limit
    later = {
        t["start_time"]: t["invitees_remaining"] for t in open_times(client, sandbox, record, 31)
    }
    assert later[start] == seats - 2
    invitees = all_pages(client, event_of(sandbox, first.json()["resource"]) + "/invitees", {})
    assert {"pat.booker@example.com", "sam@example.net"} <= {i["email"] for i in invitees}


def test_round_robin_picks_a_free_host_each_time(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: r["pooling_type"] == "round_robin")
    hosts = list(record["hosts"])
    state = sandbox.state
    start = None
    for slot in open_times(client, sandbox, record):
        moment = when(slot["start_time"])
        if sum(host_is_free(state, record, h, moment) for h in hosts) >= 2:
            start = slot["start_time"]
            break
    assert start is not None, "no slot with two free round robin hosts in the next week"
    picked = []
    for email in ("first@example.com", "second@example.com"):
        invitee = {"email": email, "name": "Round Robin", "timezone": "UTC"}
        made = client.post("/invitees", json=request_body(sandbox, record, start, invitee=invitee))
        assert made.status_code == 201, made.text
        event = client.get(event_of(sandbox, made.json()["resource"])).json()["resource"]
        members = [m["user"] for m in event["event_memberships"]]
        assert len(members) == 1
        picked.append(members[0])
    assert set(picked) <= {user_uri(sandbox, h) for h in hosts}
    assert picked[0] != picked[1], "the second booking must go to another, still free host"


def test_round_robin_prefers_the_host_with_fewest_upcoming_meetings(
    sandbox: SandboxServer, api: Api
) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: r["pooling_type"] == "round_robin")
    state = sandbox.state
    org = uri(sandbox, "organizations", record["organization"])
    now = state.clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def upcoming(host: str) -> int:
        params = {"organization": org, "user": user_uri(sandbox, host), "status": "active"}
        return len(all_pages(client, "/scheduled_events", {**params, "min_start_time": now}))

    counts = {h: upcoming(h) for h in record["hosts"]}
    slot, least = None, None
    for item in open_times(client, sandbox, record, days=31):
        free = [h for h in counts if host_is_free(state, record, h, when(item["start_time"]))]
        ranked = sorted(counts[h] for h in free)
        if len(ranked) >= 2 and ranked[0] < ranked[-1]:
            slot, least = item["start_time"], ranked[0]
            break
    assert slot is not None, "no slot where free round robin hosts differ in upcoming meetings"
    made = client.post("/invitees", json=request_body(sandbox, record, slot))
    assert made.status_code == 201, made.text
    event = client.get(event_of(sandbox, made.json()["resource"])).json()["resource"]
    chosen = event["event_memberships"][0]["user"].rsplit("/", 1)[1]
    assert counts[chosen] == least


def test_round_robin_refuses_a_location(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: r["pooling_type"] == "round_robin")
    start = first_open(client, sandbox, record)
    kind = record["locations"][0]["kind"]
    response = client.post(
        "/invitees", json=request_body(sandbox, record, start, location={"kind": kind})
    )
    assert bad_parameters(response) == {"location"}


def test_collective_bookings_include_every_host(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: r["pooling_type"] == "collective")
    start = first_open(client, sandbox, record)
    made = client.post("/invitees", json=request_body(sandbox, record, start))
    assert made.status_code == 201, made.text
    event = client.get(event_of(sandbox, made.json()["resource"])).json()["resource"]
    members = {m["user"] for m in event["event_memberships"]}
    assert members == {user_uri(sandbox, h) for h in record["hosts"]}
    # Every host is now busy then: the slot is gone.
    assert start not in [t["start_time"] for t in open_times(client, sandbox, record)]


def test_a_booking_announces_invitee_created(sandbox: SandboxServer, api: Api) -> None:
    heard: list[Happened] = []
    listen = heard.append
    sandbox.state.bus.subscribe(listen)
    try:
        client = api("owner")
        record = event_type(sandbox, one_on_one)
        made = client.post(
            "/invitees", json=request_body(sandbox, record, first_open(client, sandbox, record))
        )
        assert made.status_code == 201, made.text
    finally:
        sandbox.state.bus.unsubscribe(listen)
    created = [h for h in heard if h.event == "invitee.created"]
    assert len(created) == 1
    assert created[0].organization == record["organization"]
    assert created[0].subject["id"] == made.json()["resource"]["uri"].rsplit("/", 1)[1]
    assert created[0].subject["scheduling_method"] == "api"
