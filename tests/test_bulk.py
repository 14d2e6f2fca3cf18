"""Bulk actions against the sandbox: preview, failures mid-way, pause/cancel, 429s, lost answers."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from desktop.action_log import ActionContext, ActionLog
from desktop.api import CalendlyClient, RetryPolicy
from desktop.bulk import (
    OWNER_REFUSAL,
    REPORT_FIELDS,
    BulkAction,
    BulkItem,
    BulkRun,
    Decision,
    ItemResult,
    RunState,
    cancel_events,
    confirmation_matches,
    event_item,
    invitation_item,
    invitee_item,
    mark_no_shows,
    membership_item,
    preview,
    recorder,
    remove_members,
    revoke_invitations,
)
from desktop.domain import ScheduledEvent
from desktop.sandbox import SandboxServer

pytestmark = pytest.mark.asyncio

FAST = RetryPolicy(backoff_base=0.01, backoff_cap=0.05)
REASON = "Office closed for the holidays"


@pytest_asyncio.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[CalendlyClient]:
    """The organization owner's client, as the app would make it (quick retries)."""
    async with CalendlyClient(sandbox.base_url, sandbox.token_for("owner"), retry=FAST) as made:
        yield made


@pytest.fixture
def organization(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    return sandbox.state.uris.organization(sandbox.summary.organization)


async def upcoming(client: CalendlyClient, organization: str, count: int) -> list[ScheduledEvent]:
    """Active events starting from tomorrow on: the owner may cancel every one."""
    page = await client.scheduled_events.list(
        organization=organization,
        status="active",
        min_start_time=datetime.now(UTC) + timedelta(days=1),
        sort="start_time:asc",
        count=count,
    )
    assert len(page.items) == count
    return list(page.items)


def status_of(sandbox: SandboxServer, event: ScheduledEvent) -> str:
    record = sandbox.state.store.get("scheduled_events", event.uuid)
    assert record is not None
    return str(record["status"])


def set_window(control: httpx.Client, seconds: int) -> None:
    """The sandbox's rate-limit window (the ``control`` fixture puts it back afterwards)."""
    answer = control.post("/_sandbox/rate_limit", json={"limit": 500, "window_seconds": seconds})
    assert answer.status_code == 200, answer.text


def cancel_path(event: ScheduledEvent) -> str:
    return f"/scheduled_events/{event.uuid}/cancellation"


class Decider:
    """Plays the user's answer to "item failed: continue or stop?", and remembers the asks."""

    def __init__(self, answer: Decision) -> None:
        self.answer: Decision = answer
        self.asked: list[ItemResult] = []

    async def __call__(self, result: ItemResult) -> Decision:
        self.asked.append(result)
        return self.answer


def outcomes(run: BulkRun) -> list[str]:
    return [r.outcome for r in run.results]


def cancel_run(client: CalendlyClient, events: list[ScheduledEvent], **hooks: Any) -> BulkRun:
    """A run that cancels ``events`` in order, giving ``REASON``."""
    return BulkRun(cancel_events(client, REASON), [event_item(e) for e in events], **hooks)


@asynccontextmanager
async def impatient_client(
    sandbox: SandboxServer, control: httpx.Client, window_seconds: int
) -> AsyncIterator[CalendlyClient]:
    """The owner's client that does not wait out 429s itself (the run has to), with the
    sandbox's rate-limit window set to ``window_seconds``."""
    set_window(control, window_seconds)
    impatient = RetryPolicy(backoff_base=0.01, backoff_cap=0.05, max_rate_limit_wait=0)
    async with CalendlyClient(
        sandbox.base_url, sandbox.token_for("owner"), retry=impatient
    ) as client:
        yield client


# -- a failure on item 7 of 10 --------------------------------------------------------------
async def test_a_failure_on_item_7_then_stop_leaves_the_rest_untouched(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 10)
    fault = sandbox.add_fault(
        kind="error", status=500, paths=[cancel_path(events[6])], methods=["POST"]
    )
    progress: list[tuple[int, int, str]] = []
    decide = Decider("stop")
    run = cancel_run(
        client,
        events,
        on_failure=decide,
        on_progress=lambda done, total, last: progress.append((done, total, last.outcome)),
    )

    results = await run.start()

    assert outcomes(run) == ["done"] * 6 + ["failed"] + ["not run"] * 3
    assert results == run.results and [r.key for r in results] == [e.uri for e in events]
    failed = results[6]
    assert failed.status == 500
    assert "Internal Server Error" in failed.message
    assert decide.asked == [failed]  # the user was asked once, about item 7
    assert fault.fired >= 1
    assert [status_of(sandbox, e) for e in events] == ["canceled"] * 6 + ["active"] * 4
    stored = sandbox.state.store.get("scheduled_events", events[0].uuid)
    assert stored is not None and stored["cancellation"]["reason"] == REASON
    assert progress == [(n, 10, "done") for n in range(1, 7)] + [(7, 10, "failed")]
    assert run.state == "finished"
    summary = run.summary()
    assert (summary.total, summary["done"], summary["failed"], summary["not run"]) == (10, 6, 1, 3)
    assert summary.text == "6 done, 1 failed, 3 not run (of 10)"


async def test_a_failure_on_item_7_then_continue_does_the_rest(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 10)
    sandbox.add_fault(kind="error", status=500, paths=[cancel_path(events[6])], methods=["POST"])
    decide = Decider("continue")
    run = cancel_run(client, events, on_failure=decide)

    await run.start()

    assert outcomes(run) == ["done"] * 6 + ["failed"] + ["done"] * 3
    assert len(decide.asked) == 1 and decide.asked[0].key == events[6].uri
    assert [status_of(sandbox, e) for e in events] == ["canceled"] * 6 + ["active"] + [
        "canceled"
    ] * 3


async def test_the_report_round_trips_through_csv(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 4)
    sandbox.add_fault(kind="error", status=500, paths=[cancel_path(events[1])], methods=["POST"])
    items = [event_item(e) for e in events]
    items[3] = BulkItem(events[3].uri, "=HYPERLINK(evil)", events[3])  # a formula-like label
    run = BulkRun(cancel_events(client, ""), items, on_failure=Decider("stop"))
    await run.start()

    rows = run.report_rows()
    assert [row["outcome"] for row in rows] == ["done", "failed", "not run", "not run"]
    assert all(tuple(row) == REPORT_FIELDS for row in rows)
    assert rows[1]["status"] == "500" and rows[0]["status"] == ""
    parsed = list(csv.DictReader(io.StringIO(run.report_csv())))
    assert parsed[:3] == rows[:3]
    assert parsed[3]["label"] == "'=HYPERLINK(evil)"  # never a live formula in a spreadsheet


# -- the dry run and the typed confirmation -------------------------------------------------
async def test_the_preview_says_what_will_happen_and_sends_nothing(
    client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 3)
    action = cancel_events(client, "  Snowed in ")
    sent = client.transport.requests_sent
    plan = preview(action, [event_item(e) for e in events])
    assert client.transport.requests_sent == sent
    assert action.irreversible and all(line.will_run for line in plan)
    first = plan[0].text
    assert first.startswith(f"Cancel “{events[0].name}” on ")
    assert first.endswith("— reason: “Snowed in”")
    assert events[0].host_names[0] in first
    # The UI translates the template and formats the values itself.
    assert first.template.startswith("Cancel “{name}” on {start}")  # type: ignore[attr-defined]
    assert first.values["start"] == events[0].start_time  # type: ignore[attr-defined]


async def test_the_typed_confirmation_must_restate_the_organization() -> None:
    assert confirmation_matches("Acme Sales", "Acme Sales")
    assert confirmation_matches("  Acme   Sales ", "Acme Sales")
    assert not confirmation_matches("acme sales", "Acme Sales")
    assert not confirmation_matches("Acme", "Acme Sales")
    assert not confirmation_matches("", "")


# -- pause, resume, cancel ------------------------------------------------------------------
async def test_pause_holds_before_the_next_item_and_resume_goes_on(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 8)
    states: list[RunState] = []
    paused = asyncio.Event()

    def on_state(state: RunState) -> None:
        states.append(state)
        if state == "paused":
            paused.set()

    def on_progress(done: int, total: int, last: ItemResult) -> None:
        if done == 3:
            run.pause()

    run = cancel_run(
        client, events, on_failure=Decider("stop"), on_progress=on_progress, on_state=on_state
    )
    task = asyncio.create_task(run.start())
    await asyncio.wait_for(paused.wait(), timeout=30)

    assert run.state == "paused" and len(run.results) == 3
    sent = client.transport.requests_sent
    for _ in range(20):
        await asyncio.sleep(0)  # let the loop run: a paused run sends nothing
    assert client.transport.requests_sent == sent and not task.done()
    assert [status_of(sandbox, e) for e in events] == ["canceled"] * 3 + ["active"] * 5

    run.resume()
    await asyncio.wait_for(task, timeout=30)
    assert outcomes(run) == ["done"] * 8
    assert [status_of(sandbox, e) for e in events] == ["canceled"] * 8
    assert states == ["running", "pausing", "paused", "running", "finished"]


async def test_cancel_finishes_the_item_in_flight_and_the_rest_is_not_run(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 8)
    recorded: list[tuple[str, str]] = []
    states: list[RunState] = []

    @asynccontextmanager
    async def record(item: BulkItem) -> AsyncIterator[None]:
        if len(recorded) == 4:
            run.cancel()  # while the 5th write is about to be sent
        try:
            yield
        except BaseException:
            recorded.append((item.key, "error"))
            raise
        recorded.append((item.key, "ok"))

    decide = Decider("continue")
    run = cancel_run(client, events, on_failure=decide, on_state=states.append, record=record)
    await run.start()

    assert outcomes(run) == ["done"] * 5 + ["not run"] * 3
    assert recorded == [(e.uri, "ok") for e in events[:5]]  # every write was recorded
    assert [status_of(sandbox, e) for e in events] == ["canceled"] * 5 + ["active"] * 3
    assert "cancelling" in states and states[-1] == "finished"
    assert decide.asked == []


async def test_a_write_the_action_log_cannot_record_is_not_sent(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 3)

    @asynccontextmanager
    async def record(item: BulkItem) -> AsyncIterator[None]:
        if item.key == events[1].uri:
            raise OSError("disk full")
        yield

    run = cancel_run(client, events, on_failure=Decider("continue"), record=record)
    await run.start()
    assert outcomes(run) == ["done", "failed", "done"]
    assert "could not record" in run.results[1].message and "disk full" in run.results[1].message
    assert [status_of(sandbox, e) for e in events] == ["canceled", "active", "canceled"]


async def test_cancelling_the_task_mid_write_leaves_nothing_unaccounted(
    client: CalendlyClient, organization: str, sandbox: SandboxServer
) -> None:
    events = await upcoming(client, organization, 4)
    sandbox.add_fault(kind="latency", latency_ms=300, paths=[cancel_path(events[1])])
    task: asyncio.Task[tuple[ItemResult, ...]] | None = None

    @asynccontextmanager
    async def record(item: BulkItem) -> AsyncIterator[None]:
        if item.key == events[1].uri and task is not None:
            asyncio.get_running_loop().call_soon(task.cancel)  # the dialog closed mid-write
        yield

    run = cancel_run(client, events, on_failure=Decider("continue"), record=record)
    task = asyncio.create_task(run.start())
    with pytest.raises(asyncio.CancelledError):
        await task
    assert outcomes(run) == ["done", "unknown", "not run", "not run"]
    assert "check in Calendly" in run.results[1].message
    assert run.state == "finished"


# -- idempotency skips and refusals ---------------------------------------------------------
async def test_already_canceled_events_are_skipped_not_failed(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 5)
    await client.scheduled_events.cancel(events[1].uri, reason="Earlier")  # our copy is stale
    await client.scheduled_events.cancel(events[3].uri, reason="Earlier")
    fresh = await client.scheduled_events.get(events[3].uri)  # this copy says canceled
    items = [event_item(e) for e in events]
    items[3] = event_item(fresh)
    action = cancel_events(client, REASON)

    plan = preview(action, items)
    assert [line.will_run for line in plan] == [True, True, True, False, True]
    assert "Already canceled" in plan[3].text

    decide = Decider("stop")
    run = BulkRun(action, items, on_failure=decide)
    await run.start()
    assert outcomes(run) == ["done", "skipped", "done", "skipped", "done"]
    assert "already canceled" in run.results[1].message.lower()
    assert run.results[3].message == "Already canceled"
    assert decide.asked == []
    stored = sandbox.state.store.get("scheduled_events", events[1].uuid)
    assert stored is not None and stored["cancellation"]["reason"] == "Earlier"  # untouched


async def test_the_owner_is_never_removed(sandbox: SandboxServer, client: CalendlyClient) -> None:
    me = await client.users.me()
    assert me.current_organization is not None
    members = [m async for m in client.memberships.iterate(organization=me.current_organization)]
    owner = next(m for m in members if m.role == "owner")
    users = [m for m in members if m.role == "user"][:2]
    items = [membership_item(users[0]), membership_item(owner), membership_item(users[1])]
    action = remove_members(client, current_user=me.uri)
    assert action.irreversible

    plan = preview(action, items)
    assert [line.will_run for line in plan] == [True, False, True]
    assert OWNER_REFUSAL in plan[1].text
    assert users[0].user.email in plan[0].text

    run = BulkRun(action, items, on_failure=Decider("stop"))
    await run.start()
    assert outcomes(run) == ["done", "skipped", "done"]
    assert run.results[1].message == OWNER_REFUSAL
    store = sandbox.state.store
    assert store.get("memberships", owner.uuid) is not None
    assert all(store.get("memberships", m.uuid) is None for m in users)

    # Without the record (only its URI), Calendly's own refusal is reported the same way.
    bare = BulkRun(action, [BulkItem(owner.uri, "Owner")], on_failure=Decider("stop"))
    await bare.start()
    assert outcomes(bare) == ["skipped"] and bare.results[0].message == OWNER_REFUSAL
    assert store.get("memberships", owner.uuid) is not None


async def test_revoking_invitations_skips_what_is_no_longer_pending(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    invitations = [i async for i in client.invitations.iterate(organization=organization)]
    pending = [i for i in invitations if i.is_pending][:2]
    settled = next(i for i in invitations if not i.is_pending)
    items = [invitation_item(pending[0]), invitation_item(settled), invitation_item(pending[1])]
    action = revoke_invitations(client, organization)
    assert "its link stops working" in action.describe(items[0])

    run = BulkRun(action, items, on_failure=Decider("stop"))
    await run.start()
    assert outcomes(run) == ["done", "skipped", "done"]
    store = sandbox.state.store
    assert all(store.get("invitations", i.uuid) is None for i in pending)
    assert store.get("invitations", settled.uuid) is not None


async def test_marking_no_shows_skips_those_already_marked(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    now = datetime.now(UTC)
    page = await client.scheduled_events.list(
        organization=organization, status="active", max_start_time=now, count=30
    )
    people = []
    for event in page.items:
        async for person in client.scheduled_events.iterate_invitees(event.uri, status="active"):
            if person.no_show is None:
                people.append(person)
        if len(people) >= 3:
            break
    people = people[:3]
    await client.no_shows.create(people[1].uri)
    marked = await client.scheduled_events.get_invitee(people[1].uri)
    items = [invitee_item(people[0]), invitee_item(marked), invitee_item(people[2])]
    action = mark_no_shows(client, {e.uri: e for e in page.items})
    assert not action.irreversible
    assert f"Mark {people[0].display_name} ({people[0].email}) as a no-show for" in (
        action.describe(items[0])
    )

    run = BulkRun(action, items, on_failure=Decider("stop"))
    await run.start()
    assert outcomes(run) == ["done", "skipped", "done"]
    for person in people:
        assert (await client.scheduled_events.get_invitee(person.uri)).is_no_show


# -- lost answers and rate limits -----------------------------------------------------------
async def test_a_lost_answer_is_reported_unknown_and_never_sent_again(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    events = await upcoming(client, organization, 3)
    # The client reads back once and re-sends once (a cancel is never doubled); both lost.
    drop = sandbox.add_fault(kind="drop", paths=[cancel_path(events[1])], times=2)
    decide = Decider("continue")
    run = cancel_run(client, events, on_failure=decide)
    await run.start()

    assert outcomes(run) == ["done", "unknown", "done"]
    lost = run.results[1]
    assert lost.message.startswith("Unknown") and "check in Calendly" in lost.message
    assert decide.asked == [lost]
    # A third attempt would have gone through: the engine did not send one.
    assert drop.fired == 2
    assert status_of(sandbox, events[1]) == "active"


async def test_an_answer_lost_after_the_write_is_confirmed_done(
    sandbox: SandboxServer, client: CalendlyClient, organization: str
) -> None:
    """The write happened but every answer was cut short: reading back settles it."""
    events = await upcoming(client, organization, 2)
    sandbox.add_fault(kind="truncate", paths=[cancel_path(events[0])])
    # ... and the client's own read-back too, past its retries (4 tries): the run reads back.
    sandbox.add_fault(kind="truncate", paths=[f"/scheduled_events/{events[0].uuid}"], times=4)
    run = cancel_run(client, events, on_failure=Decider("stop"))
    await run.start()
    assert outcomes(run) == ["done", "done"]
    assert "confirmed" in run.results[0].message
    assert status_of(sandbox, events[0]) == "canceled"


async def test_a_429_burst_pauses_the_run_instead_of_failing(
    sandbox: SandboxServer, control: httpx.Client, organization: str
) -> None:
    async with impatient_client(sandbox, control, 1) as client:
        events = await upcoming(client, organization, 4)
        burst = sandbox.add_fault(kind="rate_limit", paths=[cancel_path(events[2])], times=1)
        states: list[RunState] = []
        resumes: list[datetime | None] = []

        def on_state(state: RunState) -> None:
            states.append(state)
            if state == "rate_limited":
                resumes.append(run.rate_limit_until)

        decide = Decider("stop")
        run = cancel_run(client, events, on_failure=decide, on_state=on_state)
        await asyncio.wait_for(run.start(), timeout=30)

    assert outcomes(run) == ["done"] * 4
    assert burst.fired == 1 and decide.asked == []
    assert states == ["running", "rate_limited", "running", "finished"]
    assert resumes and resumes[0] is not None  # the dialog can say when it goes on
    assert [status_of(sandbox, e) for e in events] == ["canceled"] * 4


async def test_cancel_while_waiting_out_a_429_sends_nothing_more(
    sandbox: SandboxServer, control: httpx.Client, organization: str
) -> None:
    async with impatient_client(sandbox, control, 30) as client:
        events = await upcoming(client, organization, 3)
        sandbox.add_fault(kind="rate_limit", paths=[cancel_path(events[1])], times=1)

        def on_state(state: RunState) -> None:
            if state == "rate_limited":
                run.cancel()  # the user gives up rather than wait for the window

        run = cancel_run(client, events, on_failure=Decider("stop"), on_state=on_state)
        await asyncio.wait_for(run.start(), timeout=10)  # not the 30 s window
    assert outcomes(run) == ["done", "not run", "not run"]
    assert [status_of(sandbox, e) for e in events] == ["canceled", "active", "active"]


async def test_a_custom_action_runs_without_a_client() -> None:
    """The engine needs nothing of Calendly: any ``BulkAction`` works (the dialog's tests)."""
    seen: list[str] = []

    async def run_one(item: BulkItem) -> str:
        seen.append(item.key)
        return "ok"

    def describe(item: BulkItem) -> str:
        return f"Touch {item.label}"

    action = BulkAction(
        "touch", "Touch", False, describe, run_one, already_done=lambda i: i.key == "b"
    )
    items = [BulkItem(k, k.upper()) for k in "abc"]
    run = BulkRun(action, items, on_failure=Decider("stop"))
    assert [line.text for line in run.preview()] == ["Touch A", "Skip B: Already done", "Touch C"]
    await run.start()
    assert seen == ["a", "c"] and outcomes(run) == ["done", "skipped", "done"]
    with pytest.raises(RuntimeError):
        await run.start()


async def test_every_write_lands_in_the_action_log(
    sandbox: SandboxServer, client: CalendlyClient, organization: str, tmp_path: Path
) -> None:
    events = await upcoming(client, organization, 4)
    sandbox.add_fault(kind="error", status=500, paths=[cancel_path(events[1])], methods=["POST"])
    await client.scheduled_events.cancel(events[3].uri, reason="Earlier")
    fresh = await client.scheduled_events.get(events[3].uri)
    context = ActionContext(
        "p1", "Sandbox", "sandbox", organization, "Acme", "https://u/owner", "Owner"
    )
    action = cancel_events(client, REASON)
    # The fresh copy of the canceled event is skipped unsent; the stale one is refused.
    items = [event_item(e) for e in events[:3]] + [event_item(fresh), event_item(events[3])]
    async with ActionLog(tmp_path / "log.sqlite3") as log:
        run = BulkRun(
            action,
            items,
            on_failure=Decider("continue"),
            record=recorder(log.recording, context, action),
        )
        await run.start()
        entries = list(reversed(await log.query()))

    assert outcomes(run) == ["done", "failed", "done", "skipped", "skipped"]
    assert run.results[4].status == 403
    # One entry per write sent, with Calendly's answer (the refusal is a refusal in the log).
    assert [(e.target_uri, e.outcome, e.status) for e in entries] == [
        (events[0].uri, "ok", None),
        (events[1].uri, "failed", 500),
        (events[2].uri, "ok", None),
        (events[3].uri, "failed", 403),
    ]
    assert {e.action for e in entries} == {"event.cancel"}
    assert entries[0].details == {"reason": REASON}
    assert entries[0].target_label == items[0].label
