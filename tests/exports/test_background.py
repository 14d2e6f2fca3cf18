"""``run_export``: an export on a worker thread, progress delivered on the loop's thread,
and cancelling the awaiting task stops the export and leaves no file."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.exports import Column, run_export, write_csv
from desktop.exports.output import Cancelled, Progress
from tests.exports.data import leftovers, read_csv

pytestmark = pytest.mark.asyncio

NUMBERS: list[Column[int]] = [Column("n", str)]


async def test_progress_arrives_on_the_loop_thread(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    seen: list[tuple[int, int]] = []

    def job(progress: Progress, cancelled: Cancelled) -> int:
        assert threading.get_ident() != loop_thread
        return write_csv(
            path, NUMBERS, range(1000), progress=progress, cancelled=cancelled, progress_every=250
        )

    def progress(done: int) -> None:
        seen.append((done, threading.get_ident()))

    loop_thread = threading.get_ident()
    written = await run_export(job, progress=progress)

    assert written == 1000
    assert seen == [(250, loop_thread), (500, loop_thread), (750, loop_thread), (1000, loop_thread)]
    assert len(read_csv(path)) == 1001


async def test_cancelling_the_task_stops_the_export_and_leaves_no_file(tmp_path: Path) -> None:
    started = threading.Event()
    asked_to_stop = threading.Event()

    def rows(cancelled: Cancelled) -> Iterator[int]:
        yield from range(10)
        started.set()
        # Hold the export mid-way until it is told to stop (bounded: never hangs the suite).
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:
            threading.Event().wait(0.001)
        if cancelled():
            asked_to_stop.set()
        yield from range(10, 1000)

    def job(progress: Progress, cancelled: Cancelled) -> int:
        return write_csv(tmp_path / "n.csv", NUMBERS, rows(cancelled), cancelled=cancelled)

    task = asyncio.create_task(run_export(job))
    assert await asyncio.to_thread(started.wait, 10)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task

    assert asked_to_stop.is_set()
    assert leftovers(tmp_path) == []
