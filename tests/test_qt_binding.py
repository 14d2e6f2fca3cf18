"""The pinned Qt binding keeps Python's reference counts straight (a 6.12.0 bug did not)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(int)


def test_emitting_a_signal_does_not_drop_a_reference_to_true() -> None:
    """PySide6 6.12.0 dropped one reference to True per ``emit``: the process aborted after a
    few thousand emits ("bool_dealloc"). Measured over 500 emits, far from that point."""
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)
    before_true, before_false = sys.getrefcount(True), sys.getrefcount(False)
    for value in range(500):
        emitter.changed.emit(value)
    assert len(received) == 500
    assert sys.getrefcount(True) >= before_true
    assert sys.getrefcount(False) >= before_false
