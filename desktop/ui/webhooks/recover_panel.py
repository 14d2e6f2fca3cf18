"""Recover: after an outage, what Calendly would have delivered in a time window against what the
local receiver logged; the missed deliveries listed, and re-sent, signed, to a URL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.failures import describe
from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import FieldMessage
from desktop.ui.tasks import TaskOwner
from desktop.ui.webhooks.inspector import INBOX_FILE
from desktop.ui.webhooks.receiver_bar import detached
from desktop.ui.webhooks.recover_send import resend_missed
from desktop.ui.webhooks.recover_views import (
    MissedList,
    SigningChoice,
    WindowFields,
    intro_text,
    reach_text,
    reading_text,
    resend_label,
    subscription_label,
    summary_text,
)
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.widgets import button, caption, text_label, with_message
from desktop.webhooks.callback_url import is_local_host
from desktop.webhooks.inbox import MEMORY, Inbox, InboxError
from desktop.webhooks.listing import Row
from desktop.webhooks.recover import (
    Expectation,
    Missed,
    Resent,
    check_window,
    expected_deliveries,
    find_missed,
)
from desktop.webhooks.recover_records import RECOVERABLE
from desktop.webhooks.sender import check_url

DEFAULT_WINDOW = timedelta(hours=24)


class RecoverPanel(QWidget):
    """Choose a subscription, a window and a URL; find what the receiver missed; re-send it.

    ``inbox_from`` (set by the page) gives the inspector's open inbox, so both read one file
    (and one in-memory inbox when there is no data folder); alone, the panel opens the file.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Recover missed deliveries"))
        self.clock = clock
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.inbox_from: Callable[[], Inbox | None] | None = None
        self._own_inbox: Inbox | None = None
        self.expectation: Expectation | None = None
        self.gaps: list[Missed] = []
        self.results: list[Resent] = []
        self.finding: asyncio.Task[None] | None = None
        self.sending: asyncio.Task[None] | None = None
        self._tasks = TaskOwner(self)
        self._build()
        self._show_choice()

    def _build(self) -> None:
        self.intro = text_label(self.tr("About recovering"), selectable=False)
        self.intro.setText(intro_text())
        self.subscription = QComboBox()
        self.subscription.setAccessibleName(self.tr("Subscription"))
        self.subscription.setPlaceholderText(self.tr("No subscription to recover"))
        self.subscription.currentIndexChanged.connect(self._subscription_changed)
        self.subscription_message = FieldMessage(self.subscription)
        self.reach_note = text_label(self.tr("About this subscription's address"), selectable=False)
        self.signing = SigningChoice()
        self.key_note, self.unsigned = self.signing.note, self.signing.unsigned
        self.key_message = self.signing.message
        self.window_fields = WindowFields()
        self.start, self.end = self.window_fields.start, self.window_fields.end
        self.window_message = self.window_fields.message
        self.url = QLineEdit()
        self.url.setAccessibleName(self.tr("Re-send to URL"))
        self.url.setAccessibleDescription(self.tr("Where the missed deliveries are POSTed"))
        self.url.setPlaceholderText("https://example.com/webhooks/calendly")
        self.url_message = FieldMessage(self.url)
        self.url.textChanged.connect(self._url_changed)

        form = QFormLayout()
        form.addRow(
            caption(self.tr("&Subscription:"), self.subscription),
            with_message(self.subscription, self.subscription_message),
        )
        form.addRow("", self.reach_note)
        form.addRow(caption(self.tr("Fro&m:"), self.start), self.window_fields)
        form.addRow(
            caption(self.tr("Re-send to &URL:"), self.url), with_message(self.url, self.url_message)
        )
        form.addRow(self.tr("Signing key:"), self.signing)

        self.find_button = button(self.tr("&Find missed deliveries"), self.find_missed)
        self.find_button.setDefault(True)
        self.resend_button = button(self.tr("&Re-send"), self.resend)
        self.stop_button = button(self.tr("S&top"), self.stop)
        buttons = QHBoxLayout()
        for each in (self.find_button, self.resend_button, self.stop_button):
            buttons.addWidget(each)
        buttons.addStretch(1)
        self.status = text_label(self.tr("Recovery status"))
        self.list = MissedList()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        self._set_busy(False)

    # -- the page's calls -------------------------------------------------------------------------
    def bind(self, context: PageContext, state: WebhookState) -> None:
        if self.state is not None:
            self.unbind()
        self.context, self.state = context, state
        state.listing_changed.connect(self._fill)
        state.keys_changed.connect(self._show_choice)
        self.window_fields.chosen_by_user = False
        self._default_window()
        self._fill()

    def unbind(self) -> None:
        self._tasks.cancel_all()
        self.finding = self.sending = None
        if self.state is not None:
            for signal, slot in (
                (self.state.listing_changed, self._fill),
                (self.state.keys_changed, self._show_choice),
            ):
                with contextlib.suppress(RuntimeError, TypeError):  # the state is gone
                    signal.disconnect(slot)
        inbox, self._own_inbox = self._own_inbox, None
        if inbox is not None:
            with contextlib.suppress(RuntimeError):  # no event loop: the process is ending
                detached(inbox.close())
        self.context = self.state = None
        self._forget()
        self.subscription.clear()
        self._set_busy(False)

    def refresh(self) -> None:
        self._fill()
        self._default_window()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._default_window()

    def set_window(self, start: datetime, end: datetime) -> None:
        self.window_fields.set_window(start, end)
        self.window_fields.chosen_by_user = True

    def _default_window(self) -> None:
        """The last 24 hours up to now, unless the user chose a window or a search is shown."""
        fields = self.window_fields
        shown = self.expectation is not None
        if self.state is not None and not (fields.chosen_by_user or shown or self.busy):
            now = self.clock()
            fields.set_window(now - DEFAULT_WINDOW, now)

    # -- the subscription -------------------------------------------------------------------------
    def _rows(self) -> list[Row]:
        listing = self.state.listing if self.state is not None else None
        rows = listing.rows if listing is not None else ()
        return [r for r in rows if any(e in RECOVERABLE for e in r.subscription.events)]

    def _fill(self, *_: object) -> None:
        current = self.subscription.currentData()
        self.subscription.blockSignals(True)
        self.subscription.clear()
        for row in self._rows():
            self.subscription.addItem(subscription_label(row), row.uri)
        index = self.subscription.findData(current)
        first = 0 if self.subscription.count() else -1
        self.subscription.setCurrentIndex(index if index >= 0 else first)
        self.subscription.blockSignals(False)
        if self.subscription.currentData() != current:
            self._subscription_changed()
        else:
            self._show_choice()

    def row(self) -> Row | None:
        uri = self.subscription.currentData()
        return next((r for r in self._rows() if r.uri == uri), None)

    def _subscription_changed(self, *_: object) -> None:
        row = self.row()
        self.url.setText(row.subscription.callback_url if row is not None else "")
        self.unsigned.setChecked(False)
        self._forget()
        self._show_choice()

    def _has_key(self, row: Row) -> bool:
        return self.state is not None and row.uri in self.state.known_keys

    def _show_choice(self, *_: object) -> None:
        """What the chosen subscription means for comparing and signing."""
        row = self.row()
        self.subscription_message.clear_message()
        host = (urlsplit(row.subscription.callback_url).hostname or "") if row else ""
        self.reach_note.setVisible(bool(row) and not is_local_host(host))
        self.reach_note.setText(reach_text(host))
        self.signing.show_for(None if row is None else self._has_key(row))
        self.find_button.setEnabled(row is not None and not self.busy)

    def _url_changed(self, *_: object) -> None:
        problem = check_url(self.url.text()) if self.url.text() else None
        if problem is None:
            self.url_message.clear_message()
        else:
            self.url_message.show_message(problem)

    # -- finding ----------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return any(t is not None and not t.done() for t in (self.finding, self.sending))

    def find_missed(self) -> None:
        """Check the choice, then compare the window's bookings with the inbox, in a task."""
        if self.state is None or self.busy:
            return
        row = self.row()
        if row is None:
            self.subscription_message.show_message(
                self.tr("Subscription: choose the subscription whose deliveries were missed.")
            )
            return
        start, end = self.window_fields.chosen()
        problem = check_window(start, end)
        if problem is not None:
            self.window_message.show_message(problem)
            self.end.setFocus()
            return
        self.finding = self._tasks.spawn(
            self._find(row, start, end), self.tr("Finding missed deliveries")
        )

    async def _find(self, row: Row, start: datetime, end: datetime) -> None:
        state = self.state
        assert state is not None
        self._forget()
        self._set_busy(True)
        self.status.setText(self.tr("Listing the meetings…"))

        def progress(done: int, total: int) -> None:
            self.status.setText(reading_text(done, total))

        try:
            expectation = await expected_deliveries(
                state.client,
                state.organization,
                start,
                end,
                subscription=row.subscription,
                on_progress=progress,
            )
            gaps = await find_missed(expectation, self._inbox())
        except asyncio.CancelledError:
            if self.state is state:
                self.status.setText(self.tr("Stopped: nothing was compared."))
            raise
        except InboxError as error:
            self.status.setText(str(error))
            return
        except Exception as error:  # said here, never raised out of the panel
            self.status.setText(describe(self.tr("Finding missed deliveries"), error))
            return
        finally:
            self.finding = None
            if self.state is state:
                self._set_busy(False)
        self.expectation, self.gaps = expectation, gaps
        self.list.show_gaps(gaps)
        self.status.setText(summary_text(expectation, len(gaps)))
        self._set_busy(False)

    def _inbox(self) -> Inbox:
        shared = self.inbox_from() if self.inbox_from is not None else None
        if shared is not None:
            return shared
        if self._own_inbox is None:
            folder = self.context.data_dir if self.context is not None else None
            self._own_inbox = Inbox(folder / INBOX_FILE if folder else MEMORY)
        return self._own_inbox

    def _forget(self) -> None:
        self.expectation, self.gaps, self.results = None, [], []
        self.list.clear()
        self.status.clear()
        self._update_resend()

    # -- re-sending -------------------------------------------------------------------------------
    def resend(self) -> None:
        """Check the URL and the key, then send the missed deliveries one by one."""
        row = self.row()
        if self.state is None or self.busy or not self.gaps or row is None:
            return
        problem = check_url(self.url.text())
        if problem is not None:
            self.url_message.show_message(problem)
            self.url.setFocus()
            return
        if not self._has_key(row) and not self.unsigned.isChecked():
            self.signing.refuse()
            return
        self.sending = self._tasks.spawn(
            self._resend(row, self.url.text(), list(self.gaps)),
            self.tr("Re-sending missed deliveries"),
        )

    async def _resend(self, row: Row, url: str, gaps: list[Missed]) -> None:
        await resend_missed(self, row, url, gaps)

    def stop(self) -> None:
        for task in (self.finding, self.sending):
            if task is not None and not task.done():
                task.cancel()

    def _update_resend(self) -> None:
        count = len(self.gaps)
        self.resend_button.setText(resend_label(count))
        self.resend_button.setAccessibleName(self.resend_button.text().replace("&", ""))
        self.resend_button.setEnabled(bool(count) and not self.busy and self.state is not None)

    def _set_busy(self, busy: bool) -> None:
        self.find_button.setEnabled(not busy and self.row() is not None)
        self.stop_button.setEnabled(busy)
        for field in (self.subscription, self.start, self.end):
            field.setEnabled(not busy)
        self._update_resend()
        if busy:
            self.resend_button.setEnabled(False)
