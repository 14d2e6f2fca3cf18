"""The paste verifier: is a delivery someone received genuine? Header, body and key in; verdict
out, with the reason."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.secrets import SecretStoreError
from desktop.ui.failures import describe
from desktop.ui.models.columns import format_local
from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import FieldMessage
from desktop.ui.tasks import TaskOwner
from desktop.ui.webhooks.inbox_model import verdict_title
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.widgets import button, caption, secret_field, with_message
from desktop.webhooks.inbox import Verdict
from desktop.webhooks.paste import PasteVerdict, verify_pasted
from desktop.webhooks.signature import HEADER, Status

TYPED = ""  # the key picker's first entry: the key typed in the field


def status_title(status: Status | None) -> str:
    if status is None:
        return QCoreApplication.translate("Verdict", "Incomplete")
    return verdict_title(Verdict(status.value))


class VerifierPanel(QWidget):
    """Paste a ``Calendly-Webhook-Signature`` header, the raw body and the signing key."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Verify a delivery"))
        self.clock = clock
        self.context: PageContext | None = None
        self.state: WebhookState | None = None
        self.verdict: PasteVerdict | None = None
        self._plain = ""
        self._tasks = TaskOwner(self)
        self._loading: asyncio.Task[None] | None = None
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.header = QPlainTextEdit()
        self.header.setAccessibleName(self.tr("Header"))
        self.header.setAccessibleDescription(
            self.tr("The {header} value, or the request's header lines").format(header=HEADER)
        )
        self.header.setPlaceholderText(f"{HEADER}: t=1492774577,v1=5257a869…")
        self.header.setTabChangesFocus(True)
        self.header.setFont(fixed)
        self.header.setMaximumHeight(self.fontMetrics().height() * 5)
        self.body = QPlainTextEdit()
        self.body.setAccessibleName(self.tr("Body"))
        self.body.setAccessibleDescription(
            self.tr("The raw request body, exactly as received: re-formatted JSON does not verify")
        )
        self.body.setPlaceholderText(self.tr("Paste the raw request body, byte for byte"))
        self.body.setTabChangesFocus(True)
        self.body.setFont(fixed)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.key, self.show_key = secret_field(self.tr("Signing key"), self.tr("&Show"))
        self.vault_key = QComboBox()
        self.vault_key.setAccessibleName(self.tr("Use a vault key"))
        self.vault_key.setAccessibleDescription(
            self.tr("Fills in the signing key of a subscription the vault holds")
        )
        self.vault_key.addItem(self.tr("Typed above"), TYPED)
        self.vault_key.activated.connect(self._vault_key_chosen)
        self.header_message = FieldMessage(self.header)
        self.body_message = FieldMessage(self.body)
        self.key_message = FieldMessage(self.key)
        self.header.textChanged.connect(self.header_message.clear_message)
        self.body.textChanged.connect(self.body_message.clear_message)
        self.key.textEdited.connect(self._key_typed)

        form = QFormLayout()
        form.addRow(
            caption(self.tr("&Header:"), self.header),
            with_message(self.header, self.header_message),
        )
        form.addRow(
            caption(self.tr("&Body:"), self.body), with_message(self.body, self.body_message)
        )
        keys = QHBoxLayout()
        keys.addWidget(self.key, 1)
        keys.addWidget(self.show_key)
        keys.addWidget(self.vault_key, 1)
        key_box = QWidget()
        key_column = QVBoxLayout(key_box)
        key_column.setContentsMargins(0, 0, 0, 0)
        key_column.addLayout(keys)
        key_column.addWidget(self.key_message)
        key_box.setFocusProxy(self.key)
        form.addRow(caption(self.tr("Signing &key:"), self.key), key_box)

        self.verify_button = button(self.tr("&Verify"), self.verify)
        self.verify_button.setDefault(True)
        self.clear_button = button(self.tr("C&lear"), self.clear)
        self.clear_button.setAccessibleName(self.tr("Clear the fields"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        self.result = QLabel()
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAccessibleName(self.tr("Verification result"))

        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.setTabOrder(self.header, self.body)
        self.setTabOrder(self.body, self.key)

    # -- the page's calls -------------------------------------------------------------------------
    def bind(self, context: PageContext, state: WebhookState) -> None:
        if self.state is not None:
            self.unbind()
        self.context, self.state = context, state
        state.listing_changed.connect(self._fill_vault_keys)
        state.keys_changed.connect(self._fill_vault_keys)
        self._fill_vault_keys()

    def unbind(self) -> None:
        self._tasks.cancel_all()
        if self.state is not None:
            for signal in (self.state.listing_changed, self.state.keys_changed):
                with contextlib.suppress(RuntimeError, TypeError):  # the state is gone
                    signal.disconnect(self._fill_vault_keys)
        self.context = self.state = None
        if self.vault_key.currentData() != TYPED:
            self.key.clear()  # a vault key belongs to the connection that read it
        self._fill_vault_keys()

    def refresh(self) -> None:
        self._fill_vault_keys()

    # -- keys -------------------------------------------------------------------------------------
    def _fill_vault_keys(self, *_: object) -> None:
        current = self.vault_key.currentData()
        self.vault_key.blockSignals(True)
        while self.vault_key.count() > 1:
            self.vault_key.removeItem(1)
        state = self.state
        for row in state.keyed_rows() if state is not None else ():
            label = self.tr("Key of {url} ({owner})").format(
                url=row.subscription.callback_url, owner=row.owner.label
            )
            self.vault_key.addItem(label, row.uri)
        self.vault_key.setCurrentIndex(max(self.vault_key.findData(current), 0))
        self.vault_key.blockSignals(False)
        self.vault_key.setEnabled(self.vault_key.count() > 1)

    def _vault_key_chosen(self, index: int) -> None:
        uri = self.vault_key.itemData(index)
        state = self.state
        if uri == TYPED or state is None or state.vault is None:
            return
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._loading = self._tasks.spawn(
            self._load_key(state, str(uri)), self.tr("Reading a signing key")
        )

    async def _load_key(self, state: WebhookState, uri: str) -> None:
        assert state.vault is not None
        try:
            key = await state.vault.key_for(uri)
        except SecretStoreError as error:  # its message never holds the key
            self.key_message.show_message(describe(self.tr("Reading the signing key"), error))
            return
        if key is None:
            self.key_message.show_message(
                self.tr("Signing key: the vault no longer holds this subscription's key.")
            )
            return
        self.key.setText(key)
        self.key_message.clear_message()

    def _key_typed(self, _text: str) -> None:
        self.key_message.clear_message()
        self.vault_key.setCurrentIndex(0)  # typed: no longer the vault's key

    # -- verifying --------------------------------------------------------------------------------
    def verify(self) -> None:
        """Check the pasted delivery now and show the verdict (fields' problems beside them)."""
        verdict = verify_pasted(
            self.header.toPlainText(),
            self.body.toPlainText(),
            self.key.text(),
            now=self.clock(),
        )
        self.verdict = verdict
        messages = {
            "Header": self.header_message,
            "Body": self.body_message,
            "Signing key": self.key_message,
        }
        for message in messages.values():
            message.clear_message()
        for error in verdict.errors:
            messages[error.field].show_message(error.message)
        if verdict.errors:
            first = next(e.field for e in verdict.errors)
            {"Header": self.header, "Body": self.body, "Signing key": self.key}[first].setFocus()
        self.result.setText(self._result_html(verdict))

    def _result_html(self, verdict: PasteVerdict) -> str:
        mark = "…" if verdict.status is None else "✔" if verdict.ok else "✘"
        headline = f"{mark} {status_title(verdict.status)}"
        lines = [verdict.reason]
        if verdict.signed_at is not None:
            lines.append(self.tr("Signed at {when}.").format(when=format_local(verdict.signed_at)))
        lines += verdict.hints
        self._plain = "\n".join([f"{headline}: {lines[0]}", *lines[1:]])
        rest = "".join(f"<br>{escape(line)}" for line in lines[1:])
        return f"<b>{escape(headline)}</b>: {escape(lines[0])}{rest}"

    def result_text(self) -> str:
        """The verdict shown, as plain text."""
        return self._plain if self.result.text() else ""

    def clear(self) -> None:
        for edit in (self.header, self.body):
            edit.clear()
        self.key.clear()
        self.vault_key.setCurrentIndex(0)
        for message in (self.header_message, self.body_message, self.key_message):
            message.clear_message()
        self.result.clear()
        self.verdict = None
