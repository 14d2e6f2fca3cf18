"""Build a signed-in client for a profile, keep its tokens in the keyring, sign out."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from desktop import secrets
from desktop.api.auth import OAuthAuth, TokenPair
from desktop.api.client import CalendlyClient
from desktop.api.errors import CalendlyError, SignInRequired, Unauthenticated
from desktop.connection.identity import Identity, environment_of, identify
from desktop.oauth.errors import OAuthRequestFailed
from desktop.oauth.flow import OAuthSettings, refresher, revoke
from desktop.profiles import CALENDLY_API, CALENDLY_AUTHORIZE_URL, CALENDLY_TOKEN_URL, Profile
from desktop.secrets import SecretStore, SecretStoreError

log = logging.getLogger(__name__)

OAUTH_TOKENS = secrets.OAUTH_TOKENS


class SandboxEndpoint(Protocol):
    @property
    def base_url(self) -> str: ...
    @property
    def token(self) -> str: ...


class SandboxHost(Protocol):
    """The built-in sandbox as the app sees it: started on demand (off the UI thread)."""

    async def start(self) -> SandboxEndpoint: ...


@dataclass
class Connection:
    """A profile signed in: its client (closed with the connection) and who it is."""

    profile: Profile
    client: CalendlyClient
    identity: Identity
    environment: str
    _token_http: httpx.AsyncClient | None = field(default=None, repr=False)

    async def aclose(self) -> None:
        await self.client.aclose()
        if self._token_http is not None:
            await self._token_http.aclose()


def oauth_settings(profile: Profile) -> OAuthSettings:
    """The profile's OAuth client and hosts (Calendly's where it names none)."""
    # Loaded here: OAuth profiles need it, the sandbox's start-up does not.
    from desktop.connection.token_check import CredentialProblem
    from desktop.connection.token_check import oauth_settings as checked_oauth_settings

    try:
        return checked_oauth_settings(
            profile.oauth_client_id or "",
            profile.oauth_authorize_url or CALENDLY_AUTHORIZE_URL,
            profile.oauth_token_url or CALENDLY_TOKEN_URL,
        )
    except CredentialProblem as problem:
        raise SignInRequired(f"The profile {profile.name!r}: {problem.message}") from None


def encode_tokens(tokens: TokenPair) -> str:
    return json.dumps(
        {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at,
        }
    )


def decode_tokens(raw: str) -> TokenPair | None:
    try:
        data = json.loads(raw)
        access = data["access_token"]
        refresh_token = data.get("refresh_token")
        expires_at = data.get("expires_at")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(access, str) or not access:
        return None
    return TokenPair(
        access_token=access,
        refresh_token=refresh_token if isinstance(refresh_token, str) else None,
        expires_at=float(expires_at) if isinstance(expires_at, int | float) else None,
    )


class Connector:
    """Turns profiles into connections; the only place that reads or writes their tokens."""

    def __init__(
        self, store: SecretStore, sandbox: SandboxHost | None, *, timeout: float = 30.0
    ) -> None:
        self.secrets = store
        self._sandbox = sandbox
        self._timeout = timeout
        # Called when renewed OAuth tokens could not be saved (the UI says so); None: logged.
        self.on_unsaved_tokens: Callable[[], None] | None = None

    async def connect(self, profile: Profile) -> Connection:
        """A client for the profile and its identity. Raises SignInRequired when no usable
        credentials are saved (or the refresh token was refused), else CalendlyError."""
        client, token_http = await self._client_for(profile)
        try:
            identity = await identify(client)
        except BaseException as error:
            await client.aclose()
            if token_http is not None:
                await token_http.aclose()
            if isinstance(error, Unauthenticated) and profile.kind != "sandbox":
                # A revoked or expired token: the way out is signing in again.
                raise SignInRequired(
                    f"Calendly refused the saved sign-in of {profile.name!r}."
                ) from error
            raise
        environment = environment_of(client.base_url, sandbox=profile.kind == "sandbox")
        return Connection(profile, client, identity, environment, token_http)

    async def _client_for(
        self, profile: Profile
    ) -> tuple[CalendlyClient, httpx.AsyncClient | None]:
        if profile.kind == "sandbox":
            if self._sandbox is None:
                raise CalendlyError("The built-in sandbox is not available in this build.")
            access = await self._sandbox.start()
            return CalendlyClient(access.base_url, access.token, timeout=self._timeout), None
        base_url = profile.base_url or CALENDLY_API
        if profile.kind == "token":
            token = await self.secrets.get(profile.id, secrets.PERSONAL_TOKEN)
            if not token:
                raise SignInRequired(f"No personal access token is saved for {profile.name!r}.")
            return CalendlyClient(base_url, token, timeout=self._timeout), None
        raw = await self.secrets.get(profile.id, OAUTH_TOKENS)
        tokens = decode_tokens(raw) if raw else None
        if tokens is None:
            raise SignInRequired(f"No sign-in is saved for {profile.name!r}.")
        settings = oauth_settings(profile)
        token_http = httpx.AsyncClient(timeout=self._timeout)

        async def save(fresh: TokenPair) -> None:
            # The old refresh token is spent: the new pair must be used even when the keyring
            # refuses it, or the session ends now. Then it lasts for this session only.
            try:
                await self.save_oauth(profile.id, fresh)
            except SecretStoreError as error:
                log.warning("rotated tokens of %s not saved: %s", profile.id, error)
                if self.on_unsaved_tokens is not None:
                    self.on_unsaved_tokens()

        auth = OAuthAuth(tokens, refresher(token_http, settings), on_refreshed=save)
        return CalendlyClient(base_url, auth, timeout=self._timeout), token_http

    async def save_personal_token(self, profile_id: str, token: str) -> None:
        await self.secrets.set(profile_id, secrets.PERSONAL_TOKEN, token)

    async def save_oauth(self, profile_id: str, tokens: TokenPair) -> None:
        """One keyring entry for the pair, so a rotation is saved whole or not at all."""
        await self.secrets.set(profile_id, OAUTH_TOKENS, encode_tokens(tokens))

    async def sign_out(self, profile: Profile) -> str | None:
        """Revoke what can be revoked and forget the profile's tokens; the profile stays.

        The tokens are forgotten here whatever happens to the revocation. Returns why Calendly
        could not be told to revoke them (a short technical reason), or None.
        """
        notice = None
        try:
            if profile.kind == "oauth":
                raw = await self.secrets.get(profile.id, OAUTH_TOKENS)
                tokens = decode_tokens(raw) if raw else None
                if tokens is not None:
                    notice = await _revoke_all(profile, tokens, self._timeout)
        finally:
            await self.secrets.delete(profile.id, OAUTH_TOKENS)
            await self.secrets.delete(profile.id, secrets.PERSONAL_TOKEN)
        return notice

    async def forget(self, profile: Profile) -> str | None:
        """Sign out and delete every keyring entry of the profile (before removing it)."""
        notice = await self.sign_out(profile)
        await self.secrets.delete_profile(profile.id)
        return notice


async def _revoke_all(profile: Profile, tokens: TokenPair, http_timeout: float) -> str | None:
    try:
        settings = oauth_settings(profile)
    except SignInRequired:
        return "incomplete OAuth settings"
    async with httpx.AsyncClient(timeout=http_timeout) as http:
        try:
            # Revoking the refresh token ends the grant; the access token too, for good measure.
            if tokens.refresh_token is not None:
                await revoke(http, settings, tokens.refresh_token, "refresh_token")
            await revoke(http, settings, tokens.access_token, "access_token")
        except (OAuthRequestFailed, CalendlyError) as error:
            log.warning("token revocation failed: %s", type(error).__name__)
            return str(error)
    return None
