"""The window's menus and their keyboard shortcuts, as named actions the shell connects."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.ui.theme import APPEARANCES, appearance_label


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


@dataclass
class Actions:
    refresh: QAction
    switch_profile: QAction
    add_profile: QAction
    edit_profile: QAction
    sign_out: QAction
    remove_profile: QAction
    quit: QAction
    about: QAction
    appearance: dict[str, QAction]
    profiles_menu: QMenu
    pages_menu: QMenu


def build_menus(window: QMainWindow) -> Actions:
    bar = window.menuBar()

    file_menu = bar.addMenu(tr("&File"))
    profiles_menu = QMenu(tr("&Profiles"), window)
    switch_profile = QAction(tr("&Switch Profile…"), window)
    switch_profile.setShortcut(QKeySequence("Ctrl+P"))
    add_profile = QAction(tr("&Add Profile…"), window)
    add_profile.setShortcut(QKeySequence("Ctrl+Shift+N"))
    edit_profile = QAction(tr("&Edit Profile…"), window)
    edit_profile.setStatusTip(tr("Rename the profile or change its colour"))
    sign_out = QAction(tr("Sign &Out"), window)
    sign_out.setShortcut(QKeySequence("Ctrl+Shift+L"))
    remove_profile = QAction(tr("&Remove Profile…"), window)
    quit_action = QAction(tr("&Quit"), window)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    file_menu.addAction(switch_profile)
    file_menu.addMenu(profiles_menu)
    file_menu.addAction(add_profile)
    file_menu.addAction(edit_profile)
    file_menu.addSeparator()
    file_menu.addAction(sign_out)
    file_menu.addAction(remove_profile)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)

    view_menu = bar.addMenu(tr("&View"))
    refresh = QAction(tr("&Refresh"), window)
    refresh.setShortcuts([QKeySequence(QKeySequence.StandardKey.Refresh), QKeySequence("Ctrl+R")])
    view_menu.addAction(refresh)
    view_menu.addSeparator()
    pages_menu = view_menu.addMenu(tr("&Go To"))
    appearance_menu = view_menu.addMenu(tr("&Appearance"))
    group = QActionGroup(window)
    appearance: dict[str, QAction] = {}
    for key in APPEARANCES:
        action = QAction(appearance_label(key), window)
        action.setCheckable(True)
        action.setData(key)
        group.addAction(action)
        appearance_menu.addAction(action)
        appearance[key] = action

    help_menu = bar.addMenu(tr("&Help"))
    about = QAction(tr("&About Calendly Console"), window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    help_menu.addAction(about)

    return Actions(
        refresh=refresh,
        switch_profile=switch_profile,
        add_profile=add_profile,
        edit_profile=edit_profile,
        sign_out=sign_out,
        remove_profile=remove_profile,
        quit=quit_action,
        about=about,
        appearance=appearance,
        profiles_menu=profiles_menu,
        pages_menu=pages_menu,
    )
