"""What the user asked for last wins: late results never overwrite the screen or leak."""

from __future__ import annotations

import json
from typing import Any

from desktop import profiles, secrets, settings
from desktop.profiles import Profile
from desktop.sandbox import SandboxServer
from desktop.secrets import SERVICE
from desktop.ui.signin.token_dialog import TokenDialog
from tests.ui.conftest import Console, signed_in_with_token


def _saved_token_profile(console: Console, sandbox: SandboxServer, token: str) -> Profile:
    """A personal-token profile as a previous run would have left it (settings + keyring)."""
    profile = profiles.make_profile(
        settings.Settings(), name="Acme", kind="token", base_url=sandbox.base_url
    )
    settings.save(profiles.add(settings.Settings(), profile), console.settings_path)
    console.keyring.set_password(SERVICE, f"{profile.id}/{secrets.PERSONAL_TOKEN}", token)
    console.keyring.set_password(
        SERVICE, f"{profile.id}/.kinds", json.dumps([secrets.PERSONAL_TOKEN])
    )
    return profile


def test_a_token_calendly_no_longer_accepts_leads_to_signing_in_again(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    first = make_console()
    _saved_token_profile(first, sandbox, "revoked-token-0123456789abcdef")
    console = make_console()  # a later launch
    console.controller.start()
    qtbot.waitUntil(lambda: isinstance(console.controller.signin.dialog, TokenDialog))
    dialog = console.controller.signin.dialog
    assert isinstance(dialog, TokenDialog)
    assert dialog.name_edit.text() == "Acme"
    assert "Sign-in needed for Acme" in console.window.connecting.status.text()

    # Signing in again (with a new name) keeps the profile and renames it.
    dialog.name_edit.setText("Acme Corp")
    dialog.token_edit.setText(sandbox.token_for("admin"))
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    saved = console.saved()
    assert [p.name for p in saved.profiles] == ["Acme Corp"]
    assert console.window.windowTitle().startswith("Acme Corp")


def test_a_failed_switch_does_not_leave_the_old_organization_on_screen(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    console, _ = signed_in_with_token(make_console, sandbox, qtbot, "user")
    token_profile = profiles.active(console.saved())
    assert token_profile is not None
    console.controller.use_sandbox()  # adds the sandbox profile and connects it
    qtbot.waitUntil(lambda: console.connected and console.window.status.profile.text() == "Sandbox")

    sandbox.add_fault(kind="error", status=503, paths=["/users/me"], times=50)
    console.controller.switch_to(token_profile.id)
    qtbot.waitUntil(lambda: console.window.connecting.retry_button.isVisible(), timeout=30_000)
    status = console.window.status
    assert status.user.isHidden() and status.organization.isHidden()  # nothing stale
    assert console.window.windowTitle().startswith(token_profile.name)
    assert console.controller.connection is None

    sandbox.state.faults.clear()
    sandbox_profile = next(p for p in console.saved().profiles if p.kind == "sandbox")
    console.controller.switch_to(sandbox_profile.id)
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    assert console.saved().active_profile == sandbox_profile.id  # the next launch agrees


def test_a_slow_sign_out_does_not_cover_the_profile_switched_to_meanwhile(
    oauth_console: Console, sandbox: SandboxServer, qtbot: Any
) -> None:
    console = oauth_console
    oauth_profile = profiles.active(console.saved())
    assert oauth_profile is not None

    # Calendly is slow to answer the revocation; meanwhile the user goes to the sandbox.
    sandbox.add_fault(kind="latency", latency_ms=1500, paths=["/oauth/revoke"], times=1)
    console.window.actions_.sign_out.trigger()
    assert "Signing out of Acme via OAuth" in console.window.connecting.status.text()
    console.controller.use_sandbox()
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    key = (SERVICE, f"{oauth_profile.id}/{secrets.OAUTH_TOKENS}")
    qtbot.waitUntil(lambda: key not in console.keyring.entries, timeout=30_000)
    qtbot.waitUntil(lambda: not console.controller.tasks.busy, timeout=30_000)
    assert console.connected  # the finished sign-out did not cover the sandbox's pages
    assert console.window.status.profile.text() == "Sandbox"


def test_removing_the_profile_that_is_connecting_leaves_no_connection_behind(
    make_console: Any, sandbox: SandboxServer, qtbot: Any
) -> None:
    first = make_console()
    _saved_token_profile(first, sandbox, sandbox.token_for("admin"))
    sandbox.add_fault(kind="latency", latency_ms=1500, paths=["/users/me"], times=1)
    console = make_console()
    console.controller.start()
    assert console.window.screens.currentWidget() is console.window.connecting

    console.window.actions_.remove_profile.trigger()
    box = console.controller.profile_menu.confirmation
    assert box is not None
    remove = next(b for b in box.buttons() if b.text().replace("&", "") == "Remove")
    remove.click()
    qtbot.waitUntil(lambda: console.saved().profiles == (), timeout=30_000)
    qtbot.waitUntil(lambda: console.window.screens.currentWidget() is console.window.welcome)
    qtbot.waitUntil(lambda: not console.controller.tasks.busy, timeout=30_000)
    assert console.controller.connection is None
    assert console.window.screens.currentWidget() is console.window.welcome
    assert console.window.messages.texts() == ["Removed the profile Acme and its saved sign-in."]
