"""Auth: bearer tokens sent and never shown; OAuth refresh against the sandbox's OAuth server."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio

from desktop.api import (
    BearerAuth,
    CalendlyClient,
    CalendlyError,
    OAuthAuth,
    RetryPolicy,
    SignInRequired,
    TokenPair,
    Unauthenticated,
)
from desktop.sandbox import SandboxServer
from tests.sandbox.oauth_browser import NATIVE, Browser, exchange

FAST = RetryPolicy(backoff_base=0.01, backoff_cap=0.05)
TWO_HOURS = 2 * 3600


def pair_of(answer: dict[str, Any]) -> TokenPair:
    return TokenPair(
        access_token=answer["access_token"],
        refresh_token=answer["refresh_token"],
        expires_at=time.time() + float(answer["expires_in"]),
    )


def sign_in(base_url: str) -> TokenPair:
    """The authorization code flow with PKCE, the browser played over HTTP."""
    browser = Browser(base_url)
    try:
        code, verifier = browser.code()
        answer = exchange(browser.http, code, verifier)
        assert answer.status_code == 200, answer.text
        return pair_of(answer.json())
    finally:
        browser.close()


class Refresher:
    """What the app's OAuth module does: ``grant_type=refresh_token`` at the token endpoint."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.calls = 0

    async def __call__(self, refresh_token: str) -> TokenPair:
        self.calls += 1
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": NATIVE}
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10) as http:
            answer = await http.post("/oauth/token", data=form)
        if answer.status_code == 400 and answer.json().get("error") == "invalid_grant":
            raise SignInRequired("Calendly refused the saved sign-in: sign in again.")
        if answer.status_code != 200:
            raise CalendlyError(f"The token endpoint answered {answer.status_code}")
        return pair_of(answer.json())


class Journal:
    """Records, in order, each pair handed to ``on_refreshed`` and each token sent."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.saved: list[TokenPair] = []

    async def on_refreshed(self, pair: TokenPair) -> None:
        await asyncio.sleep(0)  # a keyring write takes a moment: nobody may use the pair yet
        self.saved.append(pair)
        self.events.append(("saved", pair.access_token))

    async def on_request(self, request: httpx.Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        assert scheme == "Bearer"
        self.events.append(("sent", token))

    def sent(self) -> list[str]:
        return [token for kind, token in self.events if kind == "sent"]


MakeClient = Callable[..., CalendlyClient]


@pytest_asyncio.fixture
async def make_client(sandbox: SandboxServer) -> AsyncIterator[MakeClient]:
    """``make_client(auth, journal=None, **options)``: a client on the sandbox whose requests
    the journal sees (through a request hook of its own ``httpx.AsyncClient``)."""
    made: list[CalendlyClient] = []

    def make(
        auth: str | httpx.Auth, journal: Journal | None = None, **options: Any
    ) -> CalendlyClient:
        hooks = {"request": [journal.on_request]} if journal else {}
        http = httpx.AsyncClient(event_hooks=hooks)
        client = CalendlyClient(sandbox.base_url, auth, http=http, retry=FAST, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


# -- personal access tokens -------------------------------------------------------------------
@pytest.mark.asyncio
async def test_a_personal_access_token_is_sent_as_bearer(
    sandbox: SandboxServer, make_client: MakeClient
) -> None:
    token = sandbox.token_for("owner")
    journal = Journal()
    client = make_client(BearerAuth(token), journal)
    me = await client.users.me()
    assert me.email
    assert journal.sent() == [token]


@pytest.mark.asyncio
async def test_personal_access_tokens_are_never_refreshed(
    sandbox: SandboxServer, make_client: MakeClient
) -> None:
    """A PAT does not expire with the clock, and a 401 with one is final: no refresh, no retry."""
    token = sandbox.token_for("owner")
    client = make_client(token)
    sandbox.advance_clock(3 * TWO_HOURS)
    assert (await client.users.me()).email
    refresher, journal = Refresher(sandbox.base_url), Journal()
    auth = OAuthAuth(TokenPair("pat-that-was-revoked"), refresher, journal.on_refreshed)
    wrong = make_client(auth, journal)
    with pytest.raises(Unauthenticated):
        await wrong.users.me()
    assert refresher.calls == auth.refreshes == 0
    assert journal.sent() == ["pat-that-was-revoked"]


# -- OAuth ------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_concurrent_401s_share_one_refresh_and_the_new_pair_is_saved_first(
    sandbox: SandboxServer, make_client: MakeClient
) -> None:
    pair = await asyncio.to_thread(sign_in, sandbox.base_url)
    refresher, journal = Refresher(sandbox.base_url), Journal()
    auth = OAuthAuth(pair, refresher, journal.on_refreshed)
    client = make_client(auth, journal)
    me = await client.users.me()
    sandbox.advance_clock(TWO_HOURS + 60)  # the access token expires on Calendly's side only

    users = await asyncio.gather(*(client.users.me() for _ in range(10)))

    assert [u.uri for u in users] == [me.uri] * 10
    assert refresher.calls == auth.refreshes == 1
    assert len(journal.saved) == 1
    fresh = journal.saved[0]
    assert auth.tokens == fresh
    assert fresh.access_token != pair.access_token
    assert fresh.refresh_token not in (None, pair.refresh_token)  # rotated
    first_use = journal.events.index(("sent", fresh.access_token))
    assert journal.events.index(("saved", fresh.access_token)) < first_use
    assert journal.sent().count(fresh.access_token) == 10


@pytest.mark.asyncio
async def test_the_token_is_refreshed_ahead_of_expiry(
    sandbox: SandboxServer, make_client: MakeClient
) -> None:
    signed_in = await asyncio.to_thread(sign_in, sandbox.base_url)
    now = [1_000_000.0]
    pair = TokenPair(signed_in.access_token, signed_in.refresh_token, expires_at=now[0] + 3600)
    refresher, journal = Refresher(sandbox.base_url), Journal()
    auth = OAuthAuth(pair, refresher, journal.on_refreshed, skew_seconds=120, clock=lambda: now[0])
    client = make_client(auth, journal)

    await client.users.me()  # an hour left: no refresh
    assert refresher.calls == 0
    assert journal.sent() == [pair.access_token]

    now[0] += 3600 - 60  # a minute left, within the skew: refresh before sending
    await asyncio.gather(*(client.users.me() for _ in range(5)))
    assert refresher.calls == auth.refreshes == 1
    fresh = journal.saved[0]
    assert (
        journal.events[1:] == [("saved", fresh.access_token)] + [("sent", fresh.access_token)] * 5
    )


@pytest.mark.asyncio
async def test_a_refused_refresh_asks_to_sign_in_again(
    sandbox: SandboxServer, make_client: MakeClient
) -> None:
    """The refresh token was already used (by another copy of the app): Calendly refuses it,
    and every request waiting for the refresh gets ``SignInRequired`` from one attempt."""
    pair = await asyncio.to_thread(sign_in, sandbox.base_url)
    assert (await Refresher(sandbox.base_url)(str(pair.refresh_token))).access_token
    refresher, journal = Refresher(sandbox.base_url), Journal()
    auth = OAuthAuth(pair, refresher, journal.on_refreshed)
    client = make_client(auth, journal)
    sandbox.advance_clock(TWO_HOURS + 60)

    outcomes = await asyncio.gather(*(client.users.me() for _ in range(5)), return_exceptions=True)

    assert all(isinstance(o, SignInRequired) for o in outcomes), outcomes
    assert all(isinstance(o, CalendlyError) for o in outcomes)
    assert refresher.calls == 1
    assert journal.saved == [] and auth.tokens == pair
    for outcome in outcomes:
        assert str(pair.refresh_token) not in str(outcome)
        assert pair.access_token not in str(outcome)
    with pytest.raises(SignInRequired):  # and it stays refused, without asking again
        await client.users.me()
    assert refresher.calls == 1


@pytest.mark.asyncio
async def test_an_expired_pair_without_refresh_token_asks_to_sign_in(
    sandbox: SandboxServer, make_client: MakeClient
) -> None:
    refresher, journal = Refresher(sandbox.base_url), Journal()
    expired = TokenPair(sandbox.token_for("owner"), None, expires_at=time.time() - 10)
    client = make_client(OAuthAuth(expired, refresher, journal.on_refreshed), journal)
    with pytest.raises(SignInRequired):
        await client.users.me()
    assert refresher.calls == 0 and journal.sent() == []


# -- secrecy ----------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_tokens_never_appear_in_reprs_errors_or_logs(
    sandbox: SandboxServer, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    good = sandbox.token_for("owner")
    bad = "wrong-token-0123456789abcdef"
    pair = await asyncio.to_thread(sign_in, sandbox.base_url)
    oauth = OAuthAuth(pair, Refresher(sandbox.base_url), Journal().on_refreshed)
    clients = [make_client(good), make_client(bad), make_client(oauth)]

    assert (await clients[0].users.me()).email
    with pytest.raises(Unauthenticated) as caught:
        await clients[1].users.me()
    sandbox.advance_clock(TWO_HOURS + 60)
    assert (await clients[2].users.me()).email  # refreshed on a 401
    assert oauth.refreshes == 1

    secrets = [good, bad, pair.access_token, str(pair.refresh_token)]
    secrets += [oauth.tokens.access_token, str(oauth.tokens.refresh_token)]
    shown = [repr(c) for c in clients] + [repr(BearerAuth(good)), repr(oauth), repr(pair)]
    shown += [str(caught.value), repr(caught.value), repr(caught.value.body)]
    shown += [str(arg) for arg in caught.value.args]
    logged = [record.getMessage() for record in caplog.records]
    logged += [repr(record.args) for record in caplog.records]
    assert any("/users/me" in line for line in logged)  # the requests were logged
    for secret in secrets:
        for text in shown + logged:
            assert secret not in text
