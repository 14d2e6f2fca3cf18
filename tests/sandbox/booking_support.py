"""Shared by the Scheduling API tests: bookable event types, open slots, request bodies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import uri, when

ANSWERS = {
    "string": "Acme Corp",
    "text": "Let's talk about the roll-out.",
    "phone_number": "+1 415 555 0100",
}
INVITEE = {"email": "Pat.Booker@Example.com", "name": "Pat Booker", "timezone": "Europe/Berlin"}


def bookable(record: Record) -> bool:
    return bool(
        record["active"]
        and record["booking_method"] == "instant"
        and record.get("deleted_at") is None
        and record["type"] == "StandardEventType"
    )


def event_types(
    sandbox: SandboxServer, where: Callable[[Record], bool] = lambda r: True
) -> list[Record]:
    """The seeded organization's bookable event types matching ``where``, by id."""
    found = sandbox.state.store.find("event_types", order="id")
    return [r for r in found if bookable(r) and where(r)]


def event_type(sandbox: SandboxServer, where: Callable[[Record], bool] = lambda r: True) -> Record:
    found = event_types(sandbox, where)
    if not found:
        pytest.fail("the seed has no bookable event type of that kind")
    return found[0]


def one_on_one(record: Record) -> bool:
    return record["kind"] == "solo" and record["pooling_type"] is None


def kinds(record: Record) -> list[str]:
    return [str(c["kind"]) for c in record.get("locations") or []]


def open_times(
    client: httpx.Client, sandbox: SandboxServer, record: Record, days: int = 7
) -> list[dict[str, Any]]:
    """``/event_type_available_times`` for the next ``days`` days (from a minute from now)."""
    start = sandbox.state.clock.now() + timedelta(minutes=1)
    response = client.get(
        "/event_type_available_times",
        params={
            "event_type": uri(sandbox, "event_types", record["id"]),
            "start_time": iso(start),
            "end_time": iso(start + timedelta(days=days)),
        },
    )
    assert response.status_code == 200, response.text
    times: list[dict[str, Any]] = response.json()["collection"]
    return times


def first_open(client: httpx.Client, sandbox: SandboxServer, record: Record) -> str:
    times = open_times(client, sandbox, record)
    if not times:
        pytest.fail(f"event type {record['id']} has no open slot in the next week")
    return str(times[0]["start_time"])


def spread_starts(
    client: httpx.Client, sandbox: SandboxServer, record: Record, count: int
) -> list[str]:
    """``count`` open starts far enough apart that booking one never takes another."""
    gap = timedelta(minutes=int(record["duration"]))
    found: list[str] = []
    last = None
    for item in open_times(client, sandbox, record, days=31):
        moment = item["start_time"]
        moment_at = when(moment)
        if last is None or moment_at - last >= gap:
            found.append(moment)
            last = moment_at
        if len(found) == count:
            return found
    pytest.fail(f"event type {record['id']} has fewer than {count} separate open slots")


def answers_for(record: Record) -> list[dict[str, Any]]:
    """Valid answers to every enabled required question."""
    found = []
    for q in record["custom_questions"]:
        if not (q["enabled"] and q["required"]):
            continue
        if q["type"] in ("single_select", "multi_select"):
            answer = q["answer_choices"][0]
        else:
            answer = ANSWERS[q["type"]]
        found.append({"question": q["name"], "answer": answer, "position": q["position"]})
    return found


def location_for(record: Record) -> dict[str, Any] | None:
    """A valid ``location`` for the event type's first location (None for round robin)."""
    configs = record.get("locations") or []
    if record["pooling_type"] == "round_robin" or not configs:
        return None
    config = configs[0]
    kind = config["kind"]
    if kind in ("physical", "custom"):
        return {"kind": kind, "location": config["location"]}
    if kind == "ask_invitee":
        return {"kind": kind, "location": "The café on the corner"}
    if kind == "outbound_call":
        return {"kind": kind, "location": "+1 415 555 0199"}
    return {"kind": kind}


def request_body(
    sandbox: SandboxServer, record: Record, start: str, **changes: Any
) -> dict[str, Any]:
    """A valid ``POST /invitees`` body for ``record`` at ``start``; ``changes`` override keys."""
    body: dict[str, Any] = {
        "event_type": uri(sandbox, "event_types", record["id"]),
        "start_time": start,
        "invitee": dict(INVITEE),
        "questions_and_answers": answers_for(record),
    }
    location = location_for(record)
    if location is not None:
        body["location"] = location
    body.update(changes)
    return body


def event_of(sandbox: SandboxServer, invitee: dict[str, Any]) -> str:
    """The path of an invitee's scheduled event (``/scheduled_events/<id>``)."""
    return "/scheduled_events/" + str(invitee["event"]).rsplit("/", 1)[1]
