"""Pages and walks: one page, every page in order, and the parallel walk over time windows.

Calendly's page tokens are sequential: page n+1 needs page n's token. Time-bounded lists
(scheduled events) can still be fetched concurrently by splitting ``[min, max)`` into windows
and walking each window's pages; windows are merged in order, deduplicated by URI and clipped
to their own bounds, so neither the server's boundary rules nor overlaps cause duplicates or
gaps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items and the tokens to the neighbouring pages."""

    items: tuple[T, ...]
    next_page_token: str | None = None
    previous_page_token: str | None = None

    @property
    def has_more(self) -> bool:
        return self.next_page_token is not None


PageFetcher = Callable[[str | None], Awaitable[Page[T]]]


async def walk(fetch: PageFetcher[T]) -> AsyncIterator[T]:
    """Every item of every page, following ``next_page_token`` until there is none."""
    token: str | None = None
    while True:
        page = await fetch(token)
        for item in page.items:
            yield item
        if page.next_page_token is None or page.next_page_token == token:
            return
        token = page.next_page_token


def split_windows(start: datetime, end: datetime, parts: int) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` cut into ``parts`` contiguous windows of (nearly) equal length."""
    if end <= start:
        return []
    parts = max(1, parts)
    step = (end - start) / parts
    bounds = [start + step * i for i in range(parts)] + [end]
    return [(bounds[i], bounds[i + 1]) for i in range(parts) if bounds[i] < bounds[i + 1]]


# The windows asked of the server are widened by this much on each side and clipped after:
# whatever Calendly's inclusive/exclusive rule at the bounds, nothing falls between windows.
_MARGIN = timedelta(seconds=1)


async def parallel_walk(
    walk_window: Callable[[datetime, datetime], AsyncIterator[T]],
    start: datetime,
    end: datetime,
    *,
    windows: int,
    start_of: Callable[[T], datetime],
    identity: Callable[[T], str],
    concurrency: int = 8,
) -> AsyncIterator[T]:
    """Items with ``start <= start_of(item) < end`` in window order, windows fetched at once.

    ``walk_window(lo, hi)`` walks every page of one window (ascending order). Items are
    yielded as soon as every earlier window is complete; later windows keep loading.
    """
    spans = split_windows(start, end, windows)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def load(lo: datetime, hi: datetime) -> list[T]:
        async with gate:
            found: list[T] = []
            async for item in walk_window(lo - _MARGIN, hi + _MARGIN):
                moment = start_of(item)
                if lo <= moment < hi:
                    found.append(item)
            return found

    tasks = [asyncio.ensure_future(load(lo, hi)) for lo, hi in spans]
    seen: set[str] = set()
    try:
        for task in tasks:
            for item in await task:
                key = identity(item)
                if key not in seen:
                    seen.add(key)
                    yield item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def window_count(total_span: timedelta, expected_items: int | None, page_size: int) -> int:
    """How many windows to split into: about one page each when the size is known."""
    if expected_items is not None:
        return max(1, min(64, -(-expected_items // page_size)))
    days = max(1, total_span.days)
    return max(1, min(32, days // 7))
