"""Scopes on every served operation: only its own scope opens it, ``:write`` implies ``:read``.

``test_conformance`` checks that one unrelated scope is refused; here each operation meets a
token holding every other scope of the catalogue, a token holding only the matching
``:write`` of a ``:read`` it needs (and the ``:read`` of a ``:write``, which is not enough), a
legacy token, and tokens issued by the OAuth server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.auth import SCOPES
from tests.sandbox import spec
from tests.sandbox.conformance import UNKNOWN
from tests.sandbox.oauth_browser import Browser, exchange
from tests.sandbox_fixtures import EVENTS, MEMBERS, SEED

OPERATIONS = spec.served_operations()
PARAMS = [pytest.param(op, id=op.label) for op in OPERATIONS] or [
    pytest.param(None, id="spec-missing", marks=pytest.mark.skip(reason=spec.MISSING))
]


@pytest.fixture(scope="module")
def seeded_once(sandbox_server: SandboxServer) -> SandboxServer:
    """One fresh organization for all operations: they only meet unknown ids and empty
    bodies, so nothing they do changes it (and a reset per operation would be slow)."""
    sandbox_server.reset(seed=SEED, members=MEMBERS, events=EVENTS)
    return sandbox_server


def _writer(scope: str) -> str | None:
    """The ``:write`` scope that implies ``scope``, if the catalogue has one."""
    if not scope.endswith(":read"):
        return None
    write = scope.removesuffix(":read") + ":write"
    return write if write in SCOPES else None


def _call(
    sandbox: SandboxServer, operation: spec.Operation, scopes: list[str] | None
) -> httpx.Response:
    """The operation on a well-formed unknown id (and an empty body), as the owner."""
    path = re.sub(r"\{[^}]*\}", UNKNOWN, operation.path)
    body: dict[str, object] | None = {} if operation.method in ("POST", "PATCH") else None
    token = sandbox.token_for("owner", scopes)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=30) as client:
        return client.request(operation.method, path, json=body)


def _is_scope_refusal(response: httpx.Response) -> bool:
    return response.status_code == 403 and response.json().get("title") == "Insufficient scope"


@pytest.mark.parametrize("operation", PARAMS)
def test_only_the_operations_own_scope_opens_it(
    operation: spec.Operation, seeded_once: SandboxServer
) -> None:
    sandbox = seeded_once
    needed = spec.required_scopes(operation)
    assert needed, f"the spec names no scope for {operation.label}"
    implied = {w for s in needed if (w := _writer(s))}
    everything_else = [s for s in SCOPES if s not in needed | implied]

    refused = _call(sandbox, operation, everything_else)
    assert _is_scope_refusal(refused), (
        f"{operation.label} with every scope but {sorted(needed)}: {refused.status_code} "
        f"{refused.text[:300]}"
    )
    required = refused.json()["required_scopes"]
    assert len(required) == 1 and required[0] in needed, required
    if len(needed) == 1:
        assert required == sorted(needed)
    spec.validate(refused)

    legacy = _call(sandbox, operation, None)
    assert not _is_scope_refusal(legacy), f"a legacy token must pass: {legacy.text[:300]}"

    own = _call(sandbox, operation, required)
    assert own.status_code == legacy.status_code, (
        f"with just {required} {operation.label} answered {own.status_code}, "
        f"a full-access token {legacy.status_code}"
    )

    writer = _writer(required[0])
    if writer is not None:
        implied_answer = _call(sandbox, operation, [writer])
        assert not _is_scope_refusal(implied_answer), f"{writer} must imply {required[0]}"
        assert implied_answer.status_code == legacy.status_code
    if required[0].endswith(":write"):
        reader = required[0].removesuffix(":write") + ":read"
        if reader in SCOPES:
            answer = _call(sandbox, operation, [reader])
            assert _is_scope_refusal(answer), f"{reader} must not open {operation.label}"
            assert answer.json()["required_scopes"] == required


@pytest.fixture
def browser(sandbox: SandboxServer) -> Iterator[Browser]:
    made = Browser(sandbox.base_url)
    yield made
    made.close()


def test_oauth_tokens_carry_exactly_the_scopes_the_user_granted(
    sandbox: SandboxServer, browser: Browser
) -> None:
    code, verifier = browser.code(scope="scheduled_events:write organizations:read")
    with httpx.Client(base_url=sandbox.base_url, timeout=30) as http:
        pair = exchange(http, code, verifier).json()
    assert pair["scope"] == "organizations:read scheduled_events:write"
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    with httpx.Client(
        base_url=sandbox.base_url,
        headers=headers,
        timeout=30,
        event_hooks={"response": [spec.response_hook]},
    ) as api:
        assert api.get(pair["organization"]).status_code == 200
        missing = api.get("/scheduled_events", params={"organization": pair["organization"]})
        assert missing.status_code == 200, "scheduled_events:write implies :read"
        me = api.get("/users/me")
        assert me.status_code == 403
        assert me.json()["required_scopes"] == ["users:read"]
        hooks = api.get(
            "/webhook_subscriptions", params={"organization": pair["organization"], "scope": "x"}
        )
        assert hooks.status_code == 403
        assert hooks.json()["required_scopes"] == ["webhooks:read"]
