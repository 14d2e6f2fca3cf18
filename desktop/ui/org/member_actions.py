"""Writes on the Members page: invite (one or many), revoke, resend, remove from organization."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.errors import APIStatusError, CalendlyError
from desktop.bulk import (
    invitation_item,
    membership_item,
    remove_members,
    revoke_invitations,
)
from desktop.domain.organizations import OrganizationInvitation, OrganizationMembership
from desktop.ui.bulk_dialog import open_bulk
from desktop.ui.page_context import PageContext
from desktop.ui.signin.form import ErrorLabel

if TYPE_CHECKING:
    from desktop.ui.org.members import InvitationsTable, MembersTable

# Deliberately simple: one @, no spaces, a dot in the domain. Calendly checks the rest.
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_SEPARATORS = re.compile(r"[\s,;]+")
MAX_INVITES = 100  # one paste; more is a job for a bulk import


def parse_emails(text: str) -> tuple[list[str], list[str]]:
    """The distinct valid addresses (lower-cased, in order) and the invalid entries."""
    valid: list[str] = []
    invalid: list[str] = []
    for part in filter(None, _SEPARATORS.split(text)):
        candidate = part.strip().strip("<>").lower()
        if _EMAIL.match(candidate):
            if candidate not in valid:
                valid.append(candidate)
        else:
            invalid.append(part)
    return valid, invalid


class InviteDialog(QDialog):
    """E-mail addresses, one or many; checked here first, then one invitation each."""

    invited = Signal(object)  # OrganizationInvitation

    def __init__(self, parent: QWidget, context: PageContext) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle(
            QCoreApplication.translate("MemberActions", "Invite to {organization}").format(
                organization=context.connection.identity.organization_name
                or QCoreApplication.translate("MemberActions", "the organization")
            )
        )
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        label = QLabel(
            QCoreApplication.translate(
                "MemberActions", "&E-mail addresses (one per line, or separated by commas):"
            )
        )
        self.emails = QPlainTextEdit()
        self.emails.setAccessibleName(
            QCoreApplication.translate("MemberActions", "E-mail addresses")
        )
        self.emails.setTabChangesFocus(True)
        label.setBuddy(self.emails)
        self.problem = ErrorLabel()
        self.results = QLabel()
        self.results.setWordWrap(True)
        self.results.setVisible(False)
        layout.addWidget(label)
        layout.addWidget(self.emails, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.results)
        buttons = QDialogButtonBox()
        self.invite_button = QPushButton(QCoreApplication.translate("MemberActions", "&Invite"))
        self.invite_button.setAccessibleName(QCoreApplication.translate("MemberActions", "Invite"))
        self.invite_button.setDefault(True)
        buttons.addButton(self.invite_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        assert close is not None
        close.setAccessibleName(QCoreApplication.translate("MemberActions", "Close"))
        close.clicked.connect(self.reject)
        self.invite_button.clicked.connect(self._invite)
        layout.addWidget(buttons)
        self._task: asyncio.Task[None] | None = None

    def reject(self) -> None:
        """Not while sending: the addresses not yet invited would be lost without a word."""
        if self._task is not None and not self._task.done():
            self.problem.setText(
                QCoreApplication.translate(
                    "MemberActions", "Wait until the invitations are sent; then close."
                )
            )
            self.problem.setVisible(True)
            return
        super().reject()

    def _invite(self) -> None:
        valid, invalid = parse_emails(self.emails.toPlainText())
        if invalid:
            self.problem.setText(
                QCoreApplication.translate(
                    "MemberActions", "Not e-mail addresses: {entries}"
                ).format(entries=", ".join(invalid[:5]))
            )
            self.problem.setVisible(True)
            self.emails.setFocus()
            return
        if not valid:
            self.problem.setText(
                QCoreApplication.translate("MemberActions", "Enter at least one e-mail address.")
            )
            self.problem.setVisible(True)
            return
        if len(valid) > MAX_INVITES:
            self.problem.setText(
                QCoreApplication.translate(
                    "MemberActions", "At most {n} addresses at a time."
                ).format(n=MAX_INVITES)
            )
            self.problem.setVisible(True)
            return
        self.problem.setVisible(False)
        self.invite_button.setEnabled(False)
        self.emails.setReadOnly(True)
        self._task = self._context.tasks.spawn(
            self._send(valid), QCoreApplication.translate("MemberActions", "Inviting")
        )

    async def _send(self, emails: list[str]) -> None:
        context = self._context
        client = context.connection.client
        organization = context.connection.identity.organization_uri
        done: list[str] = []
        refused: list[str] = []
        try:
            for email in emails:
                try:
                    async with context.recording(
                        "invitation.create", None, email, {"email": email}
                    ) as pending:
                        invitation = await client.invitations.create(
                            organization=organization, email=email
                        )
                        pending.target_uri = invitation.uri
                except APIStatusError as error:
                    refused.append(f"{email}: {error.message}")
                    continue
                done.append(email)
                self.invited.emit(invitation)
                context.changes.changed.emit("invitation", invitation.uri)
        finally:
            lines = [
                QCoreApplication.translate("MemberActions", "Invited: {n}.").format(n=len(done))
            ]
            if refused:
                lines.append(
                    QCoreApplication.translate("MemberActions", "Not invited:")
                    + "\n"
                    + "\n".join(refused)
                )
            self.results.setText("\n".join(lines))
            self.results.setVisible(True)
            left = [e for e in emails if e not in done]
            self.emails.setPlainText("\n".join(left))  # nothing typed is lost
            self.emails.setReadOnly(False)
            self.invite_button.setEnabled(True)


def open_invite_dialog(table: InvitationsTable, context: PageContext) -> InviteDialog:
    dialog = InviteDialog(table, context)

    def invited(invitation: OrganizationInvitation) -> None:
        if table.context is context:
            table.model.prepend(invitation)

    dialog.invited.connect(invited)
    dialog.finished.connect(dialog.deleteLater)
    table.invite_dialog = dialog
    dialog.open()
    return dialog


def revoke(
    table: InvitationsTable,
    context: PageContext,
    invitations: list[OrganizationInvitation],
    *,
    resend: bool,
) -> None:
    pending = [i for i in invitations if i.is_pending]
    if not pending:
        return
    if len(pending) > 1 and not resend:
        organization = context.connection.identity.organization_uri
        action = revoke_invitations(context.connection.client, organization)
        open_bulk(table, context, action, [invitation_item(i) for i in pending], "invitation")
        return

    async def run() -> None:
        client = context.connection.client
        organization = context.connection.identity.organization_uri
        for invitation in pending:
            async with context.recording(
                "invitation.revoke", invitation.uri, invitation.email, {"resend": resend}
            ):
                await client.invitations.revoke(invitation.uri)
            if table.context is context:  # still showing this organization
                table.model.remove(invitation.uri)
            context.changes.changed.emit("invitation", invitation.uri)
            if resend:
                try:
                    async with context.recording(
                        "invitation.create", None, invitation.email, {"email": invitation.email}
                    ) as logged:
                        fresh = await client.invitations.create(
                            organization=organization, email=invitation.email
                        )
                        logged.target_uri = fresh.uri
                except CalendlyError as error:
                    raise CalendlyError(
                        QCoreApplication.translate(
                            "MemberActions",
                            "The invitation to {email} was revoked but could not be sent again "
                            "({why}). Invite {email} again with Invite…",
                        ).format(email=invitation.email, why=error.message)
                    ) from error
                if table.context is context:
                    table.model.prepend(fresh)
                context.changes.changed.emit("invitation", fresh.uri)

    what = (
        QCoreApplication.translate("MemberActions", "Sending the invitations again")
        if resend
        else QCoreApplication.translate("MemberActions", "Revoking the invitations")
    )
    context.tasks.spawn(run(), what)


def confirm_remove(
    table: MembersTable, context: PageContext, members: list[OrganizationMembership]
) -> QDialog | None:
    """Ask, naming the people and the organization; the owner is never removed. Several
    people go through the bulk dialog."""
    removable = [m for m in members if m.role != "owner"]
    if not removable:
        return None
    if len(members) > 1:
        client = context.connection.client
        action = remove_members(client, current_user=context.connection.identity.user_uri)
        return open_bulk(
            table, context, action, [membership_item(m) for m in members], "membership"
        )
    organization = context.connection.identity.organization_name or QCoreApplication.translate(
        "MemberActions", "the organization"
    )
    names = ", ".join(m.user.name for m in removable[:5])
    if len(removable) > 5:
        names += QCoreApplication.translate("MemberActions", " and {n} more").format(
            n=len(removable) - 5
        )
    box = QMessageBox(table)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names are people's input, never markup
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("MemberActions", "Remove from Organization"))
    box.setText(
        QCoreApplication.translate("MemberActions", "Remove {names} from {organization}?").format(
            names=names, organization=organization
        )
    )
    info = QCoreApplication.translate(
        "MemberActions",
        "They lose access to the organization's event types; their scheduled meetings stay. "
        "This cannot be undone here: they would need a new invitation.",
    )
    if len(removable) < len(members):
        info += "\n" + QCoreApplication.translate(
            "MemberActions", "The owner is not removed: transfer ownership first."
        )
    box.setInformativeText(info)
    remove = box.addButton(
        QCoreApplication.translate("MemberActions", "&Remove"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    remove.setAccessibleName(QCoreApplication.translate("MemberActions", "Remove"))
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName(QCoreApplication.translate("MemberActions", "Cancel"))
    box.setDefaultButton(cancel)

    def finished() -> None:
        if box.clickedButton() is remove:
            context.tasks.spawn(
                _remove(table, context, removable),
                QCoreApplication.translate("MemberActions", "Removing members"),
            )
        box.deleteLater()

    box.finished.connect(finished)
    table.confirmation = box
    box.open()
    return box


async def _remove(
    table: MembersTable, context: PageContext, members: list[OrganizationMembership]
) -> None:
    client = context.connection.client
    for member in members:
        async with context.recording("membership.remove", member.uri, member.user.name):
            await client.memberships.remove(member.uri)
        table.model.remove(member.uri)
        context.changes.changed.emit("membership", member.uri)
