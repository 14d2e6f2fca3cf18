"""The inspector: the local receiver (port, start/stop, what it answers) and the deliveries it
kept, live, searchable, each one shown in full."""

from __future__ import annotations

import asyncio
import contextlib
import errno
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

import msgspec
from PySide6.QtCore import QCoreApplication, QItemSelection, QLocale, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import FieldMessage
from desktop.ui.tasks import TaskOwner
from desktop.ui.webhooks.delivery_view import DeliveryView
from desktop.ui.webhooks.inbox_model import InboxFeed, InboxModel, verdict_title
from desktop.ui.webhooks.state import WebhookState
from desktop.webhooks.callback_url import is_local_host
from desktop.webhooks.inbox import MEMORY, Inbox, Verdict
from desktop.webhooks.receiver import Receiver, ReceiverError

INBOX_FILE = "webhook-inbox.sqlite3"
DEFAULT_PORT = 8765
_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)}


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def answers() -> tuple[tuple[int, str, str], ...]:
    """(status, label, what Calendly does when the receiver answers it)."""
    delivered = translate("InspectorPanel", "Calendly counts each delivery as delivered.")
    retries = translate(
        "InspectorPanel",
        "Calendly counts each delivery as failed, retries it with back-off for 24 hours, "
        "then disables the subscription.",
    )
    redirect = translate(
        "InspectorPanel",
        "Calendly does not follow redirects: each delivery counts as failed; it retries with "
        "back-off for 24 hours, then disables the subscription.",
    )
    gone = translate(
        "InspectorPanel", "Calendly deletes the subscription at once, without retrying."
    )
    return (
        (200, translate("InspectorPanel", "200 OK"), delivered),
        (204, translate("InspectorPanel", "204 No Content"), delivered),
        (301, translate("InspectorPanel", "301 Moved Permanently"), redirect),
        (302, translate("InspectorPanel", "302 Found"), redirect),
        (400, translate("InspectorPanel", "400 Bad Request"), retries),
        (404, translate("InspectorPanel", "404 Not Found"), retries),
        (410, translate("InspectorPanel", "410 Gone"), gone),
        (500, translate("InspectorPanel", "500 Internal Server Error"), retries),
        (503, translate("InspectorPanel", "503 Service Unavailable"), retries),
    )


def same_receiver(url: str, port: int) -> bool:
    """Whether ``url`` reaches a receiver on this computer's ``port`` (any path)."""
    try:
        parts = urlsplit(url)
        return is_local_host(parts.hostname or "") and parts.port == port
    except ValueError:
        return False


class InspectorPanel(QWidget):
    """``subscribe_requested(url)``: the user wants a subscription to the running receiver."""

    subscribe_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Inspector"))
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.inbox: Inbox | None = None
        self.receiver: Receiver | None = None
        self.keys: list[str] = []  # what the receiver verifies with (refreshed in a task)
        self.confirmation: QMessageBox | None = None
        self._unsubscribe: Callable[[], None] = _nothing
        self._tasks = TaskOwner(self)
        self._keys_task: asyncio.Task[None] | None = None
        self._switching: asyncio.Task[None] | None = None  # starting or stopping
        self._starting = False
        self._build_receiver_row()
        self._build_list()
        self._update_receiver()

    # -- layout -----------------------------------------------------------------------------------
    def _button(self, text: str, slot: object, description: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").replace("…", ""))
        if description:
            button.setAccessibleDescription(description)
        button.clicked.connect(slot)
        return button

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        return label

    def _build_receiver_row(self) -> None:
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setSpecialValueText(self.tr("Any free port"))
        self.port.setAccessibleName(self.tr("Receiver port"))
        self.port.setAccessibleDescription(self.tr("The port on 127.0.0.1 the receiver listens on"))
        self.port.editingFinished.connect(self._save_port)
        self.port_message = FieldMessage(self.port)
        self.port.valueChanged.connect(lambda _value: self.port_message.clear_message())
        self.start_button = self._button(self.tr("&Start"), self.start)
        self.stop_button = self._button(self.tr("St&op"), self.stop)
        self.answer = QComboBox()
        self.answer.setAccessibleName(self.tr("Answer with"))
        for status, label, explanation in answers():
            self.answer.addItem(label, status)
            self.answer.setItemData(
                self.answer.count() - 1, explanation, Qt.ItemDataRole.ToolTipRole
            )
        self.answer.currentIndexChanged.connect(self._answer_changed)
        self.answer_note = self._label(self.tr("What Calendly will do"))
        port_caption = QLabel(self.tr("&Port:"))
        port_caption.setBuddy(self.port)
        answer_caption = QLabel(self.tr("&Answer with:"))
        answer_caption.setBuddy(self.answer)
        first = QHBoxLayout()
        first.addWidget(port_caption)
        first.addWidget(self.port)
        first.addWidget(self.start_button)
        first.addWidget(self.stop_button)
        first.addSpacing(12)
        first.addWidget(answer_caption)
        first.addWidget(self.answer)
        first.addStretch(1)

        self.url = QLineEdit()
        self.url.setReadOnly(True)
        self.url.setAccessibleName(self.tr("Receiver URL"))
        self.url.setPlaceholderText(self.tr("Start the receiver to get its address"))
        self.copy_url_button = self._button(self.tr("&Copy"), self.copy_url)
        self.copy_url_button.setAccessibleName(self.tr("Copy the receiver URL"))
        self.subscribe_button = self._button(
            self.tr("Su&bscribe this receiver…"),
            lambda: self.subscribe_requested.emit(self.url.text()),
            self.tr("Opens the new subscription form with this receiver's URL"),
        )
        url_caption = QLabel(self.tr("&URL:"))
        url_caption.setBuddy(self.url)
        second = QHBoxLayout()
        second.addWidget(url_caption)
        second.addWidget(self.url, 1)
        second.addWidget(self.copy_url_button)
        second.addWidget(self.subscribe_button)
        self.receiver_status = self._label(self.tr("Receiver status"))
        self.tunnel_note = self._label(self.tr("About reaching this receiver"))
        self.tunnel_note.setText(
            self.tr(
                "Calendly cannot reach 127.0.0.1 on this computer. For a real organization, "
                "bring a tunnel (a public HTTPS URL forwarding to this port) and subscribe "
                "that URL instead."
            )
        )
        self.tunnel_note.setVisible(False)

        self.top = QVBoxLayout()
        self.top.addLayout(first)
        self.top.addWidget(self.port_message)
        self.top.addWidget(self.answer_note)
        self.top.addLayout(second)
        self.top.addWidget(self.receiver_status)
        self.top.addWidget(self.tunnel_note)
        self._answer_changed()

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
        self.clear_button = self._button(
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
        self.status = self._label(self.tr("Inbox status"))

        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    # -- the page's calls -------------------------------------------------------------------------
    def bind(self, context: PageContext, state: WebhookState) -> None:
        if self.context is not None:
            self.unbind()
        self.context, self.state = context, state
        self.inbox = Inbox(context.data_dir / INBOX_FILE if context.data_dir else MEMORY)
        settings = context.settings() if context.settings else None
        self.port.setValue(settings.webhooks.receiver_port if settings else DEFAULT_PORT)
        self.tunnel_note.setVisible(state.real_organization)
        self.event_filter.blockSignals(True)
        while self.event_filter.count() > 1:  # the events of the inbox before
            self.event_filter.removeItem(1)
        self.event_filter.setCurrentIndex(0)
        self.event_filter.blockSignals(False)
        state.listing_changed.connect(self.refresh_keys)
        state.keys_changed.connect(self.refresh_keys)
        self._update_receiver()
        self.feed.set_inbox(self.inbox)
        self.reload()

    def unbind(self) -> None:
        """Stop the receiver and close the inbox (behind, on the loop), forget the list."""
        self._tasks.cancel_all()
        self.detail.cancel()
        self._unsubscribe()
        self._unsubscribe = _nothing
        receiver, inbox = self.receiver, self.inbox
        self.receiver = self.inbox = None
        if receiver is not None or inbox is not None:
            _detached(_close(receiver, inbox, self._switching))
        if self.state is not None:
            for signal in (self.state.listing_changed, self.state.keys_changed):
                with contextlib.suppress(RuntimeError, TypeError):  # the state is gone
                    signal.disconnect(self.refresh_keys)
        self.context = self.state = None
        self.keys = []
        self.feed.set_inbox(None)
        self.detail.show_delivery(None)
        self._update_receiver()

    def refresh(self) -> None:
        self.refresh_keys()
        self.reload()

    # -- the receiver -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.receiver is not None and self.receiver.running

    @property
    def receiver_url(self) -> str | None:
        return self.receiver.url if self.receiver is not None and self.receiver.running else None

    def _answer_status(self) -> int:
        return int(self.answer.currentData())

    def _answer_changed(self, *_: object) -> None:
        self.answer_note.setText(
            str(self.answer.itemData(self.answer.currentIndex(), Qt.ItemDataRole.ToolTipRole))
        )
        if self.receiver is not None:
            self.receiver.answer_status = self._answer_status()

    def _save_port(self) -> None:
        context = self.context
        if context is None or context.settings is None or context.update_settings is None:
            return
        settings = context.settings()
        if settings.webhooks.receiver_port == self.port.value():
            return
        webhooks = msgspec.structs.replace(settings.webhooks, receiver_port=self.port.value())
        context.update_settings(msgspec.structs.replace(settings, webhooks=webhooks))

    def start(self) -> None:
        if self.inbox is None or self.running or self._switching_now():
            return
        self._save_port()
        self._starting = True
        self._switching = self._tasks.spawn(
            self._start(self.inbox), self.tr("Starting the receiver")
        )
        self._update_receiver()

    async def _start(self, inbox: Inbox) -> None:
        port = self.port.value()
        receiver = Receiver(
            inbox, lambda: self.keys, port=port, answer_status=self._answer_status()
        )
        try:
            await receiver.start()
        except asyncio.CancelledError:
            _detached(receiver.stop())  # let go while starting: it may be listening already
            raise
        except ReceiverError as error:
            cause = error.__cause__
            in_use = isinstance(cause, OSError) and cause.errno in _IN_USE
            text = (
                self.tr(
                    "Port {port} is already in use: choose another port, or close the program "
                    "using it."
                ).format(port=port)
                if in_use
                else str(error)
            )
            self.port_message.show_message(text)
            return
        finally:
            self._switching = None
            self._update_receiver()
        self.receiver = receiver
        self._unsubscribe = receiver.subscribe(self.feed.delivered)
        self.port_message.clear_message()
        self._update_receiver()
        self.refresh_keys()

    def stop(self) -> None:
        receiver = self.receiver
        if receiver is None or self._switching_now():
            return
        self._unsubscribe()
        self._unsubscribe = _nothing
        self.receiver = None
        self.keys = []
        # Not one of the panel's tasks: an unbind must not cancel it before the port is closed.
        self._starting = False
        self._switching = _detached(self._stop(receiver))
        self._update_receiver()

    async def _stop(self, receiver: Receiver) -> None:
        try:
            await receiver.stop()
        finally:
            with contextlib.suppress(RuntimeError):  # the panel may be gone by now
                self._switching = None
                self._update_receiver()

    def _switching_now(self) -> bool:
        return self._switching is not None and not self._switching.done()

    def _update_receiver(self) -> None:
        running, switching, bound = self.running, self._switching_now(), self.inbox is not None
        self.start_button.setEnabled(bound and not running and not switching)
        self.stop_button.setEnabled(running and not switching)
        self.port.setEnabled(not running and not switching)
        self.copy_url_button.setEnabled(running)
        self.subscribe_button.setEnabled(running and self.state is not None)
        self.url.setText(self.receiver_url or "")
        if switching:
            text = self.tr("Starting…") if self._starting else self.tr("Stopping…")
        elif not running:
            text = self.tr("Stopped: nothing listens. Start the receiver to record deliveries.")
        elif self.keys:
            text = self.tr(
                "Listening. Deliveries are verified with {count} signing key(s) from the vault."
            ).format(count=QLocale().toString(len(self.keys)))
        else:
            text = self.tr(
                "Listening. The vault holds no signing key of a subscription to this receiver: "
                "signed deliveries show as “No key”."
            )
        self.receiver_status.setText(text)

    def copy_url(self) -> None:
        if self.receiver_url:
            QGuiApplication.clipboard().setText(self.receiver_url)

    # -- signing keys -----------------------------------------------------------------------------
    def refresh_keys(self, *_: object) -> None:
        """Read again the vault keys of every subscription pointing at the receiver."""
        if self.state is None or not self.running:
            return
        if self._keys_task is not None and not self._keys_task.done():
            self._keys_task.cancel()
        self._keys_task = self._tasks.spawn(self._read_keys(), self.tr("Reading signing keys"))

    async def _read_keys(self) -> None:
        state, url = self.state, self.receiver_url
        if state is None or url is None or self.receiver is None:
            return
        port = self.receiver.port
        urls = {url}
        if state.listing is not None:
            urls |= {
                row.subscription.callback_url
                for row in state.listing.rows
                if same_receiver(row.subscription.callback_url, port)
            }
        found: list[str] = []
        for each in sorted(urls):
            found += [key for key in await state.keys_for_url(each) if key not in found]
        self.keys = found
        self._update_receiver()

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


def _nothing() -> None:
    pass


# Stopping outlives the panel (let go at sign-out and at quit): held here until done.
_CLOSING: set[asyncio.Task[None]] = set()


def _detached(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    task = asyncio.get_event_loop().create_task(coro)
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)
    return task


async def _close(
    receiver: Receiver | None, inbox: Inbox | None, stopping: asyncio.Task[None] | None
) -> None:
    """Stop listening, then close the inbox file (after the receiver stored its last one)."""
    try:
        if receiver is not None:
            await receiver.stop()
        if stopping is not None and not stopping.done():
            await asyncio.wait([stopping])
    finally:
        if inbox is not None:
            await inbox.close()
