"""Non-modal messages above the page: what happened, an optional action, and a dismiss."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent, QColor
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.theme import is_dark

log = logging.getLogger(__name__)

Level = Literal["info", "warning", "error"]
Action = tuple[str, Callable[[], None]]  # (button text with its "&" mnemonic, what it does)

# (background, border, text) per level, for light and for dark palettes.
_LIGHT: dict[Level, tuple[str, str, str]] = {
    "info": ("#e3f2fd", "#64b5f6", "#0d1b2a"),
    "warning": ("#fff8e1", "#ffb300", "#1a1a1a"),
    "error": ("#ffebee", "#e57373", "#1a1a1a"),
}
_DARK: dict[Level, tuple[str, str, str]] = {
    "info": ("#10283d", "#1e88e5", "#e3f2fd"),
    "warning": ("#3a2c00", "#ffb300", "#fff8e1"),
    "error": ("#3b1114", "#e57373", "#ffebee"),
}
_RESTYLE_EVENTS = frozenset(
    {QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.ParentChange}
)


class Message(QFrame):
    """One message row; ``key`` lets a newer message of the same kind replace it.

    Its colours follow the light or dark palette of the window it sits in, also when the
    colour scheme changes while it is shown.
    """

    def __init__(
        self,
        key: str,
        text: str,
        level: Level,
        action: Action | None,
        on_dismiss: Callable[[Message], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.level = level
        self._on_dismiss = on_dismiss
        self._dark: bool | None = None  # the scheme the current style sheet was made for
        self.setObjectName(f"message-{level}")
        self.setAccessibleName(self._level_name())
        self.setAccessibleDescription(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Message text"))
        layout.addWidget(self.label, 1)
        self.action_button: QPushButton | None = None
        self._callback: Callable[[], None] | None = None
        if action is not None:
            caption, self._callback = action
            button = QPushButton(caption)
            button.setAccessibleName(caption.replace("&", ""))
            button.clicked.connect(self._act)
            layout.addWidget(button)
            self.action_button = button
        close = QPushButton(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss message"))
        close.clicked.connect(lambda: self._on_dismiss(self))
        layout.addWidget(close)
        self.dismiss_button = close
        self.restyle()

    @property
    def text(self) -> str:
        return self.label.text()

    @property
    def dark(self) -> bool:
        """Whether the message is drawn in its dark-scheme colours."""
        return bool(self._dark)

    def colours(self) -> tuple[QColor, QColor, QColor]:
        """(background, border, text) as currently drawn."""
        background, border, text_colour = (_DARK if self._dark else _LIGHT)[self.level]
        return QColor(background), QColor(border), QColor(text_colour)

    def restyle(self) -> None:
        """Pick the light or dark colours from the surroundings' palette (if they changed)."""
        surroundings = self.parentWidget()
        dark = is_dark(surroundings) if surroundings is not None else _app_is_dark()
        if dark == self._dark:
            return  # also ends the PaletteChange that setStyleSheet itself sends
        self._dark = dark
        background, border, text_colour = (_DARK if dark else _LIGHT)[self.level]
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background: {background}; border: 1px solid "
            f"{border}; border-radius: 4px; }} QLabel {{ color: {text_colour}; }}"
        )

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in _RESTYLE_EVENTS and hasattr(self, "_dark"):
            self.restyle()  # (hasattr: Qt may send these while __init__ is still running)
        return handled

    def announce(self) -> None:
        """Tell screen readers a message appeared; never raises (accessibility is best effort)."""
        try:
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))
            announcement = QAccessibleAnnouncementEvent(
                self, f"{self.accessibleName()}: {self.text}"
            )
            if self.level == "error":
                announcement.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
            QAccessible.updateAccessibility(announcement)
        except Exception:  # a platform bridge's failure must not lose the message itself
            log.debug("could not announce message %r", self.key, exc_info=True)

    def _level_name(self) -> str:
        names = {
            "info": self.tr("Information"),
            "warning": self.tr("Warning"),
            "error": self.tr("Error"),
        }
        return names[self.level]

    def _act(self) -> None:
        """The action button: the message goes first, so the action may show a new one."""
        callback = self._callback
        self._on_dismiss(self)
        if callback is not None:
            callback()


class MessageBar(QWidget):
    """A stack of messages; never blocks, never steals focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 0)
        self._layout.setSpacing(4)
        self.setVisible(False)

    def show_message(
        self,
        key: str,
        text: str,
        level: Level = "info",
        action: Action | None = None,
    ) -> Message:
        """Show ``text``, replacing any message with the same ``key``, and announce it."""
        self.dismiss(key)
        message = Message(key, text, level, action, self._remove, self)
        self._layout.addWidget(message)
        self.setVisible(True)
        message.announce()
        return message

    def messages(self) -> list[Message]:
        found = []
        for index in range(self._layout.count()):
            item = self._layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, Message):
                found.append(widget)
        return found

    def texts(self) -> list[str]:
        return [message.text for message in self.messages()]

    def dismiss(self, key: str) -> None:
        for message in self.messages():
            if message.key == key:
                self._remove(message)

    def dismiss_prefix(self, prefix: str) -> None:
        """Remove every message whose key starts with ``prefix`` (e.g. all "failed:" ones)."""
        for message in self.messages():
            if message.key.startswith(prefix):
                self._remove(message)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A message's own style sheet fixes its palette, so Qt stops telling it about changes.
        if event.type() == QEvent.Type.PaletteChange:
            for message in self.messages():
                message.restyle()

    def _remove(self, message: Message) -> None:
        if message not in self.messages():
            return  # already gone (dismissed twice, or replaced by its own action)
        self._layout.removeWidget(message)
        message.hide()
        message.deleteLater()
        self.setVisible(bool(self.messages()))


def _app_is_dark() -> bool:
    app = QApplication.instance()
    return isinstance(app, QApplication) and is_dark(app)
