"""Checking credentials before they are stored: a pasted token, the OAuth settings, their errors.

Every failure becomes a ``CredentialProblem`` that names the input it concerns and says, in
plain words, what to do. Messages are English templates plus arguments so the UI can pass the
template through Qt's translation (``desktop.connection`` imports no Qt); no message ever
contains a token or an authorization code.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Literal, TypeAlias
from urllib.parse import urlsplit

import httpx

from desktop.api.auth import TokenPair
from desktop.api.client import CalendlyClient
from desktop.api.errors import (
    APIStatusError,
    CalendlyError,
    ConnectionFailed,
    InsufficientScope,
    MalformedResponse,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    Unauthenticated,
)
from desktop.api.transport import RetryPolicy
from desktop.connection.identity import Identity, identify
from desktop.oauth.errors import (
    AuthorizationDenied,
    AuthorizationFailed,
    OAuthRequestFailed,
    SignInCancelled,
    SignInTimedOut,
)
from desktop.oauth.flow import OAuthSettings, revoke

# Which input a problem is about, so the dialog can show it next to that field:
# "name" (the profile name), "token" (the pasted personal access token), "base_url" (the API
# address), "client_id", "authorize_url", "token_url" (the OAuth settings), or "connection":
# the attempt as a whole, not one field (denied, cancelled, rate-limited, a server failure);
# dialogs show those in their general message area.
ProblemField: TypeAlias = Literal[
    "name", "token", "base_url", "client_id", "authorize_url", "token_url", "connection"
]
Origin: TypeAlias = Literal["token", "oauth"]

REQUIRED_SCOPE = "users:read"  # GET /users/me, the one call a sign-in cannot do without
_MIN_TOKEN_LENGTH = 16
_TOKEN_CHARS = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII without spaces: a header value
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A sign-in check answers fast or says why: one retry, no waiting out a rate-limit window.
_CHECK_RETRY = RetryPolicy(max_retries=1, backoff_base=0.2, backoff_cap=1.0, max_rate_limit_wait=0)


class CredentialProblem(Exception):
    """Why credentials cannot be used: ``field`` (a ``ProblemField``) and a user-facing ``message``.

    ``template`` and ``values`` are the message before formatting
    (``template.format(**values) == message``), so the UI can translate the template.
    """

    def __init__(self, field: ProblemField, template: str, **values: str | int) -> None:
        self.field: ProblemField = field
        self.template = template
        self.values: dict[str, str | int] = dict(values)
        self.message = template.format(**values)
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"CredentialProblem({self.field!r}, {self.message!r})"


# -- input checks (no request) ---------------------------------------------------------------
def clean_token(text: str) -> str:
    """The token as it will be sent: whitespace stripped, a pasted ``Bearer`` prefix dropped.

    Raises ``CredentialProblem("token", ...)`` for input that cannot be a token.
    """
    token = text.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    if not token:
        raise CredentialProblem("token", "Paste a personal access token.")
    if not _TOKEN_CHARS.match(token):
        raise CredentialProblem(
            "token",
            "This does not look like a personal access token: it contains spaces or characters "
            "a token never has. Copy it again from Calendly.",
        )
    if len(token) < _MIN_TOKEN_LENGTH:
        raise CredentialProblem(
            "token",
            "This is too short to be a personal access token. Copy the whole token from Calendly.",
        )
    return token


def clean_url(text: str, field: ProblemField = "base_url") -> str:
    """An http(s) address without a trailing slash; plain http only for this computer.

    Sending a token over plain http to another machine would expose it on the network.
    """
    url = text.strip().rstrip("/")
    if not url:
        raise CredentialProblem(field, "Enter an address starting with https://.")
    parts = urlsplit(url)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host or " " in url:
        raise CredentialProblem(
            field, "{url} is not a web address. Enter one starting with https://.", url=url
        )
    if parts.scheme == "http" and host not in _LOOPBACK_HOSTS:
        raise CredentialProblem(
            field,
            "Use https:// for {host}: over plain http the token could be read on the network.",
            host=host,
        )
    return url


def clean_client_id(text: str) -> str:
    client_id = text.strip()
    if not client_id:
        raise CredentialProblem(
            "client_id", "Enter the Client ID of your app from the Calendly developer portal."
        )
    if not _TOKEN_CHARS.match(client_id):
        raise CredentialProblem(
            "client_id", "A Client ID has no spaces. Copy it again from the developer portal."
        )
    return client_id


def oauth_settings(client_id: str, authorize_url: str, token_url: str) -> OAuthSettings:
    """Checked OAuth settings; the revocation URL sits beside the token URL (``/oauth/revoke``).

    Raises ``CredentialProblem`` naming ``client_id``, ``authorize_url`` or ``token_url``.
    """
    client = clean_client_id(client_id)
    authorize = clean_url(authorize_url, "authorize_url")
    token = clean_url(token_url, "token_url")
    base, slash, last = token.rpartition("/")
    revoke = f"{base}/revoke" if slash and last == "token" else f"{token}/revoke"
    return OAuthSettings(client, authorize_url=authorize, token_url=token, revoke_url=revoke)


async def revoke_quietly(settings: OAuthSettings, tokens: TokenPair) -> None:
    """Withdraw a grant that will not be used (best effort: a failure changes nothing)."""
    token, hint = (
        (tokens.refresh_token, "refresh_token")
        if tokens.refresh_token
        else (tokens.access_token, "access_token")
    )
    with contextlib.suppress(CalendlyError, TimeoutError):
        async with asyncio.timeout(10), httpx.AsyncClient(timeout=5.0) as http:
            await revoke(http, settings, token, hint)


def host_of(url: str) -> str:
    """The host (and port, if any) that a message names."""
    parts = urlsplit(url)
    return parts.netloc.rpartition("@")[2] or url


# -- checks that ask Calendly ----------------------------------------------------------------
async def check_personal_token(
    base_url: str,
    token: str,
    *,
    timeout: float = 20.0,  # noqa: ASYNC109 - the whole check's deadline
) -> Identity:
    """Who a pasted personal access token signs in as (``GET /users/me`` and the organization).

    Raises ``CredentialProblem`` for malformed input (without a request), a refused token,
    a token without ``users:read``, an unreachable server, rate limiting or a server failure.
    """
    cleaned = clean_token(token)
    return await check_access_token(clean_url(base_url), cleaned, timeout=timeout, origin="token")


async def check_access_token(
    base_url: str,
    access_token: str,
    *,
    timeout: float = 20.0,  # noqa: ASYNC109 - the whole check's deadline
    origin: Origin = "token",
) -> Identity:
    """``identify`` with a short-lived client, every failure as a ``CredentialProblem``.

    ``origin`` words the messages: "token" for a pasted token, "oauth" for one the browser
    sign-in just obtained.
    """
    http_timeout = httpx.Timeout(timeout, connect=min(timeout, 10.0))
    try:
        async with asyncio.timeout(timeout):
            async with CalendlyClient(
                base_url, access_token, timeout=http_timeout, retry=_CHECK_RETRY, max_concurrency=2
            ) as client:
                return await identify(client)
    except TimeoutError:
        raise unreachable(base_url) from None
    except CalendlyError as error:
        raise describe_api_error(error, base_url, origin) from None


def unreachable(url: str, field: ProblemField = "base_url") -> CredentialProblem:
    return CredentialProblem(
        field,
        "Could not reach {host}: check your network connection and try again.",
        host=host_of(url),
    )


def describe_api_error(
    error: CalendlyError, base_url: str, origin: Origin = "token"
) -> CredentialProblem:
    """The problem behind an API error met while identifying a token."""
    if isinstance(error, ConnectionFailed):  # also timeouts and answers cut short
        return unreachable(base_url)
    if isinstance(error, Unauthenticated):
        if origin == "oauth":
            return CredentialProblem(
                "connection",
                "Calendly did not accept the sign-in it just granted. Sign in again; if this "
                "keeps happening, check that the API base URL belongs to the same Calendly.",
            )
        return CredentialProblem(
            "token", "Calendly did not accept this token: it may be mistyped, expired or revoked."
        )
    if isinstance(error, InsufficientScope):
        scopes = ", ".join(error.required_scopes) or REQUIRED_SCOPE
        if origin == "oauth":
            return CredentialProblem(
                "client_id",
                "The app's access lacks the {scopes} scope, which Calendly Console needs to see "
                "who you are. Add it to the app's scopes in the Calendly developer portal, "
                "then sign in again.",
                scopes=scopes,
            )
        return CredentialProblem(
            "token",
            "This token lacks the {scopes} scope, which Calendly Console needs to see who you "
            "are. Create a new personal access token in Calendly with {scopes} (and the scopes "
            "of the pages you use) and paste it here.",
            scopes=scopes,
        )
    if isinstance(error, PermissionDenied):
        field: ProblemField = "token" if origin == "token" else "connection"
        return CredentialProblem(
            field, "Calendly refused access to your account: {reason}", reason=error.message
        )
    if isinstance(error, RateLimited):
        if error.retry_after is not None:
            return CredentialProblem(
                "connection",
                "Calendly is limiting requests for this account right now. "
                "Try again in {seconds} seconds.",
                seconds=max(1, round(error.retry_after)),
            )
        return CredentialProblem(
            "connection",
            "Calendly is limiting requests for this account right now. Try again in a minute.",
        )
    if isinstance(error, ServerError):
        return CredentialProblem(
            "connection",
            "Calendly could not answer right now (error {status}). Try again in a few minutes.",
            status=error.status,
        )
    if isinstance(error, NotFound | MalformedResponse):
        return CredentialProblem(
            "base_url",
            "{host} did not answer like Calendly's API. Check the API base URL.",
            host=host_of(base_url),
        )
    if isinstance(error, APIStatusError):
        return CredentialProblem(
            "connection",
            "Calendly refused the request ({status} {title}): {reason}",
            status=error.status,
            title=error.title,
            reason=error.message,
        )
    return CredentialProblem("connection", "The check failed: {reason}", reason=error.message)


# -- OAuth -----------------------------------------------------------------------------------
def describe_oauth_error(
    error: BaseException, settings: OAuthSettings | None = None
) -> CredentialProblem:
    """The problem behind a failed ``desktop.oauth.sign_in`` (``settings`` names the hosts)."""
    if isinstance(error, AuthorizationDenied):
        return CredentialProblem(
            "connection",
            "You declined access in the browser. To connect, sign in again and choose to allow "
            "Calendly Console.",
        )
    if isinstance(error, SignInTimedOut):
        return CredentialProblem(
            "connection",
            "The browser did not come back to Calendly Console in time. If Calendly showed an "
            "error about the client ID or the redirect address, check the Client ID and that "
            "the app allows a http://127.0.0.1 redirect; otherwise sign in again.",
        )
    if isinstance(error, SignInCancelled | asyncio.CancelledError):
        return CredentialProblem("connection", "Sign-in was cancelled.")
    if isinstance(error, AuthorizationFailed):
        return _authorization_failed(error)
    if isinstance(error, OAuthRequestFailed):
        return _token_refused(error)
    token_url = settings.token_url if settings is not None else ""
    if isinstance(error, ConnectionFailed):
        if token_url:
            return unreachable(token_url, "token_url")
        return CredentialProblem(
            "connection",
            "Could not reach the sign-in server: check your network connection and try again.",
        )
    if isinstance(error, MalformedResponse):
        return CredentialProblem(
            "token_url",
            "The sign-in server's answer was not a Calendly token. Check the token URL.",
        )
    if isinstance(error, CredentialProblem):
        return error
    if isinstance(error, CalendlyError):
        return CredentialProblem("connection", "Sign-in failed: {reason}", reason=error.message)
    return CredentialProblem("connection", "Sign-in failed: {reason}", reason=type(error).__name__)


def _authorization_failed(error: AuthorizationFailed) -> CredentialProblem:
    """``error=...`` on the redirect (RFC 6749 §4.1.2.1)."""
    if error.error in ("unauthorized_client", "invalid_client"):
        return CredentialProblem(
            "client_id",
            "Calendly refused this Client ID ({code}). Check the Client ID in the Calendly "
            "developer portal.",
            code=error.error,
        )
    if error.error in ("server_error", "temporarily_unavailable"):
        return CredentialProblem(
            "connection",
            "Calendly's sign-in is unavailable right now ({code}). Try again in a few minutes.",
            code=error.error,
        )
    return CredentialProblem(
        "connection",
        "Calendly could not sign you in ({code}){detail}. Check the app's settings in the "
        "developer portal, then sign in again.",
        code=error.error,
        detail=f": {error.description}" if error.description else "",
    )


def _token_refused(error: OAuthRequestFailed) -> CredentialProblem:
    """The token endpoint's refusal of the code exchange (RFC 6749 §5.2)."""
    if error.error in ("invalid_client", "unauthorized_client"):
        return CredentialProblem(
            "client_id",
            "Calendly's sign-in server did not accept this Client ID ({code}). Check the "
            "Client ID, and that the app is a native (public) app that needs no client secret.",
            code=error.error,
        )
    if error.error == "invalid_grant":
        return CredentialProblem(
            "connection",
            "Calendly did not accept the sign-in code (it may have expired). Sign in again.",
        )
    if error.status == 429:
        return CredentialProblem(
            "connection",
            "Calendly's sign-in server is limiting requests right now. Try again in a minute.",
        )
    if error.status >= 500:
        return CredentialProblem(
            "connection",
            "Calendly's sign-in server could not answer (error {status}). Try again in a few "
            "minutes.",
            status=error.status,
        )
    return CredentialProblem(
        "token_url",
        "The sign-in server refused the request ({status} {code}){detail}. Check the token URL "
        "and the Client ID.",
        status=error.status,
        code=error.error,
        detail=f": {error.description}" if error.description else "",
    )
