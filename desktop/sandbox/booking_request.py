"""A booking request checked as ``POST /invitees`` checks it, shared by the API and the form.

The order is Calendly's: each field's shape (``booking_fields``), then the request against the
event type (active, location, answers) and, when the event type itself is fine, the start
against its open slots; then ``booking.book``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.sandbox import booking
from desktop.sandbox import booking_fields as fields
from desktop.sandbox.errors import Problems, detail, gather
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import parse_time


@dataclass(frozen=True)
class Request:
    """A booking request's fields, each of a valid shape."""

    invitee: fields.InviteeDetails
    location: dict[str, Any] | None
    answers: list[dict[str, Any]]
    tracking: dict[str, Any] | None
    guests: list[str]


def read_time(problems: Problems, value: Any) -> datetime | None:
    """``start_time``: an ISO 8601 date-time (what is wrong goes to ``problems``)."""
    if value is None or value == "":
        problems.append(detail("start_time", "is required"))
        return None
    if not isinstance(value, str):
        problems.append(detail("start_time", "must be a valid ISO 8601 date-time"))
        return None
    moment: datetime | None = gather(problems, lambda: parse_time(value, "start_time"))
    return moment


def read_start(state: SandboxState, problems: Problems, value: Any) -> datetime | None:
    """``start_time``: an ISO 8601 date-time in the future (what is wrong goes to ``problems``)."""
    moment = read_time(problems, value)
    if moment is not None and moment <= state.clock.now():
        problems.append(detail("start_time", booking.IN_THE_PAST))
        return None
    return moment


def read(
    problems: Problems, *, invitee: Any, location: Any, answers: Any, tracking: Any, guests: Any
) -> Request | None:
    """The fields as a ``POST /invitees`` body has them, read in order; what is wrong goes to
    ``problems`` (None when a field could not be read)."""
    read_invitee = fields.read_invitee(problems, invitee)
    read_location = fields.read_location(problems, location)
    read_answers = fields.read_answers(problems, answers)
    read_tracking = fields.read_tracking(problems, tracking)
    read_guests = fields.read_guests(problems, guests)
    if read_invitee is None or read_answers is None or read_guests is None:
        return None
    return Request(read_invitee, read_location, read_answers, read_tracking, read_guests)


def check(
    state: SandboxState, event_type: Record, start: datetime, request: Request
) -> tuple[Problems, Request]:
    """What is wrong with ``request`` for ``event_type`` at ``start``, and the request with its
    answers matched to the event type's questions."""
    problems = booking.event_type_problems(event_type)
    if request.location is not None:
        fields.check_location(problems, event_type, request.location)
    problems += booking.location_problems(event_type, request.location)
    answers = fields.check_answers(problems, event_type, request.answers)
    if not any(p["parameter"] == "event_type" for p in problems):
        problems += booking.start_problems(state, event_type, start)
    return problems, dataclasses.replace(request, answers=answers)


def book(
    state: SandboxState,
    event_type: Record,
    start: datetime,
    request: Request,
    booked_by_user_id: str | None,
    scheduling_method: str,
) -> tuple[Record, Record]:
    """``booking.book`` with a checked request; returns (event, invitee)."""
    return booking.book(
        state,
        event_type,
        start,
        request.invitee,
        request.location,
        request.answers,
        request.tracking,
        request.guests,
        booked_by_user_id,
        scheduling_method,
    )
