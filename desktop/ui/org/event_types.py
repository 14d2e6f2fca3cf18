"""The Event types page: every event type or one member's, their links and single-use links."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from desktop.api.client import CalendlyClient
from desktop.domain.event_types import EventType
from desktop.ui.failures import describe
from desktop.ui.models.columns import Column
from desktop.ui.models.record_model import Fetcher
from desktop.ui.org.event_filters import refill
from desktop.ui.org.event_type_link_dialog import SingleUseLinkDialog
from desktop.ui.org.event_type_links import EventTypeLinkActions
from desktop.ui.org.event_type_text import (
    duration_text,
    event_type_html,
    kind_label,
    locations_summary,
    owner_name,
    pooling_label,
)
from desktop.ui.org.record_table import RecordsPage
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec

PAGE_SIZE = 100


class EventTypesTable(EventTypeLinkActions):
    """Event types of the organization or of one member, active, inactive or both."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("event_types", QCoreApplication.translate("Pages", "Event types"), parent)
        self._members_task: asyncio.Task[None] | None = None
        self._hosts_task: asyncio.Task[None] | None = None
        self._hosts_loading: str | None = None
        self._hosts: dict[str, list[str]] = {}
        self._host_errors: dict[str, str] = {}
        self._link_task: asyncio.Task[None] | None = None
        self.link_dialog: SingleUseLinkDialog | None = None
        self._build_filters()
        self._build_actions()
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by name, A to Z
        self.selection_changed([])

    # -- widgets ------------------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.scope_label = QLabel(self.tr("&Owner:"))
        self.scope = QComboBox()
        self.scope.setAccessibleName(self.tr("Whose event types"))
        self.scope.setAccessibleDescription(
            self.tr("The whole organization, or the event types one member owns or hosts")
        )
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope_label.setBuddy(self.scope)
        self._reset_scope()
        self.active_label = QLabel(self.tr("Stat&us:"))
        self.active = QComboBox()
        self.active.setAccessibleName(self.tr("Active or inactive"))
        self.active.setAccessibleDescription(self.tr("Show active, inactive or all event types"))
        self.active.addItem(self.tr("Active and inactive"), "all")
        self.active.addItem(self.tr("Active only"), "active")
        self.active.addItem(self.tr("Inactive only"), "inactive")
        self.active_label.setBuddy(self.active)
        self.scope_note = QLabel()
        self.scope_note.setWordWrap(True)
        self.scope_note.setAccessibleName(self.tr("Whose event types are shown"))
        self.scope_note.setVisible(False)
        for position, widget in enumerate(
            (self.scope_label, self.scope, self.scope_note, self.active_label, self.active)
        ):
            self.filters.insertWidget(position, widget)
        self.scope.currentIndexChanged.connect(self._filter_changed)
        self.active.currentIndexChanged.connect(self._filter_changed)

    def _reset_scope(self) -> None:
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(self.tr("Everyone in the organization"), None)
        self.scope.blockSignals(False)

    # -- RecordTable --------------------------------------------------------------------------
    def columns(self) -> Sequence[Column[EventType]]:
        return (
            Column("name", self.tr("Name"), lambda e: e.display_name, width=26),
            Column("owner", self.tr("Owner"), owner_name, width=20),
            Column("kind", self.tr("Kind"), kind_label, width=13),
            Column(
                "pooling", self.tr("Pooling"), lambda e: pooling_label(e.pooling_type), width=12
            ),
            Column(
                "duration",
                self.tr("Duration"),
                lambda e: e.duration,
                text=duration_text,
                numeric=True,
                align_right=True,
                width=14,
            ),
            Column("active", self.tr("Active"), lambda e: e.active, width=7),
            Column("locations", self.tr("Locations"), locations_summary, tooltip=locations_summary),
            Column("link", self.tr("Link"), lambda e: e.scheduling_url, width=30),
        )

    def fetcher(self, context: PageContext) -> Fetcher[EventType] | None:
        client = context.connection.client
        identity = context.connection.identity
        active = {"active": True, "inactive": False}.get(str(self.active.currentData()))
        member = str(self.scope.currentData() or "")
        if not identity.is_admin:
            member = identity.user_uri
        if member:
            return lambda token: client.event_types.list(
                user=member, active=active, count=PAGE_SIZE, page_token=token
            )
        organization = identity.organization_uri
        return lambda token: client.event_types.list(
            organization=organization, active=active, count=PAGE_SIZE, page_token=token
        )

    def detail_html(self, record: EventType) -> str:
        return event_type_html(record, self._hosts_of(record))

    def empty_text(self) -> str:
        if self.context is not None and not self.context.connection.identity.is_admin:
            return self.tr("You have no event types that match.")
        return self.tr("No event types match these filters.")

    def selection_changed(self, records: list[EventType]) -> None:
        self._update_actions(records)
        if len(records) == 1 and records[0].is_team and records[0].uri not in self._hosts:
            self._load_hosts(records[0])

    # -- the page's calls ---------------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        identity = context.connection.identity
        organization = identity.organization_name or self.tr("the organization")
        admin = identity.is_admin
        self._reset_scope()
        self.scope.setVisible(admin)
        self.scope_label.setVisible(admin)
        if admin:
            self.scope_note.setVisible(False)
        else:
            if identity.role is None:
                text = self.tr(
                    "The sign-in cannot tell your role in {organization}: you see your own "
                    "event types (those you own or host)."
                )
            else:
                text = self.tr(
                    "Without admin rights in {organization} you see your own event types "
                    "(those you own or host)."
                )
            self.scope_note.setText(text.format(organization=organization))
            self.scope_note.setVisible(True)
        context.changes.changed.connect(self._data_changed)
        super().bind(context)
        if admin:
            self._members_task = context.tasks.spawn(
                self._load_members(context.connection.client, identity.organization_uri),
                self.tr("Loading the organization's members"),
            )

    def unbind(self) -> None:
        if self.context is not None:
            self.context.changes.changed.disconnect(self._data_changed)
        for task in (self._members_task, self._hosts_task, self._link_task):
            if task is not None:
                task.cancel()
        self._members_task = self._hosts_task = self._link_task = None
        self._hosts_loading = None
        self._hosts.clear()
        self._host_errors.clear()
        if self.link_dialog is not None:
            self.link_dialog.close()
            self.link_dialog = None
        super().unbind()
        self._reset_scope()
        self._update_actions([])

    def _filter_changed(self, *_: Any) -> None:
        self.reload()

    def apply_hint(self, hint: Mapping[str, Any]) -> None:
        """The Overview's card: the whole organization's event types, active or not."""
        super().apply_hint(hint)
        if "active" not in hint:
            return
        for combo in (self.scope, self.active):
            combo.blockSignals(True)
        self.scope.setCurrentIndex(0)
        self.active.setCurrentIndex(max(0, self.active.findData(hint.get("active"))))
        for combo in (self.scope, self.active):
            combo.blockSignals(False)
        if self.context is not None:
            self.reload()

    async def _load_members(self, client: CalendlyClient, organization: str) -> None:
        members = [m async for m in client.memberships.iterate(organization=organization)]
        members.sort(key=lambda m: (m.user.name.casefold(), m.user.email))
        everyone = self.scope.itemText(0)
        if not refill(self.scope, everyone, [(m.user.name, m.user.uri) for m in members]):
            self.reload()  # the member whose event types were shown has left
        for row, membership in enumerate(members, start=1):
            self.scope.setItemData(row, membership.user.email, Qt.ItemDataRole.ToolTipRole)
        self._members_task = None

    def _data_changed(self, kind: str, uri: str) -> None:
        """Another page changed an event type we list (show its new state), or the members
        (the owner picker and the hosts follow)."""
        context = self.context
        if context is None:
            return
        if kind == "event_type" and self.model.row_of(uri) is not None:
            context.tasks.spawn(
                self._reload_one(context.connection.client, uri),
                self.tr("Reloading an event type"),
            )
        elif kind == "membership" and context.connection.identity.is_admin:
            self._hosts.clear()
            self._host_errors.clear()
            if self._members_task is not None:
                self._members_task.cancel()
            identity = context.connection.identity
            self._members_task = context.tasks.spawn(
                self._load_members(context.connection.client, identity.organization_uri),
                self.tr("Loading the organization's members"),
            )

    async def _reload_one(self, client: CalendlyClient, uri: str) -> None:
        record = await client.event_types.get(uri)
        self.model.replace(record)
        self.show_detail_of(record)

    # -- hosts --------------------------------------------------------------------------------
    def _hosts_of(self, record: EventType) -> list[str] | str | None:
        if not record.is_team:
            return None
        if record.uri in self._hosts:
            return self._hosts[record.uri]
        return self._host_errors.get(record.uri) or self.tr("Loading hosts…")

    def _load_hosts(self, record: EventType) -> None:
        if self.context is None or self._hosts_loading == record.uri:
            return
        if self._hosts_task is not None:
            self._hosts_task.cancel()
        self._host_errors.pop(record.uri, None)
        self._hosts_loading = record.uri
        self._hosts_task = self.context.tasks.spawn(
            self._fetch_hosts(self.context.connection.client, record.uri),
            self.tr("Loading hosts"),
        )
        self.detail.setHtml(self.detail_html(record))

    async def _fetch_hosts(self, client: CalendlyClient, uri: str) -> None:
        try:
            hosts = [h async for h in client.event_types.iterate_hosts(event_type=uri)]
        except asyncio.CancelledError:
            raise
        except Exception as error:  # shown in the panel: the hosts are a detail, not the page
            self._host_errors[uri] = describe(self.tr("Loading hosts"), error)
        else:
            names = [h.member.name for h in hosts if h.member is not None]
            self._hosts[uri] = sorted(names, key=str.casefold)
        finally:
            if self._hosts_loading == uri:
                self._hosts_loading = None
                self._hosts_task = None
        current = self.current_record()
        if current is not None and current.uri == uri:
            self.detail.setHtml(self.detail_html(current))


def build_event_types_page(spec: PageSpec) -> RecordsPage:
    """The Event types page: one table of event types."""
    return RecordsPage(spec, [EventTypesTable()])
