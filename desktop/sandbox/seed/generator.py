"""Generate the demo organization from a seed (minimal first version: org and members)."""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from desktop.sandbox.store import Store
from desktop.sandbox.wire import iso

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True)
class SeedSummary:
    """What the seed made, for the CLI, tests and the control surface."""

    seed: int
    organization: str
    owner: str
    admins: list[str]
    users: list[str]

    def save(self, store: Store) -> None:
        store.insert("meta", {"id": "seed", "summary": asdict(self)})

    @classmethod
    def load(cls, store: Store) -> SeedSummary:
        record = store.get("meta", "seed")
        if record is None:
            raise LookupError("the store was never seeded")
        return cls(**record["summary"])


def generate(store: Store, *, seed: int, members: int, events: int, anchor: datetime) -> SeedSummary:
    rng = random.Random(seed)

    def ident() -> str:
        return "".join(rng.choice(ALPHABET) for _ in range(16))

    day = anchor.replace(hour=0, minute=0, second=0, microsecond=0)
    created = iso(day - timedelta(days=400))
    org_id = ident()
    store.insert("organizations", {
        "id": org_id, "name": "Acme Demo", "plan": "enterprise", "stage": "paid",
        "kind": "multiple", "created_at": created, "updated_at": created,
    })
    users: list[str] = []
    admins: list[str] = []
    owner = ""
    for index in range(max(members, 3)):
        user_id = ident()
        role = "owner" if index == 0 else ("admin" if index < 3 else "user")
        email = f"member{index}@acme.example"
        store.insert("users", {
            "id": user_id, "organization": org_id, "name": f"Member {index}",
            "slug": f"member-{index}", "email": email, "timezone": "America/New_York",
            "avatar_url": None, "locale": "en", "time_notation": "12h",
            "created_at": created, "updated_at": created,
        })
        store.insert("memberships", {
            "id": ident(), "organization": org_id, "user": user_id, "role": role,
            "email": email, "created_at": created, "updated_at": created,
        })
        if role == "owner":
            owner = user_id
        elif role == "admin":
            admins.append(user_id)
        else:
            users.append(user_id)
    summary = SeedSummary(seed, org_id, owner, admins, users)
    summary.save(store)
    json.dumps(asdict(summary))
    return summary
