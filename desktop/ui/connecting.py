"""The screen while a profile connects, and when it could not: retry or choose another way."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class ConnectingPage(QWidget):
    cancel_chosen = Signal()
    retry_chosen = Signal()
    elsewhere_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connecting")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: how long a start-up takes is unknown
        self.progress.setAccessibleName(self.tr("Connecting"))
        self.progress.setMaximumWidth(360)
        layout.addWidget(self.status)
        layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = self._button(self.tr("&Cancel"), self.cancel_chosen)
        self.retry_button = self._button(self.tr("&Retry"), self.retry_chosen)
        self.elsewhere_button = self._button(
            self.tr("Choose &another way in"), self.elsewhere_chosen
        )
        for button in (self.cancel_button, self.retry_button, self.elsewhere_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def _button(self, text: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(signal)
        return button

    def show_busy(self, text: str, *, cancellable: bool = True) -> None:
        self.status.setText(text)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(cancellable)
        self.retry_button.setVisible(False)
        self.elsewhere_button.setVisible(False)
        if cancellable:
            self.cancel_button.setFocus()

    def show_failure(self, text: str, retry_text: str | None = None) -> None:
        self.status.setText(text)
        caption = retry_text or self.tr("&Retry")
        self.retry_button.setText(caption)
        self.retry_button.setAccessibleName(caption.replace("&", ""))
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.retry_button.setVisible(True)
        self.elsewhere_button.setVisible(True)
        self.retry_button.setDefault(True)
        self.retry_button.setFocus()
