"""The browser sign-in, refresh, and revocation against the sandbox's real OAuth server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from desktop.api import ConnectionFailed, OAuthAuth, SignInRequired, TokenPair
from desktop.oauth import (
    AuthorizationDenied,
    OAuthRequestFailed,
    OAuthSettings,
    SignInTimedOut,
    authorization_url,
    exchange_code,
    refresh,
    refresher,
    revoke,
    sign_in,
)
from desktop.sandbox import SandboxServer
from tests.oauth.browser import FakeBrowser


@pytest.fixture
def settings(sandbox: SandboxServer) -> OAuthSettings:
    return OAuthSettings.for_sandbox(sandbox.base_url)


@pytest_asyncio.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


async def _me(http: httpx.AsyncClient, base_url: str, access_token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {access_token}"}
    return await http.get(f"{base_url}/users/me", headers=headers)


async def _signed_in(settings: OAuthSettings) -> TokenPair:
    return await sign_in(settings, FakeBrowser("Allow").open, timeout=30)


def test_settings_default_to_calendlys_hosts_and_the_url_carries_pkce_and_state() -> None:
    settings = OAuthSettings("my-app", scopes=("users:read", "scheduled_events:read"))
    assert settings.token_url == "https://auth.calendly.com/oauth/token"
    url = httpx.URL(authorization_url(settings, "http://127.0.0.1:5/callback", "chal", "st"))
    assert (url.scheme, url.host, url.path) == ("https", "auth.calendly.com", "/oauth/authorize")
    assert dict(url.params) == {
        "client_id": "my-app",
        "response_type": "code",
        "redirect_uri": "http://127.0.0.1:5/callback",
        "code_challenge": "chal",
        "code_challenge_method": "S256",
        "state": "st",
        "scope": "users:read scheduled_events:read",
    }
    assert "secret" not in repr(OAuthSettings("app", client_secret="secret"))


@pytest.mark.asyncio
async def test_sign_in_end_to_end_gives_tokens_that_work(
    sandbox: SandboxServer, settings: OAuthSettings, http: httpx.AsyncClient
) -> None:
    browser = FakeBrowser("Allow")
    tokens = await sign_in(settings, browser.open, timeout=30)
    async with asyncio.timeout(10):
        await browser.done.wait()  # the browser reads the page after the listener answered
    assert len(browser.opened) == 1
    assert browser.opened[0].startswith(f"{sandbox.base_url}/oauth/authorize?")
    assert browser.landing is not None and browser.landing.status_code == 200
    assert "You can close this tab" in browser.landing.text
    assert tokens.refresh_token and tokens.expires_at is not None
    assert tokens.access_token not in repr(tokens)
    me = await _me(http, sandbox.base_url, tokens.access_token)
    assert me.status_code == 200
    assert me.json()["resource"]["current_organization"].startswith(sandbox.base_url)


@pytest.mark.asyncio
async def test_deny_raises_a_clear_denied_error(settings: OAuthSettings) -> None:
    browser = FakeBrowser("Deny")
    with pytest.raises(AuthorizationDenied, match="access_denied"):
        await sign_in(settings, browser.open, timeout=30)
    async with asyncio.timeout(10):
        await browser.done.wait()
    assert browser.landing is not None and "declined" in browser.landing.text


@pytest.mark.asyncio
async def test_sign_in_times_out_when_the_browser_never_comes_back(
    settings: OAuthSettings,
) -> None:
    with pytest.raises(SignInTimedOut):
        await sign_in(settings, FakeBrowser(None).open, timeout=0.05)


@pytest.mark.asyncio
async def test_cancelling_sign_in_closes_the_loopback_port(settings: OAuthSettings) -> None:
    browser = FakeBrowser(None)
    task = asyncio.create_task(sign_in(settings, browser.open, timeout=30))
    async with asyncio.timeout(10):
        await browser.done.wait()
    redirect = httpx.URL(browser.opened[0]).params["redirect_uri"]
    port = httpx.URL(redirect).port
    assert port is not None
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


@pytest.mark.asyncio
async def test_refresh_rotates_and_the_old_refresh_token_then_requires_sign_in(
    sandbox: SandboxServer, settings: OAuthSettings, http: httpx.AsyncClient
) -> None:
    first = await _signed_in(settings)
    assert first.refresh_token is not None
    second = await refresh(http, settings, first.refresh_token)
    assert second.refresh_token not in (None, first.refresh_token)
    assert second.access_token != first.access_token
    assert (await _me(http, sandbox.base_url, second.access_token)).status_code == 200
    with pytest.raises(SignInRequired) as raised:
        await refresh(http, settings, first.refresh_token)
    assert first.refresh_token not in str(raised.value)


@pytest.mark.asyncio
async def test_the_refresher_drives_oauth_auth_after_a_401(
    sandbox: SandboxServer, settings: OAuthSettings, http: httpx.AsyncClient
) -> None:
    tokens = await _signed_in(settings)
    await revoke(http, settings, tokens.access_token)  # the next request gets a 401
    saved: list[TokenPair] = []

    async def save(pair: TokenPair) -> None:
        saved.append(pair)

    auth = OAuthAuth(tokens, refresher(http, settings), save)
    me = await http.get(f"{sandbox.base_url}/users/me", auth=auth)
    assert me.status_code == 200
    assert auth.refreshes == 1 and saved == [auth.tokens]


@pytest.mark.asyncio
async def test_revoke_makes_the_access_token_fail(
    sandbox: SandboxServer, settings: OAuthSettings, http: httpx.AsyncClient
) -> None:
    tokens = await _signed_in(settings)
    assert (await _me(http, sandbox.base_url, tokens.access_token)).status_code == 200
    await revoke(http, settings, tokens.access_token)
    assert (await _me(http, sandbox.base_url, tokens.access_token)).status_code == 401


@pytest.mark.asyncio
async def test_revoking_the_refresh_token_ends_the_grant(
    settings: OAuthSettings, http: httpx.AsyncClient
) -> None:
    tokens = await _signed_in(settings)
    assert tokens.refresh_token is not None
    await revoke(http, settings, tokens.refresh_token, "refresh_token")
    with pytest.raises(SignInRequired):
        await refresh(http, settings, tokens.refresh_token)


@pytest.mark.asyncio
async def test_a_bad_code_is_refused_without_echoing_it(
    settings: OAuthSettings, http: httpx.AsyncClient
) -> None:
    with pytest.raises(OAuthRequestFailed) as raised:
        await exchange_code(
            http, settings, "not-a-real-code", "http://127.0.0.1:9/callback", "v" * 43
        )
    assert raised.value.error == "invalid_grant" and raised.value.status == 400
    assert "not-a-real-code" not in str(raised.value)


@pytest.mark.asyncio
async def test_an_unreachable_token_endpoint_is_a_connection_failure(
    http: httpx.AsyncClient,
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = OAuthSettings.for_sandbox(f"http://127.0.0.1:{port}")
    with pytest.raises(ConnectionFailed) as raised:
        await refresh(http, settings, "some-refresh-token")
    assert not isinstance(raised.value, SignInRequired)
    assert "some-refresh-token" not in str(raised.value)
