"""The Scheduled events filter row's logic: whether a meeting passes the filters in force, and
setting them all from an Overview card's hint."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate

from desktop.domain.scheduled_events import ScheduledEvent

if TYPE_CHECKING:
    from desktop.ui.org.scheduled_events import ScheduledEventsTable


def passes_filters(table: ScheduledEventsTable, event: ScheduledEvent) -> bool:
    """Whether ``event`` passes the filters in force (those it can be checked against alone:
    with a group or an invitee e-mail chosen, only a reload can tell)."""
    if table.group.currentData() is not None or table.email.value() is not None:
        return False
    hosts = {m.user for m in event.event_memberships}
    member = table.member.currentData()
    if member is not None and member not in hosts:
        return False
    context = table.context
    me = context.connection.identity.user_uri if context is not None else None
    if table._own_only and me not in hosts:
        return False  # a member sees their own meetings only
    status = table.status_filter.currentData()
    if status is not None and event.status != status:
        return False
    low, high = table.dates.bounds()
    start = event.start_time
    return (low is None or start >= low) and (high is None or start < high)


def apply_filter_hint(table: ScheduledEventsTable, hint: Mapping[str, Any]) -> None:
    """Set the filters from an Overview card's hint, without a reload: a status, a span of local
    days (``from`` and ``to``, both included), and a member or a group (one still loading is
    chosen when its list arrives)."""
    widgets = (table.status_filter, table.member, table.group, table.dates, table.email)
    for widget in widgets:
        widget.blockSignals(True)
    try:
        if "status" in hint:
            table.status_filter.setCurrentIndex(
                max(0, table.status_filter.findData(hint.get("status")))
            )
        first, last = hint.get("from"), hint.get("to")
        if isinstance(first, date) and isinstance(last, date):
            table.dates.set_custom(
                QDate(first.year, first.month, first.day),
                QDate(last.year, last.month, last.day),
            )
        table.email.edit.clear()
        table.email.apply()
        table._pending_choice = {}
        for name, combo in (("member", table.member), ("group", table.group)):
            wanted = hint.get(name)
            index = combo.findData(wanted) if wanted else 0
            if index < 0:  # the list is still loading: chosen when it arrives
                table._pending_choice[name] = str(wanted)
                index = 0
            combo.setCurrentIndex(index)
    finally:
        for widget in widgets:
            widget.blockSignals(False)
