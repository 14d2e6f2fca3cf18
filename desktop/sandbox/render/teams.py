"""Teams on the wire (facts §3.5)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record


def team(state: SandboxState, record: Record) -> dict[str, Any]:
    return {
        "uri": state.uris.of("teams", record["id"]),
        "name": record["name"],
        "organization": state.uris.organization(record["organization"]),
        "scheduling_url": f"{state.base_url}/team/{record['slug']}",
    }
