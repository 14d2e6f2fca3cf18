"""The detail panel's HTML for one scheduled event and its invitees (every text escaped)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from PySide6.QtCore import QCoreApplication, QLocale

from desktop.domain.invitees import Invitee
from desktop.domain.organizations import MembershipUser
from desktop.domain.scheduled_events import Cancellation, ScheduledEvent
from desktop.ui.org.event_text import (
    differs_from_local,
    format_moment,
    format_span,
    location_kind,
    status_text,
    system_zone_name,
    zone_of,
)


@dataclass(frozen=True)
class Booking:
    """One booking of a reschedule chain: the invitee and when their meeting was to start."""

    invitee: str
    start: datetime | None  # None: could not be read


@dataclass(frozen=True)
class Chain:
    """The bookings before (oldest last) and after (newest last) an invitee's own."""

    earlier: tuple[Booking, ...] = ()
    later: tuple[Booking, ...] = ()


@dataclass(frozen=True)
class DetailState:
    """What the panel knows about the event shown."""

    event: ScheduledEvent
    invitees: tuple[Invitee, ...] | None = None  # None: still loading
    error: str | None = None  # why the invitees could not be loaded
    people: Mapping[str, MembershipUser] = field(default_factory=dict)  # by user URI
    chains: Mapping[str, Chain] = field(default_factory=dict)  # by invitee URI
    busy: str | None = None  # a write in flight ("Canceling…")


def _link(url: str, text: str | None = None) -> str:
    shown = escape(text if text is not None else url)
    if url.startswith(("https://", "http://")):
        return f'<a href="{escape(url, quote=True)}">{shown}</a>'
    return shown


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines()) or "&nbsp;"


def _row(label: str, value_html: str) -> str:
    return f"<tr><th align='left' valign='top'>{escape(label)}</th><td>{value_html}</td></tr>"


def _table(rows: Sequence[str]) -> str:
    return f"<table cellspacing='2' cellpadding='2'>{''.join(rows)}</table>" if rows else ""


def _person(name: str | None, email: str | None, fallback: str = "") -> str:
    if name and email:
        return f"{escape(name)} &lt;{escape(email)}&gt;"
    return escape(name or email or fallback)


def _cancellation(cancellation: Cancellation) -> str:
    who = {
        "host": QCoreApplication.translate("EventDetail", "host"),
        "invitee": QCoreApplication.translate("EventDetail", "invitee"),
    }.get(cancellation.canceler_type, cancellation.canceler_type)
    text = QCoreApplication.translate("EventDetail", "by {name} ({who})").format(
        name=cancellation.canceled_by, who=who
    )
    if cancellation.created_at is not None:
        text += " " + QCoreApplication.translate("EventDetail", "on {when}").format(
            when=format_moment(cancellation.created_at)
        )
    html = escape(text)
    if cancellation.reason:
        html += "<br>" + QCoreApplication.translate("EventDetail", "Reason: {reason}").format(
            reason=_lines(cancellation.reason)
        )
    return html


def event_html(state: DetailState) -> str:
    event = state.event
    parts = [
        f"<h3>{escape(event.name or QCoreApplication.translate('EventDetail', 'Meeting'))}</h3>"
    ]
    if state.busy:
        parts.append(f"<p><i>{escape(state.busy)}</i></p>")
    rows = [
        _row(QCoreApplication.translate("EventDetail", "Status"), escape(status_text(event.status)))
    ]
    if event.cancellation is not None:
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Canceled"),
                _cancellation(event.cancellation),
            )
        )
    when = QCoreApplication.translate("EventDetail", "{span} (your time, {zone})").format(
        span=format_span(event.start_time, event.end_time), zone=system_zone_name()
    )
    rows.append(_row(QCoreApplication.translate("EventDetail", "When"), escape(when)))
    rows.extend(_host_times(event, state.people))
    rows.extend(_location_rows(event))
    hosts = [
        _person(m.user_name, m.user_email, m.user) + _zone_note(state.people.get(m.user))
        for m in event.event_memberships
    ]
    rows.append(
        _row(
            QCoreApplication.translate("EventDetail", "Hosts"),
            "<br>".join(hosts) or escape(QCoreApplication.translate("EventDetail", "none")),
        )
    )
    if event.event_guests:
        guests = "<br>".join(escape(g.email) for g in event.event_guests)
        rows.append(_row(QCoreApplication.translate("EventDetail", "Guests"), guests))
    if event.invitees_counter is not None:
        counter = event.invitees_counter
        locale = QLocale()
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Invitees"),
                escape(
                    QCoreApplication.translate(
                        "EventDetail", "{active} active of {total} booked (at most {limit})"
                    ).format(
                        active=locale.toString(int(counter.active)),
                        total=locale.toString(int(counter.total)),
                        limit=locale.toString(int(counter.limit)),
                    )
                ),
            )
        )
    if event.created_at is not None:
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Booked"),
                escape(format_moment(event.created_at)),
            )
        )
    if event.meeting_notes_plain:
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Meeting notes"),
                _lines(event.meeting_notes_plain),
            )
        )
    parts.append(_table(rows))
    parts.append(f"<h4>{escape(QCoreApplication.translate('EventDetail', 'Invitees'))}</h4>")
    if state.error is not None:
        parts.append(f"<p>{escape(state.error)}</p>")
    elif state.invitees is None:
        _text = escape(QCoreApplication.translate("EventDetail", "Loading invitees…"))
        parts.append(f"<p><i>{_text}</i></p>")
    elif not state.invitees:
        parts.append(f"<p>{escape(QCoreApplication.translate('EventDetail', 'No invitees.'))}</p>")
    else:
        for invitee in state.invitees:
            parts.append(invitee_html(invitee, event, state))
    return "".join(parts)


def _zone_note(member: MembershipUser | None) -> str:
    if member is None or not member.timezone:
        return ""
    return " <small>(" + escape(member.timezone) + ")</small>"


def _host_times(event: ScheduledEvent, people: Mapping[str, MembershipUser]) -> list[str]:
    """The meeting's time in each host's zone that is not the user's: the event's own zone."""
    rows: list[str] = []
    seen: set[str] = set()
    for host in event.event_memberships:
        member = people.get(host.user)
        zone = zone_of(member.timezone if member else None)
        if member is None or zone is None or member.timezone in seen:
            continue
        seen.add(member.timezone)
        if differs_from_local(event.start_time, zone):
            text = QCoreApplication.translate(
                "EventDetail", "{span} ({zone}, {host}'s time)"
            ).format(
                span=format_span(event.start_time, event.end_time, zone),
                zone=member.timezone,
                host=host.user_name or member.name,
            )
            rows.append(
                _row(QCoreApplication.translate("EventDetail", "Host's time"), escape(text))
            )
    return rows


def _location_rows(event: ScheduledEvent) -> list[str]:
    location = event.location
    if location is None:
        return [
            _row(
                QCoreApplication.translate("EventDetail", "Location"),
                escape(QCoreApplication.translate("EventDetail", "not set")),
            )
        ]
    rows = [
        _row(QCoreApplication.translate("EventDetail", "Location"), escape(location_kind(event)))
    ]
    if location.join_url:
        rows.append(
            _row(QCoreApplication.translate("EventDetail", "Join link"), _link(location.join_url))
        )
    if location.location:
        rows.append(
            _row(QCoreApplication.translate("EventDetail", "Where"), _link(location.location))
        )
    if location.status:
        rows.append(
            _row(QCoreApplication.translate("EventDetail", "Conference"), escape(location.status))
        )
    if location.additional_info:
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Details"),
                _lines(location.additional_info),
            )
        )
    return rows


def _member_name(uri: str, people: Mapping[str, MembershipUser]) -> str:
    member = people.get(uri)
    return member.name if member is not None else uri


def invitee_html(invitee: Invitee, event: ScheduledEvent, state: DetailState) -> str:
    head = _person(invitee.display_name, invitee.email)
    flags = [status_text(invitee.status)]
    if invitee.no_show is not None:
        flags.append(QCoreApplication.translate("EventDetail", "No-show"))
    if invitee.rescheduled:
        flags.append(QCoreApplication.translate("EventDetail", "Rescheduled"))
    rows: list[str] = []
    if invitee.no_show is not None:
        marked = (
            format_moment(invitee.no_show.created_at)
            if invitee.no_show.created_at
            else QCoreApplication.translate("EventDetail", "yes")
        )
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "No-show"),
                escape(
                    QCoreApplication.translate("EventDetail", "marked {when}").format(when=marked)
                ),
            )
        )
    zone = zone_of(invitee.timezone)
    if invitee.timezone:
        text = invitee.timezone
        if zone is not None and differs_from_local(event.start_time, zone):
            text = QCoreApplication.translate(
                "EventDetail", "{zone}: the meeting is at {span} there"
            ).format(
                zone=invitee.timezone, span=format_span(event.start_time, event.end_time, zone)
            )
        rows.append(_row(QCoreApplication.translate("EventDetail", "Time zone"), escape(text)))
    booked = []
    if invitee.created_at is not None:
        booked.append(format_moment(invitee.created_at))
    if invitee.invitee_scheduled_by:
        booked.append(
            QCoreApplication.translate("EventDetail", "by {name}").format(
                name=_member_name(invitee.invitee_scheduled_by, state.people)
            )
        )
    if invitee.scheduling_method == "api":
        booked.append(QCoreApplication.translate("EventDetail", "through the Scheduling API"))
    if booked:
        rows.append(
            _row(QCoreApplication.translate("EventDetail", "Booked"), escape(" ".join(booked)))
        )
    if invitee.cancellation is not None:
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Canceled"),
                _cancellation(invitee.cancellation),
            )
        )
    rows.extend(_chain_rows(invitee, state.chains.get(invitee.uri)))
    for item in sorted(invitee.questions_and_answers, key=lambda qa: qa.position):
        rows.append(_row(item.question, _lines(item.answer)))
    rows.extend(_tracking_rows(invitee))
    if invitee.text_reminder_number:
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Text reminders"),
                escape(invitee.text_reminder_number),
            )
        )
    if invitee.payment is not None:
        pay = invitee.payment
        paid = QCoreApplication.translate(
            "EventDetail", "{amount} {currency} via {provider}"
        ).format(
            amount=QLocale().toString(float(pay.amount), "f", 2),
            currency=pay.currency,
            provider=pay.provider,
        )
        if not pay.successful:
            paid += " " + QCoreApplication.translate("EventDetail", "(not successful)")
        rows.append(_row(QCoreApplication.translate("EventDetail", "Payment"), escape(paid)))
    if invitee.reconfirmation is not None:
        confirmed = invitee.reconfirmation.confirmed_at
        text = (
            QCoreApplication.translate("EventDetail", "confirmed {when}").format(
                when=format_moment(confirmed)
            )
            if confirmed
            else QCoreApplication.translate("EventDetail", "requested, not confirmed yet")
        )
        rows.append(_row(QCoreApplication.translate("EventDetail", "Reconfirmation"), escape(text)))
    if invitee.routing_form_submission:
        rows.append(
            _row(
                QCoreApplication.translate("EventDetail", "Routing form"),
                escape(invitee.routing_form_submission),
            )
        )
    return f"<p><b>{head}</b> — {escape(', '.join(flags))}</p>{_table(rows)}"


def _tracking_rows(invitee: Invitee) -> list[str]:
    tracking = invitee.tracking
    if tracking is None:
        return []
    fields = (
        ("utm_source", tracking.utm_source),
        ("utm_medium", tracking.utm_medium),
        ("utm_campaign", tracking.utm_campaign),
        ("utm_content", tracking.utm_content),
        ("utm_term", tracking.utm_term),
        ("salesforce_uuid", tracking.salesforce_uuid),
    )
    values = [f"{escape(name)}={escape(value)}" for name, value in fields if value]
    return (
        [_row(QCoreApplication.translate("EventDetail", "Tracking"), "<br>".join(values))]
        if values
        else []
    )


def _booking_text(booking: Booking) -> str:
    if booking.start is None:
        return QCoreApplication.translate("EventDetail", "a booking that could not be read")
    return QCoreApplication.translate("EventDetail", "the meeting on {when}").format(
        when=format_moment(booking.start)
    )


def _chain_rows(invitee: Invitee, chain: Chain | None) -> list[str]:
    rows: list[str] = []
    if invitee.old_invitee:
        earlier = chain.earlier if chain else ()
        text = (
            " ← ".join(_booking_text(b) for b in earlier)
            if earlier
            else QCoreApplication.translate("EventDetail", "an earlier booking (loading…)")
        )
        rows.append(
            _row(QCoreApplication.translate("EventDetail", "Rescheduled from"), escape(text))
        )
    if invitee.new_invitee:
        later = chain.later if chain else ()
        text = (
            " → ".join(_booking_text(b) for b in later)
            if later
            else QCoreApplication.translate("EventDetail", "a new booking (loading…)")
        )
        rows.append(_row(QCoreApplication.translate("EventDetail", "Rescheduled to"), escape(text)))
    return rows
