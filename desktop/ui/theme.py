"""Light and dark appearance: follow the OS colour scheme, or force one, and readable colours."""

from __future__ import annotations

from typing import Literal, get_args

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

Appearance = Literal["system", "light", "dark"]
APPEARANCES: tuple[Appearance, ...] = get_args(Appearance)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# Styles that draw native controls and ignore the palette: a forced scheme needs Fusion there.
_PALETTE_BLIND_STYLES = frozenset({"windowsvista", "windows"})
_FOLLOWER_NAME = "calendlyConsoleAppearance"

_LIGHT: dict[QPalette.ColorRole, str] = {
    Role.Window: "#efefef",
    Role.WindowText: "#000000",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f7f7f7",
    Role.ToolTipBase: "#ffffdc",
    Role.ToolTipText: "#000000",
    Role.PlaceholderText: "#767676",
    Role.Text: "#000000",
    Role.Button: "#efefef",
    Role.ButtonText: "#000000",
    Role.BrightText: "#ffffff",
    Role.Light: "#ffffff",
    Role.Midlight: "#cacaca",
    Role.Mid: "#b8b8b8",
    Role.Dark: "#9f9f9f",
    Role.Shadow: "#767676",
    Role.Highlight: "#2f6fbf",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1a5fb4",
    Role.LinkVisited: "#813d9c",
    Role.Accent: "#2f6fbf",
}
_LIGHT_DISABLED: dict[QPalette.ColorRole, str] = {
    Role.WindowText: "#8c8c8c",
    Role.Text: "#8c8c8c",
    Role.ButtonText: "#8c8c8c",
    Role.Highlight: "#c4c4c4",
    Role.HighlightedText: "#ffffff",
}
_DARK: dict[QPalette.ColorRole, str] = {
    Role.Window: "#2b2d30",
    Role.WindowText: "#e6e6e6",
    Role.Base: "#1e1f22",
    Role.AlternateBase: "#26282b",
    Role.ToolTipBase: "#3c3f41",
    Role.ToolTipText: "#e6e6e6",
    Role.PlaceholderText: "#8f9296",
    Role.Text: "#e6e6e6",
    Role.Button: "#3c3f41",
    Role.ButtonText: "#e6e6e6",
    Role.BrightText: "#ffffff",
    Role.Light: "#55585c",
    Role.Midlight: "#46494d",
    Role.Mid: "#36383c",
    Role.Dark: "#18191b",
    Role.Shadow: "#000000",
    Role.Highlight: "#3d6fd9",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4ff",
    Role.LinkVisited: "#c0a4ff",
    Role.Accent: "#3d6fd9",
}
_DARK_DISABLED: dict[QPalette.ColorRole, str] = {
    Role.WindowText: "#76797e",
    Role.Text: "#76797e",
    Role.ButtonText: "#76797e",
    Role.Highlight: "#46494d",
    Role.HighlightedText: "#a8a8a8",
}


def apply_appearance(app: QApplication, appearance: Appearance) -> None:
    """Follow the OS colour scheme ("system", also when it changes later) or force light/dark.

    A forced scheme is asked of the platform first (``QStyleHints.setColorScheme``); where the
    platform cannot honour it (no native theme, offscreen, a style that ignores palettes), the app
    gets a matching light or dark palette of its own, drawn with the Fusion style if need be.
    """
    if appearance not in APPEARANCES:
        raise ValueError(f"unknown appearance: {appearance!r}")
    _follower(app).set_appearance(appearance)


def appearance_of(app: QApplication) -> Appearance:
    """The appearance last applied to ``app`` ("system" before any)."""
    follower = app.findChild(_SchemeFollower, _FOLLOWER_NAME)
    return follower.appearance if follower is not None else "system"


def appearance_label(appearance: Appearance) -> str:
    """The translated name of an appearance, for a menu or a settings page."""
    labels = {
        "system": QCoreApplication.translate("Appearance", "Follow &system"),
        "light": QCoreApplication.translate("Appearance", "&Light"),
        "dark": QCoreApplication.translate("Appearance", "&Dark"),
    }
    return labels[appearance]


def is_dark(target: QWidget | QGuiApplication) -> bool:
    """Whether ``target`` (a widget or the application) is drawn light-on-dark."""
    palette = target.palette()
    background = relative_luminance(palette.color(Role.Window))
    return background < relative_luminance(palette.color(Role.WindowText))


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of a colour, 0 (black) to 1 (white); alpha is ignored."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    rgb = color.toRgb()
    return (
        0.2126 * channel(rgb.redF())
        + 0.7152 * channel(rgb.greenF())
        + 0.0722 * channel(rgb.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_color(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (e.g. a profile colour chip)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    if contrast_ratio(background, black) >= contrast_ratio(background, white):
        return black
    return white


def light_palette() -> QPalette:
    """The app's own light palette, used where the platform has none for a forced light scheme."""
    return _palette(_LIGHT, _LIGHT_DISABLED)


def dark_palette() -> QPalette:
    """The app's own dark palette, used where the platform has none for a dark scheme."""
    return _palette(_DARK, _DARK_DISABLED)


def _palette(
    colors: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]
) -> QPalette:
    palette = QPalette()
    for role, name in colors.items():
        palette.setColor(role, QColor(name))
    for role, name in disabled.items():
        palette.setColor(Group.Disabled, role, QColor(name))
    return palette


def _follower(app: QApplication) -> _SchemeFollower:
    follower = app.findChild(_SchemeFollower, _FOLLOWER_NAME)
    if follower is None:
        follower = _SchemeFollower(app)
    return follower


class _SchemeFollower(QObject):
    """Owned by the application: keeps its palette in step with the wanted colour scheme."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_FOLLOWER_NAME)
        self._app = app
        self.appearance: Appearance = "system"
        self._own_style_from: str | None = None
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def set_appearance(self, appearance: Appearance) -> None:
        self.appearance = appearance
        hints = self._app.styleHints()
        if appearance == "system":
            hints.unsetColorScheme()
            self._sync(hints.colorScheme())
        else:
            wanted = Qt.ColorScheme.Dark if appearance == "dark" else Qt.ColorScheme.Light
            hints.setColorScheme(wanted)
            self._sync(wanted)

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.appearance == "system":
            self._sync(scheme)
        else:
            self._sync(Qt.ColorScheme.Dark if self.appearance == "dark" else Qt.ColorScheme.Light)

    def _sync(self, wanted: Qt.ColorScheme) -> None:
        """Start from the platform's own palette; replace it only when its darkness is wrong."""
        app = self._app
        app.setPalette(QPalette())  # an empty palette resolves to the platform/style default
        if self._own_style_from is not None:
            app.setStyle(self._own_style_from)
            self._own_style_from = None
        if wanted == Qt.ColorScheme.Unknown:
            return
        want_dark = wanted == Qt.ColorScheme.Dark
        if is_dark(app) == want_dark:
            return
        style_name = app.style().name().lower()
        if style_name in _PALETTE_BLIND_STYLES:
            self._own_style_from = style_name
            app.setStyle("Fusion")
        app.setPalette(dark_palette() if want_dark else light_palette())
