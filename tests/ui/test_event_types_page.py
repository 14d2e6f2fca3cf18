"""The Event types page over the sandbox: filters, search, detail, copy link, single-use links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from desktop.sandbox import SandboxServer
from desktop.ui.org.event_types import EventTypesTable, build_event_types_page
from desktop.ui.org.record_table import RecordsPage
from desktop.ui.page_context import PageContext
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.page_helpers import (
    bind_new,
    load_all,
    logged,
    page_spec,
    sandbox_get,
    sandbox_http,
    sandbox_items,
    sandbox_me,
    select_where,
)

LOAD = 20_000


Opened = tuple[RecordsPage, EventTypesTable, PageContext]


@pytest.fixture
def open_page(page_context: Callable[..., PageContext]) -> Callable[..., Opened]:
    """``open_page(role="owner")``: the page bound to a context, let go after the test (after
    ``qtmodeltester``'s own clean-up, which needs the models alive: request this fixture first)."""

    def open_(role: str = "owner") -> Opened:
        page = build_event_types_page(page_spec("event_types"))
        context = bind_new(page_context, page, role)
        table = page.tables[0]
        assert isinstance(table, EventTypesTable)
        return page, table, context

    return open_


@pytest.fixture
def first_rows(open_page: Callable[..., Opened], qtbot: Any) -> Opened:
    """The page as the owner sees it, once its first rows are in."""
    opened = open_page()
    qtbot.waitUntil(lambda: opened[1].model.rowCount() > 0, timeout=LOAD)
    return opened


def _sandbox_list(sandbox: SandboxServer, who: str, **params: Any) -> list[dict[str, Any]]:
    """Every event type the sandbox answers for the query, over plain HTTP."""
    return sandbox_items(sandbox, "/event_types", who, **params)


def _uris(table: EventTypesTable) -> set[str]:
    return {record.uri for record in table.model.records()}


def _wait_members(table: EventTypesTable, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: table.scope.count() == 26, timeout=LOAD)  # everyone + 25 members


def test_the_page_loads_every_event_type_of_the_organization(
    open_page: Callable[..., Opened],
    sandbox: SandboxServer,
    qtbot: Any,
    qtmodeltester: Any,
) -> None:
    page, table, _ = open_page()
    load_all(qtbot, table, LOAD)
    me = sandbox_me(sandbox, "owner")
    expected = _sandbox_list(sandbox, "owner", organization=me["current_organization"])
    assert len(expected) > 100  # more than one page
    assert _uris(table) == {e["uri"] for e in expected}
    assert table.status.text() == f"All {len(expected)} loaded"
    assert not table.scope_note.isVisible()
    names = [r.display_name.casefold() for r in table.shown_records()]
    assert names == sorted(names)  # A to Z at first
    qtmodeltester.check(table.model, force_py=True)  # the proxy is checked after a search
    assert unnamed_interactive(page) == [] and unreachable_by_keyboard(page) == []
    # The cells a user reads: the owner's name, kind, pooling, duration and locations.
    team = next(r for r in table.model.records() if r.pooling_type == "round_robin")
    row = table.model.row_of(team.uri)
    assert row is not None
    cells = [table.model.index(row, c).data() for c in range(table.model.columnCount())]
    assert cells[1] == team.profile.name if team.profile else ""
    assert cells[3] == "Round robin" and cells[5] == "Yes"
    assert cells[4] == f"{int(team.duration)} min"
    assert cells[7] == team.scheduling_url


def test_server_side_filters_give_exactly_what_the_sandbox_answers(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    _, table, _ = open_page()
    me = sandbox_me(sandbox, "owner")
    organization = me["current_organization"]
    table.active.setCurrentIndex(table.active.findData("inactive"))
    load_all(qtbot, table, LOAD)
    inactive = _sandbox_list(sandbox, "owner", organization=organization, active=False)
    assert inactive and _uris(table) == {e["uri"] for e in inactive}
    assert all(not r.active for r in table.model.records())

    # One member's active event types: those they own and those they host (a team's).
    _wait_members(table, qtbot)
    members = [table.scope.itemText(i) for i in range(1, table.scope.count())]
    assert members == sorted(members, key=str.casefold)
    team = next(
        e
        for e in _sandbox_list(sandbox, "owner", organization=organization)
        if e["pooling_type"] == "collective" and e["active"]
    )
    hosts = sandbox_get(sandbox, "/event_type_memberships", event_type=team["uri"])
    user = hosts["collection"][0]["member"]["uri"]
    table.scope.setCurrentIndex(table.scope.findData(user))
    table.active.setCurrentIndex(table.active.findData("active"))
    load_all(qtbot, table, LOAD)
    expected = _sandbox_list(sandbox, "owner", user=user, active=True)
    assert _uris(table) == {e["uri"] for e in expected}
    assert team["uri"] in _uris(table)
    assert all(r.active for r in table.model.records())

    # Back to everyone, both states.
    table.scope.setCurrentIndex(0)
    table.active.setCurrentIndex(table.active.findData("all"))
    load_all(qtbot, table, LOAD)
    everything = _sandbox_list(sandbox, "owner", organization=organization)
    assert _uris(table) == {e["uri"] for e in everything}


def test_search_and_sort_work_on_what_is_loaded(
    open_page: Callable[..., Opened], qtbot: Any, qtmodeltester: Any
) -> None:
    _, table, _ = open_page()
    load_all(qtbot, table, LOAD)
    table.search.setText("round robin")
    assert 0 < table.proxy.rowCount() < table.model.rowCount()
    assert all(
        table.proxy.record_at(table.proxy.index(r, 0)).pooling_type == "round_robin"
        for r in range(table.proxy.rowCount())
    )
    assert "shown" in table.status.text()
    table.search.setText("no such event type anywhere")
    assert table.proxy.rowCount() == 0
    assert table.body.currentWidget() is table.empty
    assert "no such event type anywhere" in table.empty.text()
    table.search.clear()
    table.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # duration
    durations = [r.duration for r in table.shown_records()]
    assert durations == sorted(durations) and durations[0] < durations[-1]
    table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # name
    names = [r.display_name.casefold() for r in table.shown_records()]
    assert names == sorted(names, reverse=True)
    qtmodeltester.check(table.proxy, force_py=True)


def test_the_detail_panel_shows_locations_questions_and_escapes_text(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    me = sandbox_me(sandbox, "owner")
    body = {
        "owner": me["uri"],
        "name": "<b>Tea</b> & talk",
        "duration": 45,
        "active": True,
        "locations": [
            {"kind": "physical", "location": "Café <Central>", "additional_info": "Ring twice"},
            {"kind": "zoom_conference"},
        ],
    }
    with sandbox_http(sandbox) as http:
        created = http.post("/event_types", json=body)
        assert created.status_code == 201, created.text
    _, table, _ = open_page()
    load_all(qtbot, table, LOAD)
    select_where(table, lambda e: e.name == "<b>Tea</b> & talk")
    text = table.detail.toPlainText()
    assert "<b>Tea</b> & talk" in text  # shown as typed, not as markup
    assert "In person — Café <Central> — Ring twice" in text
    assert "Zoom" in text and "45 min" in text
    row = table.model.row_of(created.json()["resource"]["uri"])
    assert row is not None
    assert table.model.index(row, 6).data() == "In person: Café <Central>, Zoom"

    with_questions = select_where(table, lambda e: len(e.custom_questions) >= 2)
    text = table.detail.toPlainText()
    for question in with_questions.custom_questions:
        assert question.name in text
    assert "optional" in text or "required" in text
    assert "Locations" in text and with_questions.scheduling_url in text


def test_a_team_event_type_lists_its_hosts(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    _, table, _ = open_page()
    load_all(qtbot, table, LOAD)
    team = select_where(table, lambda e: e.pooling_type == "collective")
    hosts = sandbox_get(sandbox, "/event_type_memberships", event_type=team.uri)
    names = [h["member"]["name"] for h in hosts["collection"]]
    assert len(names) >= 2
    qtbot.waitUntil(lambda: all(n in table.detail.toPlainText() for n in names), timeout=LOAD)
    assert "Hosts" in table.detail.toPlainText()
    assert "Collective" in table.detail.toPlainText()


def test_copy_link_puts_the_scheduling_url_on_the_clipboard(first_rows: Opened) -> None:
    _, table, _ = first_rows
    assert not table.copy_action.isEnabled()
    record = select_where(table, lambda e: True)
    assert table.copy_action.isEnabled()
    table.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == record.scheduling_url
    assert table.note.text() == f"Link copied: {record.scheduling_url}"


def test_a_single_use_link_is_created_logged_and_shown(
    first_rows: Opened, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    _, table, context = first_rows
    assert not table.single_use_action.isEnabled()
    record = select_where(table, lambda e: e.active and e.pooling_type is None)
    assert table.single_use_action.isEnabled()
    table.single_use_action.trigger()
    assert not table.single_use_action.isEnabled()  # no second link by a double click
    qtbot.waitUntil(lambda: table.link_dialog is not None, timeout=LOAD)
    dialog = table.link_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    url = dialog.booking_url
    # The sandbox holds exactly this link: one booking of this event type.
    links = sandbox.state.store.find("scheduling_links", "1")
    assert len(links) == 1
    slug = links[0]["slug"]
    assert url.startswith(f"{sandbox.base_url}/d/{slug}/")
    assert links[0]["event_type"] == record.uuid and links[0]["max_event_count"] == 1
    assert table.single_use_action.isEnabled()
    assert "created" in table.note.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == url
    assert dialog.copied.text() == "Copied to the clipboard."
    entries = logged(context, run_async, "scheduling_link.create")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.outcome == "ok" and entry.target_uri == record.uri
    assert entry.details["booking_url"] == url
    assert unnamed_interactive(dialog) == [] and unreachable_by_keyboard(dialog) == []
    dialog.close()
    qtbot.waitUntil(lambda: table.link_dialog is None)


def test_a_refused_single_use_link_is_reported_and_logged_as_failed(
    first_rows: Opened, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    _, table, context = first_rows
    select_where(table, lambda e: e.active)
    sandbox.add_fault(kind="error", status=403, paths=["/scheduling_links"], times=1)
    table.single_use_action.trigger()
    reported = context.reported  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(reported), timeout=LOAD)
    what, error = reported[0]
    assert what.startswith("Creating a single-use link to")
    assert "403" in str(getattr(error, "status", "")) or "permission" in str(error).lower()
    assert table.link_dialog is None and table.single_use_action.isEnabled()
    entries = logged(context, run_async, "scheduling_link.create")
    assert [e.outcome for e in entries] == ["failed"] and entries[0].status == 403


def test_an_inactive_event_type_cannot_get_a_single_use_link_and_says_why(
    open_page: Callable[..., Opened], qtbot: Any
) -> None:
    _, table, _ = open_page()
    table.active.setCurrentIndex(table.active.findData("inactive"))
    load_all(qtbot, table, LOAD)
    record = select_where(table, lambda e: not e.active)
    assert not table.single_use_action.isEnabled()
    assert "is inactive" in table.single_use_action.toolTip()
    assert not table.hint.isHidden() and "is inactive" in table.hint.text()
    assert record.display_name in table.single_use_action.toolTip()
    assert "Inactive: it takes no bookings" in table.detail.toPlainText()
    assert table.copy_action.isEnabled()  # its link can still be copied


def test_a_member_without_admin_rights_sees_their_own_and_a_note(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any
) -> None:
    page, table, context = open_page("user")
    page.show()
    load_all(qtbot, table, LOAD)
    me = sandbox_me(sandbox, "user")
    expected = _sandbox_list(sandbox, "user", user=me["uri"])
    assert expected and _uris(table) == {e["uri"] for e in expected}
    assert table.scope_note.isVisible() and not table.scope.isVisible()
    organization = context.connection.identity.organization_name
    assert table.scope_note.text() == (
        f"Without admin rights in {organization} you see your own event types "
        "(those you own or host)."
    )
    assert table.scope.count() == 1  # no member list loaded for a member


def test_exporting_writes_every_event_type_matching_the_filters_to_csv(
    open_page: Callable[..., Opened], sandbox: SandboxServer, qtbot: Any, tmp_path: Any
) -> None:
    import csv

    _, table, _ = open_page()
    table.active.setCurrentIndex(table.active.findData("active"))
    qtbot.waitUntil(lambda: table.model.rowCount() > 0, timeout=LOAD)
    table.export_action.trigger()
    dialog = table.save_dialog
    assert isinstance(dialog, QFileDialog)
    target = tmp_path / "event-types.csv"
    dialog.fileSelected.emit(str(target))  # the user picked this file
    qtbot.waitUntil(lambda: table.status.text().startswith("Exported"), timeout=LOAD)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    me = sandbox_me(sandbox, "owner")
    expected = _sandbox_list(sandbox, "owner", organization=me["current_organization"], active=True)
    assert sorted(r["Scheduling URL"] for r in rows) == sorted(
        e["scheduling_url"] for e in expected
    )
    assert {r["Active"] for r in rows} == {"Yes"} or {r["Active"] for r in rows} == {"yes"}
