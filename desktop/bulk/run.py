"""``BulkRun``: one item at a time, paced by the rate budget, pausable, every item accounted for.

Nothing is ever left unknown by accident: an item ends "done", "failed" (Calendly refused or
the request never left), "skipped" (nothing to do), "not run" (stopped, canceled) or, only when
an answer was lost and reading back could not settle it, "unknown" (check in Calendly).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeAlias

from desktop.api import (
    APIStatusError,
    CalendlyError,
    ConnectionFailed,
    MalformedResponse,
    RateLimited,
    ServerError,
)
from desktop.bulk.model import (
    BulkAction,
    BulkItem,
    BulkSummary,
    ItemResult,
    ItemSkipped,
    Outcome,
    PlannedItem,
    preview,
    report_csv,
    report_rows,
    summarize,
)
from desktop.bulk.texts import Text, explain

log = logging.getLogger(__name__)

# A 429 that keeps coming back after this many waits on one item fails that item.
MAX_RATE_LIMIT_WAITS = 10
_FALLBACK_RESET = 60.0  # seconds: Calendly's window, when a 429 does not say


Decision: TypeAlias = Literal["continue", "stop"]
RunState: TypeAlias = Literal[
    "ready", "running", "pausing", "paused", "rate_limited", "deciding", "cancelling", "finished"
]
ProgressListener: TypeAlias = Callable[[int, int, ItemResult], None]
StateListener: TypeAlias = Callable[[RunState], None]
FailureHandler: TypeAlias = Callable[[ItemResult], Awaitable[Decision]]
Recorder: TypeAlias = Callable[[BulkItem], AbstractAsyncContextManager[Any]]


def recorder(
    recording: Callable[..., AbstractAsyncContextManager[Any]], context: object, action: BulkAction
) -> Recorder:
    """``record`` for ``BulkRun`` from the action log: ``recorder(log.recording, context,
    action)`` logs each write as ``action.log_action`` on the item, with ``action.details``."""

    def record(item: BulkItem) -> AbstractAsyncContextManager[Any]:
        details = dict(action.details)
        return recording(context, action.log_action, item.key, item.label, details)

    return record


class BulkRun:
    """Runs ``action`` over ``items`` in order, one write at a time.

    - ``on_failure(result)`` decides after a "failed" or "unknown" item: "continue" or "stop"
      (the rest "not run").
    - ``on_progress(done, total, last_result)`` after each item; ``on_state(state)`` on every
      change of ``state``. Both are called synchronously on the loop.
    - ``record(item)`` (optional) is entered around each write (the action log); if it cannot
      be entered, the write is not sent and the item fails.
    - A 429 that outlasts the client's own retries puts the run in "rate_limited" until the
      window resets (``rate_limit_until``), then the same item is sent again: Calendly refused
      it unprocessed.
    """

    def __init__(
        self,
        action: BulkAction,
        items: Sequence[BulkItem],
        *,
        on_failure: FailureHandler,
        on_progress: ProgressListener | None = None,
        on_state: StateListener | None = None,
        record: Recorder | None = None,
    ) -> None:
        self.action = action
        self.items = tuple(items)
        self._on_failure = on_failure
        self._on_progress = on_progress
        self._on_state = on_state
        self._record = record
        self._results: list[ItemResult] = []
        self._state: RunState = "ready"
        self._started = False
        self._paused = False
        self._cancelled = False
        self._wake = asyncio.Event()
        self._sending: BulkItem | None = None  # the item whose write may have reached Calendly
        self.rate_limit_until: datetime | None = None  # while "rate_limited": when it goes on

    # -- what the dialog reads and calls ----------------------------------------------------
    @property
    def state(self) -> RunState:
        return self._state

    @property
    def results(self) -> tuple[ItemResult, ...]:
        """Results so far, in item order (one per item once the run is finished)."""
        return tuple(self._results)

    def preview(self) -> list[PlannedItem]:
        """The dry run: what ``start`` would do to each item."""
        return preview(self.action, self.items)

    def pause(self) -> None:
        """Hold before the next item (the item in flight finishes)."""
        if self._cancelled or self._state == "finished":
            return
        self._paused = True
        if self._state in ("running", "deciding"):
            self._set_state("pausing")
        self._wake.set()

    def resume(self) -> None:
        if not self._paused:
            return
        self._paused = False
        if self._state in ("paused", "pausing"):
            self._set_state("running")
        self._wake.set()

    def cancel(self) -> None:
        """Finish the item in flight, then mark the rest "not run"."""
        if self._state == "finished":
            return
        self._cancelled = True
        if self._started:
            self._set_state("cancelling")
        self._wake.set()

    def summary(self) -> BulkSummary:
        return summarize(self._results, len(self.items))

    def report_rows(self) -> list[dict[str, str]]:
        """One dict per item: key, label, outcome, message, status (all text)."""
        return report_rows(self._results)

    def report_csv(self) -> str:
        return report_csv(self.report_rows())

    # -- the run ----------------------------------------------------------------------------
    async def start(self) -> tuple[ItemResult, ...]:
        """Process the items (unless stopped or canceled); returns ``results``. Once per run.

        If the task running it is cancelled, an item whose write may have been sent ends
        "unknown", the rest "not run", and the cancellation propagates.
        """
        if self._started:
            raise RuntimeError("a bulk run starts only once")
        self._started = True
        try:
            self._set_state("running")
            for item in self.items:
                if not await self._gate():
                    break
                result = await self._process(item)
                self._sending = None
                if result is None:  # canceled while waiting out a 429: nothing was done
                    break
                self._add(result)
                failed = result.outcome in ("failed", "unknown")
                if failed and await self._decide(result) == "stop":
                    break
        except asyncio.CancelledError:
            if self._sending is not None:
                message = Text("Interrupted while being sent: check in Calendly")
                self._add(ItemResult(self._sending.key, self._sending.label, "unknown", message))
            raise
        finally:
            self._sending = None
            for item in self.items[len(self._results) :]:
                self._results.append(ItemResult(item.key, item.label, "not run", Text("Not run")))
            self.rate_limit_until = None
            self._set_state("finished")
        return self.results

    async def _gate(self) -> bool:
        """Wait while paused; False once the run is canceled."""
        while self._paused and not self._cancelled:
            self._set_state("paused")
            self._wake.clear()
            await self._wake.wait()
        if self._cancelled:
            return False
        self._set_state("running")
        return True

    async def _decide(self, result: ItemResult) -> Decision:
        if self._cancelled:
            return "stop"
        self._set_state("deciding")
        try:
            decision = await self._on_failure(result)
        except Exception:
            log.exception("the bulk run's failure handler failed; stopping")
            decision = "stop"
        return "stop" if self._cancelled or decision != "continue" else "continue"

    async def _process(self, item: BulkItem) -> ItemResult | None:
        reason = self.action.skip_reason(item)
        if reason is not None:
            return ItemResult(item.key, item.label, "skipped", reason)
        waits = 0
        while True:
            try:
                note = await self._write(item)
            except _NotRecorded as error:
                template = "Not sent: the action log could not record it ({error})"
                return self._failure(item, "failed", template, error.cause)
            except ItemSkipped as skipped:
                return ItemResult(item.key, item.label, "skipped", skipped.reason)
            except RateLimited as error:
                self._sending = None
                waits += 1
                if waits > MAX_RATE_LIMIT_WAITS:
                    return self._failure(item, "failed", "{error}", error)
                if not await self._wait_out(error):
                    return None
                continue
            except ConnectionFailed as error:
                if not error.sent:
                    return self._failure(item, "failed", "Not sent: {error}", error)
                return await self._reconcile(item, error, "unknown")
            except MalformedResponse as error:  # an answer came, but garbled
                return await self._reconcile(item, error, "unknown")
            except ServerError as error:
                return await self._reconcile(item, error, "failed")
            except APIStatusError as error:
                skip = self.action.skip_error
                reason = skip(error) if skip is not None else None
                if reason:
                    return ItemResult(item.key, item.label, "skipped", reason, error.status)
                return self._failure(item, "failed", "{error}", error)
            except (CalendlyError, ValueError) as error:
                return self._failure(item, "failed", "{error}", error)
            except Exception as error:
                log.exception("bulk %s: unexpected error on %s", self.action.name, item.key)
                return await self._reconcile(item, error, "unknown")
            return ItemResult(item.key, item.label, "done", note or Text("Done"))

    async def _write(self, item: BulkItem) -> str | None:
        """The action's write, inside the recording context when there is one."""
        if self._record is None:
            self._sending = item
            return await self.action.run(item)
        try:
            recording = self._record(item)
            await recording.__aenter__()
        except Exception as error:
            raise _NotRecorded(error) from error
        try:
            self._sending = item
            note = await self.action.run(item)
        except BaseException as error:
            await _leave(recording, error)
            raise
        await _leave(recording, None)
        return note

    async def _reconcile(self, item: BulkItem, error: Exception, otherwise: Outcome) -> ItemResult:
        """After a lost or failed answer, read back whether the write took effect anyway."""
        self._sending = item
        confirmed: bool | None = None
        if self.action.confirm is not None:
            try:
                confirmed = await self.action.confirm(item)
            except Exception as problem:
                log.warning(
                    "bulk %s: could not read back %s: %s", self.action.name, item.key, problem
                )
        if confirmed:
            message = Text(
                "Done (confirmed by reading it back after: {error})", error=explain(error)
            )
            return ItemResult(item.key, item.label, "done", message)
        if otherwise == "unknown":
            template = "Unknown: the answer was lost ({error}); check in Calendly"
            return self._failure(item, "unknown", template, error)
        return self._failure(item, otherwise, "{error}", error)

    @staticmethod
    def _failure(
        item: BulkItem, outcome: Outcome, template: str, error: BaseException
    ) -> ItemResult:
        status = error.status if isinstance(error, APIStatusError) else None
        message = Text(template, error=explain(error))
        return ItemResult(item.key, item.label, outcome, message, status)

    async def _wait_out(self, error: RateLimited) -> bool:
        """Hold until the rate-limit window resets; False when canceled meanwhile."""
        seconds = max(0.0, error.retry_after if error.retry_after is not None else _FALLBACK_RESET)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        self.rate_limit_until = datetime.now(UTC) + timedelta(seconds=seconds)
        self._set_state("rate_limited")
        while not self._cancelled and (left := deadline - loop.time()) > 0:
            self._wake.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=left)
        self.rate_limit_until = None
        return await self._gate()

    # -- listeners --------------------------------------------------------------------------
    def _add(self, result: ItemResult) -> None:
        self._results.append(result)
        if self._on_progress is not None:
            try:
                self._on_progress(len(self._results), len(self.items), result)
            except Exception:
                log.exception("a bulk progress listener failed")

    def _set_state(self, state: RunState) -> None:
        if state == "running" and self._cancelled:
            state = "cancelling"
        elif state == "running" and self._paused:
            state = "pausing"
        if state == self._state:
            return
        self._state = state
        if self._on_state is not None:
            try:
                self._on_state(state)
            except Exception:
                log.exception("a bulk state listener failed")


class _NotRecorded(Exception):
    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


async def _leave(recording: AbstractAsyncContextManager[Any], error: BaseException | None) -> None:
    """Leave the recording context; its own failure never changes the item's outcome."""
    try:
        if error is None:
            await recording.__aexit__(None, None, None)
        else:
            await recording.__aexit__(type(error), error, error.__traceback__)
    except Exception:
        log.exception("the action log failed to record a bulk write")
