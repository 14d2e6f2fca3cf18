"""The local action log: every write the app makes, appended to SQLite as an audit trail."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import dataclasses
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypedDict, TypeVar, Unpack, cast

from desktop import paths
from desktop.api.errors import (
    APIStatusError,
    BookingUnconfirmed,
    ConnectionFailed,
    MalformedResponse,
)

logger = logging.getLogger(__name__)

FILE_NAME = "action-log.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 15.0  # another window may hold the write lock for a moment

Outcome: TypeAlias = Literal["ok", "failed", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("ok", "failed", "unknown")
# The codes the app writes; the log accepts any code shaped like these (``noun.verb``).
KNOWN_ACTIONS: tuple[str, ...] = (
    "event.cancel",
    "invitation.create",
    "invitation.revoke",
    "membership.remove",
    "no_show.create",
    "no_show.delete",
    "scheduling_link.create",
    "webhook.create",
    "webhook.delete",
    "invitee.book",
)
_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# Keys that name credentials, compared lower-case with everything but letters and digits gone.
_SECRET_WORDS = ("token", "secret", "signingkey", "password", "passwd", "authorization", "apikey")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width: text order is time order
_MESSAGE_MAX = 4000

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

_COLUMNS = (
    "id, at, profile_id, profile_name, environment, organization_uri, organization_name, "
    "actor_uri, actor_name, action, target_uri, target_label, details, outcome, status, message"
)
# The CSV's columns: the table's, with the JSON details last.
CSV_HEADER: tuple[str, ...] = (
    *(name.strip() for name in _COLUMNS.split(",") if name.strip() != "details"),
    "details",
)

_DETAILS = 12  # the details' index in a row of _COLUMNS

T = TypeVar("T")


class Filters(TypedDict, total=False):
    """Which entries ``query``, ``count`` and ``export_csv`` take (all by default).

    ``text`` matches any part of an entry, ignoring case; ``since`` is inclusive, ``until``
    exclusive (aware datetimes); an empty ``actions``/``outcomes`` matches nothing.
    """

    organization_uri: str | None
    profile_id: str | None
    actions: Iterable[str] | None
    outcomes: Iterable[Outcome] | None
    text: str | None
    since: datetime | None
    until: datetime | None


class ActionLogError(Exception):
    """The log could not be opened, read or written (disk full, not a log, newer version)."""


class SecretInDetails(ValueError):
    """An entry's details name a credential; the log never stores tokens or keys."""

    def __init__(self, key: str) -> None:
        super().__init__(f"action details may not carry credentials (key {key!r})")
        self.key = key


@dataclass(frozen=True)
class ActionContext:
    """Who acts, through which profile, on which organization."""

    profile_id: str
    profile_name: str
    environment: str
    organization_uri: str
    organization_name: str
    actor_uri: str
    actor_name: str


@dataclass(frozen=True)
class Entry:
    """One logged write and Calendly's answer to it."""

    id: int
    at: datetime  # aware, UTC
    profile_id: str
    profile_name: str
    environment: str
    organization_uri: str
    organization_name: str
    actor_uri: str
    actor_name: str
    action: str
    target_uri: str | None
    target_label: str
    details: dict[str, Any] = field(hash=False)
    outcome: Outcome
    status: int | None
    message: str

    @property
    def context(self) -> ActionContext:
        return ActionContext(*dataclasses.astuple(self)[2:9])


@dataclass
class PendingAction:
    """What ``ActionLog.recording`` will log; the block may fill in what the write learns.

    Set ``target_uri`` (e.g. the created resource), ``target_label``, ``details``, ``status``
    or ``message`` inside the block. Afterwards ``entry`` is the logged entry, or None with
    ``log_error`` set when the log itself failed.
    """

    context: ActionContext
    action: str
    target_uri: str | None
    target_label: str
    details: dict[str, Any]
    status: int | None = None
    message: str = ""
    entry: Entry | None = None
    log_error: Exception | None = None


def outcome_of(error: BaseException) -> tuple[Outcome, int | None, str]:
    """How a write that raised ``error`` ended: failed, or unknown when it may have happened."""
    if isinstance(error, APIStatusError):
        problems = "; ".join(
            f"{p.parameter}: {p.message}" if p.parameter else p.message for p in error.details
        )
        text = f"{error.title}: {error.message}" + (f" ({problems})" if problems else "")
        return "failed", error.status, text
    if isinstance(error, BookingUnconfirmed | MalformedResponse):
        return "unknown", None, error.message  # Calendly acted, or may have
    if isinstance(error, ConnectionFailed):
        return ("unknown" if error.sent else "failed"), None, error.message
    if isinstance(error, asyncio.CancelledError):
        return "unknown", None, "Stopped before Calendly's answer arrived"
    return "failed", None, f"{type(error).__name__}: {error}"


def check_details(details: dict[str, Any]) -> str:
    """``details`` as JSON; ``SecretInDetails`` if a key names a credential, TypeError/ValueError
    if it is not plain JSON."""
    for key in _keys(details):
        folded = re.sub(r"[^a-z0-9]", "", key.lower())
        if any(word in folded for word in _SECRET_WORDS):
            raise SecretInDetails(key)
    return json.dumps(details, ensure_ascii=False, allow_nan=False, sort_keys=True)


def _keys(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"action details keys must be strings, not {key!r}")
            yield key
            yield from _keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _keys(item)


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading = + - @ (a formula) gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _check_action(action: str) -> None:
    if not _ACTION.match(action) or len(action) > 64:
        raise ValueError(f"not an action code (noun.verb): {action!r}")


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times in the action log must be timezone-aware")
    return moment.astimezone(UTC).strftime(_STAMP)


class ActionLog:
    """The log file; every method runs its SQLite work on a worker thread.

    ``path`` defaults to ``action-log.sqlite3`` in the app's data directory. Several
    instances (app windows) may append to one file; each has one connection, opened on
    first use. ``clock`` gives the time of each entry.
    """

    def __init__(
        self, path: Path | None = None, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._path = path
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._closed = False
        self._listeners: list[Callable[[Entry], None]] = []

    @property
    def path(self) -> Path | None:
        """The file, once known (the default is resolved when the log opens)."""
        return self._path

    async def open(self) -> None:
        """Open the file and create or migrate its schema (also done on first use)."""
        await self._run(lambda connection: None)

    async def close(self) -> None:
        await asyncio.to_thread(self._close)

    async def __aenter__(self) -> ActionLog:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def add_listener(self, listener: Callable[[Entry], None]) -> None:
        """Call ``listener`` (on the event loop) with each entry this instance records."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[Entry], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    # -- writing ------------------------------------------------------------------------------
    async def record(
        self,
        context: ActionContext,
        action: str,
        target_uri: str | None,
        target_label: str,
        details: dict[str, Any] | None = None,
        outcome: Outcome = "ok",
        status: int | None = None,
        message: str = "",
    ) -> Entry:
        """Append one entry and return it (``SecretInDetails`` if the details name a secret)."""
        _check_action(action)
        if outcome not in OUTCOMES:
            raise ValueError(f"not an outcome: {outcome!r}")
        details_json = check_details(details or {})
        at = _stamp(self._clock())
        row = (
            at,
            *dataclasses.astuple(context),
            action,
            target_uri,
            target_label,
            details_json,
            outcome,
            status,
            message[:_MESSAGE_MAX],
        )
        haystack = " ".join(str(v) for v in row[1:] if isinstance(v, str)).casefold()

        def insert(connection: sqlite3.Connection) -> int:
            cursor = connection.execute(
                f"INSERT INTO actions ({_COLUMNS.removeprefix('id, ')}, search) "
                f"VALUES ({', '.join('?' * (len(row) + 1))})",
                (*row, haystack),
            )
            return cast(int, cursor.lastrowid)

        entry = _entry((await self._run(insert), *row))
        for listener in list(self._listeners):
            try:
                listener(entry)
            except Exception:
                logger.exception("An action log listener failed")
        return entry

    @contextlib.asynccontextmanager
    async def recording(
        self,
        context: ActionContext,
        action: str,
        target_uri: str | None,
        target_label: str,
        details: dict[str, Any] | None = None,
    ) -> AsyncIterator[PendingAction]:
        """Log the write done inside ``async with ... as pending``: ok, failed (refused, or
        never sent) or unknown (it may have happened). Keep only the write inside the block;
        its error always propagates unchanged, even when the log itself fails."""
        _check_action(action)
        pending = PendingAction(context, action, target_uri, target_label, dict(details or {}))
        check_details(pending.details)  # refuse a secret before the write, not after it
        try:
            yield pending
        except (Exception, asyncio.CancelledError) as error:
            await self._settle(pending, *outcome_of(error))
            raise
        await self._settle(pending, "ok", pending.status, pending.message)

    async def _settle(
        self, pending: PendingAction, outcome: Outcome, status: int | None, message: str
    ) -> None:
        """Log how ``pending`` ended; a failing log is reported, never raised over the write's
        own result (a done write must not look failed, a failed one keeps its error). Only a
        cancellation of the caller passes through."""
        try:
            pending.entry = await self.record(
                pending.context,
                pending.action,
                pending.target_uri,
                pending.target_label,
                pending.details,
                outcome,
                status,
                message,
            )
        except Exception as error:
            pending.log_error = error
            logger.warning(
                "Could not record %s (%s) in the action log: %r", pending.action, outcome, error
            )

    # -- reading ------------------------------------------------------------------------------
    async def query(
        self, *, limit: int | None = 500, before_id: int | None = None, **filters: Unpack[Filters]
    ) -> list[Entry]:
        """Matching entries, newest first; page on with ``before_id`` = the last entry's id."""
        where, params = _where(filters)
        if before_id is not None:
            where, params = f"{where} AND id < ?", [*params, before_id]
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        sql = f"SELECT {_COLUMNS} FROM actions WHERE {where} ORDER BY id DESC LIMIT ?"
        params.append(-1 if limit is None else limit)
        return await self._run(lambda c: [_entry(r) for r in c.execute(sql, params)])

    async def count(self, **filters: Unpack[Filters]) -> int:
        """How many entries match (the same filters as ``query``)."""
        where, params = _where(filters)
        sql = f"SELECT COUNT(*) FROM actions WHERE {where}"
        return await self._run(lambda c: int(c.execute(sql, params).fetchone()[0]))

    async def export_csv(self, path: Path, **filters: Unpack[Filters]) -> int:
        """Write the matching entries (newest first) to ``path`` as CSV; the row count.

        UTF-8 with a BOM, a header row, details as JSON, formula-like cells neutralised; the
        file appears whole or not at all. Appends go on meanwhile (its own connection).
        """
        where, params = _where(filters)
        sql = f"SELECT {_COLUMNS} FROM actions WHERE {where} ORDER BY id DESC"
        await self.open()
        source = self._path
        assert source is not None  # resolved by open()
        try:
            return await asyncio.to_thread(_write_csv, source, Path(path), sql, params)
        except sqlite3.Error as error:
            raise ActionLogError(f"action log {source}: {error}") from error

    # -- the worker thread --------------------------------------------------------------------
    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.to_thread(self._locked, work)

    def _locked(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            if self._closed:
                raise ActionLogError("the action log is closed")
            try:
                if self._connection is None:
                    self._connection = self._open()
                return work(self._connection)
            except (sqlite3.Error, OSError) as error:
                raise ActionLogError(f"action log {self._path}: {error}") from error

    def _open(self) -> sqlite3.Connection:
        if self._path is None:
            self._path = paths.data_dir() / FILE_NAME
        self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(self._path)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            _migrate(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit: each INSERT is its own transaction; the lock keeps the connection to one
    # thread at a time.
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )


def _migrate(connection: sqlite3.Connection) -> None:
    def version() -> int:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])

    if version() == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")  # another window may be migrating the same file
    try:
        found = version()
        if found > SCHEMA_VERSION:
            raise ActionLogError(
                f"the action log was written by a newer version (schema {found}); "
                "update the app to open it"
            )
        for statements in _MIGRATIONS[found:]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _where(filters: Filters) -> tuple[str, list[object]]:
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
        add("at >= ?", _stamp(since))
    if (until := filters.get("until")) is not None:
        add("at < ?", _stamp(until))
    return " AND ".join(clauses), params


def _entry(row: tuple[Any, ...]) -> Entry:
    values = list(row)
    values[1] = datetime.strptime(values[1], _STAMP).replace(tzinfo=UTC)
    values[_DETAILS] = json.loads(values[_DETAILS])
    return Entry(*values)


def _write_csv(source: Path, target: Path, sql: str, params: list[object]) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    rows = 0
    try:
        connection = _connect(source)
        try:
            with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow(CSV_HEADER)
                for row in connection.execute(sql, params):
                    ordered = (*row[:_DETAILS], *row[_DETAILS + 1 :], row[_DETAILS])
                    writer.writerow([csv_cell(value) for value in ordered])
                    rows += 1
        finally:
            connection.close()
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise
    return rows
