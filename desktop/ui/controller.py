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
from desktop.api.errors import SignInRequired
from desktop.connection.connector import Connection, Connector
from desktop.connection.identity import identify
from desktop.profiles import Profile
from desktop.settings import Settings
from desktop.ui.failures import describe
from desktop.ui.main_window import MainWindow
from desktop.ui.profile_menu import ProfileMenu
from desktop.ui.signin_flow import SignInFlow
from desktop.ui.tasks import TaskOwner

if TYPE_CHECKING:
    from desktop.ui.about import AboutDialog

log = logging.getLogger(__name__)


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
    ) -> None:
        super().__init__(window)
        self.window = window
        self.connector = connector
        self.settings: Settings = loaded.settings
        self.connection: Connection | None = None
        self.tasks = TaskOwner(self)
        self.tasks.failed.connect(self._task_failed)
        self._settings_path = settings_path
        self._stop_sandbox = stop_sandbox
        self._apply_appearance = apply_appearance
        self._quit = quit
        self._connecting: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self._startup_notice = loaded.notice
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
        w.connecting.cancel_chosen.connect(self._cancel_connecting)
        w.connecting.retry_chosen.connect(self._retry)
        w.connecting.elsewhere_chosen.connect(self.add_profile)
        w.close_requested.connect(self.shutdown)
        actions.refresh.triggered.connect(self.refresh)
        actions.add_profile.triggered.connect(self.add_profile)
        actions.sign_out.triggered.connect(self.sign_out)
        actions.remove_profile.triggered.connect(self.profile_menu.confirm_remove)
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
        self.tasks.spawn(self._look_up_keyring(), self.tr("Looking for the system keyring"))
        self.profile_menu.rebuild()
        w.show()
        if sandbox:
            self.use_sandbox()
            return
        active = profiles.active(self.settings)
        if active is None:
            w.show_welcome()
        else:
            self.connect_profile(active)

    async def _look_up_keyring(self) -> None:
        """Off the start-up path: without a keyring, say so before anyone signs in."""
        store = self.connector.secrets
        await store.ready()
        notice = store.notice
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

    # -- connecting -------------------------------------------------------------------------
    def use_sandbox(self) -> None:
        """Try the sandbox: add the sandbox profile if needed, make it active, connect."""
        new = profiles.ensure_sandbox(self.settings)
        sandbox = next(p for p in new.profiles if p.kind == "sandbox")
        self.update_settings(profiles.switch(new, sandbox.id))
        self.connect_profile(sandbox)

    def switch_to(self, profile_id: str) -> None:
        profile = profiles.find(self.settings, profile_id)
        if self.connection is not None and self.connection.profile.id == profile_id:
            self.window.show_connection(self.connection)
            return
        self.update_settings(profiles.switch(self.settings, profile_id))
        self.connect_profile(profile)

    def connect_profile(self, profile: Profile) -> None:
        self._cancel_connecting()
        self.window.show_connecting(profile)
        self._connecting = self.tasks.spawn(
            self._connect(profile), self.tr("Connecting to {name}").format(name=profile.name)
        )

    async def _connect(self, profile: Profile) -> None:
        try:
            connection = await self.connector.connect(profile)
        except SignInRequired as error:
            await self._drop_connection()
            self.signin.again(profile, error.message)
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("connecting %s failed: %s", profile.id, type(error).__name__)
            text = describe(self.tr("Connecting to {name}").format(name=profile.name), error)
            self.window.show_failure(text)
            self.connect_failed.emit(text)
            return
        await self._drop_connection()
        self.connection = connection
        identity = connection.identity
        self.update_settings(
            profiles.update_identity(
                self.settings,
                profile.id,
                organization_uri=identity.organization_uri,
                organization_name=identity.organization_name,
                user_uri=identity.user_uri,
                user_name=identity.user_name,
            )
        )
        connection.client.budget.subscribe(self.window.status.set_budget)
        self.window.messages.dismiss("connection")
        self.window.show_connection(connection)
        self.window.status.set_budget(connection.client.rate_limit())
        self.connected.emit(connection)

    async def _drop_connection(self) -> None:
        old, self.connection = self.connection, None
        if old is not None:
            self.window.clear_connection()
            await old.aclose()
            self.disconnected.emit()

    def _cancel_connecting(self) -> None:
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            active = profiles.active(self.settings)
            if self.connection is not None:
                self.window.show_connection(self.connection)
            else:
                self.window.show_failure(
                    self.tr("Connecting to {name} was cancelled.").format(
                        name=active.name if active else ""
                    )
                )
        self._connecting = None

    def _retry(self) -> None:
        active = profiles.active(self.settings)
        if active is None:
            self.window.show_welcome()
        else:
            self.connect_profile(active)

    def _back_to_connection(self) -> None:
        if self.connection is not None:
            self.window.show_connection(self.connection)

    def add_profile(self) -> None:
        """The welcome screen's three ways in, with a way back if something is connected."""
        self.window.show_welcome(can_go_back=self.connection is not None)

    # -- actions on the live connection -----------------------------------------------------
    def refresh(self) -> None:
        connection = self.connection
        if connection is None:
            self._retry()
            return
        self.tasks.spawn(self._refresh(connection), self.tr("Refreshing"))
        self.window.current_page.refresh()

    async def _refresh(self, connection: Connection) -> None:
        try:
            identity = await identify(connection.client)
        except SignInRequired as error:
            await self._drop_connection()
            self.signin.again(connection.profile, error.message)
            return
        if self.connection is connection:
            connection.identity = identity
            self.window.show_connection(connection)
            self.window.status.set_budget(connection.client.rate_limit())

    def sign_out(self) -> None:
        profile = profiles.active(self.settings)
        if profile is None:
            return
        self._cancel_connecting()
        self.tasks.spawn(
            self._sign_out(profile), self.tr("Signing out of {name}").format(name=profile.name)
        )

    async def _sign_out(self, profile: Profile) -> None:
        await self._drop_connection()
        notice = await self.connector.sign_out(profile)
        if notice:
            self.window.messages.show_message("sign-out", notice, "warning")
        self.window.show_failure(
            self.tr(
                "Signed out of {name}. The profile is kept: sign in again, "
                "or choose another way in."
            ).format(name=profile.name)
        )

    async def remove(self, profile: Profile) -> None:
        """Sign out, delete the profile's keyring entries, drop it; connect the next one."""
        if self.connection is not None and self.connection.profile.id == profile.id:
            self._cancel_connecting()
            await self._drop_connection()
        notice = await self.connector.forget(profile)
        if notice:
            self.window.messages.show_message("sign-out", notice, "warning")
        self.update_settings(profiles.remove(self.settings, profile.id))
        self.window.messages.show_message(
            "profile-removed",
            self.tr("Removed the profile {name} and its saved sign-in.").format(name=profile.name),
        )
        active = profiles.active(self.settings)
        if active is None:
            self.window.show_welcome()
        elif self.connection is None or self.connection.profile.id != active.id:
            self.connect_profile(active)

    # -- failures ---------------------------------------------------------------------------
    def _task_failed(self, what: str, error: object) -> None:
        if not isinstance(error, BaseException):
            return
        if isinstance(error, SignInRequired) and self.connection is not None:
            profile = self.connection.profile
            self.tasks.spawn(self._sign_in_again(profile, error.message), what)
            return
        self.report(what, error)

    async def _sign_in_again(self, profile: Profile, reason: str) -> None:
        await self._drop_connection()
        self.signin.again(profile, reason)

    def report(self, what: str, error: BaseException) -> None:
        """A non-modal message naming what failed and what to do."""
        self.window.messages.show_message(f"failed:{what}", describe(what, error), "error")

    # -- shutdown ---------------------------------------------------------------------------
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
            self.signin.close()
            await self.tasks.aclose()
            await self._drop_connection()
            if self._stop_sandbox is not None:
                await asyncio.to_thread(self._stop_sandbox)
        except Exception:
            log.exception("shutting down")
        finally:
            self.window.allow_close = True
            self.window.close()
            self.closed.emit()
            if self._quit is not None:
                self._quit()
