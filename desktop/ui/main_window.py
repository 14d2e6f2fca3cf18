"""The main window: a thin shell of screens (welcome, connecting, pages), menus and status."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.profiles import Profile
from desktop.settings import Window
from desktop.ui.connecting import ConnectingPage
from desktop.ui.menus import Actions, build_menus
from desktop.ui.message_bar import MessageBar
from desktop.ui.pages import PageSpec, ShellPage, page_specs
from desktop.ui.status_bar import ConnectionStatus
from desktop.ui.welcome import WelcomePage

if TYPE_CHECKING:
    from desktop.connection.connector import Connection
    from desktop.ui.page_context import PageContext

APP_TITLE = "Calendly Console"


class MainWindow(QMainWindow):
    close_requested = Signal()
    page_changed = Signal(str)

    def __init__(self, pages: list[ShellPage] | None = None) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self.setWindowTitle(APP_TITLE)
        self.allow_close = False
        self.actions_ = build_menus(self)

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.colour_strip = QFrame()
        self.colour_strip.setObjectName("profile-strip")
        self.colour_strip.setFixedHeight(4)
        self.colour_strip.setVisible(False)
        column.addWidget(self.colour_strip)
        self.messages = MessageBar()
        column.addWidget(self.messages)
        self.screens = QStackedWidget()
        column.addWidget(self.screens, 1)
        self.setCentralWidget(central)

        self.welcome = WelcomePage()
        self.connecting = ConnectingPage()
        self.shell = QWidget()
        self.shell.setObjectName("shell")
        for screen in (self.welcome, self.connecting, self.shell):
            self.screens.addWidget(screen)

        row = QHBoxLayout(self.shell)
        row.setContentsMargins(0, 0, 0, 0)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Pages"))
        self.navigation.setAccessibleDescription(self.tr("Choose the page to show"))
        self.navigation.setMaximumWidth(220)
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setSpacing(2)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        row.addWidget(self.navigation)
        row.addWidget(self.pages, 1)
        self._page_actions: list[QAction] = []
        # The pages themselves are built when first needed (a connection, or a look at them):
        # the window is on screen before their weight (charts, browser views) loads.
        self._built: list[ShellPage] | None = None
        self._specs: list[PageSpec] = [p.spec for p in pages] if pages else list(page_specs())
        if pages is not None:
            self._adopt(pages)
        for number, spec in enumerate(self._specs, start=1):
            self._add_entry(spec, number)
        self.navigation.currentRowChanged.connect(self._show_row)
        self.screens.currentChanged.connect(self._screen_changed)
        self.navigation.setCurrentRow(0)

        self.status = ConnectionStatus(self.statusBar())
        self.resize(1100, 720)
        self.show_welcome()
        self._screen_changed(self.screens.currentIndex())

    # -- pages ------------------------------------------------------------------------------
    @property
    def page_list(self) -> list[ShellPage]:
        """The pages, in the navigation's order (built now if they were not yet)."""
        if self._built is None:
            from desktop.ui.org.registry import build_pages  # the pages' modules load here

            self._adopt(build_pages())
        assert self._built is not None
        return self._built

    def _adopt(self, pages: list[ShellPage]) -> None:
        self._built = pages
        for page in pages:
            self.pages.addWidget(page)
            pointing = getattr(page, "open_page", None)  # the Overview's cards point at pages
            if pointing is not None:
                pointing.connect(self.show_page_with)
        row = self.navigation.currentRow()
        if 0 <= row < len(pages):
            self.pages.setCurrentIndex(row)

    def _add_entry(self, spec: PageSpec, number: int) -> None:
        item = QListWidgetItem(spec.title)
        item.setData(Qt.ItemDataRole.UserRole, spec.key)
        item.setToolTip(spec.summary)
        item.setSizeHint(QSize(0, 2 * self.fontMetrics().height()))
        self.navigation.addItem(item)
        go = QAction(spec.title, self)
        if number <= 9:
            go.setShortcut(QKeySequence(f"Ctrl+{number}"))
        go.triggered.connect(lambda _=False, key=spec.key: self.show_page(key))
        self.actions_.pages_menu.addAction(go)
        self.addAction(go)
        self._page_actions.append(go)

    def show_page_with(self, key: str, hint: object) -> None:
        """Go to the page ``key`` showing what ``hint`` (a mapping) names: a tab, filters."""
        if self.show_page(key) and isinstance(hint, Mapping):
            self.current_page.apply_hint(hint)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._specs):
            if self._built is not None:
                self.pages.setCurrentIndex(row)
            self.page_changed.emit(self._specs[row].key)

    def _screen_changed(self, _: int) -> None:
        # Going to a page means nothing on the welcome or connecting screen.
        on_shell = self.screens.currentWidget() is self.shell
        for action in self._page_actions:
            action.setEnabled(on_shell)
        self.actions_.pages_menu.setEnabled(on_shell)

    def show_page(self, key: str) -> bool:
        for row, spec in enumerate(self._specs):
            if spec.key == key:
                self.navigation.setCurrentRow(row)
                return True
        return False

    @property
    def current_page(self) -> ShellPage:
        return self.page_list[self.pages.currentIndex()]

    # -- screens ----------------------------------------------------------------------------
    def show_welcome(self, *, can_go_back: bool = False, notice: str | None = None) -> None:
        self.welcome.set_can_go_back(can_go_back)
        if notice is not None:
            self.welcome.set_notice(notice)
        self.screens.setCurrentWidget(self.welcome)
        self.welcome.focus_default()

    def show_connecting(self, profile: Profile) -> None:
        self.connecting.show_busy(self.tr("Connecting to {name}…").format(name=profile.name))
        self.screens.setCurrentWidget(self.connecting)
        self.show_profile(profile)

    def show_busy(self, text: str) -> None:
        """Work that cannot be cancelled (signing out): say what is happening."""
        self.connecting.show_busy(text, cancellable=False)
        self.screens.setCurrentWidget(self.connecting)

    def show_failure(self, text: str, retry_text: str | None = None) -> None:
        self.connecting.show_failure(text, retry_text)
        self.screens.setCurrentWidget(self.connecting)

    def show_connection(self, connection: Connection) -> None:
        """The pages of a connection (focus moves to them only when coming from elsewhere)."""
        self.update_connection(connection)
        if self.screens.currentWidget() is not self.shell:
            self.screens.setCurrentWidget(self.shell)
            self.navigation.setFocus()

    def bind_pages(self, context: PageContext) -> None:
        """A new connection's data for every page (each loads when it wants to)."""
        for page in self.page_list:
            page.bind(context)

    def update_connection(self, connection: Connection) -> None:
        """Title, colour and status bar for a connection, without changing screens."""
        self.show_profile(connection.profile, connection.identity.organization_name)
        self.status.show(connection.profile, connection.identity, connection.environment)

    def clear_connection(self) -> None:
        for page in self._built or ():  # pages never built hold nothing to let go
            page.unbind()
        self.status.clear()
        self.colour_strip.setVisible(False)
        self.setWindowTitle(APP_TITLE)

    def show_profile(self, profile: Profile, organization: str | None = None) -> None:
        """The profile's name (and organization) in the title, its colour along the top."""
        where = organization or profile.organization_name
        name = f"{profile.name} — {where}" if where and where != profile.name else profile.name
        self.setWindowTitle(f"{name} · {APP_TITLE}")
        self.colour_strip.setStyleSheet(f"QFrame#profile-strip {{ background: {profile.colour}; }}")
        self.colour_strip.setVisible(True)

    @property
    def actions_menu(self) -> Actions:
        return self.actions_

    # -- layout persistence -----------------------------------------------------------------
    def restore_layout(self, saved: Window) -> None:
        if saved.geometry:
            self.restoreGeometry(QByteArray(base64.b64decode(saved.geometry)))
        if saved.state:
            self.restoreState(QByteArray(base64.b64decode(saved.state)))
        if saved.last_page:
            self.show_page(saved.last_page)

    def saved_layout(self) -> Window:
        def encoded(data: QByteArray) -> str:
            return base64.b64encode(bytes(data.data())).decode("ascii")

        return Window(
            geometry=encoded(self.saveGeometry()),
            state=encoded(self.saveState()),
            last_page=self._specs[max(0, self.navigation.currentRow())].key,
        )

    # -- closing ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
            return
        # The controller closes connections and stops the sandbox first, then closes for real.
        event.ignore()
        self.close_requested.emit()
