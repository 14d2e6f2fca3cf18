"""What the action log holds: who acted, each logged write, and the checks an entry passes."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias, TypedDict

from desktop.api.errors import (
    APIStatusError,
    BookingUnconfirmed,
    ConnectionFailed,
    MalformedResponse,
)

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


def context_values(context: ActionContext) -> tuple[str, ...]:
    """``context``'s fields in order (only ``ActionContext``'s, also for an ``Entry``)."""
    return tuple(getattr(context, f.name) for f in dataclasses.fields(ActionContext))


@dataclass(frozen=True)
class Entry(ActionContext):
    """One logged write and Calendly's answer to it (with the ``ActionContext`` it was in)."""

    id: int
    at: datetime  # aware, UTC
    action: str
    target_uri: str | None
    target_label: str
    details: dict[str, Any] = field(hash=False)
    outcome: Outcome
    status: int | None
    message: str

    @property
    def context(self) -> ActionContext:
        return ActionContext(*context_values(self))


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


def check_action(action: str) -> None:
    """``ValueError`` unless ``action`` is an action code (``noun.verb``)."""
    if not _ACTION.match(action) or len(action) > 64:
        raise ValueError(f"not an action code (noun.verb): {action!r}")
