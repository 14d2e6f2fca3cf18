"""Scheduled events, invitees, cancellations and no-shows on the wire (facts §3.7-§3.11)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import tracking


def event_uri(state: SandboxState, event_id: str) -> str:
    return state.uris.of("scheduled_events", event_id)


def no_show_uri(state: SandboxState, no_show_id: str) -> str:
    return state.uris.of("invitee_no_shows", no_show_id)


def invitee_uri(state: SandboxState, invitee_id: str | None) -> str | None:
    """The full URI of an invitee known only by id (its event is looked up)."""
    if invitee_id is None:
        return None
    other = state.store.get("invitees", invitee_id)
    if other is None:
        return None
    return state.uris.invitee(other["event"], invitee_id)


def cancellation(record: dict[str, Any]) -> dict[str, Any]:
    """A stored cancellation (already in wire form) with every documented key."""
    return {
        "canceled_by": record["canceled_by"],
        "reason": record.get("reason"),
        "canceler_type": record["canceler_type"],
        "created_at": record["created_at"],
    }


def _membership(state: SandboxState, record: Record, user_id: str) -> dict[str, Any]:
    item: dict[str, Any] = {"user": state.uris.user(user_id)}
    user = state.store.get("users", user_id)
    if user is not None:  # a host who has since left keeps at least their URI
        item["user_email"] = user["email"]
        item["user_name"] = user["name"]
    item["buffered_start_time"] = record.get("buffered_start_time") or record["start_time"]
    item["buffered_end_time"] = record.get("buffered_end_time") or record["end_time"]
    return item


def invitees_counter(state: SandboxState, record: Record) -> dict[str, int]:
    store = state.store
    return {
        "total": store.count("invitees", "event = ?", (record["id"],)),
        "active": store.count("invitees", "event = ? AND status = 'active'", (record["id"],)),
        "limit": int(record.get("invitee_limit") or 1),
    }


def event(state: SandboxState, record: Record) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uri": event_uri(state, record["id"]),
        "name": record.get("name"),
        "meeting_notes_plain": record.get("meeting_notes_plain"),
        "status": record["status"],
        "start_time": record["start_time"],
        "end_time": record["end_time"],
        "event_type": state.uris.of("event_types", record["event_type"]),
        "location": record["location"],
        "invitees_counter": invitees_counter(state, record),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "event_memberships": [_membership(state, record, u) for u in record.get("hosts", [])],
        "event_guests": list(record.get("guests") or []),
        "calendar_event": record.get("calendar_event"),
    }
    # S2 types meeting_notes_html as a plain (non-null) string and cancellation as an
    # object, both optional: present only when they hold something.
    if record.get("meeting_notes_html") is not None:
        body["meeting_notes_html"] = record["meeting_notes_html"]
    if record.get("cancellation") is not None:
        body["cancellation"] = cancellation(record["cancellation"])
    return body


def _no_show_summary(state: SandboxState, no_show_id: str | None) -> dict[str, Any] | None:
    if no_show_id is None:
        return None
    found = state.store.get("no_shows", no_show_id)
    if found is None:
        return None
    return {"uri": no_show_uri(state, no_show_id), "created_at": found["created_at"]}


def cancel_url(state: SandboxState, invitee_id: str) -> str:
    return f"{state.base_url}/cancellations/{invitee_id}"


def reschedule_url(state: SandboxState, invitee_id: str) -> str:
    return f"{state.base_url}/reschedulings/{invitee_id}"


def invitee(state: SandboxState, record: Record) -> dict[str, Any]:
    uris = state.uris
    body: dict[str, Any] = {
        "uri": uris.invitee(record["event"], record["id"]),
        "email": record["email"],
        "first_name": record.get("first_name"),
        "last_name": record.get("last_name"),
        "name": record["name"],
        "status": record["status"],
        "questions_and_answers": list(record.get("questions_and_answers") or []),
        "timezone": record.get("timezone"),
        "event": event_uri(state, record["event"]),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "tracking": tracking(record.get("tracking")),
        "text_reminder_number": record.get("text_reminder_number"),
        "rescheduled": bool(record.get("rescheduled")),
        "old_invitee": invitee_uri(state, record.get("old_invitee")),
        "new_invitee": invitee_uri(state, record.get("new_invitee")),
        "cancel_url": cancel_url(state, record["id"]),
        "reschedule_url": reschedule_url(state, record["id"]),
        "routing_form_submission": uris.optional(
            "routing_form_submissions", record.get("routing_form_submission")
        ),
        "payment": record.get("payment"),
        "no_show": _no_show_summary(state, record.get("no_show")),
        "reconfirmation": record.get("reconfirmation"),
        "scheduling_method": record.get("scheduling_method"),
        "invitee_scheduled_by": uris.optional("users", record.get("invitee_scheduled_by")),
    }
    if record.get("cancellation") is not None:
        body["cancellation"] = cancellation(record["cancellation"])
    return body


def no_show(state: SandboxState, record: Record) -> dict[str, Any]:
    """An InviteeNoShow: its own URI, the invitee's full URI and when it was marked."""
    return {
        "uri": no_show_uri(state, record["id"]),
        "invitee": invitee_uri(state, record["invitee"]),
        "created_at": record["created_at"],
    }
