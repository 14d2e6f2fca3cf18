"""Sign in with a pasted personal access token, checked with ``GET /users/me`` before it is kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.connection.identity import Identity
from desktop.connection.token_check import (
    CredentialProblem,
    check_personal_token,
    clean_token,
    clean_url,
)
from desktop.profiles import CALENDLY_API
from desktop.ui.signin.form import (
    NAME_MAX,
    AdvancedSection,
    BusyRow,
    FieldMessage,
    check_name,
    field_row,
    general_message,
    line_edit,
    link_label,
    problem_text,
)
from desktop.ui.signin.results import TokenSignIn
from desktop.ui.tasks import TaskOwner

TokenCheck = Callable[[str, str], Awaitable[Identity]]  # (base_url, token) -> Identity
TOKENS_PAGE = "https://calendly.com/integrations/api_webhooks"


class TokenDialog(QDialog):
    """Profile name, token (hidden, with Show), Advanced: API base URL; Sign in checks the token.

    On success ``sign_in_result`` holds a ``TokenSignIn``, ``signed_in`` is emitted with it and
    the dialog is accepted. Problems appear next to the field they concern; nothing typed is
    lost. Show it with ``open()``.
    """

    signed_in = Signal(object)  # TokenSignIn

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
        super().__init__(parent)
        self._check = check
        self._taken = tuple(taken_names)
        self._closed = False  # single use: once done, late task results are dropped
        self._finishing = False
        self._tasks = TaskOwner(self)
        self._tasks.failed.connect(self._failed)
        self.sign_in_result: TokenSignIn | None = None
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
        self.name_edit = line_edit(
            name, self.tr("Profile name"), self.tr("How this connection is listed in the app.")
        )
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_message = field_row(form, self.tr("&Name:"), self.name_edit)
        self.token_edit = line_edit("", self.tr("Personal access token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Paste the token here"))
        self.show_token = QCheckBox(self.tr("S&how"))
        self.show_token.setAccessibleName(self.tr("Show token"))
        self.show_token.setAccessibleDescription(self.tr("Shows the token instead of dots."))
        self.show_token.toggled.connect(self._show_token_toggled)
        self.token_message = field_row(
            form, self.tr("Personal access &token:"), self.token_edit, self.show_token
        )
        layout.addLayout(form)

        self.advanced = AdvancedSection()
        self.base_url_edit = line_edit(
            base_url,
            self.tr("API base URL"),
            self.tr("The address of Calendly's API; change it only for a test server."),
        )
        self.base_url_message = field_row(
            self.advanced.form, self.tr("API &base URL:"), self.base_url_edit
        )
        layout.addWidget(self.advanced)

        self.message = general_message()
        layout.addWidget(self.message)
        self.busy = BusyRow()
        layout.addWidget(self.busy)
        layout.addStretch(1)

        buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton(self.tr("&Sign in"))
        self.sign_in_button.setAccessibleName(self.tr("Sign in"))
        self.sign_in_button.setAccessibleDescription(
            self.tr("Checks the token with Calendly and adds the profile.")
        )
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        self.cancel_button = cancel
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.sign_in_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

        self._fields: dict[str, tuple[QLineEdit, FieldMessage]] = {
            "name": (self.name_edit, self.name_message),
            "token": (self.token_edit, self.token_message),
            "base_url": (self.base_url_edit, self.base_url_message),
        }
        self._inputs: tuple[QWidget, ...] = (
            self.name_edit,
            self.token_edit,
            self.show_token,
            self.advanced,
            self.sign_in_button,
        )
        self.token_edit.setFocus()

    def _show_token_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.token_edit.setEchoMode(mode)

    # -- signing in ------------------------------------------------------------------------
    @property
    def checking(self) -> bool:
        return self._tasks.busy

    def _start(self) -> None:
        if self._tasks.busy:
            return
        self._clear_messages()
        try:
            name = check_name(self.name_edit.text(), self._taken)
            base_url = clean_url(self.base_url_edit.text())
            token = clean_token(self.token_edit.text())
        except CredentialProblem as problem:
            self._show_problem(problem)
            return
        self._set_busy(True)
        self._tasks.spawn(self._sign_in(name, base_url, token), self.tr("Checking the token"))

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
        self.sign_in_result = TokenSignIn(name, base_url, token, identity)
        self._finishing = True  # accept() below must not cancel this very task
        self.signed_in.emit(self.sign_in_result)
        self.accept()

    def _failed(self, what: str, error: object) -> None:
        if self._closed:
            return
        self._set_busy(False)
        self._show_general(
            self.tr("{what} failed unexpectedly ({kind}). Try again.").format(
                what=what, kind=type(error).__name__
            )
        )

    def _set_busy(self, busy: bool) -> None:
        for widget in self._inputs:
            widget.setEnabled(not busy)
        if busy:
            self.busy.start(self.tr("Checking the token with Calendly…"))
        else:
            self.busy.stop()

    # -- messages ----------------------------------------------------------------------------
    def _clear_messages(self) -> None:
        for _, message in self._fields.values():
            message.clear_message()
        self.message.clear()
        self.message.setVisible(False)

    def _show_general(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    def _show_problem(self, problem: CredentialProblem) -> None:
        text = problem_text(problem)
        target = self._fields.get(problem.field)
        if target is None:
            self._show_general(text)
            return
        edit, message = target
        if edit is self.base_url_edit:
            self.advanced.expand()
        message.show_message(text)
        edit.setFocus()

    # -- closing ---------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Accept, Cancel, Escape and the window's close button all end here."""
        self._closed = True
        if not self._finishing:
            self._tasks.cancel_all()  # a check in flight is abandoned
        super().done(result)
