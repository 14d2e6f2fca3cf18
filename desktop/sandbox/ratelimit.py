"""Per-user request budgets with Calendly's X-RateLimit-* headers (facts §5.3)."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }


class RateLimiter:
    """Fixed windows on the sandbox clock: ``limit`` requests per ``window`` seconds per key."""

    def __init__(self, limit: int = 500, window_seconds: int = 60) -> None:
        self.limit = limit
        self.window = window_seconds
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def configure(self, limit: int, window_seconds: int | None = None) -> None:
        with self._lock:
            self.limit = limit
            if window_seconds is not None:
                self.window = window_seconds
            self._windows.clear()

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def _open(self, key: str, now: float) -> tuple[float, int]:
        start, used = self._windows.get(key, (now, 0))
        if now - start >= self.window:
            start, used = now, 0
        return start, used

    def hit(self, key: str, now: datetime) -> Verdict:
        """Count one request for ``key``; ``allowed`` is false past the budget."""
        stamp = now.timestamp()
        with self._lock:
            start, used = self._open(key, stamp)
            allowed = used < self.limit
            if allowed:
                used += 1
            self._windows[key] = (start, used)
            reset = max(0, math.ceil(start + self.window - stamp))
            return Verdict(allowed, self.limit, self.limit - used, reset)

    def exhaust(self, key: str, now: datetime) -> Verdict:
        """Spend the rest of ``key``'s window (a 429 burst from fault injection)."""
        stamp = now.timestamp()
        with self._lock:
            start, _ = self._open(key, stamp)
            self._windows[key] = (start, self.limit)
            reset = max(0, math.ceil(start + self.window - stamp))
            return Verdict(False, self.limit, 0, reset)
