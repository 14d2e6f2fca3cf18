"""The message bar: colours that follow the colour scheme, prefix dismissal, action buttons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from desktop.ui.message_bar import Message, MessageBar
from desktop.ui.theme import apply_appearance, relative_luminance
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back on the system appearance whatever the test did."""
    yield qapp
    apply_appearance(qapp, "system")


@pytest.fixture
def bar(qtbot: Any) -> Iterator[MessageBar]:
    """A message bar in a small window, as in the main window: above the page."""
    window = QWidget()
    layout = QVBoxLayout(window)
    messages = MessageBar()
    layout.addWidget(messages)
    layout.addWidget(QLabel("The page"))
    qtbot.addWidget(window)
    window.resize(600, 300)
    window.show()
    qtbot.waitExposed(window)
    yield messages  # (a generator fixture keeps the window alive until the test ends)


def _background(message: Message) -> QColor:
    """The colour a user sees behind the message text (inside the left margin)."""
    image = message.grab().toImage()
    return image.pixelColor(5, image.height() // 2)


def _text_colour(message: Message) -> QColor:
    return message.label.palette().color(QPalette.ColorRole.WindowText)


def test_a_message_follows_the_colour_scheme_while_it_is_shown(
    app: QApplication, bar: MessageBar, qtbot: Any
) -> None:
    apply_appearance(app, "dark")
    message = bar.show_message("connection", "Could not reach Calendly.", "error")

    qtbot.waitUntil(lambda: relative_luminance(_background(message)) < 0.1)
    assert relative_luminance(_text_colour(message)) > 0.6
    assert message.dark and message.colours()[0] == _background(message)

    apply_appearance(app, "light")

    qtbot.waitUntil(lambda: relative_luminance(_background(message)) > 0.6)
    assert relative_luminance(_text_colour(message)) < 0.1
    assert not message.dark and message.colours()[0] == _background(message)

    apply_appearance(app, "dark")  # and back again
    qtbot.waitUntil(lambda: relative_luminance(_background(message)) < 0.1)
    assert bar.texts() == ["Could not reach Calendly."]


def test_a_message_shown_under_a_light_palette_is_light(
    app: QApplication, bar: MessageBar, qtbot: Any
) -> None:
    apply_appearance(app, "light")
    message = bar.show_message("info", "Signed in.", "info")
    qtbot.waitUntil(lambda: relative_luminance(_background(message)) > 0.6)
    assert relative_luminance(_text_colour(message)) < 0.1


def test_dismiss_prefix_removes_only_the_messages_whose_key_starts_with_it(
    bar: MessageBar, qtbot: Any
) -> None:
    bar.show_message("failed:refresh", "Refreshing failed.", "error")
    bar.show_message("failed:members", "Loading members failed.", "error")
    bar.show_message("keyring", "No keyring: tokens are not kept.", "warning")
    bar.show_message("connection", "Connected to Sandbox.", "info")

    bar.dismiss_prefix("failed:")

    assert bar.texts() == ["No keyring: tokens are not kept.", "Connected to Sandbox."]
    assert bar.isVisible()
    bar.dismiss_prefix("nothing-has-this-key")
    assert len(bar.texts()) == 2
    bar.dismiss_prefix("")  # every key starts with the empty prefix
    assert bar.texts() == []
    assert not bar.isVisible()


def test_a_message_with_the_same_key_replaces_the_older_one(bar: MessageBar) -> None:
    bar.show_message("connection", "Connecting…", "info")
    bar.show_message("connection", "Connected.", "info")
    assert bar.texts() == ["Connected."]


def test_the_action_button_runs_its_callback_and_removes_the_message(
    bar: MessageBar, qtbot: Any
) -> None:
    ran: list[str] = []
    message = bar.show_message(
        "sign-out", "Signed out.", "warning", ("&Sign in again", lambda: ran.append("sign in"))
    )
    bar.show_message("other", "Something else.", "info")
    assert message.action_button is not None
    assert message.action_button.text() == "&Sign in again"

    qtbot.mouseClick(message.action_button, Qt.MouseButton.LeftButton)

    assert ran == ["sign in"]
    assert bar.texts() == ["Something else."]


def test_an_action_may_show_a_new_message_with_its_own_key(bar: MessageBar, qtbot: Any) -> None:
    def retry() -> None:
        bar.show_message("failed:refresh", "Refreshing failed again.", "error")

    message = bar.show_message("failed:refresh", "Refreshing failed.", "error", ("&Retry", retry))
    assert message.action_button is not None
    qtbot.mouseClick(message.action_button, Qt.MouseButton.LeftButton)
    assert bar.texts() == ["Refreshing failed again."]


def test_the_dismiss_button_removes_the_message(bar: MessageBar, qtbot: Any) -> None:
    message = bar.show_message("keyring", "No keyring.", "warning")
    qtbot.mouseClick(message.dismiss_button, Qt.MouseButton.LeftButton)
    assert bar.texts() == []
    assert not bar.isVisible()


def test_messages_are_named_for_screen_readers_and_reachable_by_keyboard(
    bar: MessageBar,
) -> None:
    message = bar.show_message("failed:refresh", "Refreshing failed.", "error", ("&Retry", print))
    assert message.accessibleName() == "Error"
    assert message.accessibleDescription() == "Refreshing failed."
    assert unnamed_interactive(bar) == []
    assert unreachable_by_keyboard(bar) == []


def test_showing_a_message_with_accessibility_active_announces_without_failing(
    bar: MessageBar,
) -> None:
    # Offscreen there is no screen reader bridge; this checks the events are well-formed.
    QAccessible.setActive(True)
    try:
        for level in ("info", "warning", "error"):
            bar.show_message(level, f"A {level} message.", level)
    finally:
        QAccessible.setActive(False)
    assert len(bar.texts()) == 3
