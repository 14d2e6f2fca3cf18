"""The Scheduled events page: the organization's meetings with server-side filters, the detail
panel with invitees, and the cancel / no-show actions."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QWidget

from desktop.api.errors import CalendlyError
from desktop.api.pagination import Page
from desktop.api.resources.scheduled_events import EventSort, EventStatus
from desktop.domain.organizations import MembershipUser
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.failures import describe
from desktop.ui.models.columns import Column
from desktop.ui.models.record_model import Fetcher
from desktop.ui.org.date_range import DateRangeFilter
from desktop.ui.org.event_actions import EventActions
from desktop.ui.org.event_bulk import add_event_bulk_actions
from desktop.ui.org.event_detail import EventDetailPanel
from desktop.ui.org.event_exports import add_event_exports
from desktop.ui.org.event_filter_row import apply_filter_hint, passes_filters
from desktop.ui.org.event_filters import InviteeEmailFilter, filter_combo, keep_first, refill
from desktop.ui.org.event_text import format_end, location_kind, start_tooltip, status_text
from desktop.ui.org.record_table import RecordsPage, RecordTable
from desktop.ui.org.scheduled_event_tooltips import cancel_tooltip as _cancel_tooltip
from desktop.ui.org.scheduled_event_tooltips import counter_tooltip as _counter_tooltip
from desktop.ui.org.scheduled_event_tooltips import who as _who
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec
from desktop.ui.tasks import TaskOwner

PAGE_SIZE = 100
START_COLUMN = 0


class ScheduledEventsTable(RecordTable[ScheduledEvent]):
    """Meetings, filtered on Calendly's side by member, group, status, start and invitee."""

    def __init__(self, member_note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(
            "scheduled_events",
            QCoreApplication.translate("ScheduledEventsTable", "Scheduled events"),
            parent,
        )
        self._member_note = member_note
        self._zones: dict[str, str] = {}  # user URI → IANA zone, for the start's tooltip
        self._server_sort: EventSort = "start_time:asc"
        self._own_only = False
        self._tasks = TaskOwner(self)
        self._pending_choice: dict[str, str] = {}  # "member"/"group" → URI still to choose
        self._build_filters()

        # The detail browser moves into a panel that adds the invitee list and buttons.
        self.panel = EventDetailPanel(self.detail)
        self.side_layout.insertWidget(0, self.panel, 1)  # it holds the detail browser
        self.splitter.setCollapsible(1, False)
        self.event_actions = EventActions(self, self.panel)
        self.panel.invitee_changed.connect(self.event_actions.update)
        self.model.modelReset.connect(self._rows_reset)

        self._people: dict[str, MembershipUser] = {}
        self.exports = add_event_exports(self)
        self.reason_dialog: QDialog | None = None
        self.bulk_cancel, self.bulk_no_shows = add_event_bulk_actions(self)

        self.view.sortByColumn(START_COLUMN, Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._sort_changed)

    # -- filters ------------------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.scope = QLabel()
        self.scope.setWordWrap(True)
        self.scope.setAccessibleName(self.tr("Whose meetings are listed"))
        self.scope.setVisible(False)

        self.member = filter_combo(self.tr("Member"), self.tr("Only meetings this member hosts"))
        self.member.addItem(self.tr("Everyone"), None)
        # Long names and addresses must not push the other filters off the row.
        self.member.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.member.setMinimumContentsLength(22)
        self.group = filter_combo(
            self.tr("Group"), self.tr("Only meetings hosted by members of this group")
        )
        self.group.addItem(self.tr("All groups"), None)
        self.status_filter = filter_combo(self.tr("Status"), self.tr("Active or canceled meetings"))
        for text, value in (
            (self.tr("Any status"), None),
            (self.tr("Active"), "active"),
            (self.tr("Canceled"), "canceled"),
        ):
            self.status_filter.addItem(text, value)
        self.dates = DateRangeFilter()
        self.dates.changed.connect(self.reload)

        self.email = InviteeEmailFilter()
        self.email.changed.connect(self.reload)

        row: list[QWidget] = [self.scope]
        self._labels: dict[QWidget, QLabel] = {}
        fields: tuple[tuple[str, QWidget], ...] = (
            (self.tr("&Member:"), self.member),
            (self.tr("&Group:"), self.group),
            (self.tr("&Status:"), self.status_filter),
            (self.tr("&When:"), self.dates),
            (self.tr("Invitee &e-mail:"), self.email),
        )
        for caption, field in fields:
            label = QLabel(caption)
            label.setBuddy(field.focusProxy() or field)
            row.extend((label, field))
            self._labels[field] = label
        for index, widget in enumerate(row):
            self.filters.insertWidget(index, widget)
        for combo in (self.member, self.group, self.status_filter):
            combo.currentIndexChanged.connect(self.reload)

    def _set_scope(self, context: PageContext) -> None:
        identity = context.connection.identity
        self._own_only = not identity.is_admin
        organization = identity.organization_name or self.tr("the organization")
        for combo in (self.member, self.group):
            combo.setVisible(not self._own_only)
            self._labels[combo].setVisible(not self._own_only)
        if not self._own_only:
            self.scope.setVisible(False)
            return
        if identity.role is None:
            text = self.tr(
                "Your own meetings only: the sign-in cannot tell your role in {organization}."
            ).format(organization=organization)
        else:
            note = self._member_note or self.tr(
                "Without admin rights in {organization} you will see your own meetings only."
            )
            text = note.format(organization=organization)
        self.scope.setText(text)
        self.scope.setVisible(True)

    # -- RecordTable --------------------------------------------------------------------------
    def columns(self) -> Sequence[Column[ScheduledEvent]]:
        return (
            Column(
                "start",
                self.tr("Start (your time)"),
                lambda e: e.start_time,
                tooltip=lambda e: start_tooltip(e, self._host_zones()),
                numeric=True,
                width=20,
            ),
            Column(
                "end",
                self.tr("End"),
                lambda e: e.end_time,
                text=lambda e: format_end(e.start_time, e.end_time),
                numeric=True,
                width=14,
            ),
            Column("name", self.tr("Name"), lambda e: e.name or "", width=24),
            Column(
                "status",
                self.tr("Status"),
                lambda e: e.status,
                text=lambda e: status_text(e.status),
                tooltip=_cancel_tooltip,
                width=11,
            ),
            Column("hosts", self.tr("Hosts"), lambda e: e.host_names, width=22),
            Column(
                "invitees",
                self.tr("Invitees"),
                lambda e: int(e.invitees_counter.active) if e.invitees_counter else None,
                tooltip=_counter_tooltip,
                align_right=True,
                numeric=True,
                width=8,
            ),
            Column("location", self.tr("Location"), location_kind, width=16),
            Column("created", self.tr("Booked"), lambda e: e.created_at, numeric=True, width=20),
        )

    def _host_zones(self) -> dict[str, str]:
        return getattr(self, "_zones", {})

    def fetcher(self, context: PageContext) -> Fetcher[ScheduledEvent] | None:
        identity = context.connection.identity
        client = context.connection.client
        organization = identity.organization_uri
        if self._own_only:
            # Calendly lets a member list only their own meetings (organization + user).
            user: str | None = identity.user_uri
            group: str | None = None
        else:
            # Both are Calendly's own filters (``group`` needs ``organization``, which is always
            # sent); chosen together, a meeting must match both.
            user = self.member.currentData()
            group = self.group.currentData()
        status: EventStatus | None = self.status_filter.currentData()
        low, high = self.dates.bounds()
        email, sort = self.email.value(), self._server_sort

        async def fetch(token: str | None) -> Page[ScheduledEvent]:
            return await client.scheduled_events.list(
                organization=organization,
                user=user,
                group=group,
                status=status,
                min_start_time=low,
                max_start_time=high,
                invitee_email=email,
                sort=sort,
                count=PAGE_SIZE,
                page_token=token,
            )

        return fetch

    def shows(self, event: ScheduledEvent) -> bool:
        """Whether ``event`` passes the filters in force (those it can be checked against alone:
        with a group or an invitee e-mail chosen, only a reload can tell)."""
        return passes_filters(self, event)

    def detail_html(self, record: ScheduledEvent) -> str:
        return self.panel.html_for(record)

    def selection_changed(self, records: list[ScheduledEvent]) -> None:
        self.panel.show_event(records[0] if len(records) == 1 else None)
        self.event_actions.update()

    def empty_text(self) -> str:
        if self._own_only:
            return self.tr("You have no meetings that match these filters.")
        return self.tr("No meetings match these filters.")

    def bind(self, context: PageContext) -> None:
        if self.context is not None:
            self.unbind()
        self.panel.client = context.connection.client
        self._set_scope(context)
        context.changes.changed.connect(self._changed_elsewhere)
        super().bind(context)
        self._load_choices()

    def refresh(self) -> None:
        super().refresh()
        self._load_choices()  # members or groups may have come or gone too

    def _load_choices(self) -> None:
        """Members (names, time zones, the member filter) and groups, in the background."""
        context = self.context
        if context is None:
            return
        self._tasks.cancel_all()
        self._tasks.spawn(self._load_people(context), self.tr("Loading the members"))
        if not self._own_only:
            self._tasks.spawn(self._load_groups(context), self.tr("Loading the groups"))

    def _changed_elsewhere(self, kind: str, uri: str) -> None:
        """Meetings changed elsewhere are read back; a member who came or went changes the
        member filter and the names shown."""
        context = self.context
        if kind == "membership" and context is not None:
            self._tasks.spawn(self._load_people(context), self.tr("Loading the members"))
        else:
            self.event_actions.changed_elsewhere(kind, uri)

    def unbind(self) -> None:
        if self.context is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # never connected
                self.context.changes.changed.disconnect(self._changed_elsewhere)
        self._tasks.cancel_all()
        self.event_actions.forget()
        self.panel.client = None
        self.panel.clear()
        super().unbind()
        # The next connection may be another organization: its own members and groups.
        self._zones = {}
        self.panel.set_people({})
        keep_first(self.member)
        keep_first(self.group)

    def user_labels(self) -> dict[str, str]:
        """User URI -> "Name <e-mail>", for the exports' "booked by"."""
        return {uri: f"{u.name} <{u.email}>" for uri, u in self._people.items()}

    # -- members and groups for the filters ---------------------------------------------------
    async def _load_people(self, context: PageContext) -> None:
        client = context.connection.client
        organization = context.connection.identity.organization_uri
        people: dict[str, MembershipUser] = {}
        try:
            async for membership in client.memberships.iterate(organization=organization):
                people[membership.user.uri] = membership.user
        except CalendlyError as error:
            self.member.setToolTip(describe(self.tr("Loading the members"), error))
            return
        self._people = people
        self._zones = {uri: user.timezone for uri, user in people.items() if user.timezone}
        self.panel.set_people(people)
        ordered = sorted(people.values(), key=lambda u: (u.name.casefold(), u.email))
        self._refill(self.member, self.tr("Everyone"), [(_who(u), u.uri) for u in ordered])

    async def _load_groups(self, context: PageContext) -> None:
        client = context.connection.client
        organization = context.connection.identity.organization_uri
        try:
            groups = [g async for g in client.groups.iterate(organization=organization)]
        except CalendlyError as error:
            self.group.setEnabled(False)
            self.group.setToolTip(describe(self.tr("Loading the groups"), error))
            return
        ordered = sorted(groups, key=lambda g: g.name.casefold())
        self._refill(self.group, self.tr("All groups"), [(g.name, g.uri) for g in ordered])

    def _refill(self, combo: QComboBox, first: str, items: list[tuple[str, str]]) -> None:
        gone = not refill(combo, first, items)
        name = "member" if combo is self.member else "group"
        pending = self._pending_choice.pop(name, None)
        if pending is not None and (index := combo.findData(pending)) >= 0:
            combo.blockSignals(True)
            combo.setCurrentIndex(index)  # what a card pointed at before the list arrived
            combo.blockSignals(False)
            self.reload()
        elif gone:
            self.reload()  # the chosen member or group is gone

    # -- rows ---------------------------------------------------------------------------------
    def _rows_reset(self) -> None:
        self.panel.clear()
        self.event_actions.update()

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        """Sorting by start while pages are still to come asks Calendly for that order, so
        the rows loaded first are the first in the order shown."""
        if section != START_COLUMN:
            return
        wanted: EventSort = (
            "start_time:asc" if order == Qt.SortOrder.AscendingOrder else "start_time:desc"
        )
        if wanted == self._server_sort:
            return
        self._server_sort = wanted
        if self.context is not None and not self.model.exhausted:
            self.reload()

    def apply_hint(self, hint: Mapping[str, Any]) -> None:
        """The Overview's meeting cards: a status, a span of local days (``from`` and ``to``,
        both included), and a member or a group; one reload for all of it."""
        super().apply_hint(hint)
        apply_filter_hint(self, hint)
        if self.context is not None:
            self.reload()

    def set_email_filter(self, text: str) -> None:
        """Type ``text`` into the invitee e-mail filter and apply it (as Enter does)."""
        self.email.edit.setText(text)
        self.email.apply()

    def row_updated(self, event: ScheduledEvent) -> None:
        """After a write: the row and, if it is shown, the detail show ``event``."""
        self.model.replace(event)
        self.panel.update_event(event)
        self.event_actions.update()


def build_scheduled_events_page(spec: PageSpec) -> RecordsPage:
    """The page for the shell: one table of meetings."""
    return RecordsPage(spec, [ScheduledEventsTable(spec.member_note)])
