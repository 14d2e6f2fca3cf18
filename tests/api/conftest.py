"""Client tests: a ``client`` factory bound to the per-test sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from desktop.api import CalendlyClient, RetryPolicy
from desktop.sandbox import SandboxServer

ClientFactory = Callable[..., CalendlyClient]


@pytest_asyncio.fixture
async def client_for(sandbox: SandboxServer) -> AsyncIterator[ClientFactory]:
    """``client_for("owner"|"admin"|"user"|email, scopes=None, **options)``: a CalendlyClient
    with a personal access token for that member of the sandbox's organization."""
    made: list[CalendlyClient] = []

    def make(
        who: str = "owner", scopes: list[str] | None = None, **options: object
    ) -> CalendlyClient:
        options.setdefault("retry", RetryPolicy(backoff_base=0.01, backoff_cap=0.05))
        client = CalendlyClient(sandbox.base_url, sandbox.token_for(who, scopes), **options)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest_asyncio.fixture
async def client(client_for: ClientFactory) -> CalendlyClient:
    """The organization owner's client."""
    return client_for("owner")


@pytest.fixture
def organization_uri(sandbox: SandboxServer) -> str:
    assert sandbox.summary is not None
    return sandbox.state.uris.organization(sandbox.summary.organization)
