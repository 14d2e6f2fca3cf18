"""The subscriptions table's actions: their shortcuts, when each is available, and why not."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from desktop.ui.webhooks import subscription_text as text

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def _action(
    owner: QWidget, toolbar: QToolBar, label: str, keys: str | QKeySequence.StandardKey
) -> QAction:
    action = QAction(label, owner)
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    toolbar.addAction(action)
    owner.addAction(action)  # its shortcut works anywhere in the table, not only the bar
    return action


@dataclass(frozen=True)
class SubscriptionActions:
    new: QAction
    edit: QAction
    revive: QAction
    delete: QAction
    key: QAction
    test: QAction
    copy: QAction

    @classmethod
    def build(cls, owner: QWidget, toolbar: QToolBar) -> SubscriptionActions:
        made = cls(
            new=_action(owner, toolbar, translate("SubscriptionsTable", "&New…"), "Ctrl+N"),
            edit=_action(owner, toolbar, translate("SubscriptionsTable", "&Edit…"), "Ctrl+E"),
            revive=_action(
                owner, toolbar, translate("SubscriptionsTable", "Re&vive…"), "Ctrl+Shift+R"
            ),
            delete=_action(
                owner,
                toolbar,
                translate("SubscriptionsTable", "&Delete…"),
                QKeySequence.StandardKey.Delete,
            ),
            key=_action(owner, toolbar, translate("SubscriptionsTable", "Signing &key…"), "Ctrl+K"),
            test=_action(owner, toolbar, translate("SubscriptionsTable", "Send &test…"), "Ctrl+T"),
            copy=_action(
                owner, toolbar, translate("SubscriptionsTable", "&Copy URL"), "Ctrl+Shift+C"
            ),
        )
        made.new.setToolTip(translate("SubscriptionsTable", "Create a subscription"))
        return made

    def update(self, selected: int, disabled: bool, vault: bool) -> list[str]:
        """Enable what works for a selection of ``selected`` rows (``disabled``: the one
        selected is disabled; ``vault``: a keyring keeps keys); the reasons for the rest."""
        one = selected == 1
        self.new.setEnabled(True)
        for action in (self.edit, self.delete, self.test, self.copy):
            action.setEnabled(one)
        self.revive.setEnabled(one and disabled)
        self.key.setEnabled(one and vault)
        self.revive.setToolTip(
            translate(
                "SubscriptionsTable",
                "Create it again with the same settings, then delete the disabled one",
            )
            if one and disabled
            else translate("SubscriptionsTable", "Only a disabled subscription can be revived")
        )
        pick = translate("SubscriptionsTable", "Select one subscription first")
        for action, tip in (
            (
                self.edit,
                translate("SubscriptionsTable", "Change it: a new subscription replaces this one"),
            ),
            (
                self.delete,
                translate("SubscriptionsTable", "Delete it in Calendly: deliveries stop"),
            ),
            (self.test, translate("SubscriptionsTable", "Send it a signed test delivery")),
            (self.copy, translate("SubscriptionsTable", "Copy its callback URL")),
            (
                self.key,
                translate(
                    "SubscriptionsTable", "Show, copy or export its signing key, or enter it"
                ),
            ),
        ):
            action.setToolTip(tip if action.isEnabled() else pick)
        if one and not vault:
            self.key.setToolTip(text.no_keyring())
        return text.unavailable(selected, one and disabled, vault)
