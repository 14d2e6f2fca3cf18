"""The delivery queue in the store: what to send, what is due, what an attempt's outcome does.

Retries back off exponentially on the sandbox clock: 1, 2, 4, 8, 16, 32 minutes, then every
hour (Calendly documents back-off but not its schedule, facts §6.4). A subscription's
``retry_started_at`` is set by its first failure and cleared by any success; once a failure
comes more than ``config.webhook_retry_window`` (24 h) after it, the subscription is
``disabled`` and its pending deliveries stop. A ``410 Gone`` deletes the subscription at once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.sandbox.delivery import matching, payloads
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso, parse_time

RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
EVENT, TEST = "event", "test"


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1 min doubling, capped at 1 h."""
    doubled: timedelta = RETRY_BASE * (2 ** max(attempts - 1, 0))
    return min(doubled, RETRY_CAP)


def new_id() -> str:
    """Sortable by creation (wall-clock nanoseconds), unique by a random suffix.

    Not drawn from ``state.random``: delivery work must not shift the seeded ids of the
    resources API calls create.
    """
    return f"{time.time_ns():020d}{secrets.token_hex(4)}"


def creator_uri(state: SandboxState, hook: Record) -> str:
    """``created_by``: the subscription's creator (its organization's owner if unknown)."""
    creator = hook.get("creator")
    if creator is None:
        owner = state.store.find_one(
            "memberships", "organization = ? AND role = 'owner'", (hook["organization"],)
        )
        creator = owner["user"] if owner else hook.get("user") or hook["organization"]
    return state.uris.user(str(creator))


def enqueue(
    state: SandboxState, hook: Record, event: str, body: Any, now: datetime, kind: str = EVENT
) -> Record:
    """Store one delivery of ``body`` (a payload) to ``hook``, due at ``now``."""
    stamp = iso(now)
    text = payloads.serialise(payloads.envelope(event, stamp, creator_uri(state, hook), body))
    record: Record = {
        "id": new_id(),
        "webhook": hook["id"],
        "organization": hook["organization"],
        "event": event,
        "kind": kind,
        "body": text,
        "state": PENDING,
        "attempts": 0,
        "next_attempt_at": stamp,
        "last_status": None,
        "last_error": None,
        "reason": None,
        "delivered_at": None,
        "created_at": stamp,
        "updated_at": stamp,
    }
    state.store.insert("webhook_deliveries", record)
    return record


def record_fact(state: SandboxState, event: str, organization: str, subject: Record) -> int:
    """Queue a published fact for every matching subscription; returns how many."""
    if event not in payloads.PUBLISHED or not organization:
        return 0
    found = payloads.event_hosts(state, event, subject)
    hooks = matching.subscriptions(state, event, organization, None if found is None else found[1])
    if not hooks:
        return 0
    body = payloads.payload(state, event, subject)
    if body is None:
        return 0
    now = state.clock.now()
    with state.store.transaction():
        for hook in hooks:
            enqueue(state, hook, event, body, now)
    return len(hooks)


def due(state: SandboxState, now: datetime, limit: int = 100) -> list[Record]:
    """Pending deliveries whose time has come, oldest first."""
    return state.store.find(
        "webhook_deliveries",
        "state = ? AND next_attempt_at <= ?",
        (PENDING, iso(now)),
        order="next_attempt_at, id",
        limit=limit,
    )


# -- outcomes --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What one HTTP attempt got: a status, or an error instead of an answer."""

    status: int | None
    error: str | None
    response_body: str | None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _finish(sandbox: SandboxState, delivery: Record, now: str, changes: Record) -> Record:
    record = {**delivery, **changes, "next_attempt_at": None, "updated_at": now}
    sandbox.store.update("webhook_deliveries", record)
    return record


def _fail(sandbox: SandboxState, delivery: Record, now: str, reason: str) -> Record:
    return _finish(sandbox, delivery, now, {"state": FAILED, "reason": reason})


def abandon(state: SandboxState, hook_id: str, reason: str, now: str) -> None:
    """Stop every pending delivery of a subscription (disabled, deleted or gone)."""
    for delivery in state.store.find(
        "webhook_deliveries", "webhook = ? AND state = ?", (hook_id, PENDING)
    ):
        _fail(state, delivery, now, reason)


def blocked(state: SandboxState, delivery: Record, now: datetime) -> bool:
    """Whether a due delivery can no longer go out (its subscription is gone or disabled).

    Such a delivery is failed on the spot, without an attempt. Test deliveries go out to
    any subscription that still exists.
    """
    hook = state.store.get("webhooks", delivery["webhook"])
    reason = None
    if hook is None:
        reason = "the subscription was deleted"
    elif hook["state"] != "active" and delivery["kind"] == EVENT:
        reason = "the subscription is disabled"
    if reason is None:
        return False
    _fail(state, delivery, iso(now), reason)
    return True


def settle(
    state: SandboxState, delivery: Record, attempt: Record, outcome: Outcome, now: datetime
) -> Record | None:
    """Record an attempt and apply its outcome; the delivery as it now is (None if gone)."""
    store = state.store
    stamp = iso(now)
    with store.transaction():
        current = store.get("webhook_deliveries", delivery["id"])
        if current is None:
            return None
        store.insert("webhook_attempts", attempt)
        current.update(
            attempts=int(current["attempts"]) + 1,
            last_status=outcome.status,
            last_error=outcome.error,
            updated_at=stamp,
        )
        hook = store.get("webhooks", current["webhook"])
        if outcome.succeeded:
            if hook is not None and current["kind"] == EVENT:
                _recovered(state, hook, stamp)
            return _finish(state, current, stamp, {"state": DELIVERED, "delivered_at": stamp})
        if current["kind"] == TEST:
            return _fail(state, current, stamp, "test deliveries are sent once")
        if hook is None:
            return _fail(state, current, stamp, "the subscription was deleted")
        if outcome.status == 410:
            store.delete("webhooks", hook["id"])
            reason = "the receiver answered 410 Gone: the subscription was deleted"
            abandon(state, hook["id"], reason, stamp)
            return _fail(state, current, stamp, reason)
        if hook["state"] != "active":
            return _fail(state, current, stamp, "the subscription is disabled")
        current["next_attempt_at"] = iso(now + backoff(int(current["attempts"])))
        store.update("webhook_deliveries", current)
        if hook.get("retry_started_at") is None:
            store.update("webhooks", {**hook, "retry_started_at": stamp, "updated_at": stamp})
        elif overdue(state, hook, now):
            disable(state, hook, stamp)  # fails ``current`` with the rest
            return store.get("webhook_deliveries", current["id"])
        return current


def _recovered(state: SandboxState, hook: Record, stamp: str) -> None:
    """A success ends the retry cycle; the subscription's other waiting deliveries go now."""
    if hook.get("retry_started_at") is not None:
        state.store.update("webhooks", {**hook, "retry_started_at": None, "updated_at": stamp})
    for waiting in state.store.find(
        "webhook_deliveries",
        "webhook = ? AND state = ? AND next_attempt_at > ?",
        (hook["id"], PENDING, stamp),
    ):
        state.store.update("webhook_deliveries", {**waiting, "next_attempt_at": stamp})


def disable(state: SandboxState, hook: Record, stamp: str) -> None:
    """Retrying ran out: the subscription is disabled for good (facts §6.4)."""
    state.store.update("webhooks", {**hook, "state": "disabled", "updated_at": stamp})
    window = state.config.webhook_retry_window
    abandon(state, hook["id"], f"the subscription was disabled after retrying for {window}", stamp)


def overdue(state: SandboxState, hook: Record, now: datetime) -> bool:
    """Whether ``hook``'s retry cycle began more than the retry window before ``now``."""
    started = hook.get("retry_started_at")
    if not started:
        return False
    return now - parse_time(started, "retry_started_at") > state.config.webhook_retry_window


def expire(state: SandboxState, now: datetime) -> int:
    """Disable active subscriptions whose retry cycle began more than the window ago."""
    stamp = iso(now)
    disabled = 0
    for hook in state.store.find("webhooks", "state = 'active'"):
        if not overdue(state, hook, now):
            continue
        with state.store.transaction():
            fresh = state.store.get("webhooks", hook["id"])
            if fresh is not None and fresh["state"] == "active" and overdue(state, fresh, now):
                disable(state, fresh, stamp)
                disabled += 1
    return disabled
