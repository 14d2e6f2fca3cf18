"""A list of records: toolbar, search, table, detail panel, loading state, empty state.

Subclasses say what to list (``columns``, ``fetcher``), how to show one record
(``detail_html``) and add their own filters and actions; this class does the rest the same way
on every page: pages load as the user scrolls, "Load all" and "Stop", search and sort over
what is loaded, an inline error with Retry, and a clear empty state. A page holds one or more
of these (Members holds members and invitations).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QItemSelection, QLocale, QModelIndex, Qt
from PySide6.QtGui import QAction, QActionEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.failures import describe
from desktop.ui.models.columns import Column
from desktop.ui.models.record_model import Fetcher, RecordTableModel
from desktop.ui.models.record_proxy import RecordProxy
from desktop.ui.page_context import PageContext
from desktop.ui.pages import PageSpec, ShellPage

R = TypeVar("R")


class NamedToolBar(QToolBar):
    """A toolbar whose buttons take their action's text as accessible name and are reachable
    with Tab (Qt's toolbar buttons are neither, by default)."""

    def actionEvent(self, event: QActionEvent) -> None:
        super().actionEvent(event)
        if event.type() in (QEvent.Type.ActionAdded, QEvent.Type.ActionChanged):
            action = event.action()
            button = self.widgetForAction(action) if action is not None else None
            if button is not None and action is not None:
                button.setAccessibleName(action.text().replace("&", ""))
                if action.toolTip():
                    button.setAccessibleDescription(action.toolTip())
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)


class RecordTable(QWidget, Generic[R]):
    """The shared frame of the organization's lists."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        self.setObjectName(f"records-{key}")
        self.setAccessibleName(title)
        self.context: PageContext | None = None
        self.save_dialog: QWidget | None = None  # an open file dialog (for tests to answer)
        self.bulk_dialog: QWidget | None = None  # an open bulk-action dialog
        self.model: RecordTableModel[R] = RecordTableModel(self.columns(), parent=self)
        self.proxy = RecordProxy(self)
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.toolbar = NamedToolBar()
        self.toolbar.setAccessibleName(self.tr("{page} tools").format(page=title))
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setToolTip(self.tr("Load again from Calendly (F5)"))
        self.refresh_action.triggered.connect(self.refresh)
        self.toolbar.addAction(self.refresh_action)
        layout.addWidget(self.toolbar)

        self.filters = QHBoxLayout()  # subclasses add their filter widgets here
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search what is loaded"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search {page}").format(page=title))
        self.search.setAccessibleDescription(
            self.tr("Narrows the rows to those containing the text in any column")
        )
        self.search.textChanged.connect(self._search_changed)
        find = QAction(self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        self.filters.addStretch(1)
        self.filters.addWidget(self.search)
        # The filter row scrolls sideways rather than widening the window past small screens.
        filters = QWidget()
        filters.setLayout(self.filters)
        self.filters.setContentsMargins(0, 0, 0, 0)
        strip = QScrollArea()
        strip.setWidget(filters)
        strip.setWidgetResizable(True)
        strip.setFrameShape(QFrame.Shape.NoFrame)
        strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        strip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        strip.setFixedHeight(
            filters.sizeHint().height() + strip.horizontalScrollBar().sizeHint().height()
        )
        layout.addWidget(strip)

        # A table view, not a tree view: QTreeView calls fetchMore at every layout and so
        # would load every page at once; a table asks for more only as it scrolls to the end.
        self.view = QTableView()
        self.view.setObjectName(f"table-{key}")
        self.view.setAccessibleName(title)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.proxy)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt would start descending
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self._size_columns()
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.empty = QLabel()
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body = QStackedWidget()
        self.body.addWidget(self.view)
        self.body.addWidget(self.empty)

        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(True)
        self.detail.setAccessibleName(self.tr("Details"))
        self.detail.setPlaceholderText(self.tr("Select a row to see its details."))
        # Why an action is unavailable for the selection, in words (a tooltip alone is missed).
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(self.tr("Why an action is unavailable"))
        self.hint.setVisible(False)
        self.side = QWidget()  # the detail pane: pages may put more in it
        self.side_layout = QVBoxLayout(self.side)
        self.side_layout.setContentsMargins(0, 0, 0, 0)
        self.side_layout.addWidget(self.detail, 1)
        self.side_layout.addWidget(self.hint)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.body)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)

        status = QHBoxLayout()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # Calendly's words, never markup
        self.status.setAccessibleName(self.tr("Loading status"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setAccessibleName(self.tr("Loading"))
        self.progress.setVisible(False)
        self.load_all_button = self._button(self.tr("Load &all"), self.model.load_all)
        self.stop_button = self._button(self.tr("S&top"), self.model.cancel)
        self.retry_button = self._button(self.tr("Re&try"), self._retry)
        status.addWidget(self.status, 1)
        status.addWidget(self.progress)
        for button in (self.load_all_button, self.stop_button, self.retry_button):
            status.addWidget(button)
        layout.addLayout(status)

        self.model.loading_changed.connect(self._update_status)
        self.model.rows_loaded.connect(self._update_status)
        self.model.finished.connect(self._update_status)
        self.model.load_failed.connect(self._load_failed)
        self.proxy.rowsInserted.connect(self._update_status)
        self.proxy.rowsRemoved.connect(self._update_status)
        self.proxy.modelReset.connect(self._update_status)
        self._error: str | None = None
        self._update_status()

    def _retry(self) -> None:
        """The page that failed again, or every remaining page if that is what was asked."""
        self._error = None
        self.model.retry(all_pages=self.model.was_loading_all)
        self._update_status()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def _size_columns(self) -> None:
        metrics = self.view.fontMetrics()
        for number, column in enumerate(self.model.columns):
            if column.width:
                self.view.setColumnWidth(number, metrics.averageCharWidth() * column.width)

    # -- what subclasses provide --------------------------------------------------------------
    def columns(self) -> Sequence[Column[R]]:
        raise NotImplementedError

    def fetcher(self, context: PageContext) -> Fetcher[R] | None:
        """The pages to list, with the server-side filters as they are set now."""
        raise NotImplementedError

    def detail_html(self, record: R) -> str:
        raise NotImplementedError

    def selection_changed(self, records: list[R]) -> None:
        """Enable or disable the page's own actions."""

    # -- the page's calls ---------------------------------------------------------------------
    def bind(self, context: PageContext) -> None:
        self.context = context
        self.reload()

    def unbind(self) -> None:
        self.context = None
        self.model.clear()
        self.detail.clear()

    def refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        """From the first page again, with the filters as they are now."""
        self._error = None
        if self.context is None:
            self.model.clear()
            return
        self.model.set_source(self.fetcher(self.context))
        self.model.fetchMore(QModelIndex())
        self._update_status()

    # -- records ------------------------------------------------------------------------------
    def selected_records(self) -> list[R]:
        rows = self.view.selectionModel().selectedRows()
        return [self.proxy.record_at(index) for index in sorted(rows, key=lambda i: i.row())]

    def current_record(self) -> R | None:
        selected = self.selected_records()
        return selected[0] if len(selected) == 1 else None

    def set_hint(self, text: str) -> None:
        """Say under the detail why an action cannot apply to the selection ("" hides it)."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def index_of(self, key: str) -> QModelIndex:
        """The view's index of the row keyed ``key`` (invalid when not loaded or not shown)."""
        row = self.model.row_of(key)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

    def shown_records(self) -> list[R]:
        """The rows the table shows now, in its order (what an export of the view holds)."""
        return [self.proxy.record_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]

    def _selection_changed(self, *_: QItemSelection) -> None:
        records = self.selected_records()
        if len(records) == 1:
            self.detail.setHtml(self.detail_html(records[0]))
        elif records:
            self.detail.setHtml(
                self.tr("<p>{count} selected.</p>").format(count=QLocale().toString(len(records)))
            )
        else:
            self.detail.clear()
        self.selection_changed(records)

    def show_detail_of(self, record: R) -> None:
        """Refresh the detail panel if it shows this record (after a write)."""
        if self.current_record() is not None:
            self._selection_changed()

    # -- status --------------------------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_status()

    def _load_failed(self, error: object) -> None:
        what = self.tr("Loading {page}").format(page=self.title.lower())
        self._error = describe(what, error) if isinstance(error, BaseException) else str(error)
        self._update_status()

    def _update_status(self, *_: object) -> None:
        model = self.model
        locale = QLocale()
        loaded = model.rowCount()
        shown = self.proxy.rowCount()
        loading = model.loading
        self.progress.setVisible(loading)
        self.stop_button.setVisible(loading)
        self.load_all_button.setVisible(not loading and not model.exhausted and self._error is None)
        self.retry_button.setVisible(self._error is not None and not loading)
        if self._error is not None and not loading:
            text = self._error
        elif loading:
            text = self.tr("Loading… {count} so far").format(count=locale.toString(loaded))
        elif model.exhausted:
            text = self.tr("All {count} loaded").format(count=locale.toString(loaded))
        else:
            text = self.tr("{count} loaded; more as you scroll").format(
                count=locale.toString(loaded)
            )
        if shown != loaded:
            text += self.tr(" · {count} shown").format(count=locale.toString(shown))
        self.status.setText(text)
        self._update_empty(loaded, shown, loading)

    def _update_empty(self, loaded: int, shown: int, loading: bool) -> None:
        if shown > 0 or loading or self.context is None:
            self.body.setCurrentWidget(self.view)
            return
        if loaded > 0:
            self.empty.setText(
                self.tr("No loaded row matches “{text}”.").format(text=self.search.text())
                if self.search.text()
                else self.tr("No loaded row matches the filters.")
            )
        elif self._error is None:
            self.empty.setText(self.empty_text())
        self.body.setCurrentWidget(self.empty if loaded == 0 or shown == 0 else self.view)

    def empty_text(self) -> str:
        return self.tr("Nothing to show.")

    def apply_hint(self, hint: Mapping[str, Any]) -> None:
        """Set the filters ``hint`` names (the Overview's cards); the search is cleared so
        nothing hides what was pointed at. Tables override it for the filters they have."""
        self.search.clear()


class RecordsPage(ShellPage):
    """A shell page made of record tables (one, or several in tabs)."""

    def __init__(
        self, spec: PageSpec, tables: Sequence[RecordTable[Any]], parent: QWidget | None = None
    ) -> None:
        super().__init__(spec, parent)
        self.tables = list(tables)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if len(self.tables) == 1:
            layout.addWidget(self.tables[0])
        else:
            self.tabs = QTabWidget()
            self.tabs.setAccessibleName(spec.title)
            self.tabs.tabBar().setAccessibleName(self.tr("{page} sections").format(page=spec.title))
            for table in self.tables:
                self.tabs.addTab(table, table.title)
            layout.addWidget(self.tabs)

    def bind(self, context: PageContext) -> None:
        super().bind(context)
        for table in self.tables:
            table.bind(context)

    def unbind(self) -> None:
        super().unbind()
        for table in self.tables:
            table.unbind()

    def refresh(self) -> None:
        for table in self.tables:
            table.refresh()

    def apply_hint(self, hint: Mapping[str, Any]) -> None:
        """``hint["tab"]`` picks the table by its key; the table applies the rest."""
        wanted = hint.get("tab")
        table = next((t for t in self.tables if t.key == wanted), self.tables[0])
        if len(self.tables) > 1:
            self.tabs.setCurrentWidget(table)
        table.apply_hint(hint)
