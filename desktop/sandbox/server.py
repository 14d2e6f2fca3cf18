"""Serve the sandbox with uvicorn on 127.0.0.1, in a background thread, and control it."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from desktop.sandbox.asgi import build_app
from desktop.sandbox.delivery.dispatcher import Dispatcher
from desktop.sandbox.faults import Fault, Faults
from desktop.sandbox.oauth.clients import seed_clients as seed_oauth_clients
from desktop.sandbox.seed import SeedSummary, generate
from desktop.sandbox.state import SandboxConfig, SandboxState

log = logging.getLogger(__name__)


def _dropping_protocol(faults: Faults) -> type[H11Protocol]:
    """uvicorn's h11 protocol that can close a connection before answering (``drop``)."""

    class DroppingProtocol(H11Protocol):
        def data_received(self, data: bytes) -> None:
            line = data.split(b"\r\n", 1)[0].split(b" ")
            if len(line) == 3 and line[2].startswith(b"HTTP/"):
                method = line[0].decode("latin-1")
                path = line[1].decode("latin-1").split("?", 1)[0]
                if faults.draw(method, path, ("drop",)):
                    self.transport.abort()
                    return
            super().data_received(data)

    return DroppingProtocol


class _Server(uvicorn.Server):
    """uvicorn's server that tells another thread when it is listening."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.ready.set()


class SandboxServer:
    """A running local Calendly: ``with SandboxServer(config) as sandbox: sandbox.base_url``."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this: without it, small answers wait ~40 ms for Nagle's
        # algorithm and the peer's delayed ACK.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind((self.config.host, self.config.port))
        host, port = self._socket.getsockname()[:2]
        self.state = SandboxState(self.config, f"http://{host}:{port}")
        self.dispatcher = Dispatcher(self.state)  # webhook delivery (bus listener + sender)
        self.summary: SeedSummary | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        if self.state.store.get("meta", "seed") is None:
            self.reset()
        else:
            self.summary = SeedSummary.load(self.state.store)

    # -- life cycle -----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self.state.base_url

    def start(self) -> SandboxServer:
        if self._thread is not None:
            return self
        app = build_app(self.state, self)
        config = uvicorn.Config(
            app,
            http=_dropping_protocol(self.state.faults),
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = self._server = _Server(config)

        def serve() -> None:
            # Its own event loop in this thread; uvicorn installs no signal handlers here.
            asyncio.run(server.serve(sockets=[self._socket]))

        self._thread = threading.Thread(target=serve, name="calendly-sandbox", daemon=True)
        self._thread.start()
        if not server.ready.wait(15) or not server.started:
            raise RuntimeError("the sandbox server did not start")
        self.dispatcher.start()
        log.info("sandbox serving at %s", self.base_url)
        return self

    def stop(self) -> None:
        self.dispatcher.stop()
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self._thread = None
        self._server = None
        self._socket.close()
        self.state.store.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control (also served under /_sandbox/) ---------------------------------------------
    def reset(
        self,
        seed: int | None = None,
        members: int | None = None,
        events: int | None = None,
        anchor: datetime | None = None,
    ) -> SeedSummary:
        """Replace everything with a freshly seeded organization; clear clock, faults, limits."""
        if seed is not None:
            self.config.seed = seed
        if members is not None:
            self.config.members = members
        if events is not None:
            self.config.events = events
        state = self.state
        self.dispatcher.reset()  # in-flight deliveries never write back; the store clears below
        state.clock.reset()
        state.faults.clear()
        state.faults.reseed(self.config.seed)
        state.limiter.configure(self.config.rate_limit, self.config.rate_window_seconds)
        moment = anchor or datetime.now(UTC)
        with state.store.transaction():
            state.store.clear()
            self.summary = generate(
                state.store,
                seed=self.config.seed,
                members=self.config.members,
                events=self.config.events,
                anchor=moment,
            )
            seed_oauth_clients(state.store, self.config.seed, state.clock.now())
        return self.summary

    def token_for(self, role_or_email: str = "owner", scopes: list[str] | None = None) -> str:
        """A personal access token for a seeded user picked by role or e-mail."""
        store = self.state.store
        if "@" in role_or_email:
            membership = store.find_one("memberships", "email = ?", (role_or_email.lower(),))
        else:
            # The seeded organization's members: tests may add other organizations beside it.
            org = self.summary.organization if self.summary else ""
            membership = store.find_one(
                "memberships", "role = ? AND organization = ?", (role_or_email, org)
            )
        if membership is None:
            raise LookupError(f"no member matches {role_or_email!r}")
        return self.state.tokens.issue(
            membership["user"], self.state.clock.now(), scopes=scopes, label="sandbox control"
        )

    def add_fault(self, **fields: Any) -> Fault:
        return self.state.faults.add(Fault(**fields))

    def advance_clock(self, seconds: float) -> datetime:
        return self.state.clock.advance(timedelta(seconds=seconds))
