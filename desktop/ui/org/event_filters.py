"""Filter controls of the Scheduled events page: the invitee e-mail field and the choice combos."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.signin.form import FieldMessage

# Deliberately simple (one @, a dot in the domain): Calendly checks the rest.
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class InviteeEmailFilter(QWidget):
    """An address applied with Enter (or on leaving the field); ``changed`` when the applied
    address changes. A malformed one is refused with a message under the field, kept as
    typed, and the address in force stays."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("invitee@example.com"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName(self.tr("Invitee e-mail"))
        self.edit.setAccessibleDescription(
            self.tr("Only meetings with an invitee of this address; press Enter to apply")
        )
        self.edit.returnPressed.connect(self.apply)
        self.edit.editingFinished.connect(self.apply)
        self.message = FieldMessage(self.edit)
        self.edit.textChanged.connect(self.message.clear_message)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.edit)
        column.addWidget(self.message)
        self.setFocusProxy(self.edit)
        self._value: str | None = None

    def value(self) -> str | None:
        """The address in force (lower case), or None for any invitee."""
        return self._value

    def apply(self) -> None:
        text = self.edit.text().strip().lower()
        if text and not _EMAIL.match(text):
            self.message.show_message(
                self.tr("Invitee e-mail: enter a whole address, like ana@example.com.")
            )
            return
        self.message.clear_message()
        wanted = text or None
        if wanted != self._value:
            self._value = wanted
            self.changed.emit()


def filter_combo(name: str, description: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setAccessibleDescription(description)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMaxVisibleItems(20)
    return combo


def refill(combo: QComboBox, first: str, items: list[tuple[str, str]]) -> bool:
    """New choices after ``first`` (data None), keeping the one chosen, without signals.

    Returns False when the chosen one is gone (the combo is back on ``first``)."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(first, None)
    for text, value in items:
        combo.addItem(text, value)
    index = combo.findData(chosen) if chosen is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    combo.setToolTip("")
    combo.setEnabled(True)
    return chosen is None or index >= 0


def keep_first(combo: QComboBox) -> None:
    """Only the first choice ("Everyone"), chosen, without signals."""
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(combo.count() - 1)
    combo.setCurrentIndex(0)
    combo.blockSignals(False)
