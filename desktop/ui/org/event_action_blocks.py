"""Why a Scheduled events action cannot apply now, as the tooltip and the note under the detail
say it; and what the actions say when several meetings are selected."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from desktop.domain.invitees import Invitee
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.org.event_text import format_moment


def cancel_block(
    event: ScheduledEvent | None, busy: Mapping[str, str], now: datetime
) -> str | None:
    """Why the selection cannot be canceled now, or None if it can."""
    if event is None:
        return QCoreApplication.translate("EventActions", "Select one meeting to cancel it.")
    if event.uri in busy:
        return busy[event.uri]
    if event.is_canceled:
        done = event.cancellation
        if done is not None and done.created_at is not None:
            return QCoreApplication.translate(
                "EventActions",
                "Canceled on {when} by {name}: a canceled meeting can't be canceled again.",
            ).format(when=format_moment(done.created_at), name=done.canceled_by)
        return QCoreApplication.translate(
            "EventActions", "This meeting is canceled: it can't be canceled again."
        )
    if event.is_past(now):
        return QCoreApplication.translate(
            "EventActions", "This meeting is over: Calendly can't cancel past meetings."
        )
    return None


def mark_block(
    event: ScheduledEvent | None,
    invitee: Invitee | None,
    busy: Mapping[str, str],
    loading: bool,
    now: datetime,
) -> str | None:
    """Why the picked invitee cannot be marked as a no-show now, or None if they can."""
    if event is None:
        return QCoreApplication.translate("EventActions", "Select one meeting and pick an invitee.")
    if invitee is None:
        if loading:
            return QCoreApplication.translate("EventActions", "Loading the invitees…")
        return QCoreApplication.translate("EventActions", "Pick an invitee under the details.")
    if invitee.uri in busy:
        return busy[invitee.uri]
    if invitee.no_show is not None:
        return QCoreApplication.translate(
            "EventActions", "{name} is already marked as a no-show."
        ).format(name=invitee.display_name)
    if invitee.is_canceled:
        return QCoreApplication.translate(
            "EventActions",
            "{name}'s booking is canceled: only active invitees can be no-shows.",
        ).format(name=invitee.display_name)
    if event.start_time > now:
        return QCoreApplication.translate(
            "EventActions", "The meeting has not started: mark no-shows once it has begun."
        )
    return None


def undo_block(
    event: ScheduledEvent | None, invitee: Invitee | None, busy: Mapping[str, str]
) -> str | None:
    """Why the picked invitee's no-show mark cannot be removed now, or None if it can."""
    if event is None or invitee is None:
        return QCoreApplication.translate("EventActions", "Select one meeting and pick an invitee.")
    if invitee.uri in busy:
        return busy[invitee.uri]
    if invitee.no_show is None:
        return QCoreApplication.translate(
            "EventActions", "{name} is not marked as a no-show."
        ).format(name=invitee.display_name)
    return None


def several_texts(count: int) -> tuple[str, str, str, str]:
    """With ``count`` meetings selected: the cancel and mark tips, why undo is blocked, and the
    note under the detail."""
    cancel_tip = QCoreApplication.translate(
        "EventActions", "Cancel the {n} selected meetings with one reason (a dry run first)"
    ).format(n=count)
    mark_tip = QCoreApplication.translate(
        "EventActions",
        "Mark the invitees of the {n} selected meetings as no-shows (a dry run first)",
    ).format(n=count)
    undo = QCoreApplication.translate(
        "EventActions", "Select one meeting and pick an invitee to undo a no-show."
    )
    note = QCoreApplication.translate(
        "EventActions",
        "{n} meetings selected. Cancel and Mark no-show act on all of them: you see "
        "what will happen to each before anything changes.",
    ).format(n=count)
    return cancel_tip, mark_tip, undo, note
