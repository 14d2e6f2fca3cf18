"""The local webhook receiver: an HTTP listener on 127.0.0.1 that verifies and keeps every delivery.

It runs on whatever asyncio loop starts it (qasync in the app). Each request is verified against
the signing keys known at that moment, stored, and only then answered, so a delivery the sender
saw answered is never lost. The answer status can be changed while it runs, to watch how Calendly
treats a failing (500) or gone (410) receiver.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from http import HTTPStatus

from desktop.webhooks import http11
from desktop.webhooks.inbox import Delivery, Inbox, InboxError, Verdict
from desktop.webhooks.signature import HEADER, verify

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
MAX_BODY_BYTES = 5 * 1024 * 1024
STOP_GRACE_SECONDS = 5.0  # a request being stored and answered may finish; idle ones close

# asyncio re-raises a failed bind as a plain OSError: Windows' socket code is in errno.
_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)}

Listener = Callable[[Delivery], None]


class ReceiverError(Exception):
    """The receiver cannot listen (the message names the address and why)."""

    def __init__(self, message: str, *, port_in_use: bool = False) -> None:
        super().__init__(message)
        self.port_in_use = port_in_use  # another program listens there already


class Receiver:
    """Listens on ``host:port`` (0: any free port) and records each request in ``inbox``.

    ``keys()`` gives the signing keys to verify with (read at each delivery); ``clock`` gives
    the time a delivery is received, against which signatures are checked.
    """

    def __init__(
        self,
        inbox: Inbox,
        keys: Callable[[], Sequence[str]],
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        answer_status: int = 200,
        max_body: int = MAX_BODY_BYTES,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._inbox = inbox
        self._keys = keys
        self._host = host
        self._port = port
        self.answer_status = answer_status
        self._max_body = max_body
        self._clock = clock or (lambda: datetime.now(UTC))
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._busy: set[asyncio.Task[None]] = set()  # between a full request and its answer
        self._listeners: list[Listener] = []
        self._closing = False

    # -- configuration ------------------------------------------------------------------------
    @property
    def answer_status(self) -> int:
        """The status each POST is answered with (2xx accepts; 410 makes Calendly delete the
        subscription; any other failure makes it retry)."""
        return self._answer_status

    @answer_status.setter
    def answer_status(self, status: int) -> None:
        if not 200 <= status <= 599:
            raise ValueError(f"The answer status must be between 200 and 599, not {status}.")
        self._answer_status = status

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        """The port listened on (the chosen one once running, else the configured one)."""
        if self._server is not None and self._server.sockets:
            return int(self._server.sockets[0].getsockname()[1])
        return self._port

    @property
    def url(self) -> str:
        """The address to subscribe, e.g. ``http://127.0.0.1:8765/`` (any path is accepted)."""
        if self._server is None:
            raise RuntimeError("The receiver is not running.")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}/"

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` on the loop with each stored delivery; returns an unsubscriber."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        """Start listening; ``ReceiverError`` if the port is taken or cannot be used."""
        if self._server is not None:
            return
        self._closing = False
        try:
            # Listening starts only once the server is kept here: a start cancelled at any
            # point leaves nothing behind that ``stop`` cannot close.
            server = await asyncio.start_server(
                self._serve, self._host, self._port, start_serving=False
            )
        except OSError as error:
            if error.errno in _IN_USE:
                raise ReceiverError(
                    f"Port {self._port} is already in use; choose another port or close the "
                    "program using it.",
                    port_in_use=True,
                ) from error
            reason = error.strerror or str(error)
            raise ReceiverError(
                f"Cannot listen on {self._host} port {self._port}: {reason}."
            ) from error
        self._server = server
        await server.start_serving()

    async def stop(self) -> None:
        """Stop listening and close every connection; a request being answered may finish
        (for at most a few seconds)."""
        server, self._server = self._server, None
        if server is None:
            return
        self._closing = True
        server.close()
        for task in self._connections - self._busy:
            task.cancel()
        pending = set(self._connections)
        if pending:
            _, late = await asyncio.wait(pending, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        await server.wait_closed()

    async def __aenter__(self) -> Receiver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- serving ------------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        connection = http11.Connection(reader, writer, max_body=self._max_body)
        try:
            while not self._closing:
                request = await connection.read_request()
                if request is None:
                    break
                self._busy.add(task)
                try:
                    status, text = await self._handle(request, connection.remote)
                    refused = request.method != "POST" and status == HTTPStatus.METHOD_NOT_ALLOWED
                    allow = [("Allow", "POST")] if refused else []
                    sent = await connection.respond(status, text, allow)
                finally:
                    self._busy.discard(task)
                if not sent or not connection.next_cycle():
                    break
        except asyncio.CancelledError:
            pass  # stop(): the connection just closes
        except Exception:
            logger.exception(
                "The webhook receiver failed on a connection from %s", connection.remote
            )
        finally:
            self._connections.discard(task)
            self._busy.discard(task)
            await connection.close()

    async def _handle(self, request: http11.Request, remote: str) -> tuple[int, str]:
        """Verify, store and decide the answer for one request: (status, body text)."""
        received_at = self._clock()
        signed_at: int | None = None
        if request.problem is http11.Problem.TOO_LARGE:
            status, verdict = int(HTTPStatus.REQUEST_ENTITY_TOO_LARGE), Verdict.REJECTED
            reason = (
                f"The body ({request.size:,} bytes) is larger than the receiver's limit of "
                f"{_size(self._max_body)}; it was not kept, and the receiver answered 413."
            )
        elif request.problem is http11.Problem.UNREADABLE:
            status, verdict = int(HTTPStatus.BAD_REQUEST), Verdict.REJECTED
            reason = (
                f"The request body could not be read ({request.detail}); the receiver answered 400."
            )
        elif request.method != "POST":
            status, verdict = int(HTTPStatus.METHOD_NOT_ALLOWED), Verdict.REJECTED
            reason = (
                f"Calendly delivers webhooks with POST, not {request.method}; "
                "the receiver answered 405."
            )
        else:
            status = self._answer_status
            verification = verify(
                request.header(HEADER),
                request.body,
                self._current_keys(),
                now=int(received_at.timestamp()),
            )
            verdict, reason, signed_at = (
                Verdict.of(verification),
                verification.reason,
                verification.timestamp,
            )
        try:
            delivery = await self._inbox.add(
                received_at=received_at,
                method=request.method,
                path=request.target,
                headers=request.headers,
                body=request.body,
                remote=remote,
                verdict=verdict,
                reason=reason,
                signed_at=signed_at,
                answered=status,
            )
        except (InboxError, ValueError) as error:
            # Not kept, so not accepted: the sender will retry it.
            logger.error("The webhook receiver could not store a delivery: %s", error)
            return int(HTTPStatus.SERVICE_UNAVAILABLE), f"The delivery was not recorded: {error}\n"
        self._notify(delivery)
        return status, _answer_text(status, delivery)

    def _current_keys(self) -> list[str]:
        try:
            return [key for key in self._keys() if key]
        except Exception:
            # The delivery is still kept; it verifies as "no key" rather than being lost.
            logger.exception("The webhook receiver could not read the signing keys")
            return []

    def _notify(self, delivery: Delivery) -> None:
        for listener in list(self._listeners):
            try:
                listener(delivery)
            except Exception:
                logger.exception("A webhook receiver listener failed")


def _answer_text(status: int, delivery: Delivery) -> str:
    if delivery.verdict is Verdict.REJECTED:
        return delivery.reason + "\n"
    if 200 <= status < 300:
        return f"Recorded as delivery {delivery.id}.\n"
    return f"Recorded as delivery {delivery.id}; this receiver is set to answer {status}.\n"


def _size(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"
