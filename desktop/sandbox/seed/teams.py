"""Teams: one per ``profile_name`` of the Team-profile event types, in the order they appear."""

from __future__ import annotations

from desktop.sandbox.render.event_types import slugify
from desktop.sandbox.seed.context import Seeder


def make_teams(seeder: Seeder, organization: str) -> None:
    """A team for each Team profile, created with its first event type."""
    first: dict[str, str] = {}
    for record in seeder.rows["event_types"]:
        if record["profile_type"] == "Team":
            name = str(record["profile_name"])
            first[name] = min(first.get(name, record["created_at"]), record["created_at"])
    for name, created in first.items():
        seeder.add(
            "teams",
            {
                "id": seeder.ident(),
                "organization": organization,
                "name": name,
                "slug": slugify(name),
                "created_at": created,
                "updated_at": created,
            },
        )
