"""An SQLite file used from async code: connect, versioned schema, one call at a time."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

BUSY_TIMEOUT_SECONDS = 15.0  # another window may hold the write lock for a moment
MEMORY = ":memory:"

T = TypeVar("T")

# One list of statements per schema version; entry ``n`` migrates from version ``n``.
Migrations = Sequence[Sequence[str]]


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit (each statement its own transaction), usable from any thread:
    the caller keeps it to one thread at a time."""
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )


def migrate(
    connection: sqlite3.Connection,
    migrations: Migrations,
    newer: Callable[[int], Exception],
) -> None:
    """Create or bring the schema up to ``len(migrations)``; ``newer(found)`` is raised when the
    file's schema is newer than that."""
    latest = len(migrations)

    def version() -> int:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])

    if version() == latest:
        return
    connection.execute("BEGIN IMMEDIATE")  # another window may be migrating the same file
    try:
        found = version()
        if found > latest:
            raise newer(found)
        for statements in migrations[found:]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {latest}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def open_file(
    path: Path | str, migrations: Migrations, newer: Callable[[int], Exception]
) -> sqlite3.Connection:
    """Connect to ``path`` (a file, created with its folder, in WAL mode; or ``":memory:"``)
    and migrate its schema."""
    if str(path) != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = connect(path)
    try:
        if str(path) != MEMORY:
            connection.execute("PRAGMA journal_mode = WAL")
        migrate(connection, migrations, newer)
    except BaseException:
        connection.close()
        raise
    return connection


class SerialConnection:
    """One connection, opened on first use, running each call's work on a worker thread while
    the others wait: the event loop never blocks on SQLite.

    ``opener`` makes the connection; ``closed()`` is raised once closed; ``failed(error)`` is
    raised in place of an SQLite or OS error.
    """

    def __init__(
        self,
        opener: Callable[[], sqlite3.Connection],
        *,
        closed: Callable[[], Exception],
        failed: Callable[[sqlite3.Error | OSError], Exception],
    ) -> None:
        self._opener = opener
        self._closed_error = closed
        self._failed_error = failed
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)``, on a worker thread, alone."""
        return await asyncio.to_thread(self._locked, work)

    async def close(self) -> None:
        await asyncio.to_thread(self._close)

    def _locked(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            if self._closed:
                raise self._closed_error()
            try:
                if self._connection is None:
                    self._connection = self._opener()
                return work(self._connection)
            except (sqlite3.Error, OSError) as error:
                raise self._failed_error(error) from error

    def _close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None
