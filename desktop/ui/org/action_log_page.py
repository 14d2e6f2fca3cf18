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


def outcome_text(outcome: str) -> str:
    return {
        "ok": QCoreApplication.translate("ActionLogPage", "Done"),
        "failed": QCoreApplication.translate("ActionLogPage", "Failed"),
        "unknown": QCoreApplication.translate("ActionLogPage", "Unknown — check in Calendly"),
    }.get(outcome, outcome)


class ActionLogTable(RecordTable[Entry]):
    def __init__(self) -> None:
        super().__init__("action_log", QCoreApplication.translate("ActionLogPage", "Action log"))
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(QCoreApplication.translate("ActionLogPage", "Outcome"))
        self.outcome.addItem(QCoreApplication.translate("ActionLogPage", "All outcomes"), None)
        for value in OUTCOMES:
            self.outcome.addItem(outcome_text(value), value)
        self.outcome.currentIndexChanged.connect(lambda _: self.reload())
        label = QLabel(QCoreApplication.translate("ActionLogPage", "O&utcome:"))
        label.setBuddy(self.outcome)
        self.this_organization = QCheckBox(
            QCoreApplication.translate("ActionLogPage", "&Only this organization")
        )
        self.this_organization.setAccessibleName(
            QCoreApplication.translate("ActionLogPage", "Only this organization")
        )
        self.this_organization.setChecked(True)
        self.this_organization.toggled.connect(lambda _: self.reload())
        for position, widget in enumerate((label, self.outcome, self.this_organization)):
            self.filters.insertWidget(position, widget)
        self.export_action = QAction(
            QCoreApplication.translate("ActionLogPage", "&Export CSV…"), self
        )
        self.export_action.setToolTip(
            QCoreApplication.translate(
                "ActionLogPage", "Save the entries matching the filters as a CSV file"
            )
        )
        self.export_action.triggered.connect(self._export)
        self.toolbar.addAction(self.export_action)
        self.save_dialog: QFileDialog | None = None

    def columns(self) -> Sequence[Column[Entry]]:
        return (
            Column(
                "at",
                QCoreApplication.translate("ActionLogPage", "When"),
                lambda e: e.at,
                numeric=True,
                width=16,
            ),
            Column(
                "action",
                QCoreApplication.translate("ActionLogPage", "Action"),
                lambda e: e.action,
                width=18,
            ),
            Column(
                "target",
                QCoreApplication.translate("ActionLogPage", "Target"),
                lambda e: e.target_label,
                width=30,
            ),
            Column(
                "outcome",
                QCoreApplication.translate("ActionLogPage", "Outcome"),
                lambda e: outcome_text(e.outcome),
                width=10,
            ),
            Column(
                "by",
                QCoreApplication.translate("ActionLogPage", "By"),
                lambda e: e.actor_name,
                width=16,
            ),
            Column(
                "profile",
                QCoreApplication.translate("ActionLogPage", "Profile"),
                lambda e: e.profile_name,
                width=14,
            ),
            Column(
                "message",
                QCoreApplication.translate("ActionLogPage", "Calendly's answer"),
                lambda e: e.message,
            ),
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
            (QCoreApplication.translate("ActionLogPage", "When"), format_local(record.at)),
            (QCoreApplication.translate("ActionLogPage", "Action"), record.action),
            (QCoreApplication.translate("ActionLogPage", "Target"), record.target_label),
            (QCoreApplication.translate("ActionLogPage", "Target URI"), record.target_uri or "—"),
            (QCoreApplication.translate("ActionLogPage", "Outcome"), outcome_text(record.outcome)),
            (
                QCoreApplication.translate("ActionLogPage", "Status"),
                str(record.status) if record.status is not None else "—",
            ),
            (
                QCoreApplication.translate("ActionLogPage", "Calendly's answer"),
                record.message or "—",
            ),
            (QCoreApplication.translate("ActionLogPage", "By"), record.actor_name),
            (
                QCoreApplication.translate("ActionLogPage", "Profile"),
                f"{record.profile_name} ({record.environment})",
            ),
            (QCoreApplication.translate("ActionLogPage", "Organization"), record.organization_name),
        ]
        cells = "".join(
            f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        details = "".join(
            f"<li>{html.escape(str(k))}: {html.escape(str(v))}</li>"
            for k, v in record.details.items()
        )
        _text = html.escape(QCoreApplication.translate("ActionLogPage", "Details"))
        return f"<table cellspacing='4'>{cells}</table>" + (
            f"<p>{_text}</p><ul>{details}</ul>" if details else ""
        )

    def empty_text(self) -> str:
        return QCoreApplication.translate(
            "ActionLogPage", "Nothing recorded yet: changes this app makes in Calendly appear here."
        )

    def _export(self) -> None:
        context = self.context
        if context is None or context.action_log is None:
            return
        dialog = QFileDialog(
            self, QCoreApplication.translate("ActionLogPage", "Export the action log")
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(QCoreApplication.translate("ActionLogPage", "CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("calendly-console-actions.csv")
        filters = self._filters(context)
        log = context.action_log

        def chosen(path: str) -> None:
            async def export() -> None:
                count = await log.export_csv(Path(path), **filters)
                self.status.setText(
                    QCoreApplication.translate(
                        "ActionLogPage", "Exported {n} entries to {path}."
                    ).format(n=count, path=path)
                )

            context.tasks.spawn(
                export(), QCoreApplication.translate("ActionLogPage", "Exporting the action log")
            )

        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.save_dialog = dialog
        dialog.open()


def build_action_log_page(spec: PageSpec) -> RecordsPage:
    return RecordsPage(spec, [ActionLogTable()])
