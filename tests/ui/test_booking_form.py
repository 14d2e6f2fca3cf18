"""The invitee form generated from an event type: questions in order with their kinds and
required marks, locations with what each needs, answers as Calendly wants them, Calendly's
``details`` on the fields they name, and the form's checks agreeing with the sandbox's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from desktop.api.errors import FieldProblem
from desktop.domain.decoding import decode
from desktop.domain.event_types import EventType
from desktop.sandbox import booking_fields
from desktop.ui.booking import checks
from desktop.ui.booking.invitee_form import InviteeForm
from desktop.ui.booking.question_fields import (
    MultipleChoiceQuestion,
    SingleChoiceQuestion,
    TextQuestion,
)


def event_type(**changes: Any) -> EventType:
    data: dict[str, Any] = {
        "uri": "https://api.calendly.com/event_types/ET1",
        "name": "Discovery call",
        "active": True,
        "scheduling_url": "https://calendly.com/ana/discovery",
        "duration": 30,
        "kind": "solo",
        "pooling_type": None,
        "custom_questions": [
            {"name": "Company", "type": "string", "position": 2, "enabled": True,
             "required": True, "answer_choices": [], "include_other": False},
            {"name": "Hidden", "type": "string", "position": 0, "enabled": False,
             "required": True, "answer_choices": [], "include_other": False},
            {"name": "Phone", "type": "phone_number", "position": 1, "enabled": True,
             "required": False, "answer_choices": [], "include_other": False},
            {"name": "Size", "type": "single_select", "position": 3, "enabled": True,
             "required": True, "answer_choices": ["1-10", "11-50"], "include_other": True},
            {"name": "Topics", "type": "multi_select", "position": 4, "enabled": True,
             "required": False, "answer_choices": ["Pricing", "Security"],
             "include_other": True},
            {"name": "Notes", "type": "text", "position": 5, "enabled": True,
             "required": False, "answer_choices": [], "include_other": False},
        ],
        "locations": [
            {"kind": "physical", "location": "1 Main St", "position": 0},
            {"kind": "ask_invitee", "location": None, "position": 1},
            {"kind": "outbound_call", "location": None, "position": 2},
            {"kind": "zoom_conference", "location": None, "position": 3},
        ],
    }  # fmt: skip
    data.update(changes)
    return decode(json.dumps(data), EventType)


@pytest.fixture
def form(qtbot: Any) -> InviteeForm:
    made = InviteeForm()
    qtbot.addWidget(made)
    made.set_event_type(event_type())
    made.name_edit.setText("Ana Lima")
    made.email_edit.setText("ana@example.com")
    made.zone_edit.setText("Europe/Lisbon")
    return made


def test_questions_follow_the_event_type_in_order_with_their_kinds(form: InviteeForm) -> None:
    names = [f.question.name for f in form.questions]
    assert names == ["Phone", "Company", "Size", "Topics", "Notes"]  # by position, enabled only
    kinds = [type(f) for f in form.questions]
    assert kinds == [TextQuestion, TextQuestion, SingleChoiceQuestion, MultipleChoiceQuestion,
                     TextQuestion]  # fmt: skip
    captions = {row.caption.text(): row.focus_widget for row in form._question_rows}
    assert set(captions) == {"Phone", "Company *", "Size *", "Topics", "Notes"}
    assert captions["Company *"].accessibleDescription().startswith("Required")
    size = form.questions[2]
    assert isinstance(size, SingleChoiceQuestion)
    assert [size.combo.itemText(i) for i in range(size.combo.count())] == [
        "Choose…", "1-10", "11-50", "Other…"
    ]  # fmt: skip


def test_each_location_kind_asks_what_it_needs(form: InviteeForm) -> None:
    location = form.location
    assert location is not None and location.combo is not None
    assert location.combo.itemText(0) == "In person: 1 Main St"
    value = location.value()
    assert value is not None and (value.kind, value.location) == ("physical", "1 Main St")
    assert not location.detail.isVisibleTo(form)  # the host's own place: nothing to type

    location.combo.setCurrentIndex(1)  # asked of the invitee
    assert location.detail.isVisibleTo(form) and location.check() == [location.detail]
    location.detail.setText("The café")
    value = location.value()
    assert value is not None and (value.kind, value.location) == ("ask_invitee", "The café")

    location.combo.setCurrentIndex(2)  # the host calls
    location.detail.setText("call me")
    assert location.check() == [location.detail]
    assert location.detail.accessibleName() == "Phone number the host calls"
    location.detail.setText("+1 415 555 0199")
    assert location.check() == []

    location.combo.setCurrentIndex(3)  # a conference: nothing to type
    assert not location.detail.isVisibleTo(form) and "Zoom" in location.note.text()
    value = location.value()
    assert value is not None and (value.kind, value.location) == ("zoom_conference", None)


def test_a_round_robin_type_sends_no_location(qtbot: Any) -> None:
    form = InviteeForm()
    qtbot.addWidget(form)
    form.set_event_type(event_type(pooling_type="round_robin"))
    assert form.location is not None and form.location.value() is None
    assert form.location.inputs() == []


def test_answers_go_as_calendly_wants_them(form: InviteeForm) -> None:
    company, size, topics = form.questions[1], form.questions[2], form.questions[3]
    assert isinstance(company, TextQuestion) and isinstance(company.edit, type(form.name_edit))
    company.edit.setText("  Acme  ")
    assert isinstance(size, SingleChoiceQuestion) and isinstance(topics, MultipleChoiceQuestion)
    size.choose("Over 9000")  # not a choice: "Other" with that text
    assert size.choosing_other and size.other.isVisibleTo(size)
    topics.choose(["Security", "Pricing", "Uptime"])

    values = form.collect()
    assert values is not None
    assert [(a.question, a.answer, a.position) for a in values.answers] == [
        ("Company", "Acme", 2),
        ("Size", "Over 9000", 3),
        ("Topics", "Pricing\nSecurity\nUptime", 4),  # one choice per line, in the choices' order
    ]
    assert values.invitee.name == "Ana Lima" and values.invitee.first_name is None
    assert values.tracking is None and values.guests == ()

    form.separate_names.setChecked(True)
    form.first_edit.setText("Ana")
    form.last_edit.setText("Lima")
    values = form.collect()
    assert values is not None
    assert (values.invitee.name, values.invitee.first_name, values.invitee.last_name) == (
        None, "Ana", "Lima"
    )  # fmt: skip


def test_calendly_details_land_on_the_fields_they_name(form: InviteeForm) -> None:
    company, size = form.questions[1], form.questions[2]
    assert isinstance(company, TextQuestion) and isinstance(size, SingleChoiceQuestion)
    assert isinstance(company.edit, QLineEdit)
    company.edit.setText("Acme")
    size.choose("1-10")
    form.guests_edit.setText("a@example.com, b@example.com")
    form.utm_edits["utm_source"].setText("x")
    assert form.location is not None and form.location.combo is not None
    form.location.combo.setCurrentIndex(1)
    form.location.detail.setText("somewhere")
    assert form.collect() is not None  # sent: Company is answer 0, Size answer 1

    left, first = form.show_problems(
        [
            FieldProblem("invitee.email", "must be a valid email"),
            FieldProblem("questions_and_answers[1].answer", "must be one of: 1-10, 11-50"),
            FieldProblem("questions_and_answers", 'must answer the required question "Company"'),
            FieldProblem("location.location", "is required"),
            FieldProblem("tracking.utm_source", "must be a string of at most 255 characters"),
            FieldProblem("event_guests[1]", "must be a valid email"),
            FieldProblem("invitee.timezone", "must be a valid IANA time zone"),
            FieldProblem("payment", "something new"),
        ]
    )
    messages = form.messages()
    assert messages["Invitee's e-mail"] == "Calendly: must be a valid email"
    assert messages["Size"] == "Calendly: must be one of: 1-10, 11-50"
    assert messages["Company"] == 'Calendly: must answer the required question "Company"'
    assert messages["Where to meet"] == "Calendly: is required"
    assert messages["utm_source"].startswith("Calendly: must be a string")
    assert form.utm_box.isVisibleTo(form)
    assert messages["Guests' e-mails"] == "Guest 2 — Calendly: must be a valid email"
    assert messages["Invitee's time zone"] == "Calendly: must be a valid IANA time zone"
    assert [p.parameter for p in left] == ["payment"]
    assert first is form.email_edit
    # Typing in a field clears its message; the others stay.
    form.email_edit.setText("ana@example.org")
    assert "Invitee's e-mail" not in form.messages() and "Size" in form.messages()


@pytest.mark.parametrize(
    "value",
    ["ana@example.com", "a@b", "a b@example.com", "x" * 250 + "@e.com", "ana@example.com ", ""],
)
def test_the_e_mail_check_agrees_with_the_sandbox(value: str) -> None:
    assert checks.is_email(value) == booking_fields.is_email(value)


@pytest.mark.parametrize(
    "value", ["+1 415 555 0100", "415-555", "(030) 1234 5678", "+12345678901234567", "abc", "+"]
)
def test_the_phone_checks_agree_with_the_sandbox(value: str) -> None:
    assert checks.is_phone(value) == booking_fields.is_phone(value)
    assert checks.is_e164(value) == booking_fields.is_e164(value)


@pytest.mark.parametrize("value", ["Europe/Berlin", "UTC", "Mars/Olympus", " Europe/Berlin", ""])
def test_the_time_zone_check_agrees_with_the_sandbox(value: str) -> None:
    assert checks.is_time_zone(value) == booking_fields.is_time_zone(value)
