"""The watcher: lists the subscriptions every few minutes and tells what changed.

It runs on whatever asyncio loop starts it (the app's qasync loop), never raises out of its
loop (failures go to ``on_error``), backs off after failures and when Calendly's rate limit
runs low, and can be asked to look at once (``poll_now``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from desktop.api.errors import CalendlyError, RateLimited
from desktop.api.ratelimit import BudgetSnapshot
from desktop.webhooks.health import Alert, Finding, assess, changes
from desktop.webhooks.listing import Listing, explain

log = logging.getLogger(__name__)

MIN_INTERVAL = 60.0
DEFAULT_INTERVAL = 300.0
MAX_BACKOFF = 3600.0
# Requests a poll costs beyond one per owner (the members and groups lists, a spare).
_OVERHEAD = 3

Fetch = Callable[[], Awaitable[Listing]]
OnAlerts = Callable[[list[Alert]], None]
OnError = Callable[[str, Exception], None]
OnListing = Callable[[Listing], None]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def describe(error: Exception) -> str:
    """A plain sentence for a failed check."""
    if isinstance(error, CalendlyError):
        return f"The webhook subscriptions could not be checked. {explain(error)}"
    return f"The webhook subscriptions could not be checked ({type(error).__name__})."


class Watcher:
    """Polls ``fetch`` every ``interval_seconds`` (at least a minute) and reports changes."""

    def __init__(
        self,
        fetch: Fetch,
        on_alerts: OnAlerts,
        *,
        interval_seconds: float = DEFAULT_INTERVAL,
        clock: Callable[[], datetime] = _utc_now,
        on_error: OnError | None = None,
        on_listing: OnListing | None = None,
        budget: Callable[[], BudgetSnapshot] | None = None,
        max_backoff_seconds: float = MAX_BACKOFF,
    ) -> None:
        self._fetch = fetch
        self._on_alerts = on_alerts
        self._on_error = on_error
        self._on_listing = on_listing
        self._budget = budget
        self._clock = clock
        self._interval = max(MIN_INTERVAL, float(interval_seconds))
        self._max_backoff = max(self._interval, max_backoff_seconds)
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._due: float | None = None  # loop time of the next scheduled poll
        self._baseline: Listing | None = None
        self._expected: set[str] = set()
        self.failures = 0  # failed polls in a row
        self.next_delay = 0.0  # seconds from the last poll to the next
        self.last_listing: Listing | None = None
        self.findings: list[Finding] = []
        self.last_error: str | None = None

    # -- configuration ----------------------------------------------------------------------------
    @property
    def interval_seconds(self) -> float:
        return self._interval

    @interval_seconds.setter
    def interval_seconds(self, value: float) -> None:
        self._interval = max(MIN_INTERVAL, float(value))
        self._max_backoff = max(self._max_backoff, self._interval)
        if self.failures == 0 and self.last_listing is not None:
            self._schedule(self._interval)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def expect_gone(self, subscription_uri: str) -> None:
        """The app deleted (or replaced) this subscription: its absence is not news."""
        self._expected.add(subscription_uri)

    # -- life cycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start polling on the running loop; the first poll is at once."""
        if self.running:
            return
        self._wake = asyncio.Event()
        self._due = asyncio.get_running_loop().time()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="webhook watcher")

    def stop(self) -> None:
        """Stop polling (a poll in flight is cancelled; nothing is reported for it)."""
        if self._task is not None:
            self._task.cancel()

    async def aclose(self) -> None:
        """Stop and wait until the loop has ended."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def poll_now(self) -> list[Alert]:
        """Look at once (after any poll in flight); the alerts it raised (also reported)."""
        return await self._poll()

    # -- the loop ---------------------------------------------------------------------------------
    def _schedule(self, delay: float) -> None:
        self.next_delay = delay
        with contextlib.suppress(RuntimeError):  # no running loop: start() schedules
            self._due = asyncio.get_running_loop().time() + delay
        if self._wake is not None:
            self._wake.set()  # the loop waits for the new time

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        wake = self._wake
        assert wake is not None
        while True:
            while self._due is not None and (left := self._due - loop.time()) > 0:
                wake.clear()
                # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancel that
                # arrives as the event is set, and stop() would then not stop the loop.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(left):
                        await wake.wait()
            await self._poll()

    async def _poll(self) -> list[Alert]:
        async with self._lock:
            try:
                return self._settle(await self._fetch())
            except asyncio.CancelledError:
                raise
            except Exception as error:  # never out of the loop: told to on_error
                self.failures += 1
                wait = error.retry_after if isinstance(error, RateLimited) else None
                self._schedule(self._backoff(wait))
                self.last_error = describe(error)
                log.warning("webhook watcher: %s", self.last_error)
                self._tell(self._on_error, self.last_error, error)
                return []

    def _settle(self, listing: Listing) -> list[Alert]:
        now = self._clock()
        alerts = changes(self._baseline, listing, now, expected_gone=self._expected)
        self._expected.clear()
        self._baseline = _carry_over(self._baseline, listing)
        self.last_listing = listing
        self.findings = assess(listing, listing.members, now)
        self.last_error = None
        limited = listing.rate_limited
        if limited is not None:
            self.failures += 1
            self._schedule(self._backoff(limited))
        else:
            self.failures = 0
            self._schedule(max(self._interval, self._budget_wait(listing)))
        if alerts:
            self._tell(self._on_alerts, alerts)
        if self._on_listing is not None:
            self._tell(self._on_listing, listing)
        return alerts

    def _backoff(self, at_least: float | None) -> float:
        doubled = self._interval * 2.0 ** max(0, self.failures - 1)
        return max(min(doubled, self._max_backoff), at_least or 0.0)

    def _budget_wait(self, listing: Listing) -> float:
        """Seconds to wait for the rate-limit window when too little is left for a poll."""
        if self._budget is None:
            return 0.0
        budget = self._budget()
        if budget.remaining is None:
            return 0.0
        needed = len(listing.listed) + len(listing.problems) + _OVERHEAD
        if budget.remaining >= needed:
            return 0.0
        return budget.resets_in if budget.resets_in is not None else MIN_INTERVAL

    def _tell(self, callback: Callable[..., None] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # a listener's bug must not stop the watching
            log.exception("webhook watcher: a listener failed")


def _carry_over(previous: Listing | None, current: Listing) -> Listing:
    """``current``, plus the previous rows of owners it could not read: they are not news
    the next time those owners are read again."""
    if previous is None or current.complete:
        return current
    seen = {row.uri for row in current.rows}
    members = {m.user.uri for m in current.members} if current.members_loaded else None
    kept = tuple(
        row
        for row in previous.rows
        if row.uri not in seen
        and not current.was_listed(row.subscription)
        and not (row.scope == "user" and members is not None and row.owner.uri not in members)
    )
    return dataclasses.replace(current, rows=current.rows + kept) if kept else current
