"""Owned asyncio tasks: every task has an owner that reports its failure and cancels it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskOwner(QObject):
    """Starts tasks on the running loop, keeps them until done, cancels them on ``cancel_all``.

    A task that raises emits ``failed(what, exception)``; ``what`` names the work in the user's
    words ("Loading your organization"), so the message can say what failed.
    """

    failed = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[asyncio.Task[Any]] = set()
        tasks = self._tasks
        # Deleted with its parent (a page, a dialog): nothing it started may outlive it and
        # then touch deleted widgets. (The lambda holds the set, not this object.)
        self.destroyed.connect(lambda *_: [task.cancel() for task in list(tasks)])

    def spawn(self, coro: Coroutine[Any, Any, T], what: str) -> asyncio.Task[T]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._finished(done, what))
        return task

    @property
    def busy(self) -> bool:
        return any(not task.done() for task in self._tasks)

    def _finished(self, task: asyncio.Task[Any], what: str) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("%s failed", what, exc_info=error)
            with contextlib.suppress(RuntimeError):  # the owner is gone: the log has it
                self.failed.emit(what, error)

    def cancel_all(self) -> list[asyncio.Task[Any]]:
        tasks = [task for task in self._tasks if not task.done()]
        for task in tasks:
            task.cancel()
        return tasks

    async def aclose(self) -> None:
        """Cancel every task and wait until they have all finished."""
        tasks = self.cancel_all()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
