"""Exceptions nobody caught: logged with their traceback and shown, never a silent crash."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.ui.message_bar import MessageBar

log = logging.getLogger(__name__)


def unexpected_text(error: BaseException, log_path: Path | None) -> str:
    where = (
        QCoreApplication.translate("CrashGuard", "Details are in {path}.").format(path=log_path)
        if log_path is not None
        else ""
    )
    return QCoreApplication.translate(
        "CrashGuard",
        "Something went wrong ({kind}). The app carries on; if what you were doing did "
        "not finish, try it again. {where}",
    ).format(kind=type(error).__name__, where=where)


def install(
    messages: MessageBar, log_path: Path | None, loop: asyncio.AbstractEventLoop | None = None
) -> Callable[[], None]:
    """Route uncaught exceptions (Qt slots, callbacks, the event loop) to the log and the
    message bar. Returns a function that puts the previous handlers back."""
    previous_hook = sys.excepthook

    def show(error: BaseException) -> None:
        try:
            messages.show_message("unexpected", unexpected_text(error, log_path), "error")
        except Exception:  # the window may be gone already; the log has it
            log.exception("could not show an unexpected error")

    def hook(
        kind: type[BaseException], error: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit):
            previous_hook(kind, error, traceback)
            return
        log.critical("unexpected error", exc_info=(kind, error, traceback))
        show(error)

    def loop_handler(_: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, BaseException):
            log.critical(
                "unexpected error in the event loop: %s",
                context.get("message"),
                exc_info=(type(error), error, error.__traceback__),
            )
            show(error)
        else:
            log.error("event loop: %s", context.get("message"))

    target = loop or asyncio.get_event_loop()
    previous_loop_handler = target.get_exception_handler()
    sys.excepthook = hook
    target.set_exception_handler(loop_handler)

    def restore() -> None:
        sys.excepthook = previous_hook
        target.set_exception_handler(previous_loop_handler)

    return restore
