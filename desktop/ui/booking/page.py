"""The Booking page: the booking desk (Scheduling API) and the embed lab (Calendly's booking
page in a browser view), as two tabs.

The embed lab starts a browser engine (half a second and a few hundred megabytes), so it is
built the first time its tab is opened, not when the window is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.ui.booking.desk import BookingDesk
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec, ShellPage, rights_note

if TYPE_CHECKING:
    from desktop.ui.booking.embed_lab import EmbedLab


class BookingPage(ShellPage):
    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.context: PageContext | None = None
        self.desk = BookingDesk()
        self.embed_lab: EmbedLab | None = None
        self._lab_holder = QWidget()  # the embed lab moves in here when first opened
        self._lab_layout = QVBoxLayout(self._lab_holder)
        self._lab_layout.setContentsMargins(0, 0, 0, 0)
        self.rights = QLabel()
        self.rights.setWordWrap(True)
        self.rights.setTextFormat(Qt.TextFormat.PlainText)
        self.rights.setAccessibleName(self.tr("What your role lets you do"))
        self.rights.setVisible(False)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(spec.title)
        self.tabs.tabBar().setAccessibleName(self.tr("Booking sections"))
        self.tabs.addTab(self.desk, self.tr("Booking desk"))
        self.tabs.addTab(self._lab_holder, self.tr("Embed lab"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rights)
        layout.addWidget(self.tabs, 1)

    def open_embed_lab(self) -> EmbedLab:
        """The embed lab, built (and bound) now if it was not yet, and shown."""
        self.tabs.setCurrentWidget(self._lab_holder)
        return self._ensure_lab()

    def _ensure_lab(self) -> EmbedLab:
        if self.embed_lab is None:
            from desktop.ui.booking.embed_lab import EmbedLab

            self.embed_lab = EmbedLab()
            self._lab_layout.addWidget(self.embed_lab)
            if self.context is not None:
                self.embed_lab.bind(self.context)
        return self.embed_lab

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self._lab_holder:
            self._ensure_lab()

    # -- the shell's calls ----------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        self.context = context
        note = rights_note(self.spec, context)
        self.rights.setText(note)
        self.rights.setVisible(bool(note))
        self.desk.bind(context)
        if self.embed_lab is not None:
            self.embed_lab.bind(context)

    def unbind(self) -> None:
        self.context = None
        self.rights.setVisible(False)
        self.desk.unbind()
        if self.embed_lab is not None:
            self.embed_lab.unbind()

    def refresh(self) -> None:
        self.desk.refresh()
        if self.embed_lab is not None:
            self.embed_lab.refresh()


def build_booking_page(spec: PageSpec) -> BookingPage:
    return BookingPage(spec)
