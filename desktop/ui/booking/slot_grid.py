"""The open times of an event type, a week at a time, in the scheduler's and the invitee's zones.

Each window asks ``/event_type_available_times`` for 7 days: the most the 2023 API allowed in
one request (2026 allows 31, facts §9.1), so the same grid works against either. The first
window starts a minute from now (Calendly refuses a start in the past); "Earlier" and "Later"
move a week at a time, up to a year ahead. Loading runs in the background and never blocks: a
newer request makes an older answer be ignored, and the form stays usable meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.api.client import CalendlyClient
from desktop.api.errors import CalendlyError
from desktop.domain.availability import EventTypeAvailableTime
from desktop.domain.event_types import EventType
from desktop.ui.failures import describe
from desktop.ui.org.event_text import system_zone_name, zone_of
from desktop.ui.signin.form import FieldMessage
from desktop.ui.tasks import TaskOwner

WINDOW = timedelta(days=7)  # one request; within both the 2023 (7 days) and 2026 (31) limits
LEAD = timedelta(minutes=1)  # the first window starts this far ahead of now
HORIZON = timedelta(days=365)  # browsing stops a year ahead
START_ROLE = Qt.ItemDataRole.UserRole


def _stamp(moment: datetime, zone: QTimeZone) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), zone)


class SlotGrid(QWidget):
    """Open times grouped by day; ``chosen(start or None)`` when the picked time changes."""

    chosen = Signal(object)
    loaded = Signal()  # a window's times are shown (or its failure is)

    def __init__(
        self, parent: QWidget | None = None, now: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(parent)
        self._now = now or (lambda: datetime.now(UTC))
        self._tasks = TaskOwner(self)
        self._client: CalendlyClient | None = None
        self.event_type: EventType | None = None
        self._origin = self._now()
        self._page = 0
        self._times: list[EventTypeAvailableTime] = []
        self._generation = 0
        self.loading = False
        self.invitee_zone = system_zone_name()

        self.earlier_button = QPushButton(QCoreApplication.translate("SlotGrid", "Ea&rlier"))
        self.earlier_button.setAccessibleName(
            QCoreApplication.translate("SlotGrid", "Earlier week")
        )
        self.earlier_button.setAccessibleDescription(
            QCoreApplication.translate("SlotGrid", "Shows the open times of the week before")
        )
        self.later_button = QPushButton(QCoreApplication.translate("SlotGrid", "La&ter"))
        self.later_button.setAccessibleName(QCoreApplication.translate("SlotGrid", "Later week"))
        self.later_button.setAccessibleDescription(
            QCoreApplication.translate("SlotGrid", "Shows the open times of the week after")
        )
        self.window_label = QLabel()
        self.window_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.earlier_button.clicked.connect(self.earlier)
        self.later_button.clicked.connect(self.later)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(QCoreApplication.translate("SlotGrid", "Open times"))
        self.tree.setAccessibleDescription(
            QCoreApplication.translate(
                "SlotGrid", "Open times by day; each shows your time and the invitee's time"
            )
        )
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.message = FieldMessage(self.tree, self)

        navigation = QHBoxLayout()
        navigation.addWidget(self.earlier_button)
        navigation.addWidget(self.window_label, 1)
        navigation.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(navigation)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        self._headers()
        self._update_navigation()

    # -- what is shown ------------------------------------------------------------------------
    @property
    def time_window(self) -> tuple[datetime, datetime]:
        """The window shown: [start, end) in UTC."""
        start = self._origin + WINDOW * self._page
        return start, start + WINDOW

    def times(self) -> list[datetime]:
        """The open starts shown, in order."""
        return [t.start_time for t in self._times]

    def selected_start(self) -> datetime | None:
        item = self.tree.currentItem()
        value = item.data(0, START_ROLE) if item is not None else None
        return value if isinstance(value, datetime) else None

    def select(self, start: datetime) -> bool:
        """Pick the open time ``start`` (as a click would); False when it is not shown."""
        for item in self._slot_items():
            if item.data(0, START_ROLE) == start:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _slot_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        for day in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(day)
            if parent is not None:
                children = (parent.child(i) for i in range(parent.childCount()))
                found += [child for child in children if child is not None]
        return found

    # -- choosing what to show ----------------------------------------------------------------
    def show_event_type(self, client: CalendlyClient | None, event_type: EventType | None) -> None:
        """Show ``event_type``'s open times from now on (nothing for None)."""
        self._client = client
        self.event_type = event_type
        self._origin = (self._now() + LEAD).replace(second=0, microsecond=0) + timedelta(minutes=1)
        self._page = 0
        self.reload()

    def set_invitee_zone(self, zone: str) -> None:
        if zone and zone != self.invitee_zone:
            self.invitee_zone = zone
            self._headers()
            self._fill()

    def earlier(self) -> None:
        if self._page > 0:
            self._page -= 1
            self.reload()

    def later(self) -> None:
        if self._can_go_later():
            self._page += 1
            self.reload()

    def _can_go_later(self) -> bool:
        return WINDOW * (self._page + 1) < HORIZON

    def reload(self) -> None:
        """Ask for the shown window's times again (in the background)."""
        self._generation += 1
        self._tasks.cancel_all()
        self.message.clear_message()
        self._times = []
        self._fill()
        self._update_navigation()
        if self._client is None or self.event_type is None:
            self.loading = False
            self.status.setText(
                QCoreApplication.translate(
                    "SlotGrid", "Choose a member and an event type to see the open times."
                )
            )
            return
        self.loading = True
        self.status.setText(QCoreApplication.translate("SlotGrid", "Loading the open times…"))
        self._tasks.spawn(
            self._load(self._client, self.event_type, self._generation),
            QCoreApplication.translate("SlotGrid", "Loading open times"),
        )

    async def _load(self, client: CalendlyClient, event_type: EventType, generation: int) -> None:
        start, end = self.time_window
        try:
            times = await client.event_types.available_times(
                event_type=event_type.uri, start_time=start, end_time=end
            )
            failure: str | None = None
        except CalendlyError as error:
            times, failure = (
                (),
                describe(QCoreApplication.translate("SlotGrid", "Loading the open times"), error),
            )
        if generation != self._generation:
            return  # another window or event type was asked for meanwhile
        self.loading = False
        self._times = sorted(times, key=lambda t: t.start_time)
        self._fill()
        if failure is not None:
            self.status.setText(failure)
        elif not self._times:
            self.status.setText(
                QCoreApplication.translate("SlotGrid", "No open times this week. Try a later week.")
            )
        else:
            self.status.setText(
                QCoreApplication.translate("SlotGrid", "{count} open times this week.").format(
                    count=QLocale().toString(len(self._times))
                )
            )
        self.loaded.emit()

    # -- drawing ------------------------------------------------------------------------------
    def _headers(self) -> None:
        self.tree.setHeaderLabels(
            [
                QCoreApplication.translate("SlotGrid", "Your time ({zone})").format(
                    zone=system_zone_name()
                ),
                QCoreApplication.translate("SlotGrid", "Invitee's time ({zone})").format(
                    zone=self.invitee_zone
                ),
                QCoreApplication.translate("SlotGrid", "Seats left"),
            ]
        )

    def _update_navigation(self) -> None:
        start, end = self.time_window
        locale = QLocale()
        here = QTimeZone.systemTimeZone()
        short = QLocale.FormatType.ShortFormat
        first = locale.toString(_stamp(start, here).date(), short)
        last = locale.toString(_stamp(end - timedelta(seconds=1), here).date(), short)
        self.window_label.setText(
            QCoreApplication.translate("SlotGrid", "{first} – {last}").format(
                first=first, last=last
            )
        )
        self.earlier_button.setEnabled(self._page > 0)
        self.later_button.setEnabled(self._can_go_later())

    def _fill(self) -> None:
        """Show ``_times`` by day in the user's zone, keeping the picked time if still shown."""
        keep = self.selected_start()
        self.tree.blockSignals(True)
        self.tree.clear()
        mine = QTimeZone.systemTimeZone()
        theirs = zone_of(self.invitee_zone) or mine
        locale = QLocale()
        days: dict[object, QTreeWidgetItem] = {}
        current: QTreeWidgetItem | None = None
        for slot in self._times:
            here, there = _stamp(slot.start_time, mine), _stamp(slot.start_time, theirs)
            day = here.date()
            parent = days.get(day.toJulianDay())
            if parent is None:
                parent = QTreeWidgetItem([locale.toString(day, QLocale.FormatType.LongFormat)])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(parent)
                parent.setFirstColumnSpanned(True)  # the day reads across the columns
                days[day.toJulianDay()] = parent
            their_text = locale.toString(there.time(), QLocale.FormatType.ShortFormat)
            if there.date() != day:
                their_text = QCoreApplication.translate("SlotGrid", "{time} ({date})").format(
                    time=their_text,
                    date=locale.toString(there.date(), QLocale.FormatType.ShortFormat),
                )
            seats = int(slot.invitees_remaining)
            item = QTreeWidgetItem(
                [
                    locale.toString(here.time(), QLocale.FormatType.ShortFormat),
                    their_text,
                    locale.toString(seats) if seats > 1 else "",
                ]
            )
            item.setData(0, START_ROLE, slot.start_time)
            parent.addChild(item)
            if slot.start_time == keep:
                current = item
        self.tree.expandAll()
        if current is not None:
            self.tree.setCurrentItem(current)
        self.tree.blockSignals(False)
        if keep is not None and current is None:
            self.chosen.emit(None)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        start = self.selected_start()
        if start is not None:  # a day's heading (focus lands there first) is no choice
            self.message.clear_message()
        self.chosen.emit(start)

    # -- problems -----------------------------------------------------------------------------
    def show_problem(self, text: str) -> None:
        self.message.show_message(text)

    def forget(self) -> None:
        """Signed out: nothing to show, nothing loading."""
        self._tasks.cancel_all()
        self.show_event_type(None, None)
