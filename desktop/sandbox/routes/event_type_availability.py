"""``PATCH /event_type_availability_schedules``: set a host's availability for one event type.

Design: the rules are the event type's own (``event_type_schedules``, one row per event type
and host), not an edit of the host's user availability schedule, so the host's other event
types keep their hours. Until a host has such rules the event type follows their default
schedule; once set, ``/event_type_available_times``, booking and the GET of this path use
them, and the answer's ``availability_rule`` carries no schedule ``uri`` (no user schedule
holds these rules). Sending ``rules`` replaces every rule (Calendly's warning); sending only
``timezone`` keeps the current rules in the new zone.

Who: the host themselves (not on an admin-managed event type), or an owner/admin for any
host. ``availability_rule.user`` names the host; without it the caller is meant, or, for an
admin who is not a host, the event type's only host (400 when it has several).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.activity import record_activity
from desktop.sandbox.endpoint import Call, endpoint, resource
from desktop.sandbox.errors import Problems, denied, detail, gather, invalid_many, not_found
from desktop.sandbox.render import availability as render
from desktop.sandbox.routes.availability import NO_PERMISSION, host_ids, host_schedule
from desktop.sandbox.routes.event_types import visible_event_type
from desktop.sandbox.slots import WEEKDAYS
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

RULE = "availability_rule"


def valid_zone(name: Any) -> bool:
    if not isinstance(name, str) or not name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _clock(value: Any) -> int | None:
    """Minutes since midnight of ``"hh:mm"`` (``"24:00"`` ends a day), or None."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return None
    hours, minutes = value[:2], value[3:]
    if not (hours.isdigit() and minutes.isdigit()):
        return None
    total = int(hours) * 60 + int(minutes)
    return total if int(minutes) < 60 and total <= 24 * 60 else None


def _intervals(value: Any, where: str, problems: Problems) -> list[dict[str, str]]:
    if not isinstance(value, list):
        problems.append(detail(f"{where}.intervals", "must be an array of {from, to} intervals"))
        return []
    found: list[dict[str, str]] = []
    spans: list[tuple[int, int]] = []
    for index, item in enumerate(value):
        at = f"{where}.intervals[{index}]"
        if not isinstance(item, dict):
            problems.append(detail(at, "must be an object with from and to"))
            continue
        start, end = _clock(item.get("from")), _clock(item.get("to"))
        if start is None or start == 24 * 60:
            problems.append(detail(f"{at}.from", "must be a time of day as hh:mm"))
        if end is None:
            problems.append(detail(f"{at}.to", "must be a time of day as hh:mm"))
        if start is None or end is None:
            continue
        if end <= start:
            problems.append(detail(f"{at}.to", "must be after from"))
        elif any(start < e and end > s for s, e in spans):
            problems.append(detail(at, "must not overlap another interval of the rule"))
        else:
            spans.append((start, end))
            found.append({"from": item["from"], "to": item["to"]})
    return sorted(found, key=lambda i: i["from"])


def validate_rules(value: Any, where: str, problems: Problems) -> list[dict[str, Any]]:
    """AvailabilityRule items checked one by one; ``where`` prefixes the parameters named."""
    if not isinstance(value, list):
        problems.append(detail(where, "must be an array of availability rules"))
        return []
    rules: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(item, dict):
            problems.append(detail(at, "must be an object"))
            continue
        kind = item.get("type")
        if kind not in ("wday", "date"):
            problems.append(detail(f"{at}.type", "must be one of wday, date"))
            continue
        intervals = _intervals(item.get("intervals"), at, problems)
        key = item.get(kind)
        if kind == "wday" and key not in WEEKDAYS:
            problems.append(detail(f"{at}.wday", f"must be one of {', '.join(WEEKDAYS)}"))
            continue
        if kind == "date" and not _is_date(key):
            problems.append(detail(f"{at}.date", "must be a date in YYYY-MM-DD format"))
            continue
        if f"{kind}:{key}" in seen:
            problems.append(detail(f"{at}.{kind}", f"{key} has another rule already"))
            continue
        seen.add(f"{kind}:{key}")
        rules.append({"type": kind, kind: key, "intervals": intervals})
    return rules


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _target(call: Call, event_type: Record, rule: dict[str, Any], problems: Problems) -> str | None:
    """The host whose rules change (see the module docstring)."""
    hosts = host_ids(call.state, event_type)
    caller = call.caller
    given = rule.get("user")
    if given is not None:
        if not isinstance(given, str):
            problems.append(detail(f"{RULE}.user", "must be a valid user URI"))
            return None
        user = gather(problems, lambda: call.state.uris.parse(given, "users", f"{RULE}.user"))
        if user is not None and user not in hosts:
            problems.append(detail(f"{RULE}.user", "must be a host of the event type"))
            return None
        return user
    if caller.user_id in hosts:
        return caller.user_id
    if caller.is_admin and len(hosts) == 1:
        return hosts[0]
    if caller.is_admin:
        problems.append(detail(f"{RULE}.user", "is required: the event type has several hosts"))
        return None
    raise denied(NO_PERMISSION)


@endpoint("availability:write")
async def update_event_type_schedule(call: Call) -> Response:
    problems: Problems = []
    ident = gather(problems, lambda: call.uri("event_type", "event_types", required=True))
    body = await call.body()
    rule = body.get(RULE)
    if rule is None:
        problems.append(detail(RULE, "is required"))
    elif not isinstance(rule, dict):
        problems.append(detail(RULE, "must be an object"))
    if body.get("availability_setting", "host") != "host":
        problems.append(detail("availability_setting", "must be host"))
    if problems or ident is None or not isinstance(rule, dict):
        raise invalid_many(problems)
    event_type = visible_event_type(call, ident)
    if event_type.get("deleted_at") is not None:
        raise not_found()
    if not valid_zone(rule.get("timezone")):
        problems.append(detail(f"{RULE}.timezone", "must be a valid IANA time zone"))
    rules = validate_rules(rule["rules"], f"{RULE}.rules", problems) if "rules" in rule else None
    user = _target(call, event_type, rule, problems)
    if problems or user is None:
        raise invalid_many(problems)
    caller = call.caller
    if not caller.is_admin and (user != caller.user_id or event_type.get("admin_managed")):
        raise denied(NO_PERMISSION)

    state = call.state
    now = iso(state.clock.now())
    with state.store.transaction():
        current = host_schedule(state, ident, user) or {}
        own = "event_type" in current  # rules set on this event type before
        record: Record = {
            "id": f"{ident}:{user}",
            "event_type": ident,
            "user": user,
            "timezone": rule["timezone"],
            "rules": rules if rules is not None else list(current.get("rules") or []),
            "created_at": current["created_at"] if own else now,
            "updated_at": now,
        }
        if own:
            state.store.update("event_type_schedules", record)
        else:
            state.store.insert("event_type_schedules", record)
        details = {"event_type": event_type.get("name"), "host": user, "timezone": rule["timezone"]}
        record_activity(state, caller, "EventType", "AvailabilityUpdate", details)
    return resource(render.event_type_schedule(state, ident, user, record))


ROUTES = [
    Route("/event_type_availability_schedules", update_event_type_schedule, methods=["PATCH"]),
]
