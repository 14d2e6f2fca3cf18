"""OAuth tokens after the flow: lifetime, rotation, revocation, introspection, metadata, limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.auth import SCOPES
from tests.sandbox.helpers import plain_client
from tests.sandbox.oauth_browser import NATIVE, WEB, Browser, exchange, me, refresh


@pytest.fixture
def browser(sandbox: SandboxServer) -> Iterator[Browser]:
    made = Browser(sandbox.base_url)
    yield made
    made.close()


@pytest.fixture
def http(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with plain_client(sandbox.base_url) as client:
        yield client


def _pair(browser: Browser, http: httpx.Client, user: str | None = None, **extra: str) -> Any:
    code, verifier = browser.code(user=user, **extra)
    answer = exchange(http, code, verifier)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _error(response: httpx.Response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"])


def _post(http: httpx.Client, path: str, **data: str) -> httpx.Response:
    return http.post(path, data={"client_id": NATIVE, **data})


@pytest.mark.parametrize(("seconds", "status"), [(7199, 200), (7200, 401)])
def test_access_tokens_live_two_hours_on_the_sandbox_clock(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client, seconds: int, status: int
) -> None:
    sandbox.state.clock.freeze()
    pair = _pair(browser, http)
    sandbox.advance_clock(seconds)
    answer = me(sandbox.base_url, pair["access_token"])
    assert answer.status_code == status, answer.text
    if status == 401:
        assert answer.json()["title"] == "Unauthenticated"
        renewed = refresh(http, pair["refresh_token"])  # refresh tokens do not expire
        assert renewed.status_code == 200
        assert me(sandbox.base_url, renewed.json()["access_token"]).status_code == 200


def test_reusing_a_spent_refresh_token_revokes_the_tokens_issued_after_it(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    first = _pair(browser, http)
    second = refresh(http, first["refresh_token"]).json()
    third = refresh(http, second["refresh_token"]).json()
    assert me(sandbox.base_url, third["access_token"]).status_code == 200
    assert me(sandbox.base_url, first["access_token"]).status_code == 200, (
        "rotation spends the old refresh token, not the access token issued beside it"
    )

    assert _error(refresh(http, first["refresh_token"])) == "invalid_grant"
    assert me(sandbox.base_url, third["access_token"]).status_code == 401
    assert _error(refresh(http, third["refresh_token"])) == "invalid_grant"

    unrelated = _pair(browser, http)
    assert me(sandbox.base_url, unrelated["access_token"]).status_code == 200


def test_a_refresh_may_narrow_the_scopes_but_not_widen_them(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    pair = _pair(browser, http, scope="users:read organizations:read")
    wider = refresh(http, pair["refresh_token"], scope="users:read webhooks:read")
    assert _error(wider) == "invalid_scope"
    narrower = refresh(http, pair["refresh_token"], scope="users:read")
    assert narrower.status_code == 200, "a refused refresh does not spend the token"
    assert narrower.json()["scope"] == "users:read"
    headers = {"Authorization": f"Bearer {narrower.json()['access_token']}"}
    orgs = httpx.get(f"{pair['organization']}", headers=headers)
    assert orgs.status_code == 403 and orgs.json()["required_scopes"] == ["organizations:read"]


def test_revoking_an_access_token_leaves_its_refresh_token_alive(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    pair = _pair(browser, http)
    revoked = _post(http, "/oauth/revoke", token=pair["access_token"])
    assert revoked.status_code == 200 and revoked.content == b""
    answer = me(sandbox.base_url, pair["access_token"])
    assert answer.status_code == 401 and answer.json()["title"] == "Unauthenticated"
    assert refresh(http, pair["refresh_token"]).status_code == 200


def test_revoking_a_refresh_token_ends_the_grant(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    pair = _pair(browser, http)
    assert _post(http, "/oauth/revoke", token=pair["refresh_token"]).status_code == 200
    assert _error(refresh(http, pair["refresh_token"])) == "invalid_grant"
    assert me(sandbox.base_url, pair["access_token"]).status_code == 401
    again = _post(http, "/oauth/revoke", token=pair["refresh_token"])
    assert again.status_code == 200, "revoking twice is fine (RFC 7009)"
    unknown = _post(http, "/oauth/revoke", token="not-a-token")
    assert unknown.status_code == 200 and unknown.content == b""
    assert _error(_post(http, "/oauth/revoke")) == "invalid_request"


def test_a_client_cannot_revoke_another_clients_token(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    pair = _pair(browser, http)
    secret = sandbox.state.store.get("oauth_clients", WEB)
    assert secret is not None
    answer = http.post(
        "/oauth/revoke", data={"token": pair["access_token"]}, auth=(WEB, secret["secret"])
    )
    assert _error(answer, 403) == "unauthorized_client"
    assert me(sandbox.base_url, pair["access_token"]).status_code == 200
    assert _error(http.post("/oauth/revoke", data={"token": "x"}), 401) == "invalid_client"


def test_introspection_tells_live_tokens_from_dead_ones(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    pair = _pair(browser, http, scope="users:read event_types:write")
    live = _post(http, "/oauth/introspect", token=pair["access_token"])
    assert live.status_code == 200
    body = live.json()
    assert body["active"] is True
    assert body["scope"] == "users:read event_types:write"
    assert body["client_id"] == NATIVE
    assert body["token_type"] == "Bearer"
    assert body["owner"] == pair["owner"] and body["organization"] == pair["organization"]
    assert body["exp"] - body["iat"] == 7200
    assert abs(body["iat"] - pair["created_at"]) <= 1

    kept = _post(http, "/oauth/introspect", token=pair["refresh_token"]).json()
    assert kept["active"] is True and kept["token_type"] == "refresh_token"

    refresh(http, pair["refresh_token"])
    spent = _post(http, "/oauth/introspect", token=pair["refresh_token"]).json()
    assert spent == {"active": False}
    _post(http, "/oauth/revoke", token=pair["access_token"])
    assert _post(http, "/oauth/introspect", token=pair["access_token"]).json() == {"active": False}
    personal = sandbox.token_for("owner")
    assert _post(http, "/oauth/introspect", token=personal).json() == {"active": False}
    assert _post(http, "/oauth/introspect", token="garbage").json() == {"active": False}


def test_an_expired_access_token_introspects_inactive(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    pair = _pair(browser, http)
    sandbox.advance_clock(2 * 3600 + 1)
    assert _post(http, "/oauth/introspect", token=pair["access_token"]).json() == {"active": False}


def test_metadata_describes_the_server_on_the_sandbox_host(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    answer = http.get("/.well-known/oauth-authorization-server")
    assert answer.status_code == 200
    meta = answer.json()
    base = sandbox.base_url
    assert meta["issuer"] == base
    assert meta["authorization_endpoint"] == f"{base}/oauth/authorize"
    assert meta["token_endpoint"] == f"{base}/oauth/token"
    assert meta["revocation_endpoint"] == f"{base}/oauth/revoke"
    assert meta["introspection_endpoint"] == f"{base}/oauth/introspect"
    assert meta["response_types_supported"] == ["code"]
    assert set(meta["grant_types_supported"]) == {"authorization_code", "refresh_token"}
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert {"client_secret_basic", "client_secret_post", "none"} <= set(
        meta["token_endpoint_auth_methods_supported"]
    )
    assert meta["scopes_supported"] == list(SCOPES)
    for key in ("authorization_endpoint", "token_endpoint"):
        path = meta[key].removeprefix(base)
        assert http.request("GET" if "authorize" in path else "POST", path).status_code != 404


def test_at_most_eight_token_requests_per_user_per_minute(
    sandbox: SandboxServer, browser: Browser, http: httpx.Client
) -> None:
    sandbox.state.clock.freeze()
    pair = _pair(browser, http)  # request 1
    current = pair["refresh_token"]
    for _ in range(7):  # requests 2..8
        answer = refresh(http, current)
        assert answer.status_code == 200, answer.text
        current = answer.json()["refresh_token"]
    refused = refresh(http, current)  # the 9th within the minute
    assert _error(refused, 429) == "too_many_requests"
    assert 1 <= int(refused.headers["retry-after"]) <= 60

    assert sandbox.summary is not None
    someone = sandbox.state.store.find_one(
        "memberships", "role = ? AND organization = ?", ("user", sandbox.summary.organization)
    )
    assert someone is not None
    _pair(browser, http, user=someone["email"])  # another user has a budget of their own

    sandbox.advance_clock(60)
    allowed = refresh(http, current)
    assert allowed.status_code == 200, "the refused request did not spend the refresh token"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"grant_type": "password", "username": "a", "password": "b"}, "unsupported_grant_type"),
        ({}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "0" * 64}, "invalid_request"),
        (
            {"grant_type": "authorization_code", "code": "0" * 64, "redirect_uri": "http://x"},
            "invalid_grant",
        ),
        ({"grant_type": "refresh_token"}, "invalid_request"),
        ({"grant_type": "refresh_token", "refresh_token": "nope"}, "invalid_grant"),
    ],
    ids=["password", "no-grant", "no-redirect", "unknown-code", "no-refresh", "unknown-refresh"],
)
def test_token_endpoint_errors_follow_rfc_6749(
    http: httpx.Client, data: dict[str, str], error: str
) -> None:
    answer = http.post("/oauth/token", data={"client_id": NATIVE, **data})
    assert _error(answer) == error
    assert set(answer.json()) == {"error", "error_description"}


def test_the_token_endpoint_takes_only_form_bodies_and_known_clients(http: httpx.Client) -> None:
    as_json = http.post("/oauth/token", json={"grant_type": "refresh_token", "client_id": NATIVE})
    assert _error(as_json) == "invalid_request"
    twice = http.post(
        "/oauth/token",
        content="grant_type=refresh_token&grant_type=authorization_code&client_id=" + NATIVE,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert _error(twice) == "invalid_request"
    stranger = http.post("/oauth/token", data={"grant_type": "refresh_token", "client_id": "x"})
    assert _error(stranger, 401) == "invalid_client"
