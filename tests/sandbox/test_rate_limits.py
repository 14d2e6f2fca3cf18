"""Per-user rate limits with Calendly's X-RateLimit-* headers and 429s (facts §5.3)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import plain_client


def client_for(server: SandboxServer, who: str = "owner", **options: object) -> httpx.Client:
    token = server.token_for(who, **options)  # type: ignore[arg-type]
    return plain_client(server.base_url, token)


def limits(response: httpx.Response) -> tuple[int, int, int]:
    """(limit, remaining, reset seconds) from Calendly's headers."""
    headers = response.headers
    return (
        int(headers["X-RateLimit-Limit"]),
        int(headers["X-RateLimit-Remaining"]),
        int(headers["X-RateLimit-Reset"]),
    )


def test_every_api_response_carries_the_headers(sandbox: SandboxServer) -> None:
    owner = client_for(sandbox)
    narrow = client_for(sandbox, scopes=["event_types:read"])
    answers = {
        200: owner.get("/users/me"),
        401: httpx.get(f"{sandbox.base_url}/users/me", headers={"Authorization": "Bearer nope"}),
        403: narrow.get("/users/me"),
        404: owner.get("/users/NOSUCHUSER00000X"),
    }
    for status, response in answers.items():
        assert response.status_code == status
        limit, remaining, reset = limits(response)
        assert limit == 500  # Calendly's paid plans: 500 requests per user per minute
        assert 0 <= remaining < limit
        assert 0 <= reset <= 60


def test_remaining_counts_down_with_each_request(sandbox: SandboxServer) -> None:
    owner = client_for(sandbox)
    seen = [limits(owner.get("/users/me"))[1] for _ in range(4)]
    assert seen == [seen[0] - i for i in range(4)]


def test_past_the_budget_the_answer_is_429(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(rate_limit=5, members=3, events=0)
    owner = client_for(server)
    statuses = [owner.get("/users/me").status_code for _ in range(5)]
    assert statuses == [200] * 5
    refused = owner.get("/users/me")
    assert refused.status_code == 429
    assert limits(refused)[:2] == (5, 0)
    assert {"title", "message"} <= set(refused.json())


def test_the_budget_is_per_user(sandbox: SandboxServer, control: httpx.Client) -> None:
    control.post("/_sandbox/rate_limit", json={"limit": 3})
    owner, admin = client_for(sandbox, "owner"), client_for(sandbox, "admin")
    for _ in range(3):
        assert owner.get("/users/me").status_code == 200
    assert owner.get("/users/me").status_code == 429
    answer = admin.get("/users/me")
    assert answer.status_code == 200
    assert limits(answer)[:2] == (3, 2)


def test_two_tokens_of_one_user_share_the_budget(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    control.post("/_sandbox/rate_limit", json={"limit": 4})
    first, second = client_for(sandbox), client_for(sandbox)
    first.get("/users/me")
    first.get("/users/me")
    assert limits(second.get("/users/me"))[1] == 1


def test_the_window_resets_on_the_sandbox_clock(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    control.post("/_sandbox/clock", json={"freeze_at": "2030-01-01T09:00:00Z"})
    control.post("/_sandbox/rate_limit", json={"limit": 2, "window_seconds": 60})
    owner = client_for(sandbox)
    assert limits(owner.get("/users/me")) == (2, 1, 60)
    control.post("/_sandbox/clock", json={"advance_seconds": 25})
    assert limits(owner.get("/users/me")) == (2, 0, 35)
    assert owner.get("/users/me").status_code == 429
    control.post("/_sandbox/clock", json={"advance_seconds": 35})
    again = owner.get("/users/me")
    assert again.status_code == 200
    assert limits(again) == (2, 1, 60)


def test_reset_restores_the_configured_budget(
    sandbox: SandboxServer, control: httpx.Client
) -> None:
    control.post("/_sandbox/rate_limit", json={"limit": 1, "window_seconds": 5})
    owner = client_for(sandbox)
    owner.get("/users/me")
    assert owner.get("/users/me").status_code == 429
    control.post("/_sandbox/reset", json={"seed": 7, "members": 3, "events": 0})
    fresh = client_for(sandbox)
    assert limits(fresh.get("/users/me")) == (500, 499, 60)
