"""Pieces both sign-in dialogs share: a field with its message, the Advanced section, busy row."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.connection.token_check import CredentialProblem
from desktop.ui.theme import is_dark

NAME_MAX = 60  # the profile rules' limit (desktop.profiles)
# Error text with at least 4.5:1 contrast on the light and on the dark palette.
_ERROR_ON_LIGHT = "#b3261e"
_ERROR_ON_DARK = "#f2b8b5"


def problem_text(problem: CredentialProblem) -> str:
    """The problem's message through Qt translation (the template is the source text)."""
    template = QCoreApplication.translate("CredentialProblem", problem.template)
    values = {
        key: QLocale().toString(value) if isinstance(value, int) else value
        for key, value in problem.values.items()
    }
    return template.format(**values)


def check_name(text: str, taken: Collection[str] = ()) -> str:
    """The profile name with whitespace collapsed; raises ``CredentialProblem("name", ...)``."""
    name = " ".join(text.split())
    if not name:
        raise CredentialProblem("name", "Give this profile a name, for example “Calendly”.")
    if len(name) > NAME_MAX:
        raise CredentialProblem(
            "name", "A profile name has at most {count} characters.", count=NAME_MAX
        )
    folded = name.casefold()
    for existing in taken:
        if existing.casefold() == folded:
            raise CredentialProblem(
                "name",
                "A profile named “{name}” already exists. Choose another name.",
                name=existing,
            )
    return name


class ErrorLabel(QLabel):
    """Error text, hidden until needed, in a red readable on the light and the dark palette."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colour = ""
        self.setWordWrap(True)
        self._restyle()
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)

    def _restyle(self) -> None:
        colour = _ERROR_ON_DARK if is_dark(self) else _ERROR_ON_LIGHT
        if colour != self._colour:  # a style sheet changes the palette: never loop on it
            self._colour = colour
            self.setStyleSheet(f"color: {colour};")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()

    def setText(self, text: str) -> None:
        self._restyle()  # the palette may have changed while hidden
        super().setText(text)


class FieldMessage(ErrorLabel):
    """The message under one input: hidden until there is a problem, read out with the field."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self._description = field.accessibleDescription()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(True)
        # Screen readers announce the description when the field gets focus.
        self._field.setAccessibleDescription(text)

    def clear_message(self) -> None:
        self.clear()
        self.setVisible(False)
        self._field.setAccessibleDescription(self._description)


def field_row(
    form: QFormLayout, label: str, field: QLineEdit, extra: QWidget | None = None
) -> FieldMessage:
    """Add ``label: field`` (with an optional widget beside it) and a message under it."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if extra is None:
        column.addWidget(field)
    else:
        line = QHBoxLayout()
        line.addWidget(field, 1)
        line.addWidget(extra)
        column.addLayout(line)
    message = FieldMessage(field, box)
    column.addWidget(message)
    box.setFocusProxy(field)
    caption = QLabel(label)
    caption.setBuddy(field)  # the label's mnemonic focuses the field
    form.addRow(caption, box)
    return message


def line_edit(text: str, name: str, description: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    if description:
        edit.setAccessibleDescription(description)
    return edit


class AdvancedSection(QWidget):
    """A collapsed "Advanced" section: a toggle button and a form under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toggle = QToolButton()
        self.toggle.setText(QCoreApplication.translate("SignInForm", "&Advanced"))
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName(QCoreApplication.translate("SignInForm", "Advanced settings"))
        self.toggle.setAccessibleDescription(
            QCoreApplication.translate("SignInForm", "Shows or hides the server addresses.")
        )
        self.toggle.toggled.connect(self._toggled)
        layout.addWidget(self.toggle)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(18, 0, 0, 0)
        self.body.setVisible(False)
        layout.addWidget(self.body)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def expand(self) -> None:
        self.toggle.setChecked(True)

    def _toggled(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.body.setVisible(on)


class BusyRow(QWidget):
    """An indeterminate progress bar and what is happening, shown while a task runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(120)
        self.bar.setAccessibleName(QCoreApplication.translate("SignInForm", "Working"))
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        self.setVisible(False)

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(True)

    def stop(self) -> None:
        self.setVisible(False)
        self.label.clear()


def link_label(html: str, name: str) -> QLabel:
    """Help text with a link that opens in the system browser (never an embedded view)."""
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setOpenExternalLinks(True)
    # Tab reaches the link and Enter opens it, as with the mouse.
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    label.setAccessibleName(name)
    return label


def general_message() -> QLabel:
    """The dialog-wide message (problems not tied to one field)."""
    return ErrorLabel()
