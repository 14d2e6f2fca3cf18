"""Export a record table to a file: all rows matching its filters, off the UI thread."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from desktop.exports import Column, ExportCancelled, NothingToExport, run_export, write_csv
from desktop.ui.org.record_table import RecordTable

R = TypeVar("R")
# Writes records to a path, reporting progress; the exports module's writers fit this.
Writer = Callable[[Path, Sequence[Any], Callable[[int], None], Callable[[], bool]], int]


def csv_writer(columns: Callable[[], Sequence[Column[Any]]]) -> Writer:
    def write(
        path: Path,
        records: Sequence[Any],
        progress: Callable[[int], None],
        stop: Callable[[], bool],
    ) -> int:
        return write_csv(path, columns(), records, progress=progress, cancelled=stop)

    return write


def add_csv_export(
    table: RecordTable[Any], default_name: str, columns: Callable[[], Sequence[Column[Any]]]
) -> QAction:
    """ "Export CSV…": every row matching the filters, in the given columns."""
    return add_export(
        table,
        QCoreApplication.translate("TableExport", "&Export CSV…"),
        suffix="csv",
        name_filter=QCoreApplication.translate("TableExport", "CSV files (*.csv)"),
        default_name=default_name,
        writer=csv_writer(columns),
    )


def add_export(
    table: RecordTable[Any],
    text: str,
    *,
    suffix: str,
    name_filter: str,
    default_name: str,
    writer: Writer,
    records: Callable[[], Sequence[Any]] | None = None,
    prepare: Callable[[Sequence[Any]], Awaitable[Sequence[Any]]] | None = None,
) -> QAction:
    """A toolbar action that saves the table's rows after loading every page that matches
    the filters. ``records`` picks others (e.g. the selection); ``prepare`` turns the chosen
    records into the rows to write, on the event loop (e.g. fetching their invitees)."""
    action = QAction(text, table)
    action.setToolTip(
        QCoreApplication.translate(
            "TableExport", "Save the rows matching the filters and search to a file"
        )
    )

    def choose() -> None:
        context = table.context
        if context is None:
            return
        dialog = QFileDialog(table, text.replace("&", "").rstrip("…"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(name_filter)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(default_name)
        dialog.fileSelected.connect(
            lambda path: context.tasks.spawn(
                export(Path(path)),
                QCoreApplication.translate("TableExport", "Exporting to {name}").format(
                    name=Path(path).name
                ),
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        table.save_dialog = dialog
        dialog.open()

    async def export(path: Path) -> None:
        if records is None or not table.selected_records():
            try:
                await load_everything(table)
            except ExportIncomplete as stop:
                table.status.setText(str(stop))
                return
        chosen = list(records() if records is not None else table.shown_records())
        if prepare is not None:
            chosen = list(await prepare(chosen))
        total = QLocale().toString(len(chosen))

        def progress(done: int) -> None:
            table.status.setText(
                QCoreApplication.translate("TableExport", "Exporting… {done} of {total}").format(
                    done=QLocale().toString(done), total=total
                )
            )

        try:
            count = await run_export(
                lambda report, stop: writer(path, chosen, report, stop), progress=progress
            )
        except NothingToExport:
            table.status.setText(
                QCoreApplication.translate("TableExport", "Nothing to export: no rows match.")
            )
            return
        except ExportCancelled:
            table.status.setText(
                QCoreApplication.translate("TableExport", "Export cancelled; no file was written.")
            )
            return
        table.status.setText(
            QCoreApplication.translate("TableExport", "Exported {count} rows to {path}.").format(
                count=QLocale().toString(count), path=str(path)
            )
        )

    action.triggered.connect(choose)
    table.toolbar.addAction(action)
    return action


class ExportIncomplete(Exception):
    """Not every row matching the filters could be loaded: nothing is written."""


async def load_everything(table: RecordTable[Any]) -> None:
    """Every page matching the filters (an export holds them all, not just what scrolled in).

    Raises ExportIncomplete when loading stops first: a failure, Stop, or a filter change.
    """
    model = table.model
    if model.exhausted:
        return
    done = asyncio.get_running_loop().create_future()

    def settle(*_: object) -> None:
        if not done.done():
            done.set_result(None)

    def stopped(loading: bool) -> None:
        if not loading and not model.exhausted and not model.loading_all:
            settle()

    signals = (model.finished, model.load_failed, model.modelReset)
    for signal in signals:
        signal.connect(settle)
    model.loading_changed.connect(stopped)
    try:
        model.load_all()
        await done
    finally:
        for signal in signals:
            signal.disconnect(settle)
        model.loading_changed.disconnect(stopped)
    if not model.exhausted:
        raise ExportIncomplete(
            QCoreApplication.translate(
                "TableExport", "Loading stopped before every row was in, so nothing was written."
            )
        )
