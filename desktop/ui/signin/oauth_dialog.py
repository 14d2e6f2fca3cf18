"""Sign in with Calendly OAuth in the system browser (PKCE, loopback redirect), never embedded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.auth import TokenPair
from desktop.api.errors import CalendlyError
from desktop.connection.token_check import (
    CredentialProblem,
    check_access_token,
    clean_url,
    describe_oauth_error,
    oauth_settings,
    revoke_quietly,
)
from desktop.oauth.flow import OAuthSettings
from desktop.oauth.signin import sign_in
from desktop.profiles import CALENDLY_API, CALENDLY_AUTHORIZE_URL, CALENDLY_TOKEN_URL
from desktop.ui.signin.base import SignInDialog, SignInJob
from desktop.ui.signin.form import AdvancedSection, line_edit, link_label
from desktop.ui.signin.results import OAuthSignIn

log = logging.getLogger(__name__)

# The app passes a function calling QDesktopServices.openUrl; False means it did not open.
OpenBrowser = Callable[[str], object]
DEVELOPER_PORTAL = "https://developer.calendly.com"


class OAuthDialog(SignInDialog[OAuthSignIn]):
    """Profile name, Client ID, Advanced: authorize/token/API URLs; "Sign in with browser".

    On success ``sign_in_result`` holds an ``OAuthSignIn``, ``signed_in`` is emitted with it
    and the dialog is accepted. ``use_token_instead`` is emitted (and the dialog rejected)
    when the user picks a personal access token instead. Show it with ``open()``.
    """

    use_token_instead = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        open_browser: OpenBrowser,
        timeout: float = 300.0,
        name: str = "Calendly",
        client_id: str = "",
        authorize_url: str = CALENDLY_AUTHORIZE_URL,
        token_url: str = CALENDLY_TOKEN_URL,
        base_url: str = CALENDLY_API,
        taken_names: Collection[str] = (),
        message: str = "",
    ) -> None:
        super().__init__(parent, taken_names)
        self._open_browser = open_browser
        self._timeout = timeout
        self.setWindowTitle(self.tr("Sign in with Calendly in your browser"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self._build_form(layout, name, client_id)
        self._build_advanced(layout, authorize_url, token_url, base_url)
        self._build_waiting(layout)
        self._build_buttons(layout)
        if message:
            self._show_general(message)
        (self.client_id_edit if not client_id else self.sign_in_button).setFocus()

    # -- layout ------------------------------------------------------------------------------
    def _build_form(self, layout: QVBoxLayout, name: str, client_id: str) -> None:
        intro = QLabel(
            self.tr(
                "Your web browser opens Calendly's sign-in page; after you allow access, "
                "Calendly Console stores the sign-in in your system's keyring."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self._name_row(form, name)
        self.client_id_edit = line_edit(
            client_id,
            self.tr("Client ID"),
            self.tr("The Client ID of your app's registration in the Calendly developer portal."),
        )
        self.client_id_message = self._field_row(
            "client_id", form, self.tr("C&lient ID:"), self.client_id_edit
        )
        layout.addLayout(form)
        client_help = link_label(
            self.tr(
                'The Client ID comes from your app\'s registration in the <a href="{url}">'
                "Calendly developer portal</a>. Register it as a native app: Calendly Console "
                "signs in with PKCE and keeps no client secret."
            ).format(url=DEVELOPER_PORTAL),
            self.tr("Where the Client ID comes from"),
        )
        layout.addWidget(client_help)
        caveat = QLabel(
            self.tr(
                "Calendly sends your browser back to this app at "
                "<code>http://127.0.0.1:&lt;port&gt;/callback</code>, on a port chosen for each "
                "sign-in. Calendly's production apps may require HTTPS redirect URIs; if your "
                "app registration refuses this address, use a personal access token instead."
            )
        )
        caveat.setWordWrap(True)
        caveat.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(caveat)
        self.token_instead_button = QPushButton(self.tr("Use a personal access &token instead"))
        self.token_instead_button.setAccessibleName(self.tr("Use a personal access token instead"))
        self.token_instead_button.setAccessibleDescription(
            self.tr("Closes this dialog and opens the personal access token sign-in.")
        )
        self.token_instead_button.clicked.connect(self._token_instead)
        row = QHBoxLayout()
        row.addWidget(self.token_instead_button)
        row.addStretch(1)
        layout.addLayout(row)

    def _build_advanced(
        self, layout: QVBoxLayout, authorize_url: str, token_url: str, base_url: str
    ) -> None:
        self.advanced = AdvancedSection()
        form = self.advanced.form
        self.authorize_url_edit = line_edit(
            authorize_url, self.tr("Authorization URL"), self.tr("Calendly's OAuth authorize page.")
        )
        self.authorize_url_message = self._field_row(
            "authorize_url", form, self.tr("A&uthorization URL:"), self.authorize_url_edit
        )
        self.token_url_edit = line_edit(
            token_url, self.tr("Token URL"), self.tr("Calendly's OAuth token endpoint.")
        )
        self.token_url_message = self._field_row(
            "token_url", form, self.tr("Tok&en URL:"), self.token_url_edit
        )
        self._base_url_row(form, base_url)
        layout.addWidget(self.advanced)
        self._status_rows(layout)

    def _build_waiting(self, layout: QVBoxLayout) -> None:
        self.waiting = QWidget()
        column = QVBoxLayout(self.waiting)
        column.setContentsMargins(0, 0, 0, 0)
        self.waiting_label = QLabel(self.tr("Waiting for you to finish in the browser…"))
        self.waiting_label.setWordWrap(True)
        column.addWidget(self.waiting_label)
        hint = QLabel(self.tr("If your browser did not open, copy this link into it:"))
        hint.setWordWrap(True)
        column.addWidget(hint)
        self.url_edit = QLineEdit()
        self.url_edit.setReadOnly(True)
        self.url_edit.setAccessibleName(self.tr("Sign-in link"))
        self.url_edit.setAccessibleDescription(self.tr("The address to open in your browser."))
        hint.setBuddy(self.url_edit)
        column.addWidget(self.url_edit)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Co&py link"))
        self.copy_button.setAccessibleName(self.tr("Copy link"))
        self.copy_button.clicked.connect(self._copy_link)
        self.reopen_button = QPushButton(self.tr("&Open browser again"))
        self.reopen_button.setAccessibleName(self.tr("Open browser again"))
        self.reopen_button.clicked.connect(lambda: self._open(self.url_edit.text()))
        self.cancel_sign_in_button = QPushButton(self.tr("&Cancel sign-in"))
        self.cancel_sign_in_button.setAccessibleName(self.tr("Cancel sign-in"))
        self.cancel_sign_in_button.setAccessibleDescription(
            self.tr("Stops waiting for the browser; the settings above stay as they are.")
        )
        self.cancel_sign_in_button.clicked.connect(self._cancel_sign_in)
        for button in (self.copy_button, self.reopen_button, self.cancel_sign_in_button):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.waiting.setVisible(False)
        layout.addWidget(self.waiting)
        layout.addStretch(1)

    def _build_buttons(self, layout: QVBoxLayout) -> None:
        self._button_row(
            layout,
            self.tr("&Sign in with browser"),
            self.tr("Sign in with browser"),
            self.tr("Opens Calendly's sign-in page in your web browser."),
        )

    # -- signing in ------------------------------------------------------------------------
    @property
    def waiting_for_browser(self) -> bool:
        return self.waiting.isVisible()

    def _own_inputs(self) -> tuple[QWidget, ...]:
        return (self.client_id_edit, self.token_instead_button)

    def _job(self, name: str) -> SignInJob:
        settings = oauth_settings(
            self.client_id_edit.text(),
            self.authorize_url_edit.text(),
            self.token_url_edit.text(),
        )
        base_url = clean_url(self.base_url_edit.text())
        return SignInJob(
            self._sign_in(name, base_url, settings),
            self.tr("Opening Calendly's sign-in page in your browser…"),
            self.tr("Signing in"),
        )

    async def _sign_in(self, name: str, base_url: str, settings: OAuthSettings) -> None:
        tokens: TokenPair | None = None
        problem: CredentialProblem | None = None
        try:
            tokens = await sign_in(settings, self._opened, self._timeout)
            if not self._closed:
                self.waiting.setVisible(False)
                self.busy.start(self.tr("Signed in. Loading your account and organization…"))
            identity = await check_access_token(base_url, tokens.access_token, origin="oauth")
        except CredentialProblem as error:
            problem = error
        except CalendlyError as error:  # every sign-in failure, and an unreachable server
            problem = describe_oauth_error(error, settings)
        except asyncio.CancelledError:
            if tokens is not None:  # closed while loading the account
                self._tasks.spawn(revoke_quietly(settings, tokens), self.tr("Revoking"))
            if not self._closed:  # "Cancel sign-in": the loopback port is closed by now
                problem = describe_oauth_error(asyncio.CancelledError())
                self._set_busy(False)
                self._show_problem(problem)
            raise
        finally:
            if not self._closed:
                self._set_busy(False)
        if problem is not None:
            if tokens is not None:  # a grant that will not be used is withdrawn
                self._tasks.spawn(revoke_quietly(settings, tokens), self.tr("Revoking"))
            if not self._closed:
                self._show_problem(problem)
            return
        if self._closed:
            return
        assert tokens is not None
        self._finish(OAuthSignIn(name, base_url, settings, tokens, identity))

    def _opened(self, url: str) -> None:
        """``sign_in`` built the authorization URL: show it, then open the browser on it."""
        self.url_edit.setText(url)
        self.url_edit.setCursorPosition(0)
        self.busy.stop()
        self.waiting.setVisible(True)
        self._open(url)

    def _open(self, url: str) -> None:
        try:
            opened = self._open_browser(url)
        except Exception:  # a missing browser must not end the sign-in: the link is shown
            log.warning("Opening the system browser failed", exc_info=True)
            opened = False
        if opened is False:
            text = self.tr("Your browser did not open. Waiting for you to use the link below…")
        else:
            text = self.tr("Waiting for you to finish in the browser…")
        self.waiting_label.setText(text)

    def _copy_link(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.url_edit.text())

    def _cancel_sign_in(self) -> None:
        self._tasks.cancel_all()

    def _token_instead(self) -> None:
        self.use_token_instead.emit()
        self.reject()

    def _set_busy(self, busy: bool, status: str = "") -> None:
        super()._set_busy(busy, status)
        if not busy:
            self.waiting.setVisible(False)  # the browser is no longer awaited
