"""Webhook subscriptions on the wire (facts §3.12); the signing key is never rendered."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record


def webhook(state: SandboxState, record: Record) -> dict[str, Any]:
    uris = state.uris
    return {
        "uri": uris.of("webhook_subscriptions", record["id"]),
        "callback_url": record["callback_url"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "retry_started_at": record.get("retry_started_at"),
        "state": record["state"],
        "events": list(record["events"]),
        "scope": record["scope"],
        "organization": uris.organization(record["organization"]),
        "user": uris.optional("users", record.get("user")),
        "group": uris.optional("groups", record.get("group_id")),
        "creator": uris.optional("users", record.get("creator")),
    }
