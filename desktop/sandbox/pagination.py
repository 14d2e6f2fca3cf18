"""Calendly's pagination: ``count`` 1..100, opaque keyset ``page_token``s, ``sort`` strings.

Tokens encode the sort key of the last (or first) row seen, so pages stay stable and free
of duplicates when rows are added or removed between requests.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from desktop.sandbox.errors import invalid
from desktop.sandbox.store import Record, Store

MAX_COUNT = 100
DEFAULT_COUNT = 20


@dataclass(frozen=True)
class SortKey:
    column: str
    descending: bool


def parse_count(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_COUNT
    try:
        value = int(raw)
    except ValueError:
        raise invalid("count", "must be an integer") from None
    if not 1 <= value <= MAX_COUNT:
        raise invalid("count", f"must be between 1 and {MAX_COUNT}")
    return value


def parse_sort(raw: str | None, allowed: Mapping[str, str], default: str) -> list[SortKey]:
    """``field:asc|desc[,field:dir...]``; ``allowed`` maps API field names to columns."""
    text = raw if raw not in (None, "") else default
    keys: list[SortKey] = []
    for part in str(text).split(","):
        field, _, direction = part.strip().partition(":")
        if field not in allowed or direction not in ("asc", "desc"):
            choices = ", ".join(f"{name}:asc, {name}:desc" for name in allowed)
            raise invalid("sort", f"must be one of {choices}")
        keys.append(SortKey(allowed[field], direction == "desc"))
    return keys


def _encode(payload: list[Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> list[Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise invalid("page_token", "is invalid") from None
    if not isinstance(value, list) or len(value) != 3 or value[0] not in ("n", "p"):
        raise invalid("page_token", "is invalid")
    return value


def _seek(keys: Sequence[SortKey], values: Sequence[Any], forward: bool) -> tuple[str, list[Any]]:
    """SQL for rows strictly after (``forward``) or before the row with sort ``values``.

    Expanded into an OR chain so that mixed directions work; ``id`` breaks ties.
    """
    columns = [(k.column, k.descending) for k in keys] + [("id", False)]
    clauses: list[str] = []
    params: list[Any] = []
    for i, (column, descending) in enumerate(columns):
        # Walking forward over an ascending column (or back over a descending one) means ">".
        op = ">" if descending != forward else "<"
        equal = [f"{c} IS ?" for c, _ in columns[:i]]
        clauses.append("(" + " AND ".join([*equal, f"{column} {op} ?"]) + ")")
        params.extend(values[:i])
        params.append(values[i])
    return "(" + " OR ".join(clauses) + ")", params


def _order(keys: Sequence[SortKey], forward: bool) -> str:
    parts = []
    for column, descending in [(k.column, k.descending) for k in keys] + [("id", False)]:
        desc = descending if forward else not descending
        parts.append(f"{column} {'DESC' if desc else 'ASC'}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Page:
    records: list[Record]
    pagination: dict[str, Any]


def paginate(
    store: Store,
    table: str,
    where: str,
    params: Sequence[Any],
    keys: Sequence[SortKey],
    count: int,
    token: str | None,
    page_url: str,
    query: Mapping[str, str],
) -> Page:
    """One page of ``table`` rows matching ``where``, with Calendly's pagination object.

    ``page_url`` is the collection URL on the sandbox host; ``query`` the request's own
    query parameters, repeated in ``next_page``/``previous_page`` as Calendly does.
    """
    signature = _encode([k.column + (":d" if k.descending else ":a") for k in keys])
    forward = True
    clause: str = "1"
    extra: list[Any] = []
    if token:
        direction, sort_sig, values = _decode(token)
        if sort_sig != signature or not isinstance(values, list):
            raise invalid("page_token", "does not match this query")
        if len(values) != len(keys) + 1:
            raise invalid("page_token", "is invalid")
        forward = direction == "n"
        clause, extra = _seek(keys, values, forward)
    with store.lock:
        rows = store.find(
            table,
            f"({where}) AND {clause}",
            [*params, *extra],
            order=_order(keys, forward),
            limit=count + 1,
        )
    more = len(rows) > count
    rows = rows[:count]
    if not forward:
        rows.reverse()

    def key_of(row: Record) -> list[Any]:
        return [_value(row, k.column) for k in keys] + [row["id"]]

    has_next = (more if forward else bool(token)) and bool(rows)
    has_prev = (bool(token) if forward else more) and bool(rows)
    next_token = _encode(["n", signature, key_of(rows[-1])]) if has_next else None
    prev_token = _encode(["p", signature, key_of(rows[0])]) if has_prev else None

    def link(page_token: str | None) -> str | None:
        if page_token is None:
            return None
        items = {k: v for k, v in query.items() if k != "page_token"}
        items["count"] = str(count)
        items["page_token"] = page_token
        return f"{page_url}?{urlencode(items)}"

    return Page(
        rows,
        {
            "count": len(rows),
            "next_page": link(next_token),
            "previous_page": link(prev_token),
            "next_page_token": next_token,
            "previous_page_token": prev_token,
        },
    )


def _value(row: Record, column: str) -> Any:
    # Index columns are copied from the record under the same name.
    return row.get(column)
