"""The window shell: welcome, the sandbox, pages, status bar, persistence, failures."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.sandbox import SandboxServer
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.conftest import owner_and_organization


def test_first_launch_welcomes_and_try_the_sandbox_shows_the_demo_organization(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = make_console()
    window = console.window
    console.controller.start()
    assert window.screens.currentWidget() is window.welcome
    assert window.welcome.sandbox_button.isDefault()

    qtbot.mouseClick(window.welcome.sandbox_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.connected, timeout=15_000)

    me, org = owner_and_organization(sandbox)
    status = window.status
    assert status.organization.text() == org["name"]
    assert status.user.text() == f"{me['name']} (owner)"
    assert status.environment.text() == "Sandbox"
    assert window.windowTitle().startswith(f"Sandbox — {org['name']}")
    assert console.sandbox.starts == 1
    saved = console.saved()
    assert [p.kind for p in saved.profiles] == ["sandbox"]
    assert saved.active_profile == saved.profiles[0].id
    assert saved.profiles[0].organization_name == org["name"]


def test_the_sandbox_flag_goes_straight_to_the_sandbox(make_console: Any, qtbot: Any) -> None:
    console = make_console()
    console.controller.start(sandbox=True)
    assert console.window.screens.currentWidget() is not console.window.welcome
    qtbot.waitUntil(lambda: console.connected, timeout=15_000)
    assert console.window.status.environment.text() == "Sandbox"


def test_pages_are_listed_with_keyboard_shortcuts_and_the_overview_first(
    make_console: Any, qtbot: Any
) -> None:
    console = make_console()
    console.open_on_sandbox(qtbot)
    window = console.window
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == [
        "Overview",
        "Members",
        "Event types",
        "Scheduled events",
        "Routing forms",
        "Webhooks",
        "Booking",
        "Action log",
    ]
    assert window.current_page.spec.key == "overview"  # the first page after sign-in
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page.spec.key == "webhooks"
    # The owner manages every scope's webhooks: no note about rights.
    assert window.current_page.rights.isHidden()  # type: ignore[attr-defined]


def test_the_status_bar_shows_the_rate_limit_budget_calendly_reports(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = make_console()
    console.open_on_sandbox(qtbot)
    budget = console.window.status.budget
    limit = sandbox.config.rate_limit
    qtbot.waitUntil(lambda: f"of {limit} left" in budget.text())
    left = int(budget.text().split("API budget: ")[1].split(" of")[0].replace(",", ""))
    assert 0 < left < limit  # the app's own requests were counted


def test_geometry_profile_and_last_page_are_restored_on_the_next_start(
    make_console: Any, qtbot: Any
) -> None:
    first = make_console()
    first.controller.start()
    qtbot.mouseClick(first.window.welcome.sandbox_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.connected, timeout=15_000)
    first.window.resize(700, 530)  # inside the offscreen 800x600 screen
    first.window.show_page("scheduled_events")
    first.controller.shutdown()
    qtbot.waitUntil(lambda: bool(first.closed), timeout=15_000)
    saved = first.saved()
    assert saved.window.last_page == "scheduled_events"
    assert saved.window.geometry

    second = make_console()
    second.controller.start()
    # No welcome: the saved profile connects at once.
    assert second.window.screens.currentWidget() is second.window.connecting
    qtbot.waitUntil(lambda: second.connected, timeout=15_000)
    assert second.window.current_page.spec.key == "scheduled_events"
    assert (second.window.width(), second.window.height()) == (700, 530)


def test_a_corrupted_settings_file_is_set_aside_with_a_visible_notice(
    make_console: Any, qtbot: Any
) -> None:
    console = make_console()
    console.settings_path.write_text('{"profiles": [{"id": 3', encoding="utf-8")
    console = make_console()  # loads the damaged file
    console.controller.start()
    texts = console.window.messages.texts()
    assert any("is damaged" in text and "Default settings are in use" in text for text in texts)
    assert console.window.screens.currentWidget() is console.window.welcome
    assert list(console.settings_path.parent.glob("settings.json.corrupt-*"))


def test_without_a_keyring_the_sign_in_is_kept_for_the_session_and_the_user_is_told(
    make_console: Any, qtbot: Any
) -> None:
    from keyring.backends import fail

    console = make_console(keyring=fail.Keyring())
    console.controller.start()
    window = console.window
    notice = "kept for this session only"
    qtbot.waitUntil(lambda: any(notice in text for text in window.messages.texts()))
    assert not console.controller.connector.secrets.persistent


def test_without_a_keyring_a_sign_in_works_now_and_is_asked_for_again_next_time(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    from keyring.backends import fail

    console = make_console(keyring=fail.Keyring())
    console.controller.start()
    token = sandbox.token_for("admin")
    console.sign_in_with_token(qtbot, token)
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    assert token not in console.settings_path.read_text(encoding="utf-8")
    console.controller.shutdown()
    qtbot.waitUntil(lambda: bool(console.closed), timeout=30_000)

    later = make_console(keyring=fail.Keyring())  # the next launch: the token is gone
    later.controller.start()
    qtbot.waitUntil(lambda: later.controller.signin.dialog is not None, timeout=30_000)
    assert "Sign-in needed for Calendly" in later.window.connecting.status.text()
    assert [p.name for p in later.saved().profiles] == ["Calendly"]  # the profile stays


def test_a_failed_connection_says_what_failed_and_retry_connects(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    fault = sandbox.add_fault(kind="error", status=503, paths=["/users/me"], times=10)
    console = make_console()
    console.controller.start(sandbox=True)
    window = console.window
    qtbot.waitUntil(lambda: window.connecting.retry_button.isVisible(), timeout=30_000)
    text = window.connecting.status.text()
    assert text.startswith("Connecting to Sandbox failed")
    assert "try again" in text.lower()
    sandbox.state.faults.remove(fault.id)
    qtbot.mouseClick(window.connecting.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.connected, timeout=15_000)


def test_a_failed_refresh_is_a_non_modal_message_and_the_window_stays_usable(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = make_console()
    console.open_on_sandbox(qtbot)
    sandbox.add_fault(kind="error", status=500, paths=["/users/me"], times=10)
    console.window.actions_.refresh.trigger()
    messages = console.window.messages
    prefix = "Refreshing failed: Calendly had a problem (500)"

    def failed() -> Any:
        # Other messages may stand beside it (the seeded organization has a failing webhook).
        return next((m for m in messages.messages() if m.text.startswith(prefix)), None)

    qtbot.waitUntil(lambda: failed() is not None, timeout=30_000)
    assert console.connected
    qtbot.mouseClick(failed().dismiss_button, Qt.MouseButton.LeftButton)
    assert failed() is None


def test_every_control_of_the_window_has_an_accessible_name_and_keyboard_access(
    make_console: Any, qtbot: Any
) -> None:
    console = make_console()
    console.open_on_sandbox(qtbot)
    console.window.messages.show_message(
        "a11y", "A message with an action", "info", ("&Do it", lambda: None)
    )
    assert unnamed_interactive(console.window) == []
    assert unreachable_by_keyboard(console.window) == []
    switcher = console.controller.profile_menu.popup()  # Ctrl+P
    assert switcher.accessibleName() == "Switch profile"
    assert all(action.text() for action in switcher.actions() if not action.isSeparator())
    switcher.close()
    console.controller.profile_menu.confirm_remove()
    box = console.controller.profile_menu.confirmation
    assert box is not None
    assert unnamed_interactive(box) == []
    box.reject()


def test_help_about_opens_the_about_box_without_blocking(make_console: Any, qtbot: Any) -> None:
    console = make_console()
    console.controller.start()
    console.window.actions_.about.trigger()
    about = console.controller.about
    assert about is not None and about.isVisible() and not about.isModal()
    assert "0.1.0" in about.version_label.text()
    about.close()


def test_editing_the_profile_renames_and_recolours_the_window_at_once(
    make_console: Any, qtbot: Any
) -> None:
    from desktop.profiles import PALETTE

    console = make_console()
    console.open_on_sandbox(qtbot)
    console.window.actions_.edit_profile.trigger()
    dialog = console.controller.profile_menu.editor
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.setText("Demo org")
    dialog.colour_chooser.set_colour(PALETTE[1])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    window = console.window
    assert window.windowTitle().startswith("Demo org — ")
    assert window.status.profile.text() == "Demo org"
    assert PALETTE[1] in window.status.profile.styleSheet()
    assert PALETTE[1] in window.colour_strip.styleSheet()
    assert [a.text() for a in console.controller.profile_menu.actions] == ["Demo org"]
    saved = console.saved().profiles[0]
    assert (saved.name, saved.colour) == ("Demo org", PALETTE[1])
