"""Export tests: the owner's client on the per-test sandbox, and the organization it sees."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from desktop.api.client import CalendlyClient
from desktop.sandbox import SandboxServer


@pytest_asyncio.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[CalendlyClient]:
    """The organization owner's client (real HTTP to the sandbox)."""
    async with CalendlyClient(sandbox.base_url, sandbox.token_for("owner")) as made:
        yield made


@pytest_asyncio.fixture
async def organization(client: CalendlyClient) -> str:
    me = await client.users.me()
    assert me.current_organization is not None
    return me.current_organization
