"""The first screen without a profile: three ways in, the sandbox first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCommandLinkButton, QLabel, QPushButton, QVBoxLayout, QWidget

COLUMN_WIDTH = 560


class WelcomePage(QWidget):
    sandbox_chosen = Signal()
    oauth_chosen = Signal()
    token_chosen = Signal()
    back_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(10)
        title = QLabel(self.tr("<h1>Welcome to Calendly Console</h1>"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        blurb = QLabel(
            self.tr(
                "Manage your organization's members, event types, scheduled events and webhook "
                "subscriptions, and book meetings on behalf of others."
            )
        )
        blurb.setWordWrap(True)
        blurb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(title)
        column.addWidget(blurb)
        self.sandbox_button = self._choice(
            self.tr("&Try the sandbox"),
            self.tr(
                "A local Calendly with a demo organization, on this computer. No account needed."
            ),
        )
        self.oauth_button = self._choice(
            self.tr("Sign in with &Calendly"),
            self.tr("Sign in in your web browser (OAuth). Needs an OAuth app's client ID."),
        )
        self.token_button = self._choice(
            self.tr("Use a &personal access token"),
            self.tr("Paste a token from Calendly: Integrations & apps → API and webhooks."),
        )
        for button in (self.sandbox_button, self.oauth_button, self.token_button):
            column.addWidget(button)
        self.sandbox_button.clicked.connect(self.sandbox_chosen)
        self.oauth_button.clicked.connect(self.oauth_chosen)
        self.token_button.clicked.connect(self.token_chosen)
        self.sandbox_button.setDefault(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        column.addWidget(self.notice)
        self.back_button = QPushButton(self.tr("&Back to the current profile"))
        self.back_button.setAccessibleName(self.tr("Back to the current profile"))
        self.back_button.clicked.connect(self.back_chosen)
        self.back_button.setVisible(False)
        column.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        holder = QWidget()
        holder.setLayout(column)
        holder.setFixedWidth(COLUMN_WIDTH)
        outer.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def _choice(self, text: str, description: str) -> QCommandLinkButton:
        # The description is drawn like a button text: "&" would turn into a mnemonic.
        button = QCommandLinkButton(text, description.replace("&", "&&"))
        # Inside a centred column the layout gives a button its size hint, which is computed
        # for a narrow width: ask for the height the description needs at the column's width.
        button.setMinimumHeight(button.heightForWidth(COLUMN_WIDTH))
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(description)
        return button

    def set_notice(self, text: str | None) -> None:
        """A line under the choices (e.g. no keyring, or why sign-in is needed again)."""
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))

    def set_can_go_back(self, can: bool) -> None:
        self.back_button.setVisible(can)

    def focus_default(self) -> None:
        self.sandbox_button.setFocus()
