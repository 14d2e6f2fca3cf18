"""The inspector's list: deliveries the local receiver kept, newest first, a page at a time,
and the feed that keeps it in step with the inbox file (filters, paging, live arrivals)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop.ui.models.columns import format_local
from desktop.ui.tasks import TaskOwner
from desktop.webhooks.inbox import Delivery, Inbox, InboxError, Verdict

Index = QModelIndex | QPersistentModelIndex
Filters = tuple[str | None, Verdict | None, str | None]  # search text, verdict, event
PAGE = 200
DELIVERY_ROLE = Qt.ItemDataRole.UserRole + 1

RECEIVED, EVENT, SUMMARY, VERDICT, ANSWERED = range(5)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_DELIVERY = int(DELIVERY_ROLE)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


_VERDICTS = {
    Verdict.VALID: QT_TRANSLATE_NOOP("Verdict", "Valid"),
    Verdict.INVALID: QT_TRANSLATE_NOOP("Verdict", "Invalid"),
    Verdict.EXPIRED: QT_TRANSLATE_NOOP("Verdict", "Expired"),
    Verdict.UNSIGNED: QT_TRANSLATE_NOOP("Verdict", "Unsigned"),
    Verdict.MALFORMED: QT_TRANSLATE_NOOP("Verdict", "Malformed"),
    Verdict.NO_KEY: QT_TRANSLATE_NOOP("Verdict", "No key"),
    Verdict.REJECTED: QT_TRANSLATE_NOOP("Verdict", "Rejected"),
}


def verdict_title(verdict: Verdict) -> str:
    """The verdict in one word or two, as the list and the detail show it."""
    return translate("Verdict", str(_VERDICTS[verdict]))


def column_titles() -> tuple[str, ...]:
    return (
        translate("InboxModel", "Received"),
        translate("InboxModel", "Event"),
        translate("InboxModel", "Summary"),
        translate("InboxModel", "Verdict"),
        translate("InboxModel", "Answered"),
    )


class InboxModel(QAbstractTableModel):
    """Rows of ``Delivery``, newest first. The model does no I/O: ``fetchMore`` asks for the
    next page with ``more_requested(before_id)`` and the owner hands rows back with
    ``append``; live deliveries go on top with ``prepend``."""

    more_requested = Signal(int)  # the id of the oldest row shown: load those before it

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Delivery] = []
        self._ids: set[int] = set()
        self._exhausted = True
        self._loading = False
        self._titles = column_titles()

    # -- the owner's calls ----------------------------------------------------------------------
    def reset(self, deliveries: Sequence[Delivery], *, exhausted: bool) -> None:
        """Show ``deliveries`` (newest first) instead of the rows before."""
        self.beginResetModel()
        self._rows = _newest_first(deliveries)
        self._ids = {d.id for d in self._rows}
        self._exhausted = exhausted
        self._loading = False
        self.endResetModel()

    def clear(self) -> None:
        self.reset((), exhausted=True)

    def prepend(self, deliveries: Sequence[Delivery]) -> int:
        """Put newer deliveries on top (ones already shown are skipped); how many went in."""
        top = self._rows[0].id if self._rows else 0
        fresh = _newest_first([d for d in deliveries if d.id not in self._ids and d.id > top])
        if not fresh:
            return 0
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[0:0] = fresh
        self._ids.update(d.id for d in fresh)
        self.endInsertRows()
        return len(fresh)

    def append(self, deliveries: Sequence[Delivery], *, exhausted: bool) -> None:
        """Older deliveries, the page ``more_requested`` asked for."""
        bottom = self._rows[-1].id if self._rows else None
        older = [
            d for d in deliveries if d.id not in self._ids and (bottom is None or d.id < bottom)
        ]
        older = _newest_first(older)
        self._loading = False
        self._exhausted = exhausted
        if older:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(older) - 1)
            self._rows.extend(older)
            self._ids.update(d.id for d in older)
            self.endInsertRows()

    def load_failed(self) -> None:
        """The page asked for did not come: stop asking until the next ``reset``."""
        self._loading = False
        self._exhausted = True

    def delivery(self, row: int) -> Delivery:
        return self._rows[row]

    def deliveries(self) -> list[Delivery]:
        return list(self._rows)

    def row_of(self, delivery_id: int) -> int | None:
        return next((n for n, d in enumerate(self._rows) if d.id == delivery_id), None)

    @property
    def newest_id(self) -> int | None:
        return self._rows[0].id if self._rows else None

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    @property
    def loading(self) -> bool:
        return self._loading

    # -- Qt's incremental loading ---------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's API
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's API
        if self.canFetchMore(parent) and self._rows:
            self._loading = True
            self.more_requested.emit(self._rows[-1].id)

    # -- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._titles)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        role = int(role)
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._rows) or not 0 <= column < len(self._titles):
            return None
        delivery = self._rows[row]
        if role == _DELIVERY:
            return delivery
        if role == _ALIGNMENT:
            return _RIGHT if column == ANSWERED else _LEFT
        if role == _TOOLTIP:
            if column == VERDICT:
                return delivery.reason
            if column == SUMMARY and delivery.summary:
                return delivery.summary
            return None
        if role in (_DISPLAY, _ACCESSIBLE):
            return self._text(delivery, column)
        return None

    def _text(self, delivery: Delivery, column: int) -> str:
        if column == RECEIVED:
            return format_local(delivery.received_at)
        if column == EVENT:
            return delivery.event or translate("InboxModel", "(not Calendly-shaped)")
        if column == SUMMARY:
            return delivery.summary
        if column == VERDICT:
            return verdict_title(delivery.verdict)
        # An HTTP status is a code, not a quantity: never grouped or localised.
        return "" if delivery.answered is None else str(delivery.answered)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._titles):
            return None
        if int(role) in (_DISPLAY, _ACCESSIBLE):
            return self._titles[section]
        return None


class InboxFeed(QObject):
    """Fills an ``InboxModel`` from an ``Inbox``: the newest page matching the filters, older
    pages as the view scrolls, and deliveries arriving live on top. Every read is a task, one
    at a time in the order asked; a read for filters since changed is dropped.

    ``counted(matching, shown)`` after each change; ``events_seen(list[str])`` every event name
    the inbox holds (for a filter); ``failed(message)`` when the file cannot be read.
    """

    counted = Signal(int, int)
    events_seen = Signal(object)
    failed = Signal(str)

    def __init__(self, model: InboxModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.inbox: Inbox | None = None
        self.filters: Filters = (None, None, None)
        self._generation = 0
        self._lock = asyncio.Lock()
        self._tasks = TaskOwner(self)
        model.more_requested.connect(self._more)

    def set_inbox(self, inbox: Inbox | None) -> None:
        """Read ``inbox`` from now on (``reload`` shows it); None: show nothing."""
        self._tasks.cancel_all()
        self.inbox = inbox
        self._generation += 1
        self.model.clear()

    def set_filters(self, text: str | None, verdict: Verdict | None, event: str | None) -> None:
        self.filters = (text or None, verdict, event)
        self.reload()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        self._tasks.spawn(work, self.tr("Reading the webhook inbox"))

    def reload(self) -> None:
        """The newest page matching the filters, instead of the rows shown."""
        self._generation += 1
        if self.inbox is not None:
            self._spawn(self._load(self.inbox, self._generation))

    def delivered(self, _delivery: Delivery) -> None:
        """A delivery was stored: show it (and any other newer one) if it matches."""
        if self.inbox is not None:
            self._spawn(self._newer(self.inbox, self._generation))

    async def clear(self) -> None:
        """Delete every delivery in the inbox, then show the empty list."""
        if self.inbox is not None:
            try:
                await self.inbox.clear()
            except InboxError as error:
                self.failed.emit(str(error))
            self.reload()

    def _more(self, before_id: int) -> None:
        if self.inbox is not None:
            self._spawn(self._older(self.inbox, self._generation, before_id))

    async def _load(self, inbox: Inbox, generation: int) -> None:
        async with self._lock:
            if generation != self._generation:
                return
            try:
                rows = await inbox.query(*self.filters, limit=PAGE)
            except InboxError as error:
                self.failed.emit(str(error))
                return
            if generation == self._generation:
                self.model.reset(rows, exhausted=len(rows) < PAGE)
                await self._count(inbox)

    async def _older(self, inbox: Inbox, generation: int, before_id: int) -> None:
        async with self._lock:
            try:
                rows = await inbox.query(*self.filters, limit=PAGE, before_id=before_id)
            except InboxError as error:
                self.model.load_failed()
                self.failed.emit(str(error))
                return
            if generation == self._generation:
                self.model.append(rows, exhausted=len(rows) < PAGE)
                await self._count(inbox)

    async def _newer(self, inbox: Inbox, generation: int) -> None:
        async with self._lock:
            if generation != self._generation:
                return  # a reload is on its way: it reads this delivery too
            try:
                newest = self.model.newest_id
                rows = await inbox.query(*self.filters, limit=None, after_id=newest)
            except InboxError as error:
                self.failed.emit(str(error))
                return
            if generation == self._generation:
                self.model.prepend(rows)
                await self._count(inbox)

    async def _count(self, inbox: Inbox) -> None:
        try:
            total = await inbox.count(*self.filters)
            events = await inbox.events()
        except InboxError as error:
            self.failed.emit(str(error))
            return
        self.events_seen.emit(events)
        self.counted.emit(total, self.model.rowCount())


def _newest_first(deliveries: Sequence[Delivery]) -> list[Delivery]:
    return sorted(deliveries, key=lambda d: d.id, reverse=True)
