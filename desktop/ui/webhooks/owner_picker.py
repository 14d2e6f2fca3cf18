"""Whose events a new subscription delivers: the organization, one group or one member."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import ErrorLabel
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.subscription_actions import owner_for
from desktop.ui.webhooks.widgets import note_label
from desktop.webhooks.listing import Owner, Row

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


class OwnerPicker(QGroupBox):
    """The scope (``scope_combo``) and, for a group or a member, which one; a member who is
    not an admin may only subscribe for themselves."""

    def __init__(
        self, context: PageContext, state: WebhookState, parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("SubscriptionDialog", "Whose events"), parent)
        self.context, self.state = context, state
        self.is_admin = context.connection.identity.is_admin
        grid = QGridLayout(self)
        self.scope_combo = QComboBox()
        self.scope_combo.setAccessibleName(translate("SubscriptionDialog", "Subscribe for"))
        self.scope_combo.setAccessibleDescription(
            translate(
                "SubscriptionDialog",
                "The organization, one group, or one member: whose events are delivered",
            )
        )
        if self.is_admin:
            self.scope_combo.addItem(
                translate("SubscriptionDialog", "The organization"), "organization"
            )
            self.scope_combo.addItem(translate("SubscriptionDialog", "A group"), "group")
        self.scope_combo.addItem(translate("SubscriptionDialog", "A member (user scope)"), "user")
        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName(translate("SubscriptionDialog", "Group"))
        self.member_combo = QComboBox()
        self.member_combo.setAccessibleName(translate("SubscriptionDialog", "Member"))
        self._fill_owners()
        self.group_label = QLabel(translate("SubscriptionDialog", "&Group:"))
        self.member_label = QLabel(translate("SubscriptionDialog", "&Member:"))
        pairs = (
            (QLabel(translate("SubscriptionDialog", "Subscribe &for:")), self.scope_combo),
            (self.group_label, self.group_combo),
            (self.member_label, self.member_combo),
        )
        for number, (label, combo) in enumerate(pairs):
            label.setBuddy(combo)
            grid.addWidget(label, number, 0)
            grid.addWidget(combo, number, 1)
        self.scope_note = note_label(
            ""
            if self.is_admin
            else translate(
                "SubscriptionDialog",
                "Only organization admins and owners can subscribe for the organization, a "
                "group or other members: this subscription is for you.",
            )
        )
        self.scope_error = ErrorLabel()
        grid.addWidget(self.scope_note, 3, 0, 1, 2)
        grid.addWidget(self.scope_error, 4, 0, 1, 2)
        self.scope_combo.currentIndexChanged.connect(lambda _: self._show_owner())
        self._show_owner()

    def _fill_owners(self) -> None:
        listing = self.state.listing
        if self.is_admin and listing is not None:
            for group in sorted(listing.groups, key=lambda g: g.name.casefold()):
                self.group_combo.addItem(group.name, group.uri)
            for member in sorted(listing.members, key=lambda m: m.user.name.casefold()):
                user = member.user
                self.member_combo.addItem(f"{user.name} <{user.email}>", user.uri)
        else:
            identity = self.context.connection.identity
            shown = f"{identity.user_name} <{identity.user_email}>".strip()
            self.member_combo.addItem(
                translate("SubscriptionDialog", "Me: {name}").format(name=shown), identity.user_uri
            )

    def prefill(self, row: Row) -> None:
        """The scope and owner of ``row``'s subscription (kept even when no longer listed)."""
        sub = row.subscription
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(sub.scope)))
        owner = row.owner
        combo = {"group": self.group_combo, "user": self.member_combo}.get(sub.scope)
        if combo is not None:
            if combo.findData(owner.uri) < 0:  # a former member, a group not listed
                combo.addItem(owner.label, owner.uri)
            combo.setCurrentIndex(combo.findData(owner.uri))

    @property
    def scope(self) -> str:
        return str(self.scope_combo.currentData())

    def _show_owner(self) -> None:
        scope = self.scope
        for widget in (self.group_label, self.group_combo):
            widget.setVisible(scope == "group")
        for widget in (self.member_label, self.member_combo):
            widget.setVisible(scope == "user")

    def owner(self) -> Owner | None:
        """The chosen owner; None (after saying so under the picker) when none is chosen."""
        combo = self.group_combo if self.scope == "group" else self.member_combo
        uri = combo.currentData()
        found = owner_for(
            self.context, self.state, self.scope, str(uri) if uri else None, combo.currentText()
        )
        if found is None:
            which = (
                translate("SubscriptionDialog", "group")
                if self.scope == "group"
                else translate("SubscriptionDialog", "member")
            )
            self.scope_error.setText(
                translate("SubscriptionDialog", "Choose the {which} to subscribe for.").format(
                    which=which
                )
            )
            self.scope_error.setVisible(True)
        return found
