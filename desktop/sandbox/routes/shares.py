"""``POST /shares``: "customize once and share" a one-on-one event type (facts §2.7).

Design: the customized copy is a hidden event type of the same owner (``share_of`` names the
original; it is secret and left out of ``GET /event_types``) with one single-use scheduling
link, whose ``owner`` is the copy. Fields the request leaves out are copied from the original
(its availability from the owner's schedule for it). ``period_type`` limits the bookable
dates like a one-off's ``date_setting``: ``fixed`` from ``start_date`` to ``end_date``,
``moving``/``available_moving`` the next ``max_booking_time`` days, ``unlimited`` none;
without one, ``moving`` over 60 days (Calendly's default booking window).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, endpoint, resource
from desktop.sandbox.errors import Problems, denied, detail, gather, invalid_many, not_found
from desktop.sandbox.routes.availability import host_schedule
from desktop.sandbox.routes.event_type_availability import valid_zone, validate_rules
from desktop.sandbox.routes.event_types import (
    LOCATION_FIELDS,
    is_one_on_one,
    unique_slug,
    validate_fields,
    visible_event_type,
)
from desktop.sandbox.routes.scheduling_links import booking_url, new_slug
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

PERIODS = ("available_moving", "moving", "fixed", "unlimited")
DEFAULT_DAYS = 60
NO_PERMISSION = "You do not have permission"


def _locations(value: Any, problems: Problems) -> list[dict[str, Any]] | None:
    """``location_configurations`` as stored locations (ordered by ``position``)."""
    if not isinstance(value, list):
        problems.append(detail("location_configurations", "must be an array"))
        return None
    found: list[tuple[int, dict[str, Any]]] = []
    for index, item in enumerate(value):
        at = f"location_configurations[{index}]"
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in LOCATION_FIELDS:
            problems.append(detail(f"{at}.kind", f"must be one of {', '.join(LOCATION_FIELDS)}"))
            continue
        needed, allowed = LOCATION_FIELDS[kind]
        clean: dict[str, Any] = {"kind": kind}
        for key in ("location", "additional_info", "phone_number"):
            text = item.get(key)
            if text in (None, ""):
                if key in needed:
                    problems.append(detail(f"{at}.{key}", f"is required for {kind}"))
            elif key not in allowed or not isinstance(text, str) or len(text) > 255:
                problems.append(detail(f"{at}.{key}", f"is not a valid {key} for {kind}"))
            else:
                clean[key] = text
        position = item.get("position", index)
        if isinstance(position, bool) or not isinstance(position, int):
            problems.append(detail(f"{at}.position", "must be an integer"))
            continue
        found.append((position, clean))
    return [clean for _, clean in sorted(found, key=lambda pair: pair[0])]


def _period(body: dict[str, Any], problems: Problems) -> dict[str, Any]:
    kind = body.get("period_type", "moving")
    if kind not in PERIODS:
        problems.append(detail("period_type", f"must be one of {', '.join(PERIODS)}"))
        return {}
    period: dict[str, Any] = {"period_type": kind}
    for key in ("start_date", "end_date"):
        value = body.get(key)
        if kind == "fixed" and value is None:
            problems.append(detail(key, "is required when period_type is fixed"))
        elif value is not None:
            try:
                period[key] = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                problems.append(detail(key, "must be a date in YYYY-MM-DD format"))
    if period.get("start_date", "") > period.get("end_date", "9"):
        problems.append(detail("end_date", "must not be before start_date"))
    days = body.get("max_booking_time", DEFAULT_DAYS if "max_booking_time" not in body else None)
    if kind in ("moving", "available_moving"):
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            problems.append(detail("max_booking_time", "must be a number of days from 1 to 365"))
        period["max_booking_time"] = days
    return period


def _date_setting(period: dict[str, Any]) -> dict[str, Any] | None:
    if period.get("period_type") == "fixed":
        return {"type": "date_range", **{k: period[k] for k in ("start_date", "end_date")}}
    if period.get("period_type") in ("moving", "available_moving"):
        return {"type": "days_in_future", "days": period["max_booking_time"]}
    return None


def _override(record: Record, period: dict[str, Any], hide: Any, rule: Record) -> Any:
    locations = record.get("locations") or []
    return {
        "name": record["name"],
        "duration": record["duration"],
        "duration_options": record.get("duration_options"),
        "period_type": period["period_type"],
        "start_date": period.get("start_date"),
        "end_date": period.get("end_date"),
        "max_booking_time": period.get("max_booking_time"),
        "hide_location": hide,
        "location_configurations": [
            {
                "location": item.get("location"),
                "additional_info": item.get("additional_info"),
                "phone_number": item.get("phone_number"),
                "position": position,
                "kind": item["kind"],
            }
            for position, item in enumerate(locations)
        ],
        "availability_rule": {"rules": rule["rules"], "timezone": rule["timezone"]},
    }


@endpoint("shares:write")
async def create_share(call: Call) -> Response:
    body = await call.body()
    problems: Problems = []
    ident = None
    raw = body.get("event_type")
    if raw in (None, ""):
        problems.append(detail("event_type", "is required"))
    elif not isinstance(raw, str):
        problems.append(detail("event_type", "must be a valid event_type URI"))
    else:
        ident = gather(problems, lambda: call.state.uris.parse(raw, "event_types", "event_type"))
    clean, more = validate_fields({k: body[k] for k in ("name", "duration_options") if k in body})
    problems += more
    if "name" in clean and len(clean["name"]) > 55:
        problems.append(detail("name", "must be at most 55 characters"))
    duration = body.get("duration")
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, int) or not 1 <= duration <= 720
    ):
        problems.append(detail("duration", "must be an integer between 1 and 720"))
    period = _period(body, problems)
    hide = body.get("hide_location")
    if hide is not None and not isinstance(hide, bool):
        problems.append(detail("hide_location", "must be a boolean"))
    places = None
    if "location_configurations" in body:
        places = _locations(body["location_configurations"], problems)
    rule = body.get("availability_rule")
    rules = None
    if rule is not None:
        if not isinstance(rule, dict):
            problems.append(detail("availability_rule", "must be an object"))
        else:
            if "timezone" in rule and not valid_zone(rule["timezone"]):
                problems.append(detail("availability_rule.timezone", "must be a valid time zone"))
            rules = validate_rules(rule.get("rules", []), "availability_rule.rules", problems)
    if problems or ident is None:
        raise invalid_many(problems)

    original = visible_event_type(call, ident)
    if original.get("deleted_at") is not None:
        raise not_found()
    if not is_one_on_one(original) or original.get("share_of"):
        raise invalid_many([detail("event_type", "must be a one-on-one event type")])
    owner = str(original["owner"])
    if owner != call.caller.user_id and not call.caller.is_admin:
        raise denied(NO_PERMISSION)
    state = call.state
    now = iso(state.clock.now())
    schedule = host_schedule(state, ident, owner) or {"timezone": "UTC", "rules": []}
    chosen = {
        "timezone": (rule or {}).get("timezone") or schedule["timezone"],
        "rules": rules if rules is not None and "rules" in (rule or {}) else schedule["rules"],
    }
    name = str(clean.get("name", original["name"]))
    copy: Record = {
        **original,
        "id": state.new_id(),
        "name": name,
        "slug": unique_slug(state, owner, name),
        "duration": duration or original["duration"],
        "duration_options": clean.get("duration_options", original.get("duration_options")),
        "locations": places if places is not None else original.get("locations"),
        "secret": True,
        "active": True,
        "share_of": ident,
        "date_setting": _date_setting(period),
        "timezone": chosen["timezone"],
        "created_at": now,
        "updated_at": now,
    }
    link: Record = {"id": state.new_id(), "event_type": copy["id"], "slug": new_slug(state)}
    with state.store.transaction():
        state.store.insert("event_types", copy)
        host = {"id": state.new_id(), "event_type": copy["id"], "user": owner}
        state.store.insert("event_type_hosts", {**host, "created_at": now, "updated_at": now})
        own = {"id": f"{copy['id']}:{owner}", "event_type": copy["id"], "user": owner, **chosen}
        state.store.insert("event_type_schedules", {**own, "created_at": now, "updated_at": now})
        link.update(max_event_count=1, used=0, created_at=now)
        state.store.insert("scheduling_links", link)
    share = {
        "scheduling_links": [
            {
                "booking_url": booking_url(state, link, copy),
                "owner": state.uris.of("event_types", copy["id"]),
                "owner_type": "EventType",
            }
        ],
        "share_override": _override(copy, period, hide, chosen),
    }
    return resource(share, status=201)


ROUTES = [Route("/shares", create_share, methods=["POST"])]
