"""The Qt test harness: one session-wide qasync loop that is never stopped or closed.

Why (../shared/notes/machine.md): QtWebEngine shuts down on the first ``aboutToQuit``, and
qasync loops started with ``run_until_complete`` stop the application several times, so Qt
tests share one ``QEventLoop(already_running=True)`` and wait with ``qtbot.waitUntil``.
pytest-asyncio is for Qt-free async code only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


@pytest.fixture(scope="session")
def _session_qt_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    # qasync marks itself as this thread's running loop; pytest-asyncio's Qt-free tests in the
    # same process need no running loop, so the mark is only set while a Qt test runs.
    asyncio.events._set_running_loop(None)
    # asyncio.to_thread (keyring calls, the sandbox's start) would otherwise start QThreads
    # that outlive the session: Qt aborts the process at exit when one is still running.
    executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="qt-loop-worker")
    loop.set_default_executor(executor)
    # Closing windows must never quit the application: QtWebEngine stops at the first quit.
    qapp.setQuitOnLastWindowClosed(False)
    yield loop
    executor.shutdown(wait=True)


@pytest.fixture
def qt_loop(_session_qt_loop: asyncio.AbstractEventLoop) -> Iterator[asyncio.AbstractEventLoop]:
    """The shared qasync loop, running (for asyncio's eyes) for the length of one Qt test."""
    asyncio.events._set_running_loop(_session_qt_loop)
    try:
        yield _session_qt_loop
    finally:
        asyncio.events._set_running_loop(None)


@pytest.fixture
def run_async(qt_loop: asyncio.AbstractEventLoop, qtbot: Any) -> Callable[..., Any]:
    """``run_async(coro, timeout=10_000)``: run a coroutine on the Qt loop and return its result."""

    def run(coro: Coroutine[Any, Any, T], timeout: int = 10_000) -> T:
        task = qt_loop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()

    return run
