"""Recovering lost deliveries: against the sandbox's own delivery journal, over real sockets.

The local receiver answers some deliveries, refuses one (500) and is stopped for others; the
sandbox's retries are then ended the way Calendly ends them (its clock moves past the 24-hour
retry window, which disables the subscription). What the sandbox's journal says failed is what
``missed`` must find — no more, no less — and re-sending it makes the inbox complete.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from desktop.api import CalendlyClient
from desktop.domain.webhooks import WebhookSubscription
from desktop.sandbox import SandboxServer
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from desktop.webhooks.inbox import Inbox, Verdict
from desktop.webhooks.receiver import Receiver
from desktop.webhooks.recover import (
    Missed,
    expected_deliveries,
    find_missed,
    logged,
    missed,
    resend,
)
from desktop.webhooks.sender import BadURL
from desktop.webhooks.signature import HEADER, Status, verify
from tests.sandbox.booking_support import event_type, one_on_one, request_body, spread_starts
from tests.sandbox.helpers import plain_client
from tests.sandbox.receiver import wait_until

KEY = "whsec-recover-test-key-0123456789abcdef"
EVENTS = ["invitee.created", "invitee.canceled"]
WAIT = 15.0
Key = tuple[str, str]


# -- the sandbox side ---------------------------------------------------------------------------
@pytest.fixture
def owner_http(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    token = sandbox.token_for("owner")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=30) as made:
        yield made


@pytest_asyncio.fixture
async def inbox(tmp_path: Path) -> AsyncIterator[Inbox]:
    made = Inbox(tmp_path / "webhook-inbox.sqlite3")
    yield made
    await made.close()


def journal(sandbox: SandboxServer, hook: WebhookSubscription) -> list[Record]:
    """The sandbox's own record of every delivery it made to ``hook``."""
    ident = hook.uri.rsplit("/", 1)[1]
    return sandbox.state.store.find("webhook_deliveries", "webhook = ?", (ident,), "id")


def key_of(record: Record) -> Key:
    body = json.loads(record["body"])
    return (str(body["event"]), str(body["payload"]["uri"]))


async def settled(sandbox: SandboxServer, hook: WebhookSubscription, count: int, what: str) -> None:
    """Wait (in a thread, on the dispatcher's progress) until ``count`` deliveries to ``hook``
    have had an attempt each; this loop stays free to answer them."""

    def done() -> bool:
        found = journal(sandbox, hook)
        return len(found) >= count and all(int(r["attempts"]) >= 1 for r in found)

    await asyncio.to_thread(wait_until, done, WAIT, what)


def upcoming(sandbox: SandboxServer, *, several: bool, skip: set[str]) -> Record:
    """An upcoming active event with one active invitee (or several), not in ``skip``."""
    store = sandbox.state.store
    now = iso(sandbox.state.clock.now())
    for event in store.find(
        "scheduled_events", "status = 'active' AND start_time > ?", (now,), "start_time"
    ):
        count = store.count("invitees", "event = ? AND status = 'active'", (event["id"],))
        if event["id"] not in skip and ((count >= 2) if several else (count == 1)):
            return event
    raise AssertionError("the seed has no such upcoming event")


async def cancel(http: httpx.AsyncClient, event: Record) -> None:
    made = await http.post(f"/scheduled_events/{event['id']}/cancellation", json={"reason": "x"})
    assert made.status_code == 201, made.text


async def book(http: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    made = await http.post("/invitees", json=body)
    assert made.status_code == 201, made.text
    invitee: dict[str, Any] = made.json()["resource"]
    return invitee


def person(number: int) -> dict[str, str]:
    name = f"Recover Person {number}"
    return {"email": f"recover{number}@example.com", "name": name, "timezone": "Europe/Berlin"}


# -- the scenario -------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_recover_finds_exactly_the_dropped_deliveries_and_resends_them(
    sandbox: SandboxServer,
    client: CalendlyClient,
    organization_uri: str,
    owner_http: httpx.Client,
    inbox: Inbox,
) -> None:
    record = event_type(sandbox, one_on_one)
    starts = spread_starts(owner_http, sandbox, record, 4)
    token = sandbox.token_for("owner")
    api = httpx.AsyncClient(
        base_url=sandbox.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    receiver = Receiver(inbox, lambda: [KEY])
    await receiver.start()
    port = receiver.port
    try:
        hook = await client.webhooks.create(
            url=receiver.url,
            events=EVENTS,
            organization=organization_uri,
            scope="organization",
            signing_key=KEY,
        )
        window_start = sandbox.state.clock.now()
        canceled: set[str] = set()

        # Up, answering 200: two bookings and a cancellation arrive.
        first = await book(api, request_body(sandbox, record, starts[0], invitee=person(1)))
        second = await book(api, request_body(sandbox, record, starts[1], invitee=person(2)))
        canceled |= {str(made["event"]).rsplit("/", 1)[1] for made in (first, second)}
        one = upcoming(sandbox, several=False, skip=canceled)
        canceled.add(one["id"])
        await cancel(api, one)
        await settled(sandbox, hook, 3, "the first three deliveries")
        assert all(r["state"] == "delivered" for r in journal(sandbox, hook))

        # Up, but refusing (500): the receiver logs the cancellation and refuses it.
        receiver.answer_status = 500
        refused_event = upcoming(sandbox, several=False, skip=canceled)
        canceled.add(refused_event["id"])
        await cancel(api, refused_event)
        await settled(sandbox, hook, 4, "the refused delivery")

        # Down: a booking, a reschedule (canceled + created) and a group cancellation are lost.
        await receiver.stop()
        await book(api, request_body(sandbox, record, starts[2], invitee=person(3)))
        with plain_client(sandbox.base_url) as control:
            moved = control.post(
                "/_sandbox/reschedulings", json={"invitee": first["uri"], "start_time": starts[3]}
            )
        assert moved.status_code == 201, moved.text
        group = upcoming(sandbox, several=True, skip=canceled)
        await cancel(api, group)
        lost_count = 3 + sandbox.state.store.count("invitees", "event = ?", (group["id"],))
        await settled(sandbox, hook, 4 + lost_count, "the lost deliveries' first attempts")
        window_end = sandbox.state.clock.now()

        # Calendly gives up after 24 hours of failures: the subscription is disabled.
        sandbox.advance_clock(25 * 3600)

        def given_up() -> bool:
            hooks = sandbox.state.store.find("webhooks", "id = ?", (hook.uri.rsplit("/", 1)[1],))
            pending = [r for r in journal(sandbox, hook) if r["state"] == "pending"]
            return bool(hooks) and hooks[0]["state"] == "disabled" and not pending

        await asyncio.to_thread(wait_until, given_up, WAIT, "the subscription to be disabled")
    finally:
        await receiver.stop()
        await api.aclose()

    sent = journal(sandbox, hook)
    dropped = {key_of(r) for r in sent if r["state"] == "failed"}
    assert len(sent) == 4 + lost_count and len(dropped) == 1 + lost_count

    subscription = await client.webhooks.get(hook.uri)
    assert subscription.state == "disabled"
    expectation = await expected_deliveries(
        client, organization_uri, window_start, window_end, subscription=subscription
    )
    # What Calendly would have sent is exactly what the sandbox did send.
    assert {each.key for each in expectation} == {key_of(r) for r in sent}
    assert len(expectation) == len(sent)

    gaps = await find_missed(expectation, inbox)
    assert {gap.expected.key for gap in gaps} == dropped
    refused_keys = {gap.expected.key for gap in gaps if gap.refused}
    assert refused_keys == {
        ("invitee.canceled", uri) for uri in invitee_uris(sandbox, refused_event)
    }
    assert all(gap.refused == (500,) for gap in gaps if gap.refused)
    rescheduled = [gap for gap in gaps if gap.expected.rescheduled]
    assert [gap.expected.invitee_uri for gap in rescheduled] == [first["uri"]]

    # Each re-built body is what the sandbox sent or tried to send (the envelope's time
    # aside), even for a booking rescheduled since: the records are turned back to then.
    originals = {key_of(r): json.loads(r["body"]) for r in sent}
    for each in expectation:
        rebuilt, original = json.loads(each.body), originals[each.key]
        assert rebuilt["payload"] == original["payload"]
        assert rebuilt["created_by"] == original["created_by"] == subscription.creator
        assert abs(when(rebuilt["created_at"]) - when(original["created_at"])) < timedelta(
            seconds=2
        )

    # Re-sent to the receiver, back on its port: the inbox is complete, every one signed.
    progress: list[tuple[int, int]] = []
    last = (await inbox.query(limit=1))[0].id
    async with Receiver(inbox, lambda: [KEY], port=port) as back:
        assert back.url == subscription.callback_url
        results = await resend(
            gaps, subscription.callback_url, KEY, lambda n, total, _r: progress.append((n, total))
        )
    assert [r.delivered for r in results] == [True] * len(gaps)
    assert progress == [(n, len(gaps)) for n in range(1, len(gaps) + 1)]
    assert await find_missed(expectation, inbox) == []
    arrived = await inbox.query(after_id=last)
    stored = {(d.event, json.loads(d.body)["payload"]["uri"]): d for d in arrived}
    assert len(arrived) == len(stored) == len(gaps)
    for gap in gaps:
        delivery = stored[gap.expected.key]
        assert delivery.verdict is Verdict.VALID and delivery.answered == 200
        assert delivery.body == gap.expected.body
        check = verify(delivery.header(HEADER), delivery.body, [KEY], now=now())
        assert check.status is Status.VALID


def invitee_uris(sandbox: SandboxServer, event: Record) -> list[str]:
    people = sandbox.state.store.find("invitees", "event = ?", (event["id"],))
    return [f"{sandbox.base_url}/scheduled_events/{event['id']}/invitees/{p['id']}" for p in people]


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def now() -> int:
    return int(datetime.now(UTC).timestamp())


# -- the rule over the seeded organization ------------------------------------------------------
def truth(sandbox: SandboxServer, start: datetime, end: datetime) -> set[Key]:
    """Every invitee booked or canceled in ``[start, end]``, read straight from the store."""
    low, high = iso(start), iso(end)
    found: set[Key] = set()
    for invitee in sandbox.state.store.find("invitees", "1"):
        uri = f"{sandbox.base_url}/scheduled_events/{invitee['event']}/invitees/{invitee['id']}"
        if low <= invitee["created_at"] <= high:
            found.add(("invitee.created", uri))
        cancellation = invitee.get("cancellation")
        canceled = invitee["status"] == "canceled" and cancellation
        if canceled and low <= cancellation["created_at"] <= high:
            found.add(("invitee.canceled", uri))
    return found


@pytest.mark.asyncio
async def test_the_walk_finds_every_booking_and_cancellation_of_the_seed_in_a_month(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    end = sandbox.state.clock.now()
    start = end - timedelta(days=30)
    seen: list[tuple[int, int]] = []
    expectation = await expected_deliveries(
        client, organization_uri, start, end, on_progress=lambda d, t: seen.append((d, t))
    )
    expected = truth(sandbox, start, end)
    assert len(expected) > 100  # the seed books and cancels through the month
    assert {each.key for each in expectation} == expected
    assert len(expectation) == len(expected)
    # Meetings that cannot have changed in the window are not asked about.
    assert expectation.read < expectation.meetings
    assert seen[0] == (0, expectation.read) and seen[-1] == (expectation.read, expectation.read)
    times = [each.happened_at for each in expectation]
    assert times == sorted(times)
    assert all(start <= t <= end for t in times)


@pytest.mark.asyncio
async def test_a_user_subscription_expects_only_its_users_meetings_and_events(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    """No receiver at all (a closed port): every delivery fails, and the journal says which
    the sandbox made for the user-scoped subscription to cancellations only."""
    skip: set[str] = set()
    theirs = upcoming(sandbox, several=False, skip=skip)
    host = str(theirs["hosts"][0])
    skip.add(theirs["id"])
    store = sandbox.state.store
    later = (iso(sandbox.state.clock.now()),)
    soon = store.find("scheduled_events", "status = 'active' AND start_time > ?", later)
    others = next(
        event
        for event in soon
        if host not in event["hosts"]
        and store.count("invitees", "event = ? AND status = 'active'", (event["id"],))
    )
    user_uri = f"{sandbox.base_url}/users/{host}"
    hook = await client.webhooks.create(
        url="http://127.0.0.1:9/hooks",
        events=["invitee.canceled"],
        organization=organization_uri,
        scope="user",
        user=user_uri,
    )
    start = sandbox.state.clock.now()
    for event in (theirs, others):
        await client.scheduled_events.cancel(event["id"], reason="Scope test")
    await settled(sandbox, hook, 1, "the user's cancellation")
    end = sandbox.state.clock.now()

    subscription = await client.webhooks.get(hook.uri)
    expectation = await expected_deliveries(
        client, organization_uri, start, end, subscription=subscription
    )
    assert expectation.events == ("invitee.canceled",)
    assert {each.key for each in expectation} == {key_of(r) for r in journal(sandbox, hook)}
    assert {each.invitee_uri for each in expectation} == set(invitee_uris(sandbox, theirs))
    # The receiver never logged any: all of them are missed.
    assert [gap.expected for gap in missed(expectation, [])] == list(expectation)


@pytest.mark.asyncio
async def test_nothing_before_the_subscription_was_created_is_expected(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    start = sandbox.state.clock.now() - timedelta(days=7)
    before = await expected_deliveries(client, organization_uri, start, sandbox.state.clock.now())
    assert len(before) > 0
    hook = await client.webhooks.create(
        url="http://127.0.0.1:9/later",
        events=EVENTS,
        organization=organization_uri,
        scope="organization",
    )
    subscription = await client.webhooks.get(hook.uri)
    after = await expected_deliveries(
        client, organization_uri, start, sandbox.state.clock.now(), subscription=subscription
    )
    assert list(after) == []
    assert after.window[0] == subscription.created_at
    assert any("before the subscription was created" in note for note in after.notes)


@pytest.mark.asyncio
async def test_a_bad_window_is_refused_with_the_fields_named(
    client: CalendlyClient, organization_uri: str
) -> None:
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="To must be later than From"):
        await expected_deliveries(client, organization_uri, moment, moment)


# -- matching and re-sending --------------------------------------------------------------------
async def _log(inbox: Inbox, event: str, uri: str, answered: int, path: str = "/") -> None:
    body = json.dumps({"event": event, "payload": {"uri": uri}}).encode()
    await inbox.add(
        received_at=datetime.now(UTC),
        method="POST",
        path=path,
        headers=[("Content-Type", "application/json")],
        body=body,
        remote="127.0.0.1:1",
        verdict=Verdict.UNSIGNED,
        reason="",
        answered=answered,
    )


@pytest.mark.asyncio
async def test_only_accepted_deliveries_count_and_a_path_can_tell_subscriptions_apart(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, inbox: Inbox
) -> None:
    end = sandbox.state.clock.now()
    expectation = await expected_deliveries(client, organization_uri, end - timedelta(days=2), end)
    first, second, third = list(expectation)[:3]
    await _log(inbox, first.event, first.invitee_uri, 200, "/a")
    await _log(inbox, second.event, second.invitee_uri, 503, "/a")
    await _log(inbox, second.event, second.invitee_uri, 500, "/a")
    other = "invitee.canceled" if third.event == "invitee.created" else "invitee.created"
    await _log(inbox, other, third.invitee_uri, 200, "/a")  # the other event: no match
    await _log(inbox, third.event, third.invitee_uri, 204, "/b?x=1")
    gaps = await find_missed(expectation, inbox)
    assert [gap.expected for gap in gaps] == [e for e in expectation if e not in (first, third)]
    assert gaps[[g.expected for g in gaps].index(second)].refused == (500, 503)
    on_a = missed(expectation, await logged(inbox), path="/a")
    assert third in [gap.expected for gap in on_a]
    assert first not in [gap.expected for gap in on_a]


@pytest.mark.asyncio
async def test_resend_reports_faults_as_results_and_stops_when_asked(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, inbox: Inbox
) -> None:
    end = sandbox.state.clock.now()
    expectation = await expected_deliveries(client, organization_uri, end - timedelta(days=2), end)
    gaps = [Missed(each) for each in list(expectation)[:3]]
    assert len(gaps) == 3
    with pytest.raises(BadURL, match="URL"):
        await resend(gaps, "not a url", KEY)

    # Nothing listens there: failed results, no exception.
    async with Receiver(inbox, lambda: [KEY]) as gone:
        closed = gone.url
    failed = await resend(gaps, closed, KEY)
    assert [r.delivered for r in failed] == [False] * 3
    assert all("refused" in r.result.grade.verdict for r in failed)

    stop = asyncio.Event()
    async with Receiver(inbox, lambda: [KEY]) as receiver:
        done = await resend(gaps, receiver.url, None, lambda *_: stop.set(), stop=stop)
    assert len(done) == 1 and done[0].delivered
    (arrived,) = await inbox.query(status=Verdict.UNSIGNED)
    assert arrived.body == gaps[0].expected.body
