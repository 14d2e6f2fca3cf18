"""``client.event_types``: list, get, create, update, hosts, available times, schedules."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.api import (
    BadRequest,
    CalendlyClient,
    InsufficientScope,
    NotFound,
    PermissionDenied,
)
from desktop.domain import (
    AvailabilityInterval,
    AvailabilityRule,
    EventType,
    EventTypeAvailabilitySchedule,
    EventTypeMembership,
    LocationConfiguration,
)
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio

LIVE = "json_extract(data, '$.deleted_at') IS NULL"


def live_event_types(
    sandbox: SandboxServer, where: str = "1", params: tuple[object, ...] = ()
) -> list[Record]:
    return sandbox.state.store.find("event_types", f"{LIVE} AND {where}", params, order="id")


def multi_host_event_type(sandbox: SandboxServer) -> tuple[str, list[str]]:
    """An event type with several hosts, and its hosts' user ids in listing order."""
    rows = sandbox.state.store.find("event_type_hosts", "1", (), order="created_at, id")
    by_type: dict[str, list[str]] = {}
    for row in rows:
        by_type.setdefault(row["event_type"], []).append(row["user"])
    ident, users = next((k, v) for k, v in by_type.items() if len(v) > 1)
    return ident, users


def me_uri(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    return sandbox.state.uris.user(sandbox.summary.owner)


# -- listing -------------------------------------------------------------------------------


async def test_iterate_walks_every_page_sorted_by_name(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    found = [e async for e in client.event_types.iterate(organization=organization_uri)]
    expected = live_event_types(sandbox)
    assert len(expected) > 100  # more than one page of 100
    assert len(found) == len(expected) == len({e.uri for e in found})
    assert {e.uuid for e in found} == {r["id"] for r in expected}
    names = [e.name or "" for e in found]
    assert names == sorted(names)
    assert all(isinstance(e, EventType) for e in found)


async def test_list_pages_with_count_token_and_sort(
    client: CalendlyClient, organization_uri: str
) -> None:
    newest = [
        e
        async for e in client.event_types.iterate(
            organization=organization_uri, sort="created_at:desc"
        )
    ]
    stamps = [e.created_at for e in newest]
    assert stamps == sorted(stamps, reverse=True)  # type: ignore[type-var]
    first = await client.event_types.list(
        organization=organization_uri, sort="created_at:desc", count=7
    )
    second = await client.event_types.list(
        organization=organization_uri,
        sort="created_at:desc",
        count=7,
        page_token=first.next_page_token,
    )
    assert [*first.items, *second.items] == newest[:14]


async def test_filters_by_user_active_and_admin_managed(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    host_id = multi_host_event_type(sandbox)[1][0]
    user_uri = sandbox.state.uris.user(host_id)
    theirs = [e async for e in client.event_types.iterate(user=user_uri)]
    hosted = set(
        sandbox.state.store.scalars(
            "SELECT event_type FROM event_type_hosts WHERE user = ?", (host_id,)
        )
    )
    owned = {r["id"] for r in live_event_types(sandbox, "owner = ?", (host_id,))}
    live = {r["id"] for r in live_event_types(sandbox)}
    assert {e.uuid for e in theirs} == (owned | hosted) & live

    inactive = [
        e async for e in client.event_types.iterate(organization=organization_uri, active=False)
    ]
    assert inactive and all(not e.active for e in inactive)
    assert {e.uuid for e in inactive} == {
        r["id"] for r in live_event_types(sandbox, "active = ?", (False,))
    }
    managed = [
        e
        async for e in client.event_types.iterate(organization=organization_uri, admin_managed=True)
    ]
    assert {e.uuid for e in managed} == {
        r["id"] for r in live_event_types(sandbox, "admin_managed = ?", (True,))
    }


async def test_get_equals_the_listed_record(client: CalendlyClient, organization_uri: str) -> None:
    page = await client.event_types.list(organization=organization_uri, count=5)
    for listed in page.items:
        assert await client.event_types.get(listed.uri) == listed
    assert await client.event_types.get(page.items[0].uuid) == page.items[0]


async def test_listing_errors(
    client: CalendlyClient, client_for: ClientFactory, organization_uri: str
) -> None:
    with pytest.raises(BadRequest) as neither:
        await client.event_types.list()
    assert {p.parameter for p in neither.value.details} == {"organization", "user"}
    with pytest.raises(BadRequest) as bad_sort:
        await client.event_types.list(organization=organization_uri, sort="colour:asc")  # type: ignore[arg-type]
    assert bad_sort.value.detail_for("sort")
    with pytest.raises(NotFound):
        await client.event_types.get("NOSUCHEVENTTYPE0")
    with pytest.raises(InsufficientScope) as scope:
        await client_for("owner", scopes=["users:read"]).event_types.list(
            organization=organization_uri
        )
    assert scope.value.required_scopes == ("event_types:read",)


# -- create and update ---------------------------------------------------------------------


async def test_create_reads_back_equal(client: CalendlyClient, sandbox: SandboxServer) -> None:
    made = await client.event_types.create(
        owner=me_uri(sandbox),
        name="Design review",
        duration=45,
        duration_options=[30, 45, 60],
        description="Bring the mock-ups.",
        active=True,
        color="#123abc",
        locale="fr",
        locations=[
            LocationConfiguration(kind="physical", location="HQ, room 4"),
            {"kind": "zoom_conference"},
        ],
    )
    assert (made.name, made.duration, made.duration_options) == ("Design review", 45, (30, 45, 60))
    assert (made.active, made.color, made.locale) == (True, "#123abc", "fr")
    assert made.description_plain == "Bring the mock-ups."
    assert made.locations is not None
    assert [(loc.kind, loc.location) for loc in made.locations] == [
        ("physical", "HQ, room 4"),
        ("zoom_conference", None),
    ]
    assert made.profile is not None and made.profile.owner == me_uri(sandbox)
    assert await client.event_types.get(made.uri) == made
    assert sandbox.state.store.get("event_types", made.uuid) is not None


async def test_update_changes_only_the_given_fields(
    client: CalendlyClient, sandbox: SandboxServer
) -> None:
    made = await client.event_types.create(owner=me_uri(sandbox), name="Intro call", duration=30)
    changed = await client.event_types.update(
        made.uri, name="Intro call (new)", color="#00ff00", active=True
    )
    assert (changed.name, changed.color, changed.active) == ("Intro call (new)", "#00ff00", True)
    assert changed.duration == made.duration and changed.slug == made.slug
    assert await client.event_types.get(made.uuid) == changed
    longer = await client.event_types.update(made.uuid, duration_options=[30, 90], duration=90)
    assert (longer.duration, longer.duration_options) == (90, (30, 90))


async def test_create_and_update_errors(
    client: CalendlyClient, client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    with pytest.raises(BadRequest) as bad:
        await client.event_types.create(owner=me_uri(sandbox), name="Bad", duration=0, color="red")
    assert {"duration", "color"} <= {p.parameter for p in bad.value.details}
    with pytest.raises(BadRequest) as bad_location:
        await client.event_types.create(
            owner=me_uri(sandbox),
            name="Nowhere",
            locations=[LocationConfiguration(kind="physical")],
        )
    assert bad_location.value.detail_for("locations[0].location")

    mine = await client.event_types.create(owner=me_uri(sandbox), name="Owner's")
    with pytest.raises(PermissionDenied):
        await client_for("user").event_types.update(mine.uri, name="Hijacked")
    assert (await client.event_types.get(mine.uri)).name == "Owner's"
    with pytest.raises(NotFound):
        await client.event_types.update("NOSUCHEVENTTYPE0", name="x")


# -- hosts ---------------------------------------------------------------------------------


async def test_hosts_list_and_iterate(client: CalendlyClient, sandbox: SandboxServer) -> None:
    ident, users = multi_host_event_type(sandbox)
    event_type = sandbox.state.uris.of("event_types", ident)
    hosts = [h async for h in client.event_types.iterate_hosts(event_type=event_type)]
    assert all(isinstance(h, EventTypeMembership) for h in hosts)
    assert [h.member.uri if h.member else None for h in hosts] == [
        sandbox.state.uris.user(u) for u in users
    ]
    assert all(h.event_type.uri == event_type for h in hosts)
    first = await client.event_types.list_hosts(event_type=event_type, count=1)
    assert list(first.items) == hosts[:1] and first.has_more
    second = await client.event_types.list_hosts(
        event_type=event_type, count=1, page_token=first.next_page_token
    )
    assert list(second.items) == hosts[1:2]
    with pytest.raises(BadRequest) as bad:
        await client.event_types.list_hosts(event_type="")
    assert bad.value.detail_for("event_type")


# -- available times -----------------------------------------------------------------------


async def test_available_times_lie_in_the_window_in_order(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    event_type = (await client.event_types.list(organization=organization_uri, active=True)).items[
        0
    ]
    start = sandbox.state.clock.now() + timedelta(hours=1)
    end = start + timedelta(days=7)
    slots = await client.event_types.available_times(
        event_type=event_type.uri, start_time=start, end_time=end
    )
    assert slots
    starts = [s.start_time for s in slots]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(start <= s.start_time < end and s.start_time.tzinfo for s in slots)
    assert all(s.status == "available" and s.invitees_remaining >= 1 for s in slots)
    assert all(
        s.scheduling_url and s.scheduling_url.startswith(event_type.scheduling_url) for s in slots
    )


async def test_available_times_window_errors(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    event_type = (await client.event_types.list(organization=organization_uri, count=1)).items[0]
    now = sandbox.state.clock.now()
    with pytest.raises(BadRequest) as too_long:
        await client.event_types.available_times(
            event_type=event_type.uri,
            start_time=now + timedelta(hours=1),
            end_time=now + timedelta(days=40),
        )
    assert too_long.value.detail_for("end_time")
    with pytest.raises(BadRequest) as past:
        await client.event_types.available_times(
            event_type=event_type.uri,
            start_time=now - timedelta(days=2),
            end_time=now + timedelta(days=1),
        )
    assert past.value.detail_for("start_time")

    sent = client.transport.requests_sent
    naive = datetime(2030, 1, 1, 9, 0)
    with pytest.raises(ValueError, match="start_time"):
        await client.event_types.available_times(
            event_type=event_type.uri, start_time=naive, end_time=now + timedelta(days=1)
        )
    with pytest.raises(ValueError, match="end_time"):
        await client.event_types.available_times(
            event_type=event_type.uri, start_time=now + timedelta(days=1), end_time=naive
        )
    assert client.transport.requests_sent == sent  # refused before anything was sent


# -- availability schedules of an event type -----------------------------------------------


async def test_availability_schedules_per_host(
    client: CalendlyClient, sandbox: SandboxServer
) -> None:
    ident, users = multi_host_event_type(sandbox)
    event_type = sandbox.state.uris.of("event_types", ident)
    schedules = [
        s async for s in client.event_types.iterate_availability_schedules(event_type=event_type)
    ]
    assert all(isinstance(s, EventTypeAvailabilitySchedule) for s in schedules)
    assert all(s.event_type == event_type and s.availability_setting == "host" for s in schedules)
    rules = [s.availability_rule for s in schedules]
    assert all(rule is not None for rule in rules)
    assert [r.user for r in rules if r] == [sandbox.state.uris.user(u) for u in users]
    for rule in rules:
        assert rule is not None and rule.user is not None and rule.uri is not None
        default = next(s for s in await client.availability.schedules(user=rule.user) if s.default)
        assert (rule.uri, rule.timezone, rule.rules) == (
            default.uri,
            default.timezone,
            default.rules,
        )
    page = await client.event_types.list_availability_schedules(event_type=event_type, count=1)
    assert list(page.items) == schedules[:1] and page.has_more


async def test_update_availability_schedule_for_one_host(
    client: CalendlyClient, client_for: ClientFactory, sandbox: SandboxServer
) -> None:
    """Rules go out in Calendly's shape; the answer decodes; the GET then shows them."""
    ident, users = multi_host_event_type(sandbox)
    event_type = sandbox.state.uris.of("event_types", ident)
    host = sandbox.state.uris.user(users[-1])
    monday = AvailabilityRule(
        type="wday", wday="monday", intervals=(AvailabilityInterval(from_="09:00", to="12:00"),)
    )
    updated = await client.event_types.update_availability_schedule(
        event_type=event_type, timezone="Europe/Paris", rules=[monday], user=host
    )
    assert isinstance(updated, EventTypeAvailabilitySchedule)
    assert (updated.event_type, updated.availability_setting) == (event_type, "host")
    rule = updated.availability_rule
    assert rule is not None and (rule.user, rule.timezone) == (host, "Europe/Paris")
    assert rule.rules == (monday,) and rule.rules[0].intervals[0].from_ == "09:00"
    listed = [
        s async for s in client.event_types.iterate_availability_schedules(event_type=event_type)
    ]
    assert [s for s in listed if s.availability_rule and s.availability_rule.user == host] == [
        updated
    ]
    with pytest.raises(BadRequest) as bad:
        await client.event_types.update_availability_schedule(
            event_type=event_type, timezone="Nowhere/Special", rules=[monday], user=host
        )
    assert bad.value.detail_for("availability_rule.timezone")
    with pytest.raises(PermissionDenied):
        await client_for("user").event_types.update_availability_schedule(
            event_type=event_type, timezone="Europe/Paris", rules=[], user=host
        )
