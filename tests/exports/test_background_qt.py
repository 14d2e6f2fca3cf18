"""``run_export`` on the app's qasync loop: progress reaches the loop, cancel leaves no file."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desktop.exports import Column, run_export, write_csv
from desktop.exports.output import Cancelled, Progress
from tests.exports.data import leftovers, read_csv

NUMBERS: list[Column[int]] = [Column("n", str)]


def test_an_export_runs_beside_the_qt_loop(run_async: Callable[..., Any], tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    loop_thread = threading.get_ident()

    def job(progress: Progress, cancelled: Cancelled) -> int:
        return write_csv(tmp_path / "n.csv", NUMBERS, range(3000), progress=progress)

    def progress(done: int) -> None:
        seen.append((done, threading.get_ident()))

    assert run_async(run_export(job, progress=progress)) == 3000
    assert [done for done, _ in seen] == list(range(100, 3001, 100))
    assert {thread for _, thread in seen} == {loop_thread}
    assert len(read_csv(tmp_path / "n.csv")) == 3001


def test_cancelling_on_the_qt_loop_leaves_no_file(
    qt_loop: asyncio.AbstractEventLoop, qtbot: Any, tmp_path: Path
) -> None:
    started = threading.Event()
    release = threading.Event()
    hooks: list[Cancelled] = []

    def rows() -> Iterator[int]:
        yield from range(10)
        started.set()
        release.wait(10)  # held mid-way until the task has been cancelled
        yield from range(10, 1000)

    def job(progress: Progress, cancelled: Cancelled) -> int:
        hooks.append(cancelled)
        return write_csv(tmp_path / "n.csv", NUMBERS, rows(), cancelled=cancelled)

    task = qt_loop.create_task(run_export(job))
    qtbot.waitUntil(started.is_set, timeout=10_000)
    task.cancel()
    # Cancelling asks the job to stop; it notices at its next row, once let go.
    qtbot.waitUntil(lambda: hooks[0](), timeout=10_000)
    assert not task.done(), "the task waits for the job to clean up"
    release.set()
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.cancelled()
    assert leftovers(tmp_path) == []
