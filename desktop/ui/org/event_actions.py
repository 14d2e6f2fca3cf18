"""Writes on the Scheduled events page: cancel an event (with a reason), mark / undo no-show."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton

from desktop.api.errors import CalendlyError
from desktop.domain.invitees import Invitee, NoShowRef
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.org.cancel_dialog import CancelEventDialog
from desktop.ui.org.event_action_blocks import cancel_block, mark_block, several_texts, undo_block
from desktop.ui.org.event_detail import EventDetailPanel
from desktop.ui.org.event_text import format_moment
from desktop.ui.page_context import PageContext
from desktop.ui.tasks import TaskOwner

if TYPE_CHECKING:
    from desktop.ui.org.scheduled_events import ScheduledEventsTable


def event_label(event: ScheduledEvent) -> str:
    return QCoreApplication.translate("EventActions", "{name} on {when}").format(
        name=event.name or QCoreApplication.translate("EventActions", "Meeting"),
        when=format_moment(event.start_time),
    )


def invitee_label(invitee: Invitee, event: ScheduledEvent | None) -> str:
    who = f"{invitee.display_name} <{invitee.email}>"
    return f"{who} — {event_label(event)}" if event is not None else who


def event_uri_of(invitee_uri: str) -> str:
    """The event's URI from an invitee's (``…/scheduled_events/{event}/invitees/{id}``)."""
    return invitee_uri.split("/invitees/", 1)[0]


class EventActions(QObject):
    """The page's actions (toolbar, shortcuts, buttons under the detail) and their writes.

    Each write is logged, updates the row and the detail, and tells the other pages
    (``changes.changed``). An action that cannot apply is disabled, with the reason in its
    tooltip and under the detail.
    """

    def __init__(self, table: ScheduledEventsTable, panel: EventDetailPanel) -> None:
        super().__init__(table)
        self.table = table
        self.panel = panel
        self._tasks = TaskOwner(self)  # reading back what another page changed
        self._busy: dict[str, str] = {}  # event or invitee URI → the write in flight
        self._reasons: dict[str, str] = {}  # event URI → a reason whose cancel failed
        self._emitting = False
        self.dialog: CancelEventDialog | None = None

        self.cancel_action = self._action(
            QCoreApplication.translate("EventActions", "&Cancel event…"),
            "Ctrl+Shift+X",
            self.open_cancel_dialog,
        )
        self.no_show_action = self._action(
            QCoreApplication.translate("EventActions", "Mark &no-show"),
            "Ctrl+Shift+M",
            self.mark_no_show,
        )
        self.undo_no_show_action = self._action(
            QCoreApplication.translate("EventActions", "&Undo no-show"),
            "Ctrl+Shift+U",
            self.undo_no_show,
        )
        self.cancel_button = self._button(self.cancel_action)
        self.no_show_button = self._button(self.no_show_action)
        self.undo_no_show_button = self._button(self.undo_no_show_action)
        self.update()

    def _action(self, text: str, keys: str, slot: Any) -> QAction:
        action = QAction(text, self.table)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.table.toolbar.addAction(action)
        self.table.addAction(action)  # the shortcut works anywhere on the page
        return action

    def _button(self, action: QAction) -> QPushButton:
        """A button under the detail doing what ``action`` does, enabled alike."""
        button = QPushButton(action.text())
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        button.clicked.connect(action.trigger)

        def follow() -> None:
            button.setEnabled(action.isEnabled())
            button.setToolTip(action.toolTip())
            button.setAccessibleDescription(action.toolTip())

        action.changed.connect(follow)
        follow()
        self.panel.buttons.insertWidget(self.panel.buttons.count() - 1, button)
        return button

    # -- what is possible now -----------------------------------------------------------------
    def selected_event(self) -> ScheduledEvent | None:
        return self.table.current_record()

    def update(self) -> None:
        events = self.table.selected_records()
        if len(events) >= 2:
            self._update_several(len(events))
            return
        event = events[0] if len(events) == 1 else None
        invitee = self.panel.current_invitee() if event is not None else None
        cancel = self._cancel_block(event)
        mark = self._mark_block(event, invitee)
        undo = self._undo_block(event, invitee)
        self._set(
            self.cancel_action,
            cancel,
            QCoreApplication.translate(
                "EventActions", "Cancel the selected meeting, with a reason"
            ),
        )
        self._set(
            self.no_show_action,
            mark,
            QCoreApplication.translate("EventActions", "Mark the picked invitee as a no-show"),
        )
        self._set(
            self.undo_no_show_action,
            undo,
            QCoreApplication.translate("EventActions", "Remove the picked invitee's no-show mark"),
        )
        notes: list[str] = []
        if event is not None:
            busy = self._busy.get(event.uri) or (invitee and self._busy.get(invitee.uri))
            if busy:
                notes.append(busy)
            elif event.is_canceled or event.is_past(_now()):
                notes.append(cancel or "")
            early = invitee is not None and (invitee.is_canceled or event.start_time > _now())
            if early and invitee is not None and invitee.no_show is None and mark not in notes:
                notes.append(mark or "")
        self.panel.set_note(" ".join(n for n in notes if n))

    def _update_several(self, count: int) -> None:
        """Several meetings: Cancel and Mark no-show work on all of them, through a dry run."""
        cancel_tip, mark_tip, undo, note = several_texts(count)
        self._set(self.cancel_action, None, cancel_tip)
        self._set(self.no_show_action, None, mark_tip)
        self._set(self.undo_no_show_action, undo, "")
        self.panel.set_note(note)

    @staticmethod
    def _set(action: QAction, block: str | None, tip: str) -> None:
        action.setEnabled(block is None)
        action.setToolTip(block or tip)
        action.setStatusTip(block or tip)

    def _cancel_block(self, event: ScheduledEvent | None) -> str | None:
        """Why the selection cannot be canceled now, or None if it can."""
        return cancel_block(event, self._busy, _now())

    def _mark_block(self, event: ScheduledEvent | None, invitee: Invitee | None) -> str | None:
        return mark_block(event, invitee, self._busy, self.panel.loading, _now())

    def _undo_block(self, event: ScheduledEvent | None, invitee: Invitee | None) -> str | None:
        return undo_block(event, invitee, self._busy)

    # -- cancel -------------------------------------------------------------------------------
    def open_cancel_dialog(self) -> None:
        if len(self.table.selected_records()) >= 2:
            self.table.bulk_cancel.trigger()  # one reason for all, after a dry run
            return
        context, event = self.table.context, self.selected_event()
        if context is None or event is None or self._cancel_block(event) is not None:
            return
        if self.dialog is not None:
            self.dialog.close()
        dialog = CancelEventDialog(context.window, event, self._reasons.get(event.uri, ""))
        dialog.submitted.connect(lambda reason: self.cancel(event, reason))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: CancelEventDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None  # it deletes itself on close

    def cancel(self, event: ScheduledEvent, reason: str) -> None:
        """Cancel ``event`` with ``reason`` (checked by the dialog) in a task of the context."""
        context = self.table.context
        if context is None:
            return
        self._reasons[event.uri] = reason  # kept until it succeeds: a retry starts from it
        what = QCoreApplication.translate("EventActions", "Canceling “{name}”").format(
            name=event.name or QCoreApplication.translate("EventActions", "Meeting")
        )
        context.tasks.spawn(self._cancel(context, event, reason), what)

    async def _cancel(self, context: PageContext, event: ScheduledEvent, reason: str) -> None:
        client = context.connection.client
        self._set_busy(event.uri, QCoreApplication.translate("EventActions", "Canceling…"))
        try:
            async with context.recording(
                "event.cancel", event.uri, event_label(event), {"reason": reason}
            ):
                cancellation = await client.scheduled_events.cancel(event.uri, reason=reason)
        finally:
            self._set_busy(event.uri, None)
        self._reasons.pop(event.uri, None)
        if self.table.context is not context:
            return  # signed out meanwhile: nothing on screen to update
        updated = msgspec.structs.replace(
            self._current(event), status="canceled", cancellation=cancellation
        )
        self.table.row_updated(updated)
        self.panel.reload_invitees_of(event.uri)
        self._emit(context, "scheduled_event", event.uri)
        with contextlib.suppress(CalendlyError):  # the canceled event as Calendly has it now
            fresh = await client.scheduled_events.get(event.uri)
            if self.table.context is context:
                self.table.row_updated(fresh)

    def _current(self, event: ScheduledEvent) -> ScheduledEvent:
        row = self.table.model.row_of(event.uri)
        return self.table.model.record(row) if row is not None else event

    # -- no-shows -----------------------------------------------------------------------------
    def mark_no_show(self) -> None:
        if len(self.table.selected_records()) >= 2:
            self.table.bulk_no_shows.trigger()  # every invitee of them, after a dry run
            return
        context, event = self.table.context, self.selected_event()
        invitee = self.panel.current_invitee()
        if context is None or event is None or invitee is None:
            return
        if self._mark_block(event, invitee) is not None:
            return
        what = QCoreApplication.translate("EventActions", "Marking {name} as a no-show").format(
            name=invitee.display_name
        )
        context.tasks.spawn(self._mark(context, event, invitee), what)

    async def _mark(self, context: PageContext, event: ScheduledEvent, invitee: Invitee) -> None:
        label = invitee_label(invitee, event)
        self._set_busy(
            invitee.uri, QCoreApplication.translate("EventActions", "Marking as a no-show…")
        )
        try:
            async with context.recording(
                "no_show.create", invitee.uri, label, {"event": event.uri}
            ) as pending:
                mark = await context.connection.client.no_shows.create(invitee.uri)
                details = getattr(pending, "details", None)
                if isinstance(details, dict):
                    details["no_show"] = mark.uri  # logged with the mark it made
        finally:
            self._set_busy(invitee.uri, None)
        ref = NoShowRef(uri=mark.uri, created_at=mark.created_at)
        self._invitee_done(context, msgspec.structs.replace(invitee, no_show=ref))

    def undo_no_show(self) -> None:
        context, event = self.table.context, self.selected_event()
        invitee = self.panel.current_invitee()
        if context is None or event is None or invitee is None:
            return
        if self._undo_block(event, invitee) is not None:
            return
        what = QCoreApplication.translate("EventActions", "Undoing the no-show of {name}").format(
            name=invitee.display_name
        )
        context.tasks.spawn(self._unmark(context, event, invitee), what)

    async def _unmark(self, context: PageContext, event: ScheduledEvent, invitee: Invitee) -> None:
        assert invitee.no_show is not None  # checked by _undo_block
        mark = invitee.no_show.uri
        label = invitee_label(invitee, event)
        self._set_busy(
            invitee.uri, QCoreApplication.translate("EventActions", "Undoing the no-show…")
        )
        try:
            async with context.recording(
                "no_show.delete", invitee.uri, label, {"event": event.uri, "no_show": mark}
            ):
                await context.connection.client.no_shows.delete(mark)
        finally:
            self._set_busy(invitee.uri, None)
        self._invitee_done(context, msgspec.structs.replace(invitee, no_show=None))

    def _invitee_done(self, context: PageContext, invitee: Invitee) -> None:
        if self.table.context is context:
            self.panel.replace_invitee(invitee)
            self.update()
        self._emit(context, "invitee", invitee.uri)

    # -- busy state and changes ---------------------------------------------------------------
    def _set_busy(self, uri: str, text: str | None) -> None:
        if text is None:
            self._busy.pop(uri, None)
        else:
            self._busy[uri] = text
        self.panel.set_busy(uri, text)
        self.update()

    def _emit(self, context: PageContext, kind: str, uri: str) -> None:
        self._emitting = True
        try:
            context.changes.changed.emit(kind, uri)
        finally:
            self._emitting = False

    def changed_elsewhere(self, kind: str, uri: str) -> None:
        """Another page changed an event or invitee: read back what this page shows of it."""
        context = self.table.context
        if self._emitting or context is None:
            return
        if kind == "invitee":
            uri = event_uri_of(uri)
        elif kind != "scheduled_event":
            return
        if self.table.model.row_of(uri) is None and (
            self.panel.shown_event is None or self.panel.shown_event.uri != uri
        ):
            if kind == "scheduled_event":  # booked elsewhere (the booking desk): show it
                self._tasks.spawn(
                    self._read_new(context, uri),
                    QCoreApplication.translate("EventActions", "Showing a new meeting"),
                )
            return
        self._tasks.spawn(
            self._read_back(context, uri),
            QCoreApplication.translate("EventActions", "Refreshing a meeting"),
        )

    async def _read_new(self, context: PageContext, uri: str) -> None:
        try:
            fresh = await context.connection.client.scheduled_events.get(uri)
        except CalendlyError:
            return  # the next refresh shows it
        if self.table.context is context and self.table.shows(fresh):
            self.table.model.prepend(fresh)  # the view sorts it in; a later page skips it

    async def _read_back(self, context: PageContext, uri: str) -> None:
        try:
            fresh = await context.connection.client.scheduled_events.get(uri)
        except CalendlyError:
            return  # the next refresh shows it; a failed read-back is not worth a message
        if self.table.context is context:
            self.table.row_updated(fresh)
            self.panel.reload_invitees_of(uri)

    def forget(self) -> None:
        """The connection goes: stop reading back, drop drafts and the dialog."""
        self._tasks.cancel_all()
        self._reasons.clear()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None


def _now() -> datetime:
    return datetime.now(UTC)
