"""The Scheduling API's own limits (``POST /invitees``): what this client spent, what Calendly said.

Calendly limits bookings per user separately from the general budget (since 2026-04-15:
10 a minute, 50 an hour and 100 a day on paid plans, 5 a day on a trial, 500 a minute on
Enterprise). Successful answers carry only the general budget's ``X-RateLimit-*``; the
endpoint's own 429 carries ``X-RateLimit-Limit/Remaining/Reset`` of the window that blocks
(``Reset``: seconds until a booking is accepted again) and no ``Retry-After``.

``SchedulingQuota`` keeps the requests this client sent in each window (a lower bound: other
apps of the same user spend the same quota) and the block the last 429 announced.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from desktop.api.ratelimit import RateBudget

Clock = Callable[[], float]
DAY = 86_400


@dataclass(frozen=True)
class SchedulingLimits:
    """Bookings per user per window (Calendly's paid non-Enterprise plans by default)."""

    per_minute: int = 10
    per_hour: int = 50
    per_day: int = 100

    def windows(self) -> tuple[tuple[str, int, int], ...]:
        return (
            ("minute", 60, self.per_minute),
            ("hour", 3600, self.per_hour),
            ("day", DAY, self.per_day),
        )


@dataclass(frozen=True)
class QuotaWindow:
    """One window: its limit and the bookings this client sent within it."""

    name: str  # minute | hour | day
    seconds: int
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True)
class SchedulingQuotaSnapshot:
    """What the UI shows next to "Book": bookings left, and how long a block lasts."""

    windows: tuple[QuotaWindow, ...]
    blocked_for: float | None  # seconds until Calendly accepts bookings again (after a 429)
    reported_limit: int | None  # X-RateLimit-Limit of the last Scheduling API 429
    rate_limited: int  # Scheduling API 429s seen

    @property
    def remaining(self) -> int:
        """Bookings left by this client's own count (0 while blocked)."""
        if self.blocked_for:
            return 0
        return min((w.remaining for w in self.windows), default=0)


class SchedulingQuota:
    """Counts this client's booking requests and remembers the last Scheduling API 429."""

    def __init__(
        self,
        budget: RateBudget,
        limits: SchedulingLimits | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.limits = limits or SchedulingLimits()
        self._budget = budget
        self._clock = clock
        self._stamps: list[float] = []
        self._blocked_until: float | None = None
        self._reported_limit: int | None = None
        self._rate_limited = 0

    def spent(self) -> None:
        """One booking request may have reached Calendly (answered or lost)."""
        now = self._clock()
        self._stamps = [t for t in self._stamps if t > now - DAY] + [now]

    def blocked_for(self) -> float | None:
        """Seconds left of the block the last 429 announced (None: not blocked)."""
        if self._blocked_until is None:
            return None
        left = self._blocked_until - self._clock()
        return left if left > 0 else None

    def observe(self, status: int, headers: Mapping[str, str]) -> bool:
        """The transport's ``own_limit`` hook for ``POST /invitees``.

        A 429 is the endpoint's own unless its ``X-RateLimit-Limit`` is the general budget's:
        then its headers are claimed, so the shared budget is neither taught a limit of 10 nor
        blocked for an hour; a general 429 is left to the shared budget. Every other answer
        counts as a spent booking request and its headers (the general budget's) are not
        claimed.
        """
        if status != 429:
            self.spent()
            return False
        limit = _int(headers.get("x-ratelimit-limit"))
        general = self._budget.limit
        if general is not None and limit == general:
            return False
        reset = _float(headers.get("retry-after")) or _float(headers.get("x-ratelimit-reset"))
        self._rate_limited += 1
        self._reported_limit = limit
        self._blocked_until = self._clock() + (reset if reset is not None else 60.0)
        return True

    def snapshot(self) -> SchedulingQuotaSnapshot:
        now = self._clock()
        windows = tuple(
            QuotaWindow(name, seconds, limit, sum(1 for t in self._stamps if t > now - seconds))
            for name, seconds, limit in self.limits.windows()
        )
        return SchedulingQuotaSnapshot(
            windows, self.blocked_for(), self._reported_limit, self._rate_limited
        )


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return None if value is None else max(0.0, float(value))
    except ValueError:
        return None
