"""Scheduled events' exports: the table as CSV, a calendar file (ICS) of the selected or
listed meetings, and their invitees with Q&A and UTM columns."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QAction

from desktop.domain.invitees import Invitee
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.exports import (
    invitee_columns,
    question_texts,
    scheduled_event_columns,
    write_csv,
    write_ics,
)
from desktop.ui.org.table_export import add_csv_export, add_export

if TYPE_CHECKING:
    from desktop.ui.org.scheduled_events import ScheduledEventsTable

PARALLEL = 4  # invitee lists fetched at once (the client's rate budget paces them anyway)


def local_zone() -> tzinfo:
    """This computer's time zone (the exports' "local" columns)."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


@dataclass(frozen=True)
class EventExports:
    csv: QAction
    ics: QAction
    invitees: QAction


def add_event_exports(table: ScheduledEventsTable) -> EventExports:
    csv_filter = QCoreApplication.translate("EventExports", "CSV files (*.csv)")

    def chosen() -> Sequence[ScheduledEvent]:
        """The selected meetings, or every listed one when none is selected."""
        return table.selected_records() or table.shown_records()

    csv_action = add_csv_export(
        table, "scheduled-events.csv", lambda: scheduled_event_columns(local_zone())
    )

    # Attendees come from each meeting's invitees, fetched on the loop first.
    attendees: dict[str, list[Invitee]] = {}

    async def with_invitees(chosen_events: Sequence[Any]) -> Sequence[Any]:
        attendees.clear()
        for invitee in await fetch_invitees(table, list(chosen_events)):
            attendees.setdefault(invitee.event, []).append(invitee)
        return chosen_events

    def ics(path: Path, events: Sequence[Any], progress: Any, stop: Any) -> int:
        return write_ics(
            path,
            events,
            invitees_by_event=attendees,
            calendar_name=table.title,
            progress=progress,
            cancelled=stop,
        )

    ics_action = add_export(
        table,
        QCoreApplication.translate("EventExports", "Export &Calendar (ICS)…"),
        suffix="ics",
        name_filter=QCoreApplication.translate("EventExports", "Calendar files (*.ics)"),
        default_name="meetings.ics",
        writer=ics,
        records=chosen,
        prepare=with_invitees,
    )
    ics_action.setToolTip(
        QCoreApplication.translate(
            "EventExports", "Save the selected meetings (or all listed) as a calendar file"
        )
    )
    # The invitees are fetched on the loop (in parallel), then written off it.
    events: dict[str, ScheduledEvent] = {}

    async def invitees_of(chosen_events: Sequence[Any]) -> Sequence[Any]:
        events.clear()
        events.update({e.uri: e for e in chosen_events})
        return await fetch_invitees(table, list(chosen_events))

    def write_invitees(path: Path, rows: Sequence[Any], progress: Any, stop: Any) -> int:
        invitees: list[Invitee] = list(rows)
        columns = invitee_columns(
            question_texts(invitees), events=events, users=table.user_labels(), zone=local_zone()
        )
        return write_csv(path, columns, invitees, progress=progress, cancelled=stop)

    invitees_action = add_export(
        table,
        QCoreApplication.translate("EventExports", "Export &Invitees CSV…"),
        suffix="csv",
        name_filter=csv_filter,
        default_name="invitees.csv",
        writer=write_invitees,
        records=chosen,
        prepare=invitees_of,
    )
    invitees_action.setToolTip(
        QCoreApplication.translate(
            "EventExports",
            "The invitees of the selected meetings (or all listed), with answers and UTM",
        )
    )
    return EventExports(csv_action, ics_action, invitees_action)


async def fetch_invitees(
    table: ScheduledEventsTable, events: Sequence[ScheduledEvent]
) -> list[Invitee]:
    """Every invitee of the events, a few lists at a time, with progress in the status line."""
    context = table.context
    if context is None:
        return []
    client = context.connection.client
    gate = asyncio.Semaphore(PARALLEL)
    done = 0
    total = QLocale().toString(len(events))

    async def of(event: ScheduledEvent) -> list[Invitee]:
        nonlocal done
        async with gate:
            found = [i async for i in client.scheduled_events.iterate_invitees(event.uri)]
        done += 1
        table.status.setText(
            QCoreApplication.translate(
                "EventExports", "Loading invitees… {done} of {total} meetings"
            ).format(done=QLocale().toString(done), total=total)
        )
        return found

    lists = await asyncio.gather(*(of(event) for event in events))
    return [invitee for found in lists for invitee in found]
