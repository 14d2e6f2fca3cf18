"""``/webhook_subscriptions``: create, list, get, delete (facts §2.8, §6.1); storage only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.activity import record_activity
from desktop.sandbox.auth import Caller
from desktop.sandbox.endpoint import Call, collection, endpoint, no_content, resource
from desktop.sandbox.errors import (
    ApiError,
    conflict,
    denied,
    detail,
    gather,
    insufficient_scope,
    invalid,
    invalid_many,
)
from desktop.sandbox.pagination import parse_count, parse_sort
from desktop.sandbox.render import webhooks as render
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

SCOPES = ("organization", "user", "group")
_ALL = SCOPES
# The create body's ``events`` enum in the 2026 spec, with the subscription scopes each event
# allows and the read scope a token needs to subscribe to it (the spec's table; facts §6.1).
# ``event_type.*`` appear in Calendly's table but not in the create-body enum (facts §9.3);
# the enum wins, so the sandbox refuses them like Calendly's schema does.
EVENTS: dict[str, tuple[tuple[str, ...], str]] = {
    "invitee.created": (_ALL, "scheduled_events:read"),
    "invitee.canceled": (_ALL, "scheduled_events:read"),
    "invitee_no_show.created": (_ALL, "scheduled_events:read"),
    "invitee_no_show.deleted": (_ALL, "scheduled_events:read"),
    "meeting_recap.created": (("user",), "meeting_recaps:read"),
    "meeting_recap.updated": (("user",), "meeting_recaps:read"),
    "meeting_recap.deleted": (("user",), "meeting_recaps:read"),
    "routing_form_submission.created": (("organization",), "routing_forms:read"),
    "contact.created": (_ALL, "contacts:read"),
    "contact.updated": (_ALL, "contacts:read"),
    "contact.deleted": (_ALL, "contacts:read"),
}
# Plans without webhooks (free, and the legacy entry tier); Calendly asks to upgrade.
PLANS_WITHOUT_WEBHOOKS = ("basic", "essentials")
UPGRADE_MESSAGE = "Please upgrade your Calendly account to Standard"
NO_PERMISSION = "You do not have permission"
DUPLICATE_MESSAGE = "Hook with this url already exists"
SORTS = {"created_at": "created_at"}
DEFAULT_SORT = "created_at:asc"

T = TypeVar("T")


def is_web_url(value: Any) -> bool:
    """An absolute ``http``/``https`` URL with a host and no whitespace."""
    if not isinstance(value, str) or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# -- create ---------------------------------------------------------------------------------
def _event_problems(events: Any, scope: str | None) -> list[dict[str, str]]:
    if events in (None, []):
        return [detail("events", "is required")]
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        return [detail("events", "must be an array of event names")]
    problems: list[dict[str, str]] = []
    seen: set[str] = set()
    for event in events:
        if event not in EVENTS:
            problems.append(detail("events", f"{event} is not one of {', '.join(EVENTS)}"))
        elif event in seen:
            problems.append(detail("events", f"{event} is listed more than once"))
        elif scope in SCOPES and scope not in EVENTS[event][0]:
            allowed = " or ".join(EVENTS[event][0])
            problems.append(detail("events", f"{event} is only available for {allowed} scope"))
        seen.add(event)
    return problems


def _body_uri(
    call: Call, body: dict[str, Any], name: str, collection_name: str, required: bool
) -> str | None:
    value = body.get(name)
    if value in (None, ""):
        if required:
            raise invalid(name, "is required")
        return None
    if not isinstance(value, str):
        raise invalid(name, f"must be a {collection_name[:-1]} URI")
    return call.state.uris.parse(value, collection_name, name)


def _validate(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    """The create body's fields as ids, or one 400 naming every bad parameter."""
    problems: list[dict[str, str]] = []
    url = body.get("url")
    if url in (None, ""):
        problems.append(detail("url", "is required"))
    elif not is_web_url(url):
        problems.append(detail("url", "must be an absolute http or https URL"))
    scope = body.get("scope")
    if scope in (None, ""):
        problems.append(detail("scope", "is required"))
    elif scope not in SCOPES:
        problems.append(detail("scope", f"must be one of {', '.join(SCOPES)}"))
    problems += _event_problems(body.get("events"), scope)
    org = gather(problems, lambda: _body_uri(call, body, "organization", "organizations", True))
    user = group = None
    if scope == "user":
        user = gather(problems, lambda: _body_uri(call, body, "user", "users", True))
    if scope == "group":
        group = gather(problems, lambda: _body_uri(call, body, "group", "groups", True))
    key = body.get("signing_key")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        problems.append(detail("signing_key", "must be a non-empty string"))
    if problems:
        raise invalid_many(problems)
    return {
        "url": url,
        "scope": scope,
        "events": body["events"],
        "organization": org,
        "user": user,
        "group": group,
        "signing_key": key,
    }


def _require_event_scopes(caller: Caller, events: Sequence[str]) -> None:
    """Subscribing needs the read scope of every subscribed event (facts §2.8)."""
    missing: list[str] = []
    for scope in dict.fromkeys(EVENTS[event][1] for event in events):
        try:
            caller.require(scope)
        except ApiError:
            missing.append(scope)
    if missing:
        raise insufficient_scope(missing)


def _member(call: Call, user_id: str) -> Record:
    """A user of the caller's organization (404 unknown, 403 someone else's member)."""
    user = call.lookup("users", user_id)
    membership = call.state.store.find_one(
        "memberships", "user = ? AND organization = ?", (user_id, call.caller.org_id)
    )
    if membership is None:
        raise denied()
    return user


def _group(call: Call, group_id: str) -> Record:
    group = call.lookup("groups", group_id)
    call.caller.require_org(group["organization"])
    return group


def authorize_owner(call: Call, scope: str, user: str | None, group: str | None) -> None:
    """Who may see or manage subscriptions of this owner: admins, or the user themself."""
    if scope == "user" and user is not None:
        _member(call, user)
        if user != call.caller.user_id and not call.caller.is_admin:
            raise denied(NO_PERMISSION)
        return
    call.caller.require_admin(NO_PERMISSION)
    if scope == "group" and group is not None:
        _group(call, group)


@endpoint("webhooks:write")
async def create_webhook(call: Call) -> Response:
    fields = _validate(call, await call.body())
    _require_event_scopes(call.caller, fields["events"])
    call.caller.require_org(fields["organization"])
    store = call.state.store
    org = store.get("organizations", fields["organization"])
    if org is None or org.get("plan") in PLANS_WITHOUT_WEBHOOKS:
        raise denied(UPGRADE_MESSAGE)
    authorize_owner(call, fields["scope"], fields["user"], fields["group"])
    stamp = iso(call.state.clock.now())
    record: Record = {
        "id": call.state.new_id(),
        "organization": fields["organization"],
        "scope": fields["scope"],
        "user": fields["user"],
        "group_id": fields["group"],
        "callback_url": fields["url"],
        "events": list(fields["events"]),
        "state": "active",
        "retry_started_at": None,
        "creator": call.caller.user_id,
        "signing_key": fields["signing_key"],
        "created_at": stamp,
        "updated_at": stamp,
    }
    with store.transaction():
        duplicate = store.count(
            "webhooks",
            "organization = ? AND scope = ? AND user IS ? AND group_id IS ? AND callback_url = ?",
            (
                record["organization"],
                record["scope"],
                record["user"],
                record["group_id"],
                record["callback_url"],
            ),
        )
        if duplicate:
            raise conflict(DUPLICATE_MESSAGE)
        store.insert("webhooks", record)
        details = {"callback_url": record["callback_url"], "scope": record["scope"]}
        record_activity(call.state, call.caller, "Webhook", "Create", details)
    return resource(render.webhook(call.state, record), status=201)


# -- read and delete -------------------------------------------------------------------------
def scope_owner(
    call: Call, problems: list[dict[str, str]]
) -> tuple[str | None, str | None, str | None, str | None]:
    """The ``organization``, ``scope`` and, as the scope needs, ``user`` or ``group`` query
    parameters (ids), collecting bad ones into ``problems``."""
    org = gather(problems, lambda: call.uri("organization", "organizations", required=True))
    scope = gather(problems, lambda: call.choice("scope", SCOPES, required=True))
    user = group = None
    if scope == "user":
        user = gather(problems, lambda: call.uri("user", "users", required=True))
    if scope == "group":
        group = gather(problems, lambda: call.uri("group", "groups", required=True))
    return org, scope, user, group


@endpoint("webhooks:read")
def list_webhooks(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    org, scope, user, group = scope_owner(call, problems)
    gather(problems, lambda: parse_count(call.text("count")))
    gather(problems, lambda: parse_sort(call.text("sort"), SORTS, DEFAULT_SORT))
    if problems:
        raise invalid_many(problems)
    assert org is not None and scope is not None
    call.caller.require_org(org)
    authorize_owner(call, scope, user, group)
    where = "organization = ? AND scope = ?"
    params: list[Any] = [org, scope]
    if user is not None:
        where += " AND user = ?"
        params.append(user)
    if group is not None:
        where += " AND group_id = ?"
        params.append(group)
    page = call.page("webhooks", where, params, SORTS, DEFAULT_SORT)
    items = [render.webhook(call.state, record) for record in page.records]
    return collection(items, page.pagination)


def _visible(call: Call) -> Record:
    """The path's subscription, if the caller may see and manage it."""
    record = call.found("webhooks", "webhook_uuid")
    call.caller.require_org(record["organization"])
    if record["scope"] == "user" and record.get("user") == call.caller.user_id:
        return record
    call.caller.require_admin(NO_PERMISSION)
    return record


@endpoint("webhooks:read")
def get_webhook(call: Call) -> Response:
    return resource(render.webhook(call.state, _visible(call)))


@endpoint("webhooks:write")
def delete_webhook(call: Call) -> Response:
    record = _visible(call)
    store = call.state.store
    with store.transaction():
        store.delete("webhooks", record["id"])
        details = {"callback_url": record["callback_url"], "scope": record["scope"]}
        record_activity(call.state, call.caller, "Webhook", "Delete", details)
    return no_content()


ROUTES: list[BaseRoute] = [
    Route("/webhook_subscriptions", create_webhook, methods=["POST"]),
    Route("/webhook_subscriptions", list_webhooks, methods=["GET"]),
    Route("/webhook_subscriptions/{webhook_uuid}", get_webhook, methods=["GET"]),
    Route("/webhook_subscriptions/{webhook_uuid}", delete_webhook, methods=["DELETE"]),
]
