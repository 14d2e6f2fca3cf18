"""The background sender: its own thread, asyncio loop and httpx client; API calls never wait.

Publishing (a bus listener) only stores pending deliveries and wakes the loop. The loop polls
the due queue every 50 ms of real time, so advancing the sandbox clock takes effect at once,
and sends each due delivery as its own task (at most ``PARALLEL`` at a time). ``reset()``
bumps a generation: work in flight from before a reset never writes its result.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading

import httpx

from desktop.sandbox.bus import Happened
from desktop.sandbox.delivery import journal, outbox, samples
from desktop.sandbox.delivery.outbox import Outcome
from desktop.sandbox.delivery.signing import HEADER, sign
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
# Notified whenever delivery state may have moved (an attempt settled, a tick ran): whoever
# waits for a delivery outcome (tests, an integrator's script) waits on this, not on a timer.
PROGRESS = threading.Condition()


def _announce() -> None:
    with PROGRESS:
        PROGRESS.notify_all()


PARALLEL = 16
USER_AGENT = "Calendly-Webhooks (calendly-console sandbox)"
RESPONSE_EXCERPT = 2048


def _failure_text(error: Exception, state: SandboxState) -> str:
    config = state.config
    if isinstance(error, httpx.ConnectTimeout):
        return f"connect timeout (over {config.webhook_connect_timeout:g} s)"
    if isinstance(error, httpx.ReadTimeout):
        return f"read timeout (over {config.webhook_read_timeout:g} s)"
    if isinstance(error, httpx.TimeoutException):
        return f"timeout ({type(error).__name__})"
    if isinstance(error, httpx.HTTPError):
        return f"connection error: {error or type(error).__name__}"
    return f"{type(error).__name__}: {error}"


def _status_text(status: int) -> str | None:
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return f"HTTP {status} (redirects are not followed)"
    return f"HTTP {status}"


class Dispatcher:
    """Delivers webhook envelopes of one sandbox; ``start()``/``stop()`` bound its thread."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._generation = 0
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._client: httpx.AsyncClient | None = None
        self._inflight: dict[str, asyncio.Task[Record | None]] = {}
        state.bus.subscribe(self.on_fact)

    # -- publishing (any thread) ---------------------------------------------------------------
    def on_fact(self, happened: Happened) -> None:
        """Bus listener: store a delivery per matching subscription and wake the loop."""
        queued = outbox.record_fact(
            self.state, happened.event, happened.organization, happened.subject
        )
        if queued:
            self.wake()

    def wake(self) -> None:
        loop, event = self._loop, self._wake
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):  # the loop has just closed
                loop.call_soon_threadsafe(event.set)

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._ready.clear()
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._main()), name="calendly-sandbox-webhooks", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the webhook dispatcher did not start")

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stopping.set()
        self.wake()
        self._thread.join(10)
        self._thread = None

    def reset(self) -> None:
        """Forget work in flight (the caller clears the tables); nothing from before returns."""
        with self.state.store.lock:
            self._generation += 1
        loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._cancel_all)

    def _cancel_all(self) -> None:
        for task in list(self._inflight.values()):
            task.cancel()
        self._inflight.clear()

    # -- the loop ------------------------------------------------------------------------------
    async def _main(self) -> None:
        config = self.state.config
        timeout = httpx.Timeout(
            connect=config.webhook_connect_timeout,
            read=config.webhook_read_timeout,
            write=config.webhook_read_timeout,
            pool=config.webhook_connect_timeout,
        )
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        try:
            async with httpx.AsyncClient(
                timeout=timeout, follow_redirects=False, trust_env=False
            ) as client:
                self._client = client
                self._ready.set()
                while not self._stopping.is_set():
                    try:
                        self._tick()
                    except Exception:
                        log.exception("sandbox: the webhook dispatcher failed a round")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
                    self._wake.clear()
                tasks = list(self._inflight.values())
                self._cancel_all()
                await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self._client = None
            self._loop = None
            self._wake = None
            self._ready.set()

    def _tick(self) -> None:
        try:
            self._tick_once()
        finally:
            _announce()

    def _tick_once(self) -> None:
        state = self.state
        generation = self._generation  # rows read below belong to it (a reset bumps it)
        now = state.clock.now()
        outbox.expire(state, now)
        room = PARALLEL - len(self._inflight)
        if room <= 0:
            return
        for delivery in outbox.due(state, now, limit=room + len(self._inflight)):
            if delivery["id"] in self._inflight:
                continue
            if room <= 0:
                break
            with state.store.transaction():
                if outbox.blocked(state, delivery, now):
                    continue
            self._spawn(delivery, generation)
            room -= 1

    def _spawn(self, delivery: Record, generation: int) -> asyncio.Task[Record | None]:
        ident = str(delivery["id"])
        task = asyncio.get_running_loop().create_task(self._send(delivery, generation))
        self._inflight[ident] = task
        task.add_done_callback(lambda _: self._inflight.pop(ident, None))
        return task

    # -- one attempt ---------------------------------------------------------------------------
    async def _send(self, delivery: Record, generation: int) -> Record | None:
        """POST one delivery; record the attempt and apply its outcome; the attempt record."""
        state = self.state
        client = self._client
        hook = state.store.get("webhooks", delivery["webhook"])
        if client is None or hook is None or generation != self._generation:
            return None
        sent_at = state.clock.now()
        body = str(delivery["body"]).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if hook.get("signing_key"):
            headers[HEADER] = sign(str(hook["signing_key"]), int(sent_at.timestamp()), body)
        url = str(hook["callback_url"])
        sent = dict(headers)
        try:
            request = client.build_request("POST", url, content=body, headers=headers)
            # Exactly the header lines that go out (httpx adds Host, Content-Length, ...).
            sent = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers.raw}
            response = await client.send(request)
            excerpt = response.content[:RESPONSE_EXCERPT].decode("utf-8", "replace")
            outcome = Outcome(response.status_code, _status_text(response.status_code), excerpt)
        except Exception as error:  # CancelledError is a BaseException: it propagates
            outcome = Outcome(None, _failure_text(error, state), None)
        attempt: Record = {
            "id": outbox.new_id(),
            "webhook": hook["id"],
            "delivery": delivery["id"],
            "event": delivery["event"],
            "url": url,
            "attempt": int(delivery["attempts"]) + 1,
            "request_headers": sent,
            "request_body": delivery["body"],
            "status": outcome.status,
            "error": outcome.error,
            "response_body": outcome.response_body,
            "succeeded": outcome.succeeded,
            "created_at": iso(sent_at),
        }
        with state.store.lock:
            if generation != self._generation:
                return None
            outbox.settle(state, delivery, attempt, outcome, state.clock.now())
        _announce()
        return attempt

    # -- test deliveries (control surface) -----------------------------------------------------
    def test(
        self, hook: Record, event: str
    ) -> concurrent.futures.Future[tuple[Record, Record | None]]:
        """Send one sample ``event`` to ``hook`` now, never retried: (delivery, attempt).

        Raises LookupError when the organization has no records to sample the event from.
        """
        body = samples.for_subscription(self.state, hook, event)
        if body is None:
            raise LookupError(f"the organization has no records to sample {event} from")
        loop = self._loop
        if loop is None:
            raise RuntimeError("the webhook dispatcher is not running")
        return asyncio.run_coroutine_threadsafe(self._test(hook, event, body), loop)

    async def _test(self, hook: Record, event: str, body: object) -> tuple[Record, Record | None]:
        now = self.state.clock.now()
        generation = self._generation
        delivery = outbox.enqueue(self.state, hook, event, body, now, kind=outbox.TEST)
        attempt = await self._spawn(delivery, generation)  # in flight before the poller looks
        final = self.state.store.get("webhook_deliveries", delivery["id"]) or delivery
        return final, attempt

    # -- reading back (Python API) -------------------------------------------------------------
    def attempts(self, webhook: str | None = None, event: str | None = None) -> list[Record]:
        """Every attempt so far, oldest first (``webhook``: a subscription id or URI)."""
        ident = None if webhook is None else journal.webhook_id(self.state, webhook)
        return journal.attempts(self.state, ident, event)

    def deliveries(self, webhook: str | None = None, event: str | None = None) -> list[Record]:
        """Every delivery so far, oldest first (``webhook``: a subscription id or URI)."""
        ident = None if webhook is None else journal.webhook_id(self.state, webhook)
        return journal.deliveries(self.state, ident, event)

    def pending(self) -> int:
        """How many deliveries still wait for an attempt."""
        return self.state.store.count("webhook_deliveries", "state = ?", (outbox.PENDING,))
