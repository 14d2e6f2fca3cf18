"""What both sign-in dialogs do alike: buttons, field messages, the owned task, finishing."""

from __future__ import annotations

from collections.abc import Collection, Coroutine
from typing import Any, Generic, NamedTuple, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.connection.token_check import CredentialProblem
from desktop.ui.signin.form import (
    NAME_MAX,
    AdvancedSection,
    BusyRow,
    FieldMessage,
    check_name,
    field_row,
    general_message,
    line_edit,
    problem_text,
)
from desktop.ui.tasks import TaskOwner

R = TypeVar("R")  # what a successful sign-in hands back


class SignInJob(NamedTuple):
    """The checked form's work: the coroutine to run, the busy text, and its name for errors."""

    work: Coroutine[Any, Any, None]
    status: str  # shown beside the progress bar while it runs
    what: str  # "{what} failed unexpectedly" if it raises


class SignInDialog(QDialog, Generic[R]):
    """A single-use sign-in dialog: Sign in validates the form and runs one owned task.

    Subclasses build their fields (``_name_row``, ``_field_row``, ``_base_url_row``,
    ``_status_rows``, ``_button_row``) and implement ``_own_inputs`` and ``_job``. On success
    they call ``_finish``: ``sign_in_result`` is set, ``signed_in`` emitted, the dialog
    accepted. Closing it any other way cancels the task in flight.
    """

    signed_in = Signal(object)  # the subclass's result record
    advanced: AdvancedSection  # built by the subclass; a problem in it expands it

    def __init__(self, parent: QWidget | None, taken_names: Collection[str]) -> None:
        super().__init__(parent)
        self._taken = tuple(taken_names)
        self._closed = False  # single use: once done, late task results are dropped
        self._finishing = False
        self._tasks = TaskOwner(self)
        self._tasks.failed.connect(self._failed)
        self.sign_in_result: R | None = None
        # A problem's field name -> (its input, its message), filled by ``_field_row``.
        self._fields: dict[str, tuple[QLineEdit, FieldMessage]] = {}

    # -- layout ------------------------------------------------------------------------------
    def _field_row(
        self, key: str, form: QFormLayout, label: str, edit: QLineEdit, extra: QWidget | None = None
    ) -> FieldMessage:
        """``field_row``, and problems with the field named ``key`` shown under it."""
        message = field_row(form, label, edit, extra)
        self._fields[key] = (edit, message)
        return message

    def _name_row(self, form: QFormLayout, name: str) -> None:
        self.name_edit = line_edit(
            name, self.tr("Profile name"), self.tr("How this connection is listed in the app.")
        )
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_message = self._field_row("name", form, self.tr("&Name:"), self.name_edit)

    def _base_url_row(self, form: QFormLayout, base_url: str) -> None:
        self.base_url_edit = line_edit(
            base_url,
            self.tr("API base URL"),
            self.tr("The address of Calendly's API; change it only for a test server."),
        )
        self.base_url_message = self._field_row(
            "base_url", form, self.tr("API &base URL:"), self.base_url_edit
        )

    def _status_rows(self, layout: QVBoxLayout) -> None:
        """The dialog-wide message, then the progress row."""
        self.message = general_message()
        layout.addWidget(self.message)
        self.busy = BusyRow()
        layout.addWidget(self.busy)

    def _button_row(self, layout: QVBoxLayout, text: str, name: str, description: str) -> None:
        """The default Sign in button (``text`` with its mnemonic) and Cancel."""
        buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton(text)
        self.sign_in_button.setAccessibleName(name)
        self.sign_in_button.setAccessibleDescription(description)
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

    # -- signing in ------------------------------------------------------------------------
    def _own_inputs(self) -> tuple[QWidget, ...]:
        """The subclass's inputs, disabled with the common ones while the task runs."""
        raise NotImplementedError

    def _job(self, name: str) -> SignInJob:
        """Read the rest of the form (raising ``CredentialProblem``) and return the work."""
        raise NotImplementedError

    def _start(self) -> None:
        if self._tasks.busy:
            return
        self._clear_messages()
        try:
            job = self._job(check_name(self.name_edit.text(), self._taken))
        except CredentialProblem as problem:
            self._show_problem(problem)
            return
        self._set_busy(True, job.status)
        self._tasks.spawn(job.work, job.what)

    def _finish(self, result: R) -> None:
        self.sign_in_result = result
        self._finishing = True  # accept() below must not cancel the task it runs in
        self.signed_in.emit(result)
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

    def _set_busy(self, busy: bool, status: str = "") -> None:
        inputs = (self.name_edit, *self._own_inputs(), self.advanced, self.sign_in_button)
        for widget in inputs:
            widget.setEnabled(not busy)
        if busy:
            self.busy.start(status)
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
        if self.advanced.isAncestorOf(edit):
            self.advanced.expand()  # a problem in a collapsed section must be seen
        message.show_message(text)
        edit.setFocus()

    # -- closing ---------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Accept, Cancel, Escape and the window's close button all end here."""
        self._closed = True
        if not self._finishing:
            self._tasks.cancel_all()  # work in flight is abandoned (a loopback listener closed)
        super().done(result)
