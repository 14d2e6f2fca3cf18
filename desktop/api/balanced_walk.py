"""The balanced parallel walk: time windows that split while they load, so no worker idles.

``pagination.parallel_walk`` splits ``[start, end)`` into fixed windows; when the items are
unevenly spread over time (meetings cluster), the fullest window finishes last while the
other workers wait. Here each worker that runs out of windows takes the far half of what a
busy window has still to fetch: the busy worker stops at the new bound (its page in flight
may reach past it; those items are the new window's and are dropped from the old one), and
the new window is walked from there. Items are yielded in window order, clipped to each
window's final bounds and deduplicated by identity, so the result is exactly the ascending
sequential walk, only sooner.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from desktop.api.pagination import Page, split_windows

T = TypeVar("T")

# Each window asks for this much more on both sides and clips: whatever the server's rule at
# the bounds (inclusive or exclusive), nothing falls between two windows.
MARGIN = timedelta(seconds=1)

WindowFetch = Callable[[datetime, datetime, str | None], Awaitable[Page[T]]]


@dataclass(eq=False)
class _Window(Generic[T]):
    lo: datetime
    hi: datetime  # shrinks when the window is split
    running: bool = False
    done: bool = False
    items: list[T] = field(default_factory=list)
    cursor: datetime | None = None  # start of the last item fetched, never before ``lo``
    counted: int = 0  # items fetched that start in ``[lo, cursor]``

    def left(self, page_size: int) -> tuple[float, timedelta]:
        """(items estimated still to fetch past ``cursor``, the time one page spans); no
        estimate (0) until the items fetched cover some time."""
        if self.cursor is None or self.counted == 0 or self.cursor <= self.lo:
            return 0.0, timedelta(0)
        covered = self.cursor - self.lo
        density = self.counted / covered.total_seconds()
        return density * (self.hi - self.cursor).total_seconds(), covered * (
            page_size / self.counted
        )


class _Walk(Generic[T]):
    def __init__(
        self,
        fetch: WindowFetch[T],
        spans: list[tuple[datetime, datetime]],
        start_of: Callable[[T], datetime],
        page_size: int,
    ) -> None:
        self.fetch = fetch
        self.windows: list[_Window[T]] = [_Window(lo, hi) for lo, hi in spans]
        self.start_of = start_of
        self.page_size = page_size
        self.changed = asyncio.Event()

    def notify(self) -> None:
        # Waiters hold the old event, which stays set: none of them can miss a change.
        self.changed.set()
        self.changed = asyncio.Event()

    def claim(self) -> _Window[T] | None:
        """The first window nobody walks, else the far part of the busiest window."""
        for window in self.windows:
            if not window.running and not window.done:
                window.running = True
                return window
        busiest, most, page_span = None, 2.0 * self.page_size, timedelta(0)
        for window in self.windows:
            if window.running:
                left, span = window.left(self.page_size)
                if left > most:
                    busiest, most, page_span = window, left, span
        if busiest is None or busiest.cursor is None:
            return None
        # The busy worker keeps its page in flight and half of what lies beyond it.
        ahead = busiest.cursor + page_span
        cut = ahead + (busiest.hi - ahead) / 2 if ahead < busiest.hi else busiest.hi
        if not busiest.cursor < cut < busiest.hi:
            return None
        taken = _Window[T](cut, busiest.hi, running=True)
        busiest.hi = cut
        self.windows.insert(self.windows.index(busiest) + 1, taken)
        return taken

    async def run(self, window: _Window[T]) -> None:
        # The query keeps the bounds it started with: a page token belongs to its query.
        lo, hi, token = window.lo - MARGIN, window.hi + MARGIN, None
        while True:
            page = await self.fetch(lo, hi, token)
            window.items.extend(page.items)
            for item in page.items:
                if self.start_of(item) >= window.lo:
                    window.counted += 1
            if page.items:
                window.cursor = max(window.lo, self.start_of(page.items[-1]))
            token = page.next_page_token
            self.notify()
            if token is None or (window.cursor is not None and window.cursor >= window.hi):
                break
        window.done, window.running = True, False
        self.notify()

    async def worker(self) -> None:
        while True:
            window = self.claim()
            if window is not None:
                await self.run(window)
            elif any(w.running for w in self.windows):
                await self.changed.wait()  # a page will tell which window to split
            else:
                return


async def balanced_walk(
    fetch: WindowFetch[T],
    start: datetime,
    end: datetime,
    *,
    start_of: Callable[[T], datetime],
    identity: Callable[[T], str],
    concurrency: int = 8,
    windows: int | None = None,
    page_size: int = 100,
) -> AsyncIterator[T]:
    """Items with ``start <= start_of(item) < end`` in ascending window order.

    ``fetch(lo, hi, page_token)`` fetches one page of the items starting in ``[lo, hi)``
    (ascending). ``windows`` (default ``concurrency``) is the initial split; windows split
    further whenever a worker would otherwise idle and a window has at least two pages to go.
    """
    walk = _Walk(fetch, split_windows(start, end, windows or concurrency), start_of, page_size)
    workers = [asyncio.ensure_future(walk.worker()) for _ in range(max(1, concurrency))]
    seen: set[str] = set()
    index = 0
    try:
        while index < len(walk.windows):
            window = walk.windows[index]
            while not window.done:
                for task in workers:
                    if task.done() and task.exception() is not None:
                        raise task.exception()  # type: ignore[misc]
                if all(task.done() for task in workers):
                    raise RuntimeError("the walk's workers stopped before every window was done")
                waiting = walk.changed
                watch = asyncio.ensure_future(waiting.wait())
                await asyncio.wait([watch, *workers], return_when=asyncio.FIRST_COMPLETED)
                watch.cancel()
            for item in window.items:
                if window.lo <= start_of(item) < window.hi:
                    key = identity(item)
                    if key not in seen:
                        seen.add(key)
                        yield item
            window.items = []
            index += 1
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
