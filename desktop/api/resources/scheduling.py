"""``client.scheduling``: book a meeting through the Scheduling API (``POST /invitees``).

``POST /invitees`` is not idempotent and Calendly offers no idempotency key, so the transport
never sends it twice on its own. When its answer is lost (the connection broke after the
request may have arrived, or a 5xx), ``book`` reconciles: it looks for the booking (events of
the organization starting exactly at ``start_time`` with the invitee's e-mail, then that
event's invitees with the e-mail, created by this user since just before the request) and
returns it if it was made. Only when the look-up proves there is none does it send the
request again, once, and reconcile again if that answer is lost too. So a booking is never
made twice and never silently lost: when Calendly cannot be asked, or cannot be asked
conclusively, ``book`` raises ``BookingUnconfirmed`` and the user checks before retrying.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import msgspec

from desktop.api.errors import (
    BadRequest,
    BookingUnconfirmed,
    CalendlyError,
    ConnectionFailed,
    MalformedResponse,
    PermissionDenied,
    RateLimited,
    RequestTimeout,
    ServerError,
)
from desktop.api.resource import APIResource, decode_as
from desktop.api.resources.scheduled_events import ScheduledEvents
from desktop.api.resources.scheduling_quota import (
    SchedulingLimits,
    SchedulingQuota,
    SchedulingQuotaSnapshot,
)
from desktop.api.resources.users import Users
from desktop.api.transport import Transport
from desktop.domain.envelopes import Resource
from desktop.domain.invitees import Invitee, Tracking
from desktop.domain.uris import uuid_of
from desktop.domain.users import User

LocationKind = Literal[
    "physical",
    "inbound_call",
    "outbound_call",
    "zoom_conference",
    "google_conference",
    "gotomeeting_conference",
    "microsoft_teams_conference",
    "webex_conference",
    "ask_invitee",
    "custom",
]

# How far Calendly's clock may be behind ours when telling a new booking from an older one.
CLOCK_TOLERANCE = timedelta(minutes=10)


class InviteeDetails(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Who is booked: ``email`` and ``timezone``, and ``name`` or ``first_name``."""

    email: str
    timezone: str
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    text_reminder_number: str | None = None  # for SMS reminders, e.g. +14155551234


class BookingLocation(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One of the event type's locations; ``location`` for physical, custom, ask_invitee and
    outbound_call (the number the host calls). Not sent for round-robin types."""

    kind: LocationKind
    location: str | None = None


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """An answer to a custom question (``question`` matches its name exactly)."""

    question: str
    answer: str
    position: int


class Scheduling(APIResource):
    """The Scheduling API: book on behalf of an invitee, and its separate quota."""

    def __init__(self, transport: Transport, limits: SchedulingLimits | None = None) -> None:
        super().__init__(transport)
        self._users = Users(transport)
        self._events = ScheduledEvents(transport)
        self._quota = SchedulingQuota(transport.budget, limits)
        self._me: User | None = None

    @property
    def quota(self) -> SchedulingQuotaSnapshot:
        """This client's bookings per window and any block Calendly announced (429)."""
        return self._quota.snapshot()

    async def book(
        self,
        *,
        event_type: str,
        start_time: datetime,
        invitee: InviteeDetails | Mapping[str, Any],
        location: BookingLocation | Mapping[str, Any] | None = None,
        questions_and_answers: Sequence[Answer | Mapping[str, Any]] = (),
        tracking: Tracking | Mapping[str, Any] | None = None,
        event_guests: Sequence[str] = (),
    ) -> Invitee:
        """Book ``invitee`` into ``event_type`` (URI) at ``start_time`` (an open slot, e.g.
        from the event type's available times); returns the new invitee.

        Raises ``RateLimited`` at once when the Scheduling API's quota is spent (no 65 s
        wait: ``retry_after`` says how long), ``BadRequest`` naming the fields for a refused
        booking, ``BookingUnconfirmed`` when the answer was lost and the booking could not
        be checked. A ``ConnectionFailed``/``ServerError`` from here means the booking was
        checked and does not exist.
        """
        if start_time.tzinfo is None:
            raise ValueError("start_time must be timezone-aware")
        body: dict[str, Any] = {
            "event_type": event_type,
            "start_time": start_time.astimezone(UTC),
            "invitee": invitee,
            "location": location,
            "questions_and_answers": list(questions_and_answers) or None,
            "tracking": _all_tracking_keys(tracking),
            "event_guests": list(event_guests) or None,
        }
        body = {key: value for key, value in body.items() if value is not None}
        email = invitee.email if isinstance(invitee, InviteeDetails) else invitee.get("email")
        attempt = _Attempt(event_type, start_time, str(email or "").strip().lower())
        try:
            return await self._send(body)
        except (ConnectionFailed, ServerError, MalformedResponse) as error:
            if not _maybe_booked(error):
                raise
            first: CalendlyError = error
        found = await self._reconcile(attempt, first)
        if found is not None:
            return found
        # Proved not booked: sending again, once, is safe.
        try:
            return await self._send(body)
        except BadRequest as refused:
            # The slot may be gone because the first request did book it after all.
            if refused.detail_for("start_time") is None:
                raise
            again = await self._reconcile(attempt, refused)
            if again is not None:
                return again
            raise
        except (ConnectionFailed, ServerError, MalformedResponse) as error:
            if not _maybe_booked(error):
                raise
            found = await self._reconcile(attempt, error)
            if found is not None:
                return found
            raise

    # -- internals ------------------------------------------------------------------------
    async def _send(self, body: dict[str, Any]) -> Invitee:
        blocked = self._quota.blocked_for()
        if blocked is not None:
            raise RateLimited(
                429,
                "Too Many Requests",
                f"The Scheduling API quota is spent; bookings resume in {blocked:.0f} s.",
                method="POST",
                path="/invitees",
                retry_after=blocked,
            )
        try:
            raw = await self._transport.request(
                "POST",
                "/invitees",
                json=body,
                max_rate_limit_wait=0.0,
                own_limit=self._quota.observe,
            )
        except ConnectionFailed as error:
            if error.sent:
                self._quota.spent()
            raise
        envelope: Resource[Invitee] = decode_as(raw, Resource[Invitee], "POST /invitees")
        return envelope.resource

    async def _reconcile(self, attempt: _Attempt, error: CalendlyError) -> Invitee | None:
        """The booking ``attempt`` made, or None when it certainly does not exist."""
        try:
            found, conclusive = await self._look_up(attempt)
        except CalendlyError as failure:
            raise attempt.unconfirmed(
                f"Calendly could not be asked whether it was made ({failure.message})", failure
            ) from error
        if found is not None:
            return found
        if not conclusive:
            raise attempt.unconfirmed(
                "this user may not list every event of the organization, so its absence "
                "could not be proved",
                error,
            ) from error
        if isinstance(error, RequestTimeout):
            # Calendly may still be working on it: sending again could book twice.
            raise attempt.unconfirmed(
                "the request timed out and may still be in progress", error
            ) from error
        return None

    async def _look_up(self, attempt: _Attempt) -> tuple[Invitee | None, bool]:
        """(the booking or None, whether not finding it proves it does not exist)."""
        me = self._me = self._me or await self._users.me()
        scopes: list[dict[str, Any]] = []
        if me.current_organization:
            scopes.append({"organization": me.current_organization})
        scopes.append({"user": me.uri})
        for index, scope in enumerate(scopes):
            try:
                page = await self._events.list(
                    **scope,
                    invitee_email=attempt.email,
                    min_start_time=attempt.start_time,
                    max_start_time=attempt.start_time + timedelta(seconds=1),
                    count=100,
                )
            except PermissionDenied:
                continue  # a plain member: only their own events are visible
            for event in page.items:
                if event.start_time != attempt.start_time:
                    continue
                if uuid_of(event.event_type) != uuid_of(attempt.event_type):
                    continue
                found = await self._invitee_of(event.uri, attempt, me)
                if found is not None:
                    return found, True
            # Only the organization-wide look-up sees every booking of the event type.
            return None, index == 0 and "organization" in scope
        raise PermissionDenied(403, "Permission Denied", "no list of events is visible")

    async def _invitee_of(self, event: str, attempt: _Attempt, me: User) -> Invitee | None:
        newest: Invitee | None = None
        async for person in self._events.iterate_invitees(event, email=attempt.email):
            if person.email.lower() != attempt.email:
                continue
            if person.created_at is not None and person.created_at < attempt.since:
                continue  # an older booking of the same person (a group event's seat)
            if person.invitee_scheduled_by not in (None, me.uri):
                continue
            if newest is None or _created(person) >= _created(newest):
                newest = person
        return newest


class _Attempt:
    """What identifies one booking: event type, start, e-mail, and when it was sent."""

    def __init__(self, event_type: str, start_time: datetime, email: str) -> None:
        self.event_type = event_type
        self.start_time = start_time.astimezone(UTC)
        self.email = email
        self.since = datetime.now(UTC) - CLOCK_TOLERANCE

    def unconfirmed(self, why: str, cause: CalendlyError) -> BookingUnconfirmed:
        when = self.start_time.strftime("%Y-%m-%d %H:%M UTC")
        return BookingUnconfirmed(
            f"The booking of {self.email} at {when} may or may not have been made: {why}. "
            "Check the event's invitees before booking again.",
            event_type=self.event_type,
            start_time=self.start_time.isoformat(),
            email=self.email,
            cause=cause,
        )


def _maybe_booked(error: CalendlyError) -> bool:
    """Whether a failed booking request may have been carried out by Calendly: its answer
    was lost or garbled after the request went out, or Calendly failed (5xx) mid-way."""
    if isinstance(error, ConnectionFailed):
        return error.sent
    return isinstance(error, ServerError | MalformedResponse)


def _created(invitee: Invitee) -> datetime:
    return invitee.created_at or datetime.min.replace(tzinfo=UTC)


def _all_tracking_keys(tracking: Tracking | Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Calendly wants all six tracking keys when ``tracking`` is sent (values may be null)."""
    if tracking is None:
        return None
    given = msgspec.structs.asdict(tracking) if isinstance(tracking, Tracking) else dict(tracking)
    return {**dict.fromkeys(Tracking.__struct_fields__), **given}
