"""The inspector: the local receiver (port, start/stop, what it answers) and the deliveries it
kept, live, searchable, each one shown in full."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.page_context import PageContext
from desktop.ui.tasks import TaskOwner
from desktop.ui.webhooks.delivery_view import DeliveryView
from desktop.ui.webhooks.inbox_model import InboxFeed, InboxModel, verdict_title
from desktop.ui.webhooks.receiver_bar import ReceiverBar, detached
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.widgets import button, text_label
from desktop.webhooks.inbox import MEMORY, Inbox, Verdict
from desktop.webhooks.receiver import Receiver

INBOX_FILE = "webhook-inbox.sqlite3"


class InspectorPanel(QWidget):
    """``subscribe_requested(url)``: the user wants a subscription to the running receiver."""

    subscribe_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Inspector"))
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.inbox: Inbox | None = None
        self.confirmation: QMessageBox | None = None
        self._tasks = TaskOwner(self)
        self.bar = ReceiverBar()
        # Deleted without an unbind (with the window, at quit): the receiver and the inbox are
        # let go all the same. (The lambda holds what to release, not this panel.)
        held = _Held(self.bar.live)
        self._held = held
        self.destroyed.connect(lambda *_: held.release())
        self.bar.subscribe_requested.connect(self.subscribe_requested)
        # The receiver's controls, as the panel's own (the page and tests reach them here).
        bar = self.bar
        self.port = bar.port
        self.port_message = bar.port_message
        self.answer = bar.answer
        self.answer_note = bar.answer_note
        self.start_button = bar.start_button
        self.stop_button = bar.stop_button
        self.url = bar.url
        self.copy_url_button = bar.copy_url_button
        self.subscribe_button = bar.subscribe_button
        self.receiver_status = bar.receiver_status
        self.tunnel_note = bar.tunnel_note
        self._build_list()

    # -- the receiver bar's state ------------------------------------------------------------------
    @property
    def receiver(self) -> Receiver | None:
        return self.bar.receiver

    @property
    def running(self) -> bool:
        return self.bar.running

    @property
    def receiver_url(self) -> str | None:
        return self.bar.receiver_url

    @property
    def keys(self) -> list[str]:
        return self.bar.keys

    def start(self) -> None:
        self.bar.start()

    def stop(self) -> None:
        self.bar.stop()

    def refresh_keys(self) -> None:
        self.bar.refresh_keys()

    def _build_list(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search headers and bodies"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search deliveries"))
        self.search.textChanged.connect(self.reload)
        self.verdict_filter = QComboBox()
        self.verdict_filter.setAccessibleName(self.tr("Verdict filter"))
        self.verdict_filter.addItem(self.tr("All verdicts"), None)
        for verdict in Verdict:
            self.verdict_filter.addItem(verdict_title(verdict), verdict)
        self.verdict_filter.currentIndexChanged.connect(self.reload)
        self.event_filter = QComboBox()
        self.event_filter.setAccessibleName(self.tr("Event filter"))
        self.event_filter.addItem(self.tr("All events"), None)
        self.event_filter.currentIndexChanged.connect(self.reload)
        self.clear_button = button(
            self.tr("C&lear…"), self.ask_clear, self.tr("Deletes every kept delivery")
        )
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.verdict_filter)
        filters.addWidget(self.event_filter)
        filters.addWidget(self.clear_button)

        self.model = InboxModel(self)
        self.feed = InboxFeed(self.model, self)
        self.feed.counted.connect(self._counted)
        self.feed.events_seen.connect(self._events_seen)
        self.feed.failed.connect(self.status_failed)
        self.bar.delivered.connect(self.feed.delivered)
        self.view = QTableView()
        self.view.setAccessibleName(self.tr("Deliveries"))
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        width = self.view.fontMetrics().averageCharWidth()
        for column, chars in enumerate((18, 24, 36, 10)):
            self.view.setColumnWidth(column, width * chars)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.detail = DeliveryView()
        self.detail.keys = lambda: self.keys
        self.detail.receiver_url = lambda: self.receiver_url
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.status = text_label(self.tr("Inbox status"), selectable=False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    # -- the page's calls -------------------------------------------------------------------------
    def bind(self, context: PageContext, state: WebhookState) -> None:
        if self.context is not None:
            self.unbind()
        self.context, self.state = context, state
        self.inbox = Inbox(context.data_dir / INBOX_FILE if context.data_dir else MEMORY)
        self._held.inbox = self.inbox
        self.event_filter.blockSignals(True)
        while self.event_filter.count() > 1:  # the events of the inbox before
            self.event_filter.removeItem(1)
        self.event_filter.setCurrentIndex(0)
        self.event_filter.blockSignals(False)
        self.bar.bind(context, state, self.inbox)
        self.feed.set_inbox(self.inbox)
        self.reload()

    def unbind(self) -> None:
        """Stop the receiver and close the inbox (behind, on the loop), forget the list."""
        self._tasks.cancel_all()
        self.detail.cancel()
        receiver, switching = self.bar.unbind()
        inbox, self.inbox = self.inbox, None
        self._held.inbox = None
        if receiver is not None or inbox is not None:
            detached(_close([receiver] if receiver else [], inbox, switching))
        self.context = self.state = None
        self.feed.set_inbox(None)
        self.detail.show_delivery(None)

    def refresh(self) -> None:
        self.refresh_keys()
        self.reload()

    # -- the list ---------------------------------------------------------------------------------
    def reload(self, *_: object) -> None:
        """The newest page of deliveries matching the search and filters."""
        self.feed.set_filters(
            self.search.text(), self.verdict_filter.currentData(), self.event_filter.currentData()
        )

    def _events_seen(self, events: list[str]) -> None:
        known = {self.event_filter.itemData(i) for i in range(1, self.event_filter.count())}
        for event in events:
            if event not in known:
                self.event_filter.addItem(event, event)

    def _counted(self, total: int, shown: int) -> None:
        locale = QLocale()
        text = self.tr("Matching deliveries: {count}.").format(count=locale.toString(total))
        if total != shown:
            more = self.tr("Shown: {shown}; more as you scroll.")
            text += " " + more.format(shown=locale.toString(shown))
        self.status.setText(text)

    def status_failed(self, message: str) -> None:
        self.status.setText(message)

    def _selected(self, *_: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        self.detail.show_delivery(self.model.delivery(rows[0].row()) if rows else None)

    # -- clearing ---------------------------------------------------------------------------------
    def ask_clear(self) -> None:
        if self.inbox is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Clear the inbox"))
        box.setText(self.tr("Delete every delivery the receiver kept?"))
        box.setInformativeText(self.tr("This cannot be undone. Calendly does not send them again."))
        clear = box.addButton(self.tr("&Delete all"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)

        def finished() -> None:
            self.confirmation = None
            if box.clickedButton() is clear:
                self._tasks.spawn(self.feed.clear(), self.tr("Clearing the inbox"))
            box.deleteLater()

        box.finished.connect(finished)
        self.confirmation = box
        box.open()


class _Held:
    """The receiver listening (the bar's list) and the inbox open, while the panel holds them."""

    def __init__(self, receivers: list[Receiver]) -> None:
        self.receivers = receivers
        self.inbox: Inbox | None = None

    def release(self) -> None:
        receivers, inbox = list(self.receivers), self.inbox
        self.receivers.clear()
        self.inbox = None
        if receivers or inbox is not None:
            with contextlib.suppress(RuntimeError):  # no event loop: the process is ending
                detached(_close(receivers, inbox, None))


async def _close(
    receivers: Sequence[Receiver], inbox: Inbox | None, stopping: asyncio.Task[None] | None
) -> None:
    """Stop listening, then close the inbox file (after the receiver stored its last one)."""
    try:
        for receiver in receivers:
            await receiver.stop()
        if stopping is not None and not stopping.done():
            await asyncio.wait([stopping])
    finally:
        if inbox is not None:
            await inbox.close()
