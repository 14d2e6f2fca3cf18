"""The app's behaviour: which profile is connected, sign-in, switching, sign-out, shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from PySide6.QtCore import QObject, Signal

from desktop import profiles, settings
from desktop.api.errors import SignInRequired, Unauthenticated
from desktop.connection.connector import Connection, Connector
from desktop.profiles import Profile
from desktop.settings import Settings
from desktop.ui import notices
from desktop.ui.failures import describe
from desktop.ui.main_window import MainWindow
from desktop.ui.notifier import Notifier
from desktop.ui.page_context import Changes, PageContext
from desktop.ui.profile_menu import ProfileMenu
from desktop.ui.session import Session
from desktop.ui.signin_flow import SignInFlow
from desktop.ui.tasks import TaskOwner

if TYPE_CHECKING:
    from desktop.action_log import ActionLog
    from desktop.ui.about import AboutDialog

log = logging.getLogger(__name__)
SHUTDOWN_SECONDS = 20.0  # closing connections and the sandbox; then the app quits regardless


class AppController(QObject):
    """Owns the settings, the one live connection and every task; the window only shows."""

    connected = Signal(object)  # Connection
    disconnected = Signal()
    connect_failed = Signal(str)  # what the failure screen says
    closed = Signal()

    def __init__(
        self,
        window: MainWindow,
        connector: Connector,
        loaded: settings.Loaded,
        *,
        settings_path: Path | None = None,
        open_browser: Callable[[str], None],
        stop_sandbox: Callable[[], object] | None = None,
        apply_appearance: Callable[[str], None] | None = None,
        quit: Callable[[], None] | None = None,
        action_log: ActionLog | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.connector = connector
        self.settings: Settings = loaded.settings
        self.tasks = TaskOwner(self)
        self.tasks.failed.connect(self._task_failed)
        self._settings_path = settings_path
        self._stop_sandbox = stop_sandbox
        self._apply_appearance = apply_appearance
        self._quit = quit
        self._closing: asyncio.Task[None] | None = None
        self._keyring_looked_up = False
        self._startup_notice = notices.settings_notice(loaded)
        self.changes = Changes(self)
        self.action_log = action_log
        self.data_dir = data_dir
        self.notifier = Notifier(window.messages, window.windowIcon(), self)
        self.notifier.clicked.connect(self._notification_clicked)
        self.session = Session(self)
        connector.on_unsaved_tokens = self._tokens_unsaved
        self.signin = SignInFlow(self, open_browser)
        self.about: AboutDialog | None = None
        self.profile_menu = ProfileMenu(self)
        self._wire()

    # -- wiring -----------------------------------------------------------------------------
    def _wire(self) -> None:
        w = self.window
        actions = w.actions_
        w.welcome.sandbox_chosen.connect(self.use_sandbox)
        w.welcome.token_chosen.connect(lambda: self.signin.with_token(None))
        w.welcome.oauth_chosen.connect(lambda: self.signin.with_oauth(None))
        w.welcome.back_chosen.connect(self._back_to_connection)
        w.connecting.cancel_chosen.connect(self.session.cancel_connecting)
        w.connecting.retry_chosen.connect(self.session.retry)
        w.connecting.elsewhere_chosen.connect(self.add_profile)
        w.close_requested.connect(self.shutdown)
        actions.refresh.triggered.connect(self.session.refresh)
        actions.add_profile.triggered.connect(self.add_profile)
        actions.sign_out.triggered.connect(self.session.sign_out)
        actions.remove_profile.triggered.connect(self.profile_menu.confirm_remove)
        actions.edit_profile.triggered.connect(self.profile_menu.edit)
        actions.switch_profile.triggered.connect(self.profile_menu.popup)
        actions.quit.triggered.connect(w.close)
        actions.about.triggered.connect(self.show_about)
        for key, action in actions.appearance.items():
            action.triggered.connect(lambda _=False, k=key: self.set_appearance(k))
        w.page_changed.connect(self._page_changed)

    def show_about(self) -> None:
        from desktop.ui.about import AboutDialog  # loaded when first needed

        if self.about is None:
            self.about = AboutDialog(self.window)
        self.about.show()
        self.about.raise_()
        self.about.activateWindow()

    # -- start-up ---------------------------------------------------------------------------
    def start(self, *, sandbox: bool = False) -> None:
        """Show the window on the sandbox (``--sandbox``), the last profile, or the welcome."""
        w = self.window
        w.restore_layout(self.settings.window)
        self.set_appearance(self.settings.appearance, save=False)
        if self._startup_notice:
            w.messages.show_message("settings", self._startup_notice, "warning")
        active = profiles.active(self.settings)
        # Finding the keyring takes a while; the sandbox needs none, so it waits until the
        # sandbox shows its data (a profile with a sign-in looks it up as it connects anyway).
        if sandbox or (active is not None and active.kind == "sandbox"):
            self.connected.connect(self._look_up_keyring_once)
            self.connect_failed.connect(self._look_up_keyring_once)
        else:
            self._look_up_keyring_once()
        self.profile_menu.rebuild()
        w.show()
        if sandbox:
            self.use_sandbox()
            return
        if active is None:
            w.show_welcome()
        else:
            self.session.connect_profile(active)

    def _look_up_keyring_once(self, *_: object) -> None:
        if self._keyring_looked_up:
            return
        self._keyring_looked_up = True
        self.tasks.spawn(self._look_up_keyring(), self.tr("Looking for the system keyring"))

    async def _look_up_keyring(self) -> None:
        """Off the start-up path: without a keyring, say so before anyone signs in."""
        store = self.connector.secrets
        await store.ready()
        notice = notices.keyring_notice(store)
        if notice:
            self.window.messages.show_message("keyring", notice, "warning")

    # -- settings ---------------------------------------------------------------------------
    def update_settings(self, new: Settings) -> None:
        self.settings = new
        self.save_settings()
        self.profile_menu.rebuild()

    def save_settings(self) -> None:
        try:
            settings.save(self.settings, self._settings_path)
        except OSError as error:
            self.window.messages.show_message(
                "settings-save",
                self.tr(
                    "Settings could not be saved ({error}); changes last until you quit."
                ).format(error=error.strerror or type(error).__name__),
                "warning",
            )

    def set_appearance(self, appearance: str, *, save: bool = True) -> None:
        if appearance not in ("system", "light", "dark"):
            appearance = "system"
        self.window.actions_.appearance[appearance].setChecked(True)
        if self._apply_appearance is not None:
            self._apply_appearance(appearance)
        if save and appearance != self.settings.appearance:
            self.settings = msgspec.structs.replace(self.settings, appearance=appearance)
            self.save_settings()

    def _page_changed(self, key: str) -> None:
        window = msgspec.structs.replace(self.settings.window, last_page=key)
        self.settings = msgspec.structs.replace(self.settings, window=window)

    # -- connecting (the session does the work) ---------------------------------------------
    @property
    def connection(self) -> Connection | None:
        return self.session.connection

    def use_sandbox(self) -> None:
        """Try the sandbox: add the sandbox profile if needed, make it active, connect."""
        new = profiles.ensure_sandbox(self.settings)
        sandbox = next(p for p in new.profiles if p.kind == "sandbox")
        self.update_settings(profiles.switch(new, sandbox.id))
        self.session.connect_profile(sandbox)

    def switch_to(self, profile_id: str) -> None:
        profile = profiles.find(self.settings, profile_id)
        self.update_settings(profiles.switch(self.settings, profile_id))
        connection = self.session.connection
        if connection is not None and connection.profile.id == profile_id:
            self.window.show_connection(connection)
            return
        self.session.connect_profile(profile)

    def page_context(self, connection: Connection) -> PageContext:
        return PageContext(
            connection=connection,
            tasks=self.tasks,
            changes=self.changes,
            window=self.window,
            action_log=self.action_log,
            report=self.report,
            secrets=self.connector.secrets,
            data_dir=self.data_dir,
            notifier=self.notifier,
            settings=lambda: self.settings,
            update_settings=self.update_settings,
        )

    def _notification_clicked(self, key: str) -> None:
        """A tray notification was clicked: bring the window forward on the page it is about
        (notification keys start with the page's key, e.g. "webhooks:retrying:…")."""
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        page = key.split(":", 1)[0]
        if page:
            self.window.show_page(page)

    def connect_profile(self, profile: Profile) -> None:
        self.session.connect_profile(profile)

    def _back_to_connection(self) -> None:
        if self.session.connection is not None:
            self.window.show_connection(self.session.connection)

    def add_profile(self) -> None:
        """The welcome screen's three ways in, with a way back if something is connected."""
        self.window.show_welcome(can_go_back=self.session.connection is not None)

    # -- failures ---------------------------------------------------------------------------
    def _task_failed(self, what: str, error: object) -> None:
        if not isinstance(error, BaseException):
            return
        connection = self.session.connection
        if (
            isinstance(error, SignInRequired | Unauthenticated)
            and connection is not None
            and connection.profile.kind != "sandbox"
        ):
            self.session.sign_in_again(connection.profile)
            return
        self.report(what, error)

    def _tokens_unsaved(self) -> None:
        self.window.messages.show_message(
            "tokens-unsaved", notices.unsaved_tokens_notice(), "warning"
        )

    def report(self, what: str, error: BaseException) -> None:
        """A non-modal message naming what failed and what to do."""
        self.window.messages.show_message(f"failed:{what}", describe(what, error), "error")

    # -- shutdown ---------------------------------------------------------------------------
    async def _close_everything(self) -> None:
        await self.tasks.aclose()
        await self.session.aclose()
        if self._stop_sandbox is not None:
            await asyncio.to_thread(self._stop_sandbox)

    def shutdown(self) -> None:
        """Close for real: save, cancel tasks, close the connection, stop the sandbox, quit."""
        if self._closing is None:
            self._closing = asyncio.get_event_loop().create_task(self._shutdown())

    async def _shutdown(self) -> None:
        try:
            self.settings = msgspec.structs.replace(
                self.settings, window=self.window.saved_layout()
            )
            self.save_settings()
            self.window.hide()  # closing feels instant; the clean-up below runs unseen
            self.signin.close()
            # The pages let go first (their loads, the webhook watch and receiver stop), so
            # nothing asks Calendly through a connection that is closing.
            self.window.clear_connection()
            await asyncio.wait_for(self._close_everything(), SHUTDOWN_SECONDS)
        except Exception:
            log.exception("shutting down")
        finally:
            self.window.allow_close = True
            self.window.close()
            self.closed.emit()
            if self._quit is not None:
                self._quit()
