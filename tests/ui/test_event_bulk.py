"""Bulk cancel on the Scheduled events page: one reason, a dry run, a failure midway that
leaves the meetings before it canceled and the rest untouched, and a full report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desktop.sandbox import SandboxServer
from desktop.ui.bulk_dialog import BulkDialog
from desktop.ui.org.event_bulk import ReasonDialog
from tests.ui.page_helpers import add_to_selection, load_all, open_scheduled_events, sandbox_get

LOAD = 60_000


def _status(sandbox: SandboxServer, uri: str) -> str:
    return str(sandbox_get(sandbox, uri)["resource"]["status"])


def test_bulk_cancel_stops_at_a_failure_and_reports_every_meeting(
    page_context: Any, sandbox: SandboxServer, qtbot: Any, run_async: Any
) -> None:
    _page, table, context = open_scheduled_events(qtbot, page_context, timeout=LOAD)
    load_all(qtbot, table, LOAD)  # the upcoming meetings come after the past ones

    now = datetime.now(UTC)
    upcoming = [
        r
        for r in range(table.proxy.rowCount())
        if (e := table.proxy.record_at(table.proxy.index(r, 0))).status == "active"
        and e.start_time > now
    ][:5]
    assert len(upcoming) == 5
    add_to_selection(table, upcoming)
    events = table.selected_records()
    # The page's one Cancel action works on all of them, and says so.
    cancel = table.event_actions.cancel_action
    assert cancel.isEnabled() and "5 selected meetings" in cancel.toolTip()
    assert "5 meetings selected" in table.panel.note.text()
    cancel.trigger()
    reasons = table.reason_dialog
    assert isinstance(reasons, ReasonDialog)
    reasons._check()  # no reason yet: refused, next to the field
    assert "Give a reason" in reasons.problem.text() and reasons.isVisible()
    reasons.reason.setText("Office closed for the holiday")
    reasons._check()
    dialog = table.bulk_dialog
    assert isinstance(dialog, BulkDialog)
    assert dialog.plan.count() == 5
    dialog.confirm.setText(context.connection.identity.organization_name)

    third = events[2].uri.rsplit("/", 1)[1]
    sandbox.add_fault(
        kind="error", status=500, paths=[f"/scheduled_events/{third}/cancellation"], times=5
    )
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.stop_button.isVisibleTo(dialog), timeout=LOAD)
    dialog.stop_button.click()
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 2, timeout=LOAD)

    assert [r.outcome for r in dialog.run.results] == [
        "done",
        "done",
        "failed",
        "not run",
        "not run",
    ]
    statuses = [_status(sandbox, e.uri) for e in events]
    assert statuses == ["canceled", "canceled", "active", "active", "active"]
    logged = [(e.action, e.outcome) for e in reversed(run_async(context.action_log.query()))]
    assert logged == [("event.cancel", "ok"), ("event.cancel", "ok"), ("event.cancel", "failed")]
    dialog.accept()
    # The table reloaded: the canceled meetings show as such.
    qtbot.waitUntil(lambda: not table.model.loading, timeout=LOAD)
