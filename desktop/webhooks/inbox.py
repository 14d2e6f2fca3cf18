"""The receiver's inbox: every delivery that reached the local receiver, kept in SQLite."""

from __future__ import annotations

import contextlib
import enum
import json
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from desktop import sqlite_file
from desktop.webhooks.bodies import describe
from desktop.webhooks.http11 import first_header
from desktop.webhooks.signature import Status, Verification

SCHEMA_VERSION = 1
MEMORY = sqlite_file.MEMORY
_STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width: text order is time order

# One list of statements per schema version; entry ``n`` migrates from version ``n``.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            remote TEXT NOT NULL,
            event TEXT,
            summary TEXT NOT NULL,
            verdict TEXT NOT NULL,
            reason TEXT NOT NULL,
            signed_at INTEGER,
            answered INTEGER,
            search TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS deliveries_by_event ON deliveries (event, id)",
        "CREATE INDEX IF NOT EXISTS deliveries_by_verdict ON deliveries (verdict, id)",
    ),
)
assert len(_MIGRATIONS) == SCHEMA_VERSION

_COLUMNS = (
    "id, received_at, method, path, headers, body, remote, event, summary, verdict, reason, "
    "signed_at, answered"
)
_NAMES = tuple(name.strip() for name in _COLUMNS.split(","))

T = TypeVar("T")


class InboxError(Exception):
    """The inbox file cannot be opened, read or written (the message says which and why)."""


class Verdict(enum.Enum):
    """What the receiver made of a request: a signature status, or refused unread."""

    VALID = Status.VALID.value
    INVALID = Status.INVALID.value
    EXPIRED = Status.EXPIRED.value
    UNSIGNED = Status.UNSIGNED.value
    MALFORMED = Status.MALFORMED.value
    NO_KEY = Status.NO_KEY.value
    REJECTED = "rejected"  # not a POST, too large or unreadable: never verified

    @classmethod
    def of(cls, verification: Verification) -> Verdict:
        return cls(verification.status.value)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One request to the receiver, as it arrived, with what the receiver made of it."""

    id: int
    received_at: datetime  # aware, UTC
    method: str
    path: str  # the request target, query included
    headers: tuple[tuple[str, str], ...]  # in order, names as sent
    body: bytes
    remote: str  # the sender's host:port
    event: str | None  # the envelope's "event", when the body is Calendly-shaped JSON
    summary: str  # who or what the payload is about, e.g. "Ada <ada@example.com> · Intro call"
    verdict: Verdict
    reason: str  # a sentence explaining the verdict
    signed_at: datetime | None  # the signature's t=, when it had one
    answered: int | None  # the HTTP status the receiver answered

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), or None."""
        return first_header(self.headers, name)


class Inbox:
    """The deliveries file; every method runs its SQLite work on a worker thread, one at a time.

    ``path`` is a file (created with its folder) or ``":memory:"``.
    """

    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        self._file = sqlite_file.SerialConnection(
            lambda: sqlite_file.open_file(self._path, _MIGRATIONS, _newer),
            closed=lambda: InboxError("The webhook inbox is closed."),
            failed=lambda error: InboxError(f"The webhook inbox {self._path} failed: {error}."),
        )

    @property
    def path(self) -> str:
        return self._path

    @property
    def closed(self) -> bool:
        return self._file.closed

    async def open(self) -> None:
        """Open the file and create or migrate its schema (also done on first use)."""
        await self._run(lambda connection: None)

    async def close(self) -> None:
        await self._file.close()

    async def add(
        self,
        *,
        received_at: datetime,
        method: str,
        path: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        remote: str,
        verdict: Verdict,
        reason: str,
        signed_at: int | None = None,
        answered: int | None = None,
    ) -> Delivery:
        """Store one delivery and return it with its id (event and summary read from the body)."""
        if received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
        pairs = tuple((str(name), str(value)) for name, value in headers)
        body = bytes(body)

        def insert(connection: sqlite3.Connection) -> tuple[Any, ...]:
            # Parsing a body of megabytes takes a while: done here, off the loop.
            event, summary = describe(body)
            row = (
                received_at.astimezone(UTC).strftime(_STAMP),
                method,
                path,
                json.dumps(pairs),
                body,
                remote,
                event,
                summary,
                verdict.value,
                reason,
                signed_at,
                answered,
            )
            haystack = _haystack(method, path, pairs, body, remote, event, summary)
            cursor = connection.execute(
                f"INSERT INTO deliveries ({_COLUMNS.removeprefix('id, ')}, search) "
                f"VALUES ({', '.join('?' * (len(row) + 1))})",
                (*row, haystack),
            )
            return (cast(int, cursor.lastrowid), *row)

        return _delivery(await self._run(insert))

    async def get(self, delivery_id: int) -> Delivery | None:
        sql = f"SELECT {_COLUMNS} FROM deliveries WHERE id = ?"
        row = await self._run(lambda c: c.execute(sql, (delivery_id,)).fetchone())
        return None if row is None else _delivery(row)

    async def query(
        self,
        text: str | None = None,
        status: Verdict | Collection[Verdict] | None = None,
        event: str | None = None,
        *,
        limit: int | None = 200,
        offset: int = 0,
        before_id: int | None = None,
        after_id: int | None = None,
    ) -> list[Delivery]:
        """Matching deliveries, newest first.

        ``text`` matches headers, body, path, event and summary, ignoring case; ``status`` is
        one verdict or several; page on with ``before_id`` (the last one's id) or ``offset``;
        ``after_id`` gives only those newer than that id.
        """
        if (limit is not None and limit < 0) or offset < 0:
            raise ValueError("limit and offset must not be negative")
        where, params = _where(text, status, event)
        if before_id is not None:
            where, params = f"{where} AND id < ?", [*params, before_id]
        if after_id is not None:
            where, params = f"{where} AND id > ?", [*params, after_id]
        sql = f"SELECT {_COLUMNS} FROM deliveries WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        return await self._run(lambda c: [_delivery(r) for r in c.execute(sql, params)])

    async def count(
        self,
        text: str | None = None,
        status: Verdict | Collection[Verdict] | None = None,
        event: str | None = None,
    ) -> int:
        """How many deliveries match (the same filters as ``query``)."""
        where, params = _where(text, status, event)
        sql = f"SELECT COUNT(*) FROM deliveries WHERE {where}"
        return await self._run(lambda c: int(c.execute(sql, params).fetchone()[0]))

    async def events(self) -> list[str]:
        """The distinct event names seen, sorted (for a filter's choices)."""
        sql = "SELECT DISTINCT event FROM deliveries WHERE event IS NOT NULL ORDER BY event"
        return await self._run(lambda c: [str(r[0]) for r in c.execute(sql)])

    async def delete(self, delivery_id: int) -> bool:
        """Remove one delivery; False if there was none with that id."""
        sql = "DELETE FROM deliveries WHERE id = ?"
        return await self._run(lambda c: c.execute(sql, (delivery_id,)).rowcount > 0)

    async def clear(self) -> int:
        """Remove every delivery; how many there were."""
        return await self._run(lambda c: c.execute("DELETE FROM deliveries").rowcount)

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._file.run(work)


def _newer(found: int) -> InboxError:
    return InboxError(
        f"The webhook inbox was written by a newer version (schema {found}); "
        "update the app to open it."
    )


def _where(
    text: str | None, status: Verdict | Collection[Verdict] | None, event: str | None
) -> tuple[str, list[object]]:
    clauses: list[str] = ["1"]
    params: list[object] = []
    if text and text.strip():
        clauses.append("instr(search, ?) > 0")
        params.append(text.strip().casefold())
    if status is not None:
        chosen = [status] if isinstance(status, Verdict) else list(dict.fromkeys(status))
        clauses.append(f"verdict IN ({', '.join('?' * len(chosen))})" if chosen else "0")
        params.extend(verdict.value for verdict in chosen)
    if event is not None:
        clauses.append("event = ?")
        params.append(event)
    return " AND ".join(clauses), params


def _haystack(
    method: str,
    path: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    remote: str,
    event: str | None,
    summary: str,
) -> str:
    """What a search looks through, folded: JSON bodies also as decoded text, so "José"
    finds ``Jos\\u00e9``."""
    parts = [method, path, remote, event or "", summary]
    parts += [f"{name}: {value}" for name, value in headers]
    text = body.decode("utf-8", "replace")
    parts.append(text)
    if "\\u" in text:  # JSON escapes: search the decoded text too
        with contextlib.suppress(ValueError, RecursionError):
            parts.append(json.dumps(json.loads(body), ensure_ascii=False))
    return "\n".join(parts).casefold()


def _delivery(row: tuple[Any, ...]) -> Delivery:
    values = dict(zip(_NAMES, row, strict=True))
    stamp, signed_at = values["received_at"], values["signed_at"]
    values["received_at"] = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    values["headers"] = tuple((str(n), str(v)) for n, v in json.loads(values["headers"]))
    values["body"] = bytes(values["body"])
    values["verdict"] = Verdict(values["verdict"])
    values["signed_at"] = None if signed_at is None else datetime.fromtimestamp(signed_at, UTC)
    return Delivery(**values)
