"""When the Overview's data was last refreshed, the progress of a refresh, and Refresh."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.ui.i18n import format_datetime


class RefreshBar(QWidget):
    """``refresh_requested`` when the button is pressed (F5 reaches the page's ``refresh``)."""

    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self.tr("Not loaded yet."))
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Refresh progress"))
        self.progress.setFormat(self.tr("%v of %m"))
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.button = QPushButton(self.tr("&Refresh"))
        self.button.setAccessibleName(self.tr("Refresh the overview"))
        self.button.setAccessibleDescription(
            self.tr("Fetches what changed in Calendly since the last refresh (F5)")
        )
        self.button.setToolTip(self.tr("Fetch what changed since the last refresh (F5)"))
        self.button.clicked.connect(self.refresh_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.progress)
        row.addWidget(self.button)
        self._refreshed: datetime | None = None
        self._stale = False
        self._busy = False

    def set_refreshed(self, moment: datetime | None) -> None:
        self._refreshed = moment
        self._stale = False
        self._update()

    def set_stale(self) -> None:
        """Something changed in Calendly since: the figures are behind until the next refresh."""
        self._stale = True
        self._update()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)  # "busy" until the first step is known
        self._update()

    def set_progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total))

    @property
    def stale(self) -> bool:
        return self._stale

    def _update(self) -> None:
        if self._refreshed is None:
            text = self.tr("Loading…") if self._busy else self.tr("Not loaded yet.")
        else:
            text = self.tr("Last refreshed {when}").format(when=format_datetime(self._refreshed))
            if self._stale:
                text += self.tr(" (changed since)")
            if self._busy:
                text += self.tr(" — refreshing…")
        self.label.setText(text)
