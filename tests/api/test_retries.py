"""Retries: idempotent requests again after 5xx, drops and cut answers; POSTs only after a 429."""

from __future__ import annotations

import socket
import time
from typing import Any

import httpx
import pytest

from desktop.api import (
    CalendlyClient,
    ConnectionFailed,
    NotFound,
    RetryPolicy,
    ServerError,
)
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory

HOOKS = "/webhook_subscriptions"


def hook_body(organization: str, url: str) -> dict[str, Any]:
    return {
        "url": url,
        "events": ["invitee.created", "invitee.canceled"],
        "organization": organization,
        "scope": "organization",
    }


def hooks_for(sandbox: SandboxServer, url: str) -> int:
    """How many subscriptions the sandbox holds for ``url`` (what reached it, not what we sent)."""
    return len(sandbox.state.store.find("webhooks", "callback_url = ?", (url,)))


async def create_hook(client: CalendlyClient, organization: str, url: str) -> str:
    raw = await client.transport.request("POST", HOOKS, json=hook_body(organization, url))
    uri: str = httpx.Response(201, content=raw).json()["resource"]["uri"]
    return uri


def short_window(control: httpx.Client, limit: int = 500, seconds: int = 1) -> None:
    """A short rate-limit window: a rate_limit fault's 429 then lasts about a second."""
    answer = control.post("/_sandbox/rate_limit", json={"limit": limit, "window_seconds": seconds})
    assert answer.status_code == 200, answer.text


# -- GET --------------------------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_get_is_retried_after_server_errors(
    sandbox: SandboxServer, client: CalendlyClient, status: int
) -> None:
    fault = sandbox.add_fault(kind="error", status=status, paths=["/users/me"], times=2)
    me = await client.users.me()
    assert me.email
    assert fault.fired == 2
    assert client.transport.requests_sent == 3


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["drop", "truncate"])
async def test_get_is_retried_after_a_lost_answer(
    sandbox: SandboxServer, client: CalendlyClient, kind: str
) -> None:
    fault = sandbox.add_fault(kind=kind, paths=["/users/me"], times=1)
    me = await client.users.me()
    assert me.email
    assert fault.fired == 1
    assert client.transport.requests_sent == 2


@pytest.mark.asyncio
async def test_get_is_retried_after_a_timeout(
    sandbox: SandboxServer, client_for: ClientFactory
) -> None:
    client = client_for(timeout=0.5)
    sandbox.add_fault(kind="latency", latency_ms=3000, paths=["/users/me"], times=1)
    me = await client.users.me()
    assert me.email
    assert client.transport.requests_sent == 2


@pytest.mark.asyncio
async def test_client_errors_are_not_retried(
    sandbox: SandboxServer, client: CalendlyClient
) -> None:
    fault = sandbox.add_fault(kind="error", status=404, paths=["/users/*"], times=2)
    with pytest.raises(NotFound):
        await client.users.me()
    assert fault.fired == client.transport.requests_sent == 1


# -- DELETE -----------------------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["error", "drop"])
async def test_delete_is_retried(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str, kind: str
) -> None:
    url = f"https://example.com/hooks/delete-{kind}"
    uri = await create_hook(client, organization_uri, url)
    fault = sandbox.add_fault(kind=kind, status=503, methods=["DELETE"], times=1)
    before = client.transport.requests_sent
    assert await client.transport.request("DELETE", uri) == b""
    assert fault.fired == 1
    assert client.transport.requests_sent - before == 2
    assert hooks_for(sandbox, url) == 0
    with pytest.raises(NotFound):
        await client.transport.request("GET", uri)


# -- POST -------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_post_is_not_retried_after_a_server_error(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    url = "https://example.com/hooks/post-500"
    fault = sandbox.add_fault(kind="error", status=500, paths=[HOOKS], methods=["POST"], times=1)
    with pytest.raises(ServerError) as caught:
        await client.transport.request("POST", HOOKS, json=hook_body(organization_uri, url))
    assert caught.value.status == 500
    assert fault.fired == 1
    assert client.transport.requests_sent == 1
    # A retry would have got past the (spent) fault and made the subscription.
    assert hooks_for(sandbox, url) == 0


@pytest.mark.asyncio
async def test_post_is_not_retried_after_a_dropped_connection(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    url = "https://example.com/hooks/post-drop"
    fault = sandbox.add_fault(kind="drop", paths=[HOOKS], methods=["POST"], times=1)
    with pytest.raises(ConnectionFailed) as caught:
        await client.transport.request("POST", HOOKS, json=hook_body(organization_uri, url))
    assert caught.value.sent  # it may have been processed: the caller reconciles
    assert fault.fired == 1
    assert client.transport.requests_sent == 1
    assert hooks_for(sandbox, url) == 0


@pytest.mark.asyncio
async def test_post_is_retried_after_a_429(
    sandbox: SandboxServer,
    control: httpx.Client,
    client: CalendlyClient,
    organization_uri: str,
) -> None:
    """A 429 is refused unprocessed: any method may be sent again once the window resets."""
    short_window(control)
    url = "https://example.com/hooks/post-429"
    fault = sandbox.add_fault(kind="rate_limit", paths=[HOOKS], methods=["POST"], times=1)
    started = time.monotonic()
    uri = await create_hook(client, organization_uri, url)
    waited = time.monotonic() - started
    assert uri.startswith(sandbox.base_url + HOOKS + "/")
    assert fault.fired == 1
    assert client.transport.rate_limited == 1  # the retry came after the reset: not refused
    assert client.transport.requests_sent == 2
    assert waited >= 0.9  # X-RateLimit-Reset (1 s) was waited out
    assert hooks_for(sandbox, url) == 1


# -- giving up --------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_retries_give_up_after_max_retries_with_the_last_error(
    sandbox: SandboxServer, client_for: ClientFactory
) -> None:
    client = client_for(retry=RetryPolicy(max_retries=2, backoff_base=0.01, backoff_cap=0.02))
    # Requests 1 and 2 answer 500 (the later fault wins), request 3 answers 503.
    always = sandbox.add_fault(kind="error", status=503, paths=["/users/me"])
    sandbox.add_fault(kind="error", status=500, paths=["/users/me"], times=2)
    with pytest.raises(ServerError) as caught:
        await client.users.me()
    assert caught.value.status == 503
    assert always.fired == client.transport.requests_sent == 3


@pytest.mark.asyncio
async def test_no_retries_when_max_retries_is_zero(
    sandbox: SandboxServer, client_for: ClientFactory
) -> None:
    client = client_for(retry=RetryPolicy(max_retries=0))
    sandbox.add_fault(kind="drop", paths=["/users/me"], times=1)
    with pytest.raises(ConnectionFailed):
        await client.users.me()
    assert client.transport.requests_sent == 1
    assert (await client.users.me()).email  # the fault is spent: the next call works


@pytest.mark.asyncio
async def test_a_connection_refused_is_retried_for_a_post_too(sandbox: SandboxServer) -> None:
    """Nothing listens there: the request certainly never arrived, so even a POST may be sent
    again; after the retries the error says it was never sent."""
    policy = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_cap=0.02)
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    async with CalendlyClient(f"http://127.0.0.1:{port}", "token", retry=policy) as client:
        with pytest.raises(ConnectionFailed) as caught:
            await client.transport.request("POST", HOOKS, json={})
        assert client.transport.requests_sent == 3
    assert not caught.value.sent
