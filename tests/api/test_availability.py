"""``client.availability``: users' availability schedules and busy times."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.api import BadRequest, CalendlyClient, NotFound, PermissionDenied
from desktop.domain import AvailabilitySchedule, UserBusyTime
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio


def owner_uri(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    return sandbox.state.uris.user(sandbox.summary.owner)


async def test_schedules_of_a_user_match_the_store(
    client: CalendlyClient, sandbox: SandboxServer
) -> None:
    assert sandbox.summary is not None
    user = owner_uri(sandbox)
    schedules = await client.availability.schedules(user=user)
    rows = sandbox.state.store.find(
        "availability_schedules", "user = ?", (sandbox.summary.owner,), order="id"
    )
    assert {s.uuid for s in schedules} == {r["id"] for r in rows}
    assert all(isinstance(s, AvailabilitySchedule) and s.user == user for s in schedules)
    assert schedules[0].default and sum(s.default for s in schedules) == 1
    by_id = {r["id"]: r for r in rows}
    for schedule in schedules:
        row = by_id[schedule.uuid]
        assert (schedule.name, schedule.timezone) == (row["name"], row["timezone"])
        assert len(schedule.rules) == len(row["rules"])
        weekly = {r.wday: [(i.from_, i.to) for i in r.intervals] for r in schedule.weekly_rules}
        for rule in row["rules"]:
            if rule["type"] == "wday":
                assert weekly[rule["wday"]] == [(i["from"], i["to"]) for i in rule["intervals"]]


async def test_get_schedule_equals_the_listed_one(
    client: CalendlyClient, sandbox: SandboxServer
) -> None:
    schedules = await client.availability.schedules(user=owner_uri(sandbox))
    for schedule in schedules:
        assert await client.availability.get_schedule(schedule.uri) == schedule
    assert await client.availability.get_schedule(schedules[0].uuid) == schedules[0]
    with pytest.raises(NotFound):
        await client.availability.get_schedule("NOSUCHSCHEDULE00")


async def test_a_plain_user_cannot_read_someone_elses_schedules(
    client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    with pytest.raises(PermissionDenied):
        await client_for("user").availability.schedules(user=owner_uri(sandbox))
    with pytest.raises(BadRequest) as bad:
        await client_for("user").availability.schedules(user="someone")
    assert bad.value.detail_for("user")


async def test_busy_times_cover_events_and_external_blocks_in_order(
    client: CalendlyClient, sandbox: SandboxServer
) -> None:
    assert sandbox.summary is not None
    start = sandbox.state.clock.now() + timedelta(minutes=5)
    end = start + timedelta(days=7)
    busy = await client.availability.busy_times(
        user=owner_uri(sandbox), start_time=start, end_time=end
    )
    assert busy and all(isinstance(b, UserBusyTime) for b in busy)
    assert [b.start_time for b in busy] == sorted(b.start_time for b in busy)
    assert all(b.end_time > start and b.start_time < end for b in busy)
    assert all(b.duration > timedelta(0) for b in busy)

    blocks = sandbox.state.store.find(
        "busy_blocks",
        "user = ? AND start_time < ? AND end_time > ?",
        (sandbox.summary.owner, _iso(end), _iso(start)),
    )
    external = [b for b in busy if b.type != "calendly"]
    assert len(external) == len(blocks)
    calendly = [b for b in busy if b.type == "calendly"]
    for item in calendly:
        assert item.event is not None
        event = sandbox.state.store.get("scheduled_events", item.event.uri.rsplit("/", 1)[-1])
        assert event is not None and event["status"] == "active"


async def test_busy_times_errors(client: CalendlyClient, sandbox: SandboxServer) -> None:
    now = sandbox.state.clock.now()
    with pytest.raises(BadRequest) as too_long:
        await client.availability.busy_times(
            user=owner_uri(sandbox),
            start_time=now + timedelta(hours=1),
            end_time=now + timedelta(days=9),
        )
    assert too_long.value.detail_for("end_time")
    with pytest.raises(ValueError, match="start_time"):
        await client.availability.busy_times(
            user=owner_uri(sandbox), start_time=datetime(2030, 1, 1), end_time=now
        )


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
