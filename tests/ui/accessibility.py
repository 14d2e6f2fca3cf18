"""Test helpers: interactive widgets without an accessible name, or out of the keyboard's reach."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QDial,
    QGroupBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollBar,
    QSlider,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

# Controls made of Qt-internal parts (a spin box's line edit, a combo box's popup list, a line
# edit's clear button, a tab bar's scroll arrows): the control is checked, its parts are not.
_COMPOSITES = (QComboBox, QAbstractSpinBox, QLineEdit, QTabBar, QCalendarWidget, QKeySequenceEdit)
_ALWAYS_INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QSlider,
    QDial,
    QAbstractItemView,
    QTabBar,
    QCalendarWidget,
    QKeySequenceEdit,
)
_LINKS = (
    Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
)


def unnamed_interactive(root: QWidget) -> list[str]:
    """Every interactive widget under ``root`` (``root`` included) whose accessibleName is empty.

    Hidden widgets count too (a QStackedWidget's other pages, a collapsed panel): they are
    controls a user reaches later. Menus' actions are not widgets and are not walked.
    """
    return [describe(w) for w in interactive_widgets(root) if not w.accessibleName().strip()]


def unreachable_by_keyboard(root: QWidget) -> list[str]:
    """Every enabled interactive widget under ``root`` that Tab and click-to-focus never reach.

    A tool button whose action has a shortcut or sits in a menu counts as reachable: that is how
    a keyboard user triggers a toolbar's actions.
    """
    return [
        describe(w)
        for w in interactive_widgets(root)
        if w.isEnabled()
        and w.focusPolicy() == Qt.FocusPolicy.NoFocus
        and not _reachable_through_action(w)
    ]


def interactive_widgets(root: QWidget) -> list[QWidget]:
    """The interactive widgets under ``root`` (``root`` included), Qt-internal parts left out."""
    found: list[QWidget] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if _is_internal_part(widget, root):
            continue
        if _is_interactive(widget):
            found.append(widget)
    return found


def describe(widget: QWidget) -> str:
    """Class, objectName and visible text of a widget: enough to find it from a test failure."""
    text = ""
    if isinstance(widget, QAbstractButton | QLabel):
        text = widget.text()
    elif isinstance(widget, QLineEdit):
        text = widget.text() or widget.placeholderText()
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    elif isinstance(widget, QGroupBox):
        text = widget.title()
    text = text or widget.toolTip() or widget.windowTitle()
    name = widget.objectName()
    return f"{widget.metaObject().className()}{'#' + name if name else ''} {text!r}"


def _is_interactive(widget: QWidget) -> bool:
    if isinstance(widget, QScrollBar | QMenu):
        return False
    if isinstance(widget, _ALWAYS_INTERACTIVE):
        return True
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QGroupBox):
        return widget.isCheckable()
    if isinstance(widget, QLabel):
        return bool(widget.textInteractionFlags() & _LINKS) and "<a " in widget.text()
    return widget.inherits("QWebEngineView")


def _is_internal_part(widget: QWidget, root: QWidget) -> bool:
    if isinstance(widget, QHeaderView) and isinstance(widget.parent(), QAbstractItemView):
        return True  # a view's headers belong to the view
    if widget.objectName().startswith("qt_") and not isinstance(widget, QTabBar):
        return True  # Qt's own parts: corner buttons, toolbar extension buttons, calendar bits
    ancestor = widget.parentWidget()
    while ancestor is not None and widget is not root:
        if isinstance(ancestor, _COMPOSITES):
            return True
        if ancestor is root:
            break
        ancestor = ancestor.parentWidget()
    return False


def _reachable_through_action(widget: QWidget) -> bool:
    if not isinstance(widget, QToolButton) or widget.defaultAction() is None:
        return False
    action = widget.defaultAction()
    if not action.shortcut().isEmpty():
        return True
    return any(isinstance(owner, QMenu) for owner in action.associatedObjects())
