"""Availability: user schedules, busy times, event type available times and schedules.

``event_type_slots`` gathers what ``slots.py`` needs from the store (hosts' schedules,
their busy times, a group type's existing events); the Scheduling API reuses it to check that
a requested start is still open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox import date_setting, slots
from desktop.sandbox.endpoint import Call, collection, endpoint, resource
from desktop.sandbox.errors import denied, detail, gather, invalid_many
from desktop.sandbox.render import availability as render
from desktop.sandbox.render import event_types as render_event_types
from desktop.sandbox.routes.event_types import member_of_org, visible_event_type
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

NO_PERMISSION = "You do not have permission"
# The longest meeting is 12 hours: events starting this long before a window can reach into it.
LONGEST_EVENT = timedelta(hours=12)


# -- reading the store --------------------------------------------------------------------
def default_schedule(state: SandboxState, user_id: str) -> Record | None:
    found = state.store.find("availability_schedules", "user = ?", (user_id,), order="id")
    defaults = [s for s in found if s.get("is_default")]
    chosen = defaults or found
    return chosen[0] if chosen else None


def host_schedule(state: SandboxState, event_type_id: str, user_id: str) -> Record | None:
    """What a host offers an event type on: their own rules for it (``event_type_schedules``,
    set by ``PATCH /event_type_availability_schedules``), else their default schedule."""
    own = state.store.get("event_type_schedules", f"{event_type_id}:{user_id}")
    return own if own is not None else default_schedule(state, user_id)


def host_events(state: SandboxState, user_id: str, start: datetime, end: datetime) -> list[Record]:
    """The user's active scheduled events overlapping [start, end), by start time."""
    ids = state.store.scalars(
        "SELECT event FROM event_hosts WHERE user = ? AND start_time >= ? AND start_time < ?",
        (user_id, iso(start - LONGEST_EVENT), iso(end)),
    )
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    events = state.store.find(
        "scheduled_events",
        f"id IN ({marks}) AND status = 'active' AND end_time > ? AND start_time < ?",
        [*ids, iso(start), iso(end)],
        order="start_time, id",
    )
    return events


def busy_blocks(state: SandboxState, user_id: str, start: datetime, end: datetime) -> list[Record]:
    return state.store.find(
        "busy_blocks",
        "user = ? AND start_time < ? AND end_time > ?",
        (user_id, iso(end), iso(start)),
        order="start_time, id",
    )


def _interval(record: Record) -> slots.Interval:
    return (
        datetime.fromisoformat(record["start_time"].replace("Z", "+00:00")),
        datetime.fromisoformat(record["end_time"].replace("Z", "+00:00")),
    )


def host_ids(state: SandboxState, event_type: Record) -> list[str]:
    hosts = state.store.scalars(
        "SELECT user FROM event_type_hosts WHERE event_type = ? ORDER BY created_at, id",
        (event_type["id"],),
    )
    return (
        hosts
        or list(event_type.get("hosts") or [])
        or ([event_type["owner"]] if event_type.get("owner") else [])
    )


def event_type_slots(
    state: SandboxState, event_type: Record, start: datetime, end: datetime
) -> list[tuple[datetime, int]]:
    """Open starts in [start, end) for ``event_type``, each with the invitees it can still take."""
    duration = int(event_type["duration"])
    reach_start, reach_end = start - timedelta(minutes=duration), end + timedelta(minutes=duration)
    group = event_type.get("kind") == "group"
    own: list[Record] = []
    if group:
        own = state.store.find(
            "scheduled_events",
            "event_type = ? AND status = 'active' AND start_time < ? AND start_time >= ?",
            (event_type["id"], iso(reach_end), iso(reach_start - LONGEST_EVENT)),
        )
    own_ids = {e["id"] for e in own}
    calendars = []
    for user_id in host_ids(state, event_type):
        schedule = host_schedule(state, event_type["id"], user_id)
        if schedule is None:
            continue
        busy = [
            _interval(e)
            for e in host_events(state, user_id, reach_start, reach_end)
            if e["id"] not in own_ids
        ]
        busy += [_interval(b) for b in busy_blocks(state, user_id, reach_start, reach_end)]
        calendars.append(
            slots.HostCalendar(schedule["timezone"], schedule.get("rules") or [], busy)
        )
    starts = slots.available_starts(calendars, start, end, duration, event_type.get("pooling_type"))
    starts = [m for m in starts if date_setting.allows(event_type, m, duration)]  # one-off types
    limit = int(event_type.get("invitee_limit") or 1)
    if not group:
        return [(moment, 1) for moment in starts]
    existing = [
        slots.ExistingEvent(
            *_interval(e),
            state.store.count("invitees", "event = ? AND status = 'active'", (e["id"],)),
        )
        for e in own
    ]
    return slots.group_seats(starts, duration, limit, existing)


# -- parameters ---------------------------------------------------------------------------
def time_window(
    call: Call, max_days: int, problems: list[dict[str, str]]
) -> tuple[datetime, datetime] | None:
    """``start_time``/``end_time``: required, start not past, end after start, ≤ max_days."""
    count = len(problems)
    start = gather(problems, lambda: call.time("start_time", required=True))
    end = gather(problems, lambda: call.time("end_time", required=True))
    now = call.state.clock.now()
    if start is not None and start < now:
        problems.append(detail("start_time", "must not be in the past"))
    if end is not None and end <= now:
        problems.append(detail("end_time", "must be in the future"))
    elif start is not None and end is not None and end <= start:
        problems.append(detail("end_time", "must be after start_time"))
    elif start is not None and end is not None and end - start > timedelta(days=max_days):
        problems.append(
            detail("end_time", f"must be no greater than {max_days} days after start_time")
        )
    if len(problems) > count or start is None or end is None:
        return None
    return start, end


def check_user_access(call: Call, user_id: str) -> None:
    """Yourself, or any member of your organization when you are an admin."""
    member_of_org(call.state, user_id, call.caller.org_id)
    if user_id != call.caller.user_id and not call.caller.is_admin:
        raise denied(NO_PERMISSION)


# -- routes -------------------------------------------------------------------------------
@endpoint("availability:read")
def list_schedules(call: Call) -> Response:
    user_id = call.uri("user", "users", required=True)
    assert user_id is not None
    check_user_access(call, user_id)
    found = call.state.store.find("availability_schedules", "user = ?", (user_id,), order="id")
    found.sort(key=lambda s: (not s.get("is_default"), s["name"], s["id"]))
    return collection([render.schedule(call.state, s) for s in found])


@endpoint("availability:read")
def get_schedule(call: Call) -> Response:
    record = call.found("availability_schedules")
    call.lookup("users", record["user"])  # a schedule of a deleted user is gone too
    check_user_access(call, record["user"])
    return resource(render.schedule(call.state, record))


@endpoint("availability:read")
def list_busy_times(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    user_id = gather(problems, lambda: call.uri("user", "users", required=True))
    window = time_window(call, call.state.config.busy_times_max_days, problems)
    if problems or user_id is None or window is None:
        raise invalid_many(problems)
    check_user_access(call, user_id)
    start, end = window
    state = call.state
    items = [
        (e["start_time"], 0, render.busy_event(state, e))
        for e in host_events(state, user_id, start, end)
    ]
    items += [
        (b["start_time"], 1, render.busy_block(b)) for b in busy_blocks(state, user_id, start, end)
    ]
    items.sort(key=lambda item: (item[0], item[1]))
    return collection([body for _, _, body in items])


@endpoint("availability:read")
def list_available_times(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    ident = gather(problems, lambda: call.uri("event_type", "event_types", required=True))
    window = time_window(call, call.state.config.available_times_max_days, problems)
    if problems or ident is None or window is None:
        raise invalid_many(problems)
    start, end = window
    record = visible_event_type(call, ident)
    state = call.state
    if not record.get("active") or record.get("deleted_at") is not None:
        return collection([])
    url = render_event_types.scheduling_url(state, record)
    found = event_type_slots(state, record, start, end)
    return collection([render.available_time(url, moment, left) for moment, left in found])


@endpoint("availability:read")
def list_event_type_schedules(call: Call) -> Response:
    ident = call.uri("event_type", "event_types", required=True)
    assert ident is not None
    record = visible_event_type(call, ident)
    caller = call.caller
    hosts = host_ids(call.state, record)
    if (
        not caller.is_admin
        and caller.user_id not in hosts
        and record.get("owner") != caller.user_id
    ):
        raise denied(NO_PERMISSION)
    page = call.page(
        "event_type_hosts",
        "event_type = ?",
        [ident],
        {"created_at": "created_at"},
        "created_at:asc",
    )
    items = [
        render.event_type_schedule(
            call.state, ident, host["user"], host_schedule(call.state, ident, host["user"])
        )
        for host in page.records
    ]
    return collection(items, page.pagination)


ROUTES = [
    Route("/user_availability_schedules", list_schedules, methods=["GET"]),
    Route("/user_availability_schedules/{uuid}", get_schedule, methods=["GET"]),
    Route("/user_busy_times", list_busy_times, methods=["GET"]),
    Route("/event_type_available_times", list_available_times, methods=["GET"]),
    Route("/event_type_availability_schedules", list_event_type_schedules, methods=["GET"]),
]
