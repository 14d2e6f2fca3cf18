"""``/event_types`` (list, get, create, update) and ``/event_type_memberships`` (hosts)."""

from __future__ import annotations

import html
from typing import Any, TypeVar

from starlette.responses import Response
from starlette.routing import Route

from desktop.sandbox.endpoint import Call, collection, endpoint, require_fields, resource
from desktop.sandbox.errors import (
    denied,
    detail,
    gather,
    invalid,
    invalid_many,
    not_found,
)
from desktop.sandbox.pagination import parse_count, parse_sort
from desktop.sandbox.render import event_types as render
from desktop.sandbox.render.event_types import UserCache
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

T = TypeVar("T")

SORTS = {name: name for name in ("name", "position", "created_at", "updated_at")}
LOCALES = ("de", "en", "es", "fr", "it", "nl", "pt", "uk")
_NONE: tuple[str, ...] = ()
# LocationConfiguration kind -> (fields it needs, fields it may carry besides ``kind``)
LOCATION_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ask_invitee": (_NONE, ("location",)),
    "custom": (("location",), ("location",)),
    "inbound_call": (("phone_number",), ("phone_number", "additional_info")),
    "physical": (("location",), ("location", "additional_info")),
    **{
        kind: (_NONE, _NONE)
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
LOCATION_KINDS = tuple(sorted(LOCATION_FIELDS))
# Live, and not the hidden copy a share (POST /shares) made.
LIVE = "json_extract(data, '$.deleted_at') IS NULL AND json_extract(data, '$.share_of') IS NULL"
# What POST /event_types fills in besides the request's fields (S2: one-on-one types only).
NEW_EVENT_TYPE: dict[str, Any] = {
    **dict.fromkeys(("duration_options", "pooling_type", "description_plain", "deleted_at")),
    **dict.fromkeys(("description_html", "internal_note", "locations")),
    **dict.fromkeys(("active", "secret", "admin_managed", "is_paid"), False),
    "profile_type": "User",
    "booking_method": "instant",
    "kind": "solo",
    "type": "StandardEventType",
    "color": "#8247f5",
    "custom_questions": [],
    "invitee_limit": 1,
}
NOT_IN_ORG = "This user is not in your organization"
NO_PERMISSION = "You do not have permission"


def member_of_org(state: SandboxState, user_id: str, org_id: str) -> Record:
    """The user, if they belong to ``org_id``: 404 when unknown, 403 when elsewhere."""
    user = state.store.get("users", user_id)
    if user is None:
        raise not_found()
    if (
        state.store.find_one("memberships", "user = ? AND organization = ?", (user_id, org_id))
        is None
    ):
        raise denied(NOT_IN_ORG)
    return user


def visible_event_type(call: Call, ident: str) -> Record:
    """An event type of the caller's organization (404 unknown, 403 another organization)."""
    record = call.lookup("event_types", ident)
    call.caller.require_org(record["organization"])
    return record


# -- list and get -------------------------------------------------------------------------
@endpoint("event_types:read")
def list_event_types(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    org_id = gather(problems, lambda: call.uri("organization", "organizations"))
    user_id = gather(problems, lambda: call.uri("user", "users"))
    active = gather(problems, lambda: call.boolean("active"))
    managed = gather(problems, lambda: call.boolean("admin_managed"))
    schedule_id = gather(
        problems, lambda: call.uri("user_availability_schedule", "user_availability_schedules")
    )
    gather(problems, lambda: parse_count(call.text("count")))
    gather(problems, lambda: parse_sort(call.text("sort"), SORTS, "name:asc"))
    given = call.query
    if not given.get("organization") and not given.get("user"):
        problems.append(detail("organization", "is required when user is not given"))
        problems.append(detail("user", "is required when organization is not given"))
    if given.get("user_availability_schedule") and not given.get("user"):
        problems.append(detail("user_availability_schedule", "can only be used with user"))
    if problems:
        raise invalid_many(problems)

    clauses = [LIVE]
    params: list[Any] = []
    if org_id is not None:
        call.caller.require_org(org_id)
        clauses.append("organization = ?")
        params.append(org_id)
    if user_id is not None:
        member_of_org(call.state, user_id, call.caller.org_id)
        clauses.append(
            "(owner = ? OR id IN (SELECT event_type FROM event_type_hosts WHERE user = ?))"
        )
        params += [user_id, user_id]
    if schedule_id is not None and user_id is not None:
        schedule = call.state.store.get("availability_schedules", schedule_id)
        if schedule is None or schedule["user"] != user_id:
            raise invalid("user_availability_schedule", "must be an availability schedule of user")
        used = "json_extract(data, '$.availability_schedule')"
        clauses.append(
            f"({used} IS NULL OR {used} = ?)" if schedule["is_default"] else f"{used} = ?"
        )
        params.append(schedule_id)
        if schedule["is_default"]:  # not where the host has rules of the event type's own
            clauses.append("id NOT IN (SELECT event_type FROM event_type_schedules WHERE user = ?)")
            params.append(user_id)
    if active is not None:
        clauses.append("active = ?")
        params.append(active)
    if managed is not None:
        clauses.append("admin_managed = ?")
        params.append(managed)
    page = call.page("event_types", " AND ".join(clauses), params, SORTS, "name:asc")
    cache: UserCache = {}
    items = [render.event_type(call.state, r, cache) for r in page.records]
    return collection(items, page.pagination)


@endpoint("event_types:read")
def get_event_type(call: Call) -> Response:
    record = visible_event_type(call, call.path("uuid"))
    return resource(render.event_type(call.state, record))


# -- create and update --------------------------------------------------------------------
def _string(problems: list[dict[str, str]], name: str, value: Any, required: bool) -> str | None:
    if not isinstance(value, str):
        problems.append(detail(name, "must be a string"))
        return None
    if required and not value.strip():
        problems.append(detail(name, "must be filled"))
        return None
    return value


def _duration(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 720


def _location(problems: list[dict[str, str]], index: int, item: Any) -> dict[str, Any] | None:
    where = f"locations[{index}]"
    if not isinstance(item, dict):
        problems.append(detail(where, "must be an object"))
        return None
    kind = item.get("kind")
    if kind not in LOCATION_KINDS:
        problems.append(detail(f"{where}.kind", f"must be one of {', '.join(LOCATION_KINDS)}"))
        return None
    needed, allowed = LOCATION_FIELDS[kind]
    clean: dict[str, Any] = {"kind": kind}
    ok = True
    for key in ("location", "additional_info", "phone_number"):
        value = item.get(key)
        if value is None or (value == "" and key not in needed):
            if key in needed:
                problems.append(detail(f"{where}.{key}", f"is required for {kind}"))
                ok = False
            continue
        if key not in allowed:
            problems.append(detail(f"{where}.{key}", f"is not allowed for {kind}"))
            ok = False
        elif _string(problems, f"{where}.{key}", value, key in needed) is None:
            ok = False
        elif len(value) > 255:
            problems.append(detail(f"{where}.{key}", "must be at most 255 characters"))
            ok = False
        else:
            clean[key] = value
    return clean if ok else None


def validate_fields(body: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The event type fields present in ``body``, checked; plus every problem found."""
    problems: list[dict[str, str]] = []
    clean: dict[str, Any] = {}
    if "name" in body:
        name = _string(problems, "name", body["name"], required=True)
        if name is not None:
            clean["name"] = name.strip()
    if "active" in body:
        if isinstance(body["active"], bool):
            clean["active"] = body["active"]
        else:
            problems.append(detail("active", "must be a boolean"))
    if "description" in body:
        if body["description"] is None:
            clean["description"] = None
        elif (text := _string(problems, "description", body["description"], False)) is not None:
            clean["description"] = text
    if "duration" in body:
        if _duration(body["duration"]):
            clean["duration"] = body["duration"]
        else:
            problems.append(detail("duration", "must be an integer between 1 and 720"))
    if "duration_options" in body:
        options = body["duration_options"]
        if options is None:
            clean["duration_options"] = None
        elif not isinstance(options, list) or not all(_duration(o) for o in options):
            problems.append(
                detail("duration_options", "must be a list of integers between 1 and 720")
            )
        elif len(options) > 4 or len(set(options)) != len(options):
            problems.append(detail("duration_options", "must hold at most 4 unique options"))
        else:
            clean["duration_options"] = list(options) or None
    if "locations" in body:
        value = body["locations"]
        if value is None:
            clean["locations"] = None
        elif not isinstance(value, list):
            problems.append(detail("locations", "must be a list of location configurations"))
        else:
            found = [_location(problems, i, item) for i, item in enumerate(value)]
            clean["locations"] = [f for f in found if f is not None]
    if "color" in body:
        color = body["color"]
        if (
            isinstance(color, str)
            and len(color) == 7
            and color[0] == "#"
            and all(c in "0123456789abcdef" for c in color[1:])
        ):
            clean["color"] = color
        else:
            problems.append(detail("color", "must match ^#[a-f\\d]{6}$"))
    if "locale" in body:
        if body["locale"] in LOCALES:
            clean["locale"] = body["locale"]
        else:
            problems.append(detail("locale", f"must be one of {', '.join(LOCALES)}"))
    return clean, problems


def _check_duration(clean: dict[str, Any], record: Record | None) -> list[dict[str, str]]:
    options = clean.get("duration_options", (record or {}).get("duration_options"))
    duration = clean.get("duration", (record or {}).get("duration"))
    if options and duration is not None and duration not in options:
        return [detail("duration", "must be one of duration_options")]
    return []


def _describe(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return text, body


def _apply(record: Record, clean: dict[str, Any]) -> None:
    for key in ("name", "active", "duration", "duration_options", "locations", "color", "locale"):
        if key in clean:
            record[key] = clean[key]
    if "description" in clean:
        record["description_plain"], record["description_html"] = _describe(clean["description"])


def unique_slug(state: SandboxState, owner: str, name: str) -> str:
    """The slug of ``name``, numbered when the owner has it already."""
    base = render.slugify(name)
    taken = set(state.store.scalars("SELECT slug FROM event_types WHERE owner = ?", (owner,)))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@endpoint("event_types:write")
async def create_event_type(call: Call) -> Response:
    body = await call.body()
    problems: list[dict[str, str]] = []
    gather(problems, lambda: require_fields(body, ["owner", "name"]))
    owner_id = None
    if isinstance(body.get("owner"), str) and body["owner"]:
        owner_id = gather(problems, lambda: call.state.uris.parse(body["owner"], "users", "owner"))
    elif body.get("owner") not in (None, ""):
        problems.append(detail("owner", "must be a valid user URI"))
    clean, more = validate_fields({k: v for k, v in body.items() if k != "name" or v})
    problems += more
    if not problems:
        problems += _check_duration(clean, None)
    if problems:
        raise invalid_many(problems)
    assert owner_id is not None
    state = call.state
    owner = member_of_org(state, owner_id, call.caller.org_id)
    if owner_id != call.caller.user_id and not call.caller.is_admin:
        raise denied(NO_PERMISSION)
    now = iso(state.clock.now())
    options = clean.get("duration_options")
    with state.store.transaction():
        record: Record = {
            **NEW_EVENT_TYPE,
            "id": state.new_id(),
            "organization": call.caller.org_id,
            "owner": owner_id,
            "profile_name": owner["name"],
            "slug": unique_slug(state, owner_id, clean["name"]),
            "duration": options[0] if options else 30,
            "locale": owner["locale"] if owner.get("locale") in LOCALES else "en",
            "position": state.store.count("event_types", f"owner = ? AND {LIVE}", (owner_id,)),
            "hosts": [owner_id],
            "created_at": now,
            "updated_at": now,
        }
        _apply(record, clean)
        state.store.insert("event_types", record)
        host = {"id": state.new_id(), "event_type": record["id"], "user": owner_id}
        state.store.insert("event_type_hosts", {**host, "created_at": now, "updated_at": now})
    return resource(render.event_type(state, record), status=201)


def is_one_on_one(record: Record) -> bool:
    return (
        record.get("kind", "solo") == "solo"
        and record.get("pooling_type") is None
        and record.get("profile_type", "User") == "User"
        and record.get("type", "StandardEventType") == "StandardEventType"
    )


@endpoint("event_types:write")
async def update_event_type(call: Call) -> Response:
    record = visible_event_type(call, call.path("uuid"))
    if record.get("deleted_at") is not None:
        raise not_found()
    caller = call.caller
    mine = record.get("owner") == caller.user_id and not record.get("admin_managed", False)
    if not (mine or caller.is_admin):
        raise denied(NO_PERMISSION)
    if not is_one_on_one(record):
        raise invalid("uuid", "only one-on-one (solo) event types can be updated")
    body = await call.body()
    clean, problems = validate_fields(body)
    if "owner" in body:
        problems.append(detail("owner", "cannot be changed"))
    if not problems:
        problems += _check_duration(clean, record)
    if problems:
        raise invalid_many(problems)
    if clean:
        _apply(record, clean)
        record["updated_at"] = iso(call.state.clock.now())
        call.state.store.update("event_types", record)
    return resource(render.event_type(call.state, record))


# -- hosts --------------------------------------------------------------------------------
@endpoint("event_types:read")
def list_memberships(call: Call) -> Response:
    ident = call.uri("event_type", "event_types", required=True)
    assert ident is not None
    record = visible_event_type(call, ident)
    sorts = {"created_at": "created_at"}
    page = call.page("event_type_hosts", "event_type = ?", [ident], sorts, "created_at:asc")
    cache: UserCache = {}
    items = [render.membership(call.state, host, record, cache) for host in page.records]
    return collection(items, page.pagination)


ROUTES = [
    Route("/event_types", list_event_types, methods=["GET"]),
    Route("/event_types", create_event_type, methods=["POST"]),
    Route("/event_types/{uuid}", get_event_type, methods=["GET"]),
    Route("/event_types/{uuid}", update_event_type, methods=["PATCH"]),
    Route("/event_type_memberships", list_memberships, methods=["GET"]),
]
