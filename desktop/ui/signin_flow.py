"""Sign-in dialogs as the controller uses them: new profiles, and signing in again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from desktop import profiles
from desktop.profiles import CALENDLY_API, Profile, ProfileError
from desktop.settings import Settings

if TYPE_CHECKING:
    from desktop.ui.controller import AppController
    from desktop.ui.signin.oauth_dialog import OAuthDialog
    from desktop.ui.signin.results import OAuthSignIn, TokenSignIn
    from desktop.ui.signin.token_dialog import TokenDialog


class SignInFlow(QObject):
    """Opens the token or OAuth dialog (never blocking) and turns its result into a profile."""

    def __init__(self, controller: AppController, open_browser: Callable[[str], None]) -> None:
        super().__init__(controller)
        self._controller = controller
        self._open_browser = open_browser
        self.dialog: QDialog | None = None

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None

    def again(self, profile: Profile, reason: str) -> None:
        """A saved sign-in stopped working: keep the profile, ask for credentials again."""
        window = self._controller.window
        window.show_failure(
            self.tr("Sign-in needed for {name}: {reason}").format(name=profile.name, reason=reason)
        )
        if profile.kind == "token":
            self.with_token(profile, reason)
        elif profile.kind == "oauth":
            self.with_oauth(profile, reason)

    def _taken(self, existing: Profile | None) -> list[str]:
        return [
            p.name
            for p in self._controller.settings.profiles
            if existing is None or p.id != existing.id
        ]

    def with_token(self, existing: Profile | None, reason: str = "") -> TokenDialog:
        from desktop.ui.signin.token_dialog import TokenDialog  # loaded when first needed

        self.close()
        window = self._controller.window
        dialog = TokenDialog(
            window,
            base_url=(existing.base_url if existing else None) or CALENDLY_API,
            name=existing.name if existing else _unique_name(self._controller.settings, "Calendly"),
            taken_names=self._taken(existing),
            message=reason,
        )
        dialog.accepted.connect(lambda: self._token_done(dialog, existing))
        self.dialog = dialog
        dialog.open()
        return dialog

    def with_oauth(self, existing: Profile | None, reason: str = "") -> OAuthDialog:
        from desktop.ui.signin.oauth_dialog import OAuthDialog  # loaded when first needed

        self.close()
        dialog = OAuthDialog(
            self._controller.window,
            open_browser=self._open_browser,
            name=existing.name if existing else _unique_name(self._controller.settings, "Calendly"),
            client_id=(existing.oauth_client_id or "") if existing else "",
            authorize_url=(existing.oauth_authorize_url if existing else None)
            or profiles.CALENDLY_AUTHORIZE_URL,
            token_url=(existing.oauth_token_url if existing else None)
            or profiles.CALENDLY_TOKEN_URL,
            base_url=(existing.base_url if existing else None) or CALENDLY_API,
            taken_names=self._taken(existing),
            message=reason,
        )
        dialog.accepted.connect(lambda: self._oauth_done(dialog, existing))
        dialog.use_token_instead.connect(
            lambda: self.with_token(existing if existing and existing.kind == "token" else None)
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def _token_done(self, dialog: TokenDialog, existing: Profile | None) -> None:
        self.dialog = None
        result: TokenSignIn | None = dialog.sign_in_result
        if result is None:
            return
        controller = self._controller
        if existing is None:
            profile = profiles.make_profile(
                controller.settings,
                name=_unique_name(controller.settings, result.name),
                kind="token",
                base_url=result.base_url,
            )
        else:
            profile = existing

        async def store() -> None:
            await controller.connector.save_personal_token(profile.id, result.token)
            self._activate(profile, is_new=existing is None)

        controller.tasks.spawn(store(), self.tr("Saving the sign-in"))

    def _oauth_done(self, dialog: OAuthDialog, existing: Profile | None) -> None:
        self.dialog = None
        result: OAuthSignIn | None = dialog.sign_in_result
        if result is None:
            return
        controller = self._controller
        if existing is None:
            profile = profiles.make_profile(
                controller.settings,
                name=_unique_name(controller.settings, result.name),
                kind="oauth",
                base_url=result.base_url,
                oauth_client_id=result.settings.client_id,
                oauth_authorize_url=result.settings.authorize_url,
                oauth_token_url=result.settings.token_url,
            )
        else:
            profile = existing

        async def store() -> None:
            await controller.connector.save_oauth(profile.id, result.tokens)
            self._activate(profile, is_new=existing is None)

        controller.tasks.spawn(store(), self.tr("Saving the sign-in"))

    def _activate(self, profile: Profile, *, is_new: bool) -> None:
        controller = self._controller
        settings = controller.settings
        if is_new:
            settings = profiles.add(settings, profile)
        controller.update_settings(profiles.switch(settings, profile.id))
        controller.connect_profile(profile)


def _unique_name(settings: Settings, wanted: str) -> str:
    base = " ".join(wanted.split()) or "Calendly"
    name, suffix = base, 2
    while True:
        try:
            profiles.make_profile(settings, name=name, kind="sandbox")
        except ProfileError as error:
            if error.field != "name":
                raise
            name = f"{base} {suffix}"
            suffix += 1
            continue
        return name
