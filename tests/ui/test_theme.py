"""Appearance: forced light/dark palettes, following the OS scheme, readable chip text colours."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.theme import (
    APPEARANCES,
    appearance_label,
    appearance_of,
    apply_appearance,
    contrast_ratio,
    is_dark,
    readable_text_color,
    relative_luminance,
)

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back on the system appearance whatever the test did."""
    yield qapp
    apply_appearance(qapp, "system")


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.addWidget(QLabel("Profile: Sandbox"))
    layout.addWidget(QPushButton("&Sign in"))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _colors(palette: QPalette) -> tuple[QColor, QColor]:
    return palette.color(Role.Window), palette.color(Role.WindowText)


def test_forcing_dark_gives_light_text_on_a_dark_window(
    app: QApplication, window: QWidget, qtbot: Any
) -> None:
    apply_appearance(app, "dark")

    background, text = _colors(app.palette())
    assert relative_luminance(background) < 0.1
    assert relative_luminance(text) > 0.6
    assert contrast_ratio(background, text) >= 7
    assert is_dark(app)
    assert appearance_of(app) == "dark"
    # Open windows repaint in the new palette too (Qt delivers the change as an event).
    qtbot.waitUntil(lambda: is_dark(window))
    button = window.findChild(QPushButton)
    assert relative_luminance(button.palette().color(Role.ButtonText)) > 0.6
    assert relative_luminance(button.palette().color(Role.Button)) < 0.1


def test_forcing_light_gives_dark_text_on_a_light_window(
    app: QApplication, window: QWidget, qtbot: Any
) -> None:
    apply_appearance(app, "dark")
    apply_appearance(app, "light")

    background, text = _colors(app.palette())
    assert relative_luminance(background) > 0.6
    assert relative_luminance(text) < 0.1
    assert contrast_ratio(background, text) >= 7
    assert not is_dark(app)
    assert appearance_of(app) == "light"
    qtbot.waitUntil(lambda: not is_dark(window))


def test_system_restores_the_platform_palette(app: QApplication) -> None:
    apply_appearance(app, "system")
    original = [c.name() for c in _colors(app.palette())]

    apply_appearance(app, "dark")
    assert [c.name() for c in _colors(app.palette())] != original
    apply_appearance(app, "system")

    assert [c.name() for c in _colors(app.palette())] == original
    assert appearance_of(app) == "system"
    assert app.styleHints().colorScheme() == Qt.ColorScheme.Unknown  # offscreen has no preference


def test_system_keeps_following_the_os_scheme(app: QApplication) -> None:
    apply_appearance(app, "system")
    hints = app.styleHints()

    # What the platform reports when the user flips the OS setting.
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(app)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(app)


def test_a_forced_scheme_ignores_os_changes(app: QApplication) -> None:
    apply_appearance(app, "light")

    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)

    assert not is_dark(app)
    assert appearance_of(app) == "light"


def test_an_unknown_appearance_is_refused(app: QApplication) -> None:
    with pytest.raises(ValueError, match="unknown appearance"):
        apply_appearance(app, "sepia")  # type: ignore[arg-type]


def test_appearances_have_menu_labels() -> None:
    labels = [appearance_label(a) for a in APPEARANCES]
    assert APPEARANCES == ("system", "light", "dark")
    assert labels == ["Follow &system", "&Light", "&Dark"]


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        ("#000000", "#ffffff"),
        ("#ffffff", "#000000"),
        ("#1a5fb4", "#ffffff"),  # a dark blue profile chip
        ("#ffd43b", "#000000"),  # a yellow one
        ("#2f9e44", "#000000"),  # mid green: black reads better
        ("#862e9c", "#ffffff"),  # purple
    ],
)
def test_readable_text_colour_on_a_chip(background: str, expected: str) -> None:
    assert readable_text_color(QColor(background)).name() == expected


def test_chip_text_is_always_readable() -> None:
    for red in range(0, 256, 51):
        for green in range(0, 256, 51):
            for blue in range(0, 256, 51):
                background = QColor(red, green, blue)
                # WCAG AA for normal text is 4.5; black or white always reaches it on any colour.
                assert contrast_ratio(background, readable_text_color(background)) >= 4.5


def test_is_dark_reads_a_widgets_own_palette(qtbot: Any) -> None:
    chip = QLabel("Production")
    qtbot.addWidget(chip)
    palette = chip.palette()
    palette.setColor(Role.Window, QColor("#202020"))
    palette.setColor(Role.WindowText, QColor("#f0f0f0"))
    chip.setPalette(palette)
    assert is_dark(chip)
