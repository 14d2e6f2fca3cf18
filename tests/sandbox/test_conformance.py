"""Every operation the sandbox serves answers as Calendly's published spec says.

Data-driven: the operations come from ``desktop.sandbox.routes.ROUTES`` matched against the
spec's paths, so a route that lands is covered at once; a served operation without a case in
``conformance_cases.CASES`` fails, so coverage cannot silently shrink.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox import spec
from tests.sandbox.conformance import CASES, UNKNOWN, Probe
from tests.sandbox.helpers import plain_client

# Routes in ROUTES that are deliberately not operations of Calendly's API spec: the OAuth
# server (in Calendly's separate OAuth description, on auth.calendly.com; facts §7.1), its
# consent form's answer and the sandbox's own client registry.
NON_SPEC_ROUTES: frozenset[str] = frozenset(
    {
        "GET /oauth/authorize",
        "POST /oauth/authorize/decision",
        "POST /oauth/token",
        "POST /oauth/revoke",
        "POST /oauth/introspect",
        "GET /.well-known/oauth-authorization-server",
        "GET /_sandbox/oauth_clients",
        "POST /_sandbox/oauth_clients",
    }
)

SPEC_OPERATIONS = 65  # S2, 2026 (reference README)


def _by_shape() -> dict[tuple[str, str], spec.Operation]:
    return {(op.method, op.shape): op for op in spec.operations()}


IMPLEMENTED = spec.served_operations()
PARAMS = [pytest.param(op, id=op.label) for op in IMPLEMENTED] or [
    pytest.param(None, id="spec-missing", marks=pytest.mark.skip(reason=spec.MISSING))
]


@pytest.fixture
def probe(request: pytest.FixtureRequest, sandbox: SandboxServer) -> Iterator[Probe]:
    operation = request.node.callspec.params["operation"]
    made = Probe(sandbox, operation)
    yield made
    made.close()


def test_every_route_is_a_spec_operation() -> None:
    spec.require_spec()
    index = _by_shape()
    strays = [
        f"{m} {p}"
        for m, p in spec.served_routes()
        if (m, spec.template_shape(p)) not in index and f"{m} {p}" not in NON_SPEC_ROUTES
    ]
    assert not strays, f"routes that are not operations of Calendly's API: {strays}"


def test_implemented_operations_are_reported() -> None:
    spec.require_spec()
    everything = spec.operations()
    assert len(everything) == SPEC_OPERATIONS
    done = {op.label for op in IMPLEMENTED}
    missing = sorted(op.label for op in everything if op.label not in done)
    print(f"\nThe sandbox implements {len(done)} of Calendly's {len(everything)} operations:")
    for label in sorted(done):
        print(f"  + {label}")
    print("Not implemented:")
    for label in missing:
        print(f"  - {label}")
    assert "GET /users/me" in done


def test_every_implemented_operation_has_a_case() -> None:
    spec.require_spec()
    uncovered = [op.label for op in IMPLEMENTED if op.label not in CASES]
    assert not uncovered, (
        f"served but without a conformance case: {uncovered}; add one to tests/sandbox/conformance/"
    )
    assert set(CASES) <= {op.label for op in spec.operations()}, "a case names no operation"


@pytest.mark.parametrize("operation", PARAMS)
def test_operation_conforms(operation: spec.Operation, probe: Probe) -> None:
    run = CASES.get(operation.label)
    if run is None:
        pytest.fail(
            f"{operation.label} is served (desktop.sandbox.routes.ROUTES) but has no "
            "conformance case; add one to tests/sandbox/conformance/"
        )
    run(probe)
    assert any(200 <= s < 300 for s in probe.statuses), "the case never took the happy path"
    assert any(400 <= s < 500 for s in probe.statuses), "the case never took an error path"


def _dummy_path(operation: spec.Operation) -> str:
    return re.sub(r"\{[^}]*\}", UNKNOWN, operation.path)


@pytest.mark.parametrize("operation", PARAMS)
def test_operation_needs_a_token_and_its_scope(
    operation: spec.Operation, sandbox: SandboxServer
) -> None:
    """401 without a token; 403 Insufficient scope naming the spec's scope without it."""
    path = _dummy_path(operation)
    body: dict[str, object] | None = {} if operation.method in ("POST", "PATCH") else None
    with plain_client(sandbox.base_url) as anonymous:
        refused = anonymous.request(operation.method, path, json=body)
    assert refused.status_code == 401, refused.text
    assert refused.json()["title"] == "Unauthenticated"
    spec.validate(refused)

    needed = spec.required_scopes(operation)
    assert needed, f"the spec names no scope for {operation.label}"
    unrelated = next(s for s in ("meeting_recaps:read", "contacts:read") if s not in needed)
    with plain_client(sandbox.base_url, sandbox.token_for("owner", [unrelated])) as scoped:
        narrow = scoped.request(operation.method, path, json=body)
    assert narrow.status_code == 403, narrow.text
    assert narrow.json()["title"] == "Insufficient scope"
    assert set(narrow.json()["required_scopes"]) <= needed, (
        f"required_scopes {narrow.json()['required_scopes']} for {operation.label}; "
        f"the spec says {sorted(needed)}"
    )
    spec.validate(narrow)


# -- the oracle itself: it must catch what it is for ------------------------------------------
def _answer(
    status: int, body: object, method: str = "GET", path: str = "/users/me"
) -> httpx.Response:
    request = httpx.Request(method, f"http://127.0.0.1:9/{path.lstrip('/')}")
    return httpx.Response(status, json=body, request=request)


USER = {
    "uri": "http://127.0.0.1:9/users/AAAAAAAAAAAAAAAA",
    "name": "Ada",
    "slug": "ada",
    "email": "ada@example.com",
    "scheduling_url": "http://127.0.0.1:9/ada",
    "timezone": "Europe/London",
    "time_notation": "24h",
    "avatar_url": None,
    "created_at": "2026-01-02T03:04:05.678123Z",
    "updated_at": "2026-01-02T03:04:05.678123Z",
    "current_organization": "http://127.0.0.1:9/organizations/BBBBBBBBBBBBBBBB",
    "resource_type": "User",
    "locale": "en",
}


def test_the_oracle_accepts_a_calendly_user() -> None:
    spec.require_spec()
    spec.validate(_answer(200, {"resource": USER}))


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"uri": None}, "body.resource.uri: None is not of type 'string'"),
        ({"locale": "xx"}, "body.resource.locale: 'xx' is not one of"),
        ({"created_at": "yesterday"}, "body.resource.created_at: 'yesterday' is not a 'date-time'"),
        ({"current_organization": "/organizations/B"}, "is not a 'uri'"),
        ({"signing_key": "leak"}, "'signing_key' was unexpected"),
    ],
    ids=["wrong-type", "enum", "date-time", "relative-uri", "undocumented-key"],
)
def test_the_oracle_names_what_is_wrong(change: dict[str, object], complaint: str) -> None:
    spec.require_spec()
    with pytest.raises(AssertionError, match=re.escape(complaint)):
        spec.validate(_answer(200, {"resource": {**USER, **change}}))


def test_the_oracle_names_a_missing_required_field() -> None:
    spec.require_spec()
    user = {k: v for k, v in USER.items() if k != "email"}
    with pytest.raises(AssertionError, match=re.escape("body.resource: 'email' is a required")):
        spec.validate(_answer(200, {"resource": user}))


def test_the_oracle_follows_the_facts_where_they_override_the_spec() -> None:
    spec.require_spec()
    not_found = {
        "title": "Resource Not Found",
        "message": "The server could not find the requested resource.",
    }
    spec.validate(_answer(404, not_found, path="/users/X"))  # S2's enum says "Internal ..."
    spec.validate(_answer(429, {"title": "Too Many Requests", "message": "Slow down."}))
    denied = {"title": "Permission Denied", "message": "This user is not in your organization"}
    spec.validate(_answer(403, denied, path="/users/X"))
    with pytest.raises(AssertionError, match="not Calendly's title for 404"):
        spec.validate(_answer(404, {"title": "Not Here", "message": "gone"}, path="/users/X"))
    with pytest.raises(AssertionError, match=re.escape("body.message: 'Nope' is not one of")):
        spec.validate(
            _answer(403, {"title": "Permission Denied", "message": "Nope"}, path="/users/X")
        )
    with pytest.raises(AssertionError, match="must name each bad parameter"):
        spec.validate(
            _answer(
                400,
                {"title": "Invalid Argument", "message": "bad"},
                path="/organization_memberships",
            )
        )
    with pytest.raises(AssertionError, match="status 418 is not documented"):
        spec.validate(_answer(418, {"title": "Teapot", "message": "short and stout"}))
    with pytest.raises(AssertionError, match="is not an operation"):
        spec.validate(_answer(200, {}, path="/nowhere"))
