"""The embed lab's event log: each calendly.* message with its time, name and payload."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from desktop.ui.booking.embed_view import CalendlyMessage

MAX_ROWS = 500  # the oldest go first: a long session of page_height messages stays small


def event_label(event: str) -> str:
    """A message's name in plain words ("Event scheduled"), the raw name for unknown ones."""
    labels = {
        "calendly.profile_page_viewed": QCoreApplication.translate(
            "EmbedLog", "Profile page viewed"
        ),
        "calendly.event_type_viewed": QCoreApplication.translate("EmbedLog", "Event type viewed"),
        "calendly.date_and_time_selected": QCoreApplication.translate(
            "EmbedLog", "Date and time selected"
        ),
        "calendly.event_scheduled": QCoreApplication.translate("EmbedLog", "Event scheduled"),
        "calendly.page_height": QCoreApplication.translate("EmbedLog", "Page height"),
    }
    return labels.get(event, event)


class EventLog(QTreeWidget):
    """Newest last; columns Time, Event, Payload. ``events()`` lists the names, oldest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels([self.tr("Time"), self.tr("Event"), self.tr("Payload")])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAccessibleName(self.tr("Embed event log"))
        self.setAccessibleDescription(
            self.tr("Messages the booking page posted to this page: time, event and payload")
        )
        self.setColumnWidth(0, 90)
        self.setColumnWidth(1, 200)

    def add(self, message: CalendlyMessage) -> QTreeWidgetItem:
        when = QDateTime.fromSecsSinceEpoch(int(message.received_at.timestamp())).toLocalTime()
        payload = json.dumps(message.payload, ensure_ascii=False, sort_keys=True)
        item = QTreeWidgetItem(
            [QLocale().toString(when.time(), "HH:mm:ss"), event_label(message.event), payload]
        )
        item.setData(1, Qt.ItemDataRole.UserRole, message.event)
        item.setToolTip(1, message.event)
        item.setToolTip(2, json.dumps(message.payload, ensure_ascii=False, indent=2))
        self.addTopLevelItem(item)
        while self.topLevelItemCount() > MAX_ROWS:
            self.takeTopLevelItem(0)
        self.scrollToItem(item)
        return item

    def events(self) -> list[str]:
        """The raw event names shown, oldest first."""
        items = (self.topLevelItem(row) for row in range(self.topLevelItemCount()))
        return [str(item.data(1, Qt.ItemDataRole.UserRole)) for item in items if item is not None]
