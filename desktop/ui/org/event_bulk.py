"""Bulk actions on several selected meetings: cancel them with one reason, mark no-shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from desktop.bulk import cancel_events, event_item, invitee_item, mark_no_shows
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.bulk_dialog import open_bulk
from desktop.ui.org.event_exports import fetch_invitees
from desktop.ui.signin.form import ErrorLabel

if TYPE_CHECKING:
    from desktop.ui.org.scheduled_events import ScheduledEventsTable


class ReasonDialog(QDialog):
    """One cancellation reason for every selected meeting (Calendly e-mails it to invitees)."""

    def __init__(self, table: ScheduledEventsTable, count: int) -> None:
        super().__init__(table)
        self.setWindowTitle(
            QCoreApplication.translate("EventBulk", "Cancel {n} meetings").format(n=count)
        )
        layout = QVBoxLayout(self)
        label = QLabel(
            QCoreApplication.translate(
                "EventBulk", "&Reason (Calendly e-mails it to every invitee):"
            )
        )
        self.reason = QLineEdit()
        self.reason.setAccessibleName(QCoreApplication.translate("EventBulk", "Reason"))
        label.setBuddy(self.reason)
        self.problem = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert ok is not None and cancel is not None
        ok.setText(QCoreApplication.translate("EventBulk", "&Next: Review"))
        ok.setAccessibleName(QCoreApplication.translate("EventBulk", "Next: review"))
        cancel.setAccessibleName(QCoreApplication.translate("EventBulk", "Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        for widget in (label, self.reason, self.problem, buttons):
            layout.addWidget(widget)

    def _check(self) -> None:
        if not self.reason.text().strip():
            self.problem.setText(
                QCoreApplication.translate("EventBulk", "Give a reason: the invitees will read it.")
            )
            self.problem.setVisible(True)
            self.reason.setFocus()
            return
        self.accept()


def add_event_bulk_actions(table: ScheduledEventsTable) -> tuple[QAction, QAction]:
    """The several-meetings halves of Cancel and Mark no-show (the page's own actions hand
    over to these when more than one meeting is selected)."""
    cancel = QAction(QCoreApplication.translate("EventBulk", "Cancel &Selected…"), table)
    cancel.setToolTip(
        QCoreApplication.translate(
            "EventBulk", "Cancel every selected meeting with one reason (a dry run first)"
        )
    )
    no_shows = QAction(
        QCoreApplication.translate("EventBulk", "Mark No-Shows for &Selected…"), table
    )
    no_shows.setToolTip(
        QCoreApplication.translate(
            "EventBulk", "Mark the invitees of the selected past meetings as no-shows"
        )
    )

    def selected() -> list[ScheduledEvent]:
        return [e for e in table.selected_records() if isinstance(e, ScheduledEvent)]

    def ask_reason() -> None:
        events = selected()
        if table.context is None or len(events) < 2:
            return
        dialog = ReasonDialog(table, len(events))

        def chosen() -> None:
            context = table.context
            if context is None:
                return
            action = cancel_events(context.connection.client, dialog.reason.text().strip())
            open_bulk(table, context, action, [event_item(e) for e in events], "scheduled_event")

        dialog.accepted.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        table.reason_dialog = dialog
        dialog.open()

    def mark() -> None:
        events = selected()
        context = table.context
        if context is None or len(events) < 2:
            return

        async def gather() -> None:
            invitees = [i for i in await fetch_invitees(table, events) if i.status == "active"]
            action = mark_no_shows(context.connection.client, {e.uri: e for e in events})
            open_bulk(table, context, action, [invitee_item(i) for i in invitees], "invitee")

        context.tasks.spawn(
            gather(), QCoreApplication.translate("EventBulk", "Loading the invitees")
        )

    def update() -> None:
        several = len(table.selected_records()) >= 2
        cancel.setEnabled(several)
        no_shows.setEnabled(several)

    cancel.triggered.connect(ask_reason)
    no_shows.triggered.connect(mark)
    table.view.selectionModel().selectionChanged.connect(update)
    update()
    return cancel, no_shows
