"""Where Calendly's facts file overrides its OpenAPI spec, written down one place at a time.

The spec (S2, 2026) and ``calendly-api-facts.md`` disagree in a few places; the facts file
wins. ``spec.validate`` excuses exactly what is listed here, each with the section it rests
on, and adds the facts file's own checks (``facts_problems``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# facts §2.3 and §9.2: S2 puts available times under availability:read, the scopes page under
# event_types:read; unresolved, so either is Calendly's.
SCOPE_ALTERNATIVES: Mapping[str, frozenset[str]] = {
    "GET /event_type_available_times": frozenset({"availability:read", "event_types:read"}),
}


# The spec's 400/401/404/409/424/429/503 bodies carry a one-value enum copied from the 500 body
# (or from the 404 body); facts §5.2 (caveat) says to ignore them and gives the real titles,
# which ``facts_problems`` checks instead.
GENERATED_ENUMS = frozenset(
    {
        "Internal Server Error",
        "The server encountered an unexpected condition that prevented it from fulfilling the "
        "request.",
        "Resource Not Found",
        "The server could not find the requested resource.",
    }
)

# 403 "Permission Denied" messages the facts file quotes for an operation (facts §2.2, §2.3,
# §2.4, §5.2, §6.1) even where S2's per-operation enum is narrower.
FACTS_403_MESSAGES = frozenset(
    {
        "You do not have permission to access this resource.",
        "You do not have permission",
        "This user is not in your organization",  # §2.3, §5.2
        "You cannot modify members from another organization",  # §2.2 (S1)
        "You are not allowed to view this event",  # §2.4
        "You are not allowed to cancel this event",  # §2.4
        "Event in the past",  # §2.4
        "Event is already canceled",  # §2.4
        "Please upgrade your Calendly account to Standard",  # §5.2, §6.1
        "Please upgrade your Calendly account to Enterprise.",  # §5.2
        "You cannot perform this action for an organization with SCIM enabled.",  # §2.2
        "The Scheduling API is only available on paid Calendly plans. Upgrade your plan to "
        "access this feature.",  # §2.4
    }
)

# Canonical titles per status (facts §5.2); the other 400 titles are S1's documented examples
# for invitations (facts §2.2 quotes the first three; S1 shows "Invitation Already Accepted"
# on revoke). "Invitation Already Declined" is ours, by analogy with the accepted case:
# no source documents revoking a declined invitation.
FACTS_TITLES: Mapping[int, frozenset[str]] = {
    400: frozenset(
        {
            "Invalid Argument",
            "Already Organization Member",
            "Already Invited",
            "Race Condition",
            "Invitation Already Accepted",
            "Invitation Already Declined",
        }
    ),
    401: frozenset({"Unauthenticated"}),
    403: frozenset({"Permission Denied", "Insufficient scope"}),
    404: frozenset({"Resource Not Found"}),
    409: frozenset({"Already Exists"}),
    500: frozenset({"Internal Server Error"}),
}

# Statuses any operation may answer although S2 does not list them on every operation.
UNDOCUMENTED_STATUSES: Mapping[int, str] = {
    # facts §5.3: the per-user rate limit applies to every endpoint; S2 lists 429 on /teams only.
    429: "facts §5.3",
    # facts §1.1, §10: every operation takes a bearer token, an unknown one is 401; S2 omits
    # 401 on the activity log and outgoing communications.
    401: "facts §1.1, §10",
}

# Request-side disagreements (nothing to excuse in responses; the conformance and property
# tests send both forms):
# - POST /scheduling_links max_event_count: S1 a number enum [1], S2 a string enum ["1"];
#   facts §2.7 and §9.6 say the sandbox accepts both.
SCHEDULING_LINK_MAX_EVENT_COUNTS: tuple[object, ...] = (1, "1")


@dataclass(frozen=True)
class Context:
    """The answer a schema error was found in."""

    operation: str  # its label, e.g. "GET /users/{uuid}"
    status: int
    body: Any


@dataclass(frozen=True)
class Disagreement:
    """A schema error the facts file overrules (``applies`` says which)."""

    name: str
    facts: str
    applies: Callable[[Context, Any], bool]


def _at(error: Any, *path: object) -> bool:
    return tuple(error.absolute_path) == path


def _generated_error_enum(ctx: Context, error: Any) -> bool:
    return (
        ctx.status >= 400
        and ctx.status != 500
        and error.validator == "enum"
        and (_at(error, "title") or _at(error, "message"))
        and set(error.validator_value) <= GENERATED_ENUMS
    )


def _facts_permission_message(ctx: Context, error: Any) -> bool:
    return (
        ctx.status == 403
        and error.validator == "enum"
        and _at(error, "message")
        and isinstance(ctx.body, dict)
        and ctx.body.get("title") == "Permission Denied"
        and error.instance in FACTS_403_MESSAGES
    )


def _no_calendar_event(ctx: Context, error: Any) -> bool:
    path = tuple(error.absolute_path)
    return (
        error.validator == "type"
        and error.instance is None
        and bool(path)
        and path[-1] == "calendar_event"
    )


def _free_entry_details(ctx: Context, error: Any) -> bool:
    path = tuple(error.absolute_path)
    return (
        ctx.operation == "GET /activity_log_entries"
        and error.validator in ("additionalProperties", "properties")  # openapi-core: the latter
        and "Additional properties are not allowed" in str(error.message)
        and len(path) == 3
        and path[0] == "collection"
        and path[2] == "details"
    )


def _scope_error_everywhere(ctx: Context, error: Any) -> bool:
    return (
        ctx.status == 403
        and isinstance(ctx.body, dict)
        and ctx.body.get("title") == "Insufficient scope"
        and tuple(error.absolute_path) == ()
        and "'required_scopes' was unexpected" in str(error.message)
    )


KNOWN: tuple[Disagreement, ...] = (
    Disagreement(
        "error title/message enums copied from the 500 body", "§5.2 caveat", _generated_error_enum
    ),
    Disagreement(
        "403 messages the facts quote beyond S2's enum", "§2, §5.2", _facts_permission_message
    ),
    # S2 requires an Event's deprecated calendar_event as an object; an event with no
    # connected calendar has none (facts §3.7: nullable).
    Disagreement("calendar_event null on events without a calendar", "§3.7", _no_calendar_event),
    # S2's EntryDetails declares no properties; facts §3.17: ``details`` is a free object.
    Disagreement("activity log entry details are free-form", "§3.17", _free_entry_details),
    # S2's /teams 403 bodies predate scopes; facts §5.1, §7.6: a missing scope is answered
    # with required_scopes on every operation.
    Disagreement(
        "Insufficient scope bodies on older 403 schemas", "§5.1, §7.6", _scope_error_everywhere
    ),
)


def facts_problems(ctx: Context) -> list[str]:
    """Checks the facts file adds to the spec: Calendly's titles, named parameters."""
    body = ctx.body
    if ctx.status < 400 or not isinstance(body, dict):
        return []
    problems = []
    titles = FACTS_TITLES.get(ctx.status)
    if titles is not None and body.get("title") not in titles:
        problems.append(
            f"body.title: {body.get('title')!r} is not Calendly's title for {ctx.status} "
            f"(facts §5.2: {', '.join(sorted(titles))})"
        )
    if body.get("title") == "Invalid Argument":
        details = body.get("details")
        if not details or not all(isinstance(d, dict) and d.get("parameter") for d in details):
            problems.append(
                "body.details: a 400 Invalid Argument must name each bad parameter "
                "(details[{parameter, message}], facts §5.1, §10)"
            )
    return problems
