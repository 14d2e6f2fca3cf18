"""Bulk actions: a dry run, a typed confirmation for what cannot be undone, progress with
pause and cancel, a decision after a failure, and a per-item report saveable as CSV."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.bulk import BulkAction, BulkItem, BulkRun, ItemResult, confirmation_matches, recorder
from desktop.bulk.run import Decision, RunState
from desktop.ui.bulk_report import (  # re-exported: OUTCOME_TEXT, translated
    OUTCOME_TEXT,
    result_line,
    state_text,
    summary_line,
    translated,
)
from desktop.ui.page_context import PageContext

__all__ = ["OUTCOME_TEXT", "BulkDialog", "open_bulk", "translated"]

if TYPE_CHECKING:
    from desktop.ui.org.record_table import RecordTable


class BulkDialog(QDialog):
    """One bulk action over the selected records, from preview to report."""

    finished_run = Signal()  # the run ended (whatever happened): pages refresh

    def __init__(
        self,
        parent: QWidget,
        context: PageContext,
        action: BulkAction,
        items: Sequence[BulkItem],
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.action = action
        organization = context.connection.identity.organization_name
        self.organization = organization or QCoreApplication.translate(
            "BulkDialog", "this organization"
        )
        log = context.action_log
        record = (
            recorder(log.recording, context.action_context(), action) if log is not None else None
        )
        self.run = BulkRun(
            action,
            items,
            on_failure=self._decide,
            on_progress=self._progressed,
            on_state=self._state_changed,
            record=record,
        )
        self._decision: asyncio.Future[Decision] | None = None
        self._task: asyncio.Task[None] | None = None
        self.save_dialog: QFileDialog | None = None
        self.setWindowTitle(
            QCoreApplication.translate("BulkDialog", "{verb}: {count} selected").format(
                verb=translated(action.verb).capitalize(), count=QLocale().toString(len(items))
            )
        )
        self.setMinimumSize(560, 420)
        layout = QVBoxLayout(self)
        self.steps = QStackedWidget()
        layout.addWidget(self.steps, 1)
        self._build_preview()
        self._build_progress()
        self._build_report()

    # -- step 1: the dry run ----------------------------------------------------------------
    def _build_preview(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        planned = self.run.preview()
        sending = sum(1 for p in planned if p.will_run)
        intro = QLabel(
            QCoreApplication.translate(
                "BulkDialog",
                "Nothing has been sent yet. This is exactly what will happen in {organization}:",
            ).format(organization=self.organization)
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.plan = QListWidget()
        self.plan.setAccessibleName(QCoreApplication.translate("BulkDialog", "What will happen"))
        for line in planned:
            prefix = "" if line.will_run else QCoreApplication.translate("BulkDialog", "Skipped: ")
            self.plan.addItem(prefix + translated(line.text))
        column.addWidget(self.plan, 1)
        self.plan_summary = QLabel(
            QCoreApplication.translate(
                "BulkDialog", "{sending} will be sent, {skipped} skipped."
            ).format(
                sending=QLocale().toString(sending),
                skipped=QLocale().toString(len(planned) - sending),
            )
        )
        column.addWidget(self.plan_summary)
        self.confirm = QLineEdit()
        self.confirm.setAccessibleName(QCoreApplication.translate("BulkDialog", "Confirmation"))
        if self.action.irreversible:
            warning = QLabel(
                QCoreApplication.translate(
                    "BulkDialog",
                    "This cannot be undone. To go on, type the organization's name, "
                    "“{organization}”:",
                ).format(organization=self.organization)
            )
            warning.setWordWrap(True)
            warning.setBuddy(self.confirm)
            column.addWidget(warning)
            column.addWidget(self.confirm)
            self.confirm.textChanged.connect(self._update_start)
        else:
            self.confirm.setVisible(False)
        row = QHBoxLayout()
        row.addStretch(1)
        self.start_button = QPushButton(QCoreApplication.translate("BulkDialog", "&Start"))
        self.start_button.setAccessibleName(QCoreApplication.translate("BulkDialog", "Start"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        # Not "Cancel": next to a bulk cancel of meetings that would read both ways.
        cancel = QPushButton(QCoreApplication.translate("BulkDialog", "Close &Without Sending"))
        cancel.setAccessibleName(QCoreApplication.translate("BulkDialog", "Close without sending"))
        cancel.clicked.connect(self.reject)
        row.addWidget(self.start_button)
        row.addWidget(cancel)
        column.addLayout(row)
        self.steps.addWidget(page)
        self._sending = sending
        self._update_start()

    def _update_start(self) -> None:
        ok = self._sending > 0
        if self.action.irreversible:
            ok = ok and confirmation_matches(self.confirm.text(), self.organization)
        self.start_button.setEnabled(ok)

    # -- step 2: progress -------------------------------------------------------------------
    def _build_progress(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, max(1, len(self.run.items)))
        self.bar.setAccessibleName(QCoreApplication.translate("BulkDialog", "Progress"))
        self.log = QListWidget()
        self.log.setAccessibleName(QCoreApplication.translate("BulkDialog", "Results so far"))
        self.question = QLabel()
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.question.setWordWrap(True)
        self.question.setVisible(False)
        decide = QHBoxLayout()
        self.continue_button = self._button(
            QCoreApplication.translate("BulkDialog", "&Continue with the rest"), self._go_on
        )
        self.stop_button = self._button(
            QCoreApplication.translate("BulkDialog", "&Stop here"), self._stop_here
        )
        decide.addWidget(self.continue_button)
        decide.addWidget(self.stop_button)
        decide.addStretch(1)
        controls = QHBoxLayout()
        controls.addStretch(1)
        self.pause_button = self._button(
            QCoreApplication.translate("BulkDialog", "&Pause"), self._pause_or_resume
        )
        self.cancel_button = self._button(
            QCoreApplication.translate("BulkDialog", "Cancel &remaining"), self._cancel_remaining
        )
        controls.addWidget(self.pause_button)
        controls.addWidget(self.cancel_button)
        for widget in (self.state, self.bar):
            column.addWidget(widget)
        column.addWidget(self.log, 1)
        column.addWidget(self.question)
        column.addLayout(decide)
        column.addLayout(controls)
        self._show_decision(False)
        self.steps.addWidget(page)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def start(self) -> None:
        if self._task is not None or not self.start_button.isEnabled():
            return
        self.steps.setCurrentIndex(1)
        self._task = self._context.tasks.spawn(
            self._run(), QCoreApplication.translate("BulkDialog", "The bulk action")
        )

    async def _run(self) -> None:
        try:
            await self.run.start()
        finally:
            self._show_report()
            self.finished_run.emit()

    def _progressed(self, done: int, total: int, result: ItemResult) -> None:
        self.bar.setValue(done)
        self.log.addItem(self._result_line(result))
        self.log.scrollToBottom()

    def _state_changed(self, state: RunState) -> None:
        self.state.setText(state_text(state))
        self.pause_button.setText(
            QCoreApplication.translate("BulkDialog", "&Resume")
            if state == "paused"
            else QCoreApplication.translate("BulkDialog", "&Pause")
        )
        self.pause_button.setEnabled(state in ("running", "paused", "rate_limited"))

    def _pause_or_resume(self) -> None:
        if self.run.state == "paused":
            self.run.resume()
        else:
            self.run.pause()

    def _cancel_remaining(self) -> None:
        self.run.cancel()
        if self._decision is not None and not self._decision.done():
            self._decision.set_result("stop")

    async def _decide(self, result: ItemResult) -> Decision:
        self.question.setText(
            QCoreApplication.translate("BulkDialog", "“{label}”: {message}").format(
                label=result.label, message=translated(result.message)
            )
        )
        self._show_decision(True)
        self._decision = asyncio.get_running_loop().create_future()
        try:
            return await self._decision
        finally:
            self._show_decision(False)

    def _show_decision(self, shown: bool) -> None:
        for widget in (self.question, self.continue_button, self.stop_button):
            widget.setVisible(shown)
        if shown:
            self.stop_button.setFocus()

    def _go_on(self) -> None:
        if self._decision is not None and not self._decision.done():
            self._decision.set_result("continue")

    def _stop_here(self) -> None:
        if self._decision is not None and not self._decision.done():
            self._decision.set_result("stop")

    # -- step 3: the report -----------------------------------------------------------------
    def _build_report(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.results = QListWidget()
        self.results.setAccessibleName(
            QCoreApplication.translate("BulkDialog", "Result of each item")
        )
        row = QHBoxLayout()
        self.save_button = self._button(
            QCoreApplication.translate("BulkDialog", "&Save Report as CSV…"), self._save_report
        )
        close = self._button(QCoreApplication.translate("BulkDialog", "&Close"), self.accept)
        close.setDefault(True)
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(close)
        column.addWidget(self.summary)
        column.addWidget(self.results, 1)
        column.addLayout(row)
        self.steps.addWidget(page)

    def _show_report(self) -> None:
        self.summary.setText(summary_line(self.run.summary()))
        self.results.clear()
        for result in self.run.results:
            self.results.addItem(self._result_line(result))
        self.steps.setCurrentIndex(2)

    def _result_line(self, result: ItemResult) -> str:
        return result_line(result)

    def _save_report(self) -> None:
        dialog = QFileDialog(self, QCoreApplication.translate("BulkDialog", "Save the report"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(QCoreApplication.translate("BulkDialog", "CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("bulk-report.csv")
        text = self.run.report_csv()

        def chosen(path: str) -> None:
            Path(path).write_text(text, encoding="utf-8-sig", newline="")
            self.summary.setText(
                self.summary.text()
                + " "
                + QCoreApplication.translate("BulkDialog", "Saved to {path}.").format(path=path)
            )

        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.save_dialog = dialog
        dialog.open()

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        """Closing mid-run stops after the item in progress; the report is kept in the log."""
        if self._task is not None and not self._task.done():
            self._cancel_remaining()
            return
        super().reject()


def open_bulk(
    table: RecordTable[Any],
    context: PageContext,
    action: BulkAction,
    items: Sequence[BulkItem],
    kind: str,
) -> BulkDialog:
    """Several records at once: the bulk dialog over ``table``; when the run ends the table
    reloads and the other pages hear of ``kind`` changes."""
    dialog = BulkDialog(table, context, action, items)

    def finished() -> None:
        table.reload()
        for result in dialog.run.results:
            if result.outcome == "done":  # each change, so other pages patch what they show
                context.changes.changed.emit(kind, result.key)

    dialog.finished_run.connect(finished)
    dialog.finished.connect(dialog.deleteLater)
    table.bulk_dialog = dialog
    dialog.open()
    return dialog
