"""The "Cancel event" dialog: which meeting, a required reason, and what Calendly does next."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.org.event_text import format_span
from desktop.ui.signin.form import FieldMessage

MAX_REASON = 10_000  # Calendly's limit on a cancellation reason


class CancelEventDialog(QDialog):
    """Asks why; ``submitted(reason)`` once the reason is valid, then closes. The write is the
    page's: the dialog never waits for the network."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget, event: ScheduledEvent, reason: str = "") -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.scheduled_event = event
        name = event.name or self.tr("Meeting")
        self.setWindowTitle(self.tr("Cancel “{name}”").format(name=name))
        self.setMinimumWidth(460)

        count = int(event.invitees_counter.active) if event.invitees_counter else 0
        summary = QLabel(
            self.tr("<b>{name}</b><br>{when}<br>Hosts: {hosts}<br>Active invitees: {count}").format(
                name=escape(name),
                when=escape(format_span(event.start_time, event.end_time)),
                hosts=escape(", ".join(event.host_names) or self.tr("none")),
                count=QLocale().toString(count),
            )
        )
        summary.setTextFormat(Qt.TextFormat.RichText)
        summary.setWordWrap(True)
        caption = QLabel(self.tr("&Reason (required; the invitees will read it):"))
        self.reason = QPlainTextEdit(reason)
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(self.tr("Cancellation reason"))
        self.reason.setAccessibleDescription(
            self.tr("Why the meeting is canceled; sent to the invitees")
        )
        caption.setBuddy(self.reason)
        self.message = FieldMessage(self.reason)
        self.reason.textChanged.connect(self.message.clear_message)
        note = QLabel(
            self.tr(
                "Calendly e-mails the invitees that the meeting is canceled, with this reason. "
                "A canceled meeting can't be restored."
            )
        )
        note.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.cancel_event_button = QPushButton(self.tr("&Cancel event"))
        self.cancel_event_button.setAccessibleName(self.tr("Cancel event"))
        self.cancel_event_button.setDefault(True)
        self.keep_button = QPushButton(self.tr("&Keep event"))
        self.keep_button.setAccessibleName(self.tr("Keep event"))
        buttons.addButton(self.cancel_event_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(caption)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.message)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def submit(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.message.show_message(
                self.tr("Reason: say why the meeting is canceled; the invitees will read it.")
            )
            self.reason.setFocus()
            return
        if len(reason) > MAX_REASON:
            self.message.show_message(
                self.tr("Reason: at most {limit} characters ({count} now).").format(
                    limit=QLocale().toString(MAX_REASON), count=QLocale().toString(len(reason))
                )
            )
            self.reason.setFocus()
            return
        self.submitted.emit(reason)
        self.accept()
