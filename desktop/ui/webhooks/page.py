"""The Webhooks page: a health bar over five tabs — subscriptions of every scope, the local
receiver's inspector, the test sender, the signature verifier and recovery — sharing one state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec, ShellPage, rights_note
from desktop.ui.webhooks.health_bar import HealthBar
from desktop.ui.webhooks.inspector import InspectorPanel
from desktop.ui.webhooks.recover_panel import RecoverPanel
from desktop.ui.webhooks.sender_panel import SenderPanel
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.subscriptions import SubscriptionsTable
from desktop.ui.webhooks.verifier import VerifierPanel
from desktop.ui.webhooks.watch import WebhookWatch


class Part(Protocol):
    def bind(self, context: PageContext, state: WebhookState) -> None: ...
    def unbind(self) -> None: ...
    def refresh(self) -> None: ...


class WebhooksPage(ShellPage):
    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.state: WebhookState | None = None
        self.health = HealthBar()
        self.subscriptions = SubscriptionsTable()
        self.inspector = InspectorPanel()
        self.test_sender = SenderPanel()
        self.verifier = VerifierPanel()
        self.recover = RecoverPanel()
        self.recover.inbox_from = lambda: self.inspector.inbox  # one inbox, not two
        self.watch = WebhookWatch(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(spec.title)
        self.tabs.tabBar().setAccessibleName(self.tr("Webhooks sections"))
        self.tabs.addTab(self.subscriptions, self.tr("Subscriptions"))
        self.tabs.addTab(self.inspector, self.tr("Inspector"))
        self.tabs.addTab(self.test_sender, self.tr("Test sender"))
        self.tabs.addTab(self.verifier, self.tr("Verify"))
        self.tabs.addTab(self.recover, self.tr("Recover"))
        self.rights = QLabel()  # what a member without admin rights sees here
        self.rights.setWordWrap(True)
        self.rights.setTextFormat(Qt.TextFormat.PlainText)
        self.rights.setAccessibleName(self.tr("What your role lets you see"))
        self.rights.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rights)
        layout.addWidget(self.health)
        layout.addWidget(self.tabs, 1)
        self._wire()

    def _wire(self) -> None:
        self.health.attach_watch(self.watch)  # its controls and last-check line follow it
        self.health.revive_requested.connect(self._revive)
        self.health.show_requested.connect(self._show_subscription)
        self.watch.revive_requested.connect(self._revive)
        self.watch.show_requested.connect(self._show_subscription)
        self.subscriptions.test_requested.connect(self._test)
        self.inspector.subscribe_requested.connect(self._subscribe)

    @property
    def parts(self) -> tuple[Part, ...]:
        return (
            self.watch,
            self.health,
            self.inspector,
            self.test_sender,
            self.verifier,
            self.recover,
        )

    # -- the shell's calls ----------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        if self.state is not None:
            self.unbind()
        note = rights_note(self.spec, context)
        self.rights.setText(note)
        self.rights.setVisible(bool(note))
        self.state = WebhookState(context, parent=self)
        self.subscriptions.set_state(self.state)
        self.subscriptions.bind(context)
        for part in self.parts:
            part.bind(context, self.state)

    def unbind(self) -> None:
        for part in self.parts:
            part.unbind()
        self.subscriptions.unbind()
        self.rights.setVisible(False)
        if self.state is not None:
            self.state.close()  # what the parts started on this connection ends with it
            self.state.deleteLater()
            self.state = None

    def refresh(self) -> None:
        self.subscriptions.refresh()  # lists again; the health bar follows the new listing
        for part in (self.inspector, self.test_sender, self.verifier, self.recover):
            part.refresh()

    def apply_hint(self, hint: Mapping[str, Any]) -> None:
        """The Overview's webhook cards: the subscriptions in one state, every scope and event."""
        self.tabs.setCurrentWidget(self.subscriptions)
        self.subscriptions.apply_hint(hint)
        boxes = self.subscriptions.filter_boxes
        boxes.clear()
        if "state" in hint:
            boxes.state_box.setCurrentIndex(max(0, boxes.state_box.findData(hint.get("state"))))

    # -- between the parts ------------------------------------------------------------------
    def _revive(self, uri: str) -> None:
        self.tabs.setCurrentWidget(self.subscriptions)
        self.subscriptions.revive(uri)

    def _show_subscription(self, uri: str) -> None:
        self.tabs.setCurrentWidget(self.subscriptions)
        self.subscriptions.show_subscription(uri)

    def _test(self, row: object) -> None:
        self.test_sender.use_subscription(row)
        self.tabs.setCurrentWidget(self.test_sender)

    def _subscribe(self, url: str) -> None:
        self.tabs.setCurrentWidget(self.subscriptions)
        self.subscriptions.open_create(url)


def build_webhooks_page(spec: PageSpec) -> WebhooksPage:
    return WebhooksPage(spec)
