"""Event type available times on seeded data: solo and pooled hosts, overrides, the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from desktop.sandbox import SandboxServer
from desktop.sandbox.wire import iso
from tests.sandbox.helpers import Api, bad_parameters, utc, when


def default_schedule(sandbox: SandboxServer, user_id: str) -> dict[str, Any]:
    found = sandbox.state.store.find_one(
        "availability_schedules", "user = ? AND is_default = 1", (user_id,)
    )
    assert found is not None
    return found


def inside_schedule(schedule: dict[str, Any], start: datetime, minutes: int) -> bool:
    """Checked by hand: the meeting lies in one interval of that local day's rules."""
    zone = ZoneInfo(schedule["timezone"])
    lo = start.astimezone(zone)
    hi = (start + timedelta(minutes=minutes)).astimezone(zone)
    day = lo.date()
    rules = [r for r in schedule["rules"] if r["type"] == "date" and r["date"] == day.isoformat()]
    if not rules:
        rules = [
            r
            for r in schedule["rules"]
            if r["type"] == "wday" and r["wday"] == lo.strftime("%A").lower()
        ]
    begin, end = lo.strftime("%H:%M"), hi.strftime("%H:%M")
    if hi.date() != day:
        end = "24:00" if hi.time() == datetime.min.time() else "99:99"
    return any(i["from"] <= begin and end <= i["to"] for r in rules for i in r["intervals"])


def busy_of(sandbox: SandboxServer, user_id: str) -> list[tuple[datetime, datetime]]:
    store = sandbox.state.store
    events = store.scalars(
        "SELECT e.id FROM event_hosts h JOIN scheduled_events e ON e.id = h.event "
        "WHERE h.user = ? AND e.status = 'active'",
        (user_id,),
    )
    spans = []
    for event_id in events:
        event = store.get("scheduled_events", event_id)
        assert event is not None
        spans.append((when(event["start_time"]), when(event["end_time"])))
    for block in store.find("busy_blocks", "user = ?", (user_id,)):
        spans.append((when(block["start_time"]), when(block["end_time"])))
    return spans


def free(busy: list[tuple[datetime, datetime]], start: datetime, minutes: int) -> bool:
    end = start + timedelta(minutes=minutes)
    return not any(lo < end and hi > start for lo, hi in busy)


def hosts_of(sandbox: SandboxServer, event_type_id: str) -> list[str]:
    return [
        h["user"]
        for h in sandbox.state.store.find("event_type_hosts", "event_type = ?", (event_type_id,))
    ]


def week(sandbox: SandboxServer, days: float = 7) -> dict[str, str]:
    start = sandbox.state.clock.now() + timedelta(hours=1)
    return {"start_time": iso(start), "end_time": iso(start + timedelta(days=days))}


def busy_solo_type(sandbox: SandboxServer, params: dict[str, str]) -> dict[str, Any]:
    """An active one-on-one type whose owner has booked events in working hours that week."""
    store = sandbox.state.store
    lo, hi = when(params["start_time"]), when(params["end_time"])
    for record in store.find("event_types", "active = 1 AND owner IS NOT NULL", order="id"):
        if record["kind"] != "solo" or record["booking_method"] != "instant":
            continue
        schedule = default_schedule(sandbox, record["owner"])
        booked = [
            (a, b)
            for a, b in busy_of(sandbox, record["owner"])
            if lo < a
            and b < hi
            and inside_schedule(schedule, a, int((b - a).total_seconds() // 60))
        ]
        if len(booked) >= 2:
            return record
    raise AssertionError("no solo host with bookings in working hours this week")


def slots_of(
    client: httpx.Client, sandbox: SandboxServer, event_type_id: str, params: dict[str, str]
) -> list[dict[str, Any]]:
    response = client.get(
        "/event_type_available_times",
        params={"event_type": f"{sandbox.base_url}/event_types/{event_type_id}", **params},
    )
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"collection"}  # no pagination here
    return list(response.json()["collection"])


def test_solo_slots_lie_inside_the_schedule_and_avoid_busy_time(
    sandbox: SandboxServer, api: Api
) -> None:
    params = week(sandbox)
    record = busy_solo_type(sandbox, params)
    schedule = default_schedule(sandbox, record["owner"])
    busy = busy_of(sandbox, record["owner"])
    url = api("user").get(f"/event_types/{record['id']}").json()["resource"]["scheduling_url"]
    items = slots_of(api("user"), sandbox, record["id"], params)
    assert len(items) > 10
    starts = [when(i["start_time"]) for i in items]
    assert starts == sorted(starts)
    for item, start in zip(items, starts, strict=True):
        assert item["status"] == "available" and item["invitees_remaining"] == 1
        assert when(params["start_time"]) <= start < when(params["end_time"])
        assert inside_schedule(schedule, start, record["duration"]), item
        assert free(busy, start, record["duration"]), item
        assert item["scheduling_url"].startswith(f"{url}/{start:%Y-%m-%dT%H:%M:%S}Z?")
        assert f"date={start:%Y-%m-%d}" in item["scheduling_url"]


def test_a_new_busy_block_or_a_moved_booking_removes_the_slot(
    sandbox: SandboxServer, api: Api
) -> None:
    params = week(sandbox)
    record = busy_solo_type(sandbox, params)
    client = api("user")
    before = [when(i["start_time"]) for i in slots_of(client, sandbox, record["id"], params)]
    first, last = before[0], before[-1]
    store = sandbox.state.store
    store.insert(
        "busy_blocks",
        {
            "id": "TESTBLOCK0000001",
            "user": record["owner"],
            "start_time": iso(first),
            "end_time": iso(first + timedelta(minutes=5)),
        },
    )
    after = [when(i["start_time"]) for i in slots_of(client, sandbox, record["id"], params)]
    assert first not in after and last in after
    # Move one of the owner's bookings onto the last open slot: that slot closes too.
    event_id = store.scalars(
        "SELECT e.id FROM event_hosts h JOIN scheduled_events e ON e.id = h.event "
        "WHERE h.user = ? AND e.status = 'active' ORDER BY e.start_time",
        (record["owner"],),
    )[0]
    event = store.get("scheduled_events", event_id)
    assert event is not None
    end = last + (when(event["end_time"]) - when(event["start_time"]))
    store.update("scheduled_events", dict(event, start_time=iso(last), end_time=iso(end)))
    for host in store.find("event_hosts", "event = ?", (event_id,)):
        store.update("event_hosts", dict(host, start_time=iso(last)))
    moved = [when(i["start_time"]) for i in slots_of(client, sandbox, record["id"], params)]
    assert last not in moved


def expected_starts(
    sandbox: SandboxServer,
    hosts: list[str],
    minutes: int,
    params: dict[str, str],
    need: Callable[[list[bool]], bool],
) -> list[datetime]:
    """Every start on the UTC lattice the seed's schedules produce, worked out by hand.

    Seeded intervals begin on :00 or :30 local time in zones whole or half hours from UTC,
    so the bookable grid (every ``min(duration, 30)`` minutes) is that lattice in UTC.
    """
    step = timedelta(minutes=min(minutes, 30))
    lo, hi = when(params["start_time"]), when(params["end_time"])
    moment = datetime(lo.year, lo.month, lo.day, tzinfo=UTC)
    schedules = {h: default_schedule(sandbox, h) for h in hosts}
    busy = {h: busy_of(sandbox, h) for h in hosts}
    found = []
    while moment < hi:
        if moment >= lo and need(
            [
                inside_schedule(schedules[h], moment, minutes) and free(busy[h], moment, minutes)
                for h in hosts
            ]
        ):
            found.append(moment)
        moment += step
    return found


def test_solo_slots_are_exactly_the_free_schedule_times(sandbox: SandboxServer, api: Api) -> None:
    params = week(sandbox)
    record = busy_solo_type(sandbox, params)
    items = slots_of(api("user"), sandbox, record["id"], params)
    expected = expected_starts(sandbox, [record["owner"]], record["duration"], params, all)
    assert [when(i["start_time"]) for i in items] == expected


def test_round_robin_needs_one_free_host_and_collective_all(
    sandbox: SandboxServer, api: Api
) -> None:
    store = sandbox.state.store
    params = week(sandbox)
    client = api("user")
    for pooling, need in (("round_robin", any), ("collective", all)):
        teams = [t for t in store.find("event_types", "active = 1") if t["pooling_type"] == pooling]
        assert len(teams) >= 2
        for team in teams:
            hosts = hosts_of(sandbox, team["id"])
            assert len(hosts) >= 2
            items = slots_of(client, sandbox, team["id"], params)
            expected = expected_starts(sandbox, hosts, team["duration"], params, need)
            assert expected, (pooling, team["name"])
            assert [when(i["start_time"]) for i in items] == expected, (pooling, team["name"])


def us_solo_type(sandbox: SandboxServer) -> tuple[dict[str, Any], dict[str, Any]]:
    """An active one-on-one type whose owner works in a US or Canadian zone, and that schedule."""
    store = sandbox.state.store
    for record in store.find("event_types", "active = 1 AND owner IS NOT NULL", order="id"):
        schedule = default_schedule(sandbox, record["owner"])
        zone = schedule["timezone"]
        us = zone in (
            "America/New_York",
            "America/Toronto",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
        )
        if us and record["kind"] == "solo" and record["booking_method"] == "instant":
            return record, schedule
    raise AssertionError("no seeded host works in a US zone")


def test_slots_follow_the_hosts_clock_across_daylight_saving(
    sandbox: SandboxServer, api: Api
) -> None:
    record, schedule = us_solo_type(sandbox)
    zone = ZoneInfo(schedule["timezone"])
    # North America springs forward on Sunday 2027-03-14.
    sandbox.state.clock.freeze(utc("2027-03-10T12:00"))
    params = {"start_time": "2027-03-10T13:00:00Z", "end_time": "2027-03-18T13:00:00Z"}
    items = slots_of(api("user"), sandbox, record["id"], params)
    starts = [when(i["start_time"]) for i in items]
    assert starts == expected_starts(sandbox, [record["owner"]], record["duration"], params, all)
    by_day: dict[str, list[datetime]] = {}
    for start in starts:
        by_day.setdefault(start.astimezone(zone).strftime("%A %d"), []).append(start)
    friday, tuesday = by_day["Friday 12"][0], by_day["Tuesday 16"][0]
    opening = {
        r["wday"]: r["intervals"][0]["from"]
        for r in schedule["rules"]
        if r["type"] == "wday" and r["intervals"]
    }
    assert friday.astimezone(zone).strftime("%H:%M") == opening["friday"]
    assert tuesday.astimezone(zone).strftime("%H:%M") == opening["tuesday"]
    # The same wall-clock opening is an hour earlier in UTC once daylight time starts.
    if opening["friday"] == opening["tuesday"]:
        assert friday.hour - tuesday.hour == 1


def test_a_date_override_replaces_that_day(sandbox: SandboxServer, api: Api) -> None:
    record, schedule = us_solo_type(sandbox)
    zone = ZoneInfo(schedule["timezone"])
    sandbox.state.clock.freeze(utc("2027-03-01T12:00"))  # a Monday, far from seeded overrides
    params = {"start_time": "2027-03-01T13:00:00Z", "end_time": "2027-03-08T13:00:00Z"}
    client = api("user")
    before = [when(i["start_time"]) for i in slots_of(client, sandbox, record["id"], params)]
    assert any(s.astimezone(zone).date().isoformat() == "2027-03-03" for s in before)
    overrides = [
        {"type": "date", "date": "2027-03-03", "intervals": []},
        {"type": "date", "date": "2027-03-07", "intervals": [{"from": "10:00", "to": "12:00"}]},
    ]
    changed = dict(schedule, rules=[*schedule["rules"], *overrides])
    sandbox.state.store.update("availability_schedules", changed)
    after = [when(i["start_time"]) for i in slots_of(client, sandbox, record["id"], params)]
    local_days = {s.astimezone(zone).date().isoformat() for s in after}
    assert "2027-03-03" not in local_days  # closed that Wednesday
    sunday = [
        s.astimezone(zone).strftime("%H:%M")
        for s in after
        if s.astimezone(zone).date().isoformat() == "2027-03-07"
    ]
    step = min(record["duration"], 30)
    expected = []
    moment = datetime(2027, 3, 7, 10, 0, tzinfo=zone)
    while moment + timedelta(minutes=record["duration"]) <= datetime(2027, 3, 7, 12, tzinfo=zone):
        expected.append(moment.strftime("%H:%M"))
        moment += timedelta(minutes=step)
    assert sunday == expected  # a Sunday off, opened by the override
    untouched = [
        s
        for s in before
        if s.astimezone(zone).date().isoformat() not in ("2027-03-03", "2027-03-07")
    ]
    assert [
        s
        for s in after
        if s in untouched
        or s.astimezone(zone).date().isoformat() not in ("2027-03-03", "2027-03-07")
    ] == untouched


def test_group_types_offer_the_seats_left(sandbox: SandboxServer, api: Api) -> None:
    store = sandbox.state.store
    params = week(sandbox, 31)
    lo, hi = params["start_time"], params["end_time"]
    best = None
    for event in store.find(
        "scheduled_events",
        "status = 'active' AND start_time > ? AND start_time < ?",
        (lo, hi),
        order="start_time",
    ):
        record = store.get("event_types", event["event_type"])
        if record and record["kind"] == "group" and record["active"]:
            taken = store.count("invitees", "event = ? AND status = 'active'", (event["id"],))
            if 0 < taken < record["invitee_limit"]:
                best = (record, event, taken)
                break
    assert best is not None, "the seed has no partly booked group event in the next month"
    record, event, taken = best
    items = slots_of(api("user"), sandbox, record["id"], params)
    seats = {i["start_time"]: i["invitees_remaining"] for i in items}
    assert set(seats.values()) <= set(range(1, record["invitee_limit"] + 1))
    assert max(seats.values()) == record["invitee_limit"]
    if event["start_time"] in seats:
        assert seats[event["start_time"]] == record["invitee_limit"] - taken


def test_inactive_event_types_have_no_available_times(sandbox: SandboxServer, api: Api) -> None:
    record = sandbox.state.store.find_one("event_types", "active = 0")
    assert record is not None
    assert slots_of(api("user"), sandbox, record["id"], week(sandbox)) == []


def test_window_and_parameters_are_validated(sandbox: SandboxServer, api: Api) -> None:
    client = api("user")
    record = sandbox.state.store.find_one("event_types", "active = 1")
    assert record is not None
    uri = f"{sandbox.base_url}/event_types/{record['id']}"
    now = sandbox.state.clock.now()

    def params_for(start: datetime, end: datetime) -> dict[str, str]:
        return {"event_type": uri, "start_time": iso(start), "end_time": iso(end)}

    def problems(params: dict[str, str]) -> set[str]:
        return bad_parameters(client.get("/event_type_available_times", params=params))

    soon = now + timedelta(minutes=10)
    assert problems({}) == {"event_type", "start_time", "end_time"}
    assert problems(params_for(soon, soon + timedelta(days=31, minutes=1))) == {"end_time"}
    ok = client.get(
        "/event_type_available_times", params=params_for(soon, soon + timedelta(days=31))
    )
    assert ok.status_code == 200
    assert problems(params_for(now - timedelta(hours=1), soon)) == {"start_time"}
    assert problems(params_for(soon + timedelta(days=1), soon)) == {"end_time"}
    assert problems({**params_for(soon, soon + timedelta(days=1)), "event_type": "nope"}) == {
        "event_type"
    }
    missing = client.get(
        "/event_type_available_times",
        params={
            **params_for(soon, soon + timedelta(days=1)),
            "event_type": f"{sandbox.base_url}/event_types/NOSUCHEVENTTYPE1",
        },
    )
    assert missing.status_code == 404


def test_the_window_limit_follows_the_configuration(sandbox: SandboxServer, api: Api) -> None:
    record = sandbox.state.store.find_one("event_types", "active = 1")
    assert record is not None
    params = {"event_type": f"{sandbox.base_url}/event_types/{record['id']}", **week(sandbox, 8)}
    client = api("user")
    assert client.get("/event_type_available_times", params=params).status_code == 200
    sandbox.state.config.available_times_max_days = 7  # Calendly's 2023 limit
    try:
        response = client.get("/event_type_available_times", params=params)
    finally:
        sandbox.state.config.available_times_max_days = 31
    assert response.status_code == 400
    assert response.json()["details"][0]["parameter"] == "end_time"


def test_available_times_need_availability_read(sandbox: SandboxServer, api: Api) -> None:
    record = sandbox.state.store.find_one("event_types", "active = 1")
    assert record is not None
    params = {"event_type": f"{sandbox.base_url}/event_types/{record['id']}", **week(sandbox)}
    response = api("user", scopes=["event_types:read"]).get(
        "/event_type_available_times", params=params
    )
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["availability:read"]
