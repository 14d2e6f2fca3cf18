"""The parallel walk returns exactly what a sequential walk returns, in fewer sequential rounds.

Property-based: random window counts, concurrency, time ranges and filters over two seeded
organizations of different sizes, each example compared with ``iterate`` over the same range.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.api import CalendlyClient, Page
from desktop.api.balanced_walk import balanced_walk
from desktop.domain import ScheduledEvent
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory

pytestmark = pytest.mark.asyncio

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _span(sandbox: SandboxServer) -> tuple[datetime, datetime]:
    """The first and last start of the seeded organization's events (read from the store)."""
    rows = sandbox.state.store.find("scheduled_events", order="start_time")
    first, last = rows[0]["start_time"], rows[-1]["start_time"]
    return _when(first), _when(last)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _bound(span: tuple[datetime, datetime], where: float | None) -> datetime | None:
    """A time at fraction ``where`` of the span (a little beyond it at either end)."""
    if where is None:
        return None
    first, last = span
    return first + (last - first) * where


fractions = st.one_of(st.none(), st.floats(min_value=-0.05, max_value=1.05))
windows = st.one_of(st.none(), st.integers(min_value=1, max_value=40))
concurrency = st.integers(min_value=1, max_value=12)
statuses = st.sampled_from([None, None, "active", "canceled"])


async def _compare(
    client: CalendlyClient,
    organization: str,
    span: tuple[datetime, datetime],
    lo: float | None,
    hi: float | None,
    parts: int | None,
    workers: int,
    status: str | None,
) -> list[ScheduledEvent]:
    filters: dict[str, Any] = {
        "organization": organization,
        "status": status,
        "min_start_time": _bound(span, lo),
        "max_start_time": _bound(span, hi),
    }
    expected = [e async for e in client.scheduled_events.iterate(**filters)]
    found = [
        e
        async for e in client.scheduled_events.parallel_iterate(
            **filters, windows=parts, concurrency=workers
        )
    ]
    assert found == expected  # same events, same order, no duplicates, no gaps
    return found


@EXAMPLES
@given(lo=fractions, hi=fractions, parts=windows, workers=concurrency, status=statuses)
async def test_parallel_equals_sequential_400(
    client: CalendlyClient,
    sandbox: SandboxServer,
    organization_uri: str,
    lo: float | None,
    hi: float | None,
    parts: int | None,
    workers: int,
    status: str | None,
) -> None:
    span = _span(sandbox)
    await _compare(client, organization_uri, span, lo, hi, parts, workers, status)


@pytest.fixture
def bigger(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return make_sandbox(seed=11, members=12, events=1500)


@EXAMPLES
@given(lo=fractions, hi=fractions, parts=windows, workers=concurrency, status=statuses)
async def test_parallel_equals_sequential_1500(
    bigger: SandboxServer,
    lo: float | None,
    hi: float | None,
    parts: int | None,
    workers: int,
    status: str | None,
) -> None:
    assert bigger.summary is not None
    organization = bigger.state.uris.organization(bigger.summary.organization)
    async with CalendlyClient(bigger.base_url, bigger.token_for("owner")) as client:
        await _compare(client, organization, _span(bigger), lo, hi, parts, workers, status)


async def test_everything_without_bounds(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    expected = [e async for e in client.scheduled_events.iterate(organization=organization_uri)]
    found = [
        e async for e in client.scheduled_events.parallel_iterate(organization=organization_uri)
    ]
    assert found == expected
    assert len(found) == 400


async def test_a_list_of_one_page_costs_one_round(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    first, _ = _span(sandbox)
    sent = client.transport.requests_sent
    found = [
        e
        async for e in client.scheduled_events.parallel_iterate(
            organization=organization_uri,
            min_start_time=first,
            max_start_time=first + timedelta(days=3),
        )
    ]
    assert 0 < len(found) < 100
    assert client.transport.requests_sent - sent == 2  # the first page and the last start


class Timeline:
    """Request/answer order seen by httpx's event hooks, on a counter rather than a clock."""

    def __init__(self) -> None:
        self._ticks = itertools.count()
        self._sent: dict[int, int] = {}
        self.spans: list[tuple[int, int]] = []

    async def sent(self, request: httpx.Request) -> None:
        self._sent[id(request)] = next(self._ticks)

    async def answered(self, response: httpx.Response) -> None:
        self.spans.append((self._sent.pop(id(response.request)), next(self._ticks)))

    def rounds(self) -> int:
        """The longest chain of requests each sent after the previous one was answered: the
        round trips a walk must wait for one after another, whatever the latency."""
        spans = sorted(self.spans, key=lambda s: s[1])
        chain: list[int] = []
        for index, (start, _) in enumerate(spans):
            before = [chain[j] for j in range(index) if spans[j][1] < start]
            chain.append(1 + max(before, default=0))
        return max(chain, default=0)


async def test_the_parallel_walk_needs_fewer_sequential_rounds(
    client_for: ClientFactory, organization_uri: str
) -> None:
    timeline = Timeline()
    http = httpx.AsyncClient(
        event_hooks={"request": [timeline.sent], "response": [timeline.answered]}
    )
    client = client_for("owner", http=http)
    await client.users.me()  # the budget is known: requests are no longer paced one by one
    timeline.spans.clear()
    sent = client.transport.requests_sent
    sequential = [e async for e in client.scheduled_events.iterate(organization=organization_uri)]
    sequential_requests = client.transport.requests_sent - sent
    sequential_rounds = timeline.rounds()
    assert sequential_rounds == sequential_requests == 4

    timeline.spans.clear()
    sent = client.transport.requests_sent
    parallel = [
        e
        async for e in client.scheduled_events.parallel_iterate(
            organization=organization_uri, concurrency=8
        )
    ]
    parallel_requests = client.transport.requests_sent - sent
    assert parallel == sequential
    # The first page with the last start, then the other 300 events at once.
    assert timeline.rounds() <= sequential_rounds // 2
    # More requests in all (a half-empty last page per window), but not many more.
    assert parallel_requests <= sequential_requests + 10


async def test_stopping_early_cancels_the_rest(
    client: CalendlyClient, sandbox: SandboxServer, organization_uri: str
) -> None:
    first, last = _span(sandbox)
    walk = client.scheduled_events.parallel_iterate(
        organization=organization_uri,
        min_start_time=first,
        max_start_time=last,
        windows=12,
        concurrency=4,
    )
    taken = []
    async for event in walk:
        taken.append(event)
        if len(taken) == 5:
            break
    await walk.aclose()  # type: ignore[attr-defined]
    assert len(taken) == 5
    again = await client.scheduled_events.list(organization=organization_uri, count=5)
    assert [e.uri for e in again.items] == [e.uri for e in taken]


# -- the walks themselves, over an in-memory keyset list (fast: many more examples) --------------
ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    key: str
    start: datetime


def keyset_source(
    items: list[Item], page_size: int, calls: list[tuple[datetime, datetime, str | None]]
) -> Callable[[datetime, datetime, str | None], Awaitable[Page[Item]]]:
    """Pages as Calendly serves them: ascending by (start, key), ``[lo, hi)``, a token per
    query. Each fetch yields to the event loop once, as a real request would."""
    ordered = sorted(items, key=lambda i: (i.start, i.key))

    async def fetch(lo: datetime, hi: datetime, token: str | None) -> Page[Item]:
        calls.append((lo, hi, token))
        await asyncio.sleep(0)
        inside = [i for i in ordered if lo <= i.start < hi]
        offset = int(token or 0)
        following = str(offset + page_size) if offset + page_size < len(inside) else None
        return Page(tuple(inside[offset : offset + page_size]), following)

    return fetch


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    size=st.integers(min_value=0, max_value=300),
    seed=st.integers(min_value=0, max_value=2**32),
    spread=st.sampled_from([5, 30, 500]),  # clustered in minutes (many ties) or spread out
    page_size=st.integers(min_value=1, max_value=8),
    workers=st.integers(min_value=1, max_value=8),
    parts=st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
    lo=st.integers(min_value=-10, max_value=200),
    length=st.integers(min_value=0, max_value=600),
)
async def test_balanced_walk_equals_the_sequential_list(
    size: int,
    seed: int,
    spread: int,
    page_size: int,
    workers: int,
    parts: int | None,
    lo: int,
    length: int,
) -> None:
    draw = random.Random(seed)
    items = [
        Item(f"k{n:04d}", ORIGIN + timedelta(minutes=draw.randrange(spread + 1)))
        for n in range(size)
    ]
    start, end = ORIGIN + timedelta(minutes=lo), ORIGIN + timedelta(minutes=lo + length)
    expected = sorted((i for i in items if start <= i.start < end), key=lambda i: (i.start, i.key))
    calls: list[tuple[datetime, datetime, str | None]] = []
    found = [
        i
        async for i in balanced_walk(
            keyset_source(items, page_size, calls),
            start,
            end,
            start_of=lambda i: i.start,
            identity=lambda i: i.key,
            concurrency=workers,
            windows=parts,
            page_size=page_size,
        )
    ]
    assert found == expected


async def test_busy_windows_split_so_no_worker_idles() -> None:
    # Everything in the first tenth of the range: of four equal windows, one holds it all.
    items = [Item(f"k{n:04d}", ORIGIN + timedelta(seconds=n)) for n in range(1_000)]
    calls: list[tuple[datetime, datetime, str | None]] = []
    found = [
        i
        async for i in balanced_walk(
            keyset_source(items, 10, calls),
            ORIGIN,
            ORIGIN + timedelta(seconds=10_000),
            start_of=lambda i: i.start,
            identity=lambda i: i.key,
            concurrency=4,
            page_size=10,
        )
    ]
    assert found == items
    windows = {(lo, hi) for lo, hi, _ in calls}
    assert len(windows) > 4  # the full window was split for the idle workers
    assert len(calls) <= 100 + 2 * len(windows)  # at most a partial page or two per window
