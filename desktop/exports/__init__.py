"""Exports of what the pages hold: CSV of any table, iCalendar of scheduled events (Qt-free)."""

from __future__ import annotations

from desktop.exports.background import Job, run_export
from desktop.exports.columns import (
    EVENT_TYPE_COLUMNS,
    INVITATION_COLUMNS,
    MEMBER_COLUMNS,
    SCHEDULED_EVENT_COLUMNS,
    invitee_columns,
    member_columns,
    scheduled_event_columns,
)
from desktop.exports.csv_writer import Column, guard_cell, write_csv
from desktop.exports.ics import event_uid, write_ics
from desktop.exports.lookups import groups_by_membership, question_texts, user_labels
from desktop.exports.output import ExportCancelled, NothingToExport

__all__ = [
    "EVENT_TYPE_COLUMNS",
    "INVITATION_COLUMNS",
    "MEMBER_COLUMNS",
    "SCHEDULED_EVENT_COLUMNS",
    "Column",
    "ExportCancelled",
    "Job",
    "NothingToExport",
    "event_uid",
    "groups_by_membership",
    "guard_cell",
    "invitee_columns",
    "member_columns",
    "question_texts",
    "run_export",
    "scheduled_event_columns",
    "user_labels",
    "write_csv",
    "write_ics",
]
