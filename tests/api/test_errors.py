"""Every error class of the client, each provoked by a real sandbox answer (or a real fault)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import msgspec
import pytest

from desktop.api import (
    APIStatusError,
    BadRequest,
    CalendlyClient,
    CalendlyError,
    Conflict,
    ConnectionFailed,
    InsufficientScope,
    MalformedResponse,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestTimeout,
    RetryPolicy,
    ServerError,
    SignInRequired,
    Unauthenticated,
)
from desktop.api.errors import IncompleteResponse, status_error
from desktop.sandbox import SandboxServer
from tests.api.conftest import ClientFactory

FAST = RetryPolicy(backoff_base=0.01, backoff_cap=0.05)
SERVER_ERROR_MESSAGE = (
    "The server encountered an unexpected condition that prevented it from fulfilling the request."
)


def ours(error: BaseException) -> None:
    """What reached the caller is one of ours, never a raw httpx or msgspec exception."""
    assert isinstance(error, CalendlyError)
    assert not isinstance(error, httpx.HTTPError | httpx.InvalidURL | msgspec.MsgspecError)


def hook_body(organization: str, url: str = "https://example.com/hooks/errors") -> dict[str, Any]:
    return {
        "url": url,
        "events": ["invitee.created"],
        "organization": organization,
        "scope": "organization",
    }


# -- status errors ----------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_bad_request_names_each_invalid_field(client: CalendlyClient) -> None:
    with pytest.raises(BadRequest) as caught:
        await client.transport.request("POST", "/webhook_subscriptions", json={})
    error = caught.value
    ours(error)
    assert error.status == 400
    assert error.title == "Invalid Argument"
    assert error.message == "The supplied parameters are invalid."
    named = {problem.parameter for problem in error.details}
    assert {"url", "scope", "events", "organization"} <= named
    assert error.detail_for("url") == "is required"
    assert error.detail_for("signing_key") is None
    assert (error.method, error.path) == ("POST", "/webhook_subscriptions")
    assert "Invalid Argument" in str(error) and "POST /webhook_subscriptions" in str(error)
    assert client.transport.requests_sent == 1  # a 400 is never retried


@pytest.mark.asyncio
async def test_bad_request_on_a_query_parameter(
    client: CalendlyClient, organization_uri: str
) -> None:
    params = {"organization": organization_uri, "scope": "everyone"}
    with pytest.raises(BadRequest) as caught:
        await client.transport.request("GET", "/webhook_subscriptions", params=params)
    assert caught.value.detail_for("scope") is not None
    assert caught.value.detail_for("organization") is None


@pytest.mark.asyncio
async def test_a_wrong_token_is_unauthenticated(sandbox: SandboxServer) -> None:
    token = "not-a-token-the-sandbox-issued"
    async with CalendlyClient(sandbox.base_url, token, retry=FAST) as client:
        with pytest.raises(Unauthenticated) as caught:
            await client.users.me()
        assert client.transport.requests_sent == 1
    error = caught.value
    ours(error)
    assert (error.status, error.title) == (401, "Unauthenticated")
    assert error.message == "The access token is invalid"
    assert token not in str(error) and token not in repr(error.body)


@pytest.mark.asyncio
async def test_a_member_may_not_list_the_organizations_webhooks(
    client_for: ClientFactory, organization_uri: str
) -> None:
    client = client_for("user")
    params = {"organization": organization_uri, "scope": "organization"}
    with pytest.raises(PermissionDenied) as caught:
        await client.transport.request("GET", "/webhook_subscriptions", params=params)
    error = caught.value
    ours(error)
    assert not isinstance(error, InsufficientScope)
    assert (error.status, error.title) == (403, "Permission Denied")
    assert error.message == "You do not have permission"


@pytest.mark.asyncio
async def test_a_token_without_the_scope_gets_insufficient_scope(
    client_for: ClientFactory,
) -> None:
    client = client_for("owner", scopes=["event_types:read"])
    with pytest.raises(InsufficientScope) as caught:
        await client.users.me()
    error = caught.value
    ours(error)
    assert isinstance(error, PermissionDenied)  # callers catching 403s get it too
    assert error.required_scopes == ("users:read",)
    assert (error.status, error.title) == (403, "Insufficient scope")
    assert "required_scopes" in error.message


@pytest.mark.asyncio
async def test_an_unknown_user_is_not_found(client: CalendlyClient) -> None:
    with pytest.raises(NotFound) as caught:
        await client.users.get("NOSUCHUSER000000")
    error = caught.value
    ours(error)
    assert (error.status, error.title) == (404, "Resource Not Found")
    assert error.message == "The server could not find the requested resource."
    assert (error.method, error.path) == ("GET", "/users/NOSUCHUSER000000")
    assert client.transport.requests_sent == 1


@pytest.mark.asyncio
async def test_a_duplicate_webhook_is_a_conflict(
    client: CalendlyClient, organization_uri: str
) -> None:
    body = hook_body(organization_uri)
    await client.transport.request("POST", "/webhook_subscriptions", json=body)
    with pytest.raises(Conflict) as caught:
        await client.transport.request("POST", "/webhook_subscriptions", json=body)
    error = caught.value
    ours(error)
    assert (error.status, error.title) == (409, "Already Exists")
    assert error.message == "Hook with this url already exists"


@pytest.mark.asyncio
async def test_a_429_longer_than_the_longest_wait_is_raised(
    sandbox: SandboxServer, client_for: ClientFactory
) -> None:
    client = client_for(retry=RetryPolicy(backoff_base=0.01, max_rate_limit_wait=0.5))
    sandbox.add_fault(kind="rate_limit", times=1)
    with pytest.raises(RateLimited) as caught:
        await client.users.me()
    error = caught.value
    ours(error)
    assert (error.status, error.title) == (429, "Too Many Requests")
    assert error.message
    assert error.retry_after is not None and 1 <= error.retry_after <= 60
    assert client.transport.rate_limited == 1
    assert client.transport.requests_sent == 1  # not waited out: raised at once


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [500, 503])
async def test_a_server_error_survives_the_retries_as_server_error(
    sandbox: SandboxServer, client: CalendlyClient, status: int
) -> None:
    fault = sandbox.add_fault(kind="error", status=status, paths=["/users/me"])
    with pytest.raises(ServerError) as caught:
        await client.users.me()
    error = caught.value
    ours(error)
    assert error.status == status
    assert error.title == "Internal Server Error"
    assert error.message == SERVER_ERROR_MESSAGE
    assert fault.fired == client.transport.requests_sent == 1 + FAST.max_retries


# -- failures without a (complete) answer -----------------------------------------------------
@pytest.mark.asyncio
async def test_a_dropped_connection_is_connection_failed_after_the_retries(
    sandbox: SandboxServer, client: CalendlyClient
) -> None:
    fault = sandbox.add_fault(kind="drop", paths=["/users/me"])
    with pytest.raises(ConnectionFailed) as caught:
        await client.users.me()
    ours(caught.value)
    assert not isinstance(caught.value, RequestTimeout | MalformedResponse)
    assert fault.fired == client.transport.requests_sent == 1 + FAST.max_retries


@pytest.mark.asyncio
async def test_an_answer_slower_than_the_timeout_is_request_timeout(
    sandbox: SandboxServer, client_for: ClientFactory
) -> None:
    client = client_for(timeout=0.25, retry=RetryPolicy(max_retries=1, backoff_base=0.01))
    sandbox.add_fault(kind="latency", latency_ms=3000, paths=["/users/me"])
    started = time.monotonic()
    with pytest.raises(RequestTimeout) as caught:
        await client.users.me()
    elapsed = time.monotonic() - started
    ours(caught.value)
    assert isinstance(caught.value, ConnectionFailed)
    assert "GET /users/me" in str(caught.value)
    assert client.transport.requests_sent == 2
    assert elapsed < 2.5  # the client gave up; it did not wait for the slow answer


@pytest.mark.asyncio
async def test_a_body_that_is_not_json_is_malformed_response(
    sandbox: SandboxServer, client: CalendlyClient
) -> None:
    sandbox.add_fault(kind="malformed", paths=["/users/me"], times=1)
    with pytest.raises(MalformedResponse) as caught:
        await client.users.me()
    ours(caught.value)
    assert not isinstance(caught.value, ConnectionFailed)
    assert "GET /users/me" in str(caught.value)
    assert client.transport.requests_sent == 1


@pytest.mark.asyncio
async def test_a_truncated_body_is_malformed_response(
    sandbox: SandboxServer, client: CalendlyClient
) -> None:
    fault = sandbox.add_fault(kind="truncate", paths=["/users/me"])
    with pytest.raises(MalformedResponse) as caught:
        await client.users.me()
    ours(caught.value)
    assert isinstance(caught.value, IncompleteResponse)
    assert "cut short" in str(caught.value)
    assert fault.fired == client.transport.requests_sent == 1 + FAST.max_retries


@pytest.mark.asyncio
async def test_a_truncated_answer_to_a_post_was_acted_on_and_is_not_repeated(
    sandbox: SandboxServer, client: CalendlyClient, organization_uri: str
) -> None:
    """The answer began, so Calendly made the webhook: the error says so (``sent``), and the
    request is not sent again (a second POST would answer 409 or make a duplicate)."""
    fault = sandbox.add_fault(kind="truncate", paths=["/webhook_subscriptions"], methods=["POST"])
    body = hook_body(organization_uri, "https://example.com/hooks/truncated")
    with pytest.raises(MalformedResponse) as caught:
        await client.transport.request("POST", "/webhook_subscriptions", json=body)
    error = caught.value
    ours(error)
    assert isinstance(error, ConnectionFailed) and error.sent
    assert fault.fired == client.transport.requests_sent == 1
    hooks = sandbox.state.store.find("webhooks", "callback_url = ?", (body["url"],))
    assert len(hooks) == 1


# -- the hierarchy ----------------------------------------------------------------------------
def test_every_error_is_a_calendly_error() -> None:
    statuses: list[type[CalendlyError]] = [BadRequest, Unauthenticated, PermissionDenied]
    statuses += [InsufficientScope, NotFound, Conflict, RateLimited, ServerError]
    for status in statuses:
        assert issubclass(status, APIStatusError) and issubclass(status, CalendlyError)
    others: list[type[CalendlyError]] = [ConnectionFailed, RequestTimeout, MalformedResponse]
    for other in [*others, SignInRequired]:
        assert issubclass(other, CalendlyError) and not issubclass(other, APIStatusError)
    assert issubclass(IncompleteResponse, MalformedResponse)
    assert issubclass(IncompleteResponse, ConnectionFailed)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequest),
        (401, Unauthenticated),
        (403, PermissionDenied),
        (404, NotFound),
        (409, Conflict),
        (429, RateLimited),
        (500, ServerError),
        (502, ServerError),
        (418, APIStatusError),
    ],
)
def test_status_errors_from_bodies_not_shaped_as_documented(
    status: int, kind: type[APIStatusError]
) -> None:
    """A proxy's HTML page, an OAuth-style body or odd ``details`` still give a clear error."""
    for body in (None, "<html>Bad Gateway</html>", {"details": "oops", "title": 5}, {"details": 7}):
        error = status_error(status, body, "GET", "/users/me")
        assert type(error) is kind
        assert error.status == status and error.title and error.message
        assert error.details == ()
    oauth = status_error(status, {"error": "invalid_grant", "error_description": "Used."}, "", "")
    assert (oauth.title, oauth.message) == ("invalid_grant", "Used.")


def test_required_scopes_given_as_one_string() -> None:
    body = {"title": "Insufficient scope", "message": "m", "required_scopes": "users:read"}
    error = status_error(403, body, "GET", "/users/me")
    assert isinstance(error, InsufficientScope)
    assert error.required_scopes == ("users:read",)
