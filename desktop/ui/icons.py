"""The application icon, drawn from resources/icons/calendly-console.svg (scales to any size)."""

from __future__ import annotations

# QIcon draws SVG through the QtSvg icon engine plugin; importing QtSvg here makes a frozen bundle
# (PyInstaller) carry the library and the plugin along.
from PySide6 import QtSvg  # noqa: F401
from PySide6.QtGui import QIcon

from desktop.resources import resource

APP_ICON = "icons/calendly-console.svg"


def app_icon() -> QIcon:
    """The app icon, rendered crisply at every size the window system asks for."""
    return QIcon(str(resource(APP_ICON)))
