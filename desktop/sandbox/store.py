"""SQLite storage: one table per resource, indexed columns for filters, the record as JSON.

Records are plain dicts holding ids (never URIs, which depend on the serving host and port);
the renderers turn them into Calendly's wire format. A file database keeps the demo
organization across restarts; tests use ``:memory:``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Record = dict[str, Any]

# table -> columns copied out of the record for WHERE / ORDER BY (besides ``id``).
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("created_at",),
    "users": ("email", "slug", "organization", "created_at"),
    "memberships": ("organization", "user", "role", "email", "created_at"),
    "invitations": ("organization", "email", "status", "created_at"),
    "groups": ("organization", "name", "created_at"),
    "group_relationships": (
        "organization",
        "group_id",
        "owner",
        "owner_type",
        "role",
        "created_at",
    ),
    "event_types": (
        "organization",
        "owner",
        "active",
        "admin_managed",
        "name",
        "position",
        "slug",
        "created_at",
        "updated_at",
    ),
    "event_type_hosts": ("event_type", "user", "created_at"),
    "availability_schedules": ("user", "is_default"),
    "busy_blocks": ("user", "start_time", "end_time"),
    "scheduled_events": (
        "organization",
        "event_type",
        "status",
        "start_time",
        "end_time",
        "created_at",
    ),
    "event_hosts": ("event", "user", "start_time"),
    "invitees": ("event", "email", "status", "created_at"),
    "no_shows": ("invitee", "created_at"),
    "routing_forms": ("organization", "created_at"),
    "routing_submissions": ("routing_form", "created_at"),
    "webhooks": (
        "organization",
        "scope",
        "user",
        "group_id",
        "callback_url",
        "state",
        "created_at",
    ),
    "scheduling_links": ("event_type", "slug", "created_at"),
    "activity_log": (
        "organization",
        "occurred_at",
        "namespace",
        "action",
        "actor",
        "actor_name",
        "search",
    ),
    "event_type_schedules": ("event_type", "user"),
    "teams": ("organization", "name", "created_at"),
    "tokens": ("user", "kind", "created_at"),
    # webhook delivery: one row per (subscription, event) to deliver, one per HTTP attempt
    "webhook_deliveries": ("webhook", "state", "next_attempt_at", "created_at"),
    "webhook_attempts": ("webhook", "delivery", "created_at"),
    # OAuth server
    "oauth_clients": ("kind", "created_at"),
    "oauth_codes": ("client_id", "user", "expires_at"),
    "refresh_tokens": ("user", "client_id", "created_at"),
    "meta": (),
}

_INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_events_org_start ON scheduled_events(organization, start_time)",
    "CREATE INDEX IF NOT EXISTS ix_event_hosts_user ON event_hosts(user, start_time)",
    "CREATE INDEX IF NOT EXISTS ix_event_hosts_event ON event_hosts(event)",
    "CREATE INDEX IF NOT EXISTS ix_invitees_event ON invitees(event, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_invitees_email ON invitees(email)",
    "CREATE INDEX IF NOT EXISTS ix_memberships_org ON memberships(organization, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_memberships_user ON memberships(user)",
    "CREATE INDEX IF NOT EXISTS ix_event_types_org ON event_types(organization, name)",
    "CREATE INDEX IF NOT EXISTS ix_event_types_owner ON event_types(owner)",
    "CREATE INDEX IF NOT EXISTS ix_et_hosts ON event_type_hosts(event_type, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_et_hosts_user ON event_type_hosts(user)",
    "CREATE INDEX IF NOT EXISTS ix_busy_user ON busy_blocks(user, start_time)",
    "CREATE INDEX IF NOT EXISTS ix_webhooks_org ON webhooks(organization, scope)",
    "CREATE INDEX IF NOT EXISTS ix_submissions ON routing_submissions(routing_form, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_activity_org ON activity_log(organization, occurred_at)",
]


class Store:
    """A thread-safe SQLite store; every call holds one re-entrant lock."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._depth = 0
        self._create()

    def _create(self) -> None:
        with self.lock:
            for table, columns in TABLES.items():
                cols = "".join(f", {name}" for name in columns)
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY{cols}, data TEXT)"
                )
            for statement in _INDEXES:
                self._db.execute(statement)

    def close(self) -> None:
        with self.lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all (nesting joins the outer one)."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    def clear(self) -> None:
        with self.transaction():
            for table in TABLES:
                self._db.execute(f"DELETE FROM {table}")

    # -- records ---------------------------------------------------------------------------
    @staticmethod
    def _row(table: str, record: Record) -> tuple[Any, ...]:
        columns = TABLES[table]
        return (record["id"], *(record.get(name) for name in columns), json.dumps(record))

    def insert(self, table: str, record: Record) -> Record:
        self.insert_many(table, [record])
        return record

    def insert_many(self, table: str, records: Iterable[Record]) -> None:
        columns = ("id", *TABLES[table], "data")
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        with self.lock:
            self._db.executemany(sql, (self._row(table, r) for r in records))

    def update(self, table: str, record: Record) -> Record:
        columns = (*TABLES[table], "data")
        sets = ", ".join(f"{name} = ?" for name in columns)
        row = self._row(table, record)
        with self.lock:
            self._db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*row[1:], row[0]))
        return record

    def delete(self, table: str, ident: str) -> None:
        with self.lock:
            self._db.execute(f"DELETE FROM {table} WHERE id = ?", (ident,))

    def delete_where(self, table: str, where: str, params: Sequence[Any] = ()) -> None:
        with self.lock:
            self._db.execute(f"DELETE FROM {table} WHERE {where}", tuple(params))

    def get(self, table: str, ident: str) -> Record | None:
        with self.lock:
            row = self._db.execute(f"SELECT data FROM {table} WHERE id = ?", (ident,)).fetchone()
        return None if row is None else json.loads(row[0])

    def find(
        self,
        table: str,
        where: str = "1",
        params: Sequence[Any] = (),
        order: str = "id",
        limit: int | None = None,
    ) -> list[Record]:
        sql = f"SELECT data FROM {table} WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self.lock:
            rows = self._db.execute(sql, tuple(params)).fetchall()
        return [json.loads(row[0]) for row in rows]

    def find_one(self, table: str, where: str, params: Sequence[Any] = ()) -> Record | None:
        found = self.find(table, where, params, limit=1)
        return found[0] if found else None

    def count(self, table: str, where: str = "1", params: Sequence[Any] = ()) -> int:
        with self.lock:
            row = self._db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", tuple(params))
            return int(row.fetchone()[0])

    def scalars(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.lock:
            return [row[0] for row in self._db.execute(sql, tuple(params)).fetchall()]
