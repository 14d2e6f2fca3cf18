"""Texts of the Scheduled events table's cells: who canceled, how many invitees, who a member is."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.domain.organizations import MembershipUser
from desktop.domain.scheduled_events import ScheduledEvent


def who(user: MembershipUser) -> str:
    return f"{user.name} <{user.email}>" if user.email else user.name


def cancel_tooltip(event: ScheduledEvent) -> str:
    cancellation = event.cancellation
    if cancellation is None:
        return ""
    text = QCoreApplication.translate("ScheduledEventsTable", "Canceled by {name}").format(
        name=cancellation.canceled_by
    )
    if cancellation.reason:
        text += QCoreApplication.translate("ScheduledEventsTable", ": {reason}").format(
            reason=cancellation.reason
        )
    return html.escape(text)  # a tooltip with a tag in it would render as rich text


def counter_tooltip(event: ScheduledEvent) -> str:
    counter = event.invitees_counter
    if counter is None:
        return ""
    locale = QLocale()
    return QCoreApplication.translate(
        "ScheduledEventsTable", "{active} active of {total} booked (at most {limit})"
    ).format(
        active=locale.toString(int(counter.active)),
        total=locale.toString(int(counter.total)),
        limit=locale.toString(int(counter.limit)),
    )
