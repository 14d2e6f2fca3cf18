"""An exception nobody caught is logged and shown in the window; the app carries on."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from desktop.ui import crash_guard
from desktop.ui.message_bar import MessageBar


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_qt_slot_is_logged_and_shown(
    qtbot: Any, qt_loop: asyncio.AbstractEventLoop, tmp_path: Path, caplog: Any
) -> None:
    messages = MessageBar()
    qtbot.addWidget(messages)
    restore = crash_guard.install(messages, tmp_path / "calendly-console.log", qt_loop)
    try:

        def broken() -> None:
            raise ZeroDivisionError("the slot divided by zero")

        with caplog.at_level(logging.CRITICAL):
            QTimer.singleShot(0, broken)
            qtbot.waitUntil(lambda: bool(messages.texts()))
    finally:
        restore()
    text = messages.texts()[0]
    assert "(ZeroDivisionError)" in text
    assert "the slot divided by zero" not in text  # exception texts stay in the log
    assert str(tmp_path / "calendly-console.log") in text
    assert "The app carries on" in text
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_an_unretrieved_task_failure_is_shown_too(
    qtbot: Any, qt_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    messages = MessageBar()
    qtbot.addWidget(messages)
    restore = crash_guard.install(messages, None, qt_loop)
    try:
        qt_loop.call_exception_handler(
            {"message": "Task exception was never retrieved", "exception": KeyError("lost")}
        )
    finally:
        restore()
    assert "KeyError" in messages.texts()[0]
