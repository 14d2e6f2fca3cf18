"""Fixtures that serve a real sandbox on 127.0.0.1 and talk to it over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from tests.sandbox import spec

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
