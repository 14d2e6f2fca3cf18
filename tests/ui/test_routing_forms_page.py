"""The Routing forms page over the sandbox: forms, submissions, answers, results and bookings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.sandbox import SandboxServer
from desktop.ui.org.record_table import RecordsPage
from desktop.ui.org.routing_forms import FormsTable, build_routing_forms_page
from desktop.ui.org.routing_submissions import SubmissionsTable
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.page_helpers import (
    bind_new,
    load_all,
    sandbox_http,
    sandbox_items,
    sandbox_me,
    select_where,
)

LOAD = 20_000
SPEC = PageSpec("routing_forms", "Routing forms", "Routing forms and their submissions.")
Opened = tuple[RecordsPage, FormsTable, SubmissionsTable, PageContext]


@pytest.fixture
def open_page(page_context: Callable[..., PageContext]) -> Callable[..., Opened]:
    """``open_page(role="owner")``: the page bound to a context, let go after the test (after
    ``qtmodeltester``'s clean-up, which needs the models alive: request this fixture first)."""

    def open_(role: str = "owner") -> Opened:
        page = build_routing_forms_page(SPEC)
        context = bind_new(page_context, page, role)
        forms, submissions = page.tables
        assert isinstance(forms, FormsTable) and isinstance(submissions, SubmissionsTable)
        return page, forms, submissions, context

    return open_


def _organization(sandbox: SandboxServer) -> str:
    return str(sandbox_me(sandbox)["current_organization"])


def _submit(sandbox: SandboxServer, body: dict[str, Any]) -> dict[str, Any]:
    with sandbox_http(sandbox) as http:
        answer = http.post("/_sandbox/routing_submissions", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["resource"])


def _wait_forms(submissions: SubmissionsTable, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: submissions.form.count() == 2, timeout=LOAD)
    load_all(qtbot, submissions, LOAD)


def test_the_forms_tab_lists_the_forms_with_their_questions(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, qtmodeltester: Any
) -> None:
    page, forms, _, _ = open_page()
    load_all(qtbot, forms, LOAD)
    expected = sandbox_items(sandbox, "/routing_forms", organization=_organization(sandbox))
    assert len(expected) == 2
    assert {f.uri for f in forms.model.records()} == {f["uri"] for f in expected}
    sales = next(f for f in expected if f["name"] == "Contact Sales")
    row = forms.model.row_of(sales["uri"])
    assert row is not None
    cells = [forms.model.index(row, c).data() for c in range(forms.model.columnCount())]
    assert cells[:3] == ["Contact Sales", "Published", str(len(sales["questions"]))]
    select_where(forms, lambda f: f.name == "Contact Sales")
    text = forms.detail.toPlainText()
    for question in sales["questions"]:
        assert question["name"] in text
        for choice in question["answer_choices"] or []:
            assert choice in text
    assert "Drop-down" in text and "required" in text and "optional" in text
    qtmodeltester.check(forms.model, force_py=True)
    assert unnamed_interactive(page) == [] and unreachable_by_keyboard(page) == []


def test_submissions_of_the_chosen_form_are_exactly_the_sandboxs(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, qtmodeltester: Any
) -> None:
    _, _, submissions, _ = open_page()
    _wait_forms(submissions, qtbot)
    for index in range(submissions.form.count()):
        submissions.form.setCurrentIndex(index)
        load_all(qtbot, submissions, LOAD)
        form = submissions.form.currentData()
        expected = sandbox_items(sandbox, "/routing_form_submissions", form=form)
        assert len(expected) >= 12
        assert {s.uri for s in submissions.model.records()} == {s["uri"] for s in expected}
        assert all(s.routing_form == form for s in submissions.model.records())
    # Newest first; the columns sort by value.
    dates = [s.created_at.timestamp() for s in submissions.model.records() if s.created_at]
    assert len(dates) == submissions.model.rowCount()
    assert dates == sorted(dates, reverse=True)
    submissions.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    shown = [s.created_at.timestamp() for s in submissions.shown_records() if s.created_at]
    assert shown == sorted(shown)
    qtmodeltester.check(submissions.model, force_py=True)


def test_a_submission_shows_its_answers_tracking_and_routing_result(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    organization = _organization(sandbox)
    form = next(
        f
        for f in sandbox_items(sandbox, "/routing_forms", organization=organization)
        if f["name"] == "Contact Sales"
    )
    routed = _submit(
        sandbox,
        {
            "form": form["uri"],
            "answers": {
                "Full name": "Ada <Lovelace>",
                "Work email": "ada@engines.example",
                "Company size": "11-50",
                "What are you looking for?": "Pricing",
                "Anything else we should know?": "Bring the <b>analytical</b> engine",
            },
            "tracking": {"utm_source": "newsletter", "utm_campaign": "autumn-launch"},
            "result": {"type": "external_url", "value": "https://example.com/pricing?a=1&b=2"},
        },
    )
    messaged = _submit(
        sandbox,
        {
            "form": form["uri"],
            "answers": {
                "Full name": "Grace Hopper",
                "Work email": "grace@navy.example",
                "Company size": "1000+",
                "What are you looking for?": "Something else",
            },
            "result": {
                "type": "custom_message",
                "value": {"headline": "We'll write", "body": "Expect an e-mail today."},
            },
        },
    )
    event_types = sandbox_items(sandbox, "/event_types", organization=organization, active="true")
    target = next(e for e in event_types if e["pooling_type"] == "round_robin")
    to_event_type = _submit(
        sandbox,
        {
            "form": form["uri"],
            "answers": {
                "Full name": "Alan Turing",
                "Work email": "alan@bletchley.example",
                "Company size": "51-200",
                "What are you looking for?": "A product demo",
            },
            "result": {"type": "event_type", "value": target["uri"]},
        },
    )
    _, _, submissions, _ = open_page()
    _wait_forms(submissions, qtbot)
    submissions.select_form(form["uri"])
    load_all(qtbot, submissions, LOAD)

    row = submissions.model.row_of(routed["uri"])
    assert row is not None
    cells = [submissions.model.index(row, c).data() for c in range(5)]
    assert cells[1:] == [
        "Ada <Lovelace> <ada@engines.example>",
        "External URL",
        "https://example.com/pricing?a=1&b=2",
        "No",
    ]
    select_where(submissions, lambda s: s.uri == routed["uri"])
    text = submissions.detail.toPlainText()
    assert "Bring the <b>analytical</b> engine" in text  # escaped, not markup
    assert "Company size" in text and "11-50" in text
    assert "utm_source" in text and "newsletter" in text and "autumn-launch" in text
    assert "External URL: https://example.com/pricing?a=1&b=2" in text
    assert "No meeting was booked from this submission." in text

    select_where(submissions, lambda s: s.uri == messaged["uri"])
    text = submissions.detail.toPlainText()
    assert "Custom message" in text and "We'll write" in text
    assert "Expect an e-mail today." in text and "No tracking parameters." in text

    name = f"{target['name']} ({target['profile']['name']})"
    row = submissions.model.row_of(to_event_type["uri"])
    assert row is not None
    qtbot.waitUntil(lambda: submissions.model.index(row, 3).data() == name, timeout=LOAD)
    select_where(submissions, lambda s: s.uri == to_event_type["uri"])
    assert f"Event type: {name}" in submissions.detail.toPlainText()
    assert f'href="{target["scheduling_url"]}"' in submissions.detail.toHtml()  # its booking page

    submissions.search.setText("bletchley")
    assert submissions.proxy.rowCount() == 1
    assert submissions.proxy.record_at(submissions.proxy.index(0, 0)).uri == to_event_type["uri"]


def test_a_booked_submission_shows_the_meeting_it_led_to(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    _, _, submissions, _ = open_page()
    _wait_forms(submissions, qtbot)
    booked = select_where(submissions, lambda s: s.submitter is not None)
    row = submissions.model.row_of(booked.uri)
    assert row is not None and submissions.model.index(row, 4).data() == "Yes"
    with sandbox_http(sandbox) as http:
        invitee = http.get(booked.submitter).json()["resource"]
        event = http.get(invitee["event"]).json()["resource"]
    qtbot.waitUntil(
        lambda: "Loading the booking" not in submissions.detail.toPlainText(), timeout=LOAD
    )
    text = submissions.detail.toPlainText()
    assert event["name"] in text and event["uri"] in text
    assert f"Invitee\n{invitee['name']} <{invitee['email']}>" in text
    assert "Starts" in text and ("Active" in text or "Canceled" in text)


def test_show_submissions_opens_the_forms_submissions_tab(
    open_page: Callable[..., Opened], qtbot: Any
) -> None:
    page, forms, submissions, _ = open_page()
    load_all(qtbot, forms, LOAD)
    _wait_forms(submissions, qtbot)
    assert not forms.submissions_action.isEnabled()
    support = select_where(forms, lambda f: f.name == "Support Triage")
    assert forms.submissions_action.isEnabled()
    forms.submissions_action.trigger()
    assert page.tabs.currentWidget() is submissions
    assert submissions.form.currentData() == support.uri
    load_all(qtbot, submissions, LOAD)
    assert submissions.model.rowCount() > 0
    assert all(s.routing_form == support.uri for s in submissions.model.records())


def test_a_member_without_admin_rights_reads_the_forms_too(
    open_page: Callable[..., Opened], qtbot: Any
) -> None:
    _, forms, submissions, _ = open_page("user")
    load_all(qtbot, forms, LOAD)
    assert forms.model.rowCount() == 2
    _wait_forms(submissions, qtbot)
    assert submissions.model.rowCount() > 0


def test_a_refused_submissions_load_says_so_and_retries(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    sandbox.add_fault(kind="error", status=403, paths=["/routing_form_submissions"], times=1)
    _, _, submissions, _ = open_page()
    qtbot.waitUntil(lambda: not submissions.retry_button.isHidden(), timeout=LOAD)
    assert submissions.status.text().startswith("Loading submissions failed:")
    assert "Ask an owner or admin" in submissions.status.text()
    qtbot.mouseClick(submissions.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: submissions.model.exhausted, timeout=LOAD)
    assert submissions.model.rowCount() > 0
