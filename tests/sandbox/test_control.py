"""The control surface under /_sandbox: info, reset and seed, clock, tokens, rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import parameter_list, plain_client, user_uri


def bearer(sandbox: SandboxServer, token: str) -> httpx.Client:
    return plain_client(sandbox.base_url, token)


def token(control: httpx.Client, **body: Any) -> str:
    response = control.post("/_sandbox/tokens", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["token_type"] == "Bearer"
    value: str = response.json()["access_token"]
    return value


def me(sandbox: SandboxServer, access_token: str) -> dict[str, Any]:
    response = bearer(sandbox, access_token).get("/users/me")
    assert response.status_code == 200, response.text
    user: dict[str, Any] = response.json()["resource"]
    return user


def when(text: str) -> datetime:
    assert text.endswith("Z") and len(text) == len("2026-01-02T03:04:05.678123Z"), text
    return datetime.fromisoformat(text[:-1] + "+00:00")


def bad_parameter(response: httpx.Response) -> list[str]:
    named = parameter_list(response)
    assert response.json()["title"] == "Invalid Argument"
    return named


# -- info and reset ---------------------------------------------------------------------------
def test_info_names_the_host_the_organization_and_its_owner(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    info = control.get("/_sandbox").json()
    assert sandbox.summary is not None
    assert info["base_url"] == sandbox.base_url
    assert info["seed"] == 7
    assert (
        info["organization"] == f"{sandbox.base_url}/organizations/{sandbox.summary.organization}"
    )
    assert info["owner"] == user_uri(sandbox, sandbox.summary.owner)
    assert abs(when(info["now"]) - datetime.now(UTC)) < timedelta(minutes=5)
    owner = me(sandbox, token(control, role="owner"))
    assert owner["uri"] == info["owner"]
    assert owner["current_organization"] == info["organization"]


def _reset(control: httpx.Client, seed: int) -> dict[str, Any]:
    response = control.post("/_sandbox/reset", json={"seed": seed, "members": 4, "events": 10})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_reset_with_the_same_seed_repeats_the_organization(control: httpx.Client) -> None:
    first = _reset(control, 11)
    assert first["seed"] == 11
    again = _reset(control, 11)
    assert (again["organization"], again["owner"]) == (first["organization"], first["owner"])
    other = _reset(control, 12)
    assert other["organization"] != first["organization"]
    assert other["owner"] != first["owner"]
    info = control.get("/_sandbox").json()
    assert (info["seed"], info["organization"]) == (12, other["organization"])


def test_reset_serves_the_new_organization(sandbox: SandboxServer, control: httpx.Client) -> None:
    fresh = _reset(control, 13)
    owner = me(sandbox, token(control, role="owner"))
    assert owner["uri"] == fresh["owner"]
    assert owner["current_organization"] == fresh["organization"]
    organization = bearer(sandbox, token(control)).get(fresh["organization"])
    assert organization.status_code == 200


def test_reset_puts_back_the_clock_and_clears_faults(control: httpx.Client) -> None:
    control.post("/_sandbox/clock", json={"advance_seconds": 86400 * 30})
    control.post("/_sandbox/faults", json={"kind": "error", "status": 500})
    _reset(control, 7)
    now = when(control.get("/_sandbox/clock").json()["now"])
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=5)
    assert control.get("/_sandbox/faults").json()["collection"] == []


@pytest.mark.parametrize("seed", [-1, "seven", 1.5, True])
def test_reset_refuses_a_bad_seed(control: httpx.Client, seed: object) -> None:
    assert bad_parameter(control.post("/_sandbox/reset", json={"seed": seed})) == ["seed"]


def test_reset_refuses_a_body_that_is_not_json(control: httpx.Client) -> None:
    response = control.post("/_sandbox/reset", content=b"{seed: 1")
    assert bad_parameter(response) == ["body"]


# -- clock ------------------------------------------------------------------------------------
def test_clock_reads_and_advances(control: httpx.Client) -> None:
    before = when(control.get("/_sandbox/clock").json()["now"])
    moved = control.post("/_sandbox/clock", json={"advance_seconds": 3600})
    assert moved.status_code == 200
    assert when(moved.json()["now"]) >= before + timedelta(hours=1)
    assert when(control.get("/_sandbox/clock").json()["now"]) >= before + timedelta(hours=1)
    assert when(control.get("/_sandbox").json()["now"]) >= before + timedelta(hours=1)


def test_clock_freezes_advances_while_frozen_and_unfreezes(control: httpx.Client) -> None:
    frozen = control.post("/_sandbox/clock", json={"freeze_at": "2030-01-01T00:00:00Z"})
    assert frozen.json()["now"] == "2030-01-01T00:00:00.000000Z"
    assert control.get("/_sandbox/clock").json()["now"] == "2030-01-01T00:00:00.000000Z"
    moved = control.post("/_sandbox/clock", json={"advance_seconds": 90})
    assert moved.json()["now"] == "2030-01-01T00:01:30.000000Z"
    control.post("/_sandbox/clock", json={"unfreeze": True})
    later = when(control.get("/_sandbox/clock").json()["now"])
    assert later >= datetime(2030, 1, 1, 0, 1, 30, tzinfo=UTC)
    assert later < datetime(2030, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"advance_seconds": -5}, "advance_seconds"),
        ({"advance_seconds": "soon"}, "advance_seconds"),
        ({"freeze_at": "next tuesday"}, "freeze_at"),
    ],
)
def test_clock_refuses_bad_input(
    control: httpx.Client, body: dict[str, Any], parameter: str
) -> None:
    before = control.get("/_sandbox/clock").json()["now"]
    assert bad_parameter(control.post("/_sandbox/clock", json=body)) == [parameter]
    assert when(control.get("/_sandbox/clock").json()["now"]) < when(before) + timedelta(hours=1)


# -- tokens -----------------------------------------------------------------------------------
def test_tokens_by_role(sandbox: SandboxServer, control: httpx.Client) -> None:
    assert sandbox.summary is not None
    base = sandbox.base_url
    assert (
        me(sandbox, token(control, role="owner"))["uri"] == f"{base}/users/{sandbox.summary.owner}"
    )
    admins = {f"{base}/users/{u}" for u in sandbox.summary.admins}
    users = {f"{base}/users/{u}" for u in sandbox.summary.users}
    assert me(sandbox, token(control, role="admin"))["uri"] in admins
    assert me(sandbox, token(control, role="user"))["uri"] in users
    # No body at all: the owner.
    plain = control.post("/_sandbox/tokens")
    assert plain.status_code == 201
    assert (
        me(sandbox, plain.json()["access_token"])["uri"] == f"{base}/users/{sandbox.summary.owner}"
    )


def test_tokens_by_email_and_by_user_uri(sandbox: SandboxServer, control: httpx.Client) -> None:
    admin = me(sandbox, token(control, role="admin"))
    assert me(sandbox, token(control, email=admin["email"]))["uri"] == admin["uri"]
    assert me(sandbox, token(control, email=admin["email"].upper()))["uri"] == admin["uri"]
    assert me(sandbox, token(control, user=admin["uri"]))["uri"] == admin["uri"]


def test_tokens_with_scopes_are_limited_to_them(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    scoped = bearer(sandbox, token(control, role="owner", scopes=["organizations:read"]))
    refused = scoped.get("/users/me")
    assert refused.status_code == 403
    assert refused.json()["title"] == "Insufficient scope"
    assert refused.json()["required_scopes"] == ["users:read"]
    info = control.get("/_sandbox").json()
    assert scoped.get(info["organization"]).status_code == 200
    # A legacy token (no scopes given) has full access.
    assert bearer(sandbox, token(control, role="owner")).get("/users/me").status_code == 200


def test_tokens_for_nobody_are_refused(sandbox: SandboxServer, control: httpx.Client) -> None:
    assert bad_parameter(
        control.post("/_sandbox/tokens", json={"email": "nobody@nowhere.example"})
    ) == ["user"]
    assert bad_parameter(
        control.post("/_sandbox/tokens", json={"role": "owner", "scopes": "users:read"})
    ) == ["scopes"]
    unknown = control.post(
        "/_sandbox/tokens", json={"user": f"{sandbox.base_url}/users/NOSUCHUSER00000X"}
    )
    assert unknown.status_code == 404


def test_tokens_are_distinct_and_all_work(sandbox: SandboxServer, control: httpx.Client) -> None:
    tokens = {token(control, role="owner") for _ in range(3)}
    assert len(tokens) == 3
    for value in tokens:
        assert bearer(sandbox, value).get("/users/me").status_code == 200


# -- rate limit -------------------------------------------------------------------------------
def test_rate_limit_is_configured_and_applied(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    response = control.post("/_sandbox/rate_limit", json={"limit": 7, "window_seconds": 30})
    assert response.status_code == 200
    assert response.json() == {"limit": 7, "window_seconds": 30}
    answer = bearer(sandbox, token(control)).get("/users/me")
    assert answer.headers["X-RateLimit-Limit"] == "7"
    assert answer.headers["X-RateLimit-Remaining"] == "6"
    assert answer.headers["X-RateLimit-Reset"] == "30"
    # The window is kept when only the limit changes.
    assert control.post("/_sandbox/rate_limit", json={"limit": 9}).json() == {
        "limit": 9,
        "window_seconds": 30,
    }


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"limit": 5, "window_seconds": -1}, "window_seconds"),
    ],
)
def test_rate_limit_refuses_bad_input(
    sandbox: SandboxServer, control: httpx.Client, body: dict[str, Any], parameter: str
) -> None:
    assert bad_parameter(control.post("/_sandbox/rate_limit", json=body)) == [parameter]
    answer = bearer(sandbox, token(control)).get("/users/me")
    assert answer.headers["X-RateLimit-Limit"] == str(sandbox.config.rate_limit)
