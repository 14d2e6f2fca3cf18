"""The app's built-in sandbox in a child process: serves, answers, stops, never outlives the app."""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from desktop.sandbox.process import SandboxProcess, SandboxStartFailed

OPTIONS = ("--db", ":memory:", "--events", "50", "--members", "5")


def test_it_serves_the_demo_organization_and_stops_cleanly(tmp_path: Path) -> None:
    sandbox = SandboxProcess(*OPTIONS, stderr_path=tmp_path / "sandbox.log")
    sandbox.launch()
    try:
        access = asyncio.run(sandbox.start())
        assert access.base_url.startswith("http://127.0.0.1:")
        assert access.token not in repr(access)
        me = httpx.get(
            f"{access.base_url}/users/me",
            headers={"Authorization": f"Bearer {access.token}"},
            timeout=30,
        )
        assert me.status_code == 200 and me.json()["resource"]["current_organization"]
        assert sandbox.running
    finally:
        code = sandbox.stop()
    assert code == 0  # closing its stdin is a clean stop, not a kill
    assert not sandbox.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{access.base_url}/users/me", timeout=5)


def test_a_sandbox_that_cannot_start_says_why(tmp_path: Path) -> None:
    sandbox = SandboxProcess("--members", "-1", stderr_path=tmp_path / "sandbox.log")
    with pytest.raises(SandboxStartFailed, match=r"did not start.*must not be negative"):
        asyncio.run(sandbox.start())
    assert sandbox.stop() is not None


def test_the_sandbox_stops_when_the_app_that_started_it_dies(tmp_path: Path) -> None:
    """The parent is killed outright (no clean-up at all): the child must still go away."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from desktop.sandbox.process import SandboxProcess
        sandbox = SandboxProcess(*{OPTIONS!r})
        access = asyncio.run(sandbox.start())
        print(sandbox._process.pid, access.base_url, flush=True)
        sys.stdin.read()
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child_pid, base_url = parent.stdout.readline().split()
    assert httpx.get(f"{base_url}/_sandbox", timeout=10).status_code in (200, 401)
    parent.kill()
    parent.wait()
    # The child notices its closed stdin and exits: wait for that exit itself (a pidfd
    # becomes readable when the process ends), then its port refuses connections.
    handle = os.pidfd_open(int(child_pid))
    try:
        ended, _, _ = select.select([handle], [], [], 20)
    finally:
        os.close(handle)
    assert ended, f"sandbox process {child_pid} still runs after its parent died"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base_url}/_sandbox", timeout=2)


def test_its_log_directory_is_created_on_first_launch(tmp_path: Path) -> None:
    log = tmp_path / "fresh" / "logs" / "sandbox.log"
    sandbox = SandboxProcess(*OPTIONS, stderr_path=log)
    try:
        asyncio.run(sandbox.start())
    finally:
        sandbox.stop()
    assert log.exists()


def test_stopping_a_sandbox_that_is_still_starting_does_not_wait_for_it(tmp_path: Path) -> None:
    """Quitting right after launch: stop() kills the starting child instead of waiting."""
    # Seeding 20,000 events takes the child seconds: it is certainly still starting.
    sandbox = SandboxProcess("--db", ":memory:", "--events", "20000")
    sandbox.launch()

    async def start_then_stop() -> BaseException | None:
        waiting = asyncio.create_task(sandbox.start())
        await asyncio.sleep(0)  # the reader thread is now blocked on the child's first line
        code = await asyncio.to_thread(sandbox.stop)
        assert code is not None and code != 0  # killed, not asked to stop and waited for
        try:
            await waiting
        except SandboxStartFailed as error:
            return error
        return None

    error = asyncio.run(start_then_stop())
    assert isinstance(error, SandboxStartFailed)
    assert not sandbox.running
