"""A delivery's body for people: as text, as indented JSON, and what it is about."""

from __future__ import annotations

import json
from typing import Any

# Control characters shown escaped in the body's text (tab and line breaks stay).
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(32), 127) if chr(code) not in "\t\n\r"}


def pretty_body(body: bytes) -> str:
    """The body for reading: indented JSON, else the text, else bytes with \\x escapes."""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return raw_text(body)


def raw_text(body: bytes) -> str:
    """The body as received, as text: bytes that are not UTF-8 and control characters other
    than tab and line breaks shown as ``\\xNN`` (a NUL would cut a text view short)."""
    return body.decode("utf-8", "backslashreplace").translate(_CONTROLS)


def describe(body: bytes) -> tuple[str | None, str]:
    """The event name and a one-line summary of a Calendly-shaped JSON body (else None, "")."""
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        return None, ""
    if not isinstance(envelope, dict):
        return None, ""
    event = envelope.get("event")
    event = event if isinstance(event, str) else None
    payload = envelope.get("payload")
    return event, _summary(payload) if isinstance(payload, dict) else ""


def _summary(payload: dict[str, Any]) -> str:
    def text(value: object) -> str:
        return value.strip() if isinstance(value, str) else ""

    contact = payload.get("contact")
    person: dict[str, Any] = contact if isinstance(contact, dict) else payload
    name, email = text(person.get("name")), text(person.get("email"))
    emails = person.get("emails")
    if not email and isinstance(emails, list) and emails:
        email = text(emails[0])
    who = f"{name} <{email}>" if name and email else name or email
    what = ""
    for key in ("scheduled_event", "event"):
        if isinstance(found := payload.get(key), dict):
            what = text(found.get("name"))
            break
    pairs = payload.get("questions_and_answers")
    if not who and not what and isinstance(pairs, list):
        # A routing form submission: its first answer usually names the person.
        answers = (text(qa.get("answer")) for qa in pairs if isinstance(qa, dict))
        who = next((answer for answer in answers if answer), "")
    return " · ".join(part for part in (who, what) if part)
