"""The Embed lab tab: a booking page embedded as Calendly's widget, its messages and snippet."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.invitees import Invitee
from desktop.domain.scheduled_events import ScheduledEvent
from desktop.ui.booking.embed_booking import booked_text, read_booking, record_booking
from desktop.ui.booking.embed_form import EmbedForm
from desktop.ui.booking.embed_log import EventLog
from desktop.ui.booking.embed_snippet import EmbedOptions, embed_url, snippet_html
from desktop.ui.booking.embed_sources import EmbedSource, load_sources
from desktop.ui.booking.embed_view import CalendlyMessage, EmbedView
from desktop.ui.failures import describe
from desktop.ui.page_context import PageContext

DEBOUNCE_MS = 400  # typing rebuilds the embed once the user pauses, not at every key


class EmbedLab(QWidget):
    """Pick a booking page, shape the embed, book in it, and watch what it tells its parent.

    ``booking_fetched(event, invitee)`` fires once a booking made in the embed has been read
    back through the client (and the Scheduled events page told to refresh).
    """

    booking_fetched = Signal(object, object)

    def __init__(
        self,
        parent: QWidget | None = None,
        open_external: Callable[[QUrl], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.context: PageContext | None = None
        self.sources: list[EmbedSource] = []
        self._load_task: asyncio.Task[None] | None = None
        self._fetch_tasks: set[asyncio.Task[None]] = set()
        self.last_booking: tuple[ScheduledEvent, Invitee] | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._show_embed)
        self._open_external = open_external
        self._view: EmbedView | None = None  # made when first shown: QtWebEngine starts then
        self.form = EmbedForm()
        self.log = EventLog()
        self._build()
        self.form.changed.connect(self._form_changed)

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.source_label = QLabel(self.tr("Booking &page:"))
        self.source = QComboBox()
        self.source.setEditable(True)  # type to search among many members and event types
        self.source.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.source.model(), self.source)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.source.setCompleter(completer)
        self.source.setAccessibleName(self.tr("Booking page to embed"))
        self.source.setAccessibleDescription(
            self.tr("An event type's booking page or a member's page; type to search")
        )
        self.source.setMinimumContentsLength(30)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.source_label.setBuddy(self.source)
        self.reload_button = QPushButton(self.tr("Rel&oad"))
        self.reload_button.setAccessibleName(self.tr("Reload the embed"))
        self.reload_button.setAccessibleDescription(
            self.tr("Load the booking page afresh, as a new visitor would see it")
        )
        self.reload_button.clicked.connect(self._show_embed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Embed lab status"))
        top = QHBoxLayout()
        top.addWidget(self.source_label)
        top.addWidget(self.source, 1)
        top.addWidget(self.reload_button)

        controls = QScrollArea()
        controls.setWidgetResizable(True)
        controls.setWidget(self.form)
        controls.setMinimumWidth(300)
        self.view_area = QScrollArea()
        self.view_area.setWidgetResizable(True)
        placeholder = QLabel(self.tr("The booking page appears here."))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view_area.setWidget(placeholder)

        self.booking_note = QLabel()
        self.booking_note.setWordWrap(True)
        self.booking_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.booking_note.setAccessibleName(self.tr("Last booking made in the embed"))
        self.ignored_note = QLabel()
        self.ignored_note.setWordWrap(True)
        self.ignored_note.setAccessibleName(self.tr("Messages ignored"))
        self.ignored_note.setVisible(False)
        self.clear_button = QPushButton(self.tr("Clear the e&vent log"))
        self.clear_button.setAccessibleName(self.tr("Clear the event log"))
        self.clear_button.clicked.connect(self.log.clear)
        log_page = QWidget()
        log_layout = QVBoxLayout(log_page)
        log_layout.addWidget(self.log, 1)
        log_row = QHBoxLayout()
        log_row.addWidget(self.ignored_note, 1)
        log_row.addWidget(self.clear_button)
        log_layout.addLayout(log_row)

        self.url_edit = QLineEdit()
        self.url_edit.setReadOnly(True)
        self.url_edit.setAccessibleName(self.tr("Embedded address"))
        self.snippet = QPlainTextEdit()
        self.snippet.setReadOnly(True)
        self.snippet.setAccessibleName(self.tr("HTML snippet"))
        self.snippet.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.copy_button = QPushButton(self.tr("&Copy snippet"))
        self.copy_button.setAccessibleName(self.tr("Copy the HTML snippet"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_snippet)
        snippet_page = QWidget()
        snippet_layout = QVBoxLayout(snippet_page)
        snippet_layout.addWidget(self.url_edit)
        snippet_layout.addWidget(self.snippet, 1)
        snippet_layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)

        self.tabs = QTabWidget()
        self.tabs.addTab(log_page, self.tr("Event log"))
        self.tabs.addTab(snippet_page, self.tr("HTML snippet"))
        self.tabs.tabBar().setAccessibleName(self.tr("Event log or snippet"))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.view_area)
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(controls)
        body.addWidget(right)
        body.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.booking_note)
        layout.addWidget(body, 1)
        self.setTabOrder(self.source, self.reload_button)
        self.setTabOrder(self.reload_button, self.form)

    @property
    def view(self) -> EmbedView:
        """The browser showing the embed (its web engine starts on first use)."""
        if self._view is None:
            view = EmbedView(open_external=self._open_external)
            view.setMinimumHeight(480)
            view.message_received.connect(self._message)
            view.message_ignored.connect(self._ignored)
            view.navigation_refused.connect(self._refused)
            self.view_area.setWidget(view)
            self._view = view
        return self._view

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Bound while another tab was showing: the embed loads when the lab is first seen.
        if self._view is None or self._view.options != self.current_options():
            self._show_embed()

    # -- the page's calls -----------------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        self.context = context
        self.refresh()

    def unbind(self) -> None:
        self.context = None
        self._debounce.stop()
        if self._load_task is not None:
            self._load_task.cancel()
            self._load_task = None
        for task in list(self._fetch_tasks):
            task.cancel()
        self.sources = []
        self.source.blockSignals(True)
        self.source.clear()
        self.source.blockSignals(False)
        if self._view is not None:
            self._view.clear()
        self.log.clear()
        self.status.clear()
        self.booking_note.clear()
        self._update_snippet()

    def refresh(self) -> None:
        """Reload the list of booking pages (the chosen one stays chosen)."""
        context = self.context
        if context is None:
            return
        if self._load_task is not None:
            self._load_task.cancel()
        self.status.setText(self.tr("Loading booking pages…"))
        self._load_task = context.tasks.spawn(
            self._load_sources(context), self.tr("Loading booking pages")
        )

    # -- sources --------------------------------------------------------------------------------
    async def _load_sources(self, context: PageContext) -> None:
        try:
            sources = await load_sources(context)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.status.setText(describe(self.tr("Loading booking pages"), error))
            return
        if self.context is not context:
            return
        chosen = self.current_source()
        self.sources = sources
        self.source.blockSignals(True)
        self.source.clear()
        for index, source in enumerate(sources):
            self.source.addItem(source.label, index)
        keep = next((i for i, s in enumerate(sources) if chosen and s.url == chosen.url), 0)
        self.source.setCurrentIndex(keep if sources else -1)
        self.source.blockSignals(False)
        self.status.setText("" if sources else self.tr("There is no booking page to embed."))
        now = self.current_source()
        if chosen is not None and now is not None and now.url == chosen.url:
            # The same page as before: its embed stays as it is (a booking just made stays
            # on screen); only its questions and the snippet follow the new data.
            self.form.set_questions(now.questions)
            self._update_snippet()
        else:
            self._source_changed()

    def current_source(self) -> EmbedSource | None:
        index = self.source.currentData()
        if isinstance(index, int) and 0 <= index < len(self.sources):
            return self.sources[index]
        return None

    def choose(self, url: str) -> bool:
        """Choose the booking page at ``url`` (a scheduling URL); False when it is not listed."""
        for position in range(self.source.count()):
            index = self.source.itemData(position)
            if isinstance(index, int) and self.sources[index].url == url:
                self.source.setCurrentIndex(position)
                return True
        return False

    def _source_changed(self) -> None:
        source = self.current_source()
        self.form.set_questions(source.questions if source is not None else ())
        self._update_snippet()
        self._show_embed()

    # -- the embed ------------------------------------------------------------------------------
    def current_options(self) -> EmbedOptions | None:
        source = self.current_source()
        if source is None:
            return None
        return self.form.options(source.url, self.tr("Schedule time with me"))

    def _form_changed(self) -> None:
        self._update_snippet()
        self._debounce.start()

    def _update_snippet(self) -> None:
        options = self.current_options()
        self.url_edit.setText(embed_url(options) if options else "")
        self.snippet.setPlainText(snippet_html(options) if options else "")
        self.copy_button.setEnabled(options is not None)

    def _show_embed(self) -> None:
        self._debounce.stop()
        if not self.isVisible():
            return  # shown later (showEvent): no web engine for a tab nobody looks at
        options = self.current_options()
        if options is None:
            if self._view is not None and self._view.options is not None:
                self._view.clear()
            return
        self.view.show_embed(options)

    def copy_snippet(self) -> None:
        QGuiApplication.clipboard().setText(self.snippet.toPlainText())
        self.status.setText(self.tr("The HTML snippet is on the clipboard."))

    # -- messages -------------------------------------------------------------------------------
    def _message(self, message: CalendlyMessage) -> None:
        self.log.add(message)
        context = self.context
        if message.event == "calendly.event_scheduled" and context is not None:
            task = context.tasks.spawn(
                self._fetch_booking(context, message.payload),
                self.tr("Reading the booking made in the embed"),
            )
            self._fetch_tasks.add(task)
            task.add_done_callback(self._fetch_tasks.discard)

    def _ignored(self, origin: str, event: str) -> None:
        count = len(self.view.ignored_origins)
        text = self.tr(
            "Ignored %n message(s) not from the booking page (last from {origin}).", "", count
        )
        self.ignored_note.setText(text.format(origin=origin or self.tr("an unknown origin")))
        self.ignored_note.setVisible(True)

    def _refused(self, url: QUrl, opened: bool) -> None:
        if opened and url.scheme() in ("http", "https"):
            self.status.setText(
                self.tr("{host} opens in your web browser, not in the embed.").format(
                    host=url.host()
                )
            )

    async def _fetch_booking(self, context: PageContext, payload: dict[str, Any]) -> None:
        booking = await read_booking(context, payload, self.booking_note)
        if booking is None:
            return
        event, invitee = booking
        self.last_booking = booking
        self.booking_note.setText(booked_text(event, invitee))
        context.changes.changed.emit("scheduled_event", event.uri)
        context.changes.changed.emit("invitee", invitee.uri)
        await record_booking(context, event, invitee)
        self.booking_fetched.emit(event, invitee)
