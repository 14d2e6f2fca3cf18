"""One delivery the local receiver kept: request line, headers, raw and pretty body, verdict,
and what to do with it (copy as curl, copy the body, re-send it elsewhere)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.models.columns import format_local
from desktop.ui.signin.form import FieldMessage
from desktop.ui.tasks import TaskOwner
from desktop.ui.webhooks.inbox_model import verdict_title
from desktop.ui.webhooks.sender_text import outcome_text
from desktop.ui.webhooks.widgets import button, text_label, text_view
from desktop.webhooks.bodies import pretty_body, raw_text
from desktop.webhooks.curl import as_curl
from desktop.webhooks.inbox import Delivery, Verdict
from desktop.webhooks.sender import SendResult, check_url, send_test
from desktop.webhooks.signature import HEADER, parse, verify

Keys = Callable[[], Sequence[str]]


def signing_key_of(delivery: Delivery, keys: Sequence[str]) -> str | None:
    """The key among ``keys`` that made the delivery's signature (stale or not), or None."""
    header = delivery.header(HEADER)
    usable = [key for key in keys if key]
    if not header or not usable:
        return None
    stamp = parse(header).timestamp
    if stamp is None:
        return None
    # Checked as of its own time: only whether a key made it matters here, not its age.
    found = verify(header, delivery.body, usable, now=stamp)
    return usable[found.key_index] if found.key_index is not None else None


async def resend(url: str, delivery: Delivery, keys: Sequence[str]) -> SendResult:
    """Send the delivery's body to ``url``: signed afresh with the key that signed it when that
    key is known; else with its original signature header, as it came (or unsigned)."""
    key = signing_key_of(delivery, keys)
    original = delivery.header(HEADER)
    forwarded = {HEADER: original} if key is None and original is not None else None
    return await send_test(url, delivery.body, signing_key=key, headers=forwarded)


class DeliveryView(QWidget):
    """The selected delivery. ``keys()`` gives the receiver's signing keys (to re-sign with);
    ``receiver_url()`` its address, for a delivery whose Host header is missing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Selected delivery"))
        self.delivery: Delivery | None = None
        self.keys: Keys = lambda: ()
        self.receiver_url: Callable[[], str | None] = lambda: None
        self.sending: asyncio.Task[None] | None = None
        self._tasks = TaskOwner(self)  # a re-send ends with the view
        self.last_result: SendResult | None = None
        self._plain = ""

        self.request_line = text_label(self.tr("Request"))
        self.verdict = text_label(self.tr("Verdict"))
        self.verdict.setTextFormat(Qt.TextFormat.RichText)

        self.headers = QTreeWidget()
        self.headers.setColumnCount(2)
        self.headers.setHeaderLabels([self.tr("Header"), self.tr("Value")])
        self.headers.setRootIsDecorated(False)
        self.headers.setAccessibleName(self.tr("Request headers"))
        self.raw = text_view(self.tr("Raw body"), wrap=False)
        self.pretty = text_view(self.tr("Pretty body"), wrap=False)
        self.pretty.setAccessibleDescription(self.tr("The body as indented JSON, for reading"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Delivery parts"))
        self.tabs.tabBar().setAccessibleName(self.tr("Delivery parts"))
        self.tabs.addTab(self.headers, self.tr("Headers"))
        self.tabs.addTab(self.pretty, self.tr("Pretty body"))
        self.tabs.addTab(self.raw, self.tr("Raw body"))

        self.copy_curl_button = button(
            self.tr("Copy as cu&rl"),
            self.copy_curl,
            self.tr("Copies a curl command that sends this request again, byte for byte"),
        )
        self.copy_body_button = button(
            self.tr("Copy &body"), self.copy_body, self.tr("Copies the raw body as received")
        )
        copies = QHBoxLayout()
        copies.addWidget(self.copy_curl_button)
        copies.addWidget(self.copy_body_button)
        copies.addStretch(1)

        self.resend_url = QLineEdit()
        self.resend_url.setPlaceholderText(self.tr("https://example.com/webhooks/calendly"))
        self.resend_url.setAccessibleName(self.tr("Re-send to URL"))
        self.resend_url.setAccessibleDescription(
            self.tr("Where to send this delivery's body again, signed afresh when its key is known")
        )
        self.resend_url.textChanged.connect(self._url_changed)
        self.resend_url.returnPressed.connect(self.resend)
        self.send_button = button(
            self.tr("S&end"), self.resend, self.tr("Sends the body to the URL as Calendly would")
        )
        caption = QLabel(self.tr("Re-send &to:"))
        caption.setBuddy(self.resend_url)
        line = QHBoxLayout()
        line.addWidget(caption)
        line.addWidget(self.resend_url, 1)
        line.addWidget(self.send_button)
        self.url_message = FieldMessage(self.resend_url)
        self.result = text_label(self.tr("Re-send result"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.request_line)
        layout.addWidget(self.verdict)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(copies)
        layout.addLayout(line)
        layout.addWidget(self.url_message)
        layout.addWidget(self.result)
        self.show_delivery(None)

    # -- showing ----------------------------------------------------------------------------------
    def show_delivery(self, delivery: Delivery | None) -> None:
        self.delivery = delivery
        self.headers.clear()
        has = delivery is not None
        for each in (self.copy_curl_button, self.copy_body_button):
            each.setEnabled(has)
        self._url_changed()
        if delivery is None:
            self.request_line.setText(self.tr("Select a delivery to see it here."))
            self.verdict.clear()
            self.raw.clear()
            self.pretty.clear()
            return
        self.request_line.setText(
            self.tr("{method} {path} from {remote}, received {when}").format(
                method=delivery.method,
                path=delivery.path,
                remote=delivery.remote,
                when=format_local(delivery.received_at),
            )
        )
        self.verdict.setText(self._verdict_html(delivery))
        for name, value in delivery.headers:
            item = QTreeWidgetItem([name, value])
            item.setToolTip(1, value)
            self.headers.addTopLevelItem(item)
        self.headers.resizeColumnToContents(0)
        self.raw.setPlainText(raw_text(delivery.body))
        self.pretty.setPlainText(pretty_body(delivery.body))

    def _verdict_html(self, delivery: Delivery) -> str:
        headline = verdict_title(delivery.verdict)
        if delivery.verdict is not Verdict.VALID:
            headline = f"⚠ {headline}"
        lines = [delivery.reason]
        if delivery.signed_at is not None:
            lines.append(self.tr("Signed at {when}.").format(when=format_local(delivery.signed_at)))
        if delivery.answered is not None:
            lines.append(
                self.tr("The receiver answered {status}.").format(status=delivery.answered)
            )
        self._plain = "\n".join([f"{headline}: {lines[0]}", *lines[1:]])
        rest = "".join(f"<br>{escape(line)}" for line in lines[1:])
        return f"<b>{escape(headline)}</b>: {escape(lines[0])}{rest}"

    def shown_headers(self) -> list[tuple[str, str]]:
        """The header rows the table shows, in order."""
        items = (self.headers.topLevelItem(i) for i in range(self.headers.topLevelItemCount()))
        return [(item.text(0), item.text(1)) for item in items if item is not None]

    def verdict_text(self) -> str:
        """The verdict as plain text (what a screen reader says)."""
        return self._plain if self.delivery is not None else ""

    # -- copies -----------------------------------------------------------------------------------
    def request_url(self, delivery: Delivery) -> str:
        host = delivery.header("Host")
        if host:
            return f"http://{host}{delivery.path}"
        base = self.receiver_url() or "http://127.0.0.1/"
        return base.rstrip("/") + delivery.path

    def copy_curl(self) -> None:
        if self.delivery is None:
            return
        command = as_curl(
            self.request_url(self.delivery), self.delivery.headers, self.delivery.body
        )
        QGuiApplication.clipboard().setText(command)
        self.result.setText(self.tr("A curl command for this request is on the clipboard."))

    def copy_body(self) -> None:
        if self.delivery is None:
            return
        QGuiApplication.clipboard().setText(raw_text(self.delivery.body))
        self.result.setText(self.tr("The raw body is on the clipboard."))

    # -- re-send ----------------------------------------------------------------------------------
    def _url_changed(self, *_: object) -> None:
        text = self.resend_url.text()
        problem = check_url(text) if text else None
        if problem is None:
            self.url_message.clear_message()
        else:
            self.url_message.show_message(problem)
        busy = self.sending is not None and not self.sending.done()
        self.send_button.setEnabled(
            self.delivery is not None and bool(text) and problem is None and not busy
        )

    def resend(self) -> None:
        """Send the shown delivery to the URL (the result shows under it)."""
        delivery = self.delivery
        url = self.resend_url.text()
        if delivery is None or not self.send_button.isEnabled():
            problem = check_url(url)
            if delivery is not None and problem:
                self.url_message.show_message(problem)
            return
        self.result.setText(
            self.tr("Sending delivery {id} to {url}…").format(id=delivery.id, url=url)
        )
        self.sending = self._tasks.spawn(self._resend(url, delivery), self.tr("Re-sending"))
        self._url_changed()

    async def _resend(self, url: str, delivery: Delivery) -> None:
        try:
            result = await resend(url, delivery, list(self.keys()))
        except Exception as error:  # a bad URL slipped through: said, never raised
            self.result.setText(
                self.tr("Delivery {id} was not sent: {why}").format(id=delivery.id, why=error)
            )
        else:
            self.last_result = result
            self.result.setText(
                self.tr("Delivery {id} re-sent to {url}.").format(id=delivery.id, url=url)
                + "\n"
                + outcome_text(result)
            )
        # (Cancelled, it shows nothing: the view is being let go, perhaps deleted.)
        self.sending = None
        self._url_changed()

    def cancel(self) -> None:
        """Stop a re-send under way (the view is being let go)."""
        if self.sending is not None:
            self.sending.cancel()
            self.sending = None
