"""The status bar's connection panel: profile, user, organization, environment, API budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QStatusBar

from desktop.profiles import Profile
from desktop.ui.theme import readable_text_color

if TYPE_CHECKING:
    from desktop.api.ratelimit import BudgetSnapshot
    from desktop.connection.identity import Identity


class ConnectionStatus:
    """Labels added to a QStatusBar; ``show`` fills them, ``set_budget`` keeps the budget live."""

    def __init__(self, bar: QStatusBar) -> None:
        self.profile = self._label(
            bar, "profile", QCoreApplication.translate("ConnectionStatus", "Profile")
        )
        self.user = self._label(
            bar, "user", QCoreApplication.translate("ConnectionStatus", "Signed-in user")
        )
        self.organization = self._label(
            bar, "organization", QCoreApplication.translate("ConnectionStatus", "Organization")
        )
        self.environment = self._label(
            bar, "environment", QCoreApplication.translate("ConnectionStatus", "Environment")
        )
        self.budget = self._label(
            bar, "budget", QCoreApplication.translate("ConnectionStatus", "Remaining API requests")
        )
        self._bar = bar
        self._snapshot: BudgetSnapshot | None = None
        self._ticker = QTimer(bar)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._render_budget)
        self._elapsed = 0.0
        self.clear()

    @staticmethod
    def _label(bar: QStatusBar, name: str, accessible: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"status-{name}")
        label.setAccessibleName(accessible)
        label.setContentsMargins(6, 0, 6, 0)
        bar.addPermanentWidget(label)
        return label

    def clear(self) -> None:
        for label in (self.profile, self.user, self.organization, self.environment, self.budget):
            label.clear()
            label.setVisible(False)
        self._ticker.stop()
        self._snapshot = None

    def show(self, profile: Profile, identity: Identity, environment: str) -> None:
        colour = profile.colour
        self.profile.setText(profile.name)
        self.profile.setStyleSheet(
            f"QLabel {{ background: {colour}; "
            f"color: {readable_text_color(QColor(colour)).name()}; "
            "border-radius: 3px; padding: 1px 6px; }"
        )
        self.profile.setToolTip(
            QCoreApplication.translate("ConnectionStatus", "Profile: {name}").format(
                name=profile.name
            )
        )
        role = identity.role or QCoreApplication.translate("ConnectionStatus", "role unknown")
        self.user.setText(
            QCoreApplication.translate("ConnectionStatus", "{name} ({role})").format(
                name=identity.user_name or identity.user_email, role=role
            )
        )
        self.user.setToolTip(identity.user_email)
        self.organization.setText(
            identity.organization_name
            or QCoreApplication.translate("ConnectionStatus", "Organization")
        )
        self.organization.setToolTip(identity.organization_uri)
        self.environment.setText(
            QCoreApplication.translate("ConnectionStatus", "Sandbox")
            if environment == "sandbox"
            else environment
        )
        self.environment.setToolTip(
            QCoreApplication.translate(
                "ConnectionStatus",
                "The built-in sandbox: a local Calendly with a demo organization",
            )
            if environment == "sandbox"
            else QCoreApplication.translate("ConnectionStatus", "Connected to {host}").format(
                host=environment
            )
        )
        for label in (self.profile, self.user, self.organization, self.environment):
            label.setVisible(True)
        self.set_budget(None)

    def set_budget(self, snapshot: BudgetSnapshot | None) -> None:
        """Called when the client learns Calendly's X-RateLimit-* figures."""
        self._snapshot = snapshot
        self._elapsed = 0.0
        self._render_budget(tick=False)
        if snapshot is not None and snapshot.resets_in:
            self._ticker.start()

    def _render_budget(self, tick: bool = True) -> None:
        snapshot = self._snapshot
        if tick:
            self._elapsed += 1.0
        if snapshot is None or snapshot.remaining is None:
            self.budget.setText(
                QCoreApplication.translate("ConnectionStatus", "API budget: not reported yet")
            )
            self.budget.setVisible(snapshot is not None or self.profile.isVisible())
            self._ticker.stop()
            return
        locale = QLocale()
        text = QCoreApplication.translate(
            "ConnectionStatus", "API budget: {left} of {limit} left"
        ).format(
            left=locale.toString(snapshot.remaining),
            limit=locale.toString(snapshot.limit) if snapshot.limit is not None else "?",
        )
        if snapshot.resets_in is not None:
            seconds = max(0, round(snapshot.resets_in - self._elapsed))
            if seconds > 0:
                text += QCoreApplication.translate(
                    "ConnectionStatus", ", resets in {seconds} s"
                ).format(seconds=locale.toString(seconds))
            else:
                self._ticker.stop()
        self.budget.setText(text)
        self.budget.setVisible(True)


def widget_texts(bar: QStatusBar) -> list[str]:
    """The visible texts of the panel's labels (for tests and accessibility checks)."""
    return [
        label.text()
        for label in bar.findChildren(QLabel)
        if label.objectName().startswith("status-") and not label.isHidden()
    ]
