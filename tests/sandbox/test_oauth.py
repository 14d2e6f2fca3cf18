"""The authorization-code flow with PKCE, over real HTTP, with the test playing the browser."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import plain_client
from tests.sandbox.oauth_browser import (
    LOOPBACK,
    NATIVE,
    WEB,
    WEB_REDIRECT,
    Browser,
    exchange,
    me,
    pkce,
    query_of,
    read_consent,
    refresh,
    token,
)


@pytest.fixture
def browser(sandbox: SandboxServer) -> Iterator[Browser]:
    made = Browser(sandbox.base_url)
    yield made
    made.close()


def _owner_email(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    user = sandbox.state.store.get("users", sandbox.summary.owner)
    assert user is not None
    return str(user["email"])


def _error_of(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error", "error_description"}, body
    assert body["error_description"]
    return str(body["error"])


def test_full_flow_issues_working_tokens_and_a_refresh_token_that_works_once(
    sandbox: SandboxServer, browser: Browser
) -> None:
    verifier, challenge = pkce()
    form = browser.consent(challenge=challenge, state="xyz-123", scope="users:read webhooks:write")
    assert form.action == "/oauth/authorize/decision" and form.method == "post"
    assert form.scopes == ["users:read", "webhooks:write"]
    assert set(form.buttons) == {"Allow", "Deny"}
    assert form.selected == _owner_email(sandbox), "the owner is picked by default"

    answer = browser.decide(form, "Allow")
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(LOOPBACK + "?")
    back = query_of(location)
    assert back["state"] == "xyz-123"
    assert re.fullmatch(r"[0-9a-f]{64}", back["code"]), "a 64-hex code, like Calendly's"

    with plain_client(sandbox.base_url) as http:
        issued = exchange(http, back["code"], verifier)
        assert issued.status_code == 200, issued.text
        assert issued.headers["cache-control"] == "no-store"
        pair = issued.json()
        assert pair["token_type"] == "Bearer"
        assert pair["expires_in"] == 7200
        assert pair["scope"] == "users:read webhooks:write"
        assert isinstance(pair["created_at"], int)
        assert sandbox.summary is not None
        assert pair["owner"] == f"{sandbox.base_url}/users/{sandbox.summary.owner}"
        assert pair["organization"] == (
            f"{sandbox.base_url}/organizations/{sandbox.summary.organization}"
        )
        mine = me(sandbox.base_url, pair["access_token"])
        assert mine.status_code == 200
        assert mine.json()["resource"]["uri"] == pair["owner"]

        renewed = refresh(http, pair["refresh_token"])
        assert renewed.status_code == 200, renewed.text
        fresh = renewed.json()
        assert fresh["access_token"] != pair["access_token"]
        assert fresh["refresh_token"] != pair["refresh_token"]
        assert fresh["scope"] == pair["scope"] and fresh["owner"] == pair["owner"]
        assert me(sandbox.base_url, fresh["access_token"]).status_code == 200

        again = refresh(http, pair["refresh_token"])
        assert again.status_code == 400
        assert _error_of(again) == "invalid_grant"


def test_the_chosen_user_or_login_hint_decides_whose_token_it_is(
    sandbox: SandboxServer, browser: Browser
) -> None:
    store = sandbox.state.store
    assert sandbox.summary is not None
    members = store.find("memberships", "organization = ?", (sandbox.summary.organization,))
    form = browser.consent(challenge=pkce()[1])
    assert sorted(v for v, _, _ in form.options) == sorted(m["email"] for m in members)
    someone = next(m for m in members if m["role"] == "user")

    hinted = browser.consent(challenge=pkce()[1], login_hint=someone["email"].upper())
    assert hinted.selected == someone["email"]

    code, verifier = browser.code(user=someone["email"])
    with plain_client(sandbox.base_url) as http:
        pair = exchange(http, code, verifier).json()
    assert pair["owner"] == f"{sandbox.base_url}/users/{someone['user']}"
    assert (
        me(sandbox.base_url, pair["access_token"]).json()["resource"]["email"] == (someone["email"])
    )


def test_without_a_scope_parameter_the_client_gets_every_scope(
    sandbox: SandboxServer, browser: Browser
) -> None:
    from desktop.sandbox.auth import SCOPES

    form = browser.consent(challenge=pkce()[1])
    assert form.scopes == list(SCOPES)
    code, verifier = browser.code()
    with plain_client(sandbox.base_url) as http:
        assert exchange(http, code, verifier).json()["scope"].split() == list(SCOPES)


def test_a_wrong_verifier_is_refused_and_spends_the_code(
    sandbox: SandboxServer, browser: Browser
) -> None:
    code, verifier = browser.code()
    other, _ = pkce()
    with plain_client(sandbox.base_url) as http:
        wrong = exchange(http, code, other)
        assert wrong.status_code == 400 and _error_of(wrong) == "invalid_grant"
        assert "code_verifier" in wrong.json()["error_description"]
        after = exchange(http, code, verifier)
        assert after.status_code == 400 and _error_of(after) == "invalid_grant"

        code, verifier = browser.code()
        missing = token(
            http,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": LOOPBACK,
                "client_id": NATIVE,
            },
        )
        assert missing.status_code == 400 and _error_of(missing) == "invalid_request"


def test_a_code_works_once_and_its_replay_revokes_the_tokens_it_gave(
    sandbox: SandboxServer, browser: Browser
) -> None:
    code, verifier = browser.code()
    with plain_client(sandbox.base_url) as http:
        first = exchange(http, code, verifier)
        assert first.status_code == 200
        pair = first.json()
        replay = exchange(http, code, verifier)
        assert replay.status_code == 400 and _error_of(replay) == "invalid_grant"
        assert me(sandbox.base_url, pair["access_token"]).status_code == 401
        assert _error_of(refresh(http, pair["refresh_token"])) == "invalid_grant"


@pytest.mark.parametrize(("minutes", "works"), [(9, True), (11, False)])
def test_codes_expire_after_ten_minutes_on_the_sandbox_clock(
    sandbox: SandboxServer, browser: Browser, minutes: int, works: bool
) -> None:
    code, verifier = browser.code()
    sandbox.advance_clock(minutes * 60)
    with plain_client(sandbox.base_url) as http:
        answer = exchange(http, code, verifier)
    if works:
        assert answer.status_code == 200, answer.text
    else:
        assert answer.status_code == 400 and _error_of(answer) == "invalid_grant"
        assert "expired" in answer.json()["error_description"]


def test_the_token_request_must_name_the_authorized_redirect_uri(
    sandbox: SandboxServer, browser: Browser
) -> None:
    code, verifier = browser.code()
    with plain_client(sandbox.base_url) as http:
        other_port = exchange(http, code, verifier, redirect_uri="http://127.0.0.1:9/callback")
    assert other_port.status_code == 400 and _error_of(other_port) == "invalid_grant"
    assert "redirect_uri" in other_port.json()["error_description"]


@pytest.mark.parametrize(
    ("client_id", "redirect_uri", "complaint"),
    [
        ("no-such-client", LOOPBACK, "Unknown client_id"),
        ("", LOOPBACK, "client_id is missing"),
        (NATIVE, "https://attacker.example/callback", "not registered"),
        (NATIVE, "http://127.0.0.1.attacker.example/cb", "not registered"),
        (NATIVE, "http://127.0.0.1:8000/cb#frag", "not registered"),
        (NATIVE, "", "redirect_uri is missing"),
        (WEB, "http://localhost:3001/oauth/callback", "not registered"),
    ],
    ids=["unknown", "missing", "foreign", "lookalike", "fragment", "no-redirect", "web-port"],
)
def test_an_untrusted_client_or_redirect_uri_gets_an_error_page_not_a_redirect(
    browser: Browser, client_id: str, redirect_uri: str, complaint: str
) -> None:
    _, challenge = pkce()
    answer = browser.authorize(
        client_id=client_id,
        redirect_uri=redirect_uri,
        response_type="code",
        code_challenge=challenge,
        code_challenge_method="S256",
        state="s",
    )
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert answer.headers["content-type"].startswith("text/html")
    assert complaint in answer.text
    assert '<html lang="en">' in answer.text and 'role="alert"' in answer.text


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:1/x",
        "http://127.0.0.1/oauth/callback",
        "http://localhost:65535/a/b?keep=1",
        "http://[::1]:8080/cb",
    ],
)
def test_the_desktop_client_may_use_any_loopback_port_and_path(
    browser: Browser, redirect_uri: str
) -> None:
    _, challenge = pkce()
    form = browser.consent(NATIVE, redirect_uri, challenge, state="st")
    answer = browser.decide(form, "Allow")
    assert answer.status_code == 302
    location = answer.headers["location"]
    base = redirect_uri.split("?")[0]
    assert location.startswith(base + "?")
    back = query_of(location)
    assert back["state"] == "st" and "code" in back
    if "keep=1" in redirect_uri:
        assert back["keep"] == "1", "the registered query is kept"


def test_deny_sends_access_denied_with_the_state_back(browser: Browser) -> None:
    form = browser.consent(challenge=pkce()[1], state="abc")
    answer = browser.decide(form, "Deny")
    assert answer.status_code == 302
    back = query_of(answer.headers["location"])
    assert back["error"] == "access_denied"
    assert back["state"] == "abc"
    assert "code" not in back


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "short"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"response_type": None}, "invalid_request"),
        ({"scope": "users:read calendars:read"}, "invalid_scope"),
    ],
    ids=["no-pkce", "plain", "bad-challenge", "implicit", "no-response-type", "unknown-scope"],
)
def test_other_request_errors_go_back_to_the_client(
    browser: Browser, change: dict[str, str | None], error: str
) -> None:
    params: dict[str, str | None] = {
        "client_id": NATIVE,
        "redirect_uri": LOOPBACK,
        "response_type": "code",
        "code_challenge": pkce()[1],
        "code_challenge_method": "S256",
        "state": "keep-me",
        **change,
    }
    answer = browser.authorize(**{k: v for k, v in params.items() if v is not None})
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(LOOPBACK + "?")
    back = query_of(location)
    assert back["error"] == error
    assert back["state"] == "keep-me"
    assert back["error_description"]
    if error == "invalid_scope":
        assert "calendars:read" in back["error_description"]


def test_a_consent_form_is_answered_once_and_cannot_be_forged(
    sandbox: SandboxServer, browser: Browser
) -> None:
    form = browser.consent(challenge=pkce()[1])
    stranger = browser.decide(form, "Allow", user="nobody@nowhere.example")
    assert stranger.status_code == 400 and "listed users" in stranger.text
    assert browser.decide(form, "Allow").status_code == 302, "a bad pick does not spend it"
    replay = browser.decide(form, "Allow")
    assert replay.status_code == 400 and "location" not in replay.headers
    forged = browser.decide(
        type(form)(**{**form.__dict__, "hidden": {"request": "made-up-request-id"}}), "Allow"
    )
    assert forged.status_code == 400 and "expired or was already answered" in forged.text


def test_the_consent_page_is_accessible_and_not_frameable(browser: Browser) -> None:
    page = browser.authorize(
        client_id=NATIVE,
        redirect_uri=LOOPBACK,
        response_type="code",
        code_challenge=pkce()[1],
        code_challenge_method="S256",
    )
    form = read_consent(page)
    assert form.labels.get("user") == "Sign in as"
    assert '<html lang="en">' in page.text and "<title>" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_the_web_client_needs_its_secret(sandbox: SandboxServer, browser: Browser) -> None:
    with plain_client(sandbox.base_url) as control:
        info = control.get("/_sandbox").json()
    web = next(c for c in info["oauth_clients"] if c["client_id"] == WEB)
    secret = web["client_secret"]
    assert secret

    def grant() -> dict[str, str]:
        form = browser.consent(WEB, WEB_REDIRECT)  # confidential: PKCE optional
        back = query_of(browser.decide(form, "Allow").headers["location"])
        return {"grant_type": "authorization_code", "code": back["code"]} | {
            "redirect_uri": WEB_REDIRECT
        }

    with plain_client(sandbox.base_url) as http:
        anonymous = token(http, {**grant(), "client_id": WEB})
        assert anonymous.status_code == 401 and _error_of(anonymous) == "invalid_client"
        assert anonymous.headers["www-authenticate"].startswith("Basic")
        wrong = token(http, grant(), auth=(WEB, "not-the-secret"))
        assert wrong.status_code == 401 and _error_of(wrong) == "invalid_client"
        basic = token(http, grant(), auth=(WEB, secret))
        assert basic.status_code == 200, basic.text
        posted = token(http, {**grant(), "client_id": WEB, "client_secret": secret})
        assert posted.status_code == 200, posted.text
        both = token(http, {**grant(), "client_secret": secret}, auth=(WEB, secret))
        assert both.status_code == 400 and _error_of(both) == "invalid_request"
        renewed = refresh(http, basic.json()["refresh_token"], client_id=WEB)
        assert renewed.status_code == 401, "refreshing needs the secret too"
        renewed = token(
            http,
            {"grant_type": "refresh_token", "refresh_token": basic.json()["refresh_token"]},
            auth=(WEB, secret),
        )
        assert renewed.status_code == 200, renewed.text
        stolen = refresh(http, posted.json()["refresh_token"])  # as the native client
        assert stolen.status_code == 400 and _error_of(stolen) == "invalid_grant"
