"""Fault injection: each kind of fault does what it says, only where and as often as asked."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import plain_client

Client = Callable[..., httpx.Client]


@pytest.fixture
def owner(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """A plain client (no spec validation: these responses are broken on purpose)."""
    with plain_client(sandbox.base_url, sandbox.token_for("owner")) as client:
        yield client


def add(control: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = control.post("/_sandbox/faults", json=fields)
    assert response.status_code == 201, response.text
    fault: dict[str, Any] = response.json()
    return fault


def org_path(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    return f"/organizations/{sandbox.summary.organization}"


# -- each kind --------------------------------------------------------------------------------
def test_latency_fault_delays_the_answer(control: httpx.Client, owner: httpx.Client) -> None:
    add(control, kind="latency", latency_ms=300)
    started = time.perf_counter()
    response = owner.get("/users/me")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed >= 0.3


def test_latency_fault_on_one_path_lets_others_finish_first(
    sandbox: SandboxServer, control: httpx.Client, owner: httpx.Client
) -> None:
    add(control, kind="latency", latency_ms=400, paths=["/users/*"])
    started = time.perf_counter()
    assert owner.get(org_path(sandbox)).status_code == 200
    quick = time.perf_counter() - started
    assert owner.get("/users/me").status_code == 200
    slow = time.perf_counter() - started - quick
    assert slow >= 0.4
    assert quick < slow


def test_configured_latency_delays_every_api_request(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(latency_ms=250, members=3, events=0)
    token = server.token_for("owner")
    started = time.perf_counter()
    response = httpx.get(
        f"{server.base_url}/users/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.25


CALENDLY_ERRORS = {
    400: ("Invalid Argument", "The supplied parameters are invalid."),
    401: ("Unauthenticated", "The access token is invalid"),
    403: ("Permission Denied", "You do not have permission to access this resource."),
    404: ("Resource Not Found", "The server could not find the requested resource."),
    500: (
        "Internal Server Error",
        "The server encountered an unexpected condition that prevented it from fulfilling "
        "the request.",
    ),
}


@pytest.mark.parametrize("status", sorted(CALENDLY_ERRORS))
def test_error_fault_answers_the_status_with_calendlys_body(
    control: httpx.Client, owner: httpx.Client, status: int
) -> None:
    add(control, kind="error", status=status)
    response = owner.get("/users/me")
    assert response.status_code == status
    title, message = CALENDLY_ERRORS[status]
    assert response.json()["title"] == title
    assert response.json()["message"] == message


def test_error_fault_with_an_uncommon_status(control: httpx.Client, owner: httpx.Client) -> None:
    add(control, kind="error", status=503)
    response = owner.get("/users/me")
    assert response.status_code == 503
    assert set(response.json()) >= {"title", "message"}


def test_rate_limit_fault_is_a_429_that_spends_the_window(
    sandbox: SandboxServer, control: httpx.Client, owner: httpx.Client
) -> None:
    add(control, kind="rate_limit", times=1)
    response = owner.get("/users/me")
    assert response.status_code == 429
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert response.headers["X-RateLimit-Limit"] == str(sandbox.config.rate_limit)
    assert 0 <= int(response.headers["X-RateLimit-Reset"]) <= 60
    assert {"title", "message"} <= set(response.json())
    # The burst spent the caller's window: the next request is refused by the limiter itself.
    assert owner.get("/users/me").status_code == 429
    control.post("/_sandbox/clock", json={"advance_seconds": 60})
    assert owner.get("/users/me").status_code == 200


def test_drop_fault_closes_the_connection_without_an_answer(
    control: httpx.Client, owner: httpx.Client
) -> None:
    add(control, kind="drop", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        owner.get("/users/me")
    assert owner.get("/users/me").status_code == 200


def test_truncate_fault_breaks_off_the_body(control: httpx.Client, owner: httpx.Client) -> None:
    add(control, kind="truncate", times=1)
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        owner.get("/users/me")
    assert owner.get("/users/me").status_code == 200


def test_malformed_fault_is_a_200_whose_body_is_not_json(
    control: httpx.Client, owner: httpx.Client
) -> None:
    add(control, kind="malformed", times=1)
    response = owner.get("/users/me")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(ValueError):
        response.json()


# -- where, how often ---------------------------------------------------------------------------
def test_path_filter_faults_only_matching_paths(
    sandbox: SandboxServer, control: httpx.Client, owner: httpx.Client
) -> None:
    add(control, kind="error", status=500, paths=["/organizations/*"])
    assert owner.get("/users/me").status_code == 200
    assert owner.get(org_path(sandbox)).status_code == 500


def test_method_filter_faults_only_matching_methods(
    control: httpx.Client, owner: httpx.Client
) -> None:
    add(control, kind="error", status=500, methods=["post"])
    assert owner.get("/users/me").status_code == 200
    # Without the fault this would be 405; the fault answers first.
    assert owner.post("/users/me", json={}).status_code == 500


def test_times_limits_how_often_a_fault_fires(control: httpx.Client, owner: httpx.Client) -> None:
    fault = add(control, kind="error", status=500, times=2)
    statuses = [owner.get("/users/me").status_code for _ in range(4)]
    assert statuses == [500, 500, 200, 200]
    listed = control.get("/_sandbox/faults").json()["collection"]
    assert [(f["id"], f["fired"]) for f in listed] == [(fault["id"], 2)]


def _statuses_with_probability(sandbox: SandboxServer, seed: int, requests: int) -> list[int]:
    sandbox.reset(seed=seed, members=3, events=0)
    headers = {"Authorization": f"Bearer {sandbox.token_for('owner')}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers) as client:
        client.post("/_sandbox/faults", json={"kind": "error", "status": 500, "probability": 0.5})
        return [client.get("/users/me").status_code for _ in range(requests)]


def test_probability_fires_some_but_not_all_and_repeats_with_the_seed(
    sandbox: SandboxServer,
) -> None:
    first = _statuses_with_probability(sandbox, seed=21, requests=200)
    failed = first.count(500)
    assert set(first) == {200, 500}
    assert 50 < failed < 150
    assert _statuses_with_probability(sandbox, seed=21, requests=200) == first
    # Another seed draws another sequence (compared on a prefix: 2**-40 to collide).
    assert _statuses_with_probability(sandbox, seed=22, requests=40) != first[:40]


def test_control_surface_is_never_faulted(control: httpx.Client) -> None:
    for kind in ("error", "drop", "malformed", "truncate", "rate_limit"):
        add(control, kind=kind)
    assert control.get("/_sandbox").status_code == 200
    assert control.get("/_sandbox/clock").status_code == 200
    assert control.get("/_sandbox/faults").status_code == 200


# -- the control surface for faults -----------------------------------------------------------
def test_faults_are_added_listed_removed_and_cleared(
    control: httpx.Client, owner: httpx.Client
) -> None:
    first = add(control, kind="error", status=404, paths=["/users/*"], methods=["GET"])
    assert first["kind"] == "error"
    assert first["status"] == 404
    assert first["paths"] == ["/users/*"]
    assert first["fired"] == 0
    second = add(control, kind="latency", latency_ms=10, probability=0.25, times=3)
    listed = control.get("/_sandbox/faults").json()["collection"]
    assert [f["id"] for f in listed] == [first["id"], second["id"]]
    assert listed[1]["probability"] == 0.25
    assert listed[1]["times"] == 3

    assert control.delete(f"/_sandbox/faults/{first['id']}").status_code == 204
    assert [f["id"] for f in control.get("/_sandbox/faults").json()["collection"]] == [second["id"]]
    assert owner.get("/users/me").status_code == 200  # the 404 fault is gone
    assert control.delete(f"/_sandbox/faults/{first['id']}").status_code == 404
    assert control.delete("/_sandbox/faults/not-a-number").status_code == 404

    assert control.delete("/_sandbox/faults").status_code == 204
    assert control.get("/_sandbox/faults").json()["collection"] == []


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "meteor"},
        {"kind": "error", "status": 200},
        {"kind": "error", "probability": 1.5},
        {"kind": "error", "colour": "red"},
        {},
    ],
    ids=["unknown-kind", "error-status-2xx", "probability-over-1", "unknown-field", "no-kind"],
)
def test_a_bad_fault_is_refused_naming_it(control: httpx.Client, fields: dict[str, Any]) -> None:
    response = control.post("/_sandbox/faults", json=fields)
    assert response.status_code == 400
    assert response.json()["title"] == "Invalid Argument"
    assert [d["parameter"] for d in response.json()["details"]] == ["fault"]
    assert control.get("/_sandbox/faults").json()["collection"] == []


def test_a_fault_body_that_is_not_an_object_is_refused(control: httpx.Client) -> None:
    response = control.post("/_sandbox/faults", content=b"[1, 2]")
    assert response.status_code == 400
    assert response.json()["details"][0]["parameter"] == "body"


def test_reset_clears_faults(sandbox: SandboxServer, control: httpx.Client) -> None:
    add(control, kind="error", status=500)
    sandbox.reset(seed=7, members=3, events=0)
    assert control.get("/_sandbox/faults").json()["collection"] == []
