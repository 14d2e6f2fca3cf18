"""The accessibility checks themselves: they flag what they should and skip Qt's inner parts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    return widget


def test_flags_unnamed_controls_also_on_hidden_stack_pages(qtbot: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    layout.addWidget(_named(QPushButton("&OK"), "ok"))
    stack = QStackedWidget()
    stack.addWidget(QLabel("first page"))
    hidden = QPushButton("&Retry")
    hidden.setObjectName("retry")
    stack.addWidget(hidden)
    layout.addWidget(stack)
    editor = QLineEdit()
    editor.setPlaceholderText("Token")
    layout.addWidget(editor)
    layout.addWidget(QPlainTextEdit())
    log = QPlainTextEdit()
    log.setReadOnly(True)  # a read-only log is not a control
    layout.addWidget(log)
    root.show()

    assert unnamed_interactive(root) == [
        "QPushButton#retry '&Retry'",
        "QLineEdit 'Token'",
        "QPlainTextEdit ''",
    ]


def test_composite_controls_count_once(qtbot: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(["Sandbox", "Production"])
    layout.addWidget(_named(combo, "profile"))
    layout.addWidget(_named(QSpinBox(), "count"))
    search = QLineEdit()
    search.setClearButtonEnabled(True)
    layout.addWidget(_named(search, "search"))
    layout.addWidget(_named(QTableWidget(2, 2), "table"))
    tabs = QTabWidget()
    tabs.addTab(_named(QPushButton("&Inner"), "inner"), "One")
    layout.addWidget(tabs)
    root.show()

    # The tab bar is what a screen reader lands on: it needs a name; inner parts do not.
    assert unnamed_interactive(root) == ["QTabBar#qt_tabwidget_tabbar ''"]
    tabs.tabBar().setAccessibleName("Sections")
    assert unnamed_interactive(root) == []
    assert unreachable_by_keyboard(root) == []


def test_unreachable_controls_and_toolbar_actions(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    stuck = _named(QPushButton("&Stuck"), "stuck")
    stuck.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    window.setCentralWidget(stuck)
    toolbar = window.addToolBar("Main")
    with_shortcut = QAction("&Refresh", window)
    with_shortcut.setShortcut("F5")
    toolbar.addAction(with_shortcut)
    toolbar.addAction(QAction("&Orphan", window))
    window.show()

    assert unreachable_by_keyboard(window) == ["QPushButton#stuck '&Stuck'", "QToolButton 'Orphan'"]
    # Toolbar buttons need explicit names as well.
    assert len(unnamed_interactive(window)) == 2
