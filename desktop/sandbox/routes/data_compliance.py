"""``POST /data_compliance/deletion/{invitees,events}``: erase invitee or event data (facts §2.9).

Enterprise organizations only; an owner or admin asks, with the ``data_compliance:write``
scope. Both answer 202 Accepted with an empty object. Calendly says a deletion can take up
to 7 days; the sandbox carries it out before answering, so a client sees the data gone at
once (a client must not rely on that against Calendly).

* invitees: every invitee of the organization's events whose e-mail is listed goes, with
  their no-shows; the events stay (they are the hosts' meetings), minus those people in
  their guest lists. Links to them (rescheduled pairs, routing form submitters) are cleared.
* events: every scheduled event of the organization starting within ``[start_time,
  end_time]`` goes, with its invitees, their no-shows and its host rows. The range must lie
  in the past and span at most 24 months.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from desktop.sandbox.activity import record_activity
from desktop.sandbox.endpoint import Call, endpoint
from desktop.sandbox.errors import ApiError, detail, invalid_many
from desktop.sandbox.routes.activity_log import require_enterprise_admin
from desktop.sandbox.routes.memberships import valid_email
from desktop.sandbox.state import SandboxState
from desktop.sandbox.wire import iso, parse_time

MAX_EMAILS = 1000
MAX_MONTHS = 24


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _chunks(values: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def erase_invitees(state: SandboxState, ids: Sequence[str]) -> None:
    """Delete these invitees and their no-shows; clear links other rows keep to them."""
    store = state.store
    gone = set(ids)
    for chunk in _chunks(list(ids)):
        marks = _marks(chunk)
        store.delete_where("no_shows", f"invitee IN ({marks})", chunk)
        store.delete_where("invitees", f"id IN ({marks})", chunk)
        for column in ("old_invitee", "new_invitee"):
            where = f"json_extract(data, '$.{column}') IN ({marks})"
            for other in store.find("invitees", where, chunk):
                other[column] = None
                store.update("invitees", other)
        where = f"json_extract(data, '$.submitter') IN ({marks})"
        for submission in store.find("routing_submissions", where, chunk):
            if submission.get("submitter") in gone:
                submission["submitter"] = None
                submission["submitter_type"] = None
                store.update("routing_submissions", submission)


def _emails(body: dict[str, Any], problems: list[dict[str, str]]) -> list[str]:
    value = body.get("emails")
    if value is None or value == []:
        problems.append(detail("emails", "is required"))
        return []
    if not isinstance(value, list):
        problems.append(detail("emails", "must be an array of e-mail addresses"))
        return []
    if len(value) > MAX_EMAILS:
        problems.append(detail("emails", f"must hold at most {MAX_EMAILS} addresses"))
    found = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not valid_email(item.strip()):
            problems.append(detail(f"emails[{index}]", "must be a valid e-mail address"))
        else:
            found.append(item.strip().lower())
    return sorted(set(found))


@endpoint("data_compliance:write")
async def delete_invitee_data(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    emails = _emails(await call.body(), problems)
    if problems:
        raise invalid_many(problems)
    org_id = call.caller.org_id
    require_enterprise_admin(call, org_id)
    store = call.state.store
    with store.transaction():
        ids = store.scalars(
            f"SELECT i.id FROM invitees i JOIN scheduled_events e ON e.id = i.event "
            f"WHERE e.organization = ? AND i.email IN ({_marks(emails)})",
            [org_id, *emails],
        )
        erase_invitees(call.state, ids)
        wanted = set(emails)
        for event in store.find("scheduled_events", "organization = ?", (org_id,)):
            guests = event.get("guests") or []
            kept = [g for g in guests if str(g.get("email", "")).lower() not in wanted]
            if len(kept) != len(guests):
                event["guests"] = kept
                store.update("scheduled_events", event)
        details = {"emails": len(emails), "invitees": len(ids)}
        record_activity(call.state, call.caller, "DataCompliance", "InviteeDeletion", details)
    return JSONResponse({}, status_code=202)


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _range(
    call: Call, body: dict[str, Any], problems: list[dict[str, str]]
) -> tuple[datetime, datetime] | None:
    moments: dict[str, datetime] = {}
    for name in ("start_time", "end_time"):
        value = body.get(name)
        if value is None or value == "":
            problems.append(detail(name, "is required"))
        elif not isinstance(value, str):
            problems.append(detail(name, "must be a date-time string"))
        else:
            try:
                moments[name] = parse_time(value, name)
            except ApiError as error:
                problems.extend(error.details or [])
    now = call.state.clock.now()
    for name, moment in moments.items():
        if moment > now:
            problems.append(detail(name, "must be in the past"))
    start, end = moments.get("start_time"), moments.get("end_time")
    if start is None or end is None or problems:
        return None
    if end <= start:
        problems.append(detail("end_time", "must be after start_time"))
    elif end > _add_months(start, MAX_MONTHS):
        problems.append(detail("end_time", f"must be at most {MAX_MONTHS} months after start_time"))
    return None if problems else (start, end)


@endpoint("data_compliance:write")
async def delete_event_data(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    window = _range(call, await call.body(), problems)
    if problems or window is None:
        raise invalid_many(problems)
    org_id = call.caller.org_id
    require_enterprise_admin(call, org_id)
    start, end = window
    store = call.state.store
    with store.transaction():
        events = store.scalars(
            "SELECT id FROM scheduled_events "
            "WHERE organization = ? AND start_time >= ? AND start_time <= ?",
            (org_id, iso(start), iso(end)),
        )
        for chunk in _chunks(events):
            marks = _marks(chunk)
            invitees = store.scalars(f"SELECT id FROM invitees WHERE event IN ({marks})", chunk)
            erase_invitees(call.state, invitees)
            store.delete_where("event_hosts", f"event IN ({marks})", chunk)
            store.delete_where("scheduled_events", f"id IN ({marks})", chunk)
        details = {"start_time": iso(start), "end_time": iso(end), "events": len(events)}
        record_activity(call.state, call.caller, "DataCompliance", "EventDeletion", details)
    return JSONResponse({}, status_code=202)


ROUTES = [
    Route("/data_compliance/deletion/invitees", delete_invitee_data, methods=["POST"]),
    Route("/data_compliance/deletion/events", delete_event_data, methods=["POST"]),
]
