"""Run an export off the event loop's thread, with progress back on the loop and cancel."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable

from desktop.exports.output import Cancelled, Progress

# An export bound to everything but its progress and cancel hooks, e.g.
# ``lambda progress, cancelled: write_csv(path, columns, rows, progress=progress,
# cancelled=cancelled)`` (give it a snapshot of the rows: it runs on another thread).
Job = Callable[[Progress, Cancelled], int]


async def run_export(job: Job, *, progress: Progress | None = None) -> int:
    """Run ``job`` in the loop's default executor and return what it returns.

    ``progress(done)`` is called on the loop's thread (safe for Qt widgets under qasync).
    Cancelling the awaiting task asks the job to stop, waits until it has (so its temporary
    file is gone when this returns) and re-raises ``CancelledError``.
    """
    loop = asyncio.get_running_loop()
    stop = threading.Event()
    finished = False

    def deliver(done: int) -> None:
        if progress is not None and not finished:
            progress(done)

    def report(done: int) -> None:
        loop.call_soon_threadsafe(deliver, done)

    future = loop.run_in_executor(None, job, report, stop.is_set)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        stop.set()
        # Whatever the job ends with now (ExportCancelled, most likely), the outcome is "cancelled".
        with contextlib.suppress(Exception):
            await future
        raise
    finally:
        finished = True
