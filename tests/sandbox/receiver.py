"""A real webhook receiver on 127.0.0.1 for delivery tests, and a bounded ``wait_until``.

The receiver is a threading ``http.server`` on a free port. It records every request (method,
path, header lines, raw body) and answers each with the next status queued by ``answer()``
(then the default status); ``hold()`` keeps answers back until ``release()``, to play a slow
receiver. No mocks: the sandbox's dispatcher talks to it over a real socket.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from desktop.sandbox.delivery.dispatcher import PROGRESS

HOLD_LIMIT = 15.0  # seconds a held request waits at most (a failing test must not hang)


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Wait until ``predicate`` returns something truthy (returned); fail after ``timeout``.

    It is checked again each time the sandbox's dispatcher or a receiver announces progress
    (``PROGRESS``), never on a timer.
    """
    with PROGRESS:
        value = PROGRESS.wait_for(predicate, timeout)
    if not value:
        pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
    return value


def _progress() -> None:
    with PROGRESS:
        PROGRESS.notify_all()


@dataclass(frozen=True)
class Received:
    """One request as the receiver read it off the socket."""

    method: str
    path: str
    headers: list[tuple[str, str]]  # header lines in order, names as sent
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


class Receiver:
    """Records requests; answers queued statuses (then ``default``), optionally held back."""

    def __init__(self, default: int = 200) -> None:
        self.default = default
        self.requests: list[Received] = []
        self._statuses: deque[tuple[int, dict[str, str]]] = deque()
        self._lock = threading.Condition()
        self._gate = threading.Event()
        self._gate.set()
        self.waiting = 0  # requests currently held back
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        Received("POST", self.path, list(self.headers.items()), body)
                    )
                    receiver.waiting += 1
                    receiver._lock.notify_all()
                _progress()  # after letting go of the receiver's lock: never both held
                receiver._gate.wait(HOLD_LIMIT)
                with receiver._lock:
                    receiver.waiting -= 1
                _progress()
                with receiver._lock:
                    status, headers = (
                        receiver._statuses.popleft()
                        if receiver._statuses
                        else (receiver.default, {})
                    )
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/hooks/calendly") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *statuses: int, headers: dict[str, str] | None = None) -> None:
        """Answer the next requests with these statuses, in order (then the default)."""
        with self._lock:
            self._statuses.extend((status, dict(headers or {})) for status in statuses)

    def hold(self) -> None:
        """Keep answers back (a slow receiver) until ``release()``."""
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def received(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def wait_for(
        self, count: int, path: str | None = None, timeout: float = 10.0
    ) -> list[Received]:
        """At least ``count`` requests (to ``path``, if given); fail after ``timeout``."""
        return list(
            wait_until(
                lambda: (found := self.received(path)) and len(found) >= count and found,
                timeout,
                f"{count} request(s) at the receiver{f' on {path}' if path else ''}",
            )
        )

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serving(default: int = 200) -> Iterator[Receiver]:
    """A receiver for the ``with`` block (a test module's ``receiver`` fixture wraps this)."""
    made = Receiver(default)
    try:
        yield made
    finally:
        made.close()
