"""The booking form: its values from a URL's prefill or a POST, and booking it as the API would.

A submitted form is turned into the fields of a ``POST /invitees`` body and goes through the
same checks, in the same order (``booking_request``: each field's shape, then against the
event type and its open slots), then ``booking.book``. Every problem names an API
parameter; ``field_of`` puts it next to the form field it came from. The invitee books
themselves: no member is ``invitee_scheduled_by`` and the method is ``instant_book``, as for a
booking made on Calendly's own page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from desktop.sandbox import booking, booking_request
from desktop.sandbox import booking_fields as fields
from desktop.sandbox.embed import params
from desktop.sandbox.embed.lookup import EventView, Question
from desktop.sandbox.errors import ApiError, Problems
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import TRACKING_KEYS

OTHER = "__other__"  # the value of a select's "Other" choice; its text is in ``<field>_other``
SCHEDULING_METHOD = "instant_book"
GENERAL = "form"  # the key of problems that belong to no field
_INDEXED = re.compile(r"^(questions_and_answers|event_guests)\[(\d+)\]")
_REQUIRED_QUESTION = re.compile(r'required question "(.*)"$')

Values = dict[str, list[str]]


@dataclass
class FormState:
    """What the form shows: its values, the chosen start and zone, and errors by field."""

    values: Values = field(default_factory=dict)
    start_time: str | None = None
    timezone: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    reposted: bool = False  # the answer to a POST (errors shown): announce nothing again

    def first(self, key: str) -> str:
        found = self.values.get(key) or [""]
        return found[0]


def read_body(raw: bytes) -> Values:
    """An ``application/x-www-form-urlencoded`` body as lists of values per name."""
    found: Values = {}
    for key, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        found.setdefault(key, []).append(value)
    return found


# -- prefill (GET) ------------------------------------------------------------------------------
def _choices_of(question: Question, value: str) -> list[str]:
    """A prefilled select answer as the form's values (several per line, or comma-separated)."""
    parts = [p.strip() for p in value.split("\n") if p.strip()]
    if question.type == "multi_select" and len(parts) == 1 and parts[0] not in question.choices:
        parts = [p.strip() for p in value.split(",") if p.strip()]
    return parts


def prefilled(view: EventView, query: Mapping[str, str]) -> Values:
    given = params.prefill(query)
    values: Values = {}
    name, first, last = (
        given.get("name", ""),
        given.get("first_name", ""),
        given.get("last_name", ""),
    )
    if view.split_names:
        if not first and name:
            first, _, rest = name.strip().partition(" ")
            last = last or rest
        values["first_name"], values["last_name"] = [first], [last]
    else:
        values["name"] = [name or " ".join(p for p in (first, last) if p)]
    values["email"] = [given.get("email", "")]
    values["guests"] = [", ".join(g.strip() for g in given.get("guests", "").split(",") if g)]
    values["location"] = [given.get("location", "")]
    for question in view.questions:
        value = given.get(question.field)
        if not value:
            continue
        if question.type in ("single_select", "multi_select"):
            picked = _choices_of(question, value)
            known = [p for p in picked if p in question.choices]
            others = [p for p in picked if p not in question.choices]
            if question.type == "single_select":
                known = known[:1]
            if (
                others
                and question.include_other
                and not (question.type == "single_select" and known)
            ):
                values[question.field] = [*known, OTHER]
                values[f"{question.field}_other"] = [others[0]]
            else:
                values[question.field] = known
        else:
            values[question.field] = [value]
    for key in TRACKING_KEYS:
        if query.get(key):
            values[key] = [query[key]]
    return values


# -- the request the form stands for -----------------------------------------------------------
def first_value(values: Values, key: str) -> str:
    """The value of a single-valued field (the last one when sent twice)."""
    found = values.get(key) or [""]
    return found[-1]


_one = first_value


def _invitee(view: EventView, values: Values) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": _one(values, "email"),
        "timezone": _one(values, "timezone"),
    }
    if view.split_names:
        body["first_name"] = _one(values, "first_name")
        body["last_name"] = _one(values, "last_name") or None
    else:
        body["name"] = _one(values, "name")
    return {k: v for k, v in body.items() if v is not None}


def _location(view: EventView, values: Values) -> dict[str, Any] | None:
    if not view.places:
        return None
    choice = _one(values, "location_choice")
    if not choice.isdigit() and len(view.places) == 1:
        choice = "0"
    if not choice.isdigit() or int(choice) >= len(view.places):
        return None  # as an API request without ``location``: the event type's default
    place = view.places[int(choice)]
    if not fields.LOCATION_NEEDS_TEXT.get(place.kind):
        return {"kind": place.kind}
    text = place.host_text if place.host_text and not place.needs_text else None
    return {"kind": place.kind, "location": text or _one(values, "location")}


def _answer(question: Question, values: Values) -> str:
    picked = [v for v in values.get(question.field) or [] if v]
    other = _one(values, f"{question.field}_other").strip()
    if question.type in ("single_select", "multi_select"):
        chosen = [p for p in picked if p != OTHER]
        if OTHER in picked and other:
            chosen.append(other)
        if question.type == "single_select":
            return chosen[0] if chosen else ""
        return "\n".join(chosen)
    return picked[-1] if picked else ""


def _guests(values: Values) -> list[str]:
    text = " ".join(values.get("guests") or [])
    return [g for g in re.split(r"[,;\s]+", text) if g]


# -- where each problem goes -------------------------------------------------------------------
def field_of(view: EventView, parameter: str, message: str) -> str:
    """The form field an API parameter names (``GENERAL`` when none)."""
    indexed = _INDEXED.match(parameter)
    if indexed and indexed.group(1) == "event_guests":
        return "guests"
    if indexed:
        index = int(indexed.group(2))
        return view.questions[index].field if index < len(view.questions) else GENERAL
    if parameter == "questions_and_answers":
        named = _REQUIRED_QUESTION.search(message)
        match = [q.field for q in view.questions if named and q.name == named.group(1)]
        return match[0] if match else GENERAL
    if parameter in ("invitee.name", "invitee.first_name"):
        return "first_name" if view.split_names else "name"
    simple = {
        "invitee.email": "email",
        "invitee.last_name": "last_name",
        "invitee.timezone": "timezone",
        "event_guests": "guests",
        "location": "location",
        "location.kind": "location",
        "location.location": "location",
        "start_time": "start_time",
    }
    return simple.get(parameter, GENERAL)


def _sentence(where: str, message: str) -> str:
    if where == "start_time" and message in (booking.SLOT_NOT_AVAILABLE, booking.IN_THE_PAST):
        return "This time is no longer available: please choose another one."
    if where == "start_time" and message == "is required":
        return "Choose a time first."
    if "is not given" in message:  # "is required when first_name is not given"
        message = "is required"
    return message[:1].upper() + message[1:]


def errors_by_field(
    view: EventView, problems: Sequence[Mapping[str, str]], values: Values
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    guests = _guests(values)
    for problem in problems:
        parameter, message = str(problem.get("parameter", "")), str(problem.get("message", ""))
        where = field_of(view, parameter, message)
        text = _sentence(where, message)
        indexed = _INDEXED.match(parameter)
        if where == "guests" and indexed and int(indexed.group(2)) < len(guests):
            text = f"{guests[int(indexed.group(2))]}: {message}"
        if where == GENERAL:
            text = f"{parameter}: {message}" if parameter else text
        if text not in found.get(where, []):
            found.setdefault(where, []).append(text)
    return found


# -- booking ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Booked:
    event: Record
    invitee: Record


def submit(state: SandboxState, view: EventView, values: Values) -> Booked | dict[str, list[str]]:
    """Book what the form says (the event and invitee), or its errors by field."""
    record = view.record
    problems: Problems = []
    start = booking_request.read_start(state, problems, _one(values, "start_time"))
    request = booking_request.read(
        problems,
        invitee=_invitee(view, values),
        location=_location(view, values),
        answers=[
            {"question": q.name, "answer": _answer(q, values), "position": q.position}
            for q in view.questions
        ],
        tracking=params.tracking({k: _one(values, k) for k in values}),
        guests=_guests(values),
    )
    if problems:
        return errors_by_field(view, problems, values)
    assert start is not None and request is not None

    problems, request = booking_request.check(state, record, start, request)
    if problems:
        return errors_by_field(view, problems, values)
    try:
        event, made = booking_request.book(state, record, start, request, None, SCHEDULING_METHOD)
    except ApiError as error:  # the slot went between the check and the booking
        if error.status != 400:
            raise
        return errors_by_field(view, error.details or [], values)
    return Booked(event, made)
