"""Booking one invitee: the request through the client's reconcile path, logged, then read back.

``book`` sends ``POST /invitees`` once through ``client.scheduling.book`` (which looks a lost
answer up instead of sending again, and raises ``BookingUnconfirmed`` when it cannot tell), in
an ``invitee.book`` entry of the action log naming who booked whom with whose event type. When
an answer stayed unknown, ``find_booking`` is the check the user asks for: the event at that
start with that invitee, if the user may see it. Nothing here ever sends a booking again.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.api.errors import CalendlyError, PermissionDenied
from desktop.domain.event_types import EventType
from desktop.domain.invitees import Invitee
from desktop.domain.organizations import MembershipUser
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.domain.uris import uuid_of
from desktop.ui.booking.invitee_form import FormValues
from desktop.ui.page_context import PageContext


@dataclass(frozen=True)
class BookingKey:
    """What tells one booking from another: event type, start and the invitee's e-mail."""

    event_type: str
    start: datetime
    email: str


@dataclass(frozen=True)
class BookingRequest:
    """A booking the form checked: whose event type, when, and the invitee's details."""

    host: MembershipUser
    event_type: EventType
    start: datetime
    values: FormValues

    @property
    def key(self) -> BookingKey:
        return BookingKey(self.event_type.uri, self.start, self.values.invitee.email.lower())

    @property
    def invitee_label(self) -> str:
        invitee = self.values.invitee
        name = invitee.name or " ".join(p for p in (invitee.first_name, invitee.last_name) if p)
        return f"{name} <{invitee.email}>" if name else invitee.email


@dataclass(frozen=True)
class Booked:
    """A booking Calendly has: the invitee, and its event when it could be read back."""

    invitee: Invitee
    event: ScheduledEvent | None
    request: BookingRequest


async def book(context: PageContext, request: BookingRequest) -> Booked:
    """Book ``request`` once (see the module docstring); errors propagate unchanged."""
    client = context.connection.client
    identity = context.connection.identity
    values = request.values
    details: dict[str, Any] = {
        "booked_by": f"{identity.user_name} <{identity.user_email}>",
        "booked_by_uri": identity.user_uri,
        "invitee": request.invitee_label,
        "host": f"{request.host.name} <{request.host.email}>",
        "host_uri": request.host.uri,
        "event_type": request.event_type.uri,
        "event_type_name": request.event_type.display_name,
        "start_time": request.start.isoformat(),
        "invitee_timezone": values.invitee.timezone,
    }
    if values.guests:
        details["guests"] = list(values.guests)
    label = f"{request.invitee_label} — {request.event_type.display_name} ({request.host.name})"
    async with context.recording("invitee.book", request.event_type.uri, label, details) as pending:
        invitee = await client.scheduling.book(
            event_type=request.event_type.uri,
            start_time=request.start,
            invitee=values.invitee,
            location=values.location,
            questions_and_answers=values.answers,
            tracking=values.tracking,
            event_guests=values.guests,
        )
        pending.target_uri = invitee.uri  # the entry names the booking it made
        if isinstance(getattr(pending, "details", None), dict):
            pending.details["event"] = invitee.event
    event: ScheduledEvent | None = None
    with contextlib.suppress(CalendlyError):  # the invitee is what counts; the event is shown
        event = await client.scheduled_events.get(invitee.event)
    return Booked(invitee, event, request)


async def find_booking(context: PageContext, key: BookingKey) -> tuple[Invitee | None, bool]:
    """(the booking ``key`` made or None, whether not finding it proves it was not made): only a
    look-up over the whole organization sees every booking of a colleague's event type."""
    client = context.connection.client
    identity = context.connection.identity
    scopes: list[tuple[str | None, str | None]] = []
    if identity.organization_uri:
        scopes.append((identity.organization_uri, None))
    scopes.append((None, identity.user_uri))
    for index, (organization, user) in enumerate(scopes):
        try:
            page = await client.scheduled_events.list(
                organization=organization,
                user=user,
                invitee_email=key.email,
                min_start_time=key.start,
                max_start_time=key.start + timedelta(seconds=1),
                count=100,
            )
        except PermissionDenied:
            continue  # a plain member sees only their own events
        for event in page.items:
            if event.start_time != key.start or uuid_of(event.event_type) != uuid_of(
                key.event_type
            ):
                continue
            newest: Invitee | None = None
            async for person in client.scheduled_events.iterate_invitees(
                event.uri, email=key.email
            ):
                if person.email.lower() == key.email and not person.is_canceled:
                    newest = person
            if newest is not None:
                return newest, True
        return None, index == 0 and organization is not None
    return None, False


async def read_back(context: PageContext, invitee: Invitee) -> ScheduledEvent | None:
    """The invitee's event, or None when it cannot be read now."""
    with contextlib.suppress(CalendlyError):
        return await context.connection.client.scheduled_events.get(invitee.event)
    return None
