"""Instant local search and sort over a ``RecordTableModel`` (sorting stays in C++)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)

from desktop.ui.models.record_model import RECORD_ROLE, SORT_ROLE


class RecordProxy(QSortFilterProxyModel):
    """Search text matches any column, case-insensitively; an optional predicate on the
    record narrows further (local filters that Calendly's API does not offer)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)
        self._predicate: Callable[[Any], bool] | None = None

    def set_search(self, text: str) -> None:
        pattern = QRegularExpression.escape(text.strip())
        self.setFilterRegularExpression(
            QRegularExpression(pattern, QRegularExpression.PatternOption.CaseInsensitiveOption)
        )

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._predicate is not None:
            source = self.sourceModel()
            record = source.data(source.index(row, 0, parent), RECORD_ROLE)
            if not self._predicate(record):
                return False
        return super().filterAcceptsRow(row, parent)

    def record_at(self, index: QModelIndex) -> Any:
        return self.data(index, RECORD_ROLE)
