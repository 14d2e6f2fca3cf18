"""The inspector's receiver controls: port, start/stop, what it answers, its URL and status."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

import msgspec
from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import FieldMessage
from desktop.ui.tasks import TaskOwner
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.widgets import button, caption, text_label
from desktop.webhooks.callback_url import is_local_host
from desktop.webhooks.inbox import Inbox
from desktop.webhooks.receiver import Receiver, ReceiverError

DEFAULT_PORT = 8765


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def answers() -> tuple[tuple[int, str, str], ...]:
    """(status, label, what Calendly does when the receiver answers it)."""
    delivered = translate("ReceiverBar", "Calendly counts each delivery as delivered.")
    retries = translate(
        "ReceiverBar",
        "Calendly counts each delivery as failed, retries it with back-off for 24 hours, "
        "then disables the subscription.",
    )
    redirect = translate(
        "ReceiverBar",
        "Calendly does not follow redirects: each delivery counts as failed; it retries with "
        "back-off for 24 hours, then disables the subscription.",
    )
    gone = translate("ReceiverBar", "Calendly deletes the subscription at once, without retrying.")
    return (
        (200, translate("ReceiverBar", "200 OK"), delivered),
        (204, translate("ReceiverBar", "204 No Content"), delivered),
        (301, translate("ReceiverBar", "301 Moved Permanently"), redirect),
        (302, translate("ReceiverBar", "302 Found"), redirect),
        (400, translate("ReceiverBar", "400 Bad Request"), retries),
        (404, translate("ReceiverBar", "404 Not Found"), retries),
        (410, translate("ReceiverBar", "410 Gone"), gone),
        (500, translate("ReceiverBar", "500 Internal Server Error"), retries),
        (503, translate("ReceiverBar", "503 Service Unavailable"), retries),
    )


def same_receiver(url: str, port: int) -> bool:
    """Whether ``url`` reaches a receiver on this computer's ``port`` (any path)."""
    try:
        parts = urlsplit(url)
        return is_local_host(parts.hostname or "") and parts.port == port
    except ValueError:
        return False


class ReceiverBar(QWidget):
    """The local receiver: start it on a port, choose its answer, copy or subscribe its URL.

    ``delivered(Delivery)`` for each delivery it stored; ``subscribe_requested(url)`` when the
    user wants a subscription to it; ``keys`` are what it verifies with.
    """

    delivered = Signal(object)
    subscribe_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Receiver"))
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.inbox: Inbox | None = None
        self.receiver: Receiver | None = None
        # The receiver while it listens, in a plain list the panel can release without the bar.
        self.live: list[Receiver] = []
        self.keys: list[str] = []  # what the receiver verifies with (refreshed in a task)
        self._unsubscribe: Callable[[], None] = _nothing
        self._tasks = TaskOwner(self)
        self._keys_task: asyncio.Task[None] | None = None
        self._switching: asyncio.Task[None] | None = None  # starting or stopping
        self._starting = False
        self._build()
        self._update_receiver()

    def _build(self) -> None:
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setSpecialValueText(self.tr("Any free port"))
        self.port.setAccessibleName(self.tr("Receiver port"))
        self.port.setAccessibleDescription(self.tr("The port on 127.0.0.1 the receiver listens on"))
        self.port.editingFinished.connect(self._save_port)
        self.port_message = FieldMessage(self.port)
        self.port.valueChanged.connect(lambda _value: self.port_message.clear_message())
        self.start_button = button(self.tr("&Start"), self.start)
        self.stop_button = button(self.tr("St&op"), self.stop)
        self.answer = QComboBox()
        self.answer.setAccessibleName(self.tr("Answer with"))
        for status, label, explanation in answers():
            self.answer.addItem(label, status)
            self.answer.setItemData(
                self.answer.count() - 1, explanation, Qt.ItemDataRole.ToolTipRole
            )
        self.answer.currentIndexChanged.connect(self._answer_changed)
        self.answer_note = text_label(self.tr("What Calendly will do"), selectable=False)
        port_caption = caption(self.tr("&Port:"), self.port)
        answer_caption = caption(self.tr("&Answer with:"), self.answer)
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
        self.copy_url_button = button(self.tr("&Copy"), self.copy_url)
        self.copy_url_button.setAccessibleName(self.tr("Copy the receiver URL"))
        self.subscribe_button = button(
            self.tr("Subscr&ibe this receiver…"),
            lambda: self.subscribe_requested.emit(self.url.text()),
            self.tr("Opens the new subscription form with this receiver's URL"),
        )
        url_caption = caption(self.tr("&URL:"), self.url)
        second = QHBoxLayout()
        second.addWidget(url_caption)
        second.addWidget(self.url, 1)
        second.addWidget(self.copy_url_button)
        second.addWidget(self.subscribe_button)
        self.receiver_status = text_label(self.tr("Receiver status"), selectable=False)
        self.tunnel_note = text_label(self.tr("About reaching this receiver"), selectable=False)
        self.tunnel_note.setText(
            self.tr(
                "Calendly cannot reach 127.0.0.1 on this computer. For a real organization, "
                "bring a tunnel (a public HTTPS URL forwarding to this port) and subscribe "
                "that URL instead."
            )
        )
        self.tunnel_note.setVisible(False)

        top = QVBoxLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.addLayout(first)
        top.addWidget(self.port_message)
        top.addWidget(self.answer_note)
        top.addLayout(second)
        top.addWidget(self.receiver_status)
        top.addWidget(self.tunnel_note)
        self._answer_changed()

    # -- the panel's calls ------------------------------------------------------------------------
    def bind(self, context: PageContext, state: WebhookState, inbox: Inbox) -> None:
        self.context, self.state, self.inbox = context, state, inbox
        settings = context.settings() if context.settings else None
        self.port.setValue(settings.webhooks.receiver_port if settings else DEFAULT_PORT)
        self.tunnel_note.setVisible(state.real_organization)
        state.listing_changed.connect(self.refresh_keys)
        state.keys_changed.connect(self.refresh_keys)
        self._update_receiver()

    def unbind(self) -> tuple[Receiver | None, asyncio.Task[None] | None]:
        """Let go of the receiver: (the one running, to stop; a start or stop under way)."""
        self._tasks.cancel_all()
        self._unsubscribe()
        self._unsubscribe = _nothing
        receiver, switching = self.receiver, self._switching
        self.receiver = self.inbox = None
        self.live.clear()
        if self.state is not None:
            for signal in (self.state.listing_changed, self.state.keys_changed):
                with contextlib.suppress(RuntimeError, TypeError):  # the state is gone
                    signal.disconnect(self.refresh_keys)
        self.context = self.state = None
        self.keys = []
        self._update_receiver()
        return receiver, switching

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
            # Let go while starting (unbound, perhaps deleted): stop what may be listening.
            detached(receiver.stop())
            raise
        except ReceiverError as error:
            self._switching = None
            text = (
                self.tr(
                    "Port {port} is already in use: choose another port, or close the program "
                    "using it."
                ).format(port=port)
                if error.port_in_use
                else str(error)
            )
            self.port_message.show_message(text)
            self._update_receiver()
            return
        self._switching = None
        self.receiver = receiver
        self.live[:] = [receiver]
        self._unsubscribe = receiver.subscribe(self.delivered.emit)
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
        self.live.clear()
        self.keys = []
        # Not one of the bar's tasks: an unbind must not cancel it before the port is closed.
        self._starting = False
        self._switching = detached(self._stop(receiver))
        self._update_receiver()

    async def _stop(self, receiver: Receiver) -> None:
        try:
            await receiver.stop()
        finally:
            with contextlib.suppress(RuntimeError):  # the bar may be gone by now
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


def _nothing() -> None:
    pass


# Stopping outlives the bar (let go at sign-out and at quit): held here until done.
_CLOSING: set[asyncio.Task[None]] = set()


def detached(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    """Run ``coro`` to its end, owned by no widget (RuntimeError: no event loop any more)."""
    try:
        task = asyncio.get_event_loop().create_task(coro)
    except RuntimeError:
        coro.close()  # never to run: not left behind "never awaited"
        raise
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)
    return task
