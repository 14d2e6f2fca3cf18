"""The Overview page over the sandbox: its numbers equal what the sandbox holds (computed here
from the sandbox's API over plain HTTP), refresh, filters without requests, errors, cards."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PySide6.QtCore import Qt

from desktop.overview.figures import Outcome
from desktop.overview.window import default_filter, monday_of
from desktop.sandbox import SandboxServer
from desktop.ui.overview.filter_bar import RangePreset
from desktop.ui.overview.page import OverviewPage, build_overview_page
from desktop.ui.overview.weekly_charts import OUTCOMES
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec, page_specs
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.page_helpers import every_item, sandbox_http

LOAD = 30_000
ZONE = ZoneInfo("Europe/Berlin")  # not the machine's: the page must count in the zone it is given


def overview_spec() -> PageSpec:
    found = [spec for spec in page_specs() if spec.key == "overview"]
    return found[0] if found else PageSpec("overview", "Overview", "The organization at a glance.")


# -- what the sandbox holds, asked over plain HTTP ------------------------------------------------
@dataclass
class Truth:
    """The sandbox's numbers for a range and a member, computed here independently."""

    cards: dict[str, int]
    weeks: list[tuple[date, dict[Outcome, int]]]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _local_midnight(day: date, tz: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def sandbox_truth(
    client: httpx.Client,
    tz: tzinfo,
    now: datetime,
    start: date,
    end: date,
    member: str | None = None,
) -> Truth:
    me = client.get("/users/me").json()["resource"]
    org = me["current_organization"]
    members = every_item(client, "/organization_memberships", {"organization": org})
    pending = every_item(client, f"{org}/invitations", {"status": "pending"})
    types = every_item(client, "/event_types", {"organization": org})
    hooks = _webhooks(client, org, members)

    def events(lo: datetime, hi: datetime) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "organization": org,
            "min_start_time": lo.astimezone(UTC).isoformat(),
            "max_start_time": hi.astimezone(UTC).isoformat(),
        }
        if member is not None:
            params["user"] = member
        return every_item(client, "/scheduled_events", params)

    def meetings(offset: int) -> int:
        monday = monday_of(now.astimezone(tz).date()) + timedelta(weeks=offset)
        lo, hi = _local_midnight(monday, tz), _local_midnight(monday + timedelta(weeks=1), tz)
        return sum(1 for e in events(lo, hi) if e["status"] == "active")

    first = monday_of(start)
    tallies: dict[date, Counter[Outcome]] = {}
    day = first
    while day < end:
        tallies[day] = Counter()
        day += timedelta(weeks=1)
    for event in events(_local_midnight(start, tz), _local_midnight(end, tz)):
        monday = monday_of(_at(event["start_time"]).astimezone(tz).date())
        tallies[monday][_outcome(client, event, now)] += 1
    return Truth(
        cards={
            "members_active": len(members),
            "invitations_pending": len(pending),
            "event_types_active": sum(1 for t in types if t["active"]),
            "meetings_this_week": meetings(0),
            "meetings_next_week": meetings(1),
            **hooks,
        },
        weeks=[(monday, dict(counts)) for monday, counts in tallies.items()],
    )


def _outcome(client: httpx.Client, event: dict[str, Any], now: datetime) -> Outcome:
    if event["status"] == "canceled":
        return Outcome.CANCELED
    if _at(event["end_time"]) > now:
        return Outcome.UPCOMING
    invitees = every_item(client, f"{event['uri']}/invitees", {})
    return Outcome.NO_SHOW if any(i["no_show"] for i in invitees) else Outcome.HELD


def _webhooks(client: httpx.Client, org: str, members: list[dict[str, Any]]) -> dict[str, int]:
    groups = every_item(client, "/groups", {"organization": org})
    lists = [{"scope": "organization"}]
    lists += [{"scope": "group", "group": g["uri"]} for g in groups]
    lists += [{"scope": "user", "user": m["user"]["uri"]} for m in members]
    states: Counter[str] = Counter()
    for query in lists:
        for hook in every_item(client, "/webhook_subscriptions", {"organization": org, **query}):
            if hook["state"] == "active":
                states["retrying" if hook.get("retry_started_at") else "active"] += 1
            else:
                states["disabled"] += 1
    return {f"webhooks_{state}": states[state] for state in ("active", "retrying", "disabled")}


# -- the page -------------------------------------------------------------------------------------
@pytest.fixture
def http(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with sandbox_http(sandbox) as client:
        yield client


@dataclass
class Opened:
    page: OverviewPage
    context: PageContext
    now: datetime


def open_overview(qtbot: Any, page_context: Any, role: str = "owner") -> Opened:
    """The page bound to a new context, in ``ZONE`` with a stopped clock, once loaded."""
    now = datetime.now(UTC)
    page: OverviewPage = page_context.adopt(build_overview_page(overview_spec()))
    page.tz = ZONE
    page.clock = lambda: now
    page.resize(1300, 900)
    context: PageContext = page_context(role)
    page.bind(context)
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading, timeout=LOAD)
    return Opened(page, context, now)


def shown_cards(page: OverviewPage) -> dict[str, int]:
    return {
        field: int(card.number.text().replace(",", "").rstrip(" *"))
        for field, card in page.cards.cards.items()
    }


def shown_weeks(page: OverviewPage) -> list[tuple[str, dict[Outcome, int]]]:
    """Each bar of the weekly chart: its axis label and its parts, as drawn."""
    chart = page.charts.weekly
    axis = chart.figure_chart.axes(Qt.Orientation.Horizontal)[0]
    labels = axis.categories()  # type: ignore[attr-defined]
    return [
        (label, {o: int(chart.sets[o].at(i)) for o in OUTCOMES if int(chart.sets[o].at(i))})
        for i, label in enumerate(labels)
    ]


def without_webhooks(cards: dict[str, int]) -> dict[str, int]:
    return {field: n for field, n in cards.items() if not field.startswith("webhooks_")}


def truth_weeks(truth: Truth) -> list[tuple[str, dict[Outcome, int]]]:
    from desktop.ui.overview.numbers import week_label

    return [(week_label(monday), counts) for monday, counts in truth.weeks]


def count_requests(context: PageContext) -> list[str]:
    """Every request the app's client sends from now on (the URL of each)."""
    sent: list[str] = []

    async def record(request: httpx.Request) -> None:
        sent.append(str(request.url))

    context.connection.client.transport._http.event_hooks["request"].append(record)
    return sent


# -- tests ----------------------------------------------------------------------------------------
def test_cards_and_weekly_numbers_equal_the_sandbox(
    qtbot: Any, page_context: Any, http: httpx.Client
) -> None:
    opened = open_overview(qtbot, page_context)
    page = opened.page
    span = default_filter(ZONE, opened.now)
    truth = sandbox_truth(http, ZONE, opened.now, span.start, span.end)

    assert shown_cards(page) == truth.cards
    assert shown_weeks(page) == truth_weeks(truth)
    assert len(truth.weeks) == 17  # 12 weeks back, this week, 4 ahead
    assert sum(sum(c.values()) for _, c in truth.weeks) > 100  # the seed fills the range
    assert all(any(o in c for _, c in truth.weeks) for o in OUTCOMES)  # every outcome occurs
    assert page.refresh_bar.label.text().startswith("Last refreshed ")
    assert not page.refresh_bar.progress.isVisible()


def test_filters_recompute_without_any_request(
    qtbot: Any, page_context: Any, http: httpx.Client
) -> None:
    opened = open_overview(qtbot, page_context)
    page = opened.page
    sent = count_requests(opened.context)
    busiest = page.overview.busiest_members[0] if page.overview else None
    assert busiest is not None

    with qtbot.waitSignal(page.figures_shown):
        assert page.filters.choose_member(busiest.uri)
    span = default_filter(ZONE, opened.now)
    truth = sandbox_truth(http, ZONE, opened.now, span.start, span.end, member=busiest.uri)
    assert shown_weeks(page) == truth_weeks(truth)
    assert shown_cards(page)["meetings_this_week"] == truth.cards["meetings_this_week"]
    assert [r.uri for r in page.overview.busiest_members] == [busiest.uri]  # type: ignore[union-attr]

    with qtbot.waitSignal(page.figures_shown):
        page.filters.set_preset(RangePreset.LAST_4_WEEKS)
    assert len(shown_weeks(page)) == 4
    first = span.start + timedelta(weeks=2)
    with qtbot.waitSignal(page.figures_shown):
        page.filters.set_custom(first, first + timedelta(days=20))
    assert len(shown_weeks(page)) == 3
    truth = sandbox_truth(
        http, ZONE, opened.now, first, first + timedelta(days=21), member=busiest.uri
    )
    assert shown_weeks(page) == truth_weeks(truth)
    assert not page.coverage.isVisibleTo(page)

    # Beyond the weeks loaded: said under the filters, still without a request.
    with qtbot.waitSignal(page.figures_shown):
        page.filters.set_custom(span.end - timedelta(days=7), span.end + timedelta(days=13))
    assert page.coverage.isVisibleTo(page)
    assert page.coverage.text().startswith("Meetings are loaded from ")
    assert sent == []  # every change above was computed from the data in memory


def test_a_cancel_then_refresh_changes_the_figures(
    qtbot: Any, page_context: Any, http: httpx.Client
) -> None:
    opened = open_overview(qtbot, page_context)
    page = opened.page
    before = shown_cards(page)
    monday = monday_of(opened.now.astimezone(ZONE).date())
    upcoming = [
        e
        for e in every_item(
            http,
            "/scheduled_events",
            {
                "organization": http.get("/users/me").json()["resource"]["current_organization"],
                "status": "active",
                "min_start_time": opened.now.isoformat(),
                "max_start_time": _local_midnight(monday + timedelta(weeks=2), ZONE).isoformat(),
            },
        )
    ]
    assert upcoming, "the seed has meetings ahead this week or next"
    event = upcoming[0]
    this_week = _at(event["start_time"]) < _local_midnight(monday + timedelta(weeks=1), ZONE)
    answer = http.post(f"{event['uri']}/cancellation", json={"reason": "Overview test"})
    assert answer.status_code == 201, answer.text

    with qtbot.waitSignal(page.figures_shown, timeout=LOAD):
        page.refresh()
    qtbot.waitUntil(lambda: not page.loading, timeout=LOAD)

    after = shown_cards(page)
    card = "meetings_this_week" if this_week else "meetings_next_week"
    assert after[card] == before[card] - 1
    span = default_filter(ZONE, opened.now)
    truth = sandbox_truth(http, ZONE, opened.now, span.start, span.end)
    # The cancel also sends webhook deliveries, which may move a subscription to "retrying"
    # at any moment: those cards are compared in the test without writes.
    assert without_webhooks(after) == without_webhooks(truth.cards)
    assert shown_weeks(page) == truth_weeks(truth)


def test_a_change_elsewhere_marks_the_figures_stale_and_refreshes_quietly(
    qtbot: Any, page_context: Any, http: httpx.Client
) -> None:
    opened = open_overview(qtbot, page_context)
    page = opened.page
    page.debounce.setInterval(10)
    org = http.get("/users/me").json()["resource"]["current_organization"]
    event = every_item(
        http,
        "/scheduled_events",
        {"organization": org, "status": "active", "min_start_time": opened.now.isoformat()},
    )[0]
    week_of = monday_of(_at(event["start_time"]).astimezone(ZONE).date())
    index = [w.start for w in page.overview.weeks].index(week_of)  # type: ignore[union-attr]
    canceled = page.overview.weeks[index].counts[Outcome.CANCELED]  # type: ignore[union-attr]
    assert http.post(f"{event['uri']}/cancellation", json={}).status_code == 201

    opened.context.changes.changed.emit("scheduled_event", event["uri"])
    assert "(changed since)" in page.refresh_bar.label.text()
    qtbot.waitUntil(
        lambda: (
            page.overview is not None
            and page.overview.weeks[index].counts[Outcome.CANCELED] == canceled + 1
        ),
        timeout=LOAD,
    )
    qtbot.waitUntil(lambda: not page.loading, timeout=LOAD)
    assert "(changed since)" not in page.refresh_bar.label.text()
    # Kinds the figures do not depend on change nothing.
    opened.context.changes.changed.emit("scheduling_link", "https://example.test/x")
    assert not page.debounce.isActive()


def test_a_reopened_page_shows_the_cache_at_once_and_a_failed_refresh_keeps_it(
    qtbot: Any, page_context: Any, sandbox: SandboxServer
) -> None:
    opened = open_overview(qtbot, page_context)
    shown = shown_cards(opened.page)
    weeks = shown_weeks(opened.page)
    opened.page.unbind()
    fault = sandbox.add_fault(kind="error", status=403, paths=["/scheduled_events*"])
    try:
        again: OverviewPage = page_context.adopt(build_overview_page(overview_spec()))
        again.tz = ZONE
        again.clock = lambda: opened.now
        again.bind(opened.context)  # the same profile: its cache file
        qtbot.waitUntil(lambda: again.overview is not None, timeout=LOAD)
        assert shown_cards(again) == shown and shown_weeks(again) == weeks
        qtbot.waitUntil(lambda: not again.loading, timeout=LOAD)
        texts = again.messages.texts()
        assert any(t.startswith("Refreshing the overview failed") for t in texts), texts
        assert shown_cards(again) == shown  # still the cached figures
        assert again.refresh_bar.label.text().startswith("Last refreshed ")
    finally:
        sandbox.state.faults.remove(fault.id)
    retry = next(m for m in again.messages.messages() if m.level == "error").action_button
    assert retry is not None and retry.text() == "&Retry"
    retry.click()
    qtbot.waitUntil(lambda: not again.loading and not again.messages.texts(), timeout=LOAD)


def test_progress_shows_done_of_total_while_loading(qtbot: Any, page_context: Any) -> None:
    page: OverviewPage = page_context.adopt(build_overview_page(overview_spec()))
    seen: list[tuple[int, int]] = []
    page.refresh_bar.progress.valueChanged.connect(
        lambda value: seen.append((value, page.refresh_bar.progress.maximum()))
    )
    page.bind(page_context("owner"))
    assert page.refresh_bar.progress.isVisibleTo(page)
    assert page.refresh_bar.label.text() == "Loading…"
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading, timeout=LOAD)
    assert seen and seen[-1][0] == seen[-1][1] > 1
    assert not page.refresh_bar.progress.isVisibleTo(page)


def test_cards_ask_the_shell_for_their_page_filtered(qtbot: Any, page_context: Any) -> None:
    opened = open_overview(qtbot, page_context)
    page = opened.page
    monday = monday_of(opened.now.astimezone(ZONE).date())
    expected = {
        "members_active": ("members", {"tab": "members"}),
        "invitations_pending": ("members", {"tab": "invitations", "status": "pending"}),
        "event_types_active": ("event_types", {"active": "active"}),
        "meetings_this_week": (
            "scheduled_events",
            {"status": "active", "from": monday, "to": monday + timedelta(days=6)},
        ),
        "meetings_next_week": (
            "scheduled_events",
            {
                "status": "active",
                "from": monday + timedelta(weeks=1),
                "to": monday + timedelta(days=13),
            },
        ),
        "webhooks_active": ("webhooks", {"state": "active"}),
        "webhooks_retrying": ("webhooks", {"state": "retrying"}),
        "webhooks_disabled": ("webhooks", {"state": "disabled"}),
    }
    for field, (key, hint) in expected.items():
        with qtbot.waitSignal(page.open_page) as signal:
            qtbot.mouseClick(page.cards.cards[field], Qt.MouseButton.LeftButton)
        assert signal.args == [key, hint], field
    member = page.overview.busiest_members[0].uri  # type: ignore[union-attr]
    page.filters.choose_member(member)
    with qtbot.waitSignal(page.open_page) as signal:
        page.cards.cards["meetings_this_week"].click()
    assert signal.args[1]["member"] == member


def test_a_member_sees_their_own_meetings_without_the_member_filter(
    qtbot: Any, page_context: Any, http: httpx.Client, sandbox: SandboxServer
) -> None:
    opened = open_overview(qtbot, page_context, role="user")
    page = opened.page
    assert not page.filters.whose.isVisibleTo(page)
    assert not page.cards.cards["invitations_pending"].isVisibleTo(page)
    with sandbox_http(sandbox, "user") as mine:
        user = mine.get("/users/me").json()["resource"]["uri"]
        span = default_filter(ZONE, opened.now)
        truth = sandbox_truth(http, ZONE, opened.now, span.start, span.end, member=user)
    assert shown_weeks(page) == truth_weeks(truth)


def test_every_control_is_named_and_reachable(qtbot: Any, page_context: Any) -> None:
    opened = open_overview(qtbot, page_context)
    opened.page.show()
    assert unnamed_interactive(opened.page) == []
    assert unreachable_by_keyboard(opened.page) == []
