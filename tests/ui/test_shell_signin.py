"""Signing in from the window: personal token, OAuth in the browser, refresh, switch, sign out."""

from __future__ import annotations

import json
from typing import Any

import httpx
from PySide6.QtCore import Qt

from desktop import profiles, secrets
from desktop.sandbox import SandboxServer
from desktop.secrets import SERVICE
from desktop.ui.signin.oauth_dialog import OAuthDialog
from tests.ui.conftest import CLIENT_ID, Console, signed_in_with_token


def _me(sandbox: SandboxServer, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{sandbox.base_url}/users/me", headers=headers, timeout=30)


def _saved_pair(console: Console) -> dict[str, Any]:
    profile = profiles.active(console.saved())
    assert profile is not None
    entries = console.keyring.entries  # type: ignore[attr-defined]
    return json.loads(entries[(SERVICE, f"{profile.id}/{secrets.OAUTH_TOKENS}")])  # type: ignore[no-any-return]


def test_a_personal_token_is_checked_then_kept_in_the_keyring_only(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console, token = signed_in_with_token(make_console, sandbox, qtbot, "admin")

    me = _me(sandbox, token).json()["resource"]
    assert console.window.status.user.text() == f"{me['name']} (admin)"
    profile = profiles.active(console.saved())
    assert profile is not None and profile.kind == "token"
    entries = console.keyring.entries
    assert entries[(SERVICE, f"{profile.id}/{secrets.PERSONAL_TOKEN}")] == token
    assert token not in console.settings_path.read_text(encoding="utf-8")


def test_a_refused_token_keeps_the_dialog_open_and_no_profile_is_made(
    make_console: Any, qtbot: Any
) -> None:
    console = make_console()
    console.controller.start()
    dialog = console.sign_in_with_token(qtbot, "not-a-real-token-0123456789")
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled(), timeout=30_000)
    assert dialog.isVisible()
    assert dialog.token_edit.text() == "not-a-real-token-0123456789"
    assert console.saved().profiles == ()
    assert console.window.screens.currentWidget() is console.window.welcome


def test_oauth_in_the_browser_signs_in_and_keeps_the_pair_in_the_keyring(
    oauth_console: Console, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = oauth_console

    opened = console.browser.opened
    assert len(opened) == 1 and opened[0].startswith(f"{sandbox.base_url}/oauth/authorize?")
    assert "code_challenge_method=S256" in opened[0] and "state=" in opened[0]
    profile = profiles.active(console.saved())
    assert profile is not None and profile.kind == "oauth" and profile.name == "Acme via OAuth"
    pair = _saved_pair(console)
    assert _me(sandbox, pair["access_token"]).status_code == 200
    assert pair["access_token"] not in console.settings_path.read_text(encoding="utf-8")
    assert console.window.windowTitle().startswith("Acme via OAuth")


def test_a_rotated_refresh_token_is_saved_and_works(
    oauth_console: Console, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = oauth_console
    before = _saved_pair(console)

    sandbox.advance_clock(3 * 3600)  # the access token expires on the sandbox's clock
    assert _me(sandbox, before["access_token"]).status_code == 401
    console.window.actions_.refresh.trigger()
    qtbot.waitUntil(lambda: _saved_pair(console)["refresh_token"] != before["refresh_token"])

    after = _saved_pair(console)
    assert _me(sandbox, after["access_token"]).status_code == 200
    assert console.window.messages.texts() == []
    assert console.connected


def test_a_refused_refresh_token_asks_to_sign_in_again_and_keeps_the_profile(
    oauth_console: Console, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = oauth_console
    pair = _saved_pair(console)
    revoked = httpx.post(
        f"{sandbox.base_url}/oauth/revoke",
        data={"token": pair["refresh_token"], "client_id": CLIENT_ID},
        timeout=30,
    )
    assert revoked.status_code == 200
    sandbox.advance_clock(3 * 3600)

    console.window.actions_.refresh.trigger()
    qtbot.waitUntil(
        lambda: isinstance(console.controller.signin.dialog, OAuthDialog), timeout=30_000
    )
    dialog = console.controller.signin.dialog
    assert isinstance(dialog, OAuthDialog)
    assert dialog.name_edit.text() == "Acme via OAuth"
    assert dialog.client_id_edit.text() == CLIENT_ID
    assert "Sign-in needed for Acme via OAuth" in console.window.connecting.status.text()
    assert [p.name for p in console.saved().profiles] == ["Acme via OAuth"]

    # Signing in again reuses the same profile.
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    assert [p.name for p in console.saved().profiles] == ["Acme via OAuth"]
    assert _saved_pair(console)["refresh_token"] != pair["refresh_token"]


def test_switching_profiles_changes_who_the_window_acts_as(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = make_console()
    console.open_on_sandbox(qtbot)
    owner_line = console.window.status.user.text()

    console.window.actions_.add_profile.trigger()
    assert console.window.welcome.back_button.isVisible()
    console.sign_in_with_token(qtbot, sandbox.token_for("user"))
    qtbot.waitUntil(lambda: console.window.status.user.text().endswith("(user)"), timeout=30_000)
    assert console.window.status.profile.text() == "Calendly"
    assert console.window.windowTitle().startswith("Calendly")

    menu = console.controller.profile_menu
    assert [a.text() for a in menu.actions] == ["Sandbox", "Calendly"]
    assert [a.isChecked() for a in menu.actions] == [False, True]
    menu.actions[0].trigger()
    qtbot.waitUntil(lambda: console.window.status.user.text() == owner_line, timeout=30_000)
    assert console.window.status.profile.text() == "Sandbox"
    assert console.window.windowTitle().startswith("Sandbox")
    assert profiles.active(console.saved()).kind == "sandbox"  # type: ignore[union-attr]


def test_sign_out_revokes_the_oauth_grant_and_keeps_the_profile(
    oauth_console: Console, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = oauth_console
    pair = _saved_pair(console)
    console.window.actions_.sign_out.trigger()
    connecting = console.window.connecting
    qtbot.waitUntil(lambda: connecting.status.text().startswith("Signed out of"), timeout=30_000)
    assert _me(sandbox, pair["access_token"]).status_code == 401
    profile = profiles.active(console.saved())
    assert profile is not None and profile.name == "Acme via OAuth"
    assert not any(k[1].endswith(secrets.OAUTH_TOKENS) for k in console.keyring.entries)


def test_removing_a_profile_deletes_its_keyring_entries(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console, _ = signed_in_with_token(make_console, sandbox, qtbot, "admin")

    console.window.actions_.remove_profile.trigger()
    box = console.controller.profile_menu.confirmation
    assert box is not None and "Remove the profile Calendly?" in box.text()
    remove = next(b for b in box.buttons() if b.text().replace("&", "") == "Remove")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.saved().profiles == (), timeout=30_000)
    assert console.keyring.entries == {}
    qtbot.waitUntil(lambda: console.window.screens.currentWidget() is console.window.welcome)


def test_pages_that_need_admin_rights_say_so_to_a_plain_member(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = make_console()
    console.controller.start()
    console.sign_in_with_token(qtbot, sandbox.token_for("user"))
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    window = console.window
    organization = window.status.organization.text()
    window.show_page("webhooks")
    rights = window.current_page.rights  # type: ignore[attr-defined]
    assert not rights.isHidden()
    assert rights.text() == (
        f"Without admin rights in {organization} you see and manage your own webhook "
        "subscriptions only."
    )
    window.show_page("scheduled_events")
    events = window.current_page.tables[0]  # type: ignore[attr-defined]
    assert events.scope.text() == (
        f"Without admin rights in {organization} you will see your own meetings only."
    )


def test_a_token_that_cannot_read_the_role_says_so_on_admin_pages(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = make_console()
    console.controller.start()
    console.sign_in_with_token(qtbot, sandbox.token_for("admin", scopes=["users:read"]))
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    window = console.window
    assert window.status.user.text().endswith("(role unknown)")
    window.show_page("webhooks")
    assert "organizations:read" in window.current_page.rights.text()  # type: ignore[attr-defined]


def test_signing_out_offline_still_forgets_the_tokens_and_says_calendly_was_not_told(
    oauth_console: Console, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = oauth_console
    sandbox.add_fault(kind="drop", paths=["/oauth/revoke"], times=20)
    console.window.actions_.sign_out.trigger()
    connecting = console.window.connecting
    qtbot.waitUntil(lambda: connecting.status.text().startswith("Signed out of"), timeout=60_000)
    assert connecting.retry_button.text() == "&Sign In Again"
    assert not any(k[1].endswith(secrets.OAUTH_TOKENS) for k in console.keyring.entries)
    texts = console.window.messages.texts()
    assert any("Calendly could not be told to revoke the sign-in" in text for text in texts)
