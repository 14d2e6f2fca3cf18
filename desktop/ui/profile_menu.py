"""Profiles in the menus: switch (File ▸ Profiles, Ctrl+P) and remove with a confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QMenu, QMessageBox

from desktop import profiles

if TYPE_CHECKING:
    from desktop.settings import Settings
    from desktop.ui.controller import AppController
    from desktop.ui.profile_dialog import ProfileDialog


def colour_icon(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ProfileMenu(QObject):
    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self._controller = controller
        self._group = QActionGroup(self)
        self._actions: list[QAction] = []
        self.confirmation: QMessageBox | None = None
        self.editor: ProfileDialog | None = None

    @property
    def actions(self) -> list[QAction]:
        return list(self._actions)

    def rebuild(self) -> None:
        """One checkable action per profile, the active one checked."""
        controller = self._controller
        window = controller.window
        menu = window.actions_.profiles_menu
        menu.clear()
        for action in self._actions:
            self._group.removeAction(action)
            action.deleteLater()
        self._actions = []
        settings = controller.settings
        for profile in settings.profiles:
            action = QAction(colour_icon(profile.colour), profile.name, window)
            action.setCheckable(True)
            action.setChecked(profile.id == settings.active_profile)
            action.setData(profile.id)
            action.setToolTip(profile.organization_name or profile.name)
            action.triggered.connect(lambda _=False, pid=profile.id: controller.switch_to(pid))
            self._group.addAction(action)
            menu.addAction(action)
            self._actions.append(action)
        menu.setEnabled(bool(self._actions))
        active = profiles.active(settings)
        actions = window.actions_
        # The sandbox has nothing to sign out of: its sign-in is made afresh at every start.
        actions.sign_out.setEnabled(active is not None and active.kind != "sandbox")
        actions.remove_profile.setEnabled(active is not None)
        actions.edit_profile.setEnabled(active is not None)
        actions.switch_profile.setEnabled(len(self._actions) > 0)

    def popup(self) -> QMenu:
        """Ctrl+P: the profiles (and Add Profile…) in a menu at the window's centre."""
        window = self._controller.window
        menu = QMenu(window)
        menu.setAccessibleName(self.tr("Switch profile"))
        for action in self._actions:
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(window.actions_.add_profile)
        centre = window.mapToGlobal(window.rect().center())
        menu.popup(centre - QPoint(menu.sizeHint().width() // 2, 0))
        return menu

    def edit(self) -> ProfileDialog | None:
        """Rename or recolour the active profile; the title and status bar follow."""
        from desktop.ui.profile_dialog import ProfileDialog  # loaded when first needed

        controller = self._controller
        profile = profiles.active(controller.settings)
        if profile is None:
            return None
        dialog = ProfileDialog(controller.window, profile, controller.settings)
        dialog.saved.connect(self._edited)
        dialog.finished.connect(dialog.deleteLater)
        self.editor = dialog
        dialog.open()
        return dialog

    def _edited(self, updated: Settings) -> None:
        controller = self._controller
        controller.update_settings(updated)
        active = profiles.active(updated)
        connection = controller.connection
        if active is None:
            return
        if connection is not None and connection.profile.id == active.id:
            connection.profile = active
            controller.window.update_connection(connection)
        else:
            controller.window.show_profile(active)

    def confirm_remove(self) -> None:
        """Ask before removing the active profile; its keyring entries go with it."""
        controller = self._controller
        profile = profiles.active(controller.settings)
        if profile is None:
            return
        box = QMessageBox(controller.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Remove Profile"))
        box.setText(self.tr("Remove the profile {name}?").format(name=profile.name))
        box.setInformativeText(
            self.tr(
                "Its saved sign-in is deleted from the system keyring and, for an OAuth "
                "sign-in, revoked. Nothing in Calendly is changed."
            )
        )
        remove = box.addButton(self.tr("&Remove"), QMessageBox.ButtonRole.DestructiveRole)
        remove.setAccessibleName(self.tr("Remove profile"))
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        box.setDefaultButton(cancel)

        def finished() -> None:
            self.confirmation = None
            if box.clickedButton() is remove:
                controller.tasks.spawn(
                    controller.session.remove(profile),
                    self.tr("Removing the profile {name}").format(name=profile.name),
                )

        box.finished.connect(finished)
        self.confirmation = box
        box.open()
