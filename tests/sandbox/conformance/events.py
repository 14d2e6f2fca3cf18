"""Conformance cases: scheduled events, invitees, cancellations and no-shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.sandbox.conformance.probe import UNKNOWN, Probe, case, now, stamp
from tests.sandbox.conformance.scheduling import bookable_event_type
from tests.sandbox.helpers import without


# -- scheduled events, invitees, no-shows -------------------------------------------------------
def event(p: Probe, *, future: bool, status: str = "active") -> dict[str, Any]:
    moment = stamp(now(p))
    op = ">" if future else "<"
    return p.row(
        "scheduled_events",
        f"organization = ? AND status = ? AND start_time {op} ?",
        (p.org_id, status, moment),
    )


@case("GET /scheduled_events")
def scheduled_events_list(p: Probe) -> None:
    assert p.call(200, "GET", "/scheduled_events", params={"organization": p.org}).json()[
        "collection"
    ]
    p.call(200, "GET", "/scheduled_events", params={"user": p.owner, "status": "active"})
    p.call(
        200,
        "GET",
        "/scheduled_events",
        params={"organization": p.org, "sort": "start_time:desc", "min_start_time": stamp(now(p))},
    )
    p.refused(400, "organization", "GET", "/scheduled_events")
    p.refused(
        400, "status", "GET", "/scheduled_events", params={"organization": p.org, "status": "done"}
    )
    p.refused(
        400, "count", "GET", "/scheduled_events", params={"organization": p.org, "count": 101}
    )
    p.call(403, "GET", "/scheduled_events", who="user", params={"organization": p.org})


@case("GET /scheduled_events/{uuid}")
def scheduled_events_get(p: Probe) -> None:
    p.read("/scheduled_events", event(p, future=True)["id"])


@case("GET /scheduled_events/{uuid}/invitees")
def invitees_list(p: Probe) -> None:
    record = event(p, future=False)
    listed = p.call(200, "GET", f"/scheduled_events/{record['id']}/invitees")
    assert listed.json()["collection"]
    p.refused(
        400,
        "status",
        "GET",
        f"/scheduled_events/{record['id']}/invitees",
        params={"status": "gone"},
    )
    p.call(404, "GET", f"/scheduled_events/{UNKNOWN}/invitees")


@case("GET /scheduled_events/{event_uuid}/invitees/{invitee_uuid}")
def invitees_get(p: Probe) -> None:
    invitee = p.row("invitees")
    p.read(f"/scheduled_events/{invitee['event']}/invitees", invitee["id"])


@case("POST /scheduled_events/{uuid}/cancellation")
def cancellation_create(p: Probe) -> None:
    upcoming = event(p, future=True)
    url = f"/scheduled_events/{upcoming['id']}/cancellation"
    made = p.call(201, "POST", url, json={"reason": "Conformance"})
    assert made.json()["resource"]["reason"] == "Conformance"
    again = p.call(403, "POST", url, json={})
    assert again.json()["message"] == "Event is already canceled"
    past = event(p, future=False)
    gone = p.call(403, "POST", f"/scheduled_events/{past['id']}/cancellation", json={})
    assert gone.json()["message"] == "Event in the past"
    p.call(404, "POST", f"/scheduled_events/{UNKNOWN}/cancellation", json={})


@case("POST /invitees")
def invitees_create(p: Probe) -> None:
    event_type = p.uri("event_types", bookable_event_type(p)["id"])
    start = now(p) + timedelta(hours=2)
    times = (
        p.client("owner")
        .get(
            "/event_type_available_times",
            params={
                "event_type": event_type,
                "start_time": stamp(start),
                "end_time": stamp(start + timedelta(days=7)),
            },
        )
        .json()["collection"]
    )
    assert times, "no open slot in the next week to book"
    invitee = {
        "email": "booked@elsewhere.example",
        "name": "Booked Person",
        "timezone": "Europe/Berlin",
    }
    body = {"event_type": event_type, "start_time": times[0]["start_time"], "invitee": invitee}
    p.call(201, "POST", "/invitees", json=body)
    p.refused(400, "invitee", "POST", "/invitees", json=without(body, "invitee"))


def no_show_candidate(p: Probe) -> dict[str, Any]:
    moment = stamp(now(p))
    for invitee in p.store.find("invitees", "status = 'active'", order="id"):
        host_event = p.store.get("scheduled_events", invitee["event"])
        if (
            invitee.get("no_show") is None
            and host_event is not None
            and host_event["start_time"] < moment
            and host_event["status"] == "active"
        ):
            return invitee
    pytest.fail("the seed has no past active invitee without a no-show")


@case("POST /invitee_no_shows")
def no_shows_create(p: Probe) -> None:
    invitee = no_show_candidate(p)
    uri = f"{p.base}/scheduled_events/{invitee['event']}/invitees/{invitee['id']}"
    made = p.call(201, "POST", "/invitee_no_shows", json={"invitee": uri})
    assert made.json()["resource"]["invitee"] == uri
    p.refused(400, "invitee", "POST", "/invitee_no_shows", json={})
    p.call(
        404,
        "POST",
        "/invitee_no_shows",
        json={"invitee": f"{p.base}/scheduled_events/{UNKNOWN}/invitees/{UNKNOWN}"},
    )


@case("GET /invitee_no_shows/{uuid}")
def no_shows_get(p: Probe) -> None:
    p.read("/invitee_no_shows", p.row("no_shows")["id"])


@case("DELETE /invitee_no_shows/{uuid}")
def no_shows_delete(p: Probe) -> None:
    p.delete_twice(f"/invitee_no_shows/{p.row('no_shows')['id']}")
