"""A small non-modal window showing a new single-use booking link, with a Copy button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SingleUseLinkDialog(QDialog):
    """Shows the booking URL of a link that books one meeting; copy it and share it."""

    def __init__(self, event_type_name: str, booking_url: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("single-use-link")
        self.setWindowTitle(self.tr("Single-use link"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.explanation = QLabel(
            self.tr("A new link to “{name}”. It books one meeting, then stops working.").format(
                name=event_type_name
            )
        )
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)  # the name is user input
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.url_edit = QLineEdit(booking_url)
        self.url_edit.setReadOnly(True)
        self.url_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.url_edit.setAccessibleName(self.tr("Single-use booking link"))
        self.url_edit.setAccessibleDescription(self.tr("The link to share; it books one meeting"))
        self.explanation.setBuddy(self.url_edit)
        layout.addWidget(self.url_edit)
        self.copied = QLabel()
        self.copied.setAccessibleName(self.tr("Copy status"))
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("&Copy link"))
        self.copy_button.setAccessibleName(self.tr("Copy link"))
        self.copy_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.copy_button.setFocus()

    @property
    def booking_url(self) -> str:
        return self.url_edit.text()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.booking_url)
        self.copied.setText(self.tr("Copied to the clipboard."))
