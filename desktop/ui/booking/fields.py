"""One labelled form field with its message under it, and a line edit made accessible."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.signin.form import FieldMessage


class FieldRow:
    """``caption: field`` in a form, a message under the field, and whether it is required."""

    def __init__(
        self,
        form: QFormLayout,
        caption: str,
        field: QWidget,
        *,
        required: bool = False,
        focus: QWidget | None = None,
    ) -> None:
        self.form = form
        self.field = field
        self.focus_widget = focus or field
        self.required = required
        if required:
            # Said before the message exists: the message restores this description.
            described = self.focus_widget.accessibleDescription()
            self.focus_widget.setAccessibleDescription(
                QCoreApplication.translate("BookingFields", "Required. {more}")
                .format(more=described)
                .strip()
            )
        self.box = QWidget()
        column = QVBoxLayout(self.box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        self.message = FieldMessage(self.focus_widget, self.box)
        column.addWidget(self.message)
        self.box.setFocusProxy(self.focus_widget)
        self.caption = QLabel(required_caption(caption) if required else caption)
        self.caption.setWordWrap(True)
        self.caption.setBuddy(self.focus_widget)
        form.addRow(self.caption, self.box)

    def show_message(self, text: str) -> None:
        self.message.show_message(text)

    def clear_message(self) -> None:
        self.message.clear_message()

    @property
    def has_message(self) -> bool:
        return not self.message.isHidden()

    def set_visible(self, visible: bool) -> None:
        self.form.setRowVisible(self.box, visible)

    def set_caption(self, caption: str) -> None:
        self.caption.setText(required_caption(caption) if self.required else caption)


def required_caption(caption: str) -> str:
    """A required field's caption: its text and a star."""
    return QCoreApplication.translate("BookingFields", "{caption} *").format(caption=caption)


def line_edit(name: str, description: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    if description:
        edit.setAccessibleDescription(description)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit
