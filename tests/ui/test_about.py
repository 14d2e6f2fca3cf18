"""The About box: version, every bundled component with its licence, keyboard and screen readers."""

from __future__ import annotations

import importlib.metadata
import re
from typing import Any

from packaging.requirements import Requirement
from PySide6.QtCore import Qt, QTimer, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

import desktop
from desktop.ui.about import COMPONENTS, AboutDialog, bundled_components
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard


def _open(qtbot: Any) -> AboutDialog:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _rows(dialog: AboutDialog) -> dict[str, tuple[str, str]]:
    table = dialog.components
    return {
        table.item(row, 0).text(): (table.item(row, 1).text(), table.item(row, 2).text())
        for row in range(table.rowCount())
    }


def test_shows_the_name_version_and_qt(qtbot: Any) -> None:
    dialog = _open(qtbot)

    assert dialog.windowTitle() == "About Calendly Console"
    assert dialog.version_label.text() == f"Version {desktop.__version__}"
    details = dialog.details_label.text()
    assert "desktop admin console for Calendly organizations" in details
    assert f"Qt {qVersion()}" in details
    assert "MIT licence" in details
    assert not dialog.windowIcon().isNull()


def test_lists_every_bundled_component_with_version_and_licence(qtbot: Any) -> None:
    dialog = _open(qtbot)
    rows = _rows(dialog)

    for component, version in bundled_components():
        assert rows[component.name] == (version, component.licence)
    assert rows["Qt"] == (qVersion(), "LGPL-3.0-only")
    assert rows["PySide6 (Qt for Python)"][1] == "LGPL-3.0-only"
    for name, distribution in [
        ("qasync", "qasync"),
        ("HTTPX", "httpx"),
        ("msgspec", "msgspec"),
        ("keyring", "keyring"),
        ("platformdirs", "platformdirs"),
        ("Starlette", "starlette"),
        ("Uvicorn", "uvicorn"),
        ("tzdata", "tzdata"),
        ("HTTP Core", "httpcore"),
        ("AnyIO", "anyio"),
        ("h11", "h11"),
        ("certifi", "certifi"),
        ("idna", "idna"),
    ]:
        assert rows[name][0] == importlib.metadata.version(distribution)


def _runtime_closure() -> set[str]:
    """Names of every distribution calendly-console needs at run time, here."""

    def canonical(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    seen: set[str] = set()
    pending = ["calendly-console"]
    while pending:
        distribution = importlib.metadata.distribution(pending.pop())
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            name = canonical(requirement.name)
            if name not in seen:
                seen.add(name)
                pending.append(name)
    return seen


def test_the_component_list_covers_the_runtime_dependencies() -> None:
    """A new or changed dependency must be added to the About box with its licence."""
    listed = {re.sub(r"[-_.]+", "-", c.distribution).lower() for c in COMPONENTS if c.distribution}
    assert _runtime_closure() <= listed


def test_every_control_is_named_and_reachable_by_keyboard(qtbot: Any) -> None:
    dialog = _open(qtbot)

    assert unnamed_interactive(dialog) == []
    assert unreachable_by_keyboard(dialog) == []
    assert dialog.components.accessibleName() == "Bundled components"
    assert dialog.close_button.isDefault()
    assert (
        dialog.details_label.textInteractionFlags()
        & Qt.TextInteractionFlag.TextSelectableByKeyboard
    )


def test_tab_walks_table_then_buttons_and_escape_closes(qtbot: Any) -> None:
    dialog = _open(qtbot)
    dialog.activateWindow()
    dialog.components.setFocus()
    qtbot.waitUntil(dialog.components.hasFocus)

    order = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [dialog.copy_button, dialog.about_qt_button, dialog.close_button]

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_close_button_closes(qtbot: Any) -> None:
    dialog = _open(qtbot)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_copy_details_puts_version_and_components_on_the_clipboard(qtbot: Any) -> None:
    dialog = _open(qtbot)
    QGuiApplication.clipboard().clear()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    text = QGuiApplication.clipboard().text()
    assert f"Calendly Console {desktop.__version__}" in text
    assert f"HTTPX {importlib.metadata.version('httpx')} (BSD-3-Clause)" in text


def test_about_qt_shows_qts_own_box(qtbot: Any) -> None:
    dialog = _open(qtbot)
    seen: list[str] = []

    def close_qt_box() -> None:
        # QMessageBox.aboutQt runs its own modal loop; this timer fires inside it.
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.windowTitle() + "\n" + box.text())
            box.close()
        else:
            QTimer.singleShot(20, close_qt_box)

    QTimer.singleShot(0, close_qt_box)
    qtbot.mouseClick(dialog.about_qt_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].startswith("About Qt")
    assert qVersion() in seen[0]
    assert dialog.isVisible()
