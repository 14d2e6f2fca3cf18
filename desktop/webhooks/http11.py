"""One HTTP/1.1 server connection over asyncio streams, framed by h11: read requests, answer them.

h11 does the protocol (keep-alive, Content-Length and chunked bodies, pipelining, 100-continue
bookkeeping); this module adds what a webhook receiver needs around it: a body cap that still
lets the sender read our answer, timeouts on every read and write, and never raising on a peer's
malformed bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus

import h11

logger = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
READ_TIMEOUT_SECONDS = 30.0  # a silent peer (idle keep-alive, stalled upload) is let go
WRITE_TIMEOUT_SECONDS = 15.0
MAX_HEAD_BYTES = 64 * 1024  # request line and headers
# Past the cap a body is still read (and dropped) up to this much more, so that the sender,
# which usually writes its whole body before it reads, sees our 413 rather than a reset.
DRAIN_BYTES = 64 * 1024 * 1024


def first_header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """The first value of header ``name`` (any case) among ``headers``, or None."""
    return next((value for key, value in headers if key.lower() == name.lower()), None)


class Problem(enum.Enum):
    TOO_LARGE = "too large"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Request:
    """One request as read off the socket; ``body`` is empty when it was too large."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]  # in order, names as sent
    body: bytes
    size: int  # body bytes announced or seen (those past the cap included)
    problem: Problem | None = None
    detail: str = ""  # what went wrong, for UNREADABLE

    def header(self, name: str) -> str | None:
        """The values of header ``name`` (any case), joined by ", " if it repeats; or None."""
        found = [value for key, value in self.headers if key.lower() == name.lower()]
        return ", ".join(found) if found else None


class Connection:
    """A server-side HTTP/1.1 connection: ``read_request``, ``respond``, ``next_cycle``."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, max_body: int
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._max_body = max_body
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        self._method = b""

    @property
    def remote(self) -> str:
        """The peer as ``host:port`` (empty if the socket does not say)."""
        peer = self._writer.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            host = str(peer[0])
            return f"[{host}]:{peer[1]}" if ":" in host else f"{host}:{peer[1]}"
        return ""

    async def read_request(self) -> Request | None:
        """The next request, or None when the peer closed, went silent, or sent bytes that are
        not HTTP (those get a 400 here, and the connection is done)."""
        try:
            event = await self._next_event()
        except h11.RemoteProtocolError as error:
            status = error.error_status_hint
            await self.respond(status, f"Bad request: {error}.\n", [("Connection", "close")])
            return None
        except (TimeoutError, OSError):
            return None
        if not isinstance(event, h11.Request):
            return None  # ConnectionClosed
        self._method = event.method
        method = event.method.decode("ascii", "replace")
        target = event.target.decode("latin-1")
        headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in event.headers.raw_items()
        )
        announced = _content_length(event)
        if announced is not None and announced > self._max_body + DRAIN_BYTES:
            return Request(method, target, headers, b"", announced, Problem.TOO_LARGE)
        if (
            announced is not None
            and announced > self._max_body
            and self._h11.they_are_waiting_for_100_continue
        ):
            # The sender waits for our go-ahead: answer now and it never sends the body.
            return Request(method, target, headers, b"", announced, Problem.TOO_LARGE)
        return await self._read_body(method, target, headers)

    async def _read_body(
        self, method: str, target: str, headers: tuple[tuple[str, str], ...]
    ) -> Request | None:
        parts: list[bytes] = []
        size = 0
        while True:
            try:
                event = await self._next_event()
            except h11.RemoteProtocolError as error:
                body = b"".join(parts) if size <= self._max_body else b""
                return Request(method, target, headers, body, size, Problem.UNREADABLE, str(error))
            except (TimeoutError, OSError):
                return None  # the sender gave up or stalled: nobody is waiting for an answer
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size <= self._max_body:
                    parts.append(bytes(event.data))
                elif parts:
                    parts.clear()  # over the cap: keep nothing, only count
                if size > self._max_body + DRAIN_BYTES:
                    return Request(method, target, headers, b"", size, Problem.TOO_LARGE)
            elif isinstance(event, h11.EndOfMessage):
                if size > self._max_body:
                    return Request(method, target, headers, b"", size, Problem.TOO_LARGE)
                return Request(method, target, headers, b"".join(parts), size)
            else:
                return None  # ConnectionClosed before the body ended

    async def _next_event(self) -> object:
        while True:
            event = self._h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            if self._h11.they_are_waiting_for_100_continue:
                await self._send(h11.InformationalResponse(status_code=100, headers=[]))
            data = await asyncio.wait_for(self._reader.read(READ_CHUNK), READ_TIMEOUT_SECONDS)
            self._h11.receive_data(data)  # b"" tells h11 the peer closed

    async def respond(
        self, status: int, text: str, headers: Sequence[tuple[str, str]] = ()
    ) -> bool:
        """Send a complete response with a plain-text body; False if it could not be sent."""
        if self._h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return False
        body = b"" if _bodiless(status) or self._method == b"HEAD" else text.encode("utf-8")
        fields = [*headers]
        if not _bodiless(status):
            fields += [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(text.encode("utf-8")))),
            ]
        try:
            await self._send(
                h11.Response(status_code=status, headers=fields, reason=_phrase(status))
            )
            if body:
                await self._send(h11.Data(data=body))
            await self._send(h11.EndOfMessage())
        except (h11.LocalProtocolError, TimeoutError, OSError) as error:
            logger.debug("Could not answer %s to %s: %r", status, self.remote, error)
            self._h11.send_failed()
            return False
        return True

    async def _send(self, event: h11.Event) -> None:
        data = self._h11.send(event)
        if data:
            self._writer.write(data)
            await asyncio.wait_for(self._writer.drain(), WRITE_TIMEOUT_SECONDS)

    def next_cycle(self) -> bool:
        """Get ready for the next request on this connection; False if it must close."""
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE:
            self._h11.start_next_cycle()
            self._method = b""
            return True
        return False

    async def close(self) -> None:
        """Close the socket (an unsent answer is dropped)."""
        self._writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._writer.wait_closed(), WRITE_TIMEOUT_SECONDS)


def _content_length(request: h11.Request) -> int | None:
    for name, value in request.headers:
        if name == b"content-length":
            return int(value)  # h11 has checked it is one well-formed number
    return None


def _phrase(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""  # a status without a standard name (e.g. 599) goes out with none


def _bodiless(status: int) -> bool:
    return status < 200 or status in (204, 304)
