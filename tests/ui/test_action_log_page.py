"""The Action log page: what the app changed, newest first, live, filterable and exportable."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from desktop.ui.org.action_log_page import ActionLogTable, build_action_log_page
from desktop.ui.pages import page_specs


def test_writes_appear_live_filter_by_outcome_and_export(
    page_context: Any, qtbot: Any, run_async: Any, tmp_path: Path, qtmodeltester: Any
) -> None:
    context = page_context("owner")
    log = context.action_log
    here = context.action_context()
    run_async(log.record(here, "event.cancel", "https://x/e/1", "Intro call", {"reason": "ill"}))
    spec = next(s for s in page_specs() if s.key == "action_log")
    page = page_context.adopt(build_action_log_page(spec))
    table = page.tables[0]
    assert isinstance(table, ActionLogTable)
    page.bind(context)
    qtbot.waitUntil(lambda: table.model.rowCount() == 1 and table.model.exhausted)

    # A write made while the page is open shows at once, first.
    run_async(
        log.record(here, "membership.remove", "https://x/m/2", "Ada", outcome="failed", status=403)
    )
    qtbot.waitUntil(lambda: table.model.rowCount() == 2)
    assert table.model.record(0).action == "membership.remove"
    qtmodeltester.check(table.model, force_py=True)

    table.outcome.setCurrentIndex(table.outcome.findData("failed"))
    qtbot.waitUntil(lambda: not table.model.loading and table.model.exhausted)
    assert [e.target_label for e in table.model.records()] == ["Ada"]

    table.export_action.trigger()
    assert table.save_dialog is not None
    target = tmp_path / "actions.csv"
    table.save_dialog.fileSelected.emit(str(target))
    qtbot.waitUntil(lambda: table.status.text().startswith("Exported"), timeout=20_000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["target_label"] for r in rows] == ["Ada"]
