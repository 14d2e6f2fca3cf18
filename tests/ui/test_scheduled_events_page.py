"""The Scheduled events page over the sandbox: filters, detail, cancel and no-shows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

import httpx
import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication

from desktop.sandbox import SandboxServer
from desktop.ui.org.cancel_dialog import CancelEventDialog
from desktop.ui.org.date_range import DateRangeFilter, Preset, preset_days
from desktop.ui.org.record_table import RecordsPage
from desktop.ui.org.scheduled_events import ScheduledEventsTable, build_scheduled_events_page
from desktop.ui.page_context import PageContext
from tests.ui.accessibility import unnamed_interactive
from tests.ui.page_helpers import (
    CLICK,
    build_page,
    every_item,
    load_all,
    logged,
    me,
    open_scheduled_events,
    sandbox_http,
)

LOAD = 30_000

Bound = tuple[RecordsPage, ScheduledEventsTable, PageContext]


class Opened(NamedTuple):
    """The page bound to a context once its first rows are in, and a plain HTTP client."""

    client: httpx.Client
    page: RecordsPage
    table: ScheduledEventsTable
    context: PageContext


# -- helpers --------------------------------------------------------------------------------------
@pytest.fixture
def http(sandbox: SandboxServer) -> Iterator[Callable[[str], httpx.Client]]:
    """``http(role)``: a plain HTTP client on the sandbox, independent of the app's client."""
    made: list[httpx.Client] = []

    def make(role: str = "owner") -> httpx.Client:
        made.append(sandbox_http(sandbox, role))
        return made[-1]

    yield make
    for client in made:
        client.close()


def _events(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    organization = me(client)["current_organization"]
    return every_item(client, "/scheduled_events", {"organization": organization, **params})


def _invitees(client: httpx.Client, event: dict[str, Any]) -> list[dict[str, Any]]:
    return every_item(client, event["uri"] + "/invitees", {})


def _open(qtbot: Any, page_context: Any, role: str = "owner") -> Bound:
    """The page, bound to a context signed in as ``role``, once its first rows are in."""
    return open_scheduled_events(qtbot, page_context, role, timeout=LOAD, show=True)


@pytest.fixture
def owner(
    page_context: Callable[..., PageContext], http: Callable[[str], httpx.Client], qtbot: Any
) -> Opened:
    """The page as the owner sees it once its first rows are in, and an owner's HTTP client."""
    return Opened(http("owner"), *_open(qtbot, page_context))


def _load_and_select(qtbot: Any, table: ScheduledEventsTable, event: dict[str, Any]) -> None:
    load_all(qtbot, table, LOAD)
    _select(qtbot, table, event["uri"])


def _lists_the_sandboxs_answer(
    qtbot: Any, table: ScheduledEventsTable, client: httpx.Client, **params: Any
) -> list[dict[str, Any]]:
    """Load every row; they are the sandbox's (non-empty) answer to ``params``; that answer."""
    load_all(qtbot, table, LOAD)
    answer = _events(client, **params)
    assert answer and _uris(table) == [e["uri"] for e in answer]
    return answer


def _uris(table: ScheduledEventsTable) -> list[str]:
    return [e.uri for e in table.model.records()]


def _select(qtbot: Any, table: ScheduledEventsTable, uri: str) -> None:
    index = table.index_of(uri)
    assert index.isValid(), "the event is not loaded"
    table.view.selectionModel().setCurrentIndex(index, CLICK)
    qtbot.waitUntil(lambda: table.panel.loaded_invitees is not None, timeout=LOAD)


def _row_text(table: ScheduledEventsTable, uri: str, column: int) -> str:
    index = table.index_of(uri)
    return str(table.proxy.index(index.row(), column).data())


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=datetime.now().astimezone().tzinfo).astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _active_between(first: date, end: date) -> dict[str, str]:
    """The query for active meetings from local midnight of ``first`` to that of ``end``."""
    low, high = _local_day_start(first), _local_day_start(end)
    return {"status": "active", "min_start_time": _iso(low), "max_start_time": _iso(high)}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _now() -> datetime:
    return datetime.now(UTC)


def _start(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["start_time"].replace("Z", "+00:00"))


# -- loading, filters, search and sort ------------------------------------------------------------
def test_the_first_page_then_all_rows_load_and_the_models_pass_the_tester(
    page_context: Any,
    http: Callable[[str], httpx.Client],
    qtbot: Any,
    qtmodeltester: Any,
) -> None:
    page, table = build_page(
        page_context, "scheduled_events", build_scheduled_events_page, ScheduledEventsTable
    )
    counts: list[int] = []
    table.model.rows_loaded.connect(counts.append)
    page.bind(page_context("owner"))
    assert table.progress.isVisibleTo(page) and "Loading" in table.status.text()
    qtbot.waitUntil(lambda: table.model.rowCount() > 0 and not table.model.loading, timeout=LOAD)
    # The first page, 100 rows (put in a few at a time), and no more until asked.
    assert table.model.rowCount() == 100 and max(counts) == 100
    load_all(qtbot, table, LOAD)
    assert {100, 200, 300, 400} <= set(counts) and counts == sorted(counts)
    expected = [e["uri"] for e in _events(http("owner"))]
    assert len(expected) == 400
    assert _uris(table) == expected  # Calendly's order, start time ascending
    assert table.status.text() == "All 400 loaded"
    assert table.scope.isHidden() and table.member.isVisibleTo(page)
    qtmodeltester.check(table.model, force_py=True)
    assert unnamed_interactive(page) == []


def test_status_date_and_invitee_filters_give_the_sandboxs_answer(
    owner: Opened, qtbot: Any
) -> None:
    client, _page, table, _context = owner

    table.status_filter.setCurrentIndex(table.status_filter.findData("canceled"))
    canceled = [
        e["uri"] for e in _lists_the_sandboxs_answer(qtbot, table, client, status="canceled")
    ]
    assert 0 < len(canceled) < 400
    assert {_row_text(table, u, 3) for u in canceled} == {"Canceled"}

    table.status_filter.setCurrentIndex(table.status_filter.findData("active"))
    table.dates.set_preset(Preset.PAST_30)
    today = date.today()
    past_30 = _active_between(today - timedelta(days=30), today)
    _lists_the_sandboxs_answer(qtbot, table, client, **past_30)

    table.dates.set_preset(Preset.NEXT_30)
    next_30 = _active_between(today, today + timedelta(days=30))
    _lists_the_sandboxs_answer(qtbot, table, client, **next_30)

    first, last = today - timedelta(days=60), today - timedelta(days=45)
    table.dates.set_custom(_qdate(first), _qdate(last))
    assert table.dates.from_edit.isVisible() and table.dates.to_edit.isVisible()
    custom = _active_between(first, last + timedelta(days=1))
    _lists_the_sandboxs_answer(qtbot, table, client, **custom)

    # The invitee e-mail filter: a bad address is refused next to the field, a good one applied.
    table.status_filter.setCurrentIndex(0)
    table.dates.set_preset(Preset.ANY)
    load_all(qtbot, table, LOAD)
    email = _invitees(client, _events(client)[200])[0]["email"]
    table.set_email_filter("not-an-address")
    assert table.email.message.isVisible() and "Invitee e-mail" in table.email.message.text()
    table.set_email_filter(email.upper())
    assert table.email.message.isHidden()
    _lists_the_sandboxs_answer(qtbot, table, client, invitee_email=email)


def test_member_and_group_filters_are_asked_of_calendly(owner: Opened, qtbot: Any) -> None:
    client, _page, table, _context = owner
    qtbot.waitUntil(lambda: table.member.count() == 26, timeout=LOAD)  # Everyone + 25
    qtbot.waitUntil(lambda: table.group.count() > 1, timeout=LOAD)
    assert table.member.itemText(0) == "Everyone"

    host = _events(client)[10]["event_memberships"][0]
    table.member.setCurrentIndex(table.member.findData(host["user"]))
    hosted = _lists_the_sandboxs_answer(qtbot, table, client, user=host["user"])
    assert all(host["user_name"] in _row_text(table, e["uri"], 4) for e in hosted)

    table.member.setCurrentIndex(0)
    group_uri = table.group.itemData(1)
    table.group.setCurrentIndex(1)
    grouped = _lists_the_sandboxs_answer(qtbot, table, client, group=group_uri)
    assert len(grouped) < 400


def test_local_search_and_sort_by_start(
    page_context: Callable[..., PageContext],
    http: Callable[[str], httpx.Client],
    sandbox: SandboxServer,
    qtbot: Any,
) -> None:
    newest_first = [e["uri"] for e in _events(http("owner"), sort="start_time:desc")]
    # Slow pages, so that sorting happens while pages are still to come.
    sandbox.add_fault(kind="latency", latency_ms=400, paths=["/scheduled_events"])
    _page, table, _context = _open(qtbot, page_context)
    assert not table.model.exhausted
    table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    # Calendly is asked for that order: the rows arrive newest first.
    qtbot.waitUntil(lambda: table.model.rowCount() >= 100, timeout=LOAD)
    assert _uris(table)[:100] == newest_first[:100]
    sandbox.state.faults.clear()
    load_all(qtbot, table, LOAD)
    assert _uris(table) == newest_first

    table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # all loaded: sorted here
    assert not table.model.loading
    starts = [e.start_time for e in table.shown_records()]
    assert len(starts) == 400 and starts == sorted(starts)

    name = table.model.record(0).host_names[0]
    table.search.setText(name.upper())
    shown = table.shown_records()
    assert 0 < len(shown) < 400
    assert all(name in e.host_names for e in shown)
    assert "shown" in table.status.text()
    table.search.setText("zzzz-nothing-like-this")
    assert table.body.currentWidget() is table.empty
    assert "zzzz-nothing-like-this" in table.empty.text()


# -- the detail panel -----------------------------------------------------------------------------
def test_selecting_an_event_shows_its_invitees_with_answers_and_tracking(
    owner: Opened, qtbot: Any
) -> None:
    client, _page, table, _context = owner
    events = _events(client)
    chosen = None
    for event in events[150:]:
        people = _invitees(client, event)
        if any(p["questions_and_answers"] and p["tracking"]["utm_source"] for p in people):
            chosen, invitees = event, people
            break
    assert chosen is not None
    _load_and_select(qtbot, table, chosen)

    text = table.detail.toPlainText()
    assert chosen["name"] in text
    assert chosen["event_memberships"][0]["user_name"] in text
    if chosen["location"].get("join_url"):
        assert chosen["location"]["join_url"] in table.detail.toHtml()
    for invitee in invitees:
        assert invitee["name"] in text and invitee["email"] in text
        for item in invitee["questions_and_answers"]:
            assert item["question"] in text
            assert item["answer"].splitlines()[0] in text
        if invitee["timezone"]:
            assert invitee["timezone"] in text  # the invitee's own zone, beside the user's
        if invitee["tracking"]["utm_source"]:
            assert f"utm_source={invitee['tracking']['utm_source']}" in text
    listed = [table.panel.invitees.item(r).text() for r in range(table.panel.invitees.count())]
    assert len(listed) == len(invitees)
    assert all(any(i["email"] in entry for entry in listed) for i in invitees)

    # Another row: its own invitees, never the first one's.
    other = events[0]
    _select(qtbot, table, other["uri"])
    others = _invitees(client, other)
    text = table.detail.toPlainText()
    assert all(i["email"] in text for i in others)
    assert all(
        i["email"] not in text for i in invitees if i["email"] not in {o["email"] for o in others}
    )


def test_the_detail_escapes_what_people_typed(owner: Opened) -> None:
    from desktop.domain.invitees import Invitee, QuestionAndAnswer
    from desktop.ui.org.event_html import DetailState, event_html

    event = owner.table.model.record(0)
    invitee = Invitee(
        uri=event.uri + "/invitees/x",
        email="a@example.com",
        name="<b>Mallory</b>",
        status="active",
        event=event.uri,
        questions_and_answers=(QuestionAndAnswer(question="<script>", answer="<img src=x>"),),
    )
    html = event_html(DetailState(event=event, invitees=(invitee,)))
    assert "<b>Mallory" not in html and "&lt;b&gt;Mallory" in html
    assert "<script>" not in html and "<img src=x>" not in html


# -- cancel ---------------------------------------------------------------------------------------
def _future_active(client: httpx.Client) -> dict[str, Any]:
    return next(
        e for e in _events(client, status="active") if _start(e) > _now() + timedelta(days=2)
    )


class Upcoming(NamedTuple):
    """The owner's page, every row loaded and an upcoming active meeting selected."""

    client: httpx.Client
    event: dict[str, Any]
    page: RecordsPage
    table: ScheduledEventsTable
    context: PageContext


@pytest.fixture
def upcoming(owner: Opened, qtbot: Any) -> Upcoming:
    event = _future_active(owner.client)
    _load_and_select(qtbot, owner.table, event)
    return Upcoming(owner.client, event, owner.page, owner.table, owner.context)


def _open_cancel_dialog(qtbot: Any, table: ScheduledEventsTable) -> CancelEventDialog:
    assert table.event_actions.cancel_action.isEnabled()
    table.event_actions.cancel_action.trigger()
    dialog = table.event_actions.dialog
    assert isinstance(dialog, CancelEventDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_cancel_with_a_reason_cancels_in_calendly_and_in_the_row(
    upcoming: Upcoming, qtbot: Any, run_async: Any
) -> None:
    client, event, _page, table, context = upcoming
    assert table.event_actions.cancel_button.isEnabled()

    dialog = _open_cancel_dialog(qtbot, table)
    assert "e-mails the invitees" in " ".join(
        w.text() for w in dialog.findChildren(type(table.status))
    )
    qtbot.mouseClick(dialog.cancel_event_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message.isVisible()  # the reason is required
    assert "Reason" in dialog.message.text()
    dialog.reason.setPlainText("The host is ill — sorry!")
    with qtbot.waitSignal(context.changes.changed, timeout=LOAD) as changed:
        qtbot.mouseClick(dialog.cancel_event_button, Qt.MouseButton.LeftButton)
    assert changed.args == ["scheduled_event", event["uri"]]
    assert _row_text(table, event["uri"], 3) == "Canceled"

    resource = client.get(event["uri"]).json()["resource"]
    assert resource["status"] == "canceled"
    assert resource["cancellation"]["reason"] == "The host is ill — sorry!"
    entries = logged(context, run_async, "event.cancel")
    assert [(e.outcome, e.target_uri, e.details["reason"]) for e in entries] == [
        ("ok", event["uri"], "The host is ill — sorry!")
    ]
    # Canceled once: the action is off, and the page says why.
    assert not table.event_actions.cancel_action.isEnabled()
    assert "can't be canceled again" in table.event_actions.cancel_action.toolTip()
    assert "can't be canceled again" in table.panel.note.text()
    qtbot.waitUntil(
        lambda: (
            "The host is ill" in table.detail.toPlainText()
            and table.panel.loaded_invitees is not None
            and all(i.is_canceled for i in table.panel.loaded_invitees)
        ),
        timeout=LOAD,
    )


def test_a_refused_cancel_is_reported_and_changes_nothing(
    upcoming: Upcoming, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    client, event, _page, table, context = upcoming
    sandbox.add_fault(kind="error", status=403, paths=["/scheduled_events/*/cancellation"], times=1)
    dialog = _open_cancel_dialog(qtbot, table)
    dialog.reason.setPlainText("Double-booked")
    qtbot.mouseClick(dialog.cancel_event_button, Qt.MouseButton.LeftButton)
    reported: list[tuple[str, BaseException]] = context.reported  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(reported), timeout=LOAD)
    what, error = reported[0]
    assert what.startswith("Canceling") and event["name"] in what
    from desktop.ui.failures import describe

    assert "failed" in describe(what, error) and "403" not in describe(what, error)[:0]
    assert _row_text(table, event["uri"], 3) == "Active"
    assert client.get(event["uri"]).json()["resource"]["status"] == "active"
    entries = logged(context, run_async, "event.cancel")
    assert [(e.outcome, e.status) for e in entries] == [("failed", 403)]
    qtbot.waitUntil(lambda: table.event_actions.cancel_action.isEnabled(), timeout=LOAD)
    again = _open_cancel_dialog(qtbot, table)
    assert again.reason.toPlainText() == "Double-booked"  # nothing typed is lost
    again.reject()


# -- no-shows -------------------------------------------------------------------------------------
def test_mark_a_no_show_then_undo_it(owner: Opened, qtbot: Any, run_async: Any) -> None:
    client, _page, table, context = owner
    chosen = None
    for event in reversed(_events(client, status="active")):
        if _start(event) > _now() - timedelta(days=1):
            continue
        people = _invitees(client, event)
        if len(people) == 1 and people[0]["status"] == "active" and not people[0]["no_show"]:
            chosen, invitee = event, people[0]
            break
    assert chosen is not None
    _load_and_select(qtbot, table, chosen)
    actions = table.event_actions
    assert table.panel.current_invitee() is not None
    assert actions.no_show_button.isEnabled() and not actions.undo_no_show_button.isEnabled()

    with qtbot.waitSignal(context.changes.changed, timeout=LOAD) as changed:
        qtbot.mouseClick(actions.no_show_button, Qt.MouseButton.LeftButton)
    assert changed.args == ["invitee", invitee["uri"]]
    marked = client.get(invitee["uri"]).json()["resource"]
    assert marked["no_show"] is not None
    assert "No-show" in table.panel.invitees.item(0).text()
    assert "No-show" in table.detail.toPlainText()
    assert not actions.no_show_button.isEnabled() and actions.undo_no_show_button.isEnabled()

    with qtbot.waitSignal(context.changes.changed, timeout=LOAD):
        qtbot.mouseClick(actions.undo_no_show_button, Qt.MouseButton.LeftButton)
    assert client.get(invitee["uri"]).json()["resource"]["no_show"] is None
    assert "No-show" not in table.panel.invitees.item(0).text()
    assert actions.no_show_button.isEnabled()
    assert [e.outcome for e in logged(context, run_async, "no_show.create")] == ["ok"]
    undone = logged(context, run_async, "no_show.delete")
    assert [(e.outcome, e.details["no_show"]) for e in undone] == [("ok", marked["no_show"]["uri"])]


def test_a_future_meeting_cannot_be_marked_and_says_why(upcoming: Upcoming) -> None:
    table = upcoming.table
    assert not table.event_actions.no_show_action.isEnabled()
    assert "not started" in table.event_actions.no_show_action.toolTip()
    assert "not started" in table.panel.note.text()


# -- a member without admin rights ----------------------------------------------------------------
def test_a_member_sees_only_their_own_meetings_and_is_told_so(
    page_context: Callable[..., PageContext],
    http: Callable[[str], httpx.Client],
    qtbot: Any,
) -> None:
    client = http("user")
    user = me(client)
    _page, table, _context = _open(qtbot, page_context, "user")
    load_all(qtbot, table, LOAD)
    assert table.scope.isVisible() and "own meetings" in table.scope.text()
    assert not table.member.isVisible() and not table.group.isVisible()
    own = _events(client, user=user["uri"])
    assert own and _uris(table) == [e["uri"] for e in own]
    assert all(user["name"] in e.host_names for e in table.model.records())
    assert table.status.text() == f"All {QLocale().toString(len(own))} loaded"


# -- the date-range widget ------------------------------------------------------------------------
def test_presets_cover_the_expected_local_days(qapp: QApplication) -> None:
    wednesday = QDate(2026, 11, 25)
    monday = Qt.DayOfWeek.Monday
    assert preset_days(Preset.TODAY, wednesday, monday) == (wednesday, QDate(2026, 11, 26))
    assert preset_days(Preset.THIS_WEEK, wednesday, monday) == (
        QDate(2026, 11, 23),
        QDate(2026, 11, 30),
    )
    sunday_first = preset_days(Preset.THIS_WEEK, wednesday, Qt.DayOfWeek.Sunday)
    assert sunday_first == (QDate(2026, 11, 22), QDate(2026, 11, 29))
    assert preset_days(Preset.NEXT_30, wednesday, monday) == (wednesday, QDate(2026, 12, 25))
    assert preset_days(Preset.PAST_30, wednesday, monday) == (QDate(2026, 10, 26), wednesday)
    assert preset_days(Preset.ANY, wednesday, monday) is None


def test_a_custom_range_ending_before_it_starts_is_refused_next_to_the_dates(
    qtbot: Any,
) -> None:
    widget = DateRangeFilter()
    qtbot.addWidget(widget)
    widget.show()
    widget.set_custom(QDate(2026, 11, 1), QDate(2026, 11, 10))
    low, high = widget.bounds()
    assert low is not None and high is not None and high - low >= timedelta(days=9, hours=23)
    with qtbot.assertNotEmitted(widget.changed, wait=700):
        widget.to_edit.setDate(QDate(2026, 10, 20))
        qtbot.waitUntil(widget.message.isVisible, timeout=2_000)
    assert "To date" in widget.message.text()
    assert widget.bounds() == (low, high)  # the last valid span stays in force
    with qtbot.waitSignal(widget.changed, timeout=2_000):
        widget.to_edit.setDate(QDate(2026, 11, 20))
    assert widget.message.isHidden()


# -- other pages' changes, sign-out, keyboard -----------------------------------------------------
def test_a_change_made_elsewhere_is_read_back_into_the_row(upcoming: Upcoming, qtbot: Any) -> None:
    client, event, _page, table, context = upcoming
    answer = client.post(event["uri"] + "/cancellation", json={"reason": "Booked elsewhere"})
    assert answer.status_code == 201
    context.changes.changed.emit("scheduled_event", event["uri"])  # as another page would
    qtbot.waitUntil(lambda: _row_text(table, event["uri"], 3) == "Canceled", timeout=LOAD)
    qtbot.waitUntil(lambda: "Booked elsewhere" in table.detail.toPlainText(), timeout=LOAD)
    assert not table.event_actions.cancel_action.isEnabled()


def test_unbinding_forgets_the_connection_and_binding_again_reloads(
    owner: Opened, qtbot: Any
) -> None:
    _client, page, table, context = owner
    qtbot.waitUntil(lambda: table.member.count() == 26, timeout=LOAD)
    table.member.setCurrentIndex(3)
    page.unbind()
    assert table.model.rowCount() == 0 and table.member.count() == 1
    assert table.detail.toPlainText() == ""
    page.bind(context)
    qtbot.waitUntil(lambda: table.model.rowCount() == 100, timeout=LOAD)
    qtbot.waitUntil(lambda: table.member.count() == 26, timeout=LOAD)
    assert table.member.currentIndex() == 0  # everyone again


def test_every_control_is_named_and_reachable_by_keyboard(upcoming: Upcoming, qtbot: Any) -> None:
    from tests.ui.accessibility import unreachable_by_keyboard

    page, table = upcoming.page, upcoming.table
    dialog = _open_cancel_dialog(qtbot, table)
    assert unnamed_interactive(dialog) == [] and unreachable_by_keyboard(dialog) == []
    assert dialog.cancel_event_button.isDefault()
    dialog.reject()
    table.dates.set_preset(Preset.CUSTOM)  # the From and To dates show
    assert unnamed_interactive(page) == []
    assert unreachable_by_keyboard(page) == []
