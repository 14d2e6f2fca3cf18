"""The profile dialog: rename and recolour with the profile rules, problems next to the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QLabel

from desktop import profiles
from desktop.profiles import PALETTE, Profile
from desktop.settings import Settings
from desktop.ui.profile_dialog import ProfileDialog
from desktop.ui.theme import contrast_ratio
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard


def _settings() -> Settings:
    """A sandbox profile and a signed-in personal-token profile named "Work"."""
    settings = profiles.ensure_sandbox(Settings())
    work = profiles.make_profile(settings, name="Work", kind="token", colour=PALETTE[0])
    settings = profiles.add(settings, work, activate=False)
    return profiles.update_identity(
        settings,
        work.id,
        organization_uri="https://api.calendly.com/organizations/ORG",
        organization_name="Acme Scheduling",
        user_uri="https://api.calendly.com/users/ME",
        user_name="Ada Lovelace",
    )


def _named(settings: Settings, name: str) -> Profile:
    return next(p for p in settings.profiles if p.name == name)


@pytest.fixture
def settings() -> Settings:
    return _settings()


@pytest.fixture
def open_dialog(qtbot: Any, settings: Settings) -> Iterator[Any]:
    """``open_dialog(name)``: the dialog for the profile named ``name``, opened (non-blocking)."""
    made: list[ProfileDialog] = []

    def make(name: str) -> ProfileDialog:
        dialog = ProfileDialog(None, _named(settings, name), settings)
        qtbot.addWidget(dialog)
        dialog.open()
        made.append(dialog)
        qtbot.waitUntil(dialog.isActiveWindow)  # keys go to the active window
        return dialog

    yield make
    for dialog in made:
        dialog.close()


def _swatch(dialog: ProfileDialog, name: str) -> Any:
    return next(b for b in dialog.colour_chooser.swatches if b.accessibleName() == name)


def test_rename_and_recolour_give_settings_with_the_new_values(
    open_dialog: Any, settings: Settings, qtbot: Any
) -> None:
    dialog = open_dialog("Sandbox")
    saved: list[Settings] = []
    dialog.saved.connect(saved.append)
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "  Demo   organization ")
    qtbot.mouseClick(_swatch(dialog, "Red"), Qt.MouseButton.LeftButton)

    assert dialog.preview.text() == "Demo organization"
    assert dialog.preview.background == QColor("#c62828")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    updated = dialog.updated_settings
    assert updated is not None and saved == [updated]
    before = _named(settings, "Sandbox")
    after = profiles.find(updated, before.id)
    assert (after.name, after.colour) == ("Demo organization", "#c62828")
    assert after.kind == "sandbox" and after.base_url is None
    assert _named(updated, "Work") == _named(settings, "Work")  # the others are untouched
    assert updated.active_profile == settings.active_profile


def test_enter_saves_because_save_is_the_default_button(
    open_dialog: Any, settings: Settings, qtbot: Any
) -> None:
    dialog = open_dialog("Work")
    dialog.name_edit.setText("Work (Acme)")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.updated_settings is not None
    assert _named(dialog.updated_settings, "Work (Acme)").colour == PALETTE[0]


def test_any_colour_from_the_colour_picker(open_dialog: Any, qtbot: Any) -> None:
    dialog = open_dialog("Work")
    qtbot.mouseClick(dialog.colour_chooser.other_button, Qt.MouseButton.LeftButton)
    picker = dialog.colour_chooser.colour_dialog
    assert picker is not None and picker.isVisible()
    assert dialog.isVisible()  # non-blocking: the dialog is still there
    picker.setCurrentColor(QColor("#f5e663"))
    picker.accept()

    custom = dialog.colour_chooser.custom_swatch
    assert custom.isVisible() and custom.isChecked()
    assert custom.accessibleName() == "Custom colour: Colour #f5e663"
    # Light yellow: the preview writes the name in black, which reads on it.
    assert dialog.preview.foreground == QColor("#000000")
    assert contrast_ratio(dialog.preview.background, dialog.preview.foreground) >= 4.5

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.updated_settings is not None
    assert _named(dialog.updated_settings, "Work").colour == "#f5e663"


def test_a_colour_outside_the_palette_is_shown_selected(open_dialog: Any) -> None:
    dialog = open_dialog("Sandbox")  # its green is not one of the palette's
    custom = dialog.colour_chooser.custom_swatch
    assert not custom.isHidden() and custom.isChecked()
    assert custom.accessibleName() == "Custom colour: Green"
    assert not any(b.isChecked() for b in dialog.colour_chooser.swatches)
    assert dialog.preview.foreground == QColor("#ffffff")  # white reads on dark green


def test_a_duplicate_name_in_other_case_is_explained_next_to_name(
    open_dialog: Any, qtbot: Any
) -> None:
    dialog = open_dialog("Sandbox")
    dialog.name_edit.setText("wORK")
    qtbot.mouseClick(_swatch(dialog, "Teal"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.updated_settings is None
    assert dialog.name_message.isVisible()
    assert dialog.name_message.text() == "A profile named “Work” already exists."
    assert dialog.name_edit.accessibleDescription() == dialog.name_message.text()
    assert not dialog.colour_message.isVisible()
    # Nothing typed or chosen is lost.
    assert dialog.name_edit.text() == "wORK"
    assert dialog.colour() == "#00838f"

    # Fixing it clears the message and saves.
    dialog.name_edit.setText("Sandbox (demo)")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.name_message.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_keeping_the_own_name_is_not_a_duplicate(open_dialog: Any, qtbot: Any) -> None:
    dialog = open_dialog("Work")
    dialog.name_edit.setText("WORK")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.updated_settings is not None
    assert _named(dialog.updated_settings, "WORK").kind == "token"


def test_an_empty_name_is_explained_next_to_name(open_dialog: Any, qtbot: Any) -> None:
    dialog = open_dialog("Work")
    dialog.name_edit.setText("   ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.updated_settings is None
    assert dialog.name_message.isVisible()
    assert dialog.name_message.text() == "A profile needs a name."
    assert dialog.name_edit.text() == "   "
    qtbot.waitUntil(dialog.name_edit.hasFocus)  # back on the field, from the Save button
    assert dialog.preview.text() == "(no name)"


def test_cancel_changes_nothing(open_dialog: Any, qtbot: Any) -> None:
    dialog = open_dialog("Work")
    dialog.name_edit.setText("Something else")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.updated_settings is None


def test_info_lines_show_kind_organization_and_user(open_dialog: Any) -> None:
    work = open_dialog("Work")
    assert work.organization_label is not None and work.user_label is not None
    assert work.organization_label.text() == "Acme Scheduling"
    assert work.user_label.text() == "Ada Lovelace"
    assert "Personal token" in _label_texts(work)

    sandbox = open_dialog("Sandbox")  # never signed in: nothing to say about who
    assert sandbox.organization_label is None and sandbox.user_label is None
    assert "Sandbox" in _label_texts(sandbox)


def test_every_control_is_named_and_reachable_by_keyboard(open_dialog: Any) -> None:
    for name in ("Work", "Sandbox"):
        dialog = open_dialog(name)
        assert unnamed_interactive(dialog) == []
        assert unreachable_by_keyboard(dialog) == []
        names = [b.accessibleName() for b in dialog.colour_chooser.swatches]
        assert names == ["Blue", "Red", "Purple", "Orange", "Teal", "Pink", "Brown", "Slate"]
        assert dialog.save_button.isDefault()


def test_tab_order_goes_name_swatches_other_colour(open_dialog: Any, qtbot: Any) -> None:
    dialog = open_dialog("Work")
    qtbot.waitUntil(dialog.name_edit.hasFocus)
    chooser = dialog.colour_chooser
    seen = []
    for _ in range(len(chooser.swatches) + 2):
        dialog.focusNextChild()
        seen.append(dialog.focusWidget())
    assert seen[0] in chooser.swatches
    assert chooser.other_button in seen
    # Space on a focused swatch picks it.
    dialog.name_edit.setFocus()
    dialog.focusNextChild()
    focused = dialog.focusWidget()
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    assert dialog.colour() == focused.property("colour")


def test_the_colour_mnemonic_focuses_the_chosen_swatch(open_dialog: Any, qtbot: Any) -> None:
    dialog = open_dialog("Work")
    qtbot.mouseClick(_swatch(dialog, "Pink"), Qt.MouseButton.LeftButton)
    dialog.name_edit.setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.focusWidget() is _swatch(dialog, "Pink"))
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.name_edit.hasFocus)


def _label_texts(dialog: ProfileDialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)]
