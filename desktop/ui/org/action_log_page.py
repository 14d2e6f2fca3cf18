"""The action log: every write this app made, newest first, filterable and exportable."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QLabel

from desktop.action_log import OUTCOMES, Entry
from desktop.api.pagination import Page
from desktop.ui.models.columns import Column, format_local
from desktop.ui.models.record_model import Fetcher
from desktop.ui.org.record_table import RecordsPage, RecordTable
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec

PAGE_SIZE = 200


def _tr(text: str) -> str:
    return QCoreApplication.translate("ActionLogPage", text)


def outcome_text(outcome: str) -> str:
    return {
        "ok": _tr("Done"),
        "failed": _tr("Failed"),
        "unknown": _tr("Unknown — check in Calendly"),
    }.get(outcome, outcome)


class ActionLogTable(RecordTable[Entry]):
    def __init__(self) -> None:
        super().__init__("action_log", _tr("Action log"))
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(_tr("Outcome"))
        self.outcome.addItem(_tr("All outcomes"), None)
        for value in OUTCOMES:
            self.outcome.addItem(outcome_text(value), value)
        self.outcome.currentIndexChanged.connect(lambda _: self.reload())
        label = QLabel(_tr("O&utcome:"))
        label.setBuddy(self.outcome)
        self.this_organization = QCheckBox(_tr("&Only this organization"))
        self.this_organization.setAccessibleName(_tr("Only this organization"))
        self.this_organization.setChecked(True)
        self.this_organization.toggled.connect(lambda _: self.reload())
        for position, widget in enumerate((label, self.outcome, self.this_organization)):
            self.filters.insertWidget(position, widget)
        self.export_action = QAction(_tr("&Export CSV…"), self)
        self.export_action.setToolTip(_tr("Save the entries matching the filters as a CSV file"))
        self.export_action.triggered.connect(self._export)
        self.toolbar.addAction(self.export_action)
        self.save_dialog: QFileDialog | None = None

    def columns(self) -> Sequence[Column[Entry]]:
        return (
            Column("at", _tr("When"), lambda e: e.at, numeric=True, width=16),
            Column("action", _tr("Action"), lambda e: e.action, width=18),
            Column("target", _tr("Target"), lambda e: e.target_label, width=30),
            Column("outcome", _tr("Outcome"), lambda e: outcome_text(e.outcome), width=10),
            Column("by", _tr("By"), lambda e: e.actor_name, width=16),
            Column("profile", _tr("Profile"), lambda e: e.profile_name, width=14),
            Column("message", _tr("Calendly's answer"), lambda e: e.message),
        )

    def _filters(self, context: PageContext) -> dict[str, Any]:
        filters: dict[str, Any] = {}
        outcome = self.outcome.currentData()
        if outcome is not None:
            filters["outcomes"] = [outcome]
        if self.this_organization.isChecked():
            filters["organization_uri"] = context.connection.identity.organization_uri
        return filters

    def fetcher(self, context: PageContext) -> Fetcher[Entry] | None:
        log = context.action_log
        if log is None:
            return None
        filters = self._filters(context)

        async def fetch(token: str | None) -> Page[Entry]:
            before = int(token) if token else None
            entries = await log.query(limit=PAGE_SIZE, before_id=before, **filters)
            following = str(entries[-1].id) if len(entries) == PAGE_SIZE else None
            return Page(tuple(entries), following)

        return fetch

    def bind(self, context: PageContext) -> None:
        super().bind(context)
        if context.action_log is not None:
            context.action_log.add_listener(self._recorded)

    def unbind(self) -> None:
        if self.context is not None and self.context.action_log is not None:
            self.context.action_log.remove_listener(self._recorded)
        super().unbind()

    def _recorded(self, entry: Entry) -> None:
        context = self.context
        if context is None:
            return
        filters = self._filters(context)
        if "outcomes" in filters and entry.outcome not in filters["outcomes"]:
            return
        if filters.get("organization_uri") not in (None, entry.organization_uri):
            return
        self.model.prepend(entry)

    def detail_html(self, record: Entry) -> str:
        rows = [
            (_tr("When"), format_local(record.at)),
            (_tr("Action"), record.action),
            (_tr("Target"), record.target_label),
            (_tr("Target URI"), record.target_uri or "—"),
            (_tr("Outcome"), outcome_text(record.outcome)),
            (_tr("Status"), str(record.status) if record.status is not None else "—"),
            (_tr("Calendly's answer"), record.message or "—"),
            (_tr("By"), record.actor_name),
            (_tr("Profile"), f"{record.profile_name} ({record.environment})"),
            (_tr("Organization"), record.organization_name),
        ]
        cells = "".join(
            f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        details = "".join(
            f"<li>{html.escape(str(k))}: {html.escape(str(v))}</li>"
            for k, v in record.details.items()
        )
        return f"<table cellspacing='4'>{cells}</table>" + (
            f"<p>{html.escape(_tr('Details'))}</p><ul>{details}</ul>" if details else ""
        )

    def empty_text(self) -> str:
        return _tr("Nothing recorded yet: changes this app makes in Calendly appear here.")

    def _export(self) -> None:
        context = self.context
        if context is None or context.action_log is None:
            return
        dialog = QFileDialog(self, _tr("Export the action log"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(_tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("calendly-console-actions.csv")
        filters = self._filters(context)
        log = context.action_log

        def chosen(path: str) -> None:
            async def export() -> None:
                count = await log.export_csv(Path(path), **filters)
                self.status.setText(
                    _tr("Exported {n} entries to {path}.").format(n=count, path=path)
                )

            context.tasks.spawn(export(), _tr("Exporting the action log"))

        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.save_dialog = dialog
        dialog.open()


def build_action_log_page(spec: PageSpec) -> RecordsPage:
    return RecordsPage(spec, [ActionLogTable()])
