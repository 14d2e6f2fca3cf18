"""Sign in with a pasted personal access token, checked with ``GET /users/me`` before it is kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from desktop.connection.identity import Identity
from desktop.connection.token_check import (
    CredentialProblem,
    check_personal_token,
    clean_token,
    clean_url,
)
from desktop.profiles import CALENDLY_API
from desktop.ui.signin.base import SignInDialog, SignInJob
from desktop.ui.signin.form import AdvancedSection, line_edit, link_label
from desktop.ui.signin.results import TokenSignIn

TokenCheck = Callable[[str, str], Awaitable[Identity]]  # (base_url, token) -> Identity
TOKENS_PAGE = "https://calendly.com/integrations/api_webhooks"


class TokenDialog(SignInDialog[TokenSignIn]):
    """Profile name, token (hidden, with Show), Advanced: API base URL; Sign in checks the token.

    On success ``sign_in_result`` holds a ``TokenSignIn``, ``signed_in`` is emitted with it and
    the dialog is accepted. Problems appear next to the field they concern; nothing typed is
    lost. Show it with ``open()``.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        check: TokenCheck = check_personal_token,
        name: str = "Calendly",
        base_url: str = CALENDLY_API,
        taken_names: Collection[str] = (),
        message: str = "",
    ) -> None:
        super().__init__(parent, taken_names)
        self._check = check
        self.setWindowTitle(self.tr("Sign in with a personal access token"))
        self.setMinimumWidth(520)
        self._build(name, base_url)
        if message:
            self._show_general(message)

    # -- layout ------------------------------------------------------------------------------
    def _build(self, name: str, base_url: str) -> None:
        layout = QVBoxLayout(self)
        help_text = link_label(
            self.tr(
                "Create a personal access token in Calendly under <b>Integrations &amp; apps → "
                'API and webhooks</b> (<a href="{url}">open the page</a>). Give it at least the '
                "<code>users:read</code> scope (and <code>organizations:read</code> to see your "
                "organization and role), plus the scopes of the pages you will use. "
                "The token is checked with Calendly, then stored in your system's keyring, "
                "never in a settings file."
            ).format(url=TOKENS_PAGE),
            self.tr("Where to create a personal access token"),
        )
        layout.addWidget(help_text)

        form = QFormLayout()
        self._name_row(form, name)
        self.token_edit = line_edit("", self.tr("Personal access token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Paste the token here"))
        self.show_token = QCheckBox(self.tr("S&how"))
        self.show_token.setAccessibleName(self.tr("Show token"))
        self.show_token.setAccessibleDescription(self.tr("Shows the token instead of dots."))
        self.show_token.toggled.connect(self._show_token_toggled)
        self.token_message = self._field_row(
            "token", form, self.tr("Personal access &token:"), self.token_edit, self.show_token
        )
        layout.addLayout(form)

        self.advanced = AdvancedSection()
        self._base_url_row(self.advanced.form, base_url)
        layout.addWidget(self.advanced)
        self._status_rows(layout)
        layout.addStretch(1)
        self._button_row(
            layout,
            self.tr("&Sign in"),
            self.tr("Sign in"),
            self.tr("Checks the token with Calendly and adds the profile."),
        )
        self.token_edit.setFocus()

    def _show_token_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.token_edit.setEchoMode(mode)

    # -- signing in ------------------------------------------------------------------------
    @property
    def checking(self) -> bool:
        return self._tasks.busy

    def _own_inputs(self) -> tuple[QWidget, ...]:
        return (self.token_edit, self.show_token)

    def _job(self, name: str) -> SignInJob:
        base_url = clean_url(self.base_url_edit.text())
        token = clean_token(self.token_edit.text())
        return SignInJob(
            self._sign_in(name, base_url, token),
            self.tr("Checking the token with Calendly…"),
            self.tr("Checking the token"),
        )

    async def _sign_in(self, name: str, base_url: str, token: str) -> None:
        problem: CredentialProblem | None = None
        try:
            identity = await self._check(base_url, token)
        except CredentialProblem as error:
            problem = error
        finally:
            if not self._closed:
                self._set_busy(False)
        if self._closed:
            return
        if problem is not None:
            self._show_problem(problem)
            return
        self._finish(TokenSignIn(name, base_url, token, identity))
