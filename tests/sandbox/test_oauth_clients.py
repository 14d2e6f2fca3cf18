"""Registered OAuth clients and personal access tokens: control surface and command line."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from desktop.sandbox import SandboxServer, cli
from desktop.sandbox.auth import SCOPES
from tests.sandbox.helpers import plain_client
from tests.sandbox.oauth_browser import NATIVE, WEB, WEB_REDIRECT, Browser, me, query_of, token


@pytest.fixture
def browser(sandbox: SandboxServer) -> Iterator[Browser]:
    made = Browser(sandbox.base_url)
    yield made
    made.close()


def test_the_control_surface_names_the_seeded_clients(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    listed = control.get("/_sandbox").json()["oauth_clients"]
    assert listed == control.get("/_sandbox/oauth_clients").json()["collection"]
    by_id = {c["client_id"]: c for c in listed}
    native, web = by_id[NATIVE], by_id[WEB]
    assert native["kind"] == "native" and native["client_secret"] is None
    assert native["loopback_redirects"] and native["require_pkce"]
    assert web["kind"] == "web" and len(web["client_secret"]) >= 32
    assert web["redirect_uris"] == [WEB_REDIRECT] and not web["loopback_redirects"]
    assert native["scopes"] == list(SCOPES)

    sandbox.reset(seed=7, members=25, events=400)
    again = {c["client_id"]: c for c in control.get("/_sandbox/oauth_clients").json()["collection"]}
    assert again[WEB]["client_secret"] == web["client_secret"], "same seed, same secret"


def test_an_integrator_can_register_a_web_client_and_sign_in_with_it(
    sandbox: SandboxServer, control: httpx.Client, browser: Browser
) -> None:
    callback = "https://app.example.test/calendly/callback"
    made = control.post(
        "/_sandbox/oauth_clients",
        json={
            "kind": "web",
            "name": "My App",
            "redirect_uris": [callback],
            "scopes": ["users:read"],
        },
    )
    assert made.status_code == 201, made.text
    client = made.json()
    assert client["client_secret"] and client["scopes"] == ["users:read"]
    assert (
        control.post("/_sandbox/oauth_clients", json={**client, "kind": "web"}).status_code == 409
    )

    page = browser.consent(client["client_id"], callback)
    assert page.scopes == ["users:read"]
    back = query_of(browser.decide(page, "Allow").headers["location"])
    with plain_client(sandbox.base_url) as http:
        data = {"grant_type": "authorization_code", "code": back["code"], "redirect_uri": callback}
        answer = token(http, data, auth=(client["client_id"], client["client_secret"]))
    assert answer.status_code == 200, answer.text
    assert me(sandbox.base_url, answer.json()["access_token"]).status_code == 200
    wider = browser.authorize(
        client_id=client["client_id"],
        redirect_uri=callback,
        response_type="code",
        scope="users:read webhooks:read",
    )
    assert query_of(wider.headers["location"])["error"] == "invalid_scope"


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"kind": "desktop"}, "kind"),
        ({"kind": "web"}, "redirect_uris"),
        ({"kind": "web", "redirect_uris": ["/relative"]}, "redirect_uris"),
        ({"kind": "native", "scopes": ["users:read", "calendar:read"]}, "scopes"),
    ],
)
def test_registering_a_client_validates_it(
    control: httpx.Client, body: dict[str, object], parameter: str
) -> None:
    answer = control.post("/_sandbox/oauth_clients", json=body)
    assert answer.status_code == 400
    assert parameter in [d["parameter"] for d in answer.json()["details"]]


def test_personal_access_tokens_carry_the_chosen_scopes(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    made = control.post("/_sandbox/tokens", json={"role": "admin", "scopes": ["users:read"]})
    assert made.status_code == 201
    headers = {"Authorization": f"Bearer {made.json()['access_token']}"}
    with plain_client(sandbox.base_url) as http:
        assert http.get("/users/me", headers=headers).status_code == 200
        refused = http.get("/event_types", headers=headers, params={"organization": "x"})
    assert refused.status_code == 403
    assert refused.json()["required_scopes"] == ["event_types:read"]

    bad = control.post("/_sandbox/tokens", json={"scopes": ["users:read", "users:write", "x"]})
    assert bad.status_code == 400
    (problem,) = bad.json()["details"]
    assert problem["parameter"] == "scopes"
    assert "users:write" in problem["message"] and "x" in problem["message"]


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_the_command_line_validates_scopes_and_names_the_bad_one() -> None:
    config = cli.config_from(_args("--scopes", "users:read  event_types:write,webhooks:read"))
    assert isinstance(config, cli.CommandConfig)
    assert config.token_scopes == ["users:read", "event_types:write", "webhooks:read"]
    assert cli.config_from(_args()).token_scopes is None
    with pytest.raises(SystemExit, match="unknown scope: event_type:read"):
        cli.config_from(_args("--scopes", "users:read event_type:read"))


def test_the_command_exits_with_the_bad_scope_named() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "sandbox", "--scopes", "users:read nope:read"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0
    assert "nope:read" in done.stderr


def test_the_announcement_prints_scoped_tokens_for_the_owner_and_another_user(
    sandbox: SandboxServer,
) -> None:
    assert sandbox.summary is not None
    member = sandbox.state.store.find_one(
        "memberships", "role = ? AND organization = ?", ("user", sandbox.summary.organization)
    )
    assert member is not None
    out = io.StringIO()
    cli.announce(sandbox, out, ["users:read"], member["email"])
    lines = {
        line.split(": ", 1)[0].strip(): line.split(": ", 1)[1]
        for line in out.getvalue().splitlines()
        if ": " in line
    }
    owner_token = lines["owner access token"]
    other_token = lines[f"access token for {member['email']}"]
    assert (
        me(sandbox.base_url, owner_token).json()["resource"]["uri"].endswith(sandbox.summary.owner)
    )
    assert me(sandbox.base_url, other_token).json()["resource"]["email"] == member["email"]
    with plain_client(sandbox.base_url, owner_token) as http:
        refused = http.get("/organization_memberships", params={"organization": "x"})
    assert refused.status_code == 403
    assert refused.json()["required_scopes"] == ["organizations:read"]
    assert NATIVE in out.getvalue()

    with pytest.raises(LookupError):
        cli.announce(sandbox, io.StringIO(), None, "nobody@nowhere.example")
