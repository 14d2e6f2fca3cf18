"""Submit a routing form on the sandbox: ``POST /_sandbox/routing_submissions`` and its function.

Calendly's API only reads routing form submissions; respondents submit them on Calendly's
own pages. The sandbox lets tests and integrators stand in for the respondent so that
submissions (and, later, ``routing_form_submission.created`` deliveries) can be produced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.errors import detail, invalid, invalid_many, not_found
from desktop.sandbox.render import routing as render
from desktop.sandbox.routes.webhooks import is_web_url
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import TRACKING_KEYS, iso, json_object, tracking

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer

_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{3,}[0-9]$")
RESULT_TYPES = ("event_type", "external_url", "custom_message")
DEFAULT_MESSAGE = {
    "headline": "Thank you for your interest",
    "body": "None of our options matched your answers. We will get back to you shortly.",
}


def _reference(state: SandboxState, value: Any, collection: str, parameter: str) -> str:
    """The id in a URI of ``collection`` or a bare id; 400 naming ``parameter`` otherwise."""
    if value is None or value == "":
        raise invalid(parameter, "is required")
    if not isinstance(value, str):
        raise invalid(parameter, f"must be a {collection.rstrip('s')} URI or id")
    text = value.strip()
    if text.startswith(("http://", "https://")):
        return state.uris.parse(text, collection, parameter)
    if not _ID.match(text):
        raise invalid(parameter, f"must be a {collection.rstrip('s')} URI or id")
    return text


def _answers(form: Record, answers: Any) -> list[dict[str, Any]]:
    """Wire questions_and_answers in the form's order; 400 details name each bad question."""
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        raise invalid("answers", "must be an object of question name or uuid to answer")
    questions: list[dict[str, Any]] = list(form.get("questions") or [])
    by_key: dict[str, dict[str, Any]] = {}
    for question in questions:
        by_key[str(question["name"])] = question
        by_key[str(question["uuid"])] = question
    given: dict[str, Any] = {}
    problems: list[dict[str, str]] = []
    for key, answer in answers.items():
        found = by_key.get(str(key))
        if found is None:
            problems.append(detail(f"answers.{key}", "is not a question of this form"))
        elif found["uuid"] in given:
            problems.append(detail(f"answers.{key}", "answers a question given twice"))
        else:
            given[found["uuid"]] = answer
    rows: list[dict[str, Any]] = []
    for question in questions:
        name = str(question["name"])
        answer = given.get(question["uuid"])
        if isinstance(answer, str):
            answer = answer.strip() or None
        parameter = f"answers.{name}"
        if answer is None:
            if question.get("required"):
                problems.append(detail(parameter, "is required"))
        elif not isinstance(answer, str):
            problems.append(detail(parameter, "must be a string"))
        else:
            message = _answer_problem(question, answer)
            if message:
                problems.append(detail(parameter, message))
        rows.append({"question_uuid": question["uuid"], "question": name, "answer": answer})
    if problems:
        raise invalid_many(problems)
    return rows


def _answer_problem(question: Mapping[str, Any], answer: str) -> str | None:
    kind = question.get("type")
    choices = question.get("answer_choices") or []
    if kind in ("select", "radios") and choices and answer not in choices:
        return f"must be one of {', '.join(str(c) for c in choices)}"
    if kind == "email" and not _EMAIL.match(answer):
        return "must be a valid email address"
    if kind == "phone" and not _PHONE.match(answer):
        return "must be a valid phone number"
    return None


def _tracking(value: Any) -> dict[str, Any]:
    if value is None:
        return tracking(None)
    if not isinstance(value, Mapping):
        raise invalid("tracking", "must be an object")
    problems = [
        detail(f"tracking.{key}", f"is not one of {', '.join(TRACKING_KEYS)}")
        for key in value
        if key not in TRACKING_KEYS
    ]
    problems += [
        detail(f"tracking.{key}", "must be a string or null")
        for key in TRACKING_KEYS
        if value.get(key) is not None and not isinstance(value.get(key), str)
    ]
    if problems:
        raise invalid_many(problems)
    return tracking(value)


def _org_event_type(state: SandboxState, org_id: str, ident: str) -> Record:
    record = state.store.get("event_types", ident)
    if record is None or record.get("deleted_at") or record["organization"] != org_id:
        raise invalid("result.value", "must be an event type of the form's organization")
    return record


def _result(state: SandboxState, org_id: str, value: Any) -> dict[str, Any]:
    """The stored result (event type results hold the event type id)."""
    if value is None:
        return default_result(state, org_id)
    if not isinstance(value, Mapping):
        raise invalid("result", "must be an object with type and value")
    kind = value.get("type")
    if kind not in RESULT_TYPES:
        raise invalid("result.type", f"must be one of {', '.join(RESULT_TYPES)}")
    target = value.get("value")
    if kind == "event_type":
        ident = _reference(state, target, "event_types", "result.value")
        return {"type": kind, "value": _org_event_type(state, org_id, ident)["id"]}
    if kind == "external_url":
        if not is_web_url(target):
            raise invalid("result.value", "must be an absolute http or https URL")
        return {"type": kind, "value": target}
    if not isinstance(target, Mapping):
        raise invalid("result.value", "must be an object with headline and body")
    problems = [
        detail(f"result.value.{key}", "must be a non-empty string")
        for key in ("headline", "body")
        if not isinstance(target.get(key), str) or not str(target.get(key)).strip()
    ]
    if problems:
        raise invalid_many(problems)
    return {"type": kind, "value": {"headline": target["headline"], "body": target["body"]}}


def default_result(state: SandboxState, org_id: str) -> dict[str, Any]:
    """Route to the organization's first active event type, else a thank-you message."""
    candidates = state.store.find(
        "event_types", "organization = ?", (org_id,), order="active DESC, position, name, id"
    )
    for record in candidates:
        if not record.get("deleted_at"):
            return {"type": "event_type", "value": record["id"]}
    return {"type": "custom_message", "value": dict(DEFAULT_MESSAGE)}


def _submitter(state: SandboxState, org_id: str, value: Any) -> Record | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid("submitter", "must be an invitee URI")
    event_id, invitee_id = state.uris.parse_invitee(value, "submitter")
    invitee = state.store.get("invitees", invitee_id)
    event = state.store.get("scheduled_events", event_id)
    if invitee is None or event is None or invitee["event"] != event_id:
        raise not_found()
    if event["organization"] != org_id:
        raise invalid("submitter", "must be an invitee of the form's organization")
    return invitee


def create_submission(
    state: SandboxState,
    form: str,
    answers: Any,
    tracking: Any = None,
    result: Any = None,
    submitter: Any = None,
) -> Record:
    """Validate and store one submission of ``form`` (a routing form URI or id).

    ``answers`` maps question names or uuids to answers; ``result`` is ``{type, value}``
    (an event type URI/id, an external URL or ``{headline, body}``), defaulting to the
    organization's first event type; ``submitter`` is an optional invitee URI. Raises
    ``ApiError`` (400 naming the field, 404 for an unknown form or invitee).
    """
    form_id = _reference(state, form, "routing_forms", "form")
    record = state.store.get("routing_forms", form_id)
    if record is None:
        raise not_found()
    if record["status"] != "published":
        raise invalid("form", "is a draft; only published forms take submissions")
    rows = _answers(record, answers)
    stored_tracking = _tracking(tracking)
    stored_result = _result(state, record["organization"], result)
    invitee = _submitter(state, record["organization"], submitter)
    now = iso(state.clock.now())
    submission: Record = {
        "id": state.new_id(),
        "routing_form": record["id"],
        "questions_and_answers": rows,
        "tracking": stored_tracking,
        "submitter": invitee["id"] if invitee else None,
        "submitter_type": "Invitee" if invitee else None,
        "result": stored_result,
        "created_at": now,
        "updated_at": now,
    }
    with state.store.transaction():
        state.store.insert("routing_submissions", submission)
        if invitee is not None and not invitee.get("routing_form_submission"):
            state.store.update("invitees", {**invitee, "routing_form_submission": submission["id"]})
    state.bus.publish("routing_form_submission.created", record["organization"], submission)
    return submission


async def _json(request: Request) -> dict[str, Any]:
    return json_object(await request.body())


def routes(server: SandboxServer) -> list[BaseRoute]:
    state = server.state

    async def submit(request: Request) -> Response:
        body = await _json(request)
        if body.get("form") in (None, ""):
            raise invalid("form", "is required")
        record = create_submission(
            state,
            body["form"],
            body.get("answers"),
            tracking=body.get("tracking"),
            result=body.get("result"),
            submitter=body.get("submitter"),
        )
        return JSONResponse({"resource": render.submission(state, record)}, status_code=201)

    return [Route("/_sandbox/routing_submissions", submit, methods=["POST"])]
