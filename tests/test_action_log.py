"""``desktop.action_log``: a real SQLite log in tmp_path, and real errors from the sandbox."""

from __future__ import annotations

import asyncio
import csv
import json
import logging
import socket
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from desktop.action_log import (
    CSV_HEADER,
    SCHEMA_VERSION,
    ActionContext,
    ActionLog,
    ActionLogError,
    Entry,
    SecretInDetails,
)
from desktop.api import CalendlyClient, ConnectionFailed, PermissionDenied, RetryPolicy
from desktop.api.errors import BookingUnconfirmed, NotFound
from desktop.domain import ScheduledEvent
from desktop.sandbox import SandboxServer
from tests.sandbox.booking_support import event_type, first_open, one_on_one, request_body
from tests.sandbox.helpers import Api

pytestmark = pytest.mark.asyncio


def calendly_context(
    key: str, profile_name: str, organization_name: str, actor: str, actor_name: str
) -> ActionContext:
    """A profile ``p-{key}`` on Calendly: organization ``key``, signed in as user ``actor``."""
    return ActionContext(
        profile_id=f"p-{key.lower()}",
        profile_name=profile_name,
        environment="calendly",
        organization_uri=f"https://api.calendly.com/organizations/{key}",
        organization_name=organization_name,
        actor_uri=f"https://api.calendly.com/users/{actor}",
        actor_name=actor_name,
    )


ACME = calendly_context("ACME", "Acme (live)", "Acme Corp", "ADA", "Ada Lovelace")
GLOBEX = calendly_context("GLOBEX", "Globex", "Globex", "HANK", "Hank Scorpio")
FAST = RetryPolicy(backoff_base=0.01, backoff_cap=0.05)


class Clock:
    """A clock the test moves by hand (the log asks it for each entry's time)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def log(tmp_path: Path, clock: Clock) -> AsyncIterator[ActionLog]:
    async with ActionLog(tmp_path / "action-log.sqlite3", clock=clock) as opened:
        yield opened


@pytest_asyncio.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[CalendlyClient]:
    async with CalendlyClient(sandbox.base_url, sandbox.token_for("owner"), retry=FAST) as made:
        yield made


def sandbox_context(sandbox: SandboxServer) -> ActionContext:
    assert sandbox.summary is not None
    uris = sandbox.state.uris
    return ActionContext(
        profile_id="p-sandbox",
        profile_name="Sandbox",
        environment="sandbox",
        organization_uri=uris.organization(sandbox.summary.organization),
        organization_name="Sandbox organization",
        actor_uri=uris.user(sandbox.summary.owner),
        actor_name="Owner",
    )


async def upcoming_event(client: CalendlyClient, organization: str) -> ScheduledEvent:
    page = await client.scheduled_events.list(
        organization=organization,
        status="active",
        min_start_time=datetime.now(UTC) + timedelta(hours=2),
        count=1,
    )
    assert page.items, "the seed has no upcoming active event"
    return page.items[0]


# -- appending and reading ----------------------------------------------------------------------
async def test_record_returns_the_stored_entry(log: ActionLog, clock: Clock) -> None:
    entry = await log.record(
        ACME,
        "event.cancel",
        "https://api.calendly.com/scheduled_events/E1",
        "Intro call with Ada, 3 Dec 10:00",
        {"reason": "Double-booked — sorry"},
        "ok",
        201,
        "Canceled",
    )
    assert entry.id > 0
    assert entry.at == clock.now and entry.at.tzinfo is not None
    assert entry.context == ACME
    assert (entry.action, entry.outcome, entry.status, entry.message) == (
        "event.cancel",
        "ok",
        201,
        "Canceled",
    )
    assert entry.details == {"reason": "Double-booked — sorry"}
    assert await log.query() == [entry]
    assert await log.count() == 1


async def test_query_is_newest_first_and_filters(log: ActionLog, clock: Clock) -> None:
    made: list[Entry] = []
    plan: list[tuple[ActionContext, str, str, str]] = [
        (ACME, "event.cancel", "Intro call with Zoë", "ok"),
        (ACME, "no_show.create", "Ada Byron no-show", "ok"),
        (GLOBEX, "event.cancel", "Quarterly review", "failed"),
        (ACME, "invitation.create", "invite bob@example.com", "unknown"),
        (GLOBEX, "webhook.delete", "Hook to https://hooks.example.com", "ok"),
    ]
    for context, action, label, outcome in plan:
        clock.tick(minutes=10)
        made.append(await log.record(context, action, None, label, {}, outcome, None, ""))  # type: ignore[arg-type]
    newest_first = made[::-1]
    assert await log.query() == newest_first

    acme = await log.query(organization_uri=ACME.organization_uri)
    assert [e.id for e in acme] == [made[3].id, made[1].id, made[0].id]
    assert await log.query(profile_id="p-globex") == [made[4], made[2]]
    assert await log.query(actions=["event.cancel"]) == [made[2], made[0]]
    assert await log.query(actions=[]) == []
    assert await log.query(outcomes=["failed", "unknown"]) == [made[3], made[2]]
    # Text: any part of an entry, ignoring case (Unicode too).
    assert await log.query(text="ZOË") == [made[0]]
    assert await log.query(text="hank") == [made[4], made[2]]  # the actor's name
    assert await log.query(text="100%") == []  # LIKE wildcards mean nothing here
    # Time: since inclusive, until exclusive.
    window = await log.query(since=made[1].at, until=made[3].at)
    assert window == [made[2], made[1]]
    combined = await log.query(
        organization_uri=ACME.organization_uri, actions=["event.cancel", "no_show.create"]
    )
    assert combined == [made[1], made[0]]
    assert await log.count(organization_uri=ACME.organization_uri) == 3
    assert await log.count(text="review", profile_id="p-globex") == 1
    with pytest.raises(ValueError, match="timezone-aware"):
        await log.query(since=datetime(2026, 1, 1))


async def test_keyset_paging_walks_every_entry_once(log: ActionLog, clock: Clock) -> None:
    for n in range(25):
        clock.tick(seconds=1)
        context = ACME if n % 2 else GLOBEX
        await log.record(context, "no_show.create", None, f"Invitee {n}", {"n": n})
    seen: list[Entry] = []
    before: int | None = None
    while page := await log.query(limit=10, before_id=before):
        seen.extend(page)
        before = page[-1].id
    assert [e.details["n"] for e in seen] == list(range(24, -1, -1))
    acme_pages = await log.query(organization_uri=ACME.organization_uri, limit=5)
    rest = await log.query(
        organization_uri=ACME.organization_uri, limit=50, before_id=acme_pages[-1].id
    )
    assert len(acme_pages) + len(rest) == 12 == await log.count(profile_id=ACME.profile_id)


async def test_bad_input_is_refused(log: ActionLog) -> None:
    with pytest.raises(ValueError, match="action code"):
        await log.record(ACME, "Cancel Event", None, "x")
    with pytest.raises(ValueError, match="outcome"):
        await log.record(ACME, "event.cancel", None, "x", {}, "maybe")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await log.record(ACME, "event.cancel", None, "x", {"when": datetime.now(UTC)})
    assert await log.count() == 0


async def test_listeners_hear_each_new_entry(log: ActionLog) -> None:
    heard: list[Entry] = []
    log.add_listener(heard.append)
    entry = await log.record(ACME, "webhook.create", None, "Hook")
    log.remove_listener(heard.append)
    await log.record(ACME, "webhook.delete", None, "Hook")
    assert heard == [entry]


# -- the secret guard ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "details",
    [
        {"signing_key": "whsec_123"},
        {"webhook": {"Signing-Key": "x"}},
        {"access_token": "abc"},
        {"headers": [{"Authorization": "Bearer abc"}]},
        {"clientSecret": "s"},
        {"password": "hunter2"},
    ],
)
async def test_details_never_carry_credentials(log: ActionLog, details: dict[str, Any]) -> None:
    with pytest.raises(SecretInDetails):
        await log.record(ACME, "webhook.create", None, "Hook", details)
    # ``recording`` refuses before the block runs, so no write happens unlogged.
    ran = False
    with pytest.raises(SecretInDetails):
        async with log.recording(ACME, "webhook.create", None, "Hook", details):
            ran = True
    assert not ran
    assert await log.count() == 0


# -- recording real writes against the sandbox --------------------------------------------------
async def test_recording_a_successful_cancel(
    log: ActionLog, sandbox: SandboxServer, client: CalendlyClient
) -> None:
    context = sandbox_context(sandbox)
    event = await upcoming_event(client, context.organization_uri)
    async with log.recording(
        context, "event.cancel", event.uri, event.name or "", {"reason": "Sick today"}
    ) as pending:
        cancellation = await client.scheduled_events.cancel(event.uri, reason="Sick today")
        pending.message = f"Canceled by {cancellation.canceled_by}"
    assert (await client.scheduled_events.get(event.uri)).cancellation is not None
    [entry] = await log.query(actions=["event.cancel"])
    assert entry == pending.entry
    assert (entry.outcome, entry.status, entry.target_uri) == ("ok", None, event.uri)
    assert entry.details == {"reason": "Sick today"}
    assert entry.message.startswith("Canceled by ")


async def test_recording_a_created_resource_keeps_its_uri(
    log: ActionLog, sandbox: SandboxServer, client: CalendlyClient
) -> None:
    context = sandbox_context(sandbox)
    async with log.recording(
        context, "webhook.create", None, "Hook to https://hooks.example.com/a"
    ) as pending:
        hook = await client.webhooks.create(
            url="https://hooks.example.com/a",
            events=["invitee.created"],
            organization=context.organization_uri,
            scope="organization",
            signing_key="kept-out-of-the-log",
        )
        pending.target_uri = hook.uri
        pending.status = 201
    [entry] = await log.query()
    assert (entry.outcome, entry.status, entry.target_uri) == ("ok", 201, hook.uri)
    stored = await asyncio.to_thread(Path(str(log.path)).read_bytes)
    assert b"kept-out-of-the-log" not in stored


async def test_recording_a_refused_cancel_as_failed(
    log: ActionLog, sandbox: SandboxServer, client: CalendlyClient
) -> None:
    context = sandbox_context(sandbox)
    page = await client.scheduled_events.list(
        organization=context.organization_uri, status="canceled", count=1
    )
    event = page.items[0]
    with pytest.raises(PermissionDenied) as refused:
        async with log.recording(context, "event.cancel", event.uri, event.name or ""):
            await client.scheduled_events.cancel(event.uri, reason="again")
    [entry] = await log.query()
    assert (entry.outcome, entry.status) == ("failed", 403)
    assert entry.message == f"{refused.value.title}: {refused.value.message}"
    assert "already canceled" in entry.message


async def test_recording_a_missing_resource_as_failed(
    log: ActionLog, sandbox: SandboxServer, client: CalendlyClient
) -> None:
    context = sandbox_context(sandbox)
    gone = f"{sandbox.base_url}/invitee_no_shows/00000000-0000-0000-0000-000000000000"
    with pytest.raises(NotFound):
        async with log.recording(context, "no_show.delete", gone, "No-show of Ada"):
            await client.no_shows.delete(gone)
    [entry] = await log.query()
    assert (entry.outcome, entry.status, entry.target_uri) == ("failed", 404, gone)


async def test_a_lost_answer_is_recorded_as_unknown(
    log: ActionLog, sandbox: SandboxServer, client: CalendlyClient
) -> None:
    context = sandbox_context(sandbox)
    sandbox.add_fault(kind="drop", paths=["/webhook_subscriptions"], methods=["POST"], times=1)
    with pytest.raises(ConnectionFailed) as lost:
        async with log.recording(context, "webhook.create", None, "Hook to b"):
            await client.webhooks.create(
                url="https://hooks.example.com/b",
                events=["invitee.created"],
                organization=context.organization_uri,
                scope="organization",
            )
    assert lost.value.sent
    [entry] = await log.query()
    assert (entry.outcome, entry.status, entry.message) == ("unknown", None, lost.value.message)


async def test_an_unconfirmed_booking_is_recorded_as_unknown(
    log: ActionLog, sandbox: SandboxServer, api: Api
) -> None:
    record = event_type(sandbox, one_on_one)
    body = request_body(sandbox, record, first_open(api("owner"), sandbox, record))
    context = sandbox_context(sandbox)
    sandbox.add_fault(kind="drop", paths=["/invitees"], methods=["POST"], times=1)
    start = datetime.fromisoformat(str(body["start_time"]).replace("Z", "+00:00"))
    async with CalendlyClient(sandbox.base_url, sandbox.token_for("user"), retry=FAST) as member:
        with pytest.raises(BookingUnconfirmed) as unconfirmed:
            async with log.recording(context, "invitee.book", body["event_type"], "Pat Booker"):
                await member.scheduling.book(
                    event_type=body["event_type"],
                    start_time=start,
                    invitee=body["invitee"],
                    location=body.get("location"),
                    questions_and_answers=body["questions_and_answers"],
                )
    [entry] = await log.query()
    assert (entry.outcome, entry.message) == ("unknown", unconfirmed.value.message)


async def test_a_request_that_never_left_is_recorded_as_failed(log: ActionLog) -> None:
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    policy = RetryPolicy(max_retries=0)
    async with CalendlyClient(f"http://127.0.0.1:{port}", "token", retry=policy) as nowhere:
        with pytest.raises(ConnectionFailed) as refused:
            async with log.recording(ACME, "membership.remove", None, "Bob"):
                await nowhere.memberships.remove("https://api.calendly.com/memberships/X")
    assert not refused.value.sent
    [entry] = await log.query()
    assert entry.outcome == "failed"


async def test_our_own_error_inside_the_block_is_recorded_as_failed(log: ActionLog) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with log.recording(ACME, "scheduling_link.create", None, "Link"):
            raise RuntimeError("boom")
    [entry] = await log.query()
    assert (entry.outcome, entry.message) == ("failed", "RuntimeError: boom")


async def test_a_cancelled_write_is_recorded_as_unknown(
    log: ActionLog, sandbox: SandboxServer, client: CalendlyClient
) -> None:
    context = sandbox_context(sandbox)
    event = await upcoming_event(client, context.organization_uri)
    slow = sandbox.add_fault(
        kind="latency", latency_ms=5000, paths=["*/cancellation"], methods=["POST"], times=1
    )

    async def cancel() -> None:
        async with log.recording(context, "event.cancel", event.uri, event.name or ""):
            await client.scheduled_events.cancel(event.uri)

    task = asyncio.create_task(cancel())
    async with asyncio.timeout(10):
        # The sandbox counts the fault on its own thread: there is no event to await.
        while not slow.fired:  # noqa: ASYNC110 - the request has reached Calendly
            await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [entry] = await log.query()
    assert entry.outcome == "unknown"


# -- a failing log never hides the write's own result -------------------------------------------
async def test_a_broken_log_never_hides_the_original_error(
    tmp_path: Path,
    sandbox: SandboxServer,
    client: CalendlyClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the log's folder should be")
    broken = ActionLog(tmp_path / "not-a-folder" / "action-log.sqlite3")
    with pytest.raises(ActionLogError):
        await broken.record(ACME, "event.cancel", None, "x")
    context = sandbox_context(sandbox)
    gone = f"{sandbox.base_url}/invitee_no_shows/00000000-0000-0000-0000-000000000000"
    with caplog.at_level(logging.WARNING, logger="desktop.action_log"):
        with pytest.raises(NotFound):
            async with broken.recording(context, "no_show.delete", gone, "No-show") as pending:
                await client.no_shows.delete(gone)
        assert pending.entry is None and isinstance(pending.log_error, ActionLogError)
        # A write that succeeded is not reported as failed because the log could not say so.
        event = await upcoming_event(client, context.organization_uri)
        async with broken.recording(context, "event.cancel", event.uri, event.name or "") as done:
            await client.scheduled_events.cancel(event.uri)
        assert done.entry is None and isinstance(done.log_error, ActionLogError)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 2
    assert "no_show.delete (failed)" in warned[0] and "event.cancel (ok)" in warned[1]
    await broken.close()


# -- CSV ----------------------------------------------------------------------------------------
async def test_csv_export_round_trips_and_defuses_formulas(
    log: ActionLog, tmp_path: Path, clock: Clock
) -> None:
    first = await log.record(
        ACME,
        "event.cancel",
        "https://api.calendly.com/scheduled_events/E1",
        '=HYPERLINK("https://evil.example","click")',
        {"reason": 'Zoë\'s "sick" day,\nsorry'},
        "failed",
        403,
        "-1 Permission Denied",
    )
    clock.tick(minutes=1)
    second = await log.record(ACME, "invitation.create", None, "@bob", {"emails": ["+x@y.z"]})
    clock.tick(minutes=1)
    await log.record(GLOBEX, "webhook.delete", None, "Globex hook")

    target = tmp_path / "exports" / "acme.csv"
    written = await log.export_csv(target, organization_uri=ACME.organization_uri)
    assert written == 2
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet apps look for
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert tuple(rows[0]) == CSV_HEADER
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["id"] for r in records] == [str(second.id), str(first.id)]
    newest, oldest = records
    assert newest["target_label"] == "'@bob"
    assert newest["status"] == "" and newest["target_uri"] == ""
    assert json.loads(newest["details"]) == {"emails": ["+x@y.z"]}
    assert oldest["target_label"] == "'" + first.target_label
    assert oldest["message"] == "'-1 Permission Denied"
    assert json.loads(oldest["details"]) == first.details
    assert (oldest["action"], oldest["outcome"], oldest["status"]) == (
        "event.cancel",
        "failed",
        "403",
    )
    assert oldest["at"] == "2026-12-03T09:00:00.000000Z"
    assert oldest["organization_name"] == "Acme Corp" and oldest["actor_name"] == "Ada Lovelace"
    assert not any(p.name.endswith(".part") for p in target.parent.iterdir())

    everything = tmp_path / "all.csv"
    assert await log.export_csv(everything) == 3
    assert await log.export_csv(tmp_path / "none.csv", actions=[]) == 0
    with (tmp_path / "none.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert list(csv.reader(stream)) == [list(CSV_HEADER)]


# -- one file, several windows, several runs ----------------------------------------------------
async def test_two_instances_append_to_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    async with ActionLog(path) as first, ActionLog(path) as second:

        async def burst(log: ActionLog, context: ActionContext) -> list[Entry]:
            return [
                await log.record(context, "no_show.create", None, f"{context.profile_name} {n}")
                for n in range(40)
            ]

        ones, twos = await asyncio.gather(burst(first, ACME), burst(second, GLOBEX))
        ids = [e.id for e in ones + twos]
        assert len(set(ids)) == 80
        assert await first.count() == await second.count() == 80
        assert await first.count(profile_id=GLOBEX.profile_id) == 40
        assert await second.query(limit=80) == sorted(ones + twos, key=lambda e: -e.id)


async def test_reopening_keeps_the_entries_and_schema(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "deep" / "folder" / "log.sqlite3"
    async with ActionLog(path, clock=clock) as log:
        entry = await log.record(ACME, "membership.remove", "https://x/m/1", "Bob", {"n": 1})
    async with ActionLog(path) as again:
        assert await again.query() == [entry]
        later = await again.record(ACME, "invitation.revoke", None, "carol@example.com")
        assert later.id > entry.id
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


async def test_a_log_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    async with ActionLog(path) as log:
        await log.record(ACME, "event.cancel", None, "x")
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    future = ActionLog(path)
    with pytest.raises(ActionLogError, match="newer version"):
        await future.query()
    await future.close()


async def test_a_closed_log_says_so(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "log.sqlite3")
    await log.close()
    with pytest.raises(ActionLogError, match="closed"):
        await log.record(ACME, "event.cancel", None, "x")
