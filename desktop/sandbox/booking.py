"""Booking a slot of an event type: the checks that need the store, then event + invitee in one go.

``book`` is what a booking made in Calendly's UI does, and what ``POST /invitees`` (the
Scheduling API) and a sandbox booking page call: inside one store transaction it re-checks
that the start is still open (so of two bookings racing for the last seat exactly one wins),
picks the hosts (the one host of a one-on-one type; a free round-robin host, preferring the
one with the fewest upcoming meetings; every host of a collective type), creates the
scheduled event (or joins the open session of a group type) with its hosts and location,
and the invitee; after the commit it publishes ``invitee.created``.
"""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from typing import Any

from desktop.sandbox import slots, wire
from desktop.sandbox.booking_fields import InviteeDetails, location_configs
from desktop.sandbox.errors import Problems, detail, invalid
from desktop.sandbox.routes.availability import (
    busy_blocks,
    event_type_slots,
    host_events,
    host_ids,
    host_schedule,
)
from desktop.sandbox.seed.context import Seeder
from desktop.sandbox.seed.locations import event_location
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

SLOT_NOT_AVAILABLE = (
    "is not an available start time of the event type (see /event_type_available_times)"
)
IN_THE_PAST = "must be in the future"
NOT_ACTIVE = "must be an active event type"
POLL = "is a meeting poll and cannot be booked"
ASK_INVITEE = "is required: the event type asks the invitee where to meet"


# -- the event type and the start -------------------------------------------------------------
def event_type_problems(event_type: Record) -> Problems:
    """Why an existing event type cannot take bookings (none when it can)."""
    if not event_type.get("active"):
        return [detail("event_type", NOT_ACTIVE)]
    if event_type.get("booking_method") == "poll":
        return [detail("event_type", POLL)]
    return []


def seats_left(state: SandboxState, event_type: Record, start: datetime) -> int:
    """Invitees the event type can still take at exactly ``start`` (0: not an open slot)."""
    for moment, left in event_type_slots(state, event_type, start, start + timedelta(seconds=1)):
        if moment == start:
            return left
    return 0


def start_problems(state: SandboxState, event_type: Record, start: datetime) -> Problems:
    """``start_time`` must be in the future and one of the open slots right now."""
    if start <= state.clock.now():
        return [detail("start_time", IN_THE_PAST)]
    if seats_left(state, event_type, start) <= 0:
        return [detail("start_time", SLOT_NOT_AVAILABLE)]
    return []


# -- hosts --------------------------------------------------------------------------------------
def _interval(record: Record) -> slots.Interval:
    return (
        datetime.fromisoformat(record["start_time"].replace("Z", "+00:00")),
        datetime.fromisoformat(record["end_time"].replace("Z", "+00:00")),
    )


def host_is_free(state: SandboxState, event_type: Record, user_id: str, start: datetime) -> bool:
    """Whether one host's schedule is open and their calendar free for the whole meeting."""
    schedule = host_schedule(state, event_type["id"], user_id)
    if schedule is None:
        return False
    duration = int(event_type["duration"])
    lo, hi = start - timedelta(minutes=duration), start + timedelta(minutes=2 * duration)
    own = event_type.get("kind") == "group"
    busy = [
        _interval(e)
        for e in host_events(state, user_id, lo, hi)
        if not (own and e["event_type"] == event_type["id"])
    ]
    busy += [_interval(b) for b in busy_blocks(state, user_id, lo, hi)]
    calendar = slots.HostCalendar(schedule["timezone"], schedule.get("rules") or [], busy)
    return slots.is_available([calendar], start, duration)


def upcoming_count(state: SandboxState, user_id: str) -> int:
    """The host's active meetings from now on (round robin balances on this)."""
    found = state.store.scalars(
        "SELECT COUNT(*) FROM event_hosts h JOIN scheduled_events e ON e.id = h.event "
        "WHERE h.user = ? AND h.start_time >= ? AND e.status = 'active'",
        (user_id, iso(state.clock.now())),
    )
    return int(found[0]) if found else 0


def pick_hosts(state: SandboxState, event_type: Record, start: datetime) -> list[str]:
    """Round robin: one free host, fewest upcoming meetings first, then host order; collective
    (and multi-pool): every host; otherwise the event type's host."""
    hosts = host_ids(state, event_type)
    pooling = event_type.get("pooling_type")
    if pooling in ("collective", "multi_pool"):
        return hosts
    if pooling == "round_robin":
        free = [h for h in hosts if host_is_free(state, event_type, h, start)]
        if not free:
            raise invalid("start_time", SLOT_NOT_AVAILABLE)
        order = {h: i for i, h in enumerate(hosts)}
        return [min(free, key=lambda h: (upcoming_count(state, h), order[h]))]
    return hosts[:1]


# -- the event's location (output form, facts §3.8) ----------------------------------------------
def chosen_location(event_type: Record, requested: dict[str, Any] | None) -> dict[str, Any] | None:
    """The event type's location configuration the booking uses (None: it has none)."""
    configs = location_configs(event_type)
    if requested is not None:
        same = [c for c in configs if c.get("kind") == requested["kind"]]
        if requested["kind"] in ("physical", "custom"):
            same = [c for c in same if c.get("location") == requested.get("location")] or same
        return same[0] if same else dict(requested)
    ready = [c for c in configs if c.get("kind") not in ("ask_invitee", "outbound_call")]
    found = ready or configs
    return found[0] if found else None


def location_problems(event_type: Record, requested: dict[str, Any] | None) -> Problems:
    """Without a ``location``, a type that asks the invitee where to meet cannot be booked."""
    if requested is not None or event_type.get("pooling_type") == "round_robin":
        return []
    config = chosen_location(event_type, None)
    if config is not None and config.get("kind") == "ask_invitee":
        return [detail("location", ASK_INVITEE)]
    return []


def event_location_for(
    state: SandboxState,
    event_type: Record,
    requested: dict[str, Any] | None,
    invitee: InviteeDetails,
) -> dict[str, Any]:
    """The scheduled event's Location, as Calendly returns it (key ``type``)."""
    config = chosen_location(event_type, requested)
    if config is None:
        return {"type": "custom", "location": None}
    kind = str(config["kind"])
    given = (requested or {}).get("location")
    if kind == "physical":
        place: dict[str, Any] = {"type": "physical", "location": config.get("location") or given}
        if config.get("additional_info"):
            place["additional_info"] = config["additional_info"]
        return place
    if kind == "custom":
        return {"type": "custom", "location": config.get("location") or given}
    if kind == "ask_invitee":
        return {"type": "ask_invitee", "location": given or ""}
    if kind == "outbound_call":
        return {"type": "outbound_call", "location": given or invitee.text_reminder_number}
    if kind == "inbound_call":
        return {
            "type": "inbound_call",
            "location": config.get("phone_number") or "",
            "additional_info": config.get("additional_info") or "",
        }
    # Conferences: details are generated at once (status ``pushed``), as the seed's are.
    maker = Seeder(state.random.getrandbits(64), state.clock.now())
    return event_location(maker, config, "", canceled=False, future=False)


def _calendar_event(state: SandboxState, host: str | None) -> dict[str, Any] | None:
    """A calendar entry in the host's connected calendar, if their meetings have one."""
    if host is None:
        return None
    found = state.store.find(
        "scheduled_events",
        "id IN (SELECT event FROM event_hosts WHERE user = ?) "
        "AND json_extract(data, '$.calendar_event') IS NOT NULL",
        (host,),
        order="start_time DESC",
        limit=1,
    )
    if not found:
        return None
    alphabet = string.ascii_lowercase + string.digits
    external = "".join(state.random.choice(alphabet) for _ in range(26))
    return {"kind": found[0]["calendar_event"]["kind"], "external_id": external}


# -- booking ------------------------------------------------------------------------------------
def _open_session(state: SandboxState, event_type: Record, start: datetime) -> Record | None:
    """A group type's active event at exactly ``start`` (new invitees join it)."""
    if event_type.get("kind") != "group":
        return None
    return state.store.find_one(
        "scheduled_events",
        "event_type = ? AND status = 'active' AND start_time = ?",
        (event_type["id"], iso(start)),
    )


def _guests(emails: list[str], stamp: str, already: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = {g["email"] for g in already}
    added = [{"email": e, "created_at": stamp, "updated_at": stamp} for e in emails]
    return [*already, *(g for g in added if g["email"] not in known)]


def _new_event(
    state: SandboxState,
    event_type: Record,
    start: datetime,
    hosts: list[str],
    location: dict[str, Any],
    guests: list[str],
    stamp: str,
) -> Record:
    end = start + timedelta(minutes=int(event_type["duration"]))
    event: Record = {
        "id": state.new_id(),
        "organization": event_type["organization"],
        "event_type": event_type["id"],
        "name": event_type["name"],
        "status": "active",
        "start_time": iso(start),
        "end_time": iso(end),
        "location": location,
        "hosts": hosts,
        "guests": _guests(guests, stamp, []),
        "invitee_limit": int(event_type.get("invitee_limit") or 1),
        "meeting_notes_plain": None,
        "meeting_notes_html": None,
        "cancellation": None,
        "calendar_event": _calendar_event(state, hosts[0] if hosts else None),
        "created_at": stamp,
        "updated_at": stamp,
    }
    state.store.insert("scheduled_events", event)
    state.store.insert_many(
        "event_hosts",
        [
            {
                "id": f"{event['id']}:{user}",
                "event": event["id"],
                "user": user,
                "start_time": iso(start),
            }
            for user in hosts
        ],
    )
    return event


def place(
    state: SandboxState,
    event_type: Record,
    start_time: datetime,
    invitee: InviteeDetails,
    location: dict[str, Any] | None,
    questions_and_answers: list[dict[str, Any]],
    tracking: dict[str, Any] | None,
    event_guests: list[str],
    booked_by_user_id: str | None,
    scheduling_method: str | None,
) -> tuple[Record, Record]:
    """``book`` without announcing it: for callers that publish themselves (a reschedule
    publishes ``invitee.canceled`` of the old invitee first). Joins an open transaction."""
    store = state.store
    stamp = iso(state.clock.now())
    with store.transaction():
        if start_time <= state.clock.now() or seats_left(state, event_type, start_time) <= 0:
            raise invalid("start_time", SLOT_NOT_AVAILABLE)
        event = _open_session(state, event_type, start_time)
        if event is None:
            hosts = pick_hosts(state, event_type, start_time)
            place = event_location_for(state, event_type, location, invitee)
            event = _new_event(state, event_type, start_time, hosts, place, event_guests, stamp)
        elif event_guests:
            event["guests"] = _guests(event_guests, stamp, list(event.get("guests") or []))
            event["updated_at"] = stamp
            store.update("scheduled_events", event)
        record: Record = {
            "id": state.new_uuid(),
            "event": event["id"],
            "email": invitee.email,
            "name": invitee.name,
            "first_name": invitee.first_name,
            "last_name": invitee.last_name,
            "status": "active",
            "questions_and_answers": [dict(qa) for qa in questions_and_answers],
            "timezone": invitee.timezone,
            "tracking": wire.tracking(tracking),
            "text_reminder_number": invitee.text_reminder_number,
            "rescheduled": False,
            "old_invitee": None,
            "new_invitee": None,
            "routing_form_submission": None,
            "payment": None,
            "no_show": None,
            "reconfirmation": None,
            "scheduling_method": scheduling_method,
            "invitee_scheduled_by": booked_by_user_id,
            "cancellation": None,
            "created_at": stamp,
            "updated_at": stamp,
        }
        store.insert("invitees", record)
    return event, record


def book(
    state: SandboxState,
    event_type: Record,
    start_time: datetime,
    invitee: InviteeDetails,
    location: dict[str, Any] | None,
    questions_and_answers: list[dict[str, Any]],
    tracking: dict[str, Any] | None,
    event_guests: list[str],
    booked_by_user_id: str | None,
    scheduling_method: str | None,
) -> tuple[Record, Record]:
    """Book ``invitee`` at ``start_time`` (fields already checked); returns (event, invitee).

    400 naming ``start_time`` when the slot is gone (taken since it was offered).
    """
    event, record = place(
        state,
        event_type,
        start_time,
        invitee,
        location,
        questions_and_answers,
        tracking,
        event_guests,
        booked_by_user_id,
        scheduling_method,
    )
    state.bus.publish("invitee.created", str(event_type["organization"]), record)
    return event, record
