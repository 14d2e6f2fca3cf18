"""Webhook payloads and the envelope around them, on the wire (facts §6.2, spec WebhookPayload)."""

from __future__ import annotations

import json
from typing import Any

from desktop.sandbox.render import events as render_events
from desktop.sandbox.render import routing as render_routing
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record

INVITEE_EVENTS = ("invitee.created", "invitee.canceled")
NO_SHOW_EVENTS = ("invitee_no_show.created", "invitee_no_show.deleted")
SUBMISSION_EVENT = "routing_form_submission.created"
# What the sandbox itself publishes (state.bus); other subscribable events never happen here.
PUBLISHED = (*INVITEE_EVENTS, *NO_SHOW_EVENTS, SUBMISSION_EVENT)

# InviteePayloadScheduledEvent: the embedded event has fewer keys than a ScheduledEvent.
_EVENT_KEYS = (
    "uri",
    "name",
    "meeting_notes_plain",
    "meeting_notes_html",
    "status",
    "start_time",
    "end_time",
    "event_type",
    "location",
    "invitees_counter",
    "created_at",
    "updated_at",
    "event_memberships",
    "event_guests",
    "cancellation",
)
_MEMBERSHIP_KEYS = ("user", "user_email", "user_name")


def scheduled_event(state: SandboxState, record: Record) -> dict[str, Any]:
    """The ``scheduled_event`` embedded in an invitee payload."""
    full = render_events.event(state, record)
    body = {key: full[key] for key in _EVENT_KEYS if key in full}
    body["event_memberships"] = [
        {key: item[key] for key in _MEMBERSHIP_KEYS if key in item}
        for item in full["event_memberships"]
    ]
    return body


def invitee_payload(
    state: SandboxState, invitee: Record, no_show: Record | None = None
) -> dict[str, Any] | None:
    """InviteePayload: the invitee's wire form plus its event; None when the event is gone.

    ``no_show`` overrides the invitee's own mark: a deleted no-show is no longer stored, but
    its ``invitee_no_show.deleted`` payload still names it.
    """
    event = state.store.get("scheduled_events", invitee["event"])
    if event is None:
        return None
    body = render_events.invitee(state, invitee)
    if no_show is not None:
        body["no_show"] = {
            "uri": render_events.no_show_uri(state, no_show["id"]),
            "created_at": no_show["created_at"],
        }
    body["scheduled_event"] = scheduled_event(state, event)
    return body


def payload(state: SandboxState, event: str, subject: Record) -> dict[str, Any] | None:
    """The payload of a published fact (``subject`` as the bus carried it), or None."""
    if event in INVITEE_EVENTS:
        return invitee_payload(state, subject)
    if event in NO_SHOW_EVENTS:
        invitee = state.store.get("invitees", subject["invitee"])
        if invitee is None:
            return None
        return invitee_payload(state, invitee, no_show=subject)
    if event == SUBMISSION_EVENT:
        return render_routing.submission(state, subject)
    return None


def envelope(event: str, created_at: str, created_by: str, body: Any) -> dict[str, Any]:
    """The documented envelope; all four keys are required."""
    return {"event": event, "created_at": created_at, "created_by": created_by, "payload": body}


def serialise(value: Any) -> str:
    """Compact JSON text; its UTF-8 bytes are what gets signed and sent, verbatim."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def event_hosts(state: SandboxState, event: str, subject: Record) -> tuple[str, list[str]] | None:
    """(scheduled event id, host user ids) of an invitee or no-show fact, else None."""
    if event in INVITEE_EVENTS:
        invitee: Record | None = subject
    elif event in NO_SHOW_EVENTS:
        invitee = state.store.get("invitees", subject["invitee"])
    else:
        return None
    if invitee is None:
        return None
    record = state.store.get("scheduled_events", invitee["event"])
    if record is None:
        return None
    return str(record["id"]), [str(user) for user in record.get("hosts") or []]
