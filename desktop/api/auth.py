"""Bearer authentication as httpx.Auth flows: personal access tokens and OAuth with refresh.

OAuth refresh follows Calendly's rotation rule: a refresh token works exactly once, so a
refresh is single-flight (concurrent requests share it) and the new pair is handed to
``on_refreshed`` (to be saved in the keyring) *before* it is used — a pair that was used but
never saved would log the user out.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass, field

import httpx

from desktop.api.errors import SignInRequired


@dataclass(frozen=True)
class TokenPair:
    """An OAuth access token, its refresh token and when the access token expires."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None  # time.time() seconds; None: unknown or never

    def __repr__(self) -> str:  # tokens never reach logs or tracebacks
        return f"TokenPair(access_token=<hidden>, expires_at={self.expires_at!r})"


class BearerAuth(httpx.Auth):
    """A personal access token: sent as is, never refreshed."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def __repr__(self) -> str:
        return "BearerAuth(<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


# Refreshers raise SignInRequired when the refresh token is refused and ConnectionFailed (or
# another CalendlyError) when the token endpoint cannot be reached.
Refresher = Callable[[str], Awaitable[TokenPair]]
Saver = Callable[[TokenPair], Awaitable[None]]


class OAuthAuth(httpx.Auth):
    """An OAuth access token, refreshed ahead of expiry and once after a 401."""

    def __init__(
        self,
        tokens: TokenPair,
        refresh: Refresher,
        on_refreshed: Saver,
        skew_seconds: float = 120.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tokens = tokens
        self._refresh = refresh
        self._on_refreshed = on_refreshed
        self._skew = skew_seconds
        self._clock = clock
        self._lock = asyncio.Lock()
        self._refused: SignInRequired | None = None
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"OAuthAuth({self._tokens!r})"

    @property
    def tokens(self) -> TokenPair:
        return self._tokens

    def _due(self) -> bool:
        expires = self._tokens.expires_at
        return expires is not None and self._clock() >= expires - self._skew

    async def _refreshed(self, stale: str | None) -> TokenPair:
        """Refresh once for everyone: later callers with the same stale token reuse it."""
        async with self._lock:
            current = self._tokens
            if stale is not None and current.access_token != stale:
                return current  # someone refreshed while we waited
            if stale is None and not self._due():
                return current
            if self._refused is not None:
                # Refused once is refused for good: requests that waited for that refresh
                # must not spend the token endpoint's budget presenting the same token again.
                raise SignInRequired(self._refused.message)
            if current.refresh_token is None:
                raise SignInRequired("The access token expired and there is no refresh token.")
            try:
                fresh = await self._refresh(current.refresh_token)
            except SignInRequired as error:
                self._refused = error
                raise
            await self._on_refreshed(fresh)  # saved before anyone uses it
            self._tokens = fresh
            self.refreshes += 1
            return fresh

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        tokens = await self._refreshed(None) if self._due() else self._tokens
        request.headers["Authorization"] = f"Bearer {tokens.access_token}"
        response = yield request
        if response.status_code != 401 or tokens.refresh_token is None:
            return
        await response.aread()
        tokens = await self._refreshed(tokens.access_token)
        request.headers["Authorization"] = f"Bearer {tokens.access_token}"
        yield request

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("OAuthAuth works with httpx.AsyncClient only")
