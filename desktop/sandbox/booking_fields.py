"""The fields of a booking request, checked one by one (facts §2.4): each problem names its path.

Two kinds of checks: ``read_*`` take what the request sent and check its shape alone (types,
required keys, e-mails, phone numbers, time zones); ``check_*`` hold a well-formed field against
the event type being booked (its location kinds, its custom questions). Every function appends
``{parameter, message}`` details to ``problems`` instead of raising, so one 400 can name every
bad field; the Scheduling API route and a booking page share them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from desktop.sandbox.errors import Problems, detail
from desktop.sandbox.store import Record
from desktop.sandbox.wire import TRACKING_KEYS

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A phone number as people type it: digits with spaces, dots, dashes, parentheses, maybe "+".
PHONE = re.compile(r"^\+?[0-9][0-9 ().-]*[0-9]$")
MAX_TEXT = 255
MAX_ANSWER = 10_000
MAX_GUESTS = 10
# InviteeLocation kinds (the request's ``kind``) and whether each needs ``location``.
LOCATION_NEEDS_TEXT: Mapping[str, bool] = {
    "physical": True,
    "outbound_call": True,
    "ask_invitee": True,
    "custom": True,
    "inbound_call": False,
    "zoom_conference": False,
    "google_conference": False,
    "gotomeeting_conference": False,
    "microsoft_teams_conference": False,
    "webex_conference": False,
}
# Kinds whose text the host configured on the event type: the request must repeat it.
HOST_TEXT_KINDS = ("physical", "custom")


@dataclass(frozen=True)
class InviteeDetails:
    """Who is booking: a checked ``invitee`` object of the request."""

    email: str  # lower case
    name: str
    first_name: str | None
    last_name: str | None
    timezone: str
    text_reminder_number: str | None


# -- small checks -------------------------------------------------------------------------------
def is_email(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT and bool(EMAIL.match(value.strip()))


def is_phone(value: Any) -> bool:
    """Looks like a phone number: 7 to 15 digits, with the usual separators."""
    if not isinstance(value, str) or not PHONE.match(value.strip()):
        return False
    digits = sum(ch.isdigit() for ch in value)
    return 7 <= digits <= 15


def is_e164(value: Any) -> bool:
    """``+14155551234`` (spaces, dots, dashes and parentheses tolerated between digits)."""
    if not isinstance(value, str) or not value.strip().startswith("+"):
        return False
    compact = re.sub(r"[ ().-]", "", value.strip())
    return bool(re.fullmatch(r"\+[1-9][0-9]{6,14}", compact))


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(value: Any) -> bool:
    """An IANA time zone name zoneinfo knows (``America/New_York``, ``UTC``)."""
    if not isinstance(value, str) or not value or value != value.strip():
        return False
    if _zones():
        return value in _zones()
    try:  # no time zone list on this system: ask zoneinfo itself
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _text(
    problems: Problems, where: str, value: Any, *, required: bool, limit: int = MAX_TEXT
) -> str | None:
    """An optional (or required) non-blank string of at most ``limit`` characters."""
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            problems.append(detail(where, "is required"))
        return None
    if not isinstance(value, str):
        problems.append(detail(where, "must be a string"))
        return None
    if not value.strip():
        problems.append(detail(where, "must be filled"))
        return None
    if len(value) > limit:
        problems.append(detail(where, f"must be at most {limit} characters"))
        return None
    return value.strip()


# -- shapes -------------------------------------------------------------------------------------
def read_invitee(problems: Problems, value: Any) -> InviteeDetails | None:
    """``invitee``: email and timezone required; name, or first_name (with last_name)."""
    if value is None:
        problems.append(detail("invitee", "is required"))
        return None
    if not isinstance(value, dict):
        problems.append(detail("invitee", "must be an object"))
        return None
    count = len(problems)
    email = _text(problems, "invitee.email", value.get("email"), required=True)
    if email is not None and not is_email(email):
        problems.append(detail("invitee.email", "must be a valid email"))
    zone = _text(problems, "invitee.timezone", value.get("timezone"), required=True)
    if zone is not None and not is_time_zone(zone):
        problems.append(detail("invitee.timezone", "must be a valid IANA time zone"))
    before = len(problems)
    name = _text(problems, "invitee.name", value.get("name"), required=False)
    first = _text(problems, "invitee.first_name", value.get("first_name"), required=False)
    if name is None and first is None and len(problems) == before:
        problems.append(detail("invitee.name", "is required when first_name is not given"))
        problems.append(detail("invitee.first_name", "is required when name is not given"))
    last = _text(problems, "invitee.last_name", value.get("last_name"), required=False)
    number = _text(
        problems, "invitee.text_reminder_number", value.get("text_reminder_number"), required=False
    )
    if number is not None and not is_e164(number):
        problems.append(
            detail(
                "invitee.text_reminder_number",
                "must be a valid phone number with country code (e.g. +14155551234)",
            )
        )
    if len(problems) > count or email is None or zone is None:
        return None
    full = name or " ".join(part for part in (first, last) if part)
    return InviteeDetails(
        email=email.lower(),
        name=full,
        # Calendly fills first/last name only when the booking gave them separately.
        first_name=first,
        last_name=last if first is not None else None,
        timezone=zone,
        text_reminder_number=number,
    )


def read_location(problems: Problems, value: Any) -> dict[str, Any] | None:
    """``location`` (InviteeLocation): ``kind``, and ``location`` for the kinds that need it."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(detail("location", "must be an object"))
        return None
    kind = value.get("kind")
    if kind is None or kind == "":
        problems.append(detail("location.kind", "is required when location is given"))
        return None
    if kind not in LOCATION_NEEDS_TEXT:
        problems.append(detail("location.kind", f"must be one of {', '.join(LOCATION_NEEDS_TEXT)}"))
        return None
    clean: dict[str, Any] = {"kind": kind}
    if LOCATION_NEEDS_TEXT[kind]:
        text = _text(problems, "location.location", value.get("location"), required=True)
        if text is None:
            return None
        if kind == "outbound_call" and not is_phone(text):
            problems.append(detail("location.location", "must be a phone number to call"))
            return None
        clean["location"] = text
    return clean


def read_answers(problems: Problems, value: Any) -> list[dict[str, Any]] | None:
    """``questions_and_answers``: a list of ``{question, answer, position}``, all three required."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(detail("questions_and_answers", "must be a list"))
        return None
    count = len(problems)
    found: list[dict[str, Any]] = []
    for index, item in enumerate(value):
        where = f"questions_and_answers[{index}]"
        if not isinstance(item, dict):
            problems.append(detail(where, "must be an object"))
            continue
        question = item.get("question")
        if not isinstance(question, str) or not question:
            problems.append(detail(f"{where}.question", "is required and must be a string"))
        answer = item.get("answer")
        if not isinstance(answer, str):
            problems.append(detail(f"{where}.answer", "is required and must be a string"))
        elif len(answer) > MAX_ANSWER:
            problems.append(detail(f"{where}.answer", f"must be at most {MAX_ANSWER} characters"))
        position = item.get("position")
        if not isinstance(position, int) or isinstance(position, bool):
            problems.append(detail(f"{where}.position", "is required and must be an integer"))
        found.append({"question": question, "answer": answer, "position": position})
    return found if len(problems) == count else None


def read_tracking(problems: Problems, value: Any) -> dict[str, Any] | None:
    """``tracking``: when sent, all six keys, each a string (≤255) or null."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(detail("tracking", "must be an object"))
        return None
    count = len(problems)
    for key in TRACKING_KEYS:
        where = f"tracking.{key}"
        if key not in value:
            problems.append(detail(where, "is required when tracking is given (it may be null)"))
            continue
        item = value[key]
        if item is not None and (not isinstance(item, str) or len(item) > MAX_TEXT):
            problems.append(detail(where, f"must be a string of at most {MAX_TEXT} characters"))
    if len(problems) > count:
        return None
    return {key: value[key] for key in TRACKING_KEYS}


def read_guests(problems: Problems, value: Any) -> list[str] | None:
    """``event_guests``: at most 10 e-mails (lower-cased, duplicates dropped)."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(detail("event_guests", "must be a list of emails"))
        return None
    if len(value) > MAX_GUESTS:
        problems.append(detail("event_guests", f"must hold at most {MAX_GUESTS} emails"))
        return None
    count = len(problems)
    for index, email in enumerate(value):
        if not is_email(email):
            problems.append(detail(f"event_guests[{index}]", "must be a valid email"))
    if len(problems) > count:
        return None
    return list(dict.fromkeys(str(email).strip().lower() for email in value))


# -- against the event type ---------------------------------------------------------------------
def location_configs(event_type: Record) -> list[dict[str, Any]]:
    return [dict(c) for c in event_type.get("locations") or [] if isinstance(c, dict)]


def check_location(problems: Problems, event_type: Record, location: dict[str, Any]) -> None:
    """The requested location must be one the event type offers (never for round robin)."""
    if event_type.get("pooling_type") == "round_robin":
        problems.append(
            detail(
                "location", "must not be given for a round robin event type (its host's is used)"
            )
        )
        return
    configs = [c for c in location_configs(event_type) if c.get("kind") == location["kind"]]
    if not configs:
        offered = sorted({str(c.get("kind")) for c in location_configs(event_type)})
        problems.append(
            detail(
                "location.kind",
                "must match a location of the event type"
                + (f" ({', '.join(offered)})" if offered else " (it has none)"),
            )
        )
        return
    if location["kind"] in HOST_TEXT_KINDS:
        texts = [c.get("location") for c in configs if c.get("location")]
        if texts and location["location"] not in texts:
            problems.append(
                detail("location.location", "must match the location set on the event type")
            )


def _check_answer(
    problems: Problems, where: str, question: Mapping[str, Any], answer: str
) -> str | None:
    """The answer, normalised, if it suits the question's type; else a problem."""
    kind = question.get("type")
    choices = [str(c) for c in question.get("answer_choices") or []]
    other = bool(question.get("include_other"))
    if kind == "phone_number" and not is_phone(answer):
        problems.append(detail(where, "must be a phone number"))
        return None
    if kind == "single_select" and answer.strip() not in choices and not other:
        problems.append(detail(where, f"must be one of: {', '.join(choices)}"))
        return None
    if kind == "multi_select":
        # Several choices travel in one string, one per line (as Calendly returns them).
        picked = [part.strip() for part in answer.split("\n") if part.strip()]
        wrong = [p for p in picked if p not in choices]
        if not picked or (wrong and not other):
            problems.append(
                detail(where, f"must be one or more of (one per line): {', '.join(choices)}")
            )
            return None
        return "\n".join(picked)
    return answer.strip()


def check_answers(
    problems: Problems, event_type: Record, answers: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Answers matched to enabled questions by exact name; required ones present; by position."""
    questions = {
        str(q.get("name")): q for q in event_type.get("custom_questions") or [] if q.get("enabled")
    }
    kept: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(answers):
        where = f"questions_and_answers[{index}]"
        question = questions.get(item["question"])
        if question is None:
            problems.append(
                detail(
                    f"{where}.question",
                    "must exactly match (case-sensitively) an enabled question of the event type",
                )
            )
            continue
        if item["question"] in seen:
            problems.append(detail(f"{where}.question", "is answered more than once"))
            continue
        seen.add(item["question"])
        if not item["answer"].strip():
            if question.get("required"):
                problems.append(detail(f"{where}.answer", "must be filled"))
            continue
        answer = _check_answer(problems, f"{where}.answer", question, item["answer"])
        if answer is not None:
            position = question.get("position", item["position"])
            kept.append({"question": item["question"], "answer": answer, "position": position})
    for name, question in questions.items():
        if question.get("required") and name not in seen:
            problems.append(
                detail("questions_and_answers", f'must answer the required question "{name}"')
            )
    return sorted(kept, key=lambda qa: (qa["position"], qa["question"]))
