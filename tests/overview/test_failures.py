"""Faults never lose figures: a failed list keeps the previous ones and says what is missing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.api import PermissionDenied
from desktop.overview import cache
from desktop.sandbox import SandboxServer
from tests.overview.conftest import MakeLoader


@pytest.mark.asyncio
async def test_events_that_cannot_be_listed_keep_the_previous_data(
    sandbox: SandboxServer, make_loader: MakeLoader, now: datetime
) -> None:
    loader = make_loader()
    first = await loader.load()
    sandbox.state.clock.freeze(now + timedelta(minutes=1))
    sandbox.add_fault(kind="error", status=403, paths=["/scheduled_events"])
    with pytest.raises(PermissionDenied):  # the client's error itself, not a group
        await loader.load()
    assert loader.data == first
    assert loader.cache_file is not None and cache.read(loader.cache_file) == first


@pytest.mark.asyncio
async def test_a_part_that_fails_keeps_its_previous_figures(
    sandbox: SandboxServer, make_loader: MakeLoader, now: datetime
) -> None:
    loader = make_loader()
    first = await loader.load()
    assert first.event_types
    sandbox.state.clock.freeze(now + timedelta(minutes=1))
    sandbox.add_fault(kind="error", status=403, paths=["/event_types"])
    second = await loader.load()
    assert second.event_types == first.event_types
    assert [p for p in second.problems if p.startswith("Event types:")]
    assert second.fetched_at > first.fetched_at


@pytest.mark.asyncio
async def test_invitee_lists_that_fail_are_read_by_the_next_refresh(
    sandbox: SandboxServer, make_loader: MakeLoader, now: datetime
) -> None:
    loader = make_loader()
    sandbox.add_fault(kind="error", status=403, paths=["/scheduled_events/*/invitees"], times=5)
    first = await loader.load()
    assert first.unread == 5
    assert any("could not be read" in problem for problem in first.problems)

    sandbox.state.clock.freeze(now + timedelta(minutes=1))
    assert loader.cache_file is not None
    full = make_loader(directory=loader.cache_file.parent / "full")
    second = await loader.load()
    assert second.unread == 0 and second.problems == ()
    assert second.events == (await full.load()).events
