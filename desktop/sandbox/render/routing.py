"""Routing forms and their submissions on the wire (facts §3.16)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import tracking


def routing_form(state: SandboxState, record: Record) -> dict[str, Any]:
    return {
        "uri": state.uris.of("routing_forms", record["id"]),
        "organization": state.uris.organization(record["organization"]),
        "name": record["name"],
        "status": record["status"],
        "questions": [
            {
                "uuid": question["uuid"],
                "name": question["name"],
                "type": question["type"],
                "required": bool(question.get("required", False)),
                "answer_choices": question.get("answer_choices"),
            }
            for question in record.get("questions") or []
        ],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }


def result(state: SandboxState, value: Mapping[str, Any]) -> dict[str, Any]:
    """The stored result with ids turned into URIs (event type results name an event type)."""
    if value["type"] == "event_type":
        return {"type": "event_type", "value": state.uris.of("event_types", value["value"])}
    if value["type"] == "custom_message":
        message = value["value"]
        return {
            "type": "custom_message",
            "value": {"headline": message["headline"], "body": message["body"]},
        }
    return {"type": value["type"], "value": value["value"]}


def submitter(state: SandboxState, invitee_id: str | None) -> str | None:
    """The invitee URI (it nests under the invitee's event, looked up here)."""
    if invitee_id is None:
        return None
    invitee = state.store.get("invitees", invitee_id)
    if invitee is None:
        return None
    return state.uris.invitee(invitee["event"], invitee_id)


def submission(state: SandboxState, record: Record) -> dict[str, Any]:
    by = submitter(state, record.get("submitter"))
    body: dict[str, Any] = {
        "uri": state.uris.of("routing_form_submissions", record["id"]),
        "routing_form": state.uris.of("routing_forms", record["routing_form"]),
        "questions_and_answers": [
            {
                "question_uuid": item.get("question_uuid"),
                "question": item["question"],
                "answer": item.get("answer"),
            }
            for item in record.get("questions_and_answers") or []
        ],
        "tracking": tracking(record.get("tracking")),
        "submitter": by,
        "submitter_type": (record.get("submitter_type") or "Invitee") if by else None,
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }
    # ``result`` is optional and not nullable in the spec's schema (a one-of of three objects):
    # a submission that routed nowhere omits it rather than sending ``null``.
    stored = record.get("result")
    if stored:
        body["result"] = result(state, stored)
    return body
