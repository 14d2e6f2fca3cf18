"""Two bookings racing for the last seat of a slot: exactly one wins, the other is told why."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.sandbox.booking_support import (
    event_of,
    event_type,
    first_open,
    one_on_one,
    open_times,
    request_body,
)
from tests.sandbox.helpers import Api, bad_parameters


def race(clients: list[httpx.Client], bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """POST every body at once, one thread (and connection) each."""
    ready = threading.Barrier(len(bodies))

    def post(pair: tuple[httpx.Client, dict[str, Any]]) -> httpx.Response:
        client, body = pair
        ready.wait(timeout=10)
        return client.post("/invitees", json=body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, zip(clients, bodies, strict=True)))


def contenders(sandbox: SandboxServer, record: Record, start: str) -> list[dict[str, Any]]:
    people = [("ada@example.com", "Ada Racer"), ("bo@example.com", "Bo Racer")]
    return [
        request_body(
            sandbox, record, start, invitee={"email": e, "name": n, "timezone": "Europe/Paris"}
        )
        for e, n in people
    ]


def one_winner(responses: list[httpx.Response]) -> dict[str, Any]:
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 400], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 400)
    assert bad_parameters(loser) == {"start_time"}
    winner: dict[str, Any] = next(r for r in responses if r.status_code == 201).json()["resource"]
    return winner


def test_two_bookings_of_a_one_on_one_slot(sandbox: SandboxServer, api: Api) -> None:
    record = event_type(sandbox, one_on_one)
    first, second = api("owner"), api("admin")
    start = first_open(first, sandbox, record)
    winner = one_winner(race([first, second], contenders(sandbox, record, start)))
    store = sandbox.state.store
    booked = store.count(
        "scheduled_events",
        "event_type = ? AND start_time = ? AND status = 'active'",
        (record["id"], start),
    )
    assert booked == 1
    assert store.count("invitees", "email IN ('ada@example.com', 'bo@example.com')") == 1
    assert winner["email"] in ("ada@example.com", "bo@example.com")


def test_two_bookings_of_the_last_group_seat(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, lambda r: r["kind"] == "group")
    record = {**record, "invitee_limit": 2}
    sandbox.state.store.update("event_types", record)
    start = next(t for t in open_times(client, sandbox, record) if t["invitees_remaining"] == 2)[
        "start_time"
    ]
    opener = {"email": "first@example.com", "name": "First In", "timezone": "UTC"}
    made = client.post("/invitees", json=request_body(sandbox, record, start, invitee=opener))
    assert made.status_code == 201, made.text
    seats = {t["start_time"]: t["invitees_remaining"] for t in open_times(client, sandbox, record)}
    assert seats[start] == 1

    winner = one_winner(race([client, api("admin")], contenders(sandbox, record, start)))
    assert winner["event"] == made.json()["resource"]["event"]
    event = client.get(event_of(sandbox, winner)).json()["resource"]
    assert event["invitees_counter"] == {"total": 2, "active": 2, "limit": 2}
    assert start not in [t["start_time"] for t in open_times(client, sandbox, record)]
