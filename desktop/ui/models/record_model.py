"""A table model over domain records, loaded page by page through ``canFetchMore``/``fetchMore``.

The model never waits: ``fetchMore`` starts an owned task that asks for the next page, and the
rows arrive when it answers. Views call ``fetchMore`` as the user scrolls; ``load_all`` keeps
fetching (for exports and bulk selections); ``cancel`` stops. Rows are records; the record of
a row is under ``RECORD_ROLE`` and its sort key under ``SORT_ROLE``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop.api.pagination import Page
from desktop.ui.models.columns import Column, alignment, display_text, sort_key
from desktop.ui.tasks import TaskOwner

log = logging.getLogger(__name__)
R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Fetcher = Callable[[str | None], Awaitable[Page[R]]]
# A page goes in at once: one insert and one repaint. Splitting it (25 rows, the loop free in
# between) measured worse in benchmarks/ui_lag.py: each part costs a repaint of its own.

# data() is called for every role of every visible cell at each paint: plain ints, compared
# once, keep it cheap.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_RECORD = int(RECORD_ROLE)
_SORT = int(SORT_ROLE)
_ANSWERED = frozenset((_DISPLAY, _ACCESSIBLE, _TOOLTIP, _ALIGNMENT, _RECORD, _SORT))


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows of records, one column per ``Column``; ``set_source`` starts a fresh list."""

    loading_changed = Signal(bool)
    rows_loaded = Signal(int)  # how many rows there are now
    load_failed = Signal(object)  # the exception; the rows loaded so far stay
    finished = Signal()  # the source has no more pages

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        identity: Callable[[R], str] = lambda record: str(getattr(record, "uri", id(record))),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns: tuple[Column[R], ...] = tuple(columns)
        self._identity = identity
        self._rows: list[R] = []
        self._keys: list[tuple[float | str, ...]] = []  # each row's sort keys, per column
        self._rows_by_id: dict[str, int] = {}
        self._alignments = [int(alignment(c).value) for c in self.columns]
        self._fetch: Fetcher[R] | None = None
        self._next: str | None = None
        self._exhausted = True
        self._task: asyncio.Task[None] | None = None
        self._want_all = False
        self.was_loading_all = False  # when the last failure came: loading every page?
        self._failed = False  # the last page failed: no more until retry() or a new source
        self._generation = 0
        self._tasks = TaskOwner(self)

    # -- the source ---------------------------------------------------------------------------
    def set_source(self, fetch: Fetcher[R] | None) -> None:
        """Forget the rows and read from ``fetch`` (None: an empty, finished model)."""
        self.cancel()
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._keys = []
        self._rows_by_id = {}
        self._fetch = fetch
        self._next = None
        self._exhausted = fetch is None
        self._want_all = False
        self._failed = False
        self.endResetModel()
        self.rows_loaded.emit(0)

    def clear(self) -> None:
        self.set_source(None)

    @property
    def loading(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def cancel(self) -> None:
        """Stop loading; the rows so far stay and ``fetchMore`` can go on later."""
        self._want_all = False
        if self._task is not None and not self._task.done():
            self._task.cancel()
            self._task = None
            self.loading_changed.emit(False)

    @property
    def loading_all(self) -> bool:
        return self._want_all

    @property
    def failed(self) -> bool:
        return self._failed

    def retry(self, *, all_pages: bool = False) -> None:
        """After a failure: the next page again (or every remaining one)."""
        self._failed = False
        if all_pages:
            self.load_all()
        else:
            self._start_fetch()

    def load_all(self) -> None:
        """Keep fetching until the source has no more pages (``finished`` then fires)."""
        self._failed = False
        self._want_all = True
        if self._exhausted:
            self.finished.emit()
        else:
            self._start_fetch()

    # -- Qt's incremental loading ---------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's API
        # Not after a failure: a view asks again at every layout, which would hammer Calendly.
        return (
            not parent.isValid() and not self._exhausted and not self.loading and not self._failed
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's API
        if self.canFetchMore(parent):
            self._start_fetch()

    def _start_fetch(self) -> None:
        if self.loading or self._exhausted or self._fetch is None:
            return
        self._task = self._tasks.spawn(
            self._load(self._fetch, self._next, self._generation), "Loading"
        )
        self.loading_changed.emit(True)

    async def _load(self, fetch: Fetcher[R], token: str | None, generation: int) -> None:
        try:
            page = await fetch(token)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if generation == self._generation:
                self._task = None
                self._failed = True
                self.was_loading_all = self._want_all
                self._want_all = False
                self.loading_changed.emit(False)
                self.load_failed.emit(error)
            return
        if generation != self._generation:
            return
        self._append(page.items)
        self._task = None
        following = page.next_page_token
        self._exhausted = following is None or following == token
        self._next = following
        self.loading_changed.emit(False)
        if self._exhausted:
            self._want_all = False
            self.finished.emit()
        elif self._want_all:
            self._start_fetch()

    def _append(self, items: Sequence[R]) -> None:
        fresh = [r for r in items if self._identity(r) not in self._rows_by_id]
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for offset, record in enumerate(fresh):
            self._rows.append(record)
            self._keys.append(self._sort_keys(record))
            self._rows_by_id[self._identity(record)] = first + offset
        self.endInsertRows()
        self.rows_loaded.emit(len(self._rows))

    # -- records --------------------------------------------------------------------------------
    def record(self, row: int) -> R:
        return self._rows[row]

    def records(self) -> list[R]:
        return list(self._rows)

    def row_of(self, key: str) -> int | None:
        return self._rows_by_id.get(key)

    def replace(self, record: R) -> bool:
        """A record changed (after a write): its row shows the new one. False if absent."""
        row = self._rows_by_id.get(self._identity(record))
        if row is None:
            return False
        self._rows[row] = record
        self._keys[row] = self._sort_keys(record)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        return True

    def remove(self, key: str) -> bool:
        row = self._rows_by_id.get(key)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._keys[row]
        self._rows_by_id = {self._identity(r): i for i, r in enumerate(self._rows)}
        self.endRemoveRows()
        self.rows_loaded.emit(len(self._rows))
        return True

    def prepend(self, record: R) -> None:
        """A record created here (an invitation): shown at once, first."""
        if self._identity(record) in self._rows_by_id:
            self.replace(record)
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, record)
        self._keys.insert(0, self._sort_keys(record))
        self._rows_by_id = {self._identity(r): i for i, r in enumerate(self._rows)}
        self.endInsertRows()
        self.rows_loaded.emit(len(self._rows))

    def _sort_keys(self, record: R) -> tuple[float | str, ...]:
        return tuple(sort_key(c.value(record), c.numeric) for c in self.columns)

    def refresh_column(self, key: str) -> None:
        """A column's values changed for every row (e.g. names looked up late)."""
        number = next(i for i, c in enumerate(self.columns) if c.key == key)
        self._keys = [self._sort_keys(r) for r in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0, number), self.index(len(self._rows) - 1, number))

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        role = int(role)
        if role not in _ANSWERED:
            return None
        row, number = index.row(), index.column()
        if not 0 <= row < len(self._rows) or not 0 <= number < len(self.columns):
            return None  # also an invalid index: row and column are -1
        if role == _SORT:
            return self._keys[row][number]
        if role == _ALIGNMENT:
            return self._alignments[number]
        record = self._rows[row]
        if role == _RECORD:
            return record
        column = self.columns[number]
        if role == _TOOLTIP:
            return column.tooltip(record) if column.tooltip is not None else None
        return column.text(record) if column.text else display_text(column.value(record))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.columns[section].title
        return None
