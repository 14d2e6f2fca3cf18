"""A refresh fetches only what may have changed, and its figures equal a full load's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from desktop.overview.figures import Outcome, Overview
from desktop.overview.loader import spans_to_list
from desktop.sandbox import SandboxServer
from tests.overview.checks import assert_matches, week_table, without_webhooks
from tests.overview.conftest import BERLIN, MakeLoader, requests
from tests.overview.truth import Truth, parse
from tests.sandbox.booking_support import event_type, first_open, one_on_one, request_body
from tests.sandbox.helpers import Api


def _week_of(overview: Overview, moment: datetime) -> int:
    local = moment.astimezone(BERLIN).date()
    for index, week in enumerate(overview.weeks):
        if week.start <= local < week.start + timedelta(days=7):
            return index
    raise AssertionError(f"{moment} is not in the range")


@pytest.mark.asyncio
async def test_a_cancel_and_a_no_show_show_after_a_refresh(
    sandbox: SandboxServer, make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    loader = make_loader()
    await loader.load()
    before = loader.overview()
    assert before is not None

    # Elsewhere (another client): cancel the next meeting to start, mark a recent no-show.
    upcoming = [
        event
        for event in await truth.events(now, now + timedelta(days=7))
        if event["status"] == "active"
    ]
    canceled = upcoming[0]
    invitee = await truth.recently_ended_invitee(now, timedelta(days=3))
    response = await truth.http.post(
        canceled["uri"] + "/cancellation", json={"reason": "Overview test"}
    )
    assert response.status_code == 201, response.text
    response = await truth.http.post("/invitee_no_shows", json={"invitee": invitee["uri"]})
    assert response.status_code == 201, response.text
    marked = (await truth.http.get(invitee["event"])).json()["resource"]

    await loader.load()
    after = loader.overview()
    assert after is not None
    expected = await truth.expected(after.filter.start, after.filter.end, BERLIN, now)
    assert_matches(after, expected)

    changed = _week_of(after, parse(canceled["start_time"]))
    assert after.weeks[changed].counts[Outcome.CANCELED] == (
        before.weeks[changed].counts[Outcome.CANCELED] + 1
    )
    assert after.weeks[changed].counts[Outcome.UPCOMING] == (
        before.weeks[changed].counts[Outcome.UPCOMING] - 1
    )
    shown = _week_of(after, parse(marked["start_time"]))
    assert after.weeks[shown].counts[Outcome.NO_SHOW] == (
        before.weeks[shown].counts[Outcome.NO_SHOW] + 1
    )
    assert after.weeks[shown].counts[Outcome.HELD] == before.weeks[shown].counts[Outcome.HELD] - 1


@pytest.mark.asyncio
async def test_a_booking_shows_after_a_refresh(
    sandbox: SandboxServer, make_loader: MakeLoader, truth: Truth, api: Api, now: datetime
) -> None:
    loader = make_loader()
    await loader.load()
    before = loader.overview()
    assert before is not None

    booker = api("owner")  # the Scheduling API, from elsewhere
    record = event_type(sandbox, one_on_one)
    start = first_open(booker, sandbox, record)
    response = booker.post("/invitees", json=request_body(sandbox, record, start))
    assert response.status_code == 201, response.text
    booked = response.json()["resource"]["event"]

    data = await loader.load()
    assert booked in {row.uri for row in data.events}
    after = loader.overview()
    assert after is not None
    week = _week_of(after, parse(start))
    assert after.weeks[week].counts[Outcome.UPCOMING] == (
        before.weeks[week].counts[Outcome.UPCOMING] + 1
    )
    assert_matches(after, await truth.expected(after.filter.start, after.filter.end, BERLIN, now))


@pytest.mark.asyncio
async def test_a_refresh_asks_less_than_a_full_load_and_agrees_with_one(
    sandbox: SandboxServer, make_loader: MakeLoader, truth: Truth, tmp_path: Path, now: datetime
) -> None:
    loader = make_loader(directory=tmp_path / "a")
    counted = requests(sandbox)
    await loader.load()
    full = requests(sandbox) - counted

    # An hour later a meeting is canceled elsewhere; then the page refreshes.
    later = sandbox.state.clock.freeze(now + timedelta(hours=1))
    upcoming = [
        event
        for event in await truth.events(later + timedelta(days=2), later + timedelta(days=9))
        if event["status"] == "active"
    ]
    response = await truth.http.post(upcoming[-1]["uri"] + "/cancellation", json={})
    assert response.status_code == 201

    counted = requests(sandbox)
    refreshed = await loader.load()
    refresh = requests(sandbox) - counted
    assert refresh < full / 2, (refresh, full)
    assert refreshed.fetched_at == later

    fresh = make_loader(directory=tmp_path / "b")
    reloaded = await fresh.load(full=True)
    assert refreshed.events == reloaded.events
    assert without_webhooks(loader.overview()) == without_webhooks(fresh.overview())
    overview = loader.overview()
    assert overview is not None
    assert_matches(
        overview, await truth.expected(overview.filter.start, overview.filter.end, BERLIN, later)
    )


@pytest.mark.asyncio
async def test_a_refresh_lists_events_only_from_the_last_fetch_on(
    sandbox: SandboxServer, make_loader: MakeLoader, now: datetime
) -> None:
    asked: list[httpx.Request] = []
    seen = httpx.AsyncClient(event_hooks={"request": [_record(asked)]})
    loader = make_loader(http=seen)
    first = await loader.load()
    later = sandbox.state.clock.freeze(now + timedelta(hours=2))
    asked.clear()
    await loader.load()

    listed = [r for r in asked if r.url.path == "/scheduled_events"]
    assert listed
    lows = {parse(r.url.params["min_start_time"]) for r in listed}
    # Nothing before the last fetch (less the margin and any meeting then in progress).
    in_progress = [e.start for e in first.events if e.start < now < e.end and e.is_active]
    earliest = min([now - timedelta(minutes=10), *in_progress])
    assert min(lows) >= earliest - timedelta(seconds=1)
    # Invitees read again: meetings over since seven days before the last fetch only.
    reread = {r.url.path.split("/")[2] for r in asked if r.url.path.endswith("/invitees")}
    ended = {
        e.uri.rsplit("/", 1)[1]
        for e in first.events
        if e.is_active and now - timedelta(days=7) < e.end <= later
    }
    assert reread == ended


@pytest.mark.asyncio
async def test_a_new_week_lists_its_edges_and_agrees_with_a_full_load(
    sandbox: SandboxServer, make_loader: MakeLoader, truth: Truth, tmp_path: Path, now: datetime
) -> None:
    loader = make_loader(directory=tmp_path / "a")
    first = await loader.load()
    later = sandbox.state.clock.freeze(now + timedelta(days=7))
    second = await loader.load()
    assert second.window_start == first.window_start + timedelta(weeks=1)
    assert second.window_end == first.window_end + timedelta(weeks=1)
    assert all(second.window_start <= e.start < second.window_end for e in second.events)

    fresh = make_loader(directory=tmp_path / "b")
    assert (await fresh.load()).events == second.events
    overview = loader.overview()
    assert without_webhooks(overview) == without_webhooks(fresh.overview())
    assert overview is not None
    assert_matches(
        overview, await truth.expected(overview.filter.start, overview.filter.end, BERLIN, later)
    )
    # Last week's upcoming meetings are over now: held, no longer upcoming.
    assert overview.weeks[11].counts[Outcome.UPCOMING] == 0
    assert sum(week_table(overview)[overview.weeks[11].start].values()) > 0


def test_the_spans_listed_again() -> None:
    """Without a cache, the whole window; with one, from its fetch on, plus new edges."""
    from desktop.overview.data import EventRow, OverviewData

    start = datetime(2026, 1, 5, tzinfo=BERLIN)
    end = start + timedelta(weeks=17)
    fetched = start + timedelta(weeks=12, days=3)
    running = EventRow(
        uri="e1",
        status="active",
        start=fetched - timedelta(hours=1),
        end=fetched + timedelta(hours=1),
        event_type="t",
        name="",
        hosts=(),
    )
    old = OverviewData(
        organization="o",
        user="u",
        is_admin=True,
        window_start=start,
        window_end=end,
        fetched_at=fetched,
        events=(running,),
    )
    assert spans_to_list(None, start, end) == [(start, end)]
    assert spans_to_list(old, start, end) == [(running.start, end)]
    moved = start + timedelta(weeks=1)
    assert spans_to_list(old, moved, end + timedelta(weeks=1)) == [
        (running.start, end + timedelta(weeks=1))
    ]
    earlier = start - timedelta(weeks=1)
    assert spans_to_list(old, earlier, end) == [(earlier, start), (running.start, end)]
    far = end + timedelta(weeks=30)
    assert spans_to_list(old, far, far + timedelta(weeks=17)) == [(far, far + timedelta(weeks=17))]


def _record(asked: list[httpx.Request]) -> Callable[[httpx.Request], Awaitable[None]]:
    async def hook(request: httpx.Request) -> None:
        asked.append(request)

    return hook


@pytest.mark.asyncio
async def test_no_shows_of_a_large_past_fill_in_over_refreshes(
    sandbox: SandboxServer, make_loader: MakeLoader, truth: Truth, now: datetime
) -> None:
    """Each load reads at most ``invitee_lists`` invitee lists, the latest meetings first."""
    loader = make_loader(invitee_lists=60)
    counted = dict(sandbox.state.requests)
    data = await loader.load()
    lists = sum(
        n - counted.get(key, 0)
        for key, n in sandbox.state.requests.items()
        if key.endswith("/invitees")
    )
    assert lists == 60
    over = [row for row in data.events if row.is_active and row.end <= now]
    pending = [row for row in over if row.no_shows is None]
    assert data.unread == len(pending) == len(over) - 60 > 0
    assert any("still to be read" in problem for problem in data.problems)
    assert min(row.end for row in over if row.no_shows is not None) >= max(
        row.end for row in pending
    )

    later = now
    for _ in range(len(pending) // 20):  # each re-reads the last week's, then goes further back
        if data.unread == 0:
            break
        # A minute apart, as a page refreshing on a timer would (a new rate-limit window).
        later = sandbox.state.clock.freeze(later + timedelta(minutes=1))
        data = await loader.load()
    assert data.unread == 0 and data.problems == ()
    overview = loader.overview()
    assert overview is not None
    assert_matches(
        overview, await truth.expected(overview.filter.start, overview.filter.end, BERLIN, later)
    )
