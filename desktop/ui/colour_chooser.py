"""A profile colour chooser: one swatch per palette colour, plus any colour from QColorDialog."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QColorDialog,
    QHBoxLayout,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop.profiles import PALETTE
from desktop.ui.theme import readable_text_color

_SWATCH = 22


def colour_name(colour: str) -> str:
    """A human name for a palette colour ("Blue"), or "Colour #123abc" for any other."""
    names = {
        "#006bff": QCoreApplication.translate("ColourChooser", "Blue"),
        "#c62828": QCoreApplication.translate("ColourChooser", "Red"),
        "#6a1b9a": QCoreApplication.translate("ColourChooser", "Purple"),
        "#ef6c00": QCoreApplication.translate("ColourChooser", "Orange"),
        "#00838f": QCoreApplication.translate("ColourChooser", "Teal"),
        "#ad1457": QCoreApplication.translate("ColourChooser", "Pink"),
        "#4e342e": QCoreApplication.translate("ColourChooser", "Brown"),
        "#37474f": QCoreApplication.translate("ColourChooser", "Slate"),
        "#2e7d32": QCoreApplication.translate("ColourChooser", "Green"),  # the sandbox's
    }
    name = names.get(colour.lower())
    if name is not None:
        return name
    return QCoreApplication.translate("ColourChooser", "Colour {hex}").format(hex=colour.lower())


def swatch_icon(colour: str, size: int = _SWATCH) -> QIcon:
    """A filled square with a thin outline; checked, it carries a tick in a readable colour."""
    icon = QIcon()
    icon.addPixmap(_swatch_pixmap(colour, size, tick=False), QIcon.Mode.Normal, QIcon.State.Off)
    icon.addPixmap(_swatch_pixmap(colour, size, tick=True), QIcon.Mode.Normal, QIcon.State.On)
    return icon


def _swatch_pixmap(colour: str, size: int, *, tick: bool) -> QPixmap:
    fill = QColor(colour)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#808080"), 1))  # visible on light and dark windows alike
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    if tick:
        pen = QPen(readable_text_color(fill), max(2.0, size / 9))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawPolyline(
            [
                QPointF(size * 0.25, size * 0.52),
                QPointF(size * 0.43, size * 0.70),
                QPointF(size * 0.76, size * 0.32),
            ]
        )
    painter.end()
    return pixmap


class ColourChooser(QWidget):
    """Checkable, exclusive swatches (Tab and arrow keys move between them, Space picks one).

    A colour outside the palette (the sandbox's green, or one from "Other colour…") gets a
    swatch of its own after the palette's. ``colour_changed`` carries "#rrggbb".
    """

    colour_changed = Signal(str)

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colour = colour.lower()
        self.colour_dialog: QColorDialog | None = None  # made on first use, shown with open()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.swatches: list[QToolButton] = []
        for entry in PALETTE:
            button = self._swatch(entry.lower())
            layout.addWidget(button)
            self.swatches.append(button)
        # The one swatch for a colour not in the palette; hidden while the colour is a palette one.
        self.custom_swatch = self._swatch(self._colour)
        layout.addWidget(self.custom_swatch)
        self.other_button = QPushButton(self.tr("&Other colour…"))
        self.other_button.setAccessibleName(self.tr("Other colour"))
        self.other_button.setAccessibleDescription(self.tr("Opens a colour picker for any colour."))
        self.other_button.setAutoDefault(False)  # Enter in the dialog saves, it does not pick
        self.other_button.clicked.connect(self.open_colour_dialog)
        layout.addSpacing(8)
        layout.addWidget(self.other_button)
        layout.addStretch(1)
        self._group.buttonClicked.connect(self._swatch_clicked)
        # Not a Tab stop itself, but a label's mnemonic may focus it (and so the chosen swatch).
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.set_colour(self._colour)

    def colour(self) -> str:
        return self._colour

    def set_colour(self, colour: str) -> None:
        """Select ``colour`` ("#rrggbb"): its palette swatch, or the custom swatch showing it."""
        colour = colour.lower()
        changed = colour != self._colour
        self._colour = colour
        match = next((b for b in self.swatches if b.property("colour") == colour), None)
        if match is None:
            self._describe(self.custom_swatch, colour, custom=True)
            self.custom_swatch.setVisible(True)
            match = self.custom_swatch
        else:
            self.custom_swatch.setVisible(False)
        match.setChecked(True)
        self.setFocusProxy(match)  # the "Colour:" label's mnemonic lands on the chosen one
        if changed:
            self.colour_changed.emit(colour)

    def open_colour_dialog(self) -> None:
        """Qt's colour picker, non-blocking; choosing a colour there selects it here."""
        if self.colour_dialog is None:
            dialog = QColorDialog(self)
            dialog.setWindowTitle(self.tr("Profile colour"))
            dialog.colorSelected.connect(self._picked)
            self.colour_dialog = dialog
        self.colour_dialog.setCurrentColor(QColor(self._colour))
        self.colour_dialog.open()

    def close_colour_dialog(self) -> None:
        if self.colour_dialog is not None and self.colour_dialog.isVisible():
            self.colour_dialog.reject()

    def _swatch(self, colour: str) -> QToolButton:
        button = QToolButton()
        button.setCheckable(True)
        button.setAutoRaise(False)
        button.setIconSize(QSize(_SWATCH, _SWATCH))
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._describe(button, colour, custom=False)
        self._group.addButton(button)
        return button

    def _describe(self, button: QToolButton, colour: str, *, custom: bool) -> None:
        button.setProperty("colour", colour)
        button.setIcon(swatch_icon(colour))
        name = colour_name(colour)
        if custom:
            name = self.tr("Custom colour: {name}").format(name=name)
        button.setAccessibleName(name)
        button.setAccessibleDescription(self.tr("Profile colour {hex}").format(hex=colour))
        button.setToolTip(f"{name} ({colour})" if colour not in name else name)

    def _swatch_clicked(self, button: QAbstractButton) -> None:
        colour = button.property("colour")
        if isinstance(colour, str):
            self.set_colour(colour)

    def _picked(self, colour: QColor) -> None:
        if colour.isValid():
            self.set_colour(colour.name())
