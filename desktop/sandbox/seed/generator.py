"""Generate the demo organization from a seed: same inputs, byte-identical tables."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from desktop.sandbox.seed.activity import make_activity
from desktop.sandbox.seed.context import TABLE_NAMES, Seeder
from desktop.sandbox.seed.event_types import make_event_types
from desktop.sandbox.seed.events import EventMaker
from desktop.sandbox.seed.forms import make_forms
from desktop.sandbox.seed.people import make_people
from desktop.sandbox.seed.schedules import Grid, make_busy_blocks, make_schedules
from desktop.sandbox.seed.teams import make_teams
from desktop.sandbox.seed.webhooks import make_webhooks
from desktop.sandbox.store import Store


@dataclass(frozen=True)
class SeedSummary:
    """What the seed made, for the CLI, tests and the control surface."""

    seed: int
    organization: str
    owner: str
    admins: list[str]
    users: list[str]
    groups: list[str] = field(default_factory=list)
    anchor: str = ""  # the UTC day everything was placed around (YYYY-MM-DD)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table

    def save(self, store: Store) -> None:
        store.delete("meta", "seed")
        store.insert("meta", {"id": "seed", "summary": asdict(self)})

    @classmethod
    def load(cls, store: Store) -> SeedSummary:
        record = store.get("meta", "seed")
        if record is None:
            raise LookupError("the store was never seeded")
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in record["summary"].items() if k in known})


def generate(
    store: Store, *, seed: int, members: int, events: int, anchor: datetime
) -> SeedSummary:
    """Fill every table of an empty ``store`` (the caller holds the transaction)."""
    seeder = Seeder(seed, anchor)
    people = make_people(seeder, members)
    grid = Grid(seeder.day)
    offerings = make_event_types(seeder, people)
    availability = make_schedules(seeder, people, grid)
    make_busy_blocks(seeder, people, availability)
    EventMaker(seeder, people, offerings, availability).make(max(0, events))
    make_forms(seeder, people.organization, offerings, events)
    make_webhooks(seeder, people)
    make_teams(seeder, people.organization)
    make_activity(seeder, people)  # last: it reads the rows above
    with store.transaction():
        for table in TABLE_NAMES:
            store.insert_many(table, seeder.rows[table])
    summary = SeedSummary(
        seed=seed,
        organization=people.organization,
        owner=people.owner.id,
        admins=[m.id for m in people.admins],
        users=[m.id for m in people.members if m.role == "user"],
        groups=[str(g["id"]) for g in people.groups],
        anchor=seeder.day.date().isoformat(),
        counts={table: len(seeder.rows[table]) for table in TABLE_NAMES},
    )
    summary.save(store)
    return summary
