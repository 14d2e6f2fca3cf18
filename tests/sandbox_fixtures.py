"""Fixtures that serve a real sandbox on 127.0.0.1 and talk to it over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.sandbox.seed import SeedSummary
from desktop.sandbox.store import Store
from tests.sandbox import spec
from tests.sandbox.helpers import plain_client, seeded

SEED = 7
MEMBERS = 25
EVENTS = 400


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One server for the session; ``sandbox`` reseeds it for each test."""
    server = SandboxServer(SandboxConfig(seed=SEED, members=MEMBERS, events=EVENTS)).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    """A freshly seeded organization (seed 7, 25 members, 400 events) on the shared server."""
    sandbox_server.reset(seed=SEED, members=MEMBERS, events=EVENTS)
    return sandbox_server


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """Start a separate sandbox with its own configuration (stopped after the test)."""
    started: list[SandboxServer] = []

    def make(**options: object) -> SandboxServer:
        server = SandboxServer(SandboxConfig(**options)).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[Callable[..., httpx.Client]]:
    """``api("owner"|"admin"|"user"|email, scopes=None)``: an httpx client with that token.

    Every response it receives is validated against Calendly's published OpenAPI description
    (when the spec is beside this checkout), so each test is a conformance check too.
    """
    clients: list[httpx.Client] = []

    def make(who: str = "owner", scopes: list[str] | None = None) -> httpx.Client:
        token = sandbox.token_for(who, scopes)
        client = httpx.Client(
            base_url=sandbox.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
            event_hooks={"response": [spec.response_hook]},
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def control(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """The control surface under /_sandbox (no token: it is local, not part of Calendly's API)."""
    with plain_client(sandbox.base_url) as client:
        yield client
        # The shared server outlives this test: put its budget back to the configured one.
        client.post(
            "/_sandbox/rate_limit",
            json={
                "limit": sandbox.config.rate_limit,
                "window_seconds": sandbox.config.rate_window_seconds,
            },
        )


@pytest.fixture(scope="module")
def conforms() -> Callable[[str, Any], None]:
    """``conforms(schema_name, body)``: validate against a component schema of the spec."""
    resource = Resource.from_contents(spec.raw(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:calendly", resource)

    def check(name: str, body: Any) -> None:
        ref = {"$ref": f"urn:calendly#/components/schemas/{name}"}
        Draft202012Validator(ref, registry=registry).validate(body)

    return check


@pytest.fixture(scope="module")
def seeded_org() -> Iterator[tuple[Store, SeedSummary]]:
    """The seed generator's default organization (seed 7, 25 members, 2000 events), in memory."""
    store, summary = seeded()
    yield store, summary
    store.close()
