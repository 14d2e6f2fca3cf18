"""Scheduled events' exports from the page: the listed rows as CSV, selected meetings as a
calendar file that a real iCalendar parser reads, and invitees with their answers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import icalendar

from desktop.exports import event_uid
from desktop.sandbox import SandboxServer
from desktop.ui.org.scheduled_events import ScheduledEventsTable
from tests.ui.page_helpers import add_to_selection, open_scheduled_events

LOAD = 60_000


def _table(page_context: Any, qtbot: Any) -> ScheduledEventsTable:
    _page, table, _context = open_scheduled_events(qtbot, page_context, timeout=LOAD)
    return table


def _save(qtbot: Any, table: ScheduledEventsTable, action: Any, target: Path) -> None:
    action.trigger()
    assert table.save_dialog is not None
    table.save_dialog.fileSelected.emit(str(target))  # the user picked this file
    qtbot.waitUntil(lambda: table.status.text().startswith("Exported"), timeout=LOAD)


def test_the_listed_meetings_export_as_csv_all_pages_included(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, tmp_path: Path
) -> None:
    table = _table(page_context, qtbot)
    target = tmp_path / "events.csv"
    _save(qtbot, table, table.exports.csv, target)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert table.model.exhausted  # the export loaded every page first
    assert len(rows) == table.proxy.rowCount() == table.model.rowCount()
    assert len(rows) > 100  # more than one page


def test_selected_meetings_export_as_a_calendar_a_parser_reads(
    page_context: Any, qtbot: Any, tmp_path: Path
) -> None:
    table = _table(page_context, qtbot)
    chosen = add_to_selection(table, (0, 2, 5))
    target = tmp_path / "meetings.ics"
    _save(qtbot, table, table.exports.ics, target)
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {event_uid(e) for e in chosen}
    for meeting in chosen:
        parsed = events[event_uid(meeting)]
        assert parsed.decoded("DTSTART") == meeting.start_time
        assert parsed.decoded("DTEND") == meeting.end_time
        assert str(parsed["SUMMARY"]) == meeting.name
        attendees = parsed.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert attendees and all(str(a).startswith("mailto:") for a in attendees)


def test_invitees_of_the_selection_export_with_their_answers(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, tmp_path: Path
) -> None:
    table = _table(page_context, qtbot)
    add_to_selection(table, range(4))
    events = table.selected_records()
    target = tmp_path / "invitees.csv"
    _save(qtbot, table, table.exports.invitees, target)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    expected = sum(e.invitees_counter.total for e in events if e.invitees_counter)
    assert len(rows) == expected > 0
    header = reader.fieldnames or []
    assert any("utm" in name.lower() for name in header)
