"""Rate limits: the budget read from X-RateLimit-*, 429s waited out, concurrent requests paced."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from desktop.api import CalendlyClient, RateLimited, RetryPolicy
from desktop.api.ratelimit import BudgetSnapshot
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory


def set_budget(control: httpx.Client, limit: int, seconds: int) -> None:
    answer = control.post("/_sandbox/rate_limit", json={"limit": limit, "window_seconds": seconds})
    assert answer.status_code == 200, answer.text


@pytest.mark.asyncio
async def test_the_budget_is_read_from_every_answer(client: CalendlyClient) -> None:
    assert client.rate_limit() == BudgetSnapshot(None, None, None)  # nothing known yet
    await client.users.me()
    first = client.rate_limit()
    assert (first.limit, first.remaining) == (500, 499)
    assert first.resets_in is not None and 0 < first.resets_in <= 60
    await client.users.me()
    await client.users.me()
    later = client.rate_limit()
    assert (later.limit, later.remaining) == (500, 497)
    assert later.resets_in is not None and later.resets_in <= first.resets_in


@pytest.mark.asyncio
async def test_error_answers_count_too(client: CalendlyClient) -> None:
    with pytest.raises(Exception):  # noqa: B017 - any error: its headers are what matters
        await client.users.get("NOSUCHUSER000000")
    assert client.rate_limit().remaining == 499


@pytest.mark.asyncio
async def test_subscribers_get_a_snapshot_per_answer(client: CalendlyClient) -> None:
    seen: list[BudgetSnapshot] = []
    client.budget.subscribe(seen.append)
    for _ in range(3):
        await client.users.me()
    assert [s.remaining for s in seen] == [499, 498, 497]
    assert all(s.limit == 500 and s.resets_in is not None for s in seen)


@pytest.mark.asyncio
async def test_a_429_is_waited_out_then_the_request_succeeds(
    sandbox: SandboxServer, control: httpx.Client, client: CalendlyClient
) -> None:
    set_budget(control, 500, 1)
    fault = sandbox.add_fault(kind="rate_limit", paths=["/users/me"], times=1)
    seen: list[BudgetSnapshot] = []
    client.budget.subscribe(seen.append)
    me = await client.users.me()
    assert me.email
    assert fault.fired == 1
    assert client.transport.rate_limited == 1
    assert client.transport.requests_sent == 2
    assert 0 in [s.remaining for s in seen]  # the 429 was shown to subscribers
    assert client.rate_limit().remaining == 499  # and the retry began a new window


@pytest.mark.asyncio
async def test_a_429_tells_subscribers_nothing_is_left(
    sandbox: SandboxServer, client_for: ClientFactory
) -> None:
    client = client_for(retry=RetryPolicy(max_rate_limit_wait=0))
    seen: list[BudgetSnapshot] = []
    client.budget.subscribe(seen.append)
    sandbox.add_fault(kind="rate_limit", times=1)
    with pytest.raises(RateLimited) as caught:
        await client.users.me()
    assert seen and seen[-1].remaining == 0
    assert seen[-1].resets_in is not None and seen[-1].resets_in > 0
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


@pytest.mark.asyncio
async def test_an_unpaced_burst_does_get_429s(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    """The pacing test's set-up is tight enough: 40 requests at once, unpaced, are refused."""
    set_budget(control, 20, 2)
    token = sandbox.token_for("owner")
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        answers = await asyncio.gather(*(http.get("/users/me") for _ in range(40)))
    assert sum(1 for a in answers if a.status_code == 429) == 20


@pytest.mark.asyncio
async def test_the_shared_budget_paces_concurrent_requests(
    control: httpx.Client, client: CalendlyClient
) -> None:
    """40 requests at once against a budget of 20 per 2 s: the client holds back what the
    window cannot take instead of collecting 429s, and every request succeeds."""
    set_budget(control, 20, 2)
    seen: list[BudgetSnapshot] = []
    client.budget.subscribe(seen.append)
    users = await asyncio.wait_for(
        asyncio.gather(*(client.users.me() for _ in range(40))), timeout=30
    )
    assert len(users) == 40 and len({u.uri for u in users}) == 1
    assert client.transport.rate_limited == 0
    assert client.transport.requests_sent == 40  # no request needed a second try
    assert min(s.remaining for s in seen if s.remaining is not None) <= 2  # the window was used


@pytest.mark.asyncio
async def test_pacing_resumes_after_a_429_without_another(
    sandbox: SandboxServer, control: httpx.Client, client: CalendlyClient
) -> None:
    """After a 429 the budget holds every concurrent request until the window resets."""
    set_budget(control, 500, 1)
    sandbox.add_fault(kind="rate_limit", paths=["/users/me"], times=1)
    users = await asyncio.wait_for(
        asyncio.gather(*(client.users.me() for _ in range(10))), timeout=30
    )
    assert len(users) == 10
    assert client.transport.rate_limited == 1
    assert client.transport.requests_sent == 11
