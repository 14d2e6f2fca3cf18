"""A subscription's signing key in its form: keep the held one, generate one, or enter one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.signin.form import ErrorLabel
from desktop.ui.webhooks import subscription_text as text
from desktop.ui.webhooks.widgets import note_label, secret_field

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


class KeyChoice(QGroupBox):
    """``held``: the vault holds the key of the subscription being replaced (it can be kept);
    ``replacing``: an edit or a revive (without a held key, a new one is generated)."""

    def __init__(self, *, held: bool, replacing: bool, parent: QWidget | None = None) -> None:
        super().__init__(translate("SubscriptionDialog", "Signing key"), parent)
        keys = QVBoxLayout(self)
        self.keep_key = QRadioButton(
            translate("SubscriptionDialog", "&Keep the key held for this subscription")
        )
        self.generate_key = QRadioButton(
            translate("SubscriptionDialog", "Ge&nerate a new key (256 bits)")
        )
        self.enter_key = QRadioButton(translate("SubscriptionDialog", "En&ter a key"))
        self.key_choice = QButtonGroup(self)
        for radio in (self.keep_key, self.generate_key, self.enter_key):
            radio.setAccessibleName(radio.text().replace("&", ""))
            self.key_choice.addButton(radio)
            keys.addWidget(radio)
        self.keep_key.setVisible(held)
        (self.keep_key if held else self.generate_key).setChecked(True)
        self.key_edit, self.show_key = secret_field(
            translate("SubscriptionDialog", "Signing key"),
            translate("SubscriptionDialog", "Sho&w key"),
        )
        self.key_edit.setAccessibleDescription(
            translate(
                "SubscriptionDialog",
                "At least 32 letters, digits or punctuation; shared with the receiver",
            )
        )
        self.key_note = note_label(text.new_key_note() if replacing and not held else "")
        self.key_error = ErrorLabel()
        for widget in (self.key_edit, self.show_key, self.key_note, self.key_error):
            keys.addWidget(widget)
        self.key_choice.buttonToggled.connect(lambda *_: self._mode_changed())
        self._mode_changed()

    def _mode_changed(self) -> None:
        entering = self.enter_key.isChecked()
        self.key_edit.setEnabled(entering)
        self.show_key.setEnabled(entering)
        self.key_error.setVisible(False)

    def show_new_key(self, key: str) -> None:
        """Show ``key`` (one the vault could not keep) so that it can be copied now."""
        self.enter_key.setChecked(True)
        self.key_edit.setText(key)
        self.show_key.setChecked(True)
