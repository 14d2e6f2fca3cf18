"""Rename and recolour a profile, with a live preview of how the window will show it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import profiles
from desktop.profiles import Kind, Profile, ProfileError
from desktop.settings import Settings
from desktop.ui.colour_chooser import ColourChooser
from desktop.ui.signin.form import NAME_MAX, FieldMessage, field_row, general_message, line_edit
from desktop.ui.theme import readable_text_color


def kind_label(kind: Kind) -> str:
    labels = {
        "sandbox": QCoreApplication.translate("ProfileDialog", "Sandbox"),
        "oauth": QCoreApplication.translate("ProfileDialog", "OAuth"),
        "token": QCoreApplication.translate("ProfileDialog", "Personal token"),
    }
    return labels[kind]


class PreviewChip(QLabel):
    """The profile's name on its colour, as the title and status bar will show it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(32)
        self.setAccessibleName(self.tr("Preview"))
        self.background = QColor()
        self.foreground = QColor()

    def show_profile(self, name: str, colour: str) -> None:
        self.background = QColor(colour)
        self.foreground = readable_text_color(self.background)
        self.setText(" ".join(name.split()) or self.tr("(no name)"))
        self.setAccessibleDescription(
            self.tr("{name} on {colour}").format(name=self.text(), colour=colour)
        )
        self.setStyleSheet(
            f"QLabel {{ background: {self.background.name()}; color: {self.foreground.name()};"
            " border-radius: 4px; padding: 4px 12px; font-weight: bold; }"
        )


class ProfileDialog(QDialog):
    """Name and colour of one profile; Save checks them with the profile rules.

    On Save ``updated_settings`` holds the settings with the new name and colour, ``saved``
    is emitted with them and the dialog is accepted; nothing is written to disk here. A
    refused name or colour is explained next to its field and what was typed stays. Show it
    with ``open()``.
    """

    saved = Signal(object)  # the updated Settings

    def __init__(self, parent: QWidget | None, profile: Profile, settings: Settings) -> None:
        super().__init__(parent)
        self.profile = profile
        self._settings = settings
        self.updated_settings: Settings | None = None
        self.setWindowTitle(self.tr("Edit profile"))
        self.setMinimumWidth(480)
        self._build()
        self._update_preview()
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.preview = PreviewChip()
        layout.addWidget(self.preview)

        form = QFormLayout()
        self.name_edit = line_edit(
            self.profile.name,
            self.tr("Profile name"),
            self.tr("Shown in the window's title and status bar."),
        )
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.textChanged.connect(self._update_preview)
        self.name_message = field_row(form, self.tr("&Name:"), self.name_edit)

        self.colour_chooser = ColourChooser(self.profile.colour)
        self.colour_chooser.setAccessibleName(self.tr("Profile colour"))
        self.colour_chooser.colour_changed.connect(self._update_preview)
        colour_box = QWidget()
        column = QVBoxLayout(colour_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.colour_chooser)
        self.colour_message = FieldMessage(self.colour_chooser, colour_box)
        column.addWidget(self.colour_message)
        colour_caption = QLabel(self.tr("Co&lour:"))
        colour_caption.setBuddy(self.colour_chooser)  # focuses the chosen swatch
        form.addRow(colour_caption, colour_box)

        form.addRow(self.tr("Kind:"), self._info(kind_label(self.profile.kind)))
        self.organization_label: QLabel | None = None
        self.user_label: QLabel | None = None
        if self.profile.organization_name:
            self.organization_label = self._info(self.profile.organization_name)
            form.addRow(self.tr("Organization:"), self.organization_label)
        if self.profile.user_name:
            self.user_label = self._info(self.profile.user_name)
            form.addRow(self.tr("Signed in as:"), self.user_label)
        layout.addLayout(form)

        self.message = general_message()
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._buttons(layout)

    def _info(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _buttons(self, layout: QVBoxLayout) -> None:
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save"))
        self.save_button.setAccessibleDescription(self.tr("Keeps the new name and colour."))
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        self.cancel_button: QPushButton = cancel
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    # -- behaviour ---------------------------------------------------------------------------
    def colour(self) -> str:
        return self.colour_chooser.colour()

    def save(self) -> None:
        """Apply the profile rules; accept with the new settings, or show what is wrong."""
        self._clear_messages()
        try:
            updated = profiles.rename(self._settings, self.profile.id, self.name_edit.text())
            updated = profiles.recolour(updated, self.profile.id, self.colour())
        except ProfileError as error:
            self._show_problem(error)
            return
        self.updated_settings = updated
        self.saved.emit(updated)
        self.accept()

    def done(self, result: int) -> None:
        """Save, Cancel, Escape and the close button all end here; the picker goes too."""
        self.colour_chooser.close_colour_dialog()
        super().done(result)

    def _update_preview(self) -> None:
        self.preview.show_profile(self.name_edit.text(), self.colour())

    def _clear_messages(self) -> None:
        self.name_message.clear_message()
        self.colour_message.clear_message()
        self.message.clear()
        self.message.setVisible(False)

    def _show_problem(self, error: ProfileError) -> None:
        # The rules give a sentence template and its values; the template is translated.
        text = QCoreApplication.translate("ProfileError", error.template).format(**error.values)
        if error.field == "name":
            self.name_message.show_message(text)
            self.name_edit.setFocus()
        elif error.field == "colour":
            self.colour_message.show_message(text)
            self.colour_chooser.setFocus()
        else:
            self.message.setText(text)
            self.message.setVisible(True)
