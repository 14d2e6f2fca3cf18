"""The test sender: a Calendly-shaped, signed delivery to any URL, graded by Calendly's rules."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.failures import describe
from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import FieldMessage
from desktop.ui.tasks import TaskOwner
from desktop.ui.webhooks.event_names import sendable_label
from desktop.ui.webhooks.sender_key import ENTERED, NONE, SigningKeyChooser
from desktop.ui.webhooks.sender_text import outcome_text, request_text, response_text
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.widgets import button, caption, text_label, text_view, with_message
from desktop.webhooks import payloads
from desktop.webhooks.bodies import pretty_body
from desktop.webhooks.listing import Row
from desktop.webhooks.scopes import events_for
from desktop.webhooks.sender import SendResult, check_url, send_test

__all__ = ["ENTERED", "NONE", "SenderPanel"]


class SenderPanel(QWidget):
    """Pick an event, where its payload comes from, a URL and a key; Send; read the verdict."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Test sender"))
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.target: payloads.Target | None = None
        self.prepared: tuple[payloads.Delivery, ...] = ()
        self._prepared_for: tuple[Any, ...] | None = None
        self.preparing: asyncio.Task[tuple[payloads.Delivery, ...]] | None = None
        self.sending: asyncio.Task[None] | None = None
        self.results: list[SendResult] = []
        self._tasks = TaskOwner(self)

        self.event_choice = QComboBox()
        self.event_choice.setAccessibleName(self.tr("Event"))
        self._fill_events(payloads.OFFERED)
        self.event_choice.currentIndexChanged.connect(self._choice_changed)
        self.source = QComboBox()
        self.source.setAccessibleName(self.tr("Payload source"))
        self.source.addItem(self.tr("Calendly's sample (GET /sample_webhook_data)"), "sample")
        self.source.addItem(self.tr("Built from a real record"), "records")
        self.source.currentIndexChanged.connect(self._choice_changed)
        self.record = QLineEdit()
        self.record.setPlaceholderText(self.tr("Newest fitting record, or paste an invitee URI"))
        self.record.setAccessibleName(self.tr("Record"))
        self.record.setAccessibleDescription(
            self.tr("The URI of the invitee or routing form submission to build the payload from")
        )
        self.record.editingFinished.connect(self._choice_changed)
        self.record_message = FieldMessage(self.record)
        self.record.textChanged.connect(lambda _text: self.record_message.clear_message())
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.com/webhooks/calendly")
        self.url.setAccessibleName(self.tr("Target URL"))
        self.url.setAccessibleDescription(self.tr("Where the test delivery is POSTed"))
        self.url_message = FieldMessage(self.url)
        self.url.textChanged.connect(self._url_changed)
        self.key_chooser = SigningKeyChooser()
        self.key_source = self.key_chooser.source
        self.key = self.key_chooser.key
        self.show_key = self.key_chooser.show_key
        self.key_message = self.key_chooser.message

        form = QFormLayout()
        form.addRow(caption(self.tr("&Event:"), self.event_choice), self.event_choice)
        form.addRow(caption(self.tr("Pa&yload:"), self.source), self.source)
        form.addRow(
            caption(self.tr("&Record:"), self.record),
            with_message(self.record, self.record_message),
        )
        form.addRow(caption(self.tr("&URL:"), self.url), with_message(self.url, self.url_message))
        form.addRow(caption(self.tr("Signing &key:"), self.key_source), self.key_chooser)

        self.rules = QLabel(
            self.tr(
                "Graded by Calendly's rules: only a 2xx answer is delivered; redirects are not "
                "followed and count as failures; Calendly connects within 10 s and waits 15 s "
                "for the answer; after a failure it retries for 24 hours, then disables the "
                "subscription; a 410 answer deletes the subscription at once."
            )
        )
        self.rules.setWordWrap(True)
        self.payload_button = button(self.tr("Load &payload"), self.load_payload)
        self.send_button = button(self.tr("&Send"), self.send)
        self.send_button.setDefault(True)
        self.stop_button = button(self.tr("S&top"), self.stop)
        self.stop_button.setEnabled(False)
        buttons = QHBoxLayout()
        for each in (self.payload_button, self.send_button, self.stop_button):
            buttons.addWidget(each)
        buttons.addStretch(1)
        self.status = text_label(self.tr("Sender status"))

        self.payload_source = text_label(self.tr("Payload source"))
        self.preview = text_view(self.tr("Payload preview"))
        self.preview.setAccessibleDescription(
            self.tr("Read-only: the signature covers these exact bytes")
        )
        self.verdict = text_label(self.tr("Verdict"))
        self.request_view = text_view(self.tr("Request sent"))
        self.response_view = text_view(self.tr("Response received"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Test delivery"))
        self.tabs.tabBar().setAccessibleName(self.tr("Test delivery parts"))
        self.tabs.addTab(self.preview, self.tr("Payload"))
        self.tabs.addTab(self.request_view, self.tr("Request"))
        self.tabs.addTab(self.response_view, self.tr("Response"))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rules)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.verdict)
        layout.addWidget(self.payload_source)
        layout.addWidget(self.tabs, 1)
        self._url_changed()

    def _fill_events(self, choices: tuple[str, ...]) -> None:
        current = self.event_choice.currentData()
        self.event_choice.blockSignals(True)
        self.event_choice.clear()
        for choice in choices:
            self.event_choice.addItem(sendable_label(choice), choice)
            self.event_choice.setItemData(
                self.event_choice.count() - 1, choice, Qt.ItemDataRole.ToolTipRole
            )
        index = self.event_choice.findData(current)
        self.event_choice.setCurrentIndex(max(index, 0))
        self.event_choice.blockSignals(False)

    # -- the page's calls -------------------------------------------------------------------------
    def bind(self, context: PageContext, state: WebhookState) -> None:
        if self.state is not None:
            self.unbind()
        self.context, self.state = context, state
        self.target = payloads.Target(state.organization)
        state.listing_changed.connect(self._keys_changed)
        state.keys_changed.connect(self._keys_changed)
        self._keys_changed()
        self._choice_changed()

    def unbind(self) -> None:
        self._tasks.cancel_all()
        self.preparing = self.sending = None
        if self.state is not None:
            for signal in (self.state.listing_changed, self.state.keys_changed):
                with contextlib.suppress(RuntimeError, TypeError):  # the state is gone
                    signal.disconnect(self._keys_changed)
        self.context = self.state = None
        self.target = None
        self._prepared_for = None
        self.prepared = ()
        self.preview.clear()
        self._set_busy(False)

    def refresh(self) -> None:
        self._keys_changed()
        self._choice_changed()

    def use_subscription(self, row: object) -> None:
        """Test ``row``'s subscription: its URL, its key from the vault, its scope's events."""
        if not isinstance(row, Row):
            return
        subscription = row.subscription
        self.target = payloads.Target.of(subscription)
        allowed = set(events_for(subscription.scope))
        choices = tuple(
            c
            for c in payloads.OFFERED
            if c in allowed or (c == payloads.RESCHEDULE and "invitee.created" in allowed)
        )
        self._fill_events(choices)
        wanted = next((e for e in subscription.events if e in choices), None)
        if wanted is not None:
            self.event_choice.setCurrentIndex(self.event_choice.findData(wanted))
        self.url.setText(subscription.callback_url)
        self._keys_changed()
        index = self.key_source.findData(row.uri)
        self.key_source.setCurrentIndex(index if index >= 0 else self.key_source.findData(NONE))
        if index < 0:
            self.key_message.show_message(
                self.tr(
                    "Signing key: the vault has no key for this subscription, so the delivery "
                    "goes unsigned unless you enter its key."
                )
            )
        self._prepared_for = None
        self._choice_changed()

    # -- keys -------------------------------------------------------------------------------------
    def _keys_changed(self, *_: object) -> None:
        self.key_chooser.fill(self.state)

    # -- the payload ------------------------------------------------------------------------------
    def _choice(self) -> tuple[Any, ...]:
        record = self.record.text().strip() or None
        source = self.source.currentData()
        return (
            self.event_choice.currentData(),
            source,
            record if source == "records" else None,
            self.target,
        )

    def _choice_changed(self, *_: object) -> None:
        self.record.setEnabled(self.source.currentData() == "records")
        if self._choice() != self._prepared_for and self.isVisible():
            self.load_payload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.state is not None and self._choice() != self._prepared_for and not self.busy:
            self.load_payload()

    @property
    def busy(self) -> bool:
        return any(t is not None and not t.done() for t in (self.preparing, self.sending))

    def load_payload(self) -> None:
        """Prepare the payload for the current choice and show it (read-only)."""
        if self.state is None or (self.sending is not None and not self.sending.done()):
            return
        if self.preparing is not None and not self.preparing.done():
            self.preparing.cancel()
        self.preparing = self._tasks.spawn(self._prepare(), self.tr("Preparing the payload"))

    async def _prepare(self) -> tuple[payloads.Delivery, ...]:
        state = self.state
        assert state is not None
        choice = self._choice()
        event, source, record, target = choice
        self.status.setText(self.tr("Preparing the payload…"))
        self.record_message.clear_message()
        self._set_busy(True)
        try:
            client = state.client
            target = target or payloads.Target(state.organization)
            if source == "sample":
                made = await payloads.prepare(client, event, target)
            elif event == payloads.RESCHEDULE:
                made = await payloads.reschedule_pair(client, target, record=record)
            else:
                made = (await payloads.from_records(client, event, target, record=record),)
        except asyncio.CancelledError:
            if self.state is state:  # stopped here; not let go with the connection
                self.status.setText(self.tr("Stopped: the payload was not prepared."))
                self._set_busy(False)
            raise
        except Exception as error:  # any failure is said here, never raised out of the panel
            self._set_busy(False)
            self.prepared, self._prepared_for = (), None
            self.preview.clear()
            self.payload_source.clear()
            why = str(error) if isinstance(error, payloads.PayloadUnavailable) else None
            self.status.setText(why or describe(self.tr("Preparing the payload"), error))
            if record is not None:  # the record asked for is the likely culprit: said there
                self.record_message.show_message(self.status.text())
            return ()
        self._set_busy(False)
        self.prepared, self._prepared_for = tuple(made), choice
        self.payload_source.setText("\n".join(d.source for d in made))
        self.preview.setPlainText("\n\n".join(pretty_body(d.body) for d in made))
        self.tabs.setCurrentWidget(self.preview)
        self.status.setText(self.tr("Ready to send."))
        return self.prepared

    # -- sending ----------------------------------------------------------------------------------
    def _url_changed(self, *_: object) -> None:
        text = self.url.text()
        problem = check_url(text) if text else None
        if problem is None:
            self.url_message.clear_message()
        else:
            self.url_message.show_message(problem)

    def send(self) -> None:
        """Check the fields, then send the delivery (or the pair) without blocking."""
        if self.state is None or self.busy:
            return
        problem = check_url(self.url.text())
        if problem is not None:
            self.url_message.show_message(problem)
            self.url.setFocus()
            return
        if self.key_source.currentData() == ENTERED and not self.key.text().strip():
            self.key_message.show_message(
                self.tr("Signing key is empty: enter the key, or choose “None: send unsigned”.")
            )
            self.key.setFocus()
            return
        self.sending = self._tasks.spawn(self._send(self.url.text()), self.tr("Sending a test"))

    async def _send(self, url: str) -> None:
        state = self.state
        self._set_busy(True)
        self.results = []
        self.verdict.clear()
        try:
            if self._choice() != self._prepared_for:
                self.preparing = None
                if not await self._prepare():
                    return
                self._set_busy(True)
            key = await self.key_chooser.signing_key(state)
            if key is None and self.key_chooser.from_vault:
                self.key_message.show_message(
                    self.tr(
                        "Signing key: the vault no longer holds this key; choose another, or "
                        "enter it."
                    )
                )
                self.status.setText(self.tr("Nothing was sent."))
                return
            signed = self.tr("signed") if key else self.tr("unsigned")
            for number, delivery in enumerate(self.prepared, 1):
                self.status.setText(
                    self.tr("Sending {event} ({signed}) to {url}…").format(
                        event=delivery.event, signed=signed, url=url
                    )
                )
                result = await send_test(url, delivery.body, signing_key=key)
                self.results.append(result)
                self._show_results(number)
            self.status.setText(self.tr("Sent."))
        except asyncio.CancelledError:
            if self.state is state:  # stopped here; not let go with the connection
                self.status.setText(self.tr("Stopped: the test delivery was abandoned."))
            raise
        except Exception as error:
            self.status.setText(describe(self.tr("Sending a test"), error))
        finally:
            self.sending = None
            if self.state is state:
                self._set_busy(False)

    def _show_results(self, count: int) -> None:
        many = len(self.prepared) > 1
        verdicts, requests, responses = [], [], []
        for number, result in enumerate(self.results[:count], 1):
            event = self.prepared[number - 1].event
            heading = f"{number}. {event}\n" if many else ""
            verdicts.append(heading + outcome_text(result))
            requests.append(heading + request_text(result))
            responses.append(heading + response_text(result))
        self.verdict.setText("\n\n".join(verdicts))
        self.request_view.setPlainText("\n\n".join(requests))
        self.response_view.setPlainText("\n\n".join(responses))
        self.tabs.setCurrentWidget(self.response_view)

    def stop(self) -> None:
        for task in (self.sending, self.preparing):
            if task is not None and not task.done():
                task.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.payload_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
