"""An event type's booking page: its details, the month/day/slot picker, the form, the confirmation.

The picker is drawn by ``booking.js`` from the page's data (the month's open starts in UTC,
grouped into days in the invitee's time zone); the form is HTML from the server, so a POST
with errors comes back as the same page with each error next to its field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.responses import HTMLResponse

from desktop.sandbox.embed import html, times
from desktop.sandbox.embed.form import GENERAL, FormState
from desktop.sandbox.embed.form_html import error_line, form_fields
from desktop.sandbox.embed.html import attr
from desktop.sandbox.embed.lookup import CONFERENCES, EventView
from desktop.sandbox.embed.params import Settings
from desktop.sandbox.render import events as render_events
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

EVENT_TYPE_VIEWED = {"event": "calendly.event_type_viewed", "payload": {}}
DATE_AND_TIME_SELECTED = {"event": "calendly.date_and_time_selected", "payload": {}}


# -- words --------------------------------------------------------------------------------------
def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _clock(moment: datetime, notation: str) -> str:
    if notation == "24h":
        return f"{moment:%H:%M}"
    return f"{moment.hour % 12 or 12}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


def when_text(start: datetime, minutes: int, zone: str | None, notation: str) -> str:
    """``"10:00am - 10:30am, Friday, November 27, 2026"`` in ``zone``."""
    local = start.astimezone(_zone(zone))
    end = local + timedelta(minutes=minutes)
    return (
        f"{_clock(local, notation)} - {_clock(end, notation)}, "
        f"{local:%A, %B} {local.day}, {local.year}"
    )


def _month_label(month: str) -> str:
    return f"{datetime(int(month[:4]), int(month[5:7]), 1):%B %Y}"


def _places_text(view: EventView) -> str:
    if view.record.get("pooling_type") == "round_robin":
        return "Location set by the host who takes the meeting"
    return "; ".join(p.label for p in view.places)


# -- sections -----------------------------------------------------------------------------------
def details(view: EventView, settings: Settings) -> str:
    if settings.hide_event_type_details:
        return ""
    record = view.record
    host = ""
    if not settings.hide_landing_page_details:
        host = (
            f'<p id="event-host" class="cal-host" data-testid="event-host">{escape(view.host)}</p>'
        )
    facts = [
        f'<li id="event-duration" data-testid="event-duration">{int(record["duration"])} min</li>'
    ]
    where = _places_text(view)
    if where:
        facts.append(f'<li id="event-location" data-testid="event-location">{escape(where)}</li>')
    if len(view.hosts) > 1:
        joiner = "One of: " if record.get("pooling_type") == "round_robin" else "With "
        facts.append(
            '<li id="event-hosts" data-testid="event-hosts">'
            f"{escape(joiner + ', '.join(view.hosts))}</li>"
        )
    description = ""
    if record.get("description_plain"):
        description = (
            f'<p id="event-description" class="cal-description">'
            f"{escape(str(record['description_plain']))}</p>"
        )
    return (
        f'<aside id="event-details" class="cal-card cal-details" data-testid="event-details">'
        f"{host}"
        f'<h1 id="event-name" data-testid="event-name">{escape(str(record.get("name") or ""))}</h1>'
        f'<ul class="cal-facts">{"".join(facts)}</ul>{description}</aside>'
    )


def picker(month: str, zone: str, shown: bool) -> str:
    return (
        f'<section id="picker" class="cal-card cal-picker" data-testid="picker"'
        f"{'' if shown else ' hidden'}>"
        "<h2>Select a Date &amp; Time</h2>"
        '<div class="cal-calendar">'
        '<div class="cal-month-nav">'
        '<button type="button" id="month-prev" data-testid="month-prev" '
        'aria-label="Previous month">&#8249;</button>'
        f'<h3 id="month-label" data-testid="month-label" aria-live="polite">'
        f"{escape(_month_label(month))}</h3>"
        '<button type="button" id="month-next" data-testid="month-next" '
        'aria-label="Next month">&#8250;</button></div>'
        '<div id="days" class="cal-days" data-testid="days" role="grid" '
        'aria-labelledby="month-label"></div>'
        '<p id="no-times" class="cal-note" data-testid="no-times" hidden>'
        "No open times in this month.</p></div>"
        '<div id="day-slots" class="cal-slots" data-testid="day-slots" hidden>'
        '<h3 id="slots-date" data-testid="slots-date"></h3>'
        '<div id="slot-list" data-testid="slot-list" role="list"></div></div>'
        '<div class="cal-zone"><label for="timezone">Time zone</label>'
        '<select id="timezone" name="timezone" form="booking-form" data-testid="timezone">'
        f'<option value="{attr(zone)}" selected>{escape(zone)}</option></select></div>'
        "<noscript><p>This booking page needs JavaScript to show its open times.</p></noscript>"
        "</section>"
    )


def form_section(view: EventView, form: FormState, action: str, shown: bool) -> str:
    selected = ""
    if form.start_time:
        try:
            start = datetime.fromisoformat(form.start_time.replace("Z", "+00:00"))
            selected = when_text(
                start, int(view.record["duration"]), form.timezone, view.time_notation
            )
        except ValueError:
            selected = ""
    return (
        f'<section id="details-form" class="cal-card cal-form" data-testid="details-form"'
        f"{'' if shown else ' hidden'}>"
        '<button type="button" id="back" class="cal-back" data-testid="back">&#8592; Back</button>'
        "<h2>Enter Details</h2>"
        f'<p id="selected-time" class="cal-selected" data-testid="selected-time" '
        f'data-start="{attr(form.start_time or "")}">{escape(selected)}</p>'
        f"{error_line('start_time', form)}{error_line('timezone', form)}"
        f"{error_line(GENERAL, form)}"
        f'<form id="booking-form" data-testid="booking-form" method="post" '
        f'action="{attr(action)}" novalidate>'
        f"{form_fields(view, form)}"
        '<button type="submit" id="submit" class="cal-submit" data-testid="submit">'
        "Schedule Event</button></form></section>"
    )


def unbookable() -> str:
    return (
        '<section id="not-bookable" class="cal-card" data-testid="not-bookable">'
        "<h2>This is a meeting poll</h2><p>Meeting polls are answered from the poll's own "
        "link; they cannot be booked from this page.</p></section>"
    )


# -- pages --------------------------------------------------------------------------------------
def event_page(
    state: SandboxState,
    view: EventView,
    settings: Settings,
    form: FormState,
    action: str,
    month: str,
    slots: list[str],
    selected_date: str | None,
) -> HTMLResponse:
    """The booking page: the picker, or the form when a start is chosen (``form.start_time``)."""
    record = view.record
    phase = "form" if form.start_time else "pick"
    zone = form.timezone or view.timezone
    if not view.bookable:
        phase = "unbookable"
        main = unbookable()
    else:
        main = picker(month, zone, phase == "pick") + form_section(
            view, form, action, phase == "form"
        )
    announce: list[dict[str, Any]] = []
    if not form.reposted:
        announce.append(EVENT_TYPE_VIEWED)
        if phase == "form":
            announce.append(DATE_AND_TIME_SELECTED)
    data = {
        "phase": phase,
        "announce": announce,
        "now": iso(state.clock.now()),
        "month": month,
        "min_month": times.this_month(state),
        "max_month": times.last_month(state),
        "slots": slots,
        "slots_url": f"{view.path}/slots.json",
        "selected_date": selected_date,
        "start_time": form.start_time,
        "timezone": zone,
        "keep_timezone": form.reposted,
        "time_notation": view.time_notation,
        "duration": int(record["duration"]),
        "event_type": {
            "uri": state.uris.of("event_types", record["id"]),
            "name": record.get("name"),
            "scheduling_url": view.url,
        },
    }
    body = f'<div class="cal-layout">{details(view, settings)}{main}</div>'
    status = 400 if form.errors else 200
    return html.document(str(record.get("name") or "Booking"), body, settings, data, status)


def _location_text(location: dict[str, Any]) -> str:
    kind = str(location.get("type") or "")
    if location.get("join_url"):
        label = CONFERENCES.get(f"{kind}_conference", CONFERENCES.get(kind, "Web conference"))
        url = str(location["join_url"])
        link = f'<a href="{attr(url)}" target="_blank" rel="noopener">{escape(url)}</a>'
        return f"{escape(label)}: {link}"
    text = str(location.get("location") or "")
    if kind == "outbound_call":
        return escape(f"The host will call you at {text}")
    if kind == "inbound_call":
        return escape(f"Call {text}")
    return escape(text or CONFERENCES.get(kind, kind.replace("_", " ")))


def confirmation_page(
    state: SandboxState,
    view: EventView,
    settings: Settings,
    event: Record,
    invitee: Record,
) -> HTMLResponse:
    """The confirmation page, posting ``calendly.event_scheduled`` with API URIs (facts §8.4)."""
    event_uri = render_events.event_uri(state, event["id"])
    invitee_uri = state.uris.invitee(event["id"], invitee["id"])
    start = datetime.fromisoformat(str(event["start_time"]).replace("Z", "+00:00")).astimezone(UTC)
    when = when_text(
        start, int(view.record["duration"]), invitee.get("timezone"), view.time_notation
    )
    reschedule = render_events.reschedule_url(state, invitee["id"])
    cancel = render_events.cancel_url(state, invitee["id"])
    body = (
        '<div class="cal-layout">'
        f'<section id="confirmation" class="cal-card cal-confirmation" data-testid="confirmation" '
        f'data-event-uri="{attr(event_uri)}" data-invitee-uri="{attr(invitee_uri)}">'
        '<h1 id="confirmation-title">You are scheduled</h1>'
        "<p>A calendar invitation has been sent to your email address.</p>"
        '<div class="cal-summary">'
        f'<p id="confirmed-event" data-testid="confirmed-event">{escape(str(event["name"]))}</p>'
        f'<p id="confirmed-host">{escape(view.host)}</p>'
        '<p id="confirmed-time" data-testid="confirmed-time" '
        f'data-start="{attr(event["start_time"])}">'
        f"{escape(when)}</p>"
        f'<p id="confirmed-location">{_location_text(dict(event.get("location") or {}))}</p>'
        f'<p id="confirmed-invitee">{escape(str(invitee["name"]))} '
        f"&lt;{escape(str(invitee['email']))}&gt;</p></div>"
        '<p class="cal-links">'
        f'<a id="reschedule-link" href="{attr(reschedule)}" '
        'target="_blank" rel="noopener">Reschedule</a> '
        f'<a id="cancel-link" href="{attr(cancel)}" '
        'target="_blank" rel="noopener">Cancel</a></p></section></div>'
    )
    data = {
        "phase": "done",
        "announce": [
            {
                "event": "calendly.event_scheduled",
                "payload": {"event": {"uri": event_uri}, "invitee": {"uri": invitee_uri}},
            }
        ],
        "event": {"uri": event_uri},
        "invitee": {"uri": invitee_uri},
    }
    return html.document("You are scheduled", body, settings, data)
