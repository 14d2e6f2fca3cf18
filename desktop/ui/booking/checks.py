"""What ``POST /invitees`` checks, checked first on the form: each check returns a message or None.

The rules are Calendly's (facts §2.4) as the sandbox applies them (``booking_fields``): e-mails
of at most 255 characters, an IANA time zone, ``name`` or ``first_name``, an SMS number with its
country code, phone numbers of 7 to 15 digits, at most 10 guests, answers of at most 10,000
characters, tracking values of at most 255. A form that passes these is refused only for what
the form cannot know (a slot taken meanwhile, a quota spent).
"""

from __future__ import annotations

import functools
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from PySide6.QtCore import QCoreApplication, QLocale

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ().-]*[0-9]$")
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
MAX_TEXT = 255
MAX_ANSWER = 10_000
MAX_GUESTS = 10
# The request's location kinds that need ``location`` text (the others need nothing more).
NEEDS_TEXT = frozenset({"physical", "outbound_call", "ask_invitee", "custom"})
# Kinds whose text the host set on the event type: the booking repeats it unchanged.
HOST_TEXT = frozenset({"physical", "custom"})


def _count(value: int) -> str:
    return QLocale().toString(value)


# -- shapes -------------------------------------------------------------------------------------
def is_email(value: str) -> bool:
    text = value.strip()
    return len(text) <= MAX_TEXT and bool(EMAIL.match(text))


def is_phone(value: str) -> bool:
    """A phone number as people type it: 7 to 15 digits with spaces, dots, dashes, brackets."""
    text = value.strip()
    return bool(PHONE.match(text)) and 7 <= sum(ch.isdigit() for ch in text) <= 15


def is_e164(value: str) -> bool:
    """``+14155551234`` (separators tolerated between the digits)."""
    text = value.strip()
    return text.startswith("+") and bool(E164.fullmatch(re.sub(r"[ ().-]", "", text)))


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every IANA time zone name this system knows, sorted."""
    return tuple(sorted(available_timezones()))


def is_time_zone(value: str) -> bool:
    if not value or value != value.strip():
        return False
    if time_zones():
        return value in time_zones()
    try:  # no zone list on this system: ask zoneinfo itself
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


# -- fields -------------------------------------------------------------------------------------
def check_text(value: str, what: str, *, required: bool, limit: int = MAX_TEXT) -> str | None:
    """A required or optional line: filled when required, at most ``limit`` characters."""
    if not value.strip():
        return (
            QCoreApplication.translate("BookingChecks", "Enter {what}.").format(what=what)
            if required
            else None
        )
    if len(value.strip()) > limit:
        return QCoreApplication.translate(
            "BookingChecks", "{What} has at most {count} characters."
        ).format(What=what[:1].upper() + what[1:], count=_count(limit))
    return None


def check_email(value: str) -> str | None:
    problem = check_text(
        value,
        QCoreApplication.translate("BookingChecks", "the invitee's e-mail address"),
        required=True,
    )
    if problem is None and not is_email(value):
        return QCoreApplication.translate(
            "BookingChecks", "“{value}” is not an e-mail address (name@example.com)."
        ).format(value=value.strip())
    return problem


def check_zone(value: str) -> str | None:
    if not value.strip():
        return QCoreApplication.translate(
            "BookingChecks", "Choose the invitee's time zone, for example Europe/Berlin."
        )
    if not is_time_zone(value.strip()):
        return QCoreApplication.translate(
            "BookingChecks", "“{value}” is not a time zone. Choose one from the list."
        ).format(value=value.strip())
    return None


def check_sms(value: str) -> str | None:
    """The SMS reminder number: optional; with its country code."""
    if not value.strip():
        return None
    if len(value.strip()) > MAX_TEXT or not is_e164(value):
        return QCoreApplication.translate(
            "BookingChecks", "Enter the number with its country code, for example +14155551234."
        )
    return None


def check_phone(value: str, what: str, *, required: bool) -> str | None:
    problem = check_text(value, what, required=required)
    if problem is None and value.strip() and not is_phone(value):
        return QCoreApplication.translate(
            "BookingChecks", "Enter a phone number of 7 to 15 digits, for example +1 415 555 0100."
        )
    return problem


def split_guests(text: str) -> list[str]:
    """The guests' e-mails as typed: separated by commas, semicolons, spaces or new lines."""
    return [part for part in re.split(r"[,;\s]+", text) if part]


def check_guests(emails: list[str]) -> str | None:
    if len(emails) > MAX_GUESTS:
        return QCoreApplication.translate(
            "BookingChecks", "At most {count} guests can be invited; remove {extra}."
        ).format(count=_count(MAX_GUESTS), extra=_count(len(emails) - MAX_GUESTS))
    wrong = [email for email in emails if not is_email(email)]
    if wrong:
        return QCoreApplication.translate(
            "BookingChecks", "Not an e-mail address: {emails}."
        ).format(emails=", ".join(wrong))
    return None


def check_answer(value: str, *, required: bool) -> str | None:
    """A text answer: required ones filled; at most 10,000 characters."""
    return check_text(
        value,
        QCoreApplication.translate("BookingChecks", "an answer"),
        required=required,
        limit=MAX_ANSWER,
    )
