"""The transport: one pooled connection set, requests kept on Calendly's host, parameters
encoded as Calendly expects, and a timeout on every request."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from desktop.api import CalendlyClient
from desktop.api.transport import encode_body, encode_params
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory


def local_ports(client: CalendlyClient) -> list[int]:
    """The local port of the connection each answer came over (httpx offers no public way to
    reach its pool, so the hook goes on the transport's own client)."""
    ports: list[int] = []

    async def record(response: httpx.Response) -> None:
        stream = response.extensions["network_stream"]
        ports.append(stream.get_extra_info("client_addr")[1])

    client.transport._http.event_hooks["response"].append(record)
    return ports


# -- connections ------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_sequential_requests_reuse_one_connection(client: CalendlyClient) -> None:
    ports = local_ports(client)
    for _ in range(20):
        await client.users.me()
    assert len(ports) == 20
    assert len(set(ports)) == 1


@pytest.mark.asyncio
async def test_concurrent_requests_use_at_most_max_concurrency_connections(
    client_for: ClientFactory,
) -> None:
    client = client_for(max_concurrency=3)
    ports = local_ports(client)
    await asyncio.gather(*(client.users.me() for _ in range(30)))
    await asyncio.gather(*(client.users.me() for _ in range(30)))
    assert len(ports) == 60
    assert 1 <= len(set(ports)) <= 3


@pytest.mark.asyncio
async def test_async_with_closes_the_http_client(sandbox: SandboxServer) -> None:
    http = httpx.AsyncClient()
    async with CalendlyClient(sandbox.base_url, sandbox.token_for("owner"), http=http) as client:
        assert (await client.users.me()).email  # the token is sent by a caller's client too
    assert http.is_closed


# -- where requests go ------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_urls_on_another_host_are_refused_before_sending(client: CalendlyClient) -> None:
    base = client.base_url
    for url in (
        "https://evil.example.com/users/me",
        f"{base}.evil.example.com/users/me",  # a look-alike host
        f"{base}@evil.example.com/users/me",  # user info in front of another host
        base.replace("http://", "https://") + "/users/me",  # another scheme
    ):
        with pytest.raises(ValueError, match="refusing"):
            await client.transport.request("GET", url)
    assert client.transport.requests_sent == 0


@pytest.mark.asyncio
async def test_full_uris_on_the_api_host_are_followed(client: CalendlyClient) -> None:
    me = await client.users.me()
    assert (await client.users.get(me.uri)).uri == me.uri
    raw = await client.transport.request("GET", me.uri)
    assert httpx.Response(200, content=raw).json()["resource"]["uri"] == me.uri


@pytest.mark.asyncio
async def test_an_unsendable_path_is_a_value_error_not_an_httpx_error(
    client: CalendlyClient,
) -> None:
    with pytest.raises(ValueError) as caught:
        await client.users.get("NOSUCH\nUSER")
    assert not isinstance(caught.value, httpx.InvalidURL)
    assert client.transport.requests_sent == 0


# -- encoding ---------------------------------------------------------------------------------
def test_encode_params_follows_calendlys_conventions() -> None:
    tokyo = timezone(timedelta(hours=9))
    pairs = encode_params(
        {
            "organization": "https://api.calendly.com/organizations/ORG",
            "page_token": None,
            "active": True,
            "archived": False,
            "count": 100,
            "min_start_time": datetime(2026, 3, 1, 9, 30, tzinfo=tokyo),
            "max_start_time": datetime(2026, 3, 2, tzinfo=UTC),
            "invitee_email": ["a@example.com", None, "b@example.com"],
        }
    )
    assert pairs == [
        ("organization", "https://api.calendly.com/organizations/ORG"),
        ("active", "true"),
        ("archived", "false"),
        ("count", "100"),
        ("min_start_time", "2026-03-01T00:30:00.000000Z"),
        ("max_start_time", "2026-03-02T00:00:00.000000Z"),
        ("invitee_email", "a@example.com"),
        ("invitee_email", "b@example.com"),
    ]
    assert encode_params(None) == []


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        encode_params({"min_start_time": datetime(2026, 3, 1, 9, 30)})
    with pytest.raises(ValueError, match="timezone-aware"):
        encode_body({"event": {"start_time": datetime(2026, 3, 1, 9, 30)}})


def test_json_bodies_carry_timestamps_like_parameters() -> None:
    body: dict[str, Any] = {
        "start_time": datetime(2026, 3, 1, 9, 30, 5, 120, tzinfo=timezone(timedelta(hours=1))),
        "slots": [{"at": datetime(2026, 3, 1, tzinfo=UTC)}],
        "count": 2,
    }
    assert encode_body(body) == (
        b'{"start_time":"2026-03-01T08:30:05.000120Z",'
        b'"slots":[{"at":"2026-03-01T00:00:00.000000Z"}],"count":2}'
    )


@pytest.mark.asyncio
async def test_a_naive_datetime_is_refused_before_sending(
    client: CalendlyClient, organization_uri: str
) -> None:
    params = {"organization": organization_uri, "min_start_time": datetime(2026, 1, 1)}
    with pytest.raises(ValueError):
        await client.transport.request("GET", "/scheduled_events", params=params)
    assert client.transport.requests_sent == 0


@pytest.mark.asyncio
async def test_encoded_parameters_reach_the_sandbox_and_are_understood(
    client: CalendlyClient, organization_uri: str
) -> None:
    seen: list[httpx.URL] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.url)

    client.transport._http.event_hooks["request"].append(record)
    start = datetime(2020, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=1)))
    params = {"organization": organization_uri, "min_start_time": start, "count": 5}
    raw = await client.transport.request("GET", "/scheduled_events", params=params)
    assert len(httpx.Response(200, content=raw).json()["collection"]) == 5
    assert seen[0].params["min_start_time"] == "2020-01-01T00:00:00.000000Z"


# -- timeouts ---------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_every_request_has_a_timeout(sandbox: SandboxServer) -> None:
    timeouts: list[dict[str, float | None]] = []

    async def record(request: httpx.Request) -> None:
        timeouts.append(request.extensions["timeout"])

    token = sandbox.token_for("owner")
    hooks = {"request": [record]}
    mine = httpx.AsyncClient(timeout=None, event_hooks=hooks)  # a caller's client, no timeout
    async with CalendlyClient(sandbox.base_url, token, http=mine) as client:
        await client.users.me()
    async with CalendlyClient(sandbox.base_url, token, timeout=7.5) as client:
        client.transport._http.event_hooks["request"].append(record)
        await client.users.me()
    assert len(timeouts) == 2
    default, chosen = timeouts
    assert all(isinstance(v, float) and v > 0 for v in default.values()), default
    assert set(chosen.values()) == {7.5}
