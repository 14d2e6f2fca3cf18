"""iCalendar export of scheduled events read through the client: parsed back with the
``icalendar`` package, it holds exactly the selected events with their UTC times, UIDs,
attendees and status; lines are CRLF, folded at 75 octets, never inside a character."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from desktop.api.client import CalendlyClient
from desktop.domain import Invitee, ScheduledEvent
from desktop.exports import ExportCancelled, NothingToExport, event_uid, write_ics
from desktop.sandbox import SandboxServer
from tests.exports.data import (
    COMMA_QUOTE,
    MULTILINE,
    NON_ASCII,
    events_of,
    invitees_of,
    leftovers,
    plant,
)

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 10, 1, 12, 30, 5, tzinfo=UTC)
LONG_NAME = ("Quarterly planning — " + NON_ASCII + " ") * 4


def _as_ical_text(value: str | None) -> str:
    """What iCalendar TEXT can carry: every line break comes back as ``\\n``."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _address(value: object) -> str:
    text = str(value)
    assert text.lower().startswith("mailto:"), text
    return text[len("mailto:") :]


def _attendees(component: icalendar.Component) -> dict[str, icalendar.vCalAddress]:
    found = component.get("ATTENDEE", [])
    listed = found if isinstance(found, list) else [found]
    return {_address(a): a for a in listed}


async def _selection(
    client: CalendlyClient, organization: str, sandbox: SandboxServer
) -> tuple[list[ScheduledEvent], dict[str, list[Invitee]]]:
    """Every seventh event plus a few canceled ones (a user's multi-selection), with awkward
    names planted on the first two and on an invitee."""
    events = await events_of(client, organization)
    picked = events[::7] + [e for e in events if e.is_canceled][:5]
    picked = list({e.uri: e for e in picked}.values())
    plant(sandbox, "scheduled_events", picked[0].uri, name=LONG_NAME)
    plant(sandbox, "scheduled_events", picked[1].uri, name=MULTILINE)
    invitee = (await client.scheduled_events.list_invitees(picked[2].uri)).items[0]
    plant(sandbox, "invitees", invitee.uri, name=COMMA_QUOTE)
    fresh = {e.uri: e for e in await events_of(client, organization)}
    selection = [fresh[e.uri] for e in picked]
    return selection, await invitees_of(client, selection)


async def test_ics_parses_and_holds_exactly_the_selected_events(
    client: CalendlyClient, organization: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    selection, invitees = await _selection(client, organization, sandbox)
    path = tmp_path / "events.ics"

    written = write_ics(path, selection, invitees_by_event=invitees, now=NOW)

    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert written == len(selection) > 60
    assert str(calendar["VERSION"]) == "2.0"
    assert "Calendly Console" in str(calendar["PRODID"])
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    parsed = {str(c["UID"]): c for c in calendar.walk("VEVENT")}
    assert len(calendar.walk("VEVENT")) == len(selection)
    assert set(parsed) == {f"{e.uuid}@calendly-console" for e in selection}
    kinds_seen: set[str] = set()
    for event in selection:
        component = parsed[event_uid(event)]
        start, end = component.decoded("DTSTART"), component.decoded("DTEND")
        assert start == event.start_time and start.utcoffset() == timedelta(0)
        assert end == event.end_time and end.utcoffset() == timedelta(0)
        assert component.decoded("DTSTAMP") == NOW
        assert str(component["SUMMARY"]) == _as_ical_text(event.name)
        assert str(component["STATUS"]) == ("CANCELLED" if event.is_canceled else "CONFIRMED")
        description = str(component["DESCRIPTION"])
        assert event.uri in description and event.host_names[0] in description
        if event.location is not None:
            kinds_seen.add(event.location.type)
            if event.location.location:
                assert str(component["LOCATION"]) == event.location.location
            if event.location.join_url:
                assert str(component["URL"]) == event.location.join_url
        host = event.event_memberships[0]
        assert _address(component["ORGANIZER"]) == host.user_email
        assert component["ORGANIZER"].params["CN"] == host.user_name
        attendees = _attendees(component)
        assert invitees[event.uri], "every seeded event has an invitee"
        for invitee in invitees[event.uri]:
            attendee = attendees[invitee.email]
            assert attendee.params["CN"] == invitee.display_name.replace('"', "'")
            declined = event.is_canceled or invitee.is_canceled
            assert attendee.params["PARTSTAT"] == ("DECLINED" if declined else "ACCEPTED")
        for guest in event.event_guests:
            assert attendees[guest.email].params["ROLE"] == "OPT-PARTICIPANT"
    assert {"physical", "zoom", "google_conference"} <= kinds_seen
    assert any(e.is_canceled for e in selection)
    summaries = {str(c["SUMMARY"]) for c in parsed.values()}
    assert LONG_NAME in summaries and _as_ical_text(MULTILINE) in summaries
    cns = {a.params.get("CN") for c in parsed.values() for a in _attendees(c).values()}
    assert COMMA_QUOTE.replace('"', "'") in cns


async def test_lines_are_crlf_and_folded_without_splitting_characters(
    client: CalendlyClient, organization: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    selection, invitees = await _selection(client, organization, sandbox)
    path = tmp_path / "events.ics"
    write_ics(path, selection, invitees_by_event=invitees, now=NOW)

    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw[:-2].split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # each physical line is whole characters
    continued = [line for line in lines if line.startswith(b" ")]
    assert len(continued) > len(selection), "descriptions and long names are folded"
    folded_summary = raw.split(b"SUMMARY:" + LONG_NAME[:10].encode())[1].split(b"\r\nDTSTART")[0]
    assert folded_summary.count(b"\r\n ") >= 3


async def test_cancel_mid_way_or_nothing_selected_leaves_no_file(
    client: CalendlyClient, organization: str, tmp_path: Path
) -> None:
    events = await events_of(client, organization)
    seen: list[int] = []

    def cancelled() -> bool:
        return bool(seen) and seen[-1] >= 20

    with pytest.raises(ExportCancelled):
        write_ics(
            tmp_path / "events.ics",
            events,
            progress=seen.append,
            progress_every=10,
            cancelled=cancelled,
        )
    assert seen == [10, 20]
    with pytest.raises(NothingToExport):
        write_ics(tmp_path / "events.ics", [e for e in events if e.name == "no such event"])
    assert leftovers(tmp_path) == []

    assert write_ics(tmp_path / "events.ics", events, progress=seen.append) == 400
    assert seen[-1] == 400
    calendar = icalendar.Calendar.from_ical((tmp_path / "events.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == 400
    assert leftovers(tmp_path) == ["events.ics"]
