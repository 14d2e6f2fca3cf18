"""The test sender's signing key: none, one typed in, or a subscription's key from the vault."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from desktop.ui.signin.form import FieldMessage
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.widgets import secret_field

NONE, ENTERED = "", "\x00entered"  # key sources besides a subscription's URI


class SigningKeyChooser(QWidget):
    """Where the key comes from (``source``), the key typed in (``key``) and its message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        self.source.setAccessibleName(self.tr("Signing key"))
        self.source.currentIndexChanged.connect(self._source_changed)
        self.key, self.show_key = secret_field(self.tr("Entered signing key"), self.tr("S&how"))
        self.message = FieldMessage(self.key)
        self.key.textChanged.connect(lambda _text: self.message.clear_message())
        keys = QHBoxLayout()
        keys.addWidget(self.source, 1)
        keys.addWidget(self.key, 1)
        keys.addWidget(self.show_key)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(keys)
        column.addWidget(self.message)
        self.setFocusProxy(self.source)
        self.fill(None)

    def fill(self, state: WebhookState | None) -> None:
        """Offer the vault keys of ``state``'s listing (the choice made stays if it still can)."""
        current = self.source.currentData()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(self.tr("None: send unsigned"), NONE)
        self.source.addItem(self.tr("Enter a key"), ENTERED)
        for row in state.keyed_rows() if state is not None else ():
            label = self.tr("Vault key of {url} ({owner})").format(
                url=row.subscription.callback_url, owner=row.owner.label
            )
            self.source.addItem(label, row.uri)
        index = self.source.findData(current)
        self.source.setCurrentIndex(max(index, 0))
        self.source.blockSignals(False)
        self._source_changed()

    def _source_changed(self, *_: object) -> None:
        entered = self.source.currentData() == ENTERED
        self.key.setEnabled(entered)
        self.show_key.setEnabled(entered)
        self.message.clear_message()

    @property
    def from_vault(self) -> bool:
        """Whether the key is to be a subscription's key from the vault."""
        return self.source.currentData() not in (NONE, ENTERED)

    async def signing_key(self, state: WebhookState | None) -> str | None:
        source = self.source.currentData()
        if source == NONE:
            return None
        if source == ENTERED:
            return self.key.text().strip() or None
        if state is None or state.vault is None:
            return None
        return await state.vault.key_for(str(source))
