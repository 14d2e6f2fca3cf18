"""The one live connection: connect, switch, cancel, refresh, sign out, remove — in order.

Every user decision (connect a profile, cancel, sign out, remove) starts a new *generation*;
work from an older generation that finishes late (a slow connect, a revocation) never touches
the screen or keeps a connection: the window always shows what the user asked for last.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop import profiles
from desktop.api.errors import SignInRequired, Unauthenticated
from desktop.connection.connector import Connection
from desktop.connection.identity import identify
from desktop.profiles import Profile
from desktop.ui import notices
from desktop.ui.failures import describe

if TYPE_CHECKING:
    from desktop.ui.controller import AppController

log = logging.getLogger(__name__)


class Session(QObject):
    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self._controller = controller
        self.connection: Connection | None = None
        self._generation = 0
        self._connecting: asyncio.Task[None] | None = None
        self._connecting_profile: Profile | None = None

    # -- generations --------------------------------------------------------------------------
    def _begin(self) -> int:
        """A new user decision: work still running for an older one is abandoned."""
        self._generation += 1
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
        self._connecting = None
        self._connecting_profile = None
        return self._generation

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    def _release(self) -> None:
        """Let go of the live connection now (the window forgets it; closing runs behind)."""
        old, self.connection = self.connection, None
        if old is None:
            return
        controller = self._controller
        controller.window.clear_connection()
        controller.tasks.spawn(old.aclose(), self.tr("Closing the connection"))
        controller.disconnected.emit()

    @property
    def connecting_profile(self) -> Profile | None:
        return self._connecting_profile

    # -- connecting -------------------------------------------------------------------------
    def connect_profile(self, profile: Profile) -> None:
        generation = self._begin()
        self._release()
        self._controller.window.show_connecting(profile)
        self._connecting_profile = profile
        self._connecting = self._controller.tasks.spawn(
            self._connect(profile, generation),
            self.tr("Connecting to {name}").format(name=profile.name),
        )

    async def _connect(self, profile: Profile, generation: int) -> None:
        controller = self._controller
        window = controller.window
        try:
            connection = await controller.connector.connect(profile)
        except (SignInRequired, Unauthenticated):
            if self._current(generation):
                self._connecting_profile = None
                controller.signin.again(profile)
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if self._current(generation):
                self._connecting_profile = None
                log.warning("connecting %s failed: %s", profile.id, type(error).__name__)
                what = self.tr("Connecting to {name}").format(name=profile.name)
                text = describe(what, error)
                window.show_failure(text)
                controller.connect_failed.emit(text)
            return
        known = any(p.id == profile.id for p in controller.settings.profiles)
        if not self._current(generation) or not known:
            await connection.aclose()  # the user has moved on (or removed the profile)
            return
        self._connecting_profile = None
        self.connection = connection  # before any await: a cancel cannot leak it
        identity = connection.identity
        controller.update_settings(
            profiles.update_identity(
                controller.settings,
                profile.id,
                organization_uri=identity.organization_uri,
                organization_name=identity.organization_name,
                user_uri=identity.user_uri,
                user_name=identity.user_name,
            )
        )
        connection.client.budget.subscribe(window.status.set_budget)
        window.bind_pages(controller.page_context(connection))
        window.messages.dismiss_prefix("failed:")
        # Switch to the pages only if the user is waiting for them (not if they went on to
        # add another profile meanwhile: the welcome screen's Back button leads here).
        if window.screens.currentWidget() is window.connecting:
            window.show_connection(connection)
        else:
            window.update_connection(connection)
        window.status.set_budget(connection.client.rate_limit())
        controller.connected.emit(connection)

    def cancel_connecting(self) -> None:
        """The connecting screen's Cancel."""
        profile = self._connecting_profile
        if profile is None:
            return
        self._begin()
        self._controller.window.show_failure(
            self.tr("Connecting to {name} was cancelled.").format(name=profile.name)
        )

    def retry(self) -> None:
        active = profiles.active(self._controller.settings)
        if active is None:
            self._controller.window.show_welcome()
        else:
            self.connect_profile(active)

    def sign_in_again(self, profile: Profile) -> None:
        """The saved sign-in stopped working: keep the profile, ask for credentials."""
        self._begin()
        self._release()
        self._controller.signin.again(profile)

    # -- the live connection ----------------------------------------------------------------
    def refresh(self) -> None:
        connection = self.connection
        if connection is None:
            self.retry()
            return
        controller = self._controller
        controller.tasks.spawn(self._refresh(connection), self.tr("Refreshing"))
        controller.window.current_page.refresh()

    async def _refresh(self, connection: Connection) -> None:
        identity = await identify(connection.client)
        if self.connection is not connection:
            return
        connection.identity = identity
        window = self._controller.window
        window.update_connection(connection)
        window.messages.dismiss_prefix("failed:")
        window.status.set_budget(connection.client.rate_limit())

    def sign_out(self) -> None:
        """Revoke and forget the active profile's tokens; the profile stays."""
        controller = self._controller
        profile = profiles.active(controller.settings)
        if profile is None or profile.kind == "sandbox":
            return
        generation = self._begin()
        self._release()
        controller.window.show_busy(self.tr("Signing out of {name}…").format(name=profile.name))
        controller.tasks.spawn(
            self._sign_out(profile, generation),
            self.tr("Signing out of {name}").format(name=profile.name),
        )

    async def _sign_out(self, profile: Profile, generation: int) -> None:
        controller = self._controller
        try:
            notice = await controller.connector.sign_out(profile)
        finally:
            if self._current(generation):
                controller.window.show_failure(
                    self.tr(
                        "Signed out of {name}. The profile is kept: sign in again, "
                        "or choose another way in."
                    ).format(name=profile.name),
                    retry_text=self.tr("&Sign In Again"),
                )
        if notice:
            controller.window.messages.show_message(
                "sign-out", notices.revocation_notice(notice), "warning"
            )

    async def remove(self, profile: Profile) -> None:
        """Sign out, delete the profile's keyring entries, drop it; connect the next one."""
        controller = self._controller
        live = self.connection.profile.id if self.connection is not None else None
        connecting = self._connecting_profile.id if self._connecting_profile else None
        active = profiles.active(controller.settings)
        generation = self._generation
        if profile.id in (live, connecting, active.id if active else None):
            generation = self._begin()
            self._release()
            controller.window.show_busy(
                self.tr("Removing the profile {name}…").format(name=profile.name)
            )
        notice = await controller.connector.forget(profile)
        if notice:
            controller.window.messages.show_message(
                "sign-out", notices.revocation_notice(notice), "warning"
            )
        controller.update_settings(profiles.remove(controller.settings, profile.id))
        controller.window.messages.show_message(
            "profile-removed",
            self.tr("Removed the profile {name} and its saved sign-in.").format(name=profile.name),
        )
        if not self._current(generation):
            return  # the user chose something else meanwhile
        active = profiles.active(controller.settings)
        if active is None:
            controller.window.show_welcome()
        elif self.connection is None or self.connection.profile.id != active.id:
            self.connect_profile(active)

    async def aclose(self) -> None:
        self._begin()
        old, self.connection = self.connection, None
        if old is not None:
            await old.aclose()
