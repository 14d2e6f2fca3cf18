"""Activity log entries on the wire (facts §3.17)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record


def entry(state: SandboxState, record: Record) -> dict[str, Any]:
    organization = state.uris.organization(record["organization"])
    return {
        "uri": state.uris.of("activity_log_entries", record["id"]),
        "occurred_at": record["occurred_at"],
        "namespace": record["namespace"],
        "action": record["action"],
        "fully_qualified_name": f"{record['namespace']}.{record['action']}",
        "organization": organization,
        "actor": {
            "uri": state.uris.user(record["actor"]),
            "type": "User",
            "organization": {"uri": organization, "role": record["actor_role"]},
            "display_name": record["actor_name"],
            "alternative_identifier": record["actor_email"],
        },
        "details": dict(record.get("details") or {}),
    }
