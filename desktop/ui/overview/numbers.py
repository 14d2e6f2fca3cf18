"""A chart's numbers as a small table, what every overview figure shows and exports as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QDate, QLocale

from desktop.exports.csv_writer import Column, write_csv
from desktop.overview.figures import Overview

Cell = str | int | float | None


@dataclass(frozen=True)
class Numbers:
    """Headers and rows; a float is a percentage shown with one decimal, None an empty cell."""

    headers: tuple[str, ...]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)


class Figure(Protocol):
    """A widget that draws one part of an ``Overview`` and can say its numbers."""

    def show_overview(self, overview: Overview | None) -> None: ...

    def numbers(self) -> Numbers: ...


def cell_text(value: Cell) -> str:
    """A cell for a file: plain digits (a dot for decimals), so spreadsheets and scripts read
    the same numbers the chart shows whatever the user's language."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def write_numbers(path: Path | str, numbers: Numbers) -> int:
    """Write the table as CSV (``desktop.exports``: atomic, spreadsheet-safe); rows written."""
    columns = [_column(header, index) for index, header in enumerate(numbers.headers)]
    return write_csv(path, columns, numbers.rows)


def _column(header: str, index: int) -> Column[Sequence[Cell]]:
    def value(row: Sequence[Cell]) -> str:
        return cell_text(row[index])

    return Column(header, value)


def week_label(start: date) -> str:
    """A week by its Monday, short and localized ("24 Nov")."""
    return QLocale().toString(QDate(start.year, start.month, start.day), "d MMM")


def percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)
