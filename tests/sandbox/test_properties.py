"""Property-based run of schemathesis-generated requests against the live sandbox.

For each implemented GET (and the POST/PATCH operations with bodies), hypothesis draws
requests from Calendly's spec; half the time a URI, id or time is swapped for a real seeded
one so the happy paths are reached too. Whatever is asked, the sandbox must not fail with a
5xx and every answer must validate against the spec. Bounded and derandomized.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.sandbox import SandboxServer
from tests.sandbox import spec

EXAMPLES = 20  # per operation: the whole file stays well under a minute
METHODS = ("GET", "POST", "PATCH")  # deletes are left to the conformance cases

OPERATIONS = [op for op in spec.served_operations() if op.method in METHODS]
PARAMS = [pytest.param(op, id=op.label) for op in OPERATIONS] or [
    pytest.param(None, id="spec-missing", marks=pytest.mark.skip(reason=spec.MISSING))
]


class Seeded:
    """Real URIs, ids and times from the seeded organization to swap into generated cases."""

    def __init__(self, sandbox: SandboxServer) -> None:
        assert sandbox.summary is not None
        store, base = sandbox.state.store, sandbox.base_url
        self.store, self.base = store, base
        org = sandbox.summary.organization

        def ids(table: str, where: str = "1", params: tuple[Any, ...] = ()) -> list[str]:
            return [str(r["id"]) for r in store.find(table, where, params, limit=3)]

        def uris(collection: str, idents: list[str]) -> list[str]:
            return [f"{base}/{collection}/{i}" for i in idents]

        users = [sandbox.summary.owner, *sandbox.summary.users[:2]]
        event_types = ids("event_types", "organization = ? AND active = 1", (org,))
        invitees = store.find("invitees", limit=3)
        now = sandbox.state.clock.now()
        self.values: dict[str, list[Any]] = {
            "organization": [f"{base}/organizations/{org}"],
            "user": uris("users", users),
            "host": uris("users", users),
            "event_type": uris("event_types", event_types),
            "group": uris("groups", ids("groups")),
            "form": uris("routing_forms", ids("routing_forms")),
            "owner": uris("organization_memberships", ids("memberships"))
            + uris("event_types", event_types)
            + uris("users", users[:1]),
            "user_availability_schedule": uris(
                "user_availability_schedules", ids("availability_schedules")
            ),
            "invitee": [
                f"{base}/scheduled_events/{i['event']}/invitees/{i['id']}" for i in invitees
            ],
            "start_time": [spec_time(now + timedelta(hours=1))],
            "end_time": [spec_time(now + timedelta(days=3))],
            "min_start_time": [spec_time(now - timedelta(days=30))],
            "max_start_time": [spec_time(now + timedelta(days=30))],
            "max_event_count": ["1", 1],
            "owner_type": ["EventType"],
            "email": ["someone.new@elsewhere.example"],
        }
        self.path_ids: dict[str, list[dict[str, str]]] = {}
        for path, table in PATH_TABLES.items():
            self.path_ids[path] = [{"uuid": i} for i in ids(table)]
        self.path_ids["/scheduled_events/{event_uuid}/invitees/{invitee_uuid}"] = [
            {"event_uuid": str(i["event"]), "invitee_uuid": str(i["id"])} for i in invitees
        ]
        self.path_ids["/organizations/{org_uuid}/invitations/{uuid}"] = [
            {"org_uuid": org, "uuid": i} for i in ids("invitations")
        ]
        self.path_ids["/webhook_subscriptions/{webhook_uuid}"] = [
            {"webhook_uuid": i} for i in ids("webhooks")
        ]
        self.path_ids["/organizations/{uuid}/invitations"] = [{"uuid": org}]
        self.path_ids["/organizations/{uuid}"] = [{"uuid": org}]


def spec_time(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


PATH_TABLES = {
    "/users/{uuid}": "users",
    "/organization_memberships/{uuid}": "memberships",
    "/groups/{uuid}": "groups",
    "/group_relationships/{uuid}": "group_relationships",
    "/event_types/{uuid}": "event_types",
    "/user_availability_schedules/{uuid}": "availability_schedules",
    "/scheduled_events/{uuid}": "scheduled_events",
    "/scheduled_events/{uuid}/invitees": "scheduled_events",
    "/scheduled_events/{uuid}/cancellation": "scheduled_events",
    "/invitee_no_shows/{uuid}": "no_shows",
    "/routing_forms/{uuid}": "routing_forms",
    "/routing_form_submissions/{uuid}": "routing_submissions",
}


def _swap(draw: Callable[[Any], Any], values: dict[str, Any], seeded: Seeded) -> None:
    """Replace some generated values by real ones (each a coin toss), in place."""
    for name in list(values):
        real = seeded.values.get(name)
        if real:
            values[name] = draw(st.sampled_from([values[name], *real]))


@pytest.fixture(scope="module")
def schema() -> Any:
    spec.require_spec()
    return schemathesis.openapi.from_path(str(spec.SPEC_PATH))


@pytest.mark.parametrize("operation", PARAMS)
def test_generated_requests_get_spec_answers_and_no_5xx(
    operation: spec.Operation, sandbox: SandboxServer, schema: Any
) -> None:
    strategy = schema[operation.path][operation.method].as_strategy()
    seeded = Seeded(sandbox)
    token = sandbox.token_for("owner")
    client = httpx.Client(base_url=sandbox.base_url, timeout=30)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        case = data.draw(strategy)
        query = dict(case.query or {})
        _swap(data.draw, query, seeded)
        url = case.formatted_path  # generated path parameters, percent-encoded
        real_ids = seeded.path_ids.get(operation.path)
        if real_ids and data.draw(st.booleans()):
            url = operation.path.format(**data.draw(st.sampled_from(real_ids)))
        body = case.body if isinstance(case.body, dict) else None
        if body is not None:
            body = dict(body)
            _swap(data.draw, body, seeded)
        options: dict[str, Any] = {"params": query}
        if operation.method in ("POST", "PATCH"):
            options["json"] = body if body is not None else case.body
            if not isinstance(options["json"], dict | list | str | int | float | bool):
                options["json"] = None
        headers = {"Authorization": f"Bearer {token}"}
        response = client.request(operation.method, url, headers=headers, **options)
        assert response.status_code < 500, (
            f"{operation.method} {response.request.url} body={options.get('json')!r} "
            f"-> {response.status_code}: {response.text[:400]}"
        )
        if spec.find_operation(operation.method, response.request.url.path) == operation:
            spec.validate(response)

    try:
        check()
    finally:
        client.close()
