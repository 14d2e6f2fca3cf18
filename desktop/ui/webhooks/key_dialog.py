"""The signing-key vault for one subscription: show, copy or export its key, or enter it.

Calendly never returns a subscription's signing key; the vault holds the keys of the
subscriptions created here. For any other, a key the user knows can be entered and kept.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.secrets import SecretStoreError
from desktop.ui.failures import describe
from desktop.ui.signin.form import ErrorLabel
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.widgets import button, caption, secret_field
from desktop.webhooks.listing import Row
from desktop.webhooks.vault import DEFAULT_ENV_NAME, SigningKeyVault

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def check_known_key(key: str) -> str | None:
    """Why ``key`` cannot be a key Calendly signs with, or None. Milder than the rules for a
    new key: an existing key is whatever its creator chose."""
    if not key:
        return translate(
            "KeyDialog", "Signing key is empty: enter the key this subscription was created with."
        )
    if key != key.strip():
        return translate(
            "KeyDialog", "Signing key begins or ends with a space or line break; remove it."
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        return translate(
            "KeyDialog", "Signing key contains a control character; paste only the key."
        )
    return None


def write_private(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` readable by its owner only (it holds a secret)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as file:
        file.write(content + "\n")
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


class KeyDialog(QDialog):
    """``key_saved(uri)`` after a key entered here was kept in the vault."""

    key_saved = Signal(str)

    def __init__(self, parent: QWidget, state: WebhookState, row: Row) -> None:
        super().__init__(parent)
        assert state.vault is not None, "the key action needs a keyring"
        self.state, self.row = state, row
        self.vault: SigningKeyVault = state.vault
        self.key: str | None = None
        self.save_dialog: QFileDialog | None = None
        self._closed = False
        self.setWindowTitle(self.tr("Signing Key"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("Signing key of the subscription to {url} ({owner})").format(
                url=row.subscription.callback_url, owner=row.owner.label
            )
        )
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)

        self.pages = QStackedWidget()
        self.loading = QLabel(self.tr("Reading the vault…"))
        self.pages.addWidget(self.loading)
        self.pages.addWidget(self._held_page())
        self.pages.addWidget(self._unknown_page())
        layout.addWidget(self.pages)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Result"))
        self.error = ErrorLabel()
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        close = QPushButton(self.tr("C&lose"))
        close.setAccessibleName(self.tr("Close"))
        close.setDefault(True)
        close.clicked.connect(self.reject)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self._loading = state.spawn(self._load(), self.tr("Reading the signing key"))

    # -- building ----------------------------------------------------------------------------
    def _held_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        note = QLabel(
            self.tr(
                "Calendly signs this subscription's deliveries with this key; the receiver "
                "verifies them with it. Keep it secret.",
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.key_edit, self.show_key = secret_field(self.tr("Signing key"), self.tr("Sho&w"))
        self.key_edit.setReadOnly(True)
        layout.addLayout(self._key_row(self.key_edit, self.show_key))
        self.env_name = QLineEdit(DEFAULT_ENV_NAME)
        self.env_name.setAccessibleName(self.tr("Variable name"))
        self.env_name.setAccessibleDescription(self.tr("The name of the key in the .env line"))
        self.env_name.textChanged.connect(lambda _: self.error.setVisible(False))
        name_label = QLabel(self.tr("&Variable name:"))
        name_label.setBuddy(self.env_name)
        names = QHBoxLayout()
        names.addWidget(name_label)
        names.addWidget(self.env_name, 1)
        layout.addLayout(names)
        actions = QHBoxLayout()
        self.copy_button = button(self.tr("&Copy"), self._copy_key, auto_default=False)
        self.copy_env_button = button(
            self.tr("Copy as .&env line"), self._copy_env, auto_default=False
        )
        self.save_env_button = button(
            self.tr("&Save .env file…"), self._choose_file, auto_default=False
        )
        for each in (self.copy_button, self.copy_env_button, self.save_env_button):
            actions.addWidget(each)
        actions.addStretch(1)
        layout.addLayout(actions)
        return page

    def _unknown_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.unknown_note = QLabel(
            self.tr(
                "Unverifiable: Calendly never returns signing keys; we only hold keys created "
                "here. If you know it, enter it:",
            )
        )
        self.unknown_note.setWordWrap(True)
        layout.addWidget(self.unknown_note)
        self.entry, self.show_entry = secret_field(self.tr("Known signing key"), self.tr("Sho&w"))
        self.entry_error = ErrorLabel()
        self.entry.textChanged.connect(lambda _: self.entry_error.setVisible(False))
        layout.addLayout(self._key_row(self.entry, self.show_entry))
        layout.addWidget(self.entry_error)
        self.remember_button = button(self.tr("Save to &vault"), self._remember, auto_default=False)
        layout.addWidget(self.remember_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _key_row(self, edit: QLineEdit, show: QCheckBox) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(caption(self.tr("&Key:"), edit))
        row.addWidget(edit, 1)
        row.addWidget(show)
        return row

    # -- the key -------------------------------------------------------------------------------
    async def _load(self) -> None:
        try:
            key = await self.vault.key_for(self.row.uri)
        except SecretStoreError as error:
            self._say_error(describe(self.tr("Reading the signing key"), error))
            self.pages.setCurrentIndex(2)
            return
        self._show(key)

    def _show(self, key: str | None) -> None:
        self.key = key
        if key is None:
            self.pages.setCurrentIndex(2)
            self.entry.setFocus()
            return
        self.key_edit.setText(key)
        self.pages.setCurrentIndex(1)
        self.copy_button.setFocus()

    @property
    def showing_key(self) -> bool:
        return self.pages.currentIndex() == 1

    def _say_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _done(self, message: str) -> None:
        self._say_error("")
        self.status.setText(message)

    def env_line(self) -> str | None:
        """The key as a ``.env`` entry, or None after saying why it cannot be one."""
        if self.key is None:
            return None
        try:
            return SigningKeyVault.env_line(self.row.uri, self.key, self.env_name.text().strip())
        except ValueError as error:  # never holds the key
            self._say_error(str(error))
            return None

    def _copy_key(self) -> None:
        if self.key is not None:
            QGuiApplication.clipboard().setText(self.key)
            self._done(self.tr("Copied the signing key."))

    def _copy_env(self) -> None:
        line = self.env_line()
        if line is not None:
            QGuiApplication.clipboard().setText(line)
            self._done(self.tr("Copied the .env line."))

    def _choose_file(self) -> None:
        if self.env_line() is None:
            return
        dialog = QFileDialog(self, self.tr("Save .env File"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Environment files (*.env);;All files (*)"))
        dialog.selectFile("calendly-webhook.env")
        dialog.fileSelected.connect(self._save_file)
        dialog.finished.connect(dialog.deleteLater)
        self.save_dialog = dialog
        dialog.open()

    def _save_file(self, chosen: str) -> None:
        line = self.env_line()
        if line is None or not chosen:
            return
        path = Path(chosen)

        async def write() -> None:
            try:
                await asyncio.to_thread(write_private, path, line)
            except OSError as error:
                if self._closed:
                    raise
                self._say_error(
                    self.tr("Could not write {path}: {why}").format(
                        path=str(path), why=error.strerror or type(error).__name__
                    )
                )
                return
            if not self._closed:
                self._done(
                    self.tr("Saved the key to {path} (readable by you only).").format(
                        path=str(path)
                    )
                )

        self.state.spawn(write(), self.tr("Saving the .env file"))

    def _remember(self) -> None:
        key = self.entry.text()
        problem = check_known_key(key)
        if problem is not None:
            self.entry_error.setText(problem)
            self.entry_error.setVisible(True)
            self.entry.setFocus()
            return

        async def save() -> None:
            try:
                await self.state.remember_key(self.row.uri, key)
            except SecretStoreError as error:
                if self._closed:
                    raise
                self._say_error(describe(self.tr("Saving the signing key"), error))
                return
            if self._closed:
                return
            self.entry.clear()
            self._show(key)
            self._done(
                self.tr(
                    "Saved in the vault. Deliveries that fail verification with it mean the "
                    "key is not the one Calendly signs with.",
                )
            )
            self.key_saved.emit(self.row.uri)

        # Not cancelled by closing: a key being saved is saved (the table's Key column follows).
        self.state.spawn(save(), self.tr("Saving the signing key"))

    def done(self, result: int) -> None:
        self._closed = True
        self._loading.cancel()
        super().done(result)
