"""The per-profile cache: instant figures after a restart, damaged files discarded, not shared."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.overview import cache
from desktop.overview.data import VERSION
from desktop.sandbox import SandboxServer
from tests.overview.conftest import MakeLoader, requests


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.asyncio
async def test_the_figures_survive_a_restart_without_a_request(
    sandbox: SandboxServer, make_loader: MakeLoader, tmp_path: Path, now: datetime
) -> None:
    first = make_loader()
    data = await first.load()
    shown = first.overview()
    assert first.cache_file is not None and first.cache_file.exists()
    assert files_in(tmp_path) == [first.cache_file.name]  # no temporary file left

    counted = requests(sandbox)
    again = make_loader()  # a new session: same profile, same directory
    assert again.data is None and again.overview() is None
    cached = await again.cached()
    assert requests(sandbox) == counted
    assert cached == data
    assert again.overview() == shown
    assert shown is not None and shown.refreshed_at == now  # when it was fetched


@pytest.mark.asyncio
async def test_a_refresh_started_with_the_cache_read_uses_it(
    sandbox: SandboxServer, make_loader: MakeLoader, now: datetime
) -> None:
    counted = requests(sandbox)
    await make_loader().load()
    full = requests(sandbox) - counted

    sandbox.state.clock.freeze(now + timedelta(minutes=1))
    loader = make_loader()
    counted = requests(sandbox)
    cached, refreshed = await asyncio.gather(loader.cached(), loader.load())
    assert cached is not None and refreshed.fetched_at > cached.fetched_at
    assert requests(sandbox) - counted < full / 2


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"version": 1, "organization": 5}',
        json.dumps({"version": VERSION + 1, "organization": "x"}).encode(),
        "truncated",
    ],
    ids=["empty", "garbage", "wrong shape", "newer version", "truncated"],
)
@pytest.mark.asyncio
async def test_a_damaged_cache_is_discarded_and_loaded_again(
    sandbox: SandboxServer,
    make_loader: MakeLoader,
    caplog: pytest.LogCaptureFixture,
    damage: bytes | str,
    now: datetime,
) -> None:
    first = make_loader()
    data = await first.load()
    path = first.cache_file
    assert path is not None
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2] if damage == "truncated" else damage)  # type: ignore[arg-type]

    loader = make_loader()
    with caplog.at_level(logging.WARNING, logger="desktop.overview.cache"):
        assert await loader.cached() is None
    assert "discarded" in caplog.text
    assert not path.exists()

    sandbox.state.clock.freeze(now + timedelta(minutes=1))  # a new rate-limit window
    counted = requests(sandbox)
    reloaded = await loader.load()
    assert requests(sandbox) > counted
    assert reloaded.events == data.events
    assert cache.read(path) == reloaded


@pytest.mark.asyncio
async def test_another_users_cache_is_not_shown(make_loader: MakeLoader, tmp_path: Path) -> None:
    owner = make_loader("owner")
    await owner.load()
    member = make_loader("user")  # same file name, another account
    assert await member.cached() is None
    data = await member.load()
    assert data.user == member.scope.user and not data.is_admin


@pytest.mark.asyncio
async def test_forget_removes_the_file(make_loader: MakeLoader) -> None:
    loader = make_loader()
    await loader.load()
    assert loader.cache_file is not None and loader.cache_file.exists()
    await loader.forget()
    assert loader.data is None and not loader.cache_file.exists()


def test_a_profile_id_becomes_a_safe_file_name(tmp_path: Path) -> None:
    assert cache.cache_path(tmp_path, "../x/y z") == tmp_path / "_x_y_z.json"
    assert cache.cache_path(tmp_path, "..") == tmp_path / "profile.json"
    assert cache.cache_dir(tmp_path) == tmp_path / "overview"
