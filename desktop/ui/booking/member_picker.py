"""Whose calendar: search the organization's members, then pick one of their active event types.

Members load once per connection (in the background) and are searched here by name or e-mail;
a member's event types load when the member is picked: the active ones they own or host,
without meeting polls (Calendly cannot book a poll through the Scheduling API).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.api.client import CalendlyClient
from desktop.api.errors import CalendlyError
from desktop.domain.event_types import EventType
from desktop.domain.organizations import MembershipUser
from desktop.ui.failures import describe
from desktop.ui.org.event_type_text import kind_label, pooling_label
from desktop.ui.tasks import TaskOwner

RECORD_ROLE = Qt.ItemDataRole.UserRole


def _member_text(user: MembershipUser) -> str:
    return f"{user.name} <{user.email}>" if user.email else user.name


def _type_text(event_type: EventType) -> str:
    kind = pooling_label(event_type.pooling_type) or kind_label(event_type)
    return QCoreApplication.translate("MemberPicker", "{name} — {minutes} min, {kind}").format(
        name=event_type.display_name, minutes=int(event_type.duration), kind=kind
    )


class MemberPicker(QWidget):
    """Member search and list, then the member's event types; says what was picked."""

    member_chosen = Signal(object)  # MembershipUser | None
    event_type_chosen = Signal(object)  # EventType | None
    members_loaded = Signal()
    event_types_loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = TaskOwner(self)
        self._types_tasks = TaskOwner(self)
        self._client: CalendlyClient | None = None
        self._organization = ""
        self.members: list[MembershipUser] = []
        self.event_types: list[EventType] = []
        self.loading_members = False
        self.loading_types = False

        self.search = QLineEdit()
        self.search.setAccessibleName(QCoreApplication.translate("MemberPicker", "Search members"))
        self.search.setAccessibleDescription(
            QCoreApplication.translate("MemberPicker", "Filters the members by name or e-mail")
        )
        self.search.setPlaceholderText(QCoreApplication.translate("MemberPicker", "Name or e-mail"))
        self.search.setClearButtonEnabled(True)
        self.member_list = QListWidget()
        self.member_list.setAccessibleName(QCoreApplication.translate("MemberPicker", "Members"))
        self.member_list.setAccessibleDescription(
            QCoreApplication.translate("MemberPicker", "The member whose calendar is booked")
        )
        self.member_status = QLabel()
        self.member_status.setWordWrap(True)
        self.type_list = QListWidget()
        self.type_list.setAccessibleName(QCoreApplication.translate("MemberPicker", "Event types"))
        self.type_list.setAccessibleDescription(
            QCoreApplication.translate("MemberPicker", "The member's active event types")
        )
        self.type_status = QLabel()
        self.type_status.setWordWrap(True)
        search_label = QLabel(QCoreApplication.translate("MemberPicker", "&Member:"))
        search_label.setBuddy(self.search)
        types_label = QLabel(QCoreApplication.translate("MemberPicker", "Event t&ype:"))
        types_label.setBuddy(self.type_list)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.member_list, 2)
        layout.addWidget(self.member_status)
        layout.addWidget(types_label)
        layout.addWidget(self.type_list, 1)
        layout.addWidget(self.type_status)

        self.search.textChanged.connect(self._filter)
        self.member_list.currentItemChanged.connect(self._member_changed)
        self.type_list.currentItemChanged.connect(self._type_changed)

    # -- connection ---------------------------------------------------------------------------
    def bind(self, client: CalendlyClient, organization: str) -> None:
        self._client, self._organization = client, organization
        self.reload()

    def unbind(self) -> None:
        self._tasks.cancel_all()
        self._types_tasks.cancel_all()
        self._client = None
        self.members = []
        self.member_list.clear()
        self._set_types([])
        self.member_status.clear()
        self.type_status.clear()

    def reload(self) -> None:
        """Load the members again (the picked member stays picked if still there)."""
        if self._client is None:
            return
        self._tasks.cancel_all()
        self.loading_members = True
        self.member_status.setText(
            QCoreApplication.translate("MemberPicker", "Loading the members…")
        )
        self._tasks.spawn(
            self._load_members(self._client),
            QCoreApplication.translate("MemberPicker", "Loading the members"),
        )

    async def _load_members(self, client: CalendlyClient) -> None:
        found: list[MembershipUser] = []
        try:
            async for membership in client.memberships.iterate(organization=self._organization):
                found.append(membership.user)
        except CalendlyError as error:
            self.loading_members = False
            self.member_status.setText(
                describe(QCoreApplication.translate("MemberPicker", "Loading the members"), error)
            )
            return
        if client is not self._client:
            return
        self.loading_members = False
        self.members = sorted(found, key=lambda u: (u.name.casefold(), u.email))
        self._filter(self.search.text())
        self.members_loaded.emit()

    # -- members ------------------------------------------------------------------------------
    def current_member(self) -> MembershipUser | None:
        item = self.member_list.currentItem()
        value = item.data(RECORD_ROLE) if item is not None else None
        return value if isinstance(value, MembershipUser) else None

    def _filter(self, text: str) -> None:
        keep = self.current_member()
        words = text.casefold().split()
        shown = [u for u in self.members if all(w in _member_text(u).casefold() for w in words)]
        self.member_list.blockSignals(True)
        self.member_list.clear()
        for user in shown:
            item = QListWidgetItem(_member_text(user))
            item.setData(RECORD_ROLE, user)
            self.member_list.addItem(item)
            if keep is not None and user.uri == keep.uri:
                self.member_list.setCurrentItem(item)
        self.member_list.blockSignals(False)
        if not self.loading_members:
            self.member_status.setText(
                QCoreApplication.translate("MemberPicker", "No member matches “{text}”.").format(
                    text=text.strip()
                )
                if not shown and text.strip()
                else ""
            )
        if keep is not None and self.current_member() is None:
            self._member_changed(None, None)

    def choose_member(self, uri: str) -> bool:
        """Pick the member whose user URI is ``uri`` (as a click would)."""
        for row in range(self.member_list.count()):
            item = self.member_list.item(row)
            user = item.data(RECORD_ROLE)
            if isinstance(user, MembershipUser) and user.uri == uri:
                self.member_list.setCurrentItem(item)
                return True
        return False

    def _member_changed(self, _current: object, _previous: object) -> None:
        member = self.current_member()
        self._types_tasks.cancel_all()
        self._set_types([])
        self.member_chosen.emit(member)
        if member is None or self._client is None:
            self.type_status.setText(
                QCoreApplication.translate("MemberPicker", "Choose a member first.")
            )
            return
        self.loading_types = True
        self.type_status.setText(
            QCoreApplication.translate("MemberPicker", "Loading {name}'s event types…").format(
                name=member.name
            )
        )
        self._types_tasks.spawn(
            self._load_types(self._client, member),
            QCoreApplication.translate("MemberPicker", "Loading the event types"),
        )

    # -- event types --------------------------------------------------------------------------
    async def _load_types(self, client: CalendlyClient, member: MembershipUser) -> None:
        found: list[EventType] = []
        try:
            async for event_type in client.event_types.iterate(user=member.uri, active=True):
                if event_type.active and not event_type.is_deleted:
                    found.append(event_type)
        except CalendlyError as error:
            self.loading_types = False
            self.type_status.setText(
                describe(
                    QCoreApplication.translate("MemberPicker", "Loading the event types"), error
                )
            )
            return
        self.loading_types = False
        bookable = [t for t in found if t.booking_method != "poll"]
        bookable.sort(key=lambda t: t.display_name.casefold())
        self._set_types(bookable)
        polls = len(found) - len(bookable)
        if not bookable:
            text = QCoreApplication.translate(
                "MemberPicker", "{name} has no active event type to book."
            ).format(name=member.name)
        else:
            text = ""
        if polls:
            text = (
                text
                + " "
                + QCoreApplication.translate(
                    "MemberPicker", "Meeting polls are left out: they cannot be booked here."
                )
            ).strip()
        self.type_status.setText(text)
        self.event_types_loaded.emit()

    def _set_types(self, event_types: list[EventType]) -> None:
        self.event_types = event_types
        self.type_list.blockSignals(True)
        self.type_list.clear()
        for event_type in event_types:
            item = QListWidgetItem(_type_text(event_type))
            item.setData(RECORD_ROLE, event_type)
            item.setToolTip(event_type.scheduling_url)
            self.type_list.addItem(item)
        self.type_list.blockSignals(False)
        self.event_type_chosen.emit(None)

    def current_event_type(self) -> EventType | None:
        item = self.type_list.currentItem()
        value = item.data(RECORD_ROLE) if item is not None else None
        return value if isinstance(value, EventType) else None

    def choose_event_type(self, uri: str) -> bool:
        """Pick the event type ``uri`` among the member's (as a click would)."""
        for row in range(self.type_list.count()):
            item = self.type_list.item(row)
            value = item.data(RECORD_ROLE)
            if isinstance(value, EventType) and value.uri == uri:
                self.type_list.setCurrentItem(item)
                return True
        return False

    def _type_changed(self, _current: object, _previous: object) -> None:
        self.event_type_chosen.emit(self.current_event_type())

    def focus_chain(self) -> list[QWidget]:
        return [self.search, self.member_list, self.type_list]
