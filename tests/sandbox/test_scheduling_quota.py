"""The Scheduling API's own limits: 10 a minute, 50 an hour, 100 a day per user (facts §5.3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx

from desktop.sandbox import SandboxServer
from tests.sandbox import spec
from tests.sandbox.booking_support import (
    event_type,
    one_on_one,
    request_body,
    spread_starts,
    when,
)
from tests.sandbox.helpers import Api, bad_parameters


def limited(response: httpx.Response, limit: int) -> int:
    """Assert a 429 with the window's headers (each once); returns its X-RateLimit-Reset."""
    assert response.status_code == 429, response.text
    assert response.json()["title"] == "Too Many Requests"
    for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        assert len(response.headers.get_list(name)) == 1, response.headers
    assert response.headers["X-RateLimit-Limit"] == str(limit)
    assert response.headers["X-RateLimit-Remaining"] == "0"
    return int(response.headers["X-RateLimit-Reset"])


def refused(client: httpx.Client, times: int) -> None:
    """``times`` invalid requests (no body fields): each answered 400, each counted."""
    for _ in range(times):
        assert bad_parameters(client.post("/invitees", json={}))


def spend(sandbox: SandboxServer, client: httpx.Client, minutes: int) -> None:
    """Ten counted requests a minute for ``minutes`` minutes (the clock moves a minute each)."""
    for _ in range(minutes):
        refused(client, 10)
        sandbox.advance_clock(61)


def test_the_eleventh_booking_in_a_minute_waits_a_minute(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, one_on_one)
    starts = spread_starts(client, sandbox, record, 11)
    for start in starts[:10]:
        made = client.post("/invitees", json=request_body(sandbox, record, start))
        assert made.status_code == 201, made.text
    eleventh = client.post("/invitees", json=request_body(sandbox, record, starts[10]))
    assert 1 <= limited(eleventh, 10) <= 60
    # Nothing was booked for that time (other members' meetings may start then too).
    assert not sandbox.state.store.count(
        "scheduled_events", "start_time = ? AND event_type = ?", (starts[10], record["id"])
    )
    sandbox.advance_clock(60)
    again = client.post("/invitees", json=request_body(sandbox, record, starts[10]))
    assert again.status_code == 201, again.text


def test_refused_requests_count_too(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, one_on_one)
    start = spread_starts(client, sandbox, record, 1)[0]
    refused(client, 10)
    limited(client.post("/invitees", json=request_body(sandbox, record, start)), 10)


def test_the_fifty_first_in_an_hour_waits_for_the_hour(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    record = event_type(sandbox, one_on_one)
    # The clock moves on by about an hour below: take a slot that is still ahead by then.
    later = sandbox.state.clock.now() + timedelta(hours=2)
    start = next(s for s in spread_starts(client, sandbox, record, 40) if when(s) >= later)
    spend(sandbox, client, 5)  # 50 requests over five minutes: no minute was over 10
    reset = limited(client.post("/invitees", json=request_body(sandbox, record, start)), 50)
    assert 3600 - 6 * 61 <= reset <= 3600 - 4 * 61
    sandbox.advance_clock(reset)
    made = client.post("/invitees", json=request_body(sandbox, record, start))
    assert made.status_code == 201, made.text


def test_the_hundred_and_first_in_a_day_waits_for_the_day(sandbox: SandboxServer, api: Api) -> None:
    client = api("owner")
    spend(sandbox, client, 5)
    sandbox.advance_clock(3600)
    spend(sandbox, client, 5)
    reset = limited(client.post("/invitees", json={}), 100)
    assert 86_400 - 3600 - 11 * 61 <= reset <= 86_400 - 3600
    sandbox.advance_clock(reset)
    refused(client, 1)


def test_limits_are_per_user(sandbox: SandboxServer, api: Api) -> None:
    owner, admin = api("owner"), api("admin")
    record = event_type(sandbox, one_on_one)
    start = spread_starts(owner, sandbox, record, 1)[0]
    refused(owner, 10)
    limited(owner.post("/invitees", json={}), 10)
    made = admin.post("/invitees", json=request_body(sandbox, record, start))
    assert made.status_code == 201, made.text


def test_a_trial_books_five_a_day(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    assert sandbox.summary is not None
    org = store.get("organizations", sandbox.summary.organization)
    assert org is not None
    store.update("organizations", {**org, "stage": "trial"})
    client = api("owner")
    refused(client, 5)
    reset = limited(client.post("/invitees", json={}), 5)
    assert 86_400 - 60 <= reset <= 86_400


def test_a_reset_forgets_the_count(sandbox: SandboxServer, api: Api) -> None:
    refused(api("owner"), 10)
    limited(api("owner").post("/invitees", json={}), 10)
    sandbox.reset()
    refused(api("owner"), 1)  # a 400, not a 429


def test_the_limits_are_configurable(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(members=4, events=20, scheduling_per_minute=2, scheduling_per_hour=3)
    with spec.client(server.base_url, server.token_for("owner")) as client:
        refused(client, 2)
        limited(client.post("/invitees", json={}), 2)
        server.advance_clock(61)
        refused(client, 1)
        limited(client.post("/invitees", json={}), 3)


def test_the_general_budget_still_applies(
    sandbox: SandboxServer, api: Api, control: httpx.Client
) -> None:
    control.post("/_sandbox/rate_limit", json={"limit": 3, "window_seconds": 60})
    client = api("owner")
    refused(client, 3)
    limited(client.post("/invitees", json={}), 3)
