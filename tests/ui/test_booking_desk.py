"""The booking desk over the real sandbox: open times as Calendly has them, a week at a time; the
form's checks before anything is sent; Calendly's refusals on their fields; a booking logged,
shown and seen by the Scheduled events page; lost answers reconciled to one booking; the quota."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from desktop.sandbox import SandboxServer
from desktop.sandbox.faults import Fault
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso
from desktop.ui.booking.desk import BookingDesk
from desktop.ui.booking.question_fields import (
    MultipleChoiceQuestion,
    SingleChoiceQuestion,
    TextQuestion,
)
from desktop.ui.booking.slot_grid import WINDOW
from desktop.ui.org.scheduled_events import ScheduledEventsTable, build_scheduled_events_page
from desktop.ui.page_context import PageContext
from tests.sandbox.booking_support import event_types
from tests.sandbox.helpers import uri, when
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.page_helpers import logged, page_spec, sandbox_http

LOAD = 30_000
CLICK = Qt.MouseButton.LeftButton
EMAIL = "pat.booker@example.com"

Where = Callable[[Record], bool]


# -- the sandbox, asked directly -------------------------------------------------------------------
def open_starts(
    sandbox: SandboxServer, record: Record, start: datetime, end: datetime
) -> list[str]:
    """``/event_type_available_times`` for the window, over plain HTTP."""
    with sandbox_http(sandbox) as http:
        answer = http.get(
            "/event_type_available_times",
            params={
                "event_type": uri(sandbox, "event_types", record["id"]),
                "start_time": iso(start),
                "end_time": iso(end),
            },
        )
    assert answer.status_code == 200, answer.text
    return [str(item["start_time"]) for item in answer.json()["collection"]]


def one_on_one(sandbox: SandboxServer, where: Where = lambda r: True) -> Record:
    """A bookable one-on-one event type owned by a member, open in each of the next two weeks."""
    now = datetime.now().astimezone()
    for record in event_types(sandbox, lambda r: r["kind"] == "solo" and not r["pooling_type"]):
        if not record.get("owner") or not where(record):
            continue
        first = open_starts(sandbox, record, now + timedelta(minutes=5), now + timedelta(days=7))
        second = open_starts(sandbox, record, now + timedelta(days=8), now + timedelta(days=14))
        if first and second:
            return record
    pytest.fail("the seed has no such event type")


def has_required(kind: str) -> Where:
    def check(record: Record) -> bool:
        return any(
            q["enabled"] and q["required"] and q["type"] == kind for q in record["custom_questions"]
        )

    return check


def bookings(sandbox: SandboxServer, email: str = EMAIL) -> list[Record]:
    """The invitees with ``email``, in the sandbox's own store."""
    return sandbox.state.store.find("invitees", "email = ?", (email.lower(),))


def posts_counter(sandbox: SandboxServer) -> Fault:
    """A no-op fault that counts the ``POST /invitees`` requests that reached the API."""
    return sandbox.add_fault(kind="latency", paths=["/invitees"], methods=["POST"])


# -- the desk --------------------------------------------------------------------------------------
def open_desk(
    page_context: Any, qtbot: Any, role: str = "owner"
) -> tuple[BookingDesk, PageContext]:
    context: PageContext = page_context(role)
    desk = page_context.adopt(BookingDesk())
    desk.resize(1500, 900)
    desk.show()
    desk.bind(context)
    qtbot.waitUntil(lambda: bool(desk.picker.members), timeout=LOAD)
    return desk, context


def choose(desk: BookingDesk, qtbot: Any, sandbox: SandboxServer, record: Record) -> None:
    """Search the owner by e-mail, pick them, pick the event type, wait for the open times."""
    owner = sandbox.state.store.get("users", record["owner"])
    assert owner is not None
    qtbot.keyClicks(desk.picker.search, owner["email"])
    assert desk.picker.member_list.count() == 1
    assert desk.picker.choose_member(uri(sandbox, "users", owner["id"]))
    qtbot.waitUntil(lambda: desk.picker.type_list.count() > 0, timeout=LOAD)
    assert desk.picker.choose_event_type(uri(sandbox, "event_types", record["id"]))
    qtbot.waitUntil(lambda: not desk.slots.loading and bool(desk.slots.times()), timeout=LOAD)


def fill(desk: BookingDesk, email: str = EMAIL, *, skip_required: bool = False) -> None:
    """A valid invitee: name, e-mail, zone, the location detail, every required answer."""
    form = desk.form
    form.name_edit.setText("Pat Booker")
    form.email_edit.setText(email)
    form.zone_edit.setText("Europe/Berlin")
    location = form.location
    if location is not None and location.detail_row is not None and location.detail.isVisible():
        config = location.config
        phone = config is not None and config.kind == "outbound_call"
        location.detail.setText("+1 415 555 0199" if phone else "The café on the corner")
    for field in form.questions:
        if not field.question.required or skip_required:
            continue
        if isinstance(field, TextQuestion):
            text = "+1 415 555 0100" if field.question.type == "phone_number" else "Acme Corp"
            if isinstance(field.edit, QPlainTextEdit):
                field.edit.setPlainText(text)
            else:
                field.edit.setText(text)
        elif isinstance(field, SingleChoiceQuestion):
            field.choose(field.question.answer_choices[0])
        elif isinstance(field, MultipleChoiceQuestion):
            field.choose([field.question.answer_choices[0]])


def pick_first_time(desk: BookingDesk) -> datetime:
    start = desk.slots.times()[0]
    assert desk.slots.select(start)
    assert desk.slots.selected_start() == start
    return start


def click_book(desk: BookingDesk, qtbot: Any) -> None:
    qtbot.mouseClick(desk.book_button, CLICK)


def wait_booked(desk: BookingDesk, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: desk.stack.currentWidget() is desk.result, timeout=LOAD)


class Ready(NamedTuple):
    desk: BookingDesk
    context: PageContext
    record: Record
    start: datetime


def ready_to_book(
    page_context: Any, qtbot: Any, sandbox: SandboxServer, where: Where = lambda r: True
) -> Ready:
    """A desk on a one-on-one event type, a valid invitee filled in, its first open time chosen."""
    record = one_on_one(sandbox, where)
    desk, context = open_desk(page_context, qtbot)
    choose(desk, qtbot, sandbox, record)
    fill(desk)
    return Ready(desk, context, record, pick_first_time(desk))


# -- tests -----------------------------------------------------------------------------------------
def test_open_times_match_the_sandbox_week_by_week(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    record = one_on_one(sandbox)
    desk, _ = open_desk(page_context, qtbot)
    choose(desk, qtbot, sandbox, record)

    start, end = desk.slots.time_window
    assert end - start == WINDOW == timedelta(days=7)  # what one request may span in 2023 too
    assert [iso(t) for t in desk.slots.times()] == open_starts(sandbox, record, start, end)
    shown = desk.slots._slot_items()
    assert len(shown) == len(desk.slots.times())
    assert not desk.slots.earlier_button.isEnabled()  # nothing before now
    assert "Europe/Berlin" not in desk.slots.tree.headerItem().text(1)
    desk.form.zone_edit.setText("Europe/Berlin")
    assert "Europe/Berlin" in desk.slots.tree.headerItem().text(1)

    qtbot.mouseClick(desk.slots.later_button, CLICK)
    qtbot.waitUntil(lambda: not desk.slots.loading, timeout=LOAD)
    assert desk.slots.time_window == (end, end + WINDOW)
    later = open_starts(sandbox, record, end, end + WINDOW)
    assert later and [iso(t) for t in desk.slots.times()] == later
    assert desk.slots.earlier_button.isEnabled()

    qtbot.mouseClick(desk.slots.earlier_button, CLICK)
    qtbot.waitUntil(lambda: not desk.slots.loading, timeout=LOAD)
    assert desk.slots.time_window == (start, end)
    assert [iso(t) for t in desk.slots.times()] == open_starts(sandbox, record, start, end)


def test_loading_open_times_never_blocks_and_the_last_week_asked_wins(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    record = one_on_one(sandbox)
    desk, _ = open_desk(page_context, qtbot)
    slow = sandbox.add_fault(kind="latency", paths=["/event_type_available_times"], latency_ms=400)
    owner = sandbox.state.store.get("users", record["owner"])
    assert owner is not None and desk.picker.choose_member(uri(sandbox, "users", owner["id"]))
    qtbot.waitUntil(lambda: desk.picker.type_list.count() > 0, timeout=LOAD)
    assert desk.picker.choose_event_type(uri(sandbox, "event_types", record["id"]))

    assert desk.slots.loading and desk.slots.status.text() == "Loading the open times…"
    qtbot.keyClicks(desk.form.name_edit, "Pat")  # the form works meanwhile
    assert desk.form.name_edit.text() == "Pat"
    qtbot.mouseClick(desk.slots.later_button, CLICK)
    qtbot.mouseClick(desk.slots.later_button, CLICK)
    start, end = desk.slots.time_window
    qtbot.waitUntil(lambda: not desk.slots.loading, timeout=LOAD)

    assert slow.fired >= 1  # earlier weeks' requests were dropped as newer ones came
    sandbox.state.faults.remove(slow.id)
    assert desk.slots.time_window == (start, end)
    assert [iso(t) for t in desk.slots.times()] == open_starts(sandbox, record, start, end)


def test_a_required_question_left_empty_is_named_by_its_field_and_nothing_is_sent(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    record = one_on_one(sandbox, has_required("string"))
    desk, _ = open_desk(page_context, qtbot)
    choose(desk, qtbot, sandbox, record)
    posts = posts_counter(sandbox)
    fill(desk, skip_required=True)
    pick_first_time(desk)

    click_book(desk, qtbot)

    required = next(f for f in desk.form.questions if f.question.required)
    messages = desk.form.messages()
    assert messages[required.question.name].startswith("Enter ")
    assert desk.form.focusWidget() is required.focus_widget or required.focus_widget.hasFocus()
    assert posts.fired == 0 and bookings(sandbox) == []
    assert desk.book_button.isEnabled()  # nothing in flight
    # Typing the answer clears the message.
    assert isinstance(required, TextQuestion)
    qtbot.keyClicks(required.edit, "Acme")
    assert required.question.name not in desk.form.messages()


def test_calendly_refusals_land_on_the_fields_they_name(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    desk, _, record, _ = ready_to_book(
        page_context,
        qtbot,
        sandbox,
        lambda r: has_required("string")(r) and len(r.get("locations") or []) == 1,
    )
    # Meanwhile an admin renames the required question and changes the location: the form
    # was built from the old event type, so Calendly refuses both by their parameter names.
    question = next(q for q in record["custom_questions"] if q["required"] and q["enabled"])
    old_name = question["name"]
    kind = record["locations"][0]["kind"]
    other = "webex_conference" if kind != "webex_conference" else "zoom_conference"
    changed = dict(record)
    changed["custom_questions"] = [
        {**q, "name": q["name"] + " (new)"} if q is question else q
        for q in record["custom_questions"]
    ]
    changed["locations"] = [{"kind": other, "location": None, "position": 0}]
    sandbox.state.store.update("event_types", changed)

    click_book(desk, qtbot)
    qtbot.waitUntil(lambda: not desk.in_flight, timeout=LOAD)

    messages = desk.form.messages()
    assert "Calendly: must exactly match" in messages[old_name]
    assert "Calendly: must match a location of the event type" in messages["Location"]
    assert bookings(sandbox) == []
    assert desk.stack.currentIndex() == 0 and desk.book_button.isEnabled()


def test_a_time_taken_meanwhile_is_said_at_the_open_times(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    desk, _, record, start = ready_to_book(page_context, qtbot, sandbox)
    # Someone else books that time through Calendly first.
    body: dict[str, object] = {
        "event_type": uri(sandbox, "event_types", record["id"]),
        "start_time": iso(start),
        "invitee": {"email": "first@example.com", "name": "First", "timezone": "UTC"},
    }
    location = desk.form.location.value() if desk.form.location is not None else None
    if location is not None:
        body["location"] = {"kind": location.kind, "location": location.location}
    values = desk.form.collect()
    assert values is not None
    body["questions_and_answers"] = [
        {"question": a.question, "answer": a.answer, "position": a.position} for a in values.answers
    ]
    with sandbox_http(sandbox) as http:
        assert http.post("/invitees", json=body).status_code == 201

    click_book(desk, qtbot)
    qtbot.waitUntil(lambda: desk.slots.message.isVisible(), timeout=LOAD)
    assert "Calendly: is not an available start time" in desk.slots.message.text()
    qtbot.waitUntil(lambda: not desk.slots.loading, timeout=LOAD)
    assert start not in desk.slots.times()  # reloaded: the taken time is gone
    assert bookings(sandbox) == []


def test_a_booking_is_made_logged_and_shown(
    page_context: Any, qtbot: Any, sandbox: SandboxServer, run_async: Any
) -> None:
    record = one_on_one(sandbox, has_required("string"))
    desk, context = open_desk(page_context, qtbot)
    choose(desk, qtbot, sandbox, record)
    fill(desk)
    desk.form.guests_edit.setText("guest@example.com")
    desk.form.utm_edits["utm_source"].setText("desk")
    start = pick_first_time(desk)
    before = desk.quota.text()

    with qtbot.waitSignal(context.changes.changed, timeout=LOAD) as changed:
        click_book(desk, qtbot)
        assert not desk.book_button.isEnabled()  # in flight
    wait_booked(desk, qtbot)

    made = bookings(sandbox)
    assert len(made) == 1
    invitee = made[0]
    assert invitee["name"] == "Pat Booker" and invitee["timezone"] == "Europe/Berlin"
    assert invitee["scheduling_method"] == "api"
    assert invitee["tracking"]["utm_source"] == "desk"
    event = sandbox.state.store.get("scheduled_events", invitee["event"])
    assert event is not None and when(event["start_time"]) == start
    assert [g["email"] for g in event["guests"]] == ["guest@example.com"]
    assert changed.args == ["scheduled_event", uri(sandbox, "scheduled_events", event["id"])]

    # The result view: the event in both zones, the invitee, the links.
    summary = desk.result.summary.text()
    assert "Pat Booker" in summary and EMAIL in summary and "guest@example.com" in summary
    assert "Europe/Berlin" in summary and "Your time" in summary
    assert desk.result.invitee is not None
    assert desk.result.cancel.edit.text() == desk.result.invitee.cancel_url
    assert desk.result.cancel.edit.text().startswith("http")
    assert desk.result.reschedule.edit.text().startswith("http")
    opened: list[str] = []
    desk.result.open_url = lambda url: opened.append(url.toString())
    qtbot.mouseClick(desk.result.reschedule.open_button, CLICK)
    assert opened == [desk.result.invitee.reschedule_url]
    qtbot.mouseClick(desk.result.cancel.copy_button, CLICK)
    assert QApplication.clipboard().text() == desk.result.invitee.cancel_url
    assert desk.quota.text() != before and "9 of 10 this minute" in desk.quota.text()

    # The action log: who booked whom, with whose event type.
    entries = logged(context, run_async, "invitee.book")
    assert len(entries) == 1 and entries[0].outcome == "ok"
    entry = entries[0]
    assert entry.target_uri == desk.result.invitee.uri
    assert EMAIL in entry.target_label
    assert entry.actor_uri == context.connection.identity.user_uri
    assert context.connection.identity.user_email in entry.details["booked_by"]
    assert EMAIL in entry.details["invitee"]
    assert entry.details["event_type"] == uri(sandbox, "event_types", record["id"])


def test_the_scheduled_events_page_shows_a_new_booking(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    record = one_on_one(sandbox)
    desk, context = open_desk(page_context, qtbot)
    events_page = page_context.adopt(build_scheduled_events_page(page_spec("scheduled_events")))
    events_page.bind(context)
    events = events_page.tables[0]
    assert isinstance(events, ScheduledEventsTable)
    qtbot.waitUntil(lambda: not events.model.loading and events.model.rowCount() > 0, timeout=LOAD)
    choose(desk, qtbot, sandbox, record)
    fill(desk)
    pick_first_time(desk)

    click_book(desk, qtbot)
    wait_booked(desk, qtbot)

    invitee = desk.result.invitee
    assert invitee is not None
    qtbot.waitUntil(lambda: events.model.row_of(invitee.event) is not None, timeout=LOAD)


def test_book_another_keeps_the_invitee_and_goes_back_to_the_open_times(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    desk, _, _, first = ready_to_book(page_context, qtbot, sandbox)
    click_book(desk, qtbot)
    wait_booked(desk, qtbot)

    qtbot.mouseClick(desk.result.another_button, CLICK)
    assert desk.stack.currentIndex() == 0
    assert desk.form.email_edit.text() == EMAIL and desk.form.name_edit.text() == "Pat Booker"
    qtbot.waitUntil(lambda: not desk.slots.loading and bool(desk.slots.times()), timeout=LOAD)
    assert first not in desk.slots.times()
    later = desk.slots.times()[-1]
    assert desk.slots.select(later)
    click_book(desk, qtbot)
    wait_booked(desk, qtbot)
    assert len(bookings(sandbox)) == 2

    qtbot.mouseClick(desk.result.new_button, CLICK)
    assert desk.form.email_edit.text() == ""


def test_double_clicks_and_enter_book_once(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    desk = ready_to_book(page_context, qtbot, sandbox).desk
    posts = sandbox.add_fault(kind="latency", paths=["/invitees"], methods=["POST"], latency_ms=300)

    click_book(desk, qtbot)
    click_book(desk, qtbot)
    qtbot.keyClick(desk.form.email_edit, Qt.Key.Key_Return)
    desk.book()
    wait_booked(desk, qtbot)

    assert posts.fired == 1
    assert len(bookings(sandbox)) == 1


def test_a_lost_answer_is_reconciled_to_the_one_booking(
    page_context: Any, qtbot: Any, sandbox: SandboxServer, run_async: Any
) -> None:
    desk, context, _, _ = ready_to_book(page_context, qtbot, sandbox)
    posts = posts_counter(sandbox)
    # The sandbox books, then breaks the connection half-way through its answer.
    cut = sandbox.add_fault(kind="truncate", paths=["/invitees"], methods=["POST"], times=1)

    click_book(desk, qtbot)
    wait_booked(desk, qtbot)

    assert cut.fired == 1 and posts.fired == 1  # sent once, looked up, not sent again
    made = bookings(sandbox)
    assert len(made) == 1
    assert desk.result.invitee is not None and desk.result.invitee.uri.endswith(made[0]["id"])
    assert "Booked" in desk.result.heading.text()
    assert logged(context, run_async, "invitee.book")[0].outcome == "ok"


def test_an_answer_that_cannot_be_checked_is_said_unknown_and_never_resent(
    page_context: Any, qtbot: Any, sandbox: SandboxServer, run_async: Any
) -> None:
    desk, context, _, _ = ready_to_book(page_context, qtbot, sandbox)
    run_async(context.connection.client.users.me())  # known: the look-up then fails
    posts = posts_counter(sandbox)
    sandbox.add_fault(kind="truncate", paths=["/invitees"], methods=["POST"], times=1)
    look = sandbox.add_fault(kind="error", status=503, paths=["/scheduled_events"], methods=["GET"])

    click_book(desk, qtbot)
    qtbot.waitUntil(lambda: desk.unconfirmed_box.isVisible(), timeout=LOAD)

    assert "not known whether" in desk.unconfirmed_text.text()
    assert "Nothing is sent again" in desk.unconfirmed_text.text()
    assert not desk.book_button.isEnabled()
    desk.book()  # a programmatic or keyboard attempt is refused too
    qtbot.keyClick(desk.form.email_edit, Qt.Key.Key_Return)
    assert posts.fired == 1 and len(bookings(sandbox)) == 1
    assert logged(context, run_async, "invitee.book")[0].outcome == "unknown"

    # Calendly answers again: the check finds the booking, nothing is sent.
    sandbox.state.faults.remove(look.id)
    qtbot.mouseClick(desk.check_button, CLICK)
    wait_booked(desk, qtbot)
    assert "found afterwards" in desk.result.summary.text()
    assert posts.fired == 1 and len(bookings(sandbox)) == 1
    assert desk.book_button.isEnabled()


def test_the_quota_is_shown_and_a_429_explained(
    page_context: Any, qtbot: Any, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox.config, "scheduling_per_minute", 1)
    record = one_on_one(sandbox)
    desk, _ = open_desk(page_context, qtbot)
    assert "10 of 10 this minute" in desk.quota.text()
    assert "50 of 50 this hour" in desk.quota.text() and "100 of 100 today" in desk.quota.text()
    choose(desk, qtbot, sandbox, record)
    fill(desk)
    pick_first_time(desk)
    click_book(desk, qtbot)
    wait_booked(desk, qtbot)
    assert "9 of 10 this minute" in desk.quota.text()

    qtbot.mouseClick(desk.result.another_button, CLICK)
    qtbot.waitUntil(lambda: not desk.slots.loading and bool(desk.slots.times()), timeout=LOAD)
    desk.slots.select(desk.slots.times()[-1])
    click_book(desk, qtbot)
    qtbot.waitUntil(lambda: desk.message.isVisible(), timeout=LOAD)

    text = desk.message.text()
    assert "Nothing was booked" in text
    assert "allows 1 bookings a minute" in text and "this minute's are used up" in text
    assert "possible again in" in text and " s (at " in text
    assert "accepts no bookings" in desk.quota.text()
    assert len(bookings(sandbox)) == 1
    assert desk.book_button.isEnabled()


def test_every_control_is_named_and_reachable(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    kinds = ("string", "text", "phone_number", "single_select", "multi_select")
    record = one_on_one(sandbox)
    # Every kind of question, and "Other" for both kinds of choice.
    changed = dict(record)
    changed["custom_questions"] = [
        {
            "name": f"Question {kind}",
            "type": kind,
            "position": position,
            "enabled": True,
            "required": position % 2 == 0,
            "answer_choices": ["Red", "Green"] if "select" in kind else [],
            "include_other": "select" in kind,
        }
        for position, kind in enumerate(kinds)
    ]
    changed["locations"] = [
        {"kind": "outbound_call", "location": None, "position": 0},
        {"kind": "zoom_conference", "location": None, "position": 1},
    ]
    sandbox.state.store.update("event_types", changed)
    desk, _ = open_desk(page_context, qtbot)
    choose(desk, qtbot, sandbox, record)
    assert [type(f).__name__ for f in desk.form.questions] == [
        "TextQuestion",
        "TextQuestion",
        "TextQuestion",
        "SingleChoiceQuestion",
        "MultipleChoiceQuestion",
    ]
    assert unnamed_interactive(desk) == []
    assert unreachable_by_keyboard(desk) == []
    fill(desk)
    pick_first_time(desk)
    click_book(desk, qtbot)
    wait_booked(desk, qtbot)
    assert unnamed_interactive(desk) == []
    assert len(bookings(sandbox)) == 1
    assert bookings(sandbox)[0]["questions_and_answers"]


def test_tab_walks_member_event_type_times_fields_then_book(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    record = one_on_one(sandbox)
    desk, _ = open_desk(page_context, qtbot)
    choose(desk, qtbot, sandbox, record)
    desk.activateWindow()
    desk.picker.search.setFocus()
    qtbot.waitUntil(desk.picker.search.hasFocus)

    seen = [QApplication.focusWidget()]
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
        if seen[-1] is desk.book_button:
            break
    order = [
        desk.picker.search,
        desk.picker.member_list,
        desk.picker.type_list,
        desk.slots.tree,
        desk.form.name_edit,
        desk.form.email_edit,
        desk.form.zone_edit,
        desk.book_button,
    ]
    positions = [seen.index(widget) for widget in order]
    assert positions == sorted(positions)
    for field in desk.form.questions:
        assert field.focus_widget in seen


def test_a_round_robin_type_asks_no_location(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    pooled = event_types(sandbox, lambda r: r["pooling_type"] == "round_robin")
    assert pooled
    record = pooled[0]
    hosts = sandbox.state.store.find("event_type_hosts", "event_type = ?", (record["id"],))
    desk, _ = open_desk(page_context, qtbot)
    member = uri(sandbox, "users", hosts[0]["user"])
    assert desk.picker.choose_member(member)
    qtbot.waitUntil(lambda: desk.picker.type_list.count() > 0, timeout=LOAD)
    assert desk.picker.choose_event_type(uri(sandbox, "event_types", record["id"]))
    location = desk.form.location
    assert location is not None and location.combo is None and location.value() is None
    assert "Round robin" in location.note.text()


def test_bad_input_is_said_next_to_each_field(
    page_context: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    record = one_on_one(sandbox)
    desk, _ = open_desk(page_context, qtbot)
    choose(desk, qtbot, sandbox, record)
    posts = posts_counter(sandbox)
    form = desk.form
    form.separate_names.setChecked(True)
    form.email_edit.setText("not-an-email")
    form.zone_edit.setText("Mars/Olympus")
    form.sms_edit.setText("4155551234")
    form.guests_edit.setText(", ".join(f"g{i}@example.com" for i in range(11)))
    form.utm_edits["utm_term"].setText("x" * 256)

    click_book(desk, qtbot)

    messages = form.messages()
    assert messages["Invitee's first name"].startswith("Enter ")
    assert "not an e-mail address" in messages["Invitee's e-mail"]
    assert "not a time zone" in messages["Invitee's time zone"]
    assert "+14155551234" in messages["SMS reminder number"]
    assert "At most 10 guests" in messages["Guests' e-mails"]
    assert "255" in messages["utm_term"] and form.utm_box.isVisible()
    assert desk.slots.message.text() == "Choose one of the open times."
    assert posts.fired == 0
    # What was typed is kept.
    assert form.email_edit.text() == "not-an-email"
