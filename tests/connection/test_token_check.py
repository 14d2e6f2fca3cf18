"""Checking a pasted personal access token against the sandbox, and naming what went wrong."""

from __future__ import annotations

import socket

import httpx
import pytest

from desktop.api import ConnectionFailed
from desktop.connection.token_check import (
    CredentialProblem,
    check_personal_token,
    clean_token,
    clean_url,
    describe_oauth_error,
)
from desktop.oauth import (
    AuthorizationDenied,
    OAuthRequestFailed,
    OAuthSettings,
    SignInCancelled,
    SignInTimedOut,
    refresh,
    sign_in,
)
from desktop.sandbox import SandboxServer
from tests.oauth.browser import FakeBrowser

pytestmark = pytest.mark.asyncio


def closed_port_url() -> str:
    """An address where nothing listens: a port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def organization_name(sandbox: SandboxServer) -> str:
    """The seeded organization's name, read over the API the way any client would."""
    headers = {"Authorization": f"Bearer {sandbox.token_for('owner')}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=30) as http:
        org_uri = http.get("/users/me").json()["resource"]["current_organization"]
        return str(http.get(org_uri).json()["resource"]["name"])


async def problem_of(base_url: str, token: str) -> CredentialProblem:
    with pytest.raises(CredentialProblem) as raised:
        await check_personal_token(base_url, token, timeout=10)
    return raised.value


async def test_a_valid_token_gives_the_user_organization_and_role(sandbox: SandboxServer) -> None:
    token = sandbox.token_for("admin")
    identity = await check_personal_token(sandbox.base_url + "/", f"  {token}\n", timeout=10)
    assert identity.organization_name == organization_name(sandbox)
    assert identity.organization_uri.startswith(sandbox.base_url + "/organizations/")
    assert identity.role == "admin" and identity.is_admin
    assert identity.user_email.endswith("@copperleaf.example")


async def test_a_pasted_bearer_prefix_is_dropped(sandbox: SandboxServer) -> None:
    identity = await check_personal_token(
        sandbox.base_url, "Bearer " + sandbox.token_for("user"), timeout=10
    )
    assert identity.role == "user" and not identity.is_admin


async def test_an_invalid_token_is_named_without_echoing_it(sandbox: SandboxServer) -> None:
    token = "sbx_" + "x" * 40
    problem = await problem_of(sandbox.base_url, token)
    assert problem.field == "token"
    assert problem.message == (
        "Calendly did not accept this token: it may be mistyped, expired or revoked."
    )
    assert token not in str(problem) and token not in repr(problem)


async def test_a_token_without_users_read_names_the_scope(sandbox: SandboxServer) -> None:
    # The sandbox answers like Calendly: 403 "Insufficient scope", required_scopes users:read.
    token = sandbox.token_for("owner", scopes=["event_types:read"])
    problem = await problem_of(sandbox.base_url, token)
    assert problem.field == "token"
    assert "lacks the users:read scope" in problem.message
    assert "Create a new personal access token" in problem.message
    assert token not in problem.message


async def test_a_token_with_only_users_read_still_signs_in(sandbox: SandboxServer) -> None:
    # Without organizations:read the organization's name and the role are unknown, not an error.
    identity = await check_personal_token(
        sandbox.base_url, sandbox.token_for("owner", scopes=["users:read"]), timeout=10
    )
    assert identity.organization_uri and identity.organization_name == ""
    assert identity.role is None


async def test_no_network_names_the_host_and_the_address_field() -> None:
    base_url = closed_port_url()
    problem = await problem_of(base_url, "sbx_" + "a" * 40)
    assert problem.field == "base_url"
    host = base_url.removeprefix("http://")
    assert problem.message == (
        f"Could not reach {host}: check your network connection and try again."
    )


@pytest.mark.parametrize("text", ["", "   \n", "abc def ghi jkl mno pqr", "short", "tökén" * 5])
async def test_malformed_input_is_refused_without_a_request(text: str) -> None:
    # Nothing listens at the address, so any request would be a connection problem instead.
    problem = await problem_of(closed_port_url(), text)
    assert problem.field == "token"
    assert problem.message.startswith(("Paste a personal", "This does not look", "This is too"))


async def test_a_remote_plain_http_address_is_refused_before_sending_the_token() -> None:
    problem = await problem_of("http://api.calendly.com", "sbx_" + "a" * 40)
    assert problem.field == "base_url"
    assert "Use https:// for api.calendly.com" in problem.message


async def test_rate_limiting_says_when_to_retry(sandbox: SandboxServer) -> None:
    sandbox.add_fault(kind="rate_limit", paths=["/users/me"])
    problem = await problem_of(sandbox.base_url, sandbox.token_for("owner"))
    assert problem.field == "connection"
    assert problem.message.startswith("Calendly is limiting requests for this account right now.")
    assert "Try again in" in problem.message


async def test_a_server_failure_says_try_later(sandbox: SandboxServer) -> None:
    sandbox.add_fault(kind="error", status=503, paths=["/users/me"])
    problem = await problem_of(sandbox.base_url, sandbox.token_for("owner"))
    assert problem.field == "connection"
    assert problem.message == (
        "Calendly could not answer right now (error 503). Try again in a few minutes."
    )


async def test_an_address_that_is_not_calendly_points_at_the_base_url(
    sandbox: SandboxServer,
) -> None:
    problem = await problem_of(sandbox.base_url + "/nothing-here", sandbox.token_for("owner"))
    assert problem.field == "base_url"
    assert "did not answer like Calendly's API" in problem.message


async def test_input_cleaning() -> None:
    assert clean_token("  Bearer  sbx_0123456789abcdef \n") == "sbx_0123456789abcdef"
    assert clean_url(" https://api.calendly.com/ ") == "https://api.calendly.com"
    assert clean_url("http://localhost:8080") == "http://localhost:8080"
    for bad in ("", "api.calendly.com", "ftp://x", "https://", "https://host:port"):
        with pytest.raises(CredentialProblem) as raised:
            clean_url(bad, "token_url")
        assert raised.value.field == "token_url"


async def test_a_denied_browser_sign_in_is_described(sandbox: SandboxServer) -> None:
    settings = OAuthSettings.for_sandbox(sandbox.base_url)
    with pytest.raises(AuthorizationDenied) as raised:
        await sign_in(settings, FakeBrowser("Deny").open, timeout=30)
    problem = describe_oauth_error(raised.value, settings)
    assert problem.field == "connection"
    assert problem.message.startswith("You declined access in the browser.")


async def test_oauth_errors_become_plain_messages(sandbox: SandboxServer) -> None:
    settings = OAuthSettings.for_sandbox(sandbox.base_url)
    with pytest.raises(SignInTimedOut) as timed_out:
        await sign_in(settings, FakeBrowser(None).open, timeout=0.05)
    problem = describe_oauth_error(timed_out.value, settings)
    assert "did not come back to Calendly Console in time" in problem.message
    assert "Client ID" in problem.message

    cancelled = describe_oauth_error(SignInCancelled("Sign-in was cancelled."))
    assert cancelled.message == "Sign-in was cancelled."

    refused = describe_oauth_error(OAuthRequestFailed(401, "invalid_client"), settings)
    assert refused.field == "client_id" and "did not accept this Client ID" in refused.message

    offline = OAuthSettings.for_sandbox(closed_port_url())
    async with httpx.AsyncClient(timeout=5) as http:
        with pytest.raises(ConnectionFailed) as unreachable:
            await refresh(http, offline, "some-refresh-token")
    problem = describe_oauth_error(unreachable.value, offline)
    assert problem.field == "token_url"
    assert problem.message.startswith(f"Could not reach {offline.token_url.split('/')[2]}:")
