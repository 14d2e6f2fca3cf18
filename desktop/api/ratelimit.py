"""Calendly's per-user request budget, read from ``X-RateLimit-*`` and shared by all requests.

The budget object paces concurrent requests (the parallel walk) so that they do not cause
429s in the first place: once the known remaining budget is spoken for by requests in flight,
new requests wait for the window to reset.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BudgetSnapshot:
    """What the UI shows: requests left in the window and when it resets."""

    limit: int | None
    remaining: int | None
    resets_in: float | None  # seconds from now


Clock = Callable[[], float]


class RateBudget:
    """The remaining request budget as Calendly last reported it, plus requests in flight."""

    def __init__(self, reserve: int = 1, clock: Clock = time.monotonic) -> None:
        self.reserve = reserve  # leave this many requests for other work (the UI's own)
        self._clock = clock
        self.limit: int | None = None
        self.remaining: int | None = None
        self.reset_at: float | None = None
        self.in_flight = 0
        self._answered = False  # any answer arrived (with or without X-RateLimit-*)
        self._changed = asyncio.Event()
        self._listeners: list[Callable[[BudgetSnapshot], None]] = []

    def subscribe(self, listener: Callable[[BudgetSnapshot], None]) -> None:
        self._listeners.append(listener)

    def snapshot(self) -> BudgetSnapshot:
        resets_in = None if self.reset_at is None else max(0.0, self.reset_at - self._clock())
        return BudgetSnapshot(self.limit, self.remaining, resets_in)

    def _wait_needed(self) -> float | None:
        """Seconds to wait before one more request may start: 0 go, None until an answer."""
        now = self._clock()
        if self.reset_at is not None and now >= self.reset_at:
            # The window has reset: a full budget, still counting what is in flight, until an
            # answer tells the new window's figures (waiters must not all rush in at once).
            if self.limit is not None:
                self.remaining = self.limit
            self.reset_at = None
        if self.remaining is None:
            # Nothing known yet: one request probes the budget, the others wait for its answer
            # (unless answers came back without X-RateLimit-*: then there is nothing to pace).
            return 0.0 if self.in_flight == 0 or self._answered else None
        if self.remaining - self.in_flight > self.reserve:
            return 0.0
        if self.reset_at is not None:
            return self.reset_at - now
        # A new window no answer has described yet: wait for one, unless none is coming.
        return 0.0 if self.in_flight == 0 else None

    async def acquire(self) -> None:
        """Wait until the budget allows one more request, then count it as in flight."""
        while (delay := self._wait_needed()) != 0:
            self._changed.clear()
            # A timeout means the window's reset time came: _wait_needed starts a new window.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=delay)
        self.in_flight += 1

    def release(self, headers: Mapping[str, str] | None) -> None:
        """One request finished; learn the budget from its answer's headers, if any."""
        self.in_flight = max(0, self.in_flight - 1)
        if headers is not None:
            self._answered = True
            self._learn(headers)
        self._changed.set()

    def _learn(self, headers: Mapping[str, str]) -> None:
        try:
            limit = int(headers["x-ratelimit-limit"])
            remaining = int(headers["x-ratelimit-remaining"])
            reset = float(headers["x-ratelimit-reset"])
        except (KeyError, ValueError):
            return
        reset_at = self._clock() + reset
        same_window = self.reset_at is not None and abs(reset_at - self.reset_at) < 1.5
        if same_window:
            # Answers arrive out of order: within one window the smallest remaining is the
            # truth. The reset is given in whole seconds (rounded up), so each answer bounds
            # the true reset time from above: the earliest bound is the closest, and still safe.
            assert self.reset_at is not None
            reset_at = min(reset_at, self.reset_at)
            if self.remaining is not None:
                remaining = min(remaining, self.remaining)
        self.limit, self.remaining, self.reset_at = limit, remaining, reset_at
        self._publish()

    def exhausted(self, retry_after: float) -> None:
        """A 429 arrived: nothing is left until ``retry_after`` seconds from now."""
        self.remaining = 0
        self.reset_at = self._clock() + retry_after
        self._publish()
        self._changed.set()

    def _publish(self) -> None:
        snapshot = self.snapshot()
        for listener in list(self._listeners):
            listener(snapshot)
