"""CSV export: declarative columns, streamed rows, spreadsheet-safe cells, atomic files."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from desktop.exports.output import (
    DEFAULT_PROGRESS_EVERY,
    Cancelled,
    Pacer,
    Progress,
    Target,
    open_target,
)

T = TypeVar("T")

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google
# Sheets (tab and CR too, which some of them strip before looking) — CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    """One column of an export: its header and how to read the cell from a record."""

    header: str
    value: Callable[[T], str]


def guard_cell(text: str) -> str:
    """``text`` as a spreadsheet will show it and never run: a leading ``'`` before anything
    that would start a formula (OWASP's advice for CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(
    target: Target,
    columns: Sequence[Column[T]],
    records: Iterable[T],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    progress_every: int = DEFAULT_PROGRESS_EVERY,
    bom: bool = True,
) -> int:
    """Write a header row and one row per record to ``target``; return the rows written.

    RFC 4180: comma-separated, ``"``-quoted where needed (doubled inside), CRLF between
    rows; UTF-8 with a byte-order mark so spreadsheet apps read non-ASCII text right. Rows are
    streamed: ``records`` may be a generator and no whole-file string is built. A path target
    is written atomically (see ``open_target``). ``cancelled()`` is checked before each row
    (raising ``ExportCancelled``); ``progress(done)`` is called every ``progress_every`` rows
    and once at the end.
    """
    if not columns:
        raise ValueError("an export needs at least one column")
    pacer = Pacer(progress, cancelled, progress_every)
    with open_target(target) as handle:
        if bom:
            handle.write(BOM)
        writer = csv.writer(handle, dialect="excel", lineterminator="\r\n")
        writer.writerow([guard_cell(column.header) for column in columns])
        for record in records:
            pacer.check()
            writer.writerow([guard_cell(column.value(record)) for column in columns])
            pacer.step()
        pacer.check()
    return pacer.finish()
