"""The app icon renders from its SVG at the sizes window systems ask for."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from desktop.ui.icons import app_icon


@pytest.mark.parametrize("size", [16, 32, 48, 256])
def test_the_app_icon_renders_at(size: int, qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()

    image = icon.pixmap(size, size).toImage()

    assert (image.width(), image.height()) == (size, size)
    corner = image.pixelColor(0, 0)
    assert corner.alpha() < 64  # the rounded tile leaves its corners transparent
    edge = image.pixelColor(size // 2, size // 10)
    assert edge.alpha() == 255
    assert edge.blue() > edge.red() + 60  # the blue tile
    centre = image.pixelColor(size // 2, size * 3 // 4)
    assert centre.lightness() > QColor("#c0c0c0").lightness()  # the light calendar page
