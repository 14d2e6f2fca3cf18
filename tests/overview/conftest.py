"""Overview tests: the client fixtures of the API tests, a frozen sandbox clock, the truth."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from desktop.api import CalendlyClient
from desktop.overview.data import Scope
from desktop.overview.loader import OverviewLoader
from desktop.sandbox import SandboxServer
from tests.api.conftest import client, client_for, organization_uri
from tests.overview.truth import Truth

__all__ = ["client", "client_for", "organization_uri"]

BERLIN = ZoneInfo("Europe/Berlin")
MakeLoader = Callable[..., OverviewLoader]


@pytest.fixture
def now(sandbox: SandboxServer) -> datetime:
    """The sandbox's clock, frozen for the test: the loader, the figures and the truth agree
    on what is over and what is upcoming (the next test's reseed starts it again)."""
    return sandbox.state.clock.freeze()


def requests(sandbox: SandboxServer) -> int:
    """API requests the sandbox has received so far."""
    return sum(dict(sandbox.state.requests).values())


@pytest_asyncio.fixture
async def truth(sandbox: SandboxServer, organization_uri: str) -> AsyncIterator[Truth]:
    """An admin's view of the sandbox over plain httpx (another user than the loaders' owner:
    each has their own rate budget, and the frozen clock never starts a new one)."""
    reader = Truth(sandbox.base_url, sandbox.token_for("admin"), organization_uri)
    yield reader
    await reader.aclose()


@pytest.fixture
def make_loader(
    sandbox: SandboxServer,
    client_for: Callable[..., CalendlyClient],
    organization_uri: str,
    tmp_path: Path,
    now: datetime,
) -> MakeLoader:
    """``make_loader(who="owner", directory=tmp_path, tz=BERLIN, http=None, **options)``: a
    loader with its own client (on ``http`` if given), caching in ``directory``, on the
    sandbox's frozen clock."""

    def make(
        who: str = "owner",
        directory: Path | None = None,
        tz: ZoneInfo = BERLIN,
        http: httpx.AsyncClient | None = None,
        **options: object,
    ) -> OverviewLoader:
        store = sandbox.state.store
        if "@" in who:
            membership = store.find_one("memberships", "email = ?", (who.lower(),))
        else:
            org = sandbox.summary.organization if sandbox.summary else ""
            membership = store.find_one(
                "memberships", "role = ? AND organization = ?", (who, org)
            )  # the member ``token_for(who)`` picks
        assert membership is not None
        scope = Scope(
            organization=organization_uri,
            user=sandbox.state.uris.user(str(membership["user"])),
            is_admin=membership["role"] in ("owner", "admin"),
        )
        folder = directory if directory is not None else tmp_path
        return OverviewLoader(
            client_for(who) if http is None else client_for(who, http=http),
            scope,
            folder / "profile-1.json",
            tz=tz,
            clock=sandbox.state.clock.now,
            **options,  # type: ignore[arg-type]
        )

    return make
