"""Non-modal messages above the page: what happened, an optional action, and a dismiss."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.theme import is_dark

Level = Literal["info", "warning", "error"]

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


class Message(QFrame):
    """One message row; ``key`` lets a newer message of the same kind replace it."""

    def __init__(
        self,
        key: str,
        text: str,
        level: Level,
        action: tuple[str, Callable[[], None]] | None,
        on_dismiss: Callable[[Message], None],
    ) -> None:
        super().__init__()
        self.key = key
        self.level = level
        self.setObjectName(f"message-{level}")
        background, border, text_colour = (_DARK if is_dark(self) else _LIGHT)[level]
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background: {background}; border: 1px solid "
            f"{border}; border-radius: 4px; }} QLabel {{ color: {text_colour}; }}"
        )
        self.setAccessibleName(self.tr("Message"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Message text"))
        layout.addWidget(self.label, 1)
        self.action_button: QPushButton | None = None
        if action is not None:
            caption, callback = action
            button = QPushButton(caption)
            button.setAccessibleName(caption.replace("&", ""))
            button.clicked.connect(callback)
            button.clicked.connect(lambda: on_dismiss(self))
            layout.addWidget(button)
            self.action_button = button
        close = QPushButton(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss message"))
        close.clicked.connect(lambda: on_dismiss(self))
        layout.addWidget(close)
        self.dismiss_button = close

    @property
    def text(self) -> str:
        return self.label.text()


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
        action: tuple[str, Callable[[], None]] | None = None,
    ) -> Message:
        self.dismiss(key)
        message = Message(key, text, level, action, self._remove)
        self._layout.addWidget(message)
        self.setVisible(True)
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

    def _remove(self, message: Message) -> None:
        self._layout.removeWidget(message)
        message.hide()
        message.deleteLater()
        self.setVisible(bool(self.messages()))
