"""Create, edit or revive a webhook subscription: URL, scope and owner, events, signing key.

Calendly cannot change or re-enable a subscription, so an edit or a revive replaces it
(``desktop.webhooks.replace``); a create saves the signing key in the vault at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Literal, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
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
from desktop.ui.webhooks.event_names import event_label
from desktop.ui.webhooks.key_choice import KeyChoice
from desktop.ui.webhooks.owner_picker import OwnerPicker
from desktop.ui.webhooks.state import WebhookState
from desktop.ui.webhooks.subscription_actions import (
    create_subscription,
    field_messages,
    result_text,
)
from desktop.ui.webhooks.widgets import note_label
from desktop.webhooks.callback_url import check_callback_url
from desktop.webhooks.keys import check_signing_key, generate_signing_key
from desktop.webhooks.listing import Owner, Row
from desktop.webhooks.replace import Outcome, SubscriptionSpec, replace_subscription
from desktop.webhooks.scopes import EVENTS, check_events

Mode = Literal["create", "edit", "revive"]
DEFAULT_EVENTS = ("invitee.created", "invitee.canceled")


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
        titles = {
            "create": self.tr("New Webhook Subscription"),
            "edit": self.tr("Edit Subscription"),
            "revive": self.tr("Revive Subscription"),
        }
        self.setWindowTitle(titles[mode])
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        # Grow as notes and errors appear: a wrapped message is never cut off.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.intro = note_label(text.dialog_intro(mode))
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
        self._url_changed(self.url_edit.text())

    def _build_url(self, layout: QVBoxLayout, url: str) -> None:
        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText("https://example.com/calendly/webhooks")
        self.url_edit.setAccessibleName(self.tr("Callback URL"))
        self.url_edit.setAccessibleDescription(self.tr("The address Calendly posts deliveries to"))
        self.url_edit.textChanged.connect(self._url_changed)
        label = QLabel(self.tr("Callback &URL:"))
        label.setBuddy(self.url_edit)
        self.url_error = ErrorLabel()
        self.url_warnings = note_label("")
        for widget in (label, self.url_edit, self.url_error, self.url_warnings):
            layout.addWidget(widget)

    def _build_owner(self, layout: QVBoxLayout) -> None:
        self.owner_picker = OwnerPicker(self.context, self.state)
        picker = self.owner_picker
        self.scope_combo, self.member_combo = picker.scope_combo, picker.member_combo
        self.scope_note, self.scope_error = picker.scope_note, picker.scope_error
        layout.addWidget(picker)

    def _build_events(self, layout: QVBoxLayout) -> None:
        box = QGroupBox(self.tr("Events"))
        events = QVBoxLayout(box)
        self.event_boxes: dict[str, QCheckBox] = {}
        for name in EVENTS:
            check = QCheckBox(f"{event_label(name)} ({name})")
            check.setAccessibleName(event_label(name))
            check.setChecked(self.mode == "create" and name in DEFAULT_EVENTS)
            self.event_boxes[name] = check
            events.addWidget(check)
        self.events_note = note_label("")
        self.events_error = ErrorLabel()
        events.addWidget(self.events_note)
        events.addWidget(self.events_error)
        layout.addWidget(box)

    def _build_key(self, layout: QVBoxLayout) -> None:
        held = self.row is not None and self.row.uri in self.state.known_keys
        self.key_box = KeyChoice(held=held, replacing=self.row is not None)
        box = self.key_box
        self.keep_key, self.generate_key, self.enter_key = (
            box.keep_key,
            box.generate_key,
            box.enter_key,
        )
        self.key_edit, self.show_key = box.key_edit, box.show_key
        self.key_note, self.key_error = box.key_note, box.key_error
        layout.addWidget(box)

    def _build_bottom(self, layout: QVBoxLayout) -> None:
        self.results = note_label("")
        self.results.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results.setAccessibleName(self.tr("What happened"))
        self.error = ErrorLabel()
        layout.addWidget(self.results)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        verb = {
            "create": self.tr("&Create"),
            "edit": self.tr("&Save"),
            "revive": self.tr("&Revive"),
        }[self.mode]
        self.submit_button = QPushButton(verb)
        self.submit_button.setAccessibleName(verb.replace("&", ""))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self._submit)
        buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = QPushButton(self.tr("C&lose"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)

    # -- building -----------------------------------------------------------------------------
    def _prefill(self, row: Row) -> None:
        sub = row.subscription
        self.url_edit.setText(sub.callback_url)
        self.owner_picker.prefill(row)
        for name, box in self.event_boxes.items():
            box.setChecked(name in sub.events)

    # -- reacting to the form -------------------------------------------------------------------
    @property
    def scope(self) -> str:
        return self.owner_picker.scope

    def _scope_changed(self, *, initial: bool = False) -> None:
        scope = self.scope
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

    # -- checking and sending ---------------------------------------------------------------------
    def _say(self, label: ErrorLabel, message: str) -> None:
        label.setText(message)
        label.setVisible(bool(message))

    def _spec(self) -> tuple[SubscriptionSpec, Owner] | None:
        """The recipe the form describes, or None after saying what is wrong next to it."""
        for label in (
            self.url_error,
            self.scope_error,
            self.events_error,
            self.key_error,
            self.error,
        ):
            self._say(label, "")
        check = check_callback_url(
            self.url_edit.text(), real_organization=self.state.real_organization
        )
        self._say(self.url_error, check.error or "")
        owner = self.owner_picker.owner()
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
        self._task = self.state.spawn(work, self.windowTitle())

    async def _create(self, spec: SubscriptionSpec, owner: Owner) -> None:
        try:
            outcome = await create_subscription(self.context, self.state, spec, owner)
        except Conflict as error:
            self._say(
                self.url_error,
                self.tr(
                    "Calendly already has a subscription for this URL and owner ({title}: "
                    "{message}). Use another URL, or edit the existing subscription.",
                ).format(title=error.title, message=error.message),
            )
            self.url_edit.setFocus()
        except BadRequest as error:
            self.show_refusal(error)
        except CalendlyError as error:
            self._say(
                self.error,
                describe(self.tr("Creating the subscription"), error),
            )
        except Exception:  # unforeseen: the form stays usable, the failure is told
            self.submit_button.setEnabled(True)
            raise
        else:
            self.created.emit(outcome.row)
            if not outcome.key_problem:
                self.accept()
                return
            # The key lives nowhere else: show it so that it can be copied now. The
            # subscription exists, so the form sends nothing more.
            self.key_box.show_new_key(spec.signing_key or "")
            self._say(self.error, outcome.key_problem)
            return
        self.submit_button.setEnabled(True)  # refused: everything typed is still there

    def show_refusal(self, error: BadRequest) -> None:
        labels = {
            "url": self.url_error,
            "events": self.events_error,
            "scope": self.scope_error,
            "key": self.key_error,
        }
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
                    self._say(
                        self.key_error,
                        self.tr("The held key is gone: generate or enter one."),
                    )
                    self.submit_button.setEnabled(True)
                    return
                spec = dataclasses.replace(spec, signing_key=key)
        except SecretStoreError as error:
            self._say(
                self.error,
                describe(self.tr("Reading the signing key"), error),
            )
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
            self._say(
                self.error,
                self.tr("Wait until Calendly has answered; then close."),
            )
            return
        super().reject()

    def done(self, result: int) -> None:
        # Only an abandoned dialog (its connection let go) ends while Calendly is asked.
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None and not self._task.done():
            event.ignore()
            self._say(
                self.error,
                self.tr("Wait until Calendly has answered; then close."),
            )
            return
        super().closeEvent(event)
