"""The sandbox clock: real time plus an offset tests and integrators can advance."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time shifted by an adjustable offset; or frozen at a chosen instant."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta()
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta():
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
                return self._frozen
            self._offset += delta
            return datetime.now(UTC) + self._offset

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop the clock (at ``at`` or now): makes time-dependent tests exact."""
        moment = at.astimezone(UTC) if at is not None else self.now()
        with self._lock:
            self._frozen = moment
        return moment

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - datetime.now(UTC)
            self._frozen = None

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta()
            self._frozen = None
