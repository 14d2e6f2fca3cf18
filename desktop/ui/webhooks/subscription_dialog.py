"""Create, edit or revive a webhook subscription: URL, scope and owner, events, signing key.

Calendly cannot change or re-enable a subscription, so an edit or a revive replaces it
(``desktop.webhooks.replace``); a create saves the signing key in the vault at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Literal, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.errors import BadRequest, CalendlyError, Conflict
from desktop.api.resources.webhooks import WebhookScope
from desktop.secrets import SecretStoreError
from desktop.ui.failures import describe
from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import ErrorLabel
from desktop.ui.webhooks import subscription_text as text
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.subscription_actions import (
    create_subscription,
    field_messages,
    owner_for,
    result_text,
)
from desktop.webhooks.callback_url import check_callback_url
from desktop.webhooks.keys import check_signing_key, generate_signing_key
from desktop.webhooks.listing import Owner, Row
from desktop.webhooks.replace import Outcome, SubscriptionSpec, replace_subscription
from desktop.webhooks.scopes import EVENTS, check_events

Mode = Literal["create", "edit", "revive"]
DEFAULT_EVENTS = ("invitee.created", "invitee.canceled")


def _tr(source: str) -> str:
    return QCoreApplication.translate("SubscriptionDialog", source)


def _note(content: str) -> QLabel:
    """A wrapped plain-text note, shown only when it says something."""
    label = QLabel(content)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setVisible(bool(content))
    return label


class SubscriptionDialog(QDialog):
    """``created(Row)`` after a create; ``replaced(ReplaceResult)`` after an edit or revive
    (whatever its outcome)."""

    created = Signal(object)
    replaced = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        context: PageContext,
        state: WebhookState,
        *,
        mode: Mode = "create",
        row: Row | None = None,
        url: str = "",
    ) -> None:
        super().__init__(parent)
        self.context, self.state, self.mode, self.row = context, state, mode, row
        self._task: asyncio.Task[None] | None = None
        self.is_admin = context.connection.identity.is_admin
        titles = {"create": _tr("New Webhook Subscription"), "edit": _tr("Edit Subscription"),
                  "revive": _tr("Revive Subscription")}  # fmt: skip
        self.setWindowTitle(titles[mode])
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        # Grow as notes and errors appear: a wrapped message is never cut off.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.intro = _note(text.dialog_intro(mode))
        layout.addWidget(self.intro)
        self._build_url(layout, url)
        self._build_owner(layout)
        self._build_events(layout)
        self._build_key(layout)
        self._build_bottom(layout)
        if row is not None:
            self._prefill(row)
        self.scope_combo.currentIndexChanged.connect(lambda _: self._scope_changed())
        self._scope_changed(initial=True)
        self._key_mode_changed()
        self._url_changed(self.url_edit.text())

    def _build_url(self, layout: QVBoxLayout, url: str) -> None:
        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText("https://example.com/calendly/webhooks")
        self.url_edit.setAccessibleName(_tr("Callback URL"))
        self.url_edit.setAccessibleDescription(_tr("The address Calendly posts deliveries to"))
        self.url_edit.textChanged.connect(self._url_changed)
        label = QLabel(_tr("Callback &URL:"))
        label.setBuddy(self.url_edit)
        self.url_error = ErrorLabel()
        self.url_warnings = _note("")
        for widget in (label, self.url_edit, self.url_error, self.url_warnings):
            layout.addWidget(widget)

    def _build_owner(self, layout: QVBoxLayout) -> None:
        box = QGroupBox(_tr("Whose events"))
        grid = QGridLayout(box)
        self.scope_combo = QComboBox()
        self.scope_combo.setAccessibleName(_tr("Subscribe for"))
        self.scope_combo.setAccessibleDescription(
            _tr("The organization, one group, or one member: whose events are delivered")
        )
        if self.is_admin:
            self.scope_combo.addItem(_tr("The organization"), "organization")
            self.scope_combo.addItem(_tr("A group"), "group")
        self.scope_combo.addItem(_tr("A member (user scope)"), "user")
        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName(_tr("Group"))
        self.member_combo = QComboBox()
        self.member_combo.setAccessibleName(_tr("Member"))
        self._fill_owners()
        self.group_label = QLabel(_tr("&Group:"))
        self.member_label = QLabel(_tr("&Member:"))
        pairs = (
            (QLabel(_tr("Subscribe &for:")), self.scope_combo),
            (self.group_label, self.group_combo),
            (self.member_label, self.member_combo),
        )
        for number, (label, combo) in enumerate(pairs):
            label.setBuddy(combo)
            grid.addWidget(label, number, 0)
            grid.addWidget(combo, number, 1)
        self.scope_note = _note(
            ""
            if self.is_admin
            else _tr(
                "Only organization admins and owners can subscribe for the organization, a "
                "group or other members: this subscription is for you."
            )
        )
        self.scope_error = ErrorLabel()
        grid.addWidget(self.scope_note, 3, 0, 1, 2)
        grid.addWidget(self.scope_error, 4, 0, 1, 2)
        layout.addWidget(box)

    def _build_events(self, layout: QVBoxLayout) -> None:
        box = QGroupBox(_tr("Events"))
        events = QVBoxLayout(box)
        self.event_boxes: dict[str, QCheckBox] = {}
        for name in EVENTS:
            check = QCheckBox(f"{text.event_label(name)} ({name})")
            check.setAccessibleName(text.event_label(name))
            check.setChecked(self.mode == "create" and name in DEFAULT_EVENTS)
            self.event_boxes[name] = check
            events.addWidget(check)
        self.events_note = _note("")
        self.events_error = ErrorLabel()
        events.addWidget(self.events_note)
        events.addWidget(self.events_error)
        layout.addWidget(box)

    def _build_key(self, layout: QVBoxLayout) -> None:
        box = QGroupBox(_tr("Signing key"))
        keys = QVBoxLayout(box)
        self.keep_key = QRadioButton(_tr("&Keep the key held for this subscription"))
        self.generate_key = QRadioButton(_tr("Ge&nerate a new key (256 bits)"))
        self.enter_key = QRadioButton(_tr("En&ter a key"))
        self.key_choice = QButtonGroup(self)
        for radio in (self.keep_key, self.generate_key, self.enter_key):
            radio.setAccessibleName(radio.text().replace("&", ""))
            self.key_choice.addButton(radio)
            keys.addWidget(radio)
        held = self.row is not None and self.row.uri in self.state.known_keys
        self.keep_key.setVisible(held)
        (self.keep_key if held else self.generate_key).setChecked(True)
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName(_tr("Signing key"))
        self.key_edit.setAccessibleDescription(
            _tr("At least 32 letters, digits or punctuation; shared with the receiver")
        )
        self.show_key = QCheckBox(_tr("Sho&w key"))
        self.show_key.setAccessibleName(_tr("Show the signing key"))
        self.show_key.toggled.connect(self._show_key_toggled)
        self.key_note = _note(text.new_key_note() if self.row is not None and not held else "")
        self.key_error = ErrorLabel()
        for widget in (self.key_edit, self.show_key, self.key_note, self.key_error):
            keys.addWidget(widget)
        self.key_choice.buttonToggled.connect(lambda *_: self._key_mode_changed())
        layout.addWidget(box)

    def _build_bottom(self, layout: QVBoxLayout) -> None:
        self.results = _note("")
        self.results.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results.setAccessibleName(_tr("What happened"))
        self.error = ErrorLabel()
        layout.addWidget(self.results)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        verb = {"create": _tr("&Create"), "edit": _tr("&Save"), "revive": _tr("&Revive")}[self.mode]
        self.submit_button = QPushButton(verb)
        self.submit_button.setAccessibleName(verb.replace("&", ""))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self._submit)
        buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = QPushButton(_tr("C&lose"))
        self.close_button.setAccessibleName(_tr("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)

    # -- building -----------------------------------------------------------------------------
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
            self.member_combo.addItem(_tr("Me: {name}").format(name=shown), identity.user_uri)

    def _prefill(self, row: Row) -> None:
        sub = row.subscription
        self.url_edit.setText(sub.callback_url)
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(sub.scope)))
        owner = row.owner
        combo = {"group": self.group_combo, "user": self.member_combo}.get(sub.scope)
        if combo is not None:
            if combo.findData(owner.uri) < 0:  # a former member, a group not listed
                combo.addItem(owner.label, owner.uri)
            combo.setCurrentIndex(combo.findData(owner.uri))
        for name, box in self.event_boxes.items():
            box.setChecked(name in sub.events)

    # -- reacting to the form -------------------------------------------------------------------
    @property
    def scope(self) -> str:
        return str(self.scope_combo.currentData())

    def _scope_changed(self, *, initial: bool = False) -> None:
        scope = self.scope
        for widget in (self.group_label, self.group_combo):
            widget.setVisible(scope == "group")
        for widget in (self.member_label, self.member_combo):
            widget.setVisible(scope == "user")
        unticked: list[str] = []
        for name, box in self.event_boxes.items():
            allowed = scope in EVENTS[name].scopes
            if not allowed and box.isChecked() and not initial:
                unticked.append(name)
            if not allowed:
                box.setChecked(False)
            box.setEnabled(allowed)
            box.setAccessibleDescription("" if allowed else text.only_at(name))
            box.setToolTip(box.accessibleDescription())
        note = text.events_note(scope, unticked)
        self.events_note.setText(note)
        self.events_note.setVisible(bool(note))

    def _url_changed(self, value: str) -> None:
        self.url_error.setVisible(False)
        check = check_callback_url(value, real_organization=self.state.real_organization)
        self.url_warnings.setText("\n".join(check.warnings) if value.strip() else "")
        self.url_warnings.setVisible(bool(self.url_warnings.text()))

    def _key_mode_changed(self) -> None:
        entering = self.enter_key.isChecked()
        self.key_edit.setEnabled(entering)
        self.show_key.setEnabled(entering)
        self.key_error.setVisible(False)

    def _show_key_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)

    # -- checking and sending ---------------------------------------------------------------------
    def _say(self, label: ErrorLabel, message: str) -> None:
        label.setText(message)
        label.setVisible(bool(message))

    def _owner(self) -> Owner | None:
        combo = self.group_combo if self.scope == "group" else self.member_combo
        uri = combo.currentData()
        shown = combo.currentText()
        return owner_for(self.context, self.state, self.scope, str(uri) if uri else None, shown)

    def _spec(self) -> tuple[SubscriptionSpec, Owner] | None:
        """The recipe the form describes, or None after saying what is wrong next to it."""
        for label in (self.url_error, self.scope_error, self.events_error, self.key_error,
                      self.error):  # fmt: skip
            self._say(label, "")
        check = check_callback_url(
            self.url_edit.text(), real_organization=self.state.real_organization
        )
        self._say(self.url_error, check.error or "")
        owner = self._owner()
        if owner is None:
            which = _tr("group") if self.scope == "group" else _tr("member")
            self._say(
                self.scope_error, _tr("Choose the {which} to subscribe for.").format(which=which)
            )
        events = [name for name, box in self.event_boxes.items() if box.isChecked()]
        self._say(self.events_error, "\n".join(check_events(self.scope, events)))
        key: str | None = None
        if self.enter_key.isChecked():
            key = self.key_edit.text()
            self._say(self.key_error, check_signing_key(key) or "")
        elif self.generate_key.isChecked():
            key = generate_signing_key()
        first = next(iter(self.event_boxes.values()))
        ticked = next((b for b in self.event_boxes.values() if b.isChecked()), first)
        checks: tuple[tuple[QLabel, QWidget], ...] = (
            (self.url_error, self.url_edit),
            (self.scope_error, self.scope_combo),
            (self.events_error, ticked),
            (self.key_error, self.key_edit),
        )
        for message, field in checks:
            if not message.isHidden():
                field.setFocus()
                return None
        assert owner is not None
        spec = SubscriptionSpec(
            url=check.url,
            events=tuple(events),
            scope=cast(WebhookScope, self.scope),
            organization=self.state.organization,
            user=owner.uri if owner.scope == "user" else None,
            group=owner.uri if owner.scope == "group" else None,
            signing_key=key,  # None: keep the held key (read when replacing)
        )
        return spec, owner

    def _submit(self) -> None:
        if self._task is not None and not self._task.done():
            return
        made = self._spec()
        if made is None:
            return
        spec, owner = made
        self.submit_button.setEnabled(False)
        self.results.setVisible(False)
        work = self._create(spec, owner) if self.mode == "create" else self._replace(spec)
        self._task = self.context.tasks.spawn(work, self.windowTitle())

    async def _create(self, spec: SubscriptionSpec, owner: Owner) -> None:
        try:
            outcome = await create_subscription(self.context, self.state, spec, owner)
        except Conflict as error:
            self._say(self.url_error, _tr(
                "Calendly already has a subscription for this URL and owner ({title}: "
                "{message}). Use another URL, or edit the existing subscription."
            ).format(title=error.title, message=error.message))  # fmt: skip
            self.url_edit.setFocus()
        except BadRequest as error:
            self.show_refusal(error)
        except CalendlyError as error:
            self._say(self.error, describe(_tr("Creating the subscription"), error))
        except BaseException:
            self.submit_button.setEnabled(True)
            raise
        else:
            self.created.emit(outcome.row)
            if not outcome.key_problem:
                self.accept()
                return
            # The key lives nowhere else: show it so that it can be copied now. The
            # subscription exists, so the form sends nothing more.
            self.enter_key.setChecked(True)
            self.key_edit.setText(spec.signing_key or "")
            self.show_key.setChecked(True)
            self._say(self.error, outcome.key_problem)
            return
        self.submit_button.setEnabled(True)  # refused: everything typed is still there

    def show_refusal(self, error: BadRequest) -> None:
        labels = {"url": self.url_error, "events": self.events_error,
                  "scope": self.scope_error, "key": self.key_error}  # fmt: skip
        fields, rest = field_messages(error)
        for field, lines in fields.items():
            self._say(labels[field], "\n".join(lines))
        self._say(self.error, "\n".join(rest))

    async def _replace(self, spec: SubscriptionSpec) -> None:
        assert self.row is not None
        old = self.row.subscription
        vault = self.state.vault
        try:
            if spec.signing_key is None and vault is not None:
                key = await vault.key_for(old.uri)
                if key is None:
                    self._say(self.key_error, _tr("The held key is gone: generate or enter one."))
                    self.submit_button.setEnabled(True)
                    return
                spec = dataclasses.replace(spec, signing_key=key)
        except SecretStoreError as error:
            self._say(self.error, describe(_tr("Reading the signing key"), error))
            self.submit_button.setEnabled(True)
            return
        result = await replace_subscription(
            self.state.client, old, spec, vault=vault, record=self.context.recording
        )
        self.results.setText(result_text(result, generated=self.generate_key.isChecked()))
        self.results.setVisible(True)
        self.submit_button.setEnabled(result.outcome is Outcome.UNCHANGED)
        if result.ok:
            self.close_button.setDefault(True)
            self.close_button.setFocus()
        self.replaced.emit(result)

    # -- closing ----------------------------------------------------------------------------------
    def reject(self) -> None:
        """Not while Calendly is being asked: whether it acted would be unknown."""
        if self._task is not None and not self._task.done():
            self._say(self.error, _tr("Wait until Calendly has answered; then close."))
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None and not self._task.done():
            event.ignore()
            self._say(self.error, _tr("Wait until Calendly has answered; then close."))
            return
        super().closeEvent(event)
