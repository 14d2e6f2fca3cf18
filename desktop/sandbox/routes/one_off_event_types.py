"""``POST /one_off_event_types``: a one-off meeting (``AdhocEventType``; facts §2.3).

The event type belongs to ``host`` (a User profile), is active and secret (reached by its
link only), takes one invitee, and has every co-host as a host too: with co-hosts it is
booked when all are free (``pooling_type`` collective). ``date_setting`` and ``timezone``
(default: the host's) are kept on the record and limit its available times
(``date_setting.py``). A member creates one-offs for themselves; an owner/admin for anyone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, endpoint, resource
from desktop.sandbox.errors import ApiError, Problems, denied, detail, invalid_many
from desktop.sandbox.render import event_types as render
from desktop.sandbox.routes.event_type_availability import valid_zone
from desktop.sandbox.routes.event_types import LOCALES, NEW_EVENT_TYPE, member_of_org, unique_slug
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso, parse_time

NO_PERMISSION = "You do not have permission"
MAX_NAME = 55
# Ad-hoc location kind -> (required fields, allowed fields)
ADHOC_LOCATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "custom": ((), ("location",)),
    "ask_invitee": ((), ("location",)),
    "physical": ((), ("location", "additional_info")),
    "inbound_call": (("phone_number",), ("phone_number", "additional_info")),
    **{
        kind: ((), ())
        for kind in (
            "google_conference",
            "gotomeeting_conference",
            "microsoft_teams_conference",
            "outbound_call",
            "webex_conference",
            "zoom_conference",
        )
    },
}


def _user(call: Call, value: Any, name: str, problems: Problems) -> str | None:
    if not isinstance(value, str) or not value:
        problems.append(detail(name, "must be a valid user URI"))
        return None
    try:
        return call.state.uris.parse(value, "users", name)
    except ApiError as error:
        problems.extend(error.details or [])
        return None


def _date(value: Any, name: str, problems: Problems) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        pass
    problems.append(detail(name, "must be a date in YYYY-MM-DD format"))
    return None


def _spots(call: Call, value: Any, problems: Problems) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        problems.append(detail("date_setting.spots", "must be a non-empty array of spots"))
        return []
    found = []
    for index, spot in enumerate(value):
        at = f"date_setting.spots[{index}]"
        times: dict[str, datetime] = {}
        for key in ("start_time", "end_time"):
            raw = spot.get(key) if isinstance(spot, dict) else None
            if not isinstance(raw, str):
                problems.append(detail(f"{at}.{key}", "is required"))
                continue
            try:
                times[key] = parse_time(raw, f"{at}.{key}")
            except ApiError as error:
                problems.extend(error.details or [])
        if len(times) < 2:
            continue
        begin, finish = times["start_time"], times["end_time"]
        if finish <= begin:
            problems.append(detail(f"{at}.end_time", "must be after start_time"))
        elif finish <= call.state.clock.now():
            problems.append(detail(f"{at}.end_time", "must be in the future"))
        else:
            found.append({"start_time": iso(begin), "end_time": iso(finish)})
    return found


def date_setting(call: Call, value: Any, problems: Problems) -> dict[str, Any] | None:
    """The ``date_setting`` one-of, checked and in wire form."""
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == "date_range":
        first = _date(value.get("start_date"), "date_setting.start_date", problems)
        last = _date(value.get("end_date"), "date_setting.end_date", problems)
        if first is None or last is None:
            return None
        if last < first:
            problems.append(detail("date_setting.end_date", "must not be before start_date"))
        elif last - first >= timedelta(days=365):
            problems.append(detail("date_setting.end_date", "must be within 365 days"))
        return {"type": kind, "start_date": first.isoformat(), "end_date": last.isoformat()}
    if kind == "days_in_future":
        days, weekdays = value.get("days"), value.get("only_weekdays", False)
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 365:
            problems.append(detail("date_setting.days", "must be an integer from 0 to 365"))
        if not isinstance(weekdays, bool):
            problems.append(detail("date_setting.only_weekdays", "must be a boolean"))
        return {"type": kind, "days": days, "only_weekdays": weekdays}
    if kind == "spots":
        return {"type": kind, "spots": _spots(call, value.get("spots"), problems)}
    where = "date_setting" if value is None else "date_setting.type"
    message = "is required" if value is None else "must be one of date_range, days_in_future, spots"
    problems.append(detail(where, message))
    return None


def location(value: Any, problems: Problems) -> dict[str, Any] | None:
    kind = value.get("kind") if isinstance(value, dict) else None
    if kind not in ADHOC_LOCATIONS:
        problems.append(
            detail("location.kind", f"must be one of {', '.join(sorted(ADHOC_LOCATIONS))}")
        )
        return None
    needed, allowed = ADHOC_LOCATIONS[kind]
    clean: dict[str, Any] = {"kind": kind}
    for key in ("location", "additional_info", "phone_number"):
        item = value.get(key)
        if item in (None, ""):
            if key in needed:
                problems.append(detail(f"location.{key}", f"is required for {kind}"))
        elif key not in allowed:
            problems.append(detail(f"location.{key}", f"is not allowed for {kind}"))
        elif not isinstance(item, str) or len(item) > 255:
            problems.append(detail(f"location.{key}", "must be a string of at most 255"))
        else:
            clean[key] = item
    return clean


def _duration(value: Any, problems: Problems) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(detail("duration", "is required" if value is None else "must be a number"))
    elif value != int(value) or not 1 <= value <= 720:
        problems.append(detail("duration", "must be a whole number of minutes from 1 to 720"))
    else:
        return int(value)
    return None


@endpoint("event_types:write")
async def create_one_off(call: Call) -> Response:
    body = await call.body()
    problems: Problems = []
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(detail("name", "is required" if name is None else "must be filled"))
    elif len(name) > MAX_NAME:
        problems.append(detail("name", f"must be at most {MAX_NAME} characters"))
    host = _user(call, body.get("host"), "host", problems)
    co_hosts = body.get("co_hosts") or []
    if not isinstance(co_hosts, list):
        problems.append(detail("co_hosts", "must be an array of user URIs"))
        co_hosts = []
    others = [_user(call, v, f"co_hosts[{i}]", problems) for i, v in enumerate(co_hosts)]
    duration = _duration(body.get("duration"), problems)
    setting = date_setting(call, body.get("date_setting"), problems)
    zone = body.get("timezone")
    if zone is not None and not valid_zone(zone):
        problems.append(detail("timezone", "must be a valid IANA time zone"))
    place = None if body.get("location") is None else location(body["location"], problems)
    if problems or host is None or duration is None or setting is None:
        raise invalid_many(problems)
    state = call.state
    owner = member_of_org(state, host, call.caller.org_id)
    hosts = [host, *dict.fromkeys(o for o in others if o is not None and o != host)]
    for other in hosts[1:]:
        member_of_org(state, other, call.caller.org_id)
    if host != call.caller.user_id and not call.caller.is_admin:
        raise denied(NO_PERMISSION)
    moment = state.clock.now()
    now = iso(moment)
    record: Record = {
        **NEW_EVENT_TYPE,
        "id": state.new_id(),
        "organization": call.caller.org_id,
        "owner": host,
        "profile_name": owner["name"],
        "name": str(name).strip(),
        "slug": unique_slug(state, host, str(name)),
        "active": True,
        "secret": True,
        "type": "AdhocEventType",
        "pooling_type": "collective" if len(hosts) > 1 else None,
        "duration": duration,
        "locale": owner["locale"] if owner.get("locale") in LOCALES else "en",
        "locations": None if place is None else [place],
        "position": 0,
        "hosts": hosts,
        "date_setting": setting,
        "timezone": zone or owner["timezone"],
        "created_at": now,
        "updated_at": now,
    }
    with state.store.transaction():
        state.store.insert("event_types", record)
        for number, user in enumerate(hosts):  # a microsecond apart: listed host first
            stamp = iso(moment + timedelta(microseconds=number))
            row = {"id": state.new_id(), "event_type": record["id"], "user": user}
            state.store.insert(
                "event_type_hosts", {**row, "created_at": stamp, "updated_at": stamp}
            )
    return resource(render.event_type(state, record), status=201)


ROUTES = [Route("/one_off_event_types", create_one_off, methods=["POST"])]
