"""A one-shot HTTP listener on 127.0.0.1 that receives the OAuth redirect (RFC 8252 §7.3).

It binds an ephemeral port and accepts exactly one redirect to its callback path carrying the
expected ``state``. A request with a missing or wrong ``state`` (a stale tab, another site
poking the port) gets a 400 page and is otherwise ignored: the wait goes on until the right
redirect, a timeout or a cancel. Ending the wait on such a request would let anyone who can
reach the port abort the user's sign-in; ignoring it costs nothing because ``state`` is
unguessable. Whatever happens, ``wait`` closes the listening socket and every connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from html import escape
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from desktop.oauth.errors import (
    AuthorizationDenied,
    AuthorizationFailed,
    SignInCancelled,
    SignInTimedOut,
)

HOST = "127.0.0.1"
CALLBACK_PATH = "/callback"
_MAX_LINE = 8192
_MAX_HEADERS = 100
_READ_TIMEOUT = 10.0  # a connection that sends nothing (a browser's preconnect) is dropped
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
_DONE = "You can close this tab and return to Calendly Console."


class _BadRequest(Exception):
    pass


def _page(title: str, text: str) -> bytes:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>"
        '<body style="font: 16px/1.5 system-ui, sans-serif; margin: 3rem auto; max-width: 34rem">'
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
    ).encode()


class LoopbackListener:
    """``async with LoopbackListener(state) as listener: ... code = await listener.wait(300)``."""

    def __init__(self, state: str, path: str = CALLBACK_PATH) -> None:
        self._state = state
        self._path = path
        self._server: asyncio.Server | None = None
        self._port = 0
        self._outcome: asyncio.Future[str] | None = None
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self.rejected = 0  # requests refused for a missing or wrong state

    def __repr__(self) -> str:
        return f"LoopbackListener(port={self._port}, open={self.is_open})"

    @property
    def port(self) -> int:
        return self._port

    @property
    def redirect_uri(self) -> str:
        return f"http://{HOST}:{self._port}{self._path}"

    @property
    def is_open(self) -> bool:
        return self._server is not None

    async def start(self) -> LoopbackListener:
        if self._server is not None or self._outcome is not None:
            raise RuntimeError("A loopback listener starts once.")
        self._outcome = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self._connection, HOST, 0, limit=_MAX_LINE)
        self._port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aenter__(self) -> LoopbackListener:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def cancel(self) -> None:
        """Make ``wait`` raise ``SignInCancelled`` (the dialog's Cancel)."""
        if self._outcome is not None and not self._outcome.done():
            self._outcome.set_exception(SignInCancelled("Sign-in was cancelled."))

    async def wait(self, timeout: float) -> str:  # noqa: ASYNC109 - a timeout is an outcome
        """The authorization code; raises SignInTimedOut, SignInCancelled, AuthorizationDenied
        or AuthorizationFailed. Always closes the listener."""
        if self._outcome is None:
            raise RuntimeError("Start the loopback listener first.")
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(self._outcome)
        except TimeoutError:
            raise SignInTimedOut(
                f"The browser did not return to Calendly Console within {timeout:g} seconds."
            ) from None
        finally:
            await self.close()

    async def close(self) -> None:
        """Stop listening and drop every open connection; safe to call more than once."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in self._connections.values():
            writer.close()  # the handler's pending read ends, and with it the handler
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)
        if server is not None:
            await server.wait_closed()
        if self._outcome is not None and not self._outcome.done():
            self._outcome.cancel()

    # -- one connection ----------------------------------------------------------------------
    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections[task] = writer
        try:
            await self._serve(reader, writer)
        except (
            OSError,
            TimeoutError,
            _BadRequest,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
        ):
            pass  # a broken or silent connection ends without an answer
        finally:
            self._connections.pop(task, None)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(_READ_TIMEOUT):
            method, target = await _read_request(reader)
        status, title, text, outcome = self._answer(method, target)
        body = _page(title, text)
        head = (
            f"HTTP/1.1 {status} {_REASONS[status]}\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n"
            "Connection: close\r\n\r\n"
        )
        try:
            writer.write(head.encode("ascii") + body)
            await writer.drain()
        finally:
            if outcome is not None:
                self._settle(outcome)

    def _settle(self, outcome: str | BaseException) -> None:
        future = self._outcome
        if future is None or future.done():
            return
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
        if self._server is not None:
            self._server.close()  # one-shot: accept no further connections

    def _answer(self, method: str, target: str) -> tuple[int, str, str, str | BaseException | None]:
        """(status, title, text, outcome); outcome None means keep waiting."""
        parts = urlsplit(target)
        if parts.path != self._path:
            return 404, "Not found", "This address is not part of the sign-in.", None
        if method != "GET":
            return 405, "Not allowed", "The sign-in redirect is a GET request.", None
        if self._outcome is None or self._outcome.done():
            return 400, "Sign-in already finished", "Return to Calendly Console.", None
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        state = query.get("state", "")
        if not hmac.compare_digest(state.encode(), self._state.encode()):
            self.rejected += 1
            text = (
                "This sign-in link does not belong to the sign-in Calendly Console is waiting for."
            )
            return 400, "Sign-in link not recognised", text, None
        error = query.get("error")
        if error:
            description = query.get("error_description", "")
            if error == "access_denied":
                text = "You declined access. Return to Calendly Console to try again."
                denied = AuthorizationDenied(error, description or "Access was denied.")
                return 200, "Sign-in cancelled", text, denied
            text = f"Calendly answered {error}. Return to Calendly Console to try again."
            return 200, "Sign-in failed", text, AuthorizationFailed(error, description)
        code = query.get("code")
        if not code:
            return 400, "Sign-in link incomplete", "The redirect carried no code.", None
        return 200, "Signed in", _DONE, code


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str]:
    """The request line's method and target; headers are read and dropped (no body is used)."""
    line = (await reader.readuntil(b"\r\n")).decode("latin-1").rstrip("\r\n")
    parts = line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _BadRequest
    for _ in range(_MAX_HEADERS):
        if await reader.readuntil(b"\r\n") == b"\r\n":
            return parts[0], parts[1]
    raise _BadRequest
