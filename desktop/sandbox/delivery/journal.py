"""Reading back deliveries and attempts (control surface and Python API), in a JSON-ready form."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record


def webhook_id(state: SandboxState, value: str) -> str:
    """A subscription id from its id or its URI (``.../webhook_subscriptions/<id>``)."""
    text = value.strip().rstrip("/")
    if "/" in text:
        return state.uris.parse(text, "webhook_subscriptions", "webhook")
    return text


def _where(
    webhook: str | None, event: str | None, state_value: str | None = None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if webhook is not None:
        clauses.append("webhook = ?")
        params.append(webhook)
    if event is not None:
        clauses.append("json_extract(data, '$.event') = ?")
        params.append(event)
    if state_value is not None:
        clauses.append("state = ?")
        params.append(state_value)
    return " AND ".join(clauses) or "1", params


def attempts(
    state: SandboxState, webhook: str | None = None, event: str | None = None
) -> list[Record]:
    """Stored attempts, oldest first, optionally of one subscription (id) and event."""
    where, params = _where(webhook, event)
    return state.store.find("webhook_attempts", where, params, order="id")


def deliveries(
    state: SandboxState,
    webhook: str | None = None,
    event: str | None = None,
    status: str | None = None,
) -> list[Record]:
    """Stored deliveries, oldest first, optionally filtered."""
    where, params = _where(webhook, event, status)
    return state.store.find("webhook_deliveries", where, params, order="id")


def attempt_view(state: SandboxState, record: Record) -> dict[str, Any]:
    """An attempt with the subscription as a URI (the request body is the exact text sent)."""
    return {
        "id": record["id"],
        "webhook": state.uris.of("webhook_subscriptions", record["webhook"]),
        "delivery": record["delivery"],
        "event": record["event"],
        "url": record["url"],
        "attempt": record["attempt"],
        "request_headers": dict(record["request_headers"]),
        "request_body": record["request_body"],
        "status": record["status"],
        "error": record["error"],
        "response_body": record["response_body"],
        "succeeded": record["succeeded"],
        "created_at": record["created_at"],
    }


def delivery_view(state: SandboxState, record: Record) -> dict[str, Any]:
    """A delivery with the subscription as a URI."""
    return {
        "id": record["id"],
        "webhook": state.uris.of("webhook_subscriptions", record["webhook"]),
        "event": record["event"],
        "kind": record["kind"],
        "state": record["state"],
        "attempts": record["attempts"],
        "next_attempt_at": record["next_attempt_at"],
        "last_status": record["last_status"],
        "last_error": record["last_error"],
        "reason": record["reason"],
        "delivered_at": record["delivered_at"],
        "body": record["body"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }
