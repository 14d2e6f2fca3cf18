"""The OAuth endpoints as async calls: the authorization URL, code exchange, refresh, revoke.

Calendly serves them on ``auth.calendly.com``; the sandbox on its own host. Token answers are
decoded with ``desktop.domain.OAuthToken``; the access token's expiry is counted on this
machine's clock from when the request was sent (``expires_in``), not from the server's
``created_at``, so a skewed or simulated server clock cannot make a fresh token look expired.
No token or code ever appears in a message, repr or log line.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import msgspec

from desktop.api.auth import TokenPair
from desktop.api.errors import ConnectionFailed, MalformedResponse, RequestTimeout, SignInRequired
from desktop.domain import OAuthToken, decode
from desktop.oauth.errors import OAuthRequestFailed

CALENDLY_AUTH = "https://auth.calendly.com"
SANDBOX_CLIENT_ID = "calendly-console-sandbox"


@dataclass(frozen=True)
class OAuthSettings:
    """Which OAuth client and authorization server to use; defaults to Calendly's hosts.

    ``client_secret`` is only for confidential (web) clients; the desktop app is a public
    client that proves itself with PKCE. An empty ``scopes`` asks for the app's registered
    scopes (the parameter is omitted).
    """

    client_id: str
    authorize_url: str = f"{CALENDLY_AUTH}/oauth/authorize"
    token_url: str = f"{CALENDLY_AUTH}/oauth/token"
    revoke_url: str = f"{CALENDLY_AUTH}/oauth/revoke"
    scopes: tuple[str, ...] = ()
    client_secret: str | None = field(default=None, repr=False)

    @classmethod
    def for_sandbox(
        cls, base_url: str, client_id: str = SANDBOX_CLIENT_ID, scopes: tuple[str, ...] = ()
    ) -> OAuthSettings:
        """The sandbox's OAuth server (its ``/oauth/*`` on the API host) and native client."""
        base = base_url.rstrip("/")
        return cls(
            client_id=client_id,
            authorize_url=f"{base}/oauth/authorize",
            token_url=f"{base}/oauth/token",
            revoke_url=f"{base}/oauth/revoke",
            scopes=scopes,
        )

    def _client_fields(self) -> dict[str, str]:
        fields = {"client_id": self.client_id}
        if self.client_secret is not None:
            fields["client_secret"] = self.client_secret
        return fields


def authorization_url(
    settings: OAuthSettings, redirect_uri: str, challenge: str, state: str
) -> str:
    """Where to send the browser: an authorization-code request with PKCE S256 and ``state``."""
    params = {
        "client_id": settings.client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
    }
    if settings.scopes:
        params["scope"] = " ".join(settings.scopes)
    joiner = "&" if urlsplit(settings.authorize_url).query else "?"
    return f"{settings.authorize_url}{joiner}{urlencode(params)}"


async def _post(http: httpx.AsyncClient, url: str, data: dict[str, str]) -> httpx.Response:
    host = urlsplit(url).netloc
    try:
        return await http.post(url, data=data, headers={"Accept": "application/json"})
    except httpx.TimeoutException:
        raise RequestTimeout(f"The sign-in server ({host}) did not answer in time.") from None
    except httpx.TransportError as error:
        failed = ConnectionFailed(f"Could not reach the sign-in server ({host}): {error}")
        failed.sent = not isinstance(error, httpx.ConnectError)
        raise failed from None


def _refused(response: httpx.Response) -> OAuthRequestFailed:
    """The RFC 6749 §5.2 error in an answer (or a generic one when it is not JSON)."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        description = body.get("error_description")
        return OAuthRequestFailed(
            response.status_code, body["error"], description if isinstance(description, str) else ""
        )
    return OAuthRequestFailed(response.status_code, "server_error", response.reason_phrase)


async def _token(
    http: httpx.AsyncClient, settings: OAuthSettings, data: dict[str, str]
) -> TokenPair:
    sent_at = time.time()
    response = await _post(http, settings.token_url, {**data, **settings._client_fields()})
    if response.status_code != 200:
        raise _refused(response)
    try:
        answer = decode(response.content, OAuthToken)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise MalformedResponse(f"The token endpoint's answer is not a token: {error}") from None
    expires_at = None if answer.expires_in is None else sent_at + answer.expires_in
    return TokenPair(answer.access_token, answer.refresh_token, expires_at)


async def exchange_code(
    http: httpx.AsyncClient, settings: OAuthSettings, code: str, redirect_uri: str, verifier: str
) -> TokenPair:
    """Trade an authorization code (and its PKCE verifier) for tokens.

    Raises OAuthRequestFailed (e.g. ``invalid_grant`` for a spent or expired code),
    ConnectionFailed, or MalformedResponse.
    """
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    return await _token(http, settings, data)


async def refresh(
    http: httpx.AsyncClient, settings: OAuthSettings, refresh_token: str
) -> TokenPair:
    """A new pair for a refresh token (which is then spent: Calendly rotates them).

    ``invalid_grant`` (used, revoked or expired refresh token) raises SignInRequired; an
    unreachable server raises ConnectionFailed; other refusals raise OAuthRequestFailed.
    """
    try:
        return await _token(
            http, settings, {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
    except OAuthRequestFailed as error:
        if error.error == "invalid_grant":
            raise SignInRequired(
                f"The sign-in has expired or was revoked; sign in again. ({error.description})"
            ) from None
        raise


def refresher(
    http: httpx.AsyncClient, settings: OAuthSettings
) -> Callable[[str], Awaitable[TokenPair]]:
    """The ``Refresher`` that ``desktop.api.OAuthAuth`` takes, bound to a client and settings."""

    async def refresh_with(refresh_token: str) -> TokenPair:
        return await refresh(http, settings, refresh_token)

    return refresh_with


async def revoke(
    http: httpx.AsyncClient, settings: OAuthSettings, token: str, token_type_hint: str | None = None
) -> None:
    """Revoke an access or refresh token (RFC 7009; unknown tokens also succeed).

    Raises OAuthRequestFailed or ConnectionFailed; signing out should still forget the
    tokens locally when it does.
    """
    data = {"token": token}
    if token_type_hint is not None:
        data["token_type_hint"] = token_type_hint
    response = await _post(http, settings.revoke_url, {**data, **settings._client_fields()})
    if response.status_code != 200:
        raise _refused(response)
