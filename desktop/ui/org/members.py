"""Members: the organization's memberships (role, e-mail, time zone, groups) and invitations."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QComboBox, QDialog, QLabel

from desktop.domain.organizations import OrganizationInvitation, OrganizationMembership
from desktop.exports import INVITATION_COLUMNS, member_columns
from desktop.ui.models.columns import Column, format_local
from desktop.ui.models.record_model import Fetcher
from desktop.ui.org import member_actions
from desktop.ui.org.record_table import RecordsPage, RecordTable
from desktop.ui.org.table_export import add_csv_export
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec

PAGE_SIZE = 100


def role_text(role: str) -> str:
    return {
        "owner": QCoreApplication.translate("Members", "Owner"),
        "admin": QCoreApplication.translate("Members", "Admin"),
        "user": QCoreApplication.translate("Members", "User"),
    }.get(role, role)


def organization_pages(
    context: PageContext, lister: Callable[..., Awaitable[Any]], **filters: Any
) -> Fetcher[Any]:
    """Pages of one of the organization's lists, with the filters as chosen now."""
    organization = context.connection.identity.organization_uri

    async def fetch(token: str | None) -> Any:
        return await lister(organization=organization, count=PAGE_SIZE, page_token=token, **filters)

    return fetch


class MembersTable(RecordTable[OrganizationMembership]):
    """Memberships, filtered by role on the server and by group here (Calendly has no group
    filter for memberships: the group relationships are loaded once and matched locally)."""

    def __init__(self) -> None:
        self.groups_of: dict[str, list[str]] = {}  # membership URI -> group names
        super().__init__("members", QCoreApplication.translate("Members", "Members"))
        self.confirmation: QDialog | None = None
        self.role = QComboBox()
        self.role.setAccessibleName(QCoreApplication.translate("Members", "Role"))
        for text, value in (
            (QCoreApplication.translate("Members", "All roles"), None),
            (QCoreApplication.translate("Members", "Owner"), "owner"),
            (QCoreApplication.translate("Members", "Admins"), "admin"),
            (QCoreApplication.translate("Members", "Users"), "user"),
        ):
            self.role.addItem(text, value)
        self.role.currentIndexChanged.connect(lambda _: self.reload())
        self.group = QComboBox()
        self.group.setAccessibleName(QCoreApplication.translate("Members", "Group"))
        self.group.addItem(QCoreApplication.translate("Members", "All groups"), None)
        self.group.currentIndexChanged.connect(self._group_changed)
        role_label = QLabel(QCoreApplication.translate("Members", "&Role:"))
        role_label.setBuddy(self.role)
        group_label = QLabel(QCoreApplication.translate("Members", "&Group:"))
        group_label.setBuddy(self.group)
        for position, widget in enumerate((role_label, self.role, group_label, self.group)):
            self.filters.insertWidget(position, widget)

        self.copy_link = QAction(
            QCoreApplication.translate("Members", "Copy &Scheduling Link"), self
        )
        self.copy_link.setToolTip(
            QCoreApplication.translate(
                "Members", "Copy the selected member's scheduling page address"
            )
        )
        self.copy_link.triggered.connect(self._copy_link)
        self.remove_action = QAction(
            QCoreApplication.translate("Members", "Re&move from Organization…"), self
        )
        self.remove_action.triggered.connect(self._remove)
        for action in (self.copy_link, self.remove_action):
            self.toolbar.addAction(action)
        self.export_action = add_csv_export(
            self, "members.csv", lambda: member_columns(self.groups_of)
        )
        self.selection_changed([])

    def columns(self) -> Sequence[Column[OrganizationMembership]]:
        return (
            Column(
                "name",
                QCoreApplication.translate("Members", "Name"),
                lambda m: m.user.name,
                width=24,
            ),
            Column(
                "email",
                QCoreApplication.translate("Members", "E-mail"),
                lambda m: m.user.email,
                width=28,
            ),
            Column(
                "role",
                QCoreApplication.translate("Members", "Role"),
                lambda m: role_text(m.role),
                width=8,
            ),
            Column(
                "timezone",
                QCoreApplication.translate("Members", "Time zone"),
                lambda m: m.user.timezone,
                width=18,
            ),
            Column(
                "groups",
                QCoreApplication.translate("Members", "Groups"),
                lambda m: ", ".join(self.groups_of.get(m.uri, ())),
            ),
            Column(
                "joined",
                QCoreApplication.translate("Members", "Joined"),
                lambda m: m.created_at,
                numeric=True,
                width=16,
            ),
        )

    def fetcher(self, context: PageContext) -> Fetcher[OrganizationMembership] | None:
        lister = context.connection.client.memberships.list
        return organization_pages(context, lister, role=self.role.currentData())

    def bind(self, context: PageContext) -> None:
        super().bind(context)
        context.tasks.spawn(
            self._load_groups(context), QCoreApplication.translate("Members", "Loading the groups")
        )
        context.changes.changed.connect(self._changed_elsewhere)

    def unbind(self) -> None:
        if self.context is not None:
            self.context.changes.changed.disconnect(self._changed_elsewhere)
        super().unbind()

    async def _load_groups(self, context: PageContext) -> None:
        client = context.connection.client
        organization = context.connection.identity.organization_uri
        names = {g.uri: g.name async for g in client.groups.iterate(organization=organization)}
        groups_of: dict[str, list[str]] = {}
        async for relation in client.group_relationships.iterate(organization=organization):
            name = names.get(relation.group)
            if name is not None:
                groups_of.setdefault(relation.owner.uri, []).append(name)
        if self.context is not context:
            return
        self.groups_of = {uri: sorted(found) for uri, found in groups_of.items()}
        chosen = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(QCoreApplication.translate("Members", "All groups"), None)
        for name in sorted(set(names.values()), key=str.casefold):
            self.group.addItem(name, name)
        self.group.setCurrentIndex(max(0, self.group.findData(chosen)))
        self.group.blockSignals(False)
        self.model.refresh_column("groups")  # the Groups column now has its names

    def _group_changed(self, _: int) -> None:
        chosen = self.group.currentData()
        self.proxy.set_predicate(
            None if chosen is None else (lambda m: chosen in self.groups_of.get(m.uri, ()))
        )

    def _changed_elsewhere(self, kind: str, uri: str) -> None:
        # A member removed here is already gone from the rows: nothing to reload for it.
        if kind == "membership" and (not uri or self.model.row_of(uri) is not None):
            self.reload()

    def detail_html(self, record: OrganizationMembership) -> str:
        user = record.user
        rows = [
            (QCoreApplication.translate("Members", "E-mail"), html.escape(user.email)),
            (QCoreApplication.translate("Members", "Role"), html.escape(role_text(record.role))),
            (QCoreApplication.translate("Members", "Time zone"), html.escape(user.timezone or "—")),
            (
                QCoreApplication.translate("Members", "Groups"),
                html.escape(", ".join(self.groups_of.get(record.uri, ())) or "—"),
            ),
            (
                QCoreApplication.translate("Members", "Joined"),
                html.escape(format_local(record.created_at)) if record.created_at else "—",
            ),
        ]
        if user.scheduling_url:
            link = html.escape(user.scheduling_url)
            rows.append(
                (
                    QCoreApplication.translate("Members", "Scheduling page"),
                    f'<a href="{link}">{link}</a>',
                )
            )
        cells = "".join(f"<tr><th align='left'>{k}</th><td>{v}</td></tr>" for k, v in rows)
        return f"<h3>{html.escape(user.name)}</h3><table cellspacing='4'>{cells}</table>"

    def selection_changed(self, records: list[OrganizationMembership]) -> None:
        one = records[0] if len(records) == 1 else None
        self.copy_link.setEnabled(one is not None and bool(one.user.scheduling_url))
        removable = [m for m in records if m.role != "owner"]
        self.remove_action.setEnabled(bool(removable))
        owner = any(m.role == "owner" for m in records)
        why = QCoreApplication.translate(
            "Members", "The organization's owner cannot be removed; transfer ownership first."
        )
        self.remove_action.setToolTip(
            why
            if owner and not removable
            else QCoreApplication.translate(
                "Members", "Remove the selected members from the organization"
            )
        )
        if owner and removable:
            why = QCoreApplication.translate(
                "Members", "The owner stays: only the other selected members would be removed."
            )
        self.set_hint(why if owner else "")

    def _copy_link(self) -> None:
        member = self.current_record()
        if member is not None and member.user.scheduling_url:
            QGuiApplication.clipboard().setText(member.user.scheduling_url)
            self.status.setText(
                QCoreApplication.translate("Members", "Copied {name}'s scheduling link.").format(
                    name=member.user.name
                )
            )

    def _remove(self) -> None:
        if self.context is not None:
            member_actions.confirm_remove(self, self.context, self.selected_records())


INVITATION_STATUSES = ("pending", "accepted", "declined")


class InvitationsTable(RecordTable[OrganizationInvitation]):
    """Invitations: invite (one or many), revoke, resend (revoke + invite again)."""

    def __init__(self) -> None:
        super().__init__("invitations", QCoreApplication.translate("Members", "Invitations"))
        self.invite_dialog: QDialog | None = None
        self.state = QComboBox()
        self.state.setAccessibleName(QCoreApplication.translate("Members", "Invitation status"))
        self.state.addItem(QCoreApplication.translate("Members", "All statuses"), None)
        for value, text in zip(
            INVITATION_STATUSES,
            (
                QCoreApplication.translate("Members", "Pending"),
                QCoreApplication.translate("Members", "Accepted"),
                QCoreApplication.translate("Members", "Declined"),
            ),
            strict=True,
        ):
            self.state.addItem(text, value)
        self.state.currentIndexChanged.connect(lambda _: self.reload())
        label = QLabel(QCoreApplication.translate("Members", "S&tatus:"))
        label.setBuddy(self.state)
        self.filters.insertWidget(0, label)
        self.filters.insertWidget(1, self.state)
        self.invite_action = QAction(QCoreApplication.translate("Members", "&Invite…"), self)
        self.invite_action.setToolTip(
            QCoreApplication.translate("Members", "Invite people by e-mail")
        )
        self.invite_action.triggered.connect(self._invite)
        self.revoke_action = QAction(QCoreApplication.translate("Members", "Re&voke"), self)
        self.revoke_action.triggered.connect(self._revoke)
        self.resend_action = QAction(QCoreApplication.translate("Members", "Re&send"), self)
        self.resend_action.setToolTip(
            QCoreApplication.translate(
                "Members", "Revoke and invite again: Calendly sends a new e-mail"
            )
        )
        self.resend_action.triggered.connect(self._resend)
        for action in (self.invite_action, self.revoke_action, self.resend_action):
            self.toolbar.addAction(action)
        self.export_action = add_csv_export(self, "invitations.csv", lambda: INVITATION_COLUMNS)
        self.selection_changed([])

    def columns(self) -> Sequence[Column[OrganizationInvitation]]:
        return (
            Column(
                "email",
                QCoreApplication.translate("Members", "E-mail"),
                lambda i: i.email,
                width=30,
            ),
            Column(
                "status",
                QCoreApplication.translate("Members", "Status"),
                lambda i: status_text(i.status),
                width=10,
            ),
            Column(
                "sent",
                QCoreApplication.translate("Members", "Last sent"),
                lambda i: i.last_sent_at,
                numeric=True,
                width=16,
            ),
            Column(
                "created",
                QCoreApplication.translate("Members", "Created"),
                lambda i: i.created_at,
                numeric=True,
                width=16,
            ),
        )

    def fetcher(self, context: PageContext) -> Fetcher[OrganizationInvitation] | None:
        lister = context.connection.client.invitations.list
        return organization_pages(context, lister, status=self.state.currentData())

    def detail_html(self, record: OrganizationInvitation) -> str:
        rows = [
            (QCoreApplication.translate("Members", "Status"), status_text(record.status)),
            (
                QCoreApplication.translate("Members", "Last sent"),
                format_local(record.last_sent_at) if record.last_sent_at else "—",
            ),
            (
                QCoreApplication.translate("Members", "Created"),
                format_local(record.created_at) if record.created_at else "—",
            ),
        ]
        cells = "".join(
            f"<tr><th align='left'>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
        )
        return f"<h3>{html.escape(record.email)}</h3><table cellspacing='4'>{cells}</table>"

    def selection_changed(self, records: list[OrganizationInvitation]) -> None:
        pending = bool(records) and all(i.is_pending for i in records)
        self.revoke_action.setEnabled(pending)
        self.resend_action.setEnabled(pending)
        why = QCoreApplication.translate(
            "Members", "Only pending invitations can be revoked or sent again."
        )
        self.revoke_action.setToolTip(
            QCoreApplication.translate("Members", "Withdraw the selected invitations")
            if pending
            else why
        )
        self.set_hint(why if records and not pending else "")

    def empty_text(self) -> str:
        return QCoreApplication.translate(
            "Members", "No invitations. Use Invite… to ask people to join."
        )

    def apply_hint(self, hint: Mapping[str, Any]) -> None:
        super().apply_hint(hint)
        if "status" in hint:
            self.state.setCurrentIndex(max(0, self.state.findData(hint.get("status"))))

    def _invite(self) -> None:
        if self.context is not None:
            member_actions.open_invite_dialog(self, self.context)

    def _revoke(self) -> None:
        if self.context is not None:
            member_actions.revoke(self, self.context, self.selected_records(), resend=False)

    def _resend(self) -> None:
        if self.context is not None:
            member_actions.revoke(self, self.context, self.selected_records(), resend=True)


def status_text(status: str) -> str:
    return {
        "pending": QCoreApplication.translate("Members", "Pending"),
        "accepted": QCoreApplication.translate("Members", "Accepted"),
        "declined": QCoreApplication.translate("Members", "Declined"),
    }.get(status, status)


def build_members_page(spec: PageSpec) -> RecordsPage:
    return RecordsPage(spec, [MembersTable(), InvitationsTable()])
