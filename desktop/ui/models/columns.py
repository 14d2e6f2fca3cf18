"""Declarative table columns: what a column shows, how it sorts, and how it reads aloud."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, QTimeZone

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column over records of type R.

    ``value`` gives the raw value: it sorts and, unless ``text`` is given, is shown formatted
    through QLocale. Mark columns of numbers or datetimes ``numeric``: they sort by value, with
    empty cells last.
    """

    key: str
    title: str
    value: Callable[[R], Any]
    text: Callable[[R], str] | None = None
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False
    numeric: bool = False
    width: int | None = None  # a hint in characters


def display_text(value: Any) -> str:
    """A value as the user's locale writes it (dates in local time, numbers grouped)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return QCoreApplication.translate("Columns", "Yes" if value else "No")
    if isinstance(value, int | float):
        return QLocale().toString(value)
    if isinstance(value, datetime):
        return format_local(value)
    if isinstance(value, tuple | list):
        return ", ".join(display_text(v) for v in value)
    return str(value)


def format_local(moment: datetime) -> str:
    """An aware datetime in the user's time zone, in their locale's short format."""
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.utc())
    local = stamp.toLocalTime()
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def sort_key(value: Any, numeric: bool) -> float | str:
    """A plain float or string, so that the proxy sorts in C++ without calling back into
    Python; one type per column (``numeric`` or not), empty cells last."""
    if numeric:
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, bool | int | float):
            return float(value)
        return float("inf")
    if value is None:
        return "\uffff"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value).casefold()
    return str(value).casefold()


def alignment(column: Column[Any]) -> Qt.AlignmentFlag:
    horizontal = Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
    return horizontal | Qt.AlignmentFlag.AlignVCenter
