"""iCalendar (RFC 5545) export of scheduled events, written by hand: no runtime dependency.

UIDs are ``<event uuid>@calendly-console``. Calendly's event id is stable and unique, so
exporting the same event again gives the same UID and a calendar app updates its copy instead
of adding a duplicate. The full event URI is not used: it carries the API host (and, for the
sandbox, a port that changes every run, which would break that stability), RFC 7986 §5.3 asks
that UIDs not reveal host names, and the ``@calendly-console`` domain keeps our UIDs from ever
colliding with the ones Calendly itself puts on the invitations it sends. The URI still rides
along in DESCRIPTION.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime

from desktop.domain import EventType, Invitee, ScheduledEvent
from desktop.exports.cells import location_label
from desktop.exports.ics_text import content_line, mailto, text, utc
from desktop.exports.output import (
    DEFAULT_PROGRESS_EVERY,
    Cancelled,
    NothingToExport,
    Pacer,
    Progress,
    Target,
    open_target,
)

_NOT_IN_URI = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
PRODID = "-//Calendly Console//Scheduled events export//EN"
UID_DOMAIN = "calendly-console"


def event_uid(event: ScheduledEvent) -> str:
    """The VEVENT UID of ``event`` (see the module docstring for why not the whole URI)."""
    return f"{event.uuid}@{UID_DOMAIN}"


def write_ics(
    target: Target,
    events: Iterable[ScheduledEvent],
    *,
    invitees_by_event: Mapping[str, Sequence[Invitee]] | None = None,
    event_types: Mapping[str, EventType] | None = None,
    calendar_name: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    progress_every: int = DEFAULT_PROGRESS_EVERY,
    now: datetime | None = None,
) -> int:
    """Write one VCALENDAR with a VEVENT per event to ``target``; return the events written.

    ``invitees_by_event`` (event URI -> invitees) adds ATTENDEE lines; ``event_types`` (URI ->
    event type) adds the booking page to DESCRIPTION; ``now`` is the DTSTAMP (default: the
    current time). A path target is written atomically; ``cancelled()`` is checked before
    each event (raising ``ExportCancelled``), ``progress(done)`` is called every
    ``progress_every`` events and at the end. An empty selection raises ``NothingToExport``
    (a calendar file needs at least one event) and writes nothing.
    """
    stamp = utc(now or datetime.now(UTC))
    pacer = Pacer(progress, cancelled, progress_every)
    with open_target(target) as handle:
        for event in events:
            pacer.check()
            if pacer.done == 0:
                handle.writelines(_calendar_head(calendar_name))
            attendees = (invitees_by_event or {}).get(event.uri, ())
            event_type = (event_types or {}).get(event.event_type)
            handle.writelines(_vevent(event, attendees, event_type, stamp))
            pacer.step()
        pacer.check()
        if pacer.done == 0:
            raise NothingToExport("there are no events to export")
        handle.write(content_line("END", "VCALENDAR"))
    return pacer.finish()


def _calendar_head(name: str | None) -> Iterator[str]:
    yield content_line("BEGIN", "VCALENDAR")
    yield content_line("VERSION", "2.0")
    yield content_line("PRODID", text(PRODID))
    yield content_line("CALSCALE", "GREGORIAN")
    if name:
        yield content_line("NAME", text(name))  # RFC 7986
        yield content_line("X-WR-CALNAME", text(name))  # what Google, Apple and Outlook read


def _vevent(
    event: ScheduledEvent,
    invitees: Sequence[Invitee],
    event_type: EventType | None,
    stamp: str,
) -> Iterator[str]:
    yield content_line("BEGIN", "VEVENT")
    yield content_line("UID", text(event_uid(event)))
    yield content_line("DTSTAMP", stamp)
    yield content_line("DTSTART", utc(event.start_time))
    yield content_line("DTEND", utc(event.end_time))
    yield content_line("SUMMARY", text(event.name or "Calendly event"))
    place = _place(event)
    if place:
        yield content_line("LOCATION", text(place))
    join_url = event.location.join_url if event.location is not None else None
    if join_url:
        yield content_line("URL", _uri(join_url))
    yield content_line("DESCRIPTION", text(_description(event, event_type)))
    yield content_line("STATUS", "CANCELLED" if event.is_canceled else "CONFIRMED")
    if event.created_at is not None:
        yield content_line("CREATED", utc(event.created_at))
    if event.updated_at is not None:
        yield content_line("LAST-MODIFIED", utc(event.updated_at))
    yield from _people(event, invitees)
    yield content_line("END", "VEVENT")


def _place(event: ScheduledEvent) -> str:
    """The address (or phone number, or text) of the location, else what kind it is."""
    if event.location is None:
        return ""
    return event.location.location or location_label(event.location.type)


def _uri(value: str) -> str:
    """A URI value is not TEXT (no escaping) but must not break the line."""
    return _NOT_IN_URI.sub("", value)


def _description(event: ScheduledEvent, event_type: EventType | None) -> str:
    lines: list[str] = []
    hosts = [_host(m.user_name, m.user_email) or m.user for m in event.event_memberships]
    if hosts:
        lines.append("Hosts: " + ", ".join(hosts))
    type_name = (event_type.display_name if event_type is not None else None) or event.name
    if type_name:
        lines.append(f"Event type: {type_name}")
    location = event.location
    if location is not None:
        lines.append(f"Location: {location_label(location.type)}")
        for extra in (location.location, location.join_url, location.additional_info):
            if extra:
                lines.append(f"  {extra}")
    if event.event_guests:
        lines.append("Guests: " + ", ".join(g.email for g in event.event_guests))
    if event.cancellation is not None:
        cancel = event.cancellation
        line = f"Canceled by {cancel.canceled_by} ({cancel.canceler_type})"
        lines.append(f"{line}: {cancel.reason}" if cancel.reason else line)
    if event.meeting_notes_plain:
        lines += ["", "Meeting notes:", event.meeting_notes_plain]
    lines += ["", f"Calendly event: {event.uri}"]
    if event_type is not None and event_type.scheduling_url:
        lines.append(f"Booking page: {event_type.scheduling_url}")
    lines.append(f"Calendly event type: {event.event_type}")
    return "\n".join(lines)


def _host(name: str | None, email: str | None) -> str:
    if name and email:
        return f"{name} <{email}>"
    return name or email or ""


def _people(event: ScheduledEvent, invitees: Sequence[Invitee]) -> Iterator[str]:
    """ORGANIZER (the first host with an e-mail), then ATTENDEEs: co-hosts, invitees, guests."""
    hosts = [m for m in event.event_memberships if m.user_email]
    seen: set[str] = set()
    for index, host in enumerate(hosts):
        email = host.user_email or ""
        seen.add(email.casefold())
        names = {"cn": host.user_name} if host.user_name else {}
        if index == 0:
            yield content_line("ORGANIZER", mailto(email), **names)
        else:
            yield content_line(
                "ATTENDEE", mailto(email), **names, role="CHAIR", partstat="ACCEPTED"
            )
    for invitee in invitees:
        if invitee.email.casefold() in seen:
            continue
        seen.add(invitee.email.casefold())
        declined = invitee.is_canceled or event.is_canceled
        yield content_line(
            "ATTENDEE",
            mailto(invitee.email),
            cn=invitee.display_name,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="DECLINED" if declined else "ACCEPTED",
        )
    for guest in event.event_guests:
        if guest.email.casefold() in seen:
            continue
        seen.add(guest.email.casefold())
        yield content_line(
            "ATTENDEE",
            mailto(guest.email),
            cutype="INDIVIDUAL",
            role="OPT-PARTICIPANT",
            partstat="NEEDS-ACTION",
        )
