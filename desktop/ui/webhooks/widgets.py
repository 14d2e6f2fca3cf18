"""Small widget helpers the Webhooks page's parts share: notes, captions, buttons, fields."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def note_label(content: str) -> QLabel:
    """A wrapped plain-text note, shown only when it says something."""
    label = QLabel(content)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setVisible(bool(content))
    return label


def text_label(name: str, *, selectable: bool = True) -> QLabel:
    """An empty wrapped plain-text label that screen readers call ``name``."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def text_view(name: str, *, wrap: bool = True) -> QPlainTextEdit:
    """A read-only text box called ``name`` (long lines wrapped, or scrolled sideways)."""
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    if not wrap:
        edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    edit.setAccessibleName(name)
    return edit


def caption(text: str, buddy: QWidget) -> QLabel:
    """A field's caption; its ``&`` letter moves the focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def button(
    text: str, slot: Callable[[], object], description: str = "", *, auto_default: bool = True
) -> QPushButton:
    """A push button named for screen readers by its text (without ``&`` and ``…``)."""
    made = QPushButton(text)
    made.setAccessibleName(text.replace("&", "").replace("…", ""))
    if description:
        made.setAccessibleDescription(description)
    made.setAutoDefault(auto_default)
    made.clicked.connect(slot)
    return made


def with_message(field: QWidget, message: QWidget) -> QWidget:
    """``field`` with its message under it, as one form cell (focus goes to the field)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(message)
    box.setFocusProxy(field)
    return box


def secret_field(name: str, show_text: str) -> tuple[QLineEdit, QCheckBox]:
    """A line edit for a secret, in password echo mode, and the check box that shows it."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    show = QCheckBox(show_text)
    show.setAccessibleName(QCoreApplication.translate("SecretField", "Show the signing key"))
    show.toggled.connect(
        lambda shown: edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
    )
    return edit, show
