"""Sign-in dialogs as the controller uses them: new profiles, and signing in again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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

    def _keep(self, dialog: QDialog) -> None:
        """The open dialog, until it closes; then it is deleted (dialogs do not pile up)."""
        self.dialog = dialog

        def finished() -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)

    def again(self, profile: Profile) -> None:
        """A saved sign-in is missing or stopped working: keep the profile, ask again."""
        window = self._controller.window
        if profile.kind == "token":
            reason = self.tr(
                "Calendly did not accept the saved personal access token (or none is saved)."
            )
        elif profile.kind == "oauth":
            reason = self.tr("The sign-in has expired or was revoked (or none is saved).")
        else:
            reason = self.tr("The sandbox refused its own sign-in; restart the app.")
        window.show_failure(
            self.tr("Sign-in needed for {name}: {reason}").format(name=profile.name, reason=reason),
            retry_text=self.tr("&Sign In Again"),
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
        self._keep(dialog)
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
        self._keep(dialog)
        dialog.use_token_instead.connect(lambda: self.with_token(None))
        dialog.open()
        return dialog

    def _token_done(self, dialog: TokenDialog, existing: Profile | None) -> None:
        if dialog.sign_in_result is not None:
            self._signed_in(existing, dialog.sign_in_result)

    def _oauth_done(self, dialog: OAuthDialog, existing: Profile | None) -> None:
        if dialog.sign_in_result is not None:
            self._signed_in(existing, dialog.sign_in_result)

    def _signed_in(self, existing: Profile | None, result: TokenSignIn | OAuthSignIn) -> None:
        """A new profile, or the same one signed in again (perhaps with edited values)."""
        from desktop.ui.signin.results import OAuthSignIn

        oauth = result.settings if isinstance(result, OAuthSignIn) else None
        where = {
            "oauth_client_id": oauth.client_id if oauth else None,
            "oauth_authorize_url": oauth.authorize_url if oauth else None,
            "oauth_token_url": oauth.token_url if oauth else None,
        }
        settings = self._controller.settings
        if existing is None:
            profile = profiles.make_profile(
                settings,
                name=_unique_name(settings, result.name),
                kind="oauth" if oauth else "token",
                base_url=result.base_url,
                **where,
            )
        else:
            profile = existing

        def apply(current: Settings) -> Settings:
            if existing is None:
                return profiles.add(current, profile)
            return profiles.update_sign_in(
                current, existing.id, name=result.name, base_url=result.base_url, **where
            )

        connector = self._controller.connector

        async def save() -> None:
            if isinstance(result, OAuthSignIn):
                await connector.save_oauth(profile.id, result.tokens)
            else:
                await connector.save_personal_token(profile.id, result.token)

        self._adopt(profile.id, apply, save)

    def _adopt(
        self,
        profile_id: str,
        apply: Callable[[Settings], Settings],
        save: Callable[[], Awaitable[None]],
    ) -> None:
        """Keep the checked credentials (keyring first), then add or update the profile and
        connect it: a profile never exists without its sign-in."""
        controller = self._controller

        async def store() -> None:
            await save()
            updated = apply(controller.settings)
            controller.update_settings(profiles.switch(updated, profile_id))
            controller.connect_profile(profiles.find(controller.settings, profile_id))

        controller.tasks.spawn(store(), self.tr("Saving the sign-in"))


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
