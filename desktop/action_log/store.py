"""The action log's SQLite file: schema and migrations, filters as SQL, rows, the CSV export."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop import atomic_file, sqlite_file
from desktop.action_log.records import ActionLogError, Entry, Filters

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = sqlite_file.BUSY_TIMEOUT_SECONDS

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width: text order is time order

# One list of statements per schema version; entry ``n`` migrates from version ``n``.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            profile_id TEXT NOT NULL,
            profile_name TEXT NOT NULL,
            environment TEXT NOT NULL,
            organization_uri TEXT NOT NULL,
            organization_name TEXT NOT NULL,
            actor_uri TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            target_uri TEXT,
            target_label TEXT NOT NULL,
            details TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'unknown')),
            status INTEGER,
            message TEXT NOT NULL,
            search TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS actions_by_org ON actions (organization_uri, id)",
        "CREATE INDEX IF NOT EXISTS actions_by_profile ON actions (profile_id, id)",
        "CREATE INDEX IF NOT EXISTS actions_by_time ON actions (at)",
    ),
)
assert len(_MIGRATIONS) == SCHEMA_VERSION

COLUMNS = (
    "id, at, profile_id, profile_name, environment, organization_uri, organization_name, "
    "actor_uri, actor_name, action, target_uri, target_label, details, outcome, status, message"
)
_NAMES: tuple[str, ...] = tuple(name.strip() for name in COLUMNS.split(","))
# The CSV's columns: the table's, with the JSON details last.
CSV_HEADER: tuple[str, ...] = (*(name for name in _NAMES if name != "details"), "details")

_DETAILS = _NAMES.index("details")  # the details' index in a row of COLUMNS


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading = + - @ (a formula) gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def stamp(moment: datetime) -> str:
    """``moment`` as the log stores it (UTC, fixed width); ValueError if it is naive."""
    if moment.tzinfo is None:
        raise ValueError("times in the action log must be timezone-aware")
    return moment.astimezone(UTC).strftime(_STAMP)


def open_file(path: Path) -> sqlite3.Connection:
    """A connection to the log at ``path`` (created with its folder), its schema up to
    ``SCHEMA_VERSION`` (ActionLogError if it is newer)."""
    return sqlite_file.open_file(path, _MIGRATIONS, _newer)


def _newer(found: int) -> ActionLogError:
    return ActionLogError(
        f"the action log was written by a newer version (schema {found}); update the app to open it"
    )


def where(filters: Filters) -> tuple[str, list[object]]:
    """``filters`` as an SQL condition and its parameters."""
    clauses: list[str] = ["1"]
    params: list[object] = []

    def add(clause: str, *values: object) -> None:
        clauses.append(clause)
        params.extend(values)

    if (organization := filters.get("organization_uri")) is not None:
        add("organization_uri = ?", organization)
    if (profile := filters.get("profile_id")) is not None:
        add("profile_id = ?", profile)
    for column, chosen in (
        ("action", filters.get("actions")),
        ("outcome", filters.get("outcomes")),
    ):
        if chosen is not None:
            values: list[str] = list(dict.fromkeys(chosen))
            add(f"{column} IN ({', '.join('?' * len(values))})" if values else "0", *values)
    if (text := filters.get("text")) and text.strip():
        add("instr(search, ?) > 0", text.strip().casefold())
    if (since := filters.get("since")) is not None:
        add("at >= ?", stamp(since))
    if (until := filters.get("until")) is not None:
        add("at < ?", stamp(until))
    return " AND ".join(clauses), params


def entry(row: tuple[Any, ...]) -> Entry:
    """The ``Entry`` of a row of ``COLUMNS``."""
    values = dict(zip(_NAMES, row, strict=True))
    values["at"] = datetime.strptime(values["at"], _STAMP).replace(tzinfo=UTC)
    values["details"] = json.loads(values["details"])
    return Entry(**values)


def write_csv(source: Path, target: Path, sql: str, params: list[object]) -> int:
    """Write the rows ``sql`` selects from ``source`` to ``target`` whole (or not at all)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with atomic_file.replacing_text(
        target, encoding="utf-8-sig", newline="", suffix=".part"
    ) as stream:
        connection = sqlite_file.connect(source)
        try:
            writer = csv.writer(stream)
            writer.writerow(CSV_HEADER)
            for row in connection.execute(sql, params):
                ordered = (*row[:_DETAILS], *row[_DETAILS + 1 :], row[_DETAILS])
                writer.writerow([csv_cell(value) for value in ordered])
                rows += 1
        finally:
            connection.close()
    return rows
