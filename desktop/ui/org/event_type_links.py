"""The Event types page's link actions: copy the booking links, create a single-use link."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel

from desktop.domain.event_types import EventType
from desktop.domain.scheduling_links import SchedulingLink
from desktop.exports import EVENT_TYPE_COLUMNS
from desktop.ui.org.event_type_link_dialog import SingleUseLinkDialog
from desktop.ui.org.event_type_text import owner_name
from desktop.ui.org.record_table import RecordTable
from desktop.ui.org.table_export import add_csv_export
from desktop.ui.page_context import PageContext

NOTE_SECONDS = 8  # how long a note such as "Link copied" stays


class EventTypeLinkActions(RecordTable[EventType]):
    """The toolbar of the event types table: copy link, single-use link, export, and a note."""

    _link_task: asyncio.Task[None] | None
    link_dialog: SingleUseLinkDialog | None

    def _build_actions(self) -> None:
        self.copy_action = QAction(
            QCoreApplication.translate("EventTypesTable", "&Copy link"), self
        )
        self.copy_action.setShortcut(
            QKeySequence(QCoreApplication.translate("EventTypesTable", "Ctrl+Shift+C"))
        )
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_link)
        self.single_use_action = QAction(
            QCoreApplication.translate("EventTypesTable", "Create &single-use link"), self
        )
        self.single_use_action.setShortcut(
            QKeySequence(QCoreApplication.translate("EventTypesTable", "Ctrl+Shift+U"))
        )
        self.single_use_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.single_use_action.triggered.connect(self.create_single_use_link)
        for action, name in (
            (self.copy_action, QCoreApplication.translate("EventTypesTable", "Copy link")),
            (
                self.single_use_action,
                QCoreApplication.translate("EventTypesTable", "Create single-use link"),
            ),
        ):
            self.addAction(action)  # the shortcut works wherever the focus is on the page
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(name)
        self.export_action = add_csv_export(self, "event-types.csv", lambda: EVENT_TYPE_COLUMNS)
        self.note = QLabel()
        self.note.setAccessibleName(QCoreApplication.translate("EventTypesTable", "Last action"))
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.note)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SECONDS * 1000)
        self._note_timer.timeout.connect(self.note.clear)

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self._note_timer.start()

    # -- actions ------------------------------------------------------------------------------
    def _update_actions(self, records: list[EventType] | None = None) -> None:
        records = self.selected_records() if records is None else records
        self.copy_action.setEnabled(bool(records))
        self.copy_action.setToolTip(
            QCoreApplication.translate(
                "EventTypesTable",
                "Copy the booking page link of the selected event types (Ctrl+Shift+C)",
            )
            if records
            else QCoreApplication.translate(
                "EventTypesTable", "Select an event type to copy its link"
            )
        )
        enabled, reason = self._single_use_state(records)
        self.single_use_action.setEnabled(enabled)
        self.single_use_action.setToolTip(reason)
        self.single_use_action.setStatusTip(reason)
        self.set_hint(reason if records and not enabled else "")

    def _single_use_state(self, records: list[EventType]) -> tuple[bool, str]:
        if self._link_task is not None and not self._link_task.done():
            return False, QCoreApplication.translate(
                "EventTypesTable", "Creating a single-use link…"
            )
        if not records:
            return False, QCoreApplication.translate(
                "EventTypesTable", "Select an event type to create a single-use link to it"
            )
        if len(records) > 1:
            return False, QCoreApplication.translate(
                "EventTypesTable", "Select a single event type to create a single-use link"
            )
        record = records[0]
        if not record.active:
            return False, QCoreApplication.translate(
                "EventTypesTable",
                "“{name}” is inactive: it takes no bookings, so it cannot have a single-use "
                "link. Turn it on in Calendly first.",
            ).format(name=record.display_name)
        return True, QCoreApplication.translate(
            "EventTypesTable", "Create a link that books “{name}” once, then expires (Ctrl+Shift+U)"
        ).format(name=record.display_name)

    def copy_link(self) -> None:
        records = self.selected_records()
        if not records:
            return
        QGuiApplication.clipboard().setText("\n".join(r.scheduling_url for r in records))
        if len(records) == 1:
            self._show_note(
                QCoreApplication.translate("EventTypesTable", "Link copied: {url}").format(
                    url=records[0].scheduling_url
                )
            )
        else:
            self._show_note(
                QCoreApplication.translate("EventTypesTable", "{count} links copied").format(
                    count=QLocale().toString(len(records))
                )
            )

    def create_single_use_link(self) -> None:
        record = self.current_record()
        context = self.context
        if record is None or context is None or not self._single_use_state([record])[0]:
            return
        what = QCoreApplication.translate(
            "EventTypesTable", "Creating a single-use link to “{name}”"
        ).format(name=record.display_name)
        self._link_task = context.tasks.spawn(self._create_link(context, record), what)
        self._show_note(
            QCoreApplication.translate("EventTypesTable", "Creating a single-use link…")
        )
        self._update_actions()

    async def _create_link(self, context: PageContext, record: EventType) -> None:
        try:
            link = await self._write_link(context, record)
        except BaseException:
            self.note.clear()
            raise
        finally:
            self._link_task = None
            self._update_actions()
        self._show_note(
            QCoreApplication.translate(
                "EventTypesTable", "Single-use link to “{name}” created"
            ).format(name=record.display_name)
        )
        context.changes.changed.emit("scheduling_link", record.uri)
        if self.link_dialog is not None:
            self.link_dialog.close()
        self.link_dialog = SingleUseLinkDialog(
            record.display_name, link.booking_url, context.window
        )
        dialog = self.link_dialog
        dialog.finished.connect(lambda *_: self._forget_dialog(dialog))
        dialog.show()

    def _forget_dialog(self, dialog: SingleUseLinkDialog) -> None:
        if self.link_dialog is dialog:
            self.link_dialog = None

    async def _write_link(self, context: PageContext, record: EventType) -> SchedulingLink:
        client = context.connection.client
        log = context.action_log
        if log is None:
            return await client.scheduling_links.create(event_type=record.uri)
        owner = owner_name(record)
        label = f"{record.display_name} ({owner})" if owner else record.display_name
        async with log.recording(
            context.action_context(),
            "scheduling_link.create",
            record.uri,
            label,
            {"event_type": record.uri, "max_event_count": 1},
        ) as pending:
            link = await client.scheduling_links.create(event_type=record.uri)
            pending.details["booking_url"] = link.booking_url
        return link
