"""``client.scheduled_events`` against the sandbox: lists, pages, filters, events, invitees,
cancellation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.api import BadRequest, CalendlyClient, NotFound, PermissionDenied
from desktop.domain import ScheduledEvent
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio


async def _all(client: CalendlyClient, **filters: object) -> list[ScheduledEvent]:
    return [e async for e in client.scheduled_events.iterate(**filters)]  # type: ignore[arg-type]


def _org_events(sandbox: SandboxServer) -> int:
    assert sandbox.summary is not None
    return sandbox.state.store.count(
        "scheduled_events", "organization = ?", (sandbox.summary.organization,)
    )


async def _future_active(client: CalendlyClient, organization: str) -> ScheduledEvent:
    now = datetime.now(UTC) + timedelta(hours=1)
    page = await client.scheduled_events.list(
        organization=organization, status="active", min_start_time=now, count=1
    )
    assert page.items, "the seed has no upcoming active event"
    return page.items[0]


async def test_list_returns_one_page_and_its_token_leads_on(
    client: CalendlyClient, organization_uri: str
) -> None:
    first = await client.scheduled_events.list(organization=organization_uri, count=7)
    assert len(first.items) == 7
    assert first.has_more and first.next_page_token
    second = await client.scheduled_events.list(
        organization=organization_uri, count=7, page_token=first.next_page_token
    )
    starts = [e.start_time for e in first.items + second.items]
    assert starts == sorted(starts)
    assert not {e.uri for e in first.items} & {e.uri for e in second.items}
    assert all(e.start_time.tzinfo is not None for e in first.items)


async def test_iterate_walks_every_page_in_order(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    before = client.transport.requests_sent
    events = await _all(client, organization=organization_uri)
    assert len(events) == _org_events(sandbox) == 400
    assert len({e.uri for e in events}) == len(events)
    assert [e.start_time for e in events] == sorted(e.start_time for e in events)
    # 100 a page: four pages, not twenty of Calendly's default 20.
    assert client.transport.requests_sent - before <= 5


async def test_filters_narrow_the_list(client: CalendlyClient, organization_uri: str) -> None:
    everything = await _all(client, organization=organization_uri)
    canceled = await _all(client, organization=organization_uri, status="canceled")
    assert canceled and all(e.is_canceled for e in canceled)
    assert {e.uri for e in canceled} == {e.uri for e in everything if e.is_canceled}

    lo, hi = everything[50].start_time, everything[120].start_time
    window = await _all(client, organization=organization_uri, min_start_time=lo, max_start_time=hi)
    assert [e.uri for e in window] == [e.uri for e in everything if lo <= e.start_time < hi]

    newest_first = await client.scheduled_events.list(
        organization=organization_uri, sort="start_time:desc", count=3
    )
    assert [e.uri for e in newest_first.items] == [e.uri for e in everything[::-1][:3]]

    me = await client.users.me()
    mine = await _all(client, user=me.uri)
    assert all(me.uri in {m.user for m in e.event_memberships} for e in mine)

    invitee = (await client.scheduled_events.list_invitees(everything[0].uri)).items[0]
    theirs = await _all(client, organization=organization_uri, invitee_email=invitee.email)
    assert everything[0].uri in {e.uri for e in theirs}
    assert len(theirs) < len(everything)


async def test_get_by_uri_or_id(client: CalendlyClient, organization_uri: str) -> None:
    event = (await client.scheduled_events.list(organization=organization_uri, count=1)).items[0]
    assert await client.scheduled_events.get(event.uri) == event
    assert await client.scheduled_events.get(event.uuid) == event
    with pytest.raises(NotFound):
        await client.scheduled_events.get("NOSUCHEVENT00000")


async def test_list_errors_are_typed(client_for: ClientFactory, organization_uri: str) -> None:
    owner = client_for("owner")
    with pytest.raises(BadRequest) as missing:
        await owner.scheduled_events.list()
    assert missing.value.detail_for("organization")
    with pytest.raises(BadRequest) as bad:
        await owner.scheduled_events.list(organization=organization_uri, status="gone")  # type: ignore[arg-type]
    assert bad.value.detail_for("status")
    with pytest.raises(PermissionDenied):
        await client_for("user").scheduled_events.list(organization=organization_uri)


async def test_invitees_list_iterate_and_get(client: CalendlyClient, organization_uri: str) -> None:
    events = await _all(client, organization=organization_uri)
    event = max(events, key=lambda e: e.invitees_counter.total if e.invitees_counter else 0)
    assert event.invitees_counter is not None and event.invitees_counter.total >= 2
    page = await client.scheduled_events.list_invitees(event.uri, count=1)
    assert len(page.items) == 1 and page.has_more
    everyone = [i async for i in client.scheduled_events.iterate_invitees(event.uri)]
    assert len(everyone) == event.invitees_counter.total
    assert everyone[0] == page.items[0]
    assert all(i.event == event.uri for i in everyone)

    person = everyone[-1]
    assert await client.scheduled_events.get_invitee(person.uri) == person
    assert await client.scheduled_events.get_invitee(person.uuid, event=event.uuid) == person
    by_email = await client.scheduled_events.list_invitees(event.uri, email=person.email)
    assert [i.uri for i in by_email.items] == [person.uri]
    active = [i async for i in client.scheduled_events.iterate_invitees(event.uri, status="active")]
    assert all(not i.is_canceled for i in active)
    with pytest.raises(ValueError):
        await client.scheduled_events.get_invitee(person.uuid)


async def test_cancel_cancels_the_event_and_its_invitees(
    client: CalendlyClient, organization_uri: str
) -> None:
    event = await _future_active(client, organization_uri)
    me = await client.users.me()
    cancellation = await client.scheduled_events.cancel(event.uri, reason="Double-booked")
    assert cancellation.reason == "Double-booked"
    assert cancellation.canceler_type == "host"
    assert cancellation.canceled_by == me.name
    after = await client.scheduled_events.get(event.uri)
    assert after.is_canceled
    assert after.cancellation is not None and after.cancellation.reason == "Double-booked"
    invitees = [i async for i in client.scheduled_events.iterate_invitees(event.uri)]
    assert invitees and all(i.is_canceled for i in invitees)
    with pytest.raises(PermissionDenied) as again:
        await client.scheduled_events.cancel(event.uuid)
    assert again.value.message == "Event is already canceled"


async def test_cancel_whose_answer_is_lost_returns_the_cancellation(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    event = await _future_active(client, organization_uri)
    posts = sandbox.add_fault(kind="latency", paths=["/scheduled_events/*/cancellation"])
    sandbox.add_fault(kind="truncate", paths=["/scheduled_events/*/cancellation"], times=1)
    cancellation = await client.scheduled_events.cancel(event.uri, reason="Snowed in")
    assert cancellation.reason == "Snowed in"
    assert posts.fired == 1  # read back, not sent again
    stored = sandbox.state.store.get("scheduled_events", event.uuid)
    assert stored is not None and stored["status"] == "canceled"


async def test_cancel_not_made_is_sent_once_more(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    event = await _future_active(client, organization_uri)
    posts = sandbox.add_fault(kind="latency", paths=["/scheduled_events/*/cancellation"])
    sandbox.add_fault(kind="error", status=503, paths=["/scheduled_events/*/cancellation"], times=1)
    cancellation = await client.scheduled_events.cancel(event.uri)
    assert cancellation.reason is None
    assert posts.fired == 2
    assert (await client.scheduled_events.get(event.uri)).is_canceled
