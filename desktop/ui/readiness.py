"""``--quit-when-ready``: close once the first data shows (the start-up benchmark's probe).

Prints ``ready`` when the window shows the connected organization, or ``failed: <why>`` (and
exits 1) when connecting failed, so a failure is never timed as a start-up. (``shown``, when
the window is first on screen, is printed by the composition root, which shows it early.)
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from desktop.ui.controller import AppController


class QuitWhenReady(QObject):
    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self._controller = controller
        self.exit_code = 1
        controller.connected.connect(self._ready)
        controller.connect_failed.connect(self._failed)

    def _ready(self, *_: object) -> None:
        # After this event, once the window has painted the connected shell: say so, close.
        QTimer.singleShot(0, self._announce)

    def _announce(self) -> None:
        self.exit_code = 0
        print("ready", flush=True)
        self._controller.shutdown()

    def _failed(self, text: str) -> None:
        print(f"failed: {text}", file=sys.stderr, flush=True)
        self._controller.shutdown()
