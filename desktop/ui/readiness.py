"""``--quit-when-ready``: close as soon as the first page of data shows (the start-up benchmark)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from desktop.ui.controller import AppController


class QuitWhenReady(QObject):
    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self._controller = controller
        controller.connected.connect(self._ready)
        controller.connect_failed.connect(self._ready)

    def _ready(self, *_: object) -> None:
        # After this event, once the window has painted the connected shell: say so, close.
        QTimer.singleShot(0, self._announce)

    def _announce(self) -> None:
        print("ready", flush=True)
        self._controller.shutdown()
