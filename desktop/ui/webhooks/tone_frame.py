"""A frame tinted by how serious its content is, in light and dark palettes alike."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QFrame, QWidget

from desktop.ui.theme import is_dark

Tone = Literal["ok", "info", "warning", "error"]
# (background, border, text) per tone, for light and for dark palettes.
_LIGHT: dict[Tone, tuple[str, str, str]] = {
    "ok": ("#e8f5e9", "#66bb6a", "#0b1f0d"),
    "info": ("#e3f2fd", "#64b5f6", "#0d1b2a"),
    "warning": ("#fff8e1", "#ffb300", "#1a1a1a"),
    "error": ("#ffebee", "#e57373", "#1a1a1a"),
}
_DARK: dict[Tone, tuple[str, str, str]] = {
    "ok": ("#12301a", "#43a047", "#e8f5e9"),
    "info": ("#10283d", "#1e88e5", "#e3f2fd"),
    "warning": ("#3a2c00", "#ffb300", "#fff8e1"),
    "error": ("#3b1114", "#e57373", "#ffebee"),
}
_RESTYLE = frozenset(
    {QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.ParentChange}
)


class ToneFrame(QFrame):
    """A frame named ``object_name`` whose colours follow ``set_tone`` and the palette around
    it (the text must say the tone too: colour is never the only sign)."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._tone: Tone = "ok"
        self._styled: tuple[Tone, bool] | None = None
        self._surroundings: QWidget | None = None
        self._watch_surroundings()

    @property
    def tone(self) -> Tone:
        """How serious the content is ("ok" when nothing is wrong)."""
        return self._tone

    def set_tone(self, tone: Tone) -> None:
        self._tone = tone
        self._restyle()

    def colours(self) -> tuple[str, str, str]:
        """(background, border, text) as currently drawn."""
        dark = bool(self._styled and self._styled[1])
        return (_DARK if dark else _LIGHT)[self._tone]

    def _restyle(self) -> None:
        surroundings = self.parentWidget()
        app = QApplication.instance()
        if surroundings is not None:
            dark = is_dark(surroundings)
        else:
            dark = isinstance(app, QApplication) and is_dark(app)
        if self._styled == (self._tone, dark):
            return  # also ends the PaletteChange that setStyleSheet itself sends
        self._styled = (self._tone, dark)
        background, border, text = (_DARK if dark else _LIGHT)[self._tone]
        name = self.objectName()
        self.setStyleSheet(
            f"QFrame#{name} {{ background: {background}; border: 1px solid {border}; "
            f"border-radius: 4px; }} QFrame#{name} QLabel {{ color: {text}; }} "
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in _RESTYLE and hasattr(self, "_styled"):
            if event.type() == QEvent.Type.ParentChange:
                self._watch_surroundings()
            self._restyle()
        return handled

    def _watch_surroundings(self) -> None:
        # Its own style sheet fixes its palette, so Qt no longer tells it when the
        # surroundings' palette (light/dark) changes: it listens to its parent instead.
        parent = self.parentWidget()
        if parent is not None and parent is not self._surroundings:
            if self._surroundings is not None:
                self._surroundings.removeEventFilter(self)
            parent.installEventFilter(self)
            self._surroundings = parent

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._surroundings and event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        return False
