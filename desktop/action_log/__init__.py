"""The local action log: every write the app makes, appended to SQLite as an audit trail."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, Unpack, cast

from desktop import paths, sqlite_file
from desktop.action_log import store
from desktop.action_log.records import (
    KNOWN_ACTIONS,
    OUTCOMES,
    ActionContext,
    ActionLogError,
    Entry,
    Filters,
    Outcome,
    PendingAction,
    SecretInDetails,
    check_action,
    check_details,
    context_values,
    outcome_of,
)
from desktop.action_log.store import BUSY_TIMEOUT_SECONDS, CSV_HEADER, SCHEMA_VERSION, csv_cell

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "CSV_HEADER",
    "FILE_NAME",
    "KNOWN_ACTIONS",
    "OUTCOMES",
    "SCHEMA_VERSION",
    "ActionContext",
    "ActionLog",
    "ActionLogError",
    "Entry",
    "Filters",
    "Outcome",
    "PendingAction",
    "SecretInDetails",
    "check_details",
    "csv_cell",
    "outcome_of",
]

logger = logging.getLogger(__name__)

FILE_NAME = "action-log.sqlite3"
_MESSAGE_MAX = 4000

T = TypeVar("T")


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
        self._file = sqlite_file.SerialConnection(
            self._open,
            closed=lambda: ActionLogError("the action log is closed"),
            failed=lambda error: ActionLogError(f"action log {self._path}: {error}"),
        )
        self._listeners: list[Callable[[Entry], None]] = []

    @property
    def path(self) -> Path | None:
        """The file, once known (the default is resolved when the log opens)."""
        return self._path

    async def open(self) -> None:
        """Open the file and create or migrate its schema (also done on first use)."""
        await self._run(lambda connection: None)

    async def close(self) -> None:
        await self._file.close()

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
        check_action(action)
        if outcome not in OUTCOMES:
            raise ValueError(f"not an outcome: {outcome!r}")
        details_json = check_details(details or {})
        at = store.stamp(self._clock())
        row = (
            at,
            *context_values(context),
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
                f"INSERT INTO actions ({store.COLUMNS.removeprefix('id, ')}, search) "
                f"VALUES ({', '.join('?' * (len(row) + 1))})",
                (*row, haystack),
            )
            return cast(int, cursor.lastrowid)

        entry = store.entry((await self._run(insert), *row))
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
        check_action(action)
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
        where, params = store.where(filters)
        if before_id is not None:
            where, params = f"{where} AND id < ?", [*params, before_id]
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        sql = f"SELECT {store.COLUMNS} FROM actions WHERE {where} ORDER BY id DESC LIMIT ?"
        params.append(-1 if limit is None else limit)
        return await self._run(lambda c: [store.entry(r) for r in c.execute(sql, params)])

    async def count(self, **filters: Unpack[Filters]) -> int:
        """How many entries match (the same filters as ``query``)."""
        where, params = store.where(filters)
        sql = f"SELECT COUNT(*) FROM actions WHERE {where}"
        return await self._run(lambda c: int(c.execute(sql, params).fetchone()[0]))

    async def export_csv(self, path: Path, **filters: Unpack[Filters]) -> int:
        """Write the matching entries (newest first) to ``path`` as CSV; the row count.

        UTF-8 with a BOM, a header row, details as JSON, formula-like cells neutralised; the
        file appears whole or not at all. Appends go on meanwhile (its own connection).
        """
        where, params = store.where(filters)
        sql = f"SELECT {store.COLUMNS} FROM actions WHERE {where} ORDER BY id DESC"
        await self.open()
        source = self._path
        assert source is not None  # resolved by open()
        try:
            return await asyncio.to_thread(store.write_csv, source, Path(path), sql, params)
        except sqlite3.Error as error:
            raise ActionLogError(f"action log {source}: {error}") from error

    # -- the worker thread --------------------------------------------------------------------
    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._file.run(work)

    def _open(self) -> sqlite3.Connection:
        if self._path is None:
            self._path = paths.data_dir() / FILE_NAME
        return store.open_file(self._path)
