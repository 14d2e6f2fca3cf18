"""The organization's activity log: building entries, and recording what callers do via the API.

The seed writes a history (``seed/activity.py``); routes call ``record_activity`` where an
admin-visible change happens (a member removed, an invitation sent or revoked, a webhook
subscription created or deleted, a data deletion requested, an event type's availability
changed). Entries snapshot the actor's name, e-mail and role, so they read the same after
the actor changes or leaves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from desktop.sandbox.auth import Caller
from desktop.sandbox.search_terms import words
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

ROLES = {"owner": "Owner", "admin": "Admin", "user": "User"}


def _values(value: Any) -> Iterator[str]:
    """Every scalar inside a details object, as text (what search sees of it)."""
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _values(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def entry(
    ident: str,
    organization: str,
    occurred_at: str,
    namespace: str,
    action: str,
    actor: Record,
    role: str,
    details: dict[str, Any],
) -> Record:
    """An ``activity_log`` record; ``actor`` is the acting user's record, ``role`` theirs."""
    return {
        "id": ident,
        "organization": organization,
        "occurred_at": occurred_at,
        "namespace": namespace,
        "action": action,
        "actor": actor["id"],
        "actor_name": actor["name"],
        "actor_email": actor["email"],
        "actor_role": ROLES.get(role, role),
        "details": details,
        "search": words(
            [
                actor["name"],
                actor["email"],
                namespace,
                action,
                f"{namespace}.{action}",
                *_values(details),
            ]
        ),
    }


def record_activity(
    state: SandboxState,
    caller: Caller,
    namespace: str,
    action: str,
    details: dict[str, Any] | None = None,
) -> Record:
    """Log that ``caller`` did ``namespace.action`` just now (joins the caller's transaction)."""
    record = entry(
        state.new_id(),
        caller.org_id,
        iso(state.clock.now()),
        namespace,
        action,
        caller.user,
        caller.role,
        dict(details or {}),
    )
    state.store.insert("activity_log", record)
    return record
