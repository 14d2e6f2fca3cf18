"""How a scheduled event's parts read: status, location kind, times in the user's or other zones."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QTime, QTimeZone

from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.models.columns import format_local


def status_text(status: str) -> str:
    if status == "active":
        return QCoreApplication.translate("EventText", "Active")
    if status == "canceled":
        return QCoreApplication.translate("EventText", "Canceled")
    return status


def _kinds() -> dict[str, str]:
    return {
        "physical": QCoreApplication.translate("EventText", "In person"),
        "outbound_call": QCoreApplication.translate("EventText", "Phone call (host calls)"),
        "inbound_call": QCoreApplication.translate("EventText", "Phone call (invitee calls)"),
        "google_conference": QCoreApplication.translate("EventText", "Google Meet"),
        "zoom": QCoreApplication.translate("EventText", "Zoom"),
        "gotomeeting": QCoreApplication.translate("EventText", "GoTo Meeting"),
        "microsoft_teams_conference": QCoreApplication.translate("EventText", "Microsoft Teams"),
        "webex_conference": QCoreApplication.translate("EventText", "Webex"),
        "custom": QCoreApplication.translate("EventText", "Custom location"),
        "ask_invitee": QCoreApplication.translate("EventText", "Invitee's choice"),
    }


def location_kind(event: ScheduledEvent) -> str:
    """The kind of place, in words ("Zoom", "In person"); empty when the event has none."""
    if event.location is None:
        return ""
    kind = event.location.type
    return _kinds().get(kind) or kind.replace("_", " ")


def system_zone() -> QTimeZone:
    return QTimeZone.systemTimeZone()


def system_zone_name() -> str:
    return bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"


def _stamp(moment: datetime, zone: QTimeZone) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), zone)


def zone_of(name: str | None) -> QTimeZone | None:
    """The IANA zone called ``name``, or None if unknown."""
    if not name:
        return None
    zone = QTimeZone(name.encode())
    return zone if zone.isValid() else None


def differs_from_local(moment: datetime, zone: QTimeZone) -> bool:
    """Whether clocks in ``zone`` show another time than the user's at ``moment``."""
    stamp = _stamp(moment, QTimeZone.utc())
    return zone.offsetFromUtc(stamp) != system_zone().offsetFromUtc(stamp)


def format_span(start: datetime, end: datetime, zone: QTimeZone | None = None) -> str:
    """ "26/11/2026 15:00 – 15:30" in ``zone`` (default: the user's); the end's date only when
    the meeting ends on another day."""
    zone = zone or system_zone()
    locale = QLocale()
    begin, finish = _stamp(start, zone), _stamp(end, zone)
    first = locale.toString(begin, QLocale.FormatType.ShortFormat)
    if finish.date() == begin.date():
        last = locale.toString(finish.time(), QLocale.FormatType.ShortFormat)
    else:
        last = locale.toString(finish, QLocale.FormatType.ShortFormat)
    return QCoreApplication.translate("EventText", "{start} – {end}").format(start=first, end=last)


def format_end(start: datetime, end: datetime) -> str:
    """The end in the user's zone: only the time when the meeting ends on the day it starts.

    A table cell, drawn and searched row by row: Python's local-time conversion (the same
    system zone as Qt's) is several times cheaper than a QDateTime round trip."""
    local_start, local_end = start.astimezone(), end.astimezone()
    if local_end.date() == local_start.date():
        moment = QTime(local_end.hour, local_end.minute, local_end.second)
        return QLocale().toString(moment, QLocale.FormatType.ShortFormat)
    return format_local(end)


def format_moment(moment: datetime, zone: QTimeZone | None = None) -> str:
    """A moment in the user's locale, in ``zone`` (default: the user's)."""
    return QLocale().toString(_stamp(moment, zone or system_zone()), QLocale.FormatType.ShortFormat)


def start_tooltip(event: ScheduledEvent, host_zones: dict[str, str]) -> str:
    """The start in UTC and in each host's zone that differs from the user's (the event's own
    zones: Calendly keeps none on the event itself, its people have them)."""
    lines = [
        QCoreApplication.translate("EventText", "Your time ({zone}): {span}").format(
            zone=system_zone_name(), span=format_span(event.start_time, event.end_time)
        )
    ]
    seen: set[str] = set()
    for host in event.event_memberships:
        name = host_zones.get(host.user)
        zone = zone_of(name)
        if name is None or zone is None or name in seen:
            continue
        seen.add(name)
        if differs_from_local(event.start_time, zone):
            lines.append(
                QCoreApplication.translate("EventText", "{host}'s time ({zone}): {span}").format(
                    host=host.user_name or host.user_email or host.user,
                    zone=name,
                    span=format_span(event.start_time, event.end_time, zone),
                )
            )
    lines.append(
        QCoreApplication.translate("EventText", "UTC: {span}").format(
            span=format_span(event.start_time, event.end_time, QTimeZone.utc())
        )
    )
    return "\n".join(lines)
