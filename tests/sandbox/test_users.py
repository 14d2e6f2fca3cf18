"""Users and organizations: who am I, other members, my organization."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from desktop.sandbox import SandboxServer


def test_me_names_the_token_user_and_their_organization(
    sandbox: SandboxServer, api: Callable[..., httpx.Client]
) -> None:
    me = api("owner").get("/users/me")
    assert me.status_code == 200
    user = me.json()["resource"]
    assert user["uri"] == f"{sandbox.base_url}/users/{sandbox.summary.owner}"
    org = api("owner").get(user["current_organization"])
    assert org.status_code == 200
    assert org.json()["resource"]["uri"] == user["current_organization"]


def test_missing_or_wrong_token_is_unauthenticated(sandbox: SandboxServer) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = httpx.get(f"{sandbox.base_url}/users/me", headers=headers)
        assert response.status_code == 401
        assert response.json()["title"] == "Unauthenticated"


def test_unknown_user_is_not_found(api: Callable[..., httpx.Client]) -> None:
    response = api("user").get("/users/NOSUCHUSER00000X")
    assert response.status_code == 404
    assert response.json() == {
        "title": "Resource Not Found",
        "message": "The server could not find the requested resource.",
    }


def test_scoped_token_without_users_read_is_refused(api: Callable[..., httpx.Client]) -> None:
    response = api("owner", scopes=["event_types:read"]).get("/users/me")
    assert response.status_code == 403
    assert response.json()["title"] == "Insufficient scope"
    assert response.json()["required_scopes"] == ["users:read"]
