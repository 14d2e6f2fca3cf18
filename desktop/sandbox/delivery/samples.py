"""Sample webhook payloads built from an organization's own records (``/sample_webhook_data``).

Each sample is the latest fitting record within the scope (the organization, the events a
user hosts, or the events a member of a group hosts): the latest invitee (preferring a
canceled one for ``invitee.canceled``, one marked as a no-show for ``invitee_no_show.*``),
the latest routing-form submission, the latest event type. The sandbox has no contacts or
meeting recaps; those samples are derived from the latest invitee and past meeting.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from desktop.sandbox.delivery import payloads
from desktop.sandbox.render import event_types as render_event_types
from desktop.sandbox.render import events as render_events
from desktop.sandbox.render import routing as render_routing
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

EVENTS = (
    "invitee.created",
    "invitee.canceled",
    "invitee_no_show.created",
    "invitee_no_show.deleted",
    "routing_form_submission.created",
    "event_type.created",
    "event_type.deleted",
    "event_type.updated",
    "meeting_recap.created",
    "meeting_recap.updated",
    "meeting_recap.deleted",
    "contact.created",
    "contact.updated",
    "contact.deleted",
)
_GROUP_USERS = (
    "SELECT m.user FROM memberships m JOIN group_relationships g ON g.owner = m.id "
    "WHERE g.group_id = ? AND g.owner_type = 'membership'"
)


class Scope:
    """Where samples come from: an organization, narrowed to a user's or a group's events."""

    def __init__(self, organization: str, user: str | None = None, group: str | None = None):
        self.organization = organization
        self.user = user
        self.group = group

    def events(self) -> list[tuple[str, list[Any]]]:
        """SQL for the ids of the scheduled events in scope (one option, as a list)."""
        if self.user is not None:
            return [("SELECT event FROM event_hosts WHERE user = ?", [self.user])]
        if self.group is not None:
            sql = f"SELECT event FROM event_hosts WHERE user IN ({_GROUP_USERS})"
            return [(sql, [self.group])]
        return [("SELECT id FROM scheduled_events WHERE organization = ?", [self.organization])]


def _latest(
    state: SandboxState, table: str, clauses: Sequence[tuple[str, Sequence[Any]]]
) -> Record | None:
    """The newest row of ``table`` for the first clause that finds one."""
    for where, params in clauses:
        found = state.store.find(table, where, params, order="created_at DESC, id DESC", limit=1)
        if found:
            return found[0]
    return None


def latest_invitee(state: SandboxState, scope: Scope, prefer: str | None = None) -> Record | None:
    """The newest invitee in scope (one matching ``prefer``, an SQL condition, if any)."""
    clauses: list[tuple[str, Sequence[Any]]] = []
    for where_events, params in scope.events():
        base = f"event IN ({where_events})"
        if prefer:
            clauses.append((f"{base} AND {prefer}", params))
        clauses.append((base, params))
    return _latest(state, "invitees", clauses)


def _invitee_sample(state: SandboxState, event: str, scope: Scope) -> dict[str, Any] | None:
    prefer = {
        "invitee.created": "status = 'active'",
        "invitee.canceled": "status = 'canceled'",
    }.get(event, "id IN (SELECT invitee FROM no_shows)")
    invitee = latest_invitee(state, scope, prefer)
    return None if invitee is None else payloads.invitee_payload(state, invitee)


def _submission_sample(state: SandboxState, scope: Scope) -> dict[str, Any] | None:
    where = "routing_form IN (SELECT id FROM routing_forms WHERE organization = ?)"
    found = _latest(state, "routing_submissions", [(where, [scope.organization])])
    return None if found is None else render_routing.submission(state, found)


def _event_type_sample(state: SandboxState, event: str, scope: Scope) -> dict[str, Any] | None:
    hosted = "SELECT event_type FROM event_type_hosts WHERE user"
    clauses: list[tuple[str, Sequence[Any]]] = [("organization = ?", [scope.organization])]
    if scope.user is not None:
        clauses = [(f"id IN ({hosted} = ?)", [scope.user])]
    elif scope.group is not None:
        clauses = [(f"id IN ({hosted} IN ({_GROUP_USERS}))", [scope.group])]
    found = _latest(state, "event_types", clauses)
    if found is None:
        return None
    body = render_event_types.event_type(state, found)
    body.pop("description_html", None)  # EventTypePayload: EventType minus description_html
    if event == "event_type.deleted" and body["deleted_at"] is None:
        body["deleted_at"] = iso(state.clock.now())
    return body


def _stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def _contact_sample(state: SandboxState, event: str, scope: Scope) -> dict[str, Any] | None:
    invitee = latest_invitee(state, scope)
    meeting = None if invitee is None else state.store.get("scheduled_events", invitee["event"])
    if invitee is None or meeting is None:
        return None
    host = (meeting.get("hosts") or [scope.user or ""])[0]
    contact_uri = state.uris.of("contacts", _stable_uuid("contact", invitee["email"]))
    user_uuid = _stable_uuid("user", state.uris.user(host))
    if event == "contact.deleted":
        deleted = {"uri": contact_uri, "deleted_at": iso(state.clock.now())}
        return {"user_uuid": user_uuid, "contact": deleted}
    upcoming = meeting["start_time"] > iso(state.clock.now())
    contact = {
        "uri": contact_uri,
        "creation_source": "booking",
        "name": invitee["name"],
        "emails": [{"email": invitee["email"], "is_primary": True}],
        "phone_numbers": [],
        "timezone": invitee.get("timezone"),
        "job_title": None,
        "company": None,
        "country": None,
        "state": None,
        "city": None,
        "linkedin": None,
        "custom_fields": [],
        "created_at": invitee["created_at"],
        "updated_at": invitee["updated_at"],
        "next_meeting_date": meeting["start_time"] if upcoming else None,
        "last_meeting_date": None if upcoming else meeting["start_time"],
        "last_interaction_date": invitee["updated_at"],
        "first_email_date": None,
        "last_email_date": None,
    }
    return {"user_uuid": user_uuid, "contact": contact}


def _recap_sample(state: SandboxState, event: str, scope: Scope) -> dict[str, Any] | None:
    now = iso(state.clock.now())
    clauses = [
        (f"id IN ({sql}) AND status = 'active' AND end_time <= ?", [*params, now])
        for sql, params in scope.events()
    ]
    meeting = _latest(state, "scheduled_events", clauses)
    if meeting is None:
        return None
    recap_uri = state.uris.of("meeting_recaps", _stable_uuid("recap", meeting["id"]))
    if event == "meeting_recap.deleted":
        return {
            "event": {"uri": render_events.event_uri(state, meeting["id"])},
            "recap": {"uri": recap_uri, "deleted_at": now},
        }
    hosts = [state.store.get("users", user_id) for user_id in meeting.get("hosts") or []]
    guests = state.store.find("invitees", "event = ?", (meeting["id"],))
    attendees = [
        {"host": host, "user_email": person["email"], "user_name": person["name"]}
        for host, people in ((True, hosts), (False, guests))
        for person in people
        if person is not None
    ]
    name = meeting.get("name") or "Meeting"
    recap = {
        "uri": recap_uri,
        "summary_md": f"## {name}\n\nA short sample summary of the meeting.",
        "action_items_md": "- Send the follow-up notes",
        "discussion_md": "- Goals for next quarter",
        "transcript": f"{recap_uri}/transcript",
        "created_at": meeting["end_time"],
        "updated_at": now if event == "meeting_recap.updated" else meeting["end_time"],
    }
    body: dict[str, Any] = {
        "event": {
            "uri": render_events.event_uri(state, meeting["id"]),
            "name": name,
            "start_time": meeting["start_time"],
            "end_time": meeting["end_time"],
            "location": meeting["location"],
            "attendees": attendees,
        },
        "recap": recap,
    }
    if event == "meeting_recap.created":
        body = {"created_at": meeting["end_time"], **body}
    return body


def sample(state: SandboxState, event: str, scope: Scope) -> dict[str, Any] | None:
    """A payload for ``event`` from the organization's records; None when it has none."""
    if event.startswith(("invitee.", "invitee_no_show.")):
        return _invitee_sample(state, event, scope)
    if event == payloads.SUBMISSION_EVENT:
        return _submission_sample(state, scope)
    if event.startswith("event_type."):
        return _event_type_sample(state, event, scope)
    if event.startswith("contact."):
        return _contact_sample(state, event, scope)
    if event.startswith("meeting_recap."):
        return _recap_sample(state, event, scope)
    return None


def for_subscription(state: SandboxState, hook: Record, event: str) -> dict[str, Any] | None:
    """A sample payload for one subscription (its scope narrows where the sample comes from)."""
    scope = Scope(str(hook["organization"]), hook.get("user"), hook.get("group_id"))
    return sample(state, event, scope)
