"""Rescheduling an invitee: the old invitee canceled and a new one booked, as one change.

Calendly has no public reschedule endpoint: an invitee reschedules through the booking page's
``reschedule_url``. What integrators see is the documented pair (facts §3.9, §6.2): the old
invitee canceled (``rescheduled: true``, ``new_invitee`` naming the new one, a cancellation by
the invitee with their reason), and a new invitee (``old_invitee`` naming the old one) on a
new scheduled event of the same event type (or the group session at the new time). The old
event is canceled too unless other invitees still attend it. Webhooks arrive as
``invitee.canceled`` (old) then ``invitee.created`` (new).

``reschedule`` does all of it in one store transaction. The old booking is released first,
inside that transaction, so the new time is checked as if the invitee's current booking were
already gone: moving a one-on-one meeting 15 minutes later is allowed even though the two
overlap (Calendly's reschedule page offers such times too). If the new time is not open, the
transaction rolls back and nothing changes. Kept from the old invitee: name, e-mail, time
zone, text reminder number, answers, tracking, payment, ``scheduling_method`` and
``invitee_scheduled_by``; the new event keeps the old location kind (and its text: a place,
the number to call, the invitee's own answer; conference links are generated anew) and the
guests the invitee brought (all of a one-on-one event's guests; on a shared group session,
those added when the invitee booked). Round robin hosts are picked anew, as for a booking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.sandbox import booking
from desktop.sandbox.booking_fields import LOCATION_NEEDS_TEXT, InviteeDetails, location_configs
from desktop.sandbox.errors import invalid, not_found
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

CANCELED = "is canceled; only an active invitee can be rescheduled"
STARTED = "belongs to an event that has already started; it can no longer be rescheduled"
EVENT_TYPE_GONE = "belongs to an event type that has been deleted"
EVENT_TYPE_CLOSED = "belongs to an event type that takes no bookings (inactive or a poll)"
SAME_TIME = "must differ from the invitee's current start time"
# Location output types whose request kind is spelled differently (facts §3.8).
_REQUEST_KIND = {"zoom": "zoom_conference", "gotomeeting": "gotomeeting_conference"}
# What the new invitee takes over from the old one as stored.
KEPT = (
    "email",
    "name",
    "first_name",
    "last_name",
    "timezone",
    "text_reminder_number",
    "questions_and_answers",
    "tracking",
    "payment",
    "scheduling_method",
    "invitee_scheduled_by",
)


def same_location(event_type: Record, old_event: Record) -> dict[str, Any] | None:
    """The old event's location as a booking request (None: the event type's default)."""
    where = old_event.get("location") or {}
    kind = _REQUEST_KIND.get(str(where.get("type")), str(where.get("type")))
    if not any(config.get("kind") == kind for config in location_configs(event_type)):
        return None
    requested: dict[str, Any] = {"kind": kind}
    if LOCATION_NEEDS_TEXT.get(kind) and where.get("location"):
        requested["location"] = where["location"]
    return requested


def own_guests(state: SandboxState, old_event: Record, invitee: Record) -> list[str]:
    """Guest e-mails the invitee brought: every guest when nobody else booked the event."""
    guests = list(old_event.get("guests") or [])
    others = state.store.count(
        "invitees", "event = ? AND id != ?", (old_event["id"], invitee["id"])
    )
    if others:
        guests = [g for g in guests if g.get("created_at") == invitee["created_at"]]
    return [str(g["email"]) for g in guests]


def _details(invitee: Record) -> InviteeDetails:
    return InviteeDetails(
        email=str(invitee["email"]),
        name=str(invitee["name"]),
        first_name=invitee.get("first_name"),
        last_name=invitee.get("last_name"),
        timezone=str(invitee.get("timezone") or "UTC"),
        text_reminder_number=invitee.get("text_reminder_number"),
    )


def _bookable_type(state: SandboxState, event: Record) -> Record:
    event_type = state.store.get("event_types", event["event_type"])
    if event_type is None or event_type.get("deleted_at") is not None:
        raise invalid("invitee", EVENT_TYPE_GONE)
    if booking.event_type_problems(event_type):
        raise invalid("invitee", EVENT_TYPE_CLOSED)
    return event_type


def _release(state: SandboxState, invitee: Record, event: Record, reason: str | None) -> Record:
    """Cancel the invitee (and their event when nobody else attends); the canceled invitee."""
    now = iso(state.clock.now())
    cancellation = {
        "canceled_by": invitee["name"],
        "reason": reason,
        "canceler_type": "invitee",
        "created_at": now,
    }
    old = {**invitee, "status": "canceled", "rescheduled": True}
    old.update(cancellation=dict(cancellation), updated_at=now)
    state.store.update("invitees", old)
    others = state.store.count(
        "invitees", "event = ? AND status = 'active' AND id != ?", (event["id"], invitee["id"])
    )
    if not others:
        closed = {**event, "status": "canceled", "cancellation": dict(cancellation)}
        state.store.update("scheduled_events", {**closed, "updated_at": now})
    return old


def reschedule(
    state: SandboxState,
    invitee_record: Record,
    new_start_time: datetime,
    reason: str | None = None,
) -> tuple[Record, Record]:
    """Move an active invitee of an upcoming event to ``new_start_time``: (old, new) invitee.

    400 naming ``invitee`` for a canceled invitee, an event that has started or an event type
    that no longer takes bookings; naming ``start_time`` for a time in the past, the current
    time, or one that is not an open slot of the event type (the invitee's own booking aside).
    404 when the invitee or its event is gone. Publishes ``invitee.canceled`` (old) and then
    ``invitee.created`` (new) after the commit.
    """
    store = state.store
    with store.transaction():
        invitee = store.get("invitees", invitee_record["id"])
        event = None if invitee is None else store.get("scheduled_events", invitee["event"])
        if invitee is None or event is None:
            raise not_found()
        if invitee["status"] != "active" or event["status"] != "active":
            raise invalid("invitee", CANCELED)
        now = state.clock.now()
        if event["start_time"] <= iso(now):
            raise invalid("invitee", STARTED)
        if new_start_time <= now:
            raise invalid("start_time", booking.IN_THE_PAST)
        if iso(new_start_time) == event["start_time"]:
            raise invalid("start_time", SAME_TIME)
        event_type = _bookable_type(state, event)
        location = same_location(event_type, event)
        guests = own_guests(state, event, invitee)
        old = _release(state, invitee, event, reason)
        # Raises (rolling the release back) when the new time is not open.
        _, new = booking.place(
            state,
            event_type,
            new_start_time,
            _details(invitee),
            location,
            list(invitee.get("questions_and_answers") or []),
            invitee.get("tracking"),
            guests,
            invitee.get("invitee_scheduled_by"),
            invitee.get("scheduling_method"),
        )
        new.update({key: invitee.get(key) for key in KEPT}, old_invitee=invitee["id"])
        store.update("invitees", new)
        old["new_invitee"] = new["id"]
        store.update("invitees", old)
    organization = str(event["organization"])
    state.bus.publish("invitee.canceled", organization, old)
    state.bus.publish("invitee.created", organization, new)
    return old, new
