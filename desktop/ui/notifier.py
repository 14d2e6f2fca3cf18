"""Desktop notifications: a system-tray balloon where the desktop has a tray, and always a
message in the window's bar (so nothing is missed on desktops without one, or offscreen)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.ui.message_bar import Action, Level, MessageBar

_TRAY_ICONS = {
    "info": QSystemTrayIcon.MessageIcon.Information,
    "warning": QSystemTrayIcon.MessageIcon.Warning,
    "error": QSystemTrayIcon.MessageIcon.Critical,
}
BALLOON_MS = 15_000


@dataclass(frozen=True)
class Notification:
    key: str  # a newer notification with the same key replaces the older one in the bar
    title: str
    text: str
    level: Level = "warning"


class Notifier(QObject):
    """Tells the user something happened while they may be looking elsewhere.

    ``clicked(key)`` fires when the user clicks the tray balloon of a notification (the app
    brings its window forward and shows the page concerned). ``sent`` keeps what was said in
    this run, newest last, for the window's own history and for tests.
    """

    clicked = Signal(str)

    def __init__(self, messages: MessageBar, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._messages = messages
        self._icon = icon
        self._tray: QSystemTrayIcon | None = None
        self._last_key = ""
        self.sent: list[Notification] = []

    @property
    def has_tray(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()

    def notify(self, notification: Notification, action: Action | None = None) -> None:
        """Show ``notification`` in the tray (when there is one) and in the message bar."""
        self.sent.append(notification)
        self._messages.show_message(
            notification.key,
            f"{notification.title}: {notification.text}",
            notification.level,
            action,
        )
        tray = self._tray_icon()
        if tray is not None:
            self._last_key = notification.key
            tray.showMessage(
                notification.title, notification.text, _TRAY_ICONS[notification.level], BALLOON_MS
            )

    def withdraw(self, key: str) -> None:
        """The condition is over (a webhook recovered): take its message down."""
        self._messages.dismiss(key)

    def _tray_icon(self) -> QSystemTrayIcon | None:
        if not self.has_tray:
            return None
        if self._tray is None:
            self._tray = QSystemTrayIcon(self._icon, self)
            self._tray.setToolTip(self.tr("Calendly Console"))
            self._tray.messageClicked.connect(lambda: self.clicked.emit(self._last_key))
            self._tray.activated.connect(lambda _reason: self.clicked.emit(self._last_key))
        self._tray.show()
        return self._tray
