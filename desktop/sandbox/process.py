"""The app's built-in sandbox in a child process: starts beside the window, stops on quit.

A process rather than a thread: it starts in parallel with Qt (the app launches it before it
builds the window), its request handling never competes with the UI for the GIL, and it
cannot outlive the app: it stops when its stdin closes, which the OS does when the app exits
for any reason. This module imports nothing heavy, so launching costs the app nothing.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

STOP_TIMEOUT = 10.0


class SandboxStartFailed(RuntimeError):
    """The sandbox process exited or said nothing usable; the message ends with its stderr."""


@dataclass(frozen=True)
class SandboxAccess:
    """Where the running sandbox answers and a token for its seeded owner."""

    base_url: str
    token: str = field(repr=False)


def sandbox_command(*options: str) -> list[str]:
    """``calendly-console sandbox ...`` for this interpreter, or for the frozen app itself."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "sandbox", *options]
    return [sys.executable, "-m", "desktop", "sandbox", *options]


class SandboxProcess:
    """``launch()`` early (it does not wait), ``await start()`` for the access, ``stop()``."""

    def __init__(
        self, *options: str, stderr_path: Path | None = None, startup_timeout: float = 120.0
    ) -> None:
        self._command = sandbox_command(*options, "--announce-json", "--exit-with-stdin")
        self._stderr_path = stderr_path
        self._startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._access: SandboxAccess | None = None
        self._lock = threading.Lock()  # the fields below
        self._reading = threading.Lock()  # one reader of the child's announcement

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def launch(self) -> None:
        """Start the process now, without waiting for it to serve (idempotent)."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            self._access = None
            self._stderr = self._open_stderr()
            extra: dict[str, Any] = {}
            if sys.platform == "win32":
                extra["creationflags"] = subprocess.CREATE_NO_WINDOW
            self._process = subprocess.Popen(  # noqa: S603 - our own executable, fixed options
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr if self._stderr is not None else subprocess.DEVNULL,
                **extra,
            )
            log.info("sandbox process %s started", self._process.pid)

    def _open_stderr(self) -> IO[bytes] | None:
        """Where the child's complaints go: the log directory (a missing log is no reason
        not to start)."""
        if self._stderr_path is None:
            return None
        try:
            self._stderr_path.parent.mkdir(parents=True, exist_ok=True)
            return self._stderr_path.open("ab")
        except OSError as error:
            log.warning("sandbox log %s unavailable: %s", self._stderr_path, error.strerror)
            return None

    async def start(self) -> SandboxAccess:
        """Launch if needed and wait (in a worker thread) for the sandbox to serve."""
        import asyncio  # here: launching early must not wait for asyncio to load

        self.launch()
        return await asyncio.to_thread(self._wait_for_access)

    def _wait_for_access(self) -> SandboxAccess:
        # One reader at a time; the state lock is never held while blocked on the child, so
        # ``stop()`` can always get in (and kill a sandbox that is still starting).
        with self._reading:
            with self._lock:
                if self._access is not None:
                    return self._access
                process = self._process
            if process is None or process.stdout is None:
                raise SandboxStartFailed("The built-in sandbox was stopped before it started.")
            timer = threading.Timer(self._startup_timeout, process.kill)
            timer.start()
            try:
                line = process.stdout.readline()
            except (OSError, ValueError):  # stop() closed the pipe under us
                line = b""
            finally:
                timer.cancel()
            try:
                data = json.loads(line)
                access = SandboxAccess(str(data["base_url"]), str(data["token"]))
            except (ValueError, KeyError, TypeError):
                process.kill()
                process.wait()
                raise SandboxStartFailed(self._failure(process)) from None
            with self._lock:
                if self._process is process:
                    self._access = access
            return access

    def _failure(self, process: subprocess.Popen[bytes]) -> str:
        text = f"The built-in sandbox did not start (exit status {process.returncode})."
        if self._stderr_path is not None and self._stderr_path.exists():
            tail = self._stderr_path.read_text(errors="replace").strip().splitlines()[-3:]
            if tail:
                text += " " + " ".join(tail)
        return text

    def stop(self) -> int | None:
        """Ask it to stop (close its stdin), wait, kill if it hangs; its exit status.

        A sandbox still starting up is killed at once: it has nothing to save yet (a first
        seeding runs in one transaction), and quitting must not wait for it.
        """
        with self._lock:
            process, self._process = self._process, None
            serving = self._access is not None
            self._access = None
            stderr, self._stderr = self._stderr, None
        if process is None:
            return None
        try:
            if not serving:
                process.kill()
            if process.stdin is not None:
                process.stdin.close()
            try:
                code = process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                log.warning("sandbox process %s did not stop; killing it", process.pid)
                process.kill()
                code = process.wait()
        finally:
            if process.stdout is not None:
                process.stdout.close()
            if stderr is not None:
                stderr.close()
        log.info("sandbox process stopped (%s)", code)
        return code
