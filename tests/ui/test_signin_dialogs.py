"""The sign-in dialogs against the sandbox: a pasted token, and OAuth in a (fake) system browser."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from desktop.oauth import OAuthSettings
from desktop.profiles import CALENDLY_API
from desktop.sandbox import SandboxServer
from desktop.ui.signin import OAuthDialog, TokenDialog
from tests.oauth.browser import FakeBrowser
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard
from tests.ui.conftest import owner_and_organization

WAIT = 20_000
CLICK = Qt.MouseButton.LeftButton


# -- helpers ---------------------------------------------------------------------------------
def closed_port() -> int:
    """A port where nothing listens: it was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def token_dialog(qtbot: Any, base_url: str, token: str = "") -> TokenDialog:
    dialog = TokenDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.mouseClick(dialog.advanced.toggle, CLICK)
    dialog.base_url_edit.setText(base_url)
    qtbot.keyClicks(dialog.token_edit, token)
    return dialog


def oauth_dialog(
    qtbot: Any, base_url: str, browser: FakeBrowser, timeout: float = 30.0
) -> OAuthDialog:
    """The dialog filled in the way a user would for the sandbox's OAuth server."""
    settings = OAuthSettings.for_sandbox(base_url)
    dialog = OAuthDialog(open_browser=browser.open, timeout=timeout)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.client_id_edit, settings.client_id)
    qtbot.mouseClick(dialog.advanced.toggle, CLICK)
    dialog.authorize_url_edit.setText(settings.authorize_url)
    dialog.token_url_edit.setText(settings.token_url)
    dialog.base_url_edit.setText(base_url)
    return dialog


# -- personal access token -------------------------------------------------------------------
def test_a_valid_token_signs_in_with_the_organization_and_role(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    _, organization = owner_and_organization(sandbox)
    token = sandbox.token_for("admin")
    dialog = token_dialog(qtbot, sandbox.base_url, token)
    assert dialog.name_edit.text() == "Calendly"
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        qtbot.mouseClick(dialog.sign_in_button, CLICK)
        # Busy until Calendly answers: Sign in disabled, "Checking…" shown, Cancel available.
        assert not dialog.sign_in_button.isEnabled()
        assert dialog.busy.isVisible()
        assert dialog.busy.label.text() == "Checking the token with Calendly…"
        assert dialog.cancel_button.isEnabled()
    result = dialog.sign_in_result
    assert result is not None
    assert (result.name, result.base_url, result.token) == ("Calendly", sandbox.base_url, token)
    assert result.identity.organization_name == organization["name"]
    assert result.identity.role == "admin"
    assert token not in repr(result)
    assert not dialog.isVisible()


def test_an_invalid_token_is_explained_next_to_the_field_and_kept(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    typed = "sbx_" + "n" * 40
    dialog = token_dialog(qtbot, sandbox.base_url, typed)
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.token_message.isVisible(), timeout=WAIT)
    assert dialog.token_message.text() == (
        "Calendly did not accept this token: it may be mistyped, expired or revoked."
    )
    assert dialog.isVisible() and dialog.sign_in_result is None
    assert dialog.token_edit.text() == typed
    assert dialog.sign_in_button.isEnabled() and not dialog.busy.isVisible()
    assert dialog.token_edit.hasFocus()


def test_a_token_without_users_read_names_the_missing_scope(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    token = sandbox.token_for("owner", scopes=["event_types:read"])
    dialog = token_dialog(qtbot, sandbox.base_url, token)
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.token_message.isVisible(), timeout=WAIT)
    assert "lacks the users:read scope" in dialog.token_message.text()
    assert "Create a new personal access token" in dialog.token_message.text()
    assert dialog.isVisible() and dialog.token_edit.text() == token


def test_no_network_is_explained_next_to_the_address(qt_loop: Any, qtbot: Any) -> None:
    port = closed_port()
    dialog = token_dialog(qtbot, f"http://127.0.0.1:{port}", "sbx_" + "a" * 40)
    qtbot.mouseClick(dialog.advanced.toggle, CLICK)  # collapsed again: the error reopens it
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.base_url_message.isVisible(), timeout=WAIT)
    assert dialog.advanced.expanded
    assert dialog.base_url_message.text() == (
        f"Could not reach 127.0.0.1:{port}: check your network connection and try again."
    )
    assert not dialog.token_message.isVisible()


def test_an_empty_name_is_refused_locally(qt_loop: Any, qtbot: Any) -> None:
    dialog = token_dialog(qtbot, f"http://127.0.0.1:{closed_port()}", "sbx_" + "a" * 40)
    dialog.name_edit.setText("   ")
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    assert dialog.name_message.isVisible()
    assert dialog.name_message.text() == "Give this profile a name, for example “Calendly”."
    assert not dialog.checking and dialog.sign_in_button.isEnabled()


def test_cancel_while_checking_closes_and_abandons_the_check(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    sandbox.add_fault(kind="latency", latency_ms=3_000, paths=["/users/me"])
    dialog = token_dialog(qtbot, sandbox.base_url, sandbox.token_for("owner"))
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    assert dialog.checking
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT):
        qtbot.mouseClick(dialog.cancel_button, CLICK)
    qtbot.waitUntil(lambda: not dialog.checking, timeout=WAIT)
    assert dialog.sign_in_result is None and not dialog.isVisible()


def test_the_token_can_be_shown_and_hidden_and_defaults_are_calendlys(
    qt_loop: Any, qtbot: Any
) -> None:
    dialog = TokenDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.base_url_edit.text() == CALENDLY_API and not dialog.advanced.expanded
    qtbot.mouseClick(dialog.show_token, CLICK)
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.mouseClick(dialog.show_token, CLICK)
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.sign_in_button.isDefault()


# -- OAuth in the system browser -------------------------------------------------------------
def test_oauth_signs_in_as_the_user_chosen_on_the_consent_page(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    owner, organization = owner_and_organization(sandbox)
    browser = FakeBrowser("Allow")  # keeps the consent page's default choice: the owner
    dialog = oauth_dialog(qtbot, sandbox.base_url, browser)
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT) as signal:
        qtbot.mouseClick(dialog.sign_in_button, CLICK)
    result = dialog.sign_in_result
    assert result is not None and signal.args == [result]
    assert not dialog.isVisible()
    assert result.identity.user_email == owner["email"]
    assert result.identity.role == "owner"
    assert result.identity.organization_name == organization["name"]
    assert result.settings.client_id == "calendly-console-sandbox"
    assert result.settings.token_url == f"{sandbox.base_url}/oauth/token"
    assert result.settings.revoke_url == f"{sandbox.base_url}/oauth/revoke"
    assert result.base_url == sandbox.base_url and result.name == "Calendly"
    assert dialog.url_edit.text() == browser.opened[0]  # the link was shown, to copy
    me = httpx.get(
        f"{sandbox.base_url}/users/me",
        headers={"Authorization": f"Bearer {result.tokens.access_token}"},
        timeout=30,
    )
    assert me.status_code == 200


def test_oauth_denied_is_explained_and_the_fields_are_kept(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    dialog = oauth_dialog(qtbot, sandbox.base_url, FakeBrowser("Deny"))
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=WAIT)
    assert dialog.message.text().startswith("You declined access in the browser.")
    assert dialog.isVisible() and dialog.sign_in_result is None
    assert dialog.client_id_edit.text() == "calendly-console-sandbox"
    assert dialog.sign_in_button.isEnabled() and not dialog.waiting_for_browser


def test_cancel_while_waiting_closes_the_loopback_port(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    browser = FakeBrowser(None)  # the user never finishes in the browser
    dialog = oauth_dialog(qtbot, sandbox.base_url, browser)
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.waiting_for_browser, timeout=WAIT)
    assert dialog.waiting_label.text() == "Waiting for you to finish in the browser…"
    assert not dialog.sign_in_button.isEnabled()
    redirect = httpx.URL(httpx.URL(dialog.url_edit.text()).params["redirect_uri"])
    assert redirect.host == "127.0.0.1" and redirect.port is not None
    assert port_is_open(redirect.port)

    qtbot.mouseClick(dialog.cancel_sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=WAIT)
    assert dialog.message.text() == "Sign-in was cancelled."
    assert not port_is_open(redirect.port)
    assert dialog.isVisible() and dialog.sign_in_button.isEnabled()
    assert not dialog.waiting_for_browser


def test_closing_the_dialog_while_waiting_closes_the_loopback_port(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    dialog = oauth_dialog(qtbot, sandbox.base_url, FakeBrowser(None))
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.waiting_for_browser, timeout=WAIT)
    port = httpx.URL(httpx.URL(dialog.url_edit.text()).params["redirect_uri"]).port
    assert port is not None and port_is_open(port)
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not port_is_open(port), timeout=WAIT)
    assert dialog.sign_in_result is None


def test_oauth_timeout_is_explained(qt_loop: Any, qtbot: Any, sandbox: SandboxServer) -> None:
    dialog = oauth_dialog(qtbot, sandbox.base_url, FakeBrowser(None), timeout=0.3)
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=WAIT)
    assert "did not come back to Calendly Console in time" in dialog.message.text()
    assert dialog.sign_in_button.isEnabled()


def test_an_unreachable_token_server_is_explained_next_to_the_token_url(
    qt_loop: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    port = closed_port()
    dialog = oauth_dialog(qtbot, sandbox.base_url, FakeBrowser("Allow"))
    dialog.token_url_edit.setText(f"http://127.0.0.1:{port}/oauth/token")
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    qtbot.waitUntil(lambda: dialog.token_url_message.isVisible(), timeout=WAIT)
    assert dialog.token_url_message.text() == (
        f"Could not reach 127.0.0.1:{port}: check your network connection and try again."
    )
    assert dialog.token_url_edit.text() == f"http://127.0.0.1:{port}/oauth/token"


def test_a_missing_client_id_is_refused_before_the_browser_opens(qt_loop: Any, qtbot: Any) -> None:
    browser = FakeBrowser(None)
    dialog = OAuthDialog(open_browser=browser.open)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    assert dialog.client_id_message.isVisible()
    assert "Client ID" in dialog.client_id_message.text()
    assert browser.opened == []
    assert dialog.authorize_url_edit.text() == "https://auth.calendly.com/oauth/authorize"
    assert dialog.base_url_edit.text() == CALENDLY_API


def test_use_a_token_instead_is_offered(qt_loop: Any, qtbot: Any) -> None:
    dialog = OAuthDialog(open_browser=FakeBrowser(None).open)
    qtbot.addWidget(dialog)
    dialog.open()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "may require HTTPS redirect URIs" in texts
    assert "http://127.0.0.1" in texts
    with qtbot.waitSignal(dialog.use_token_instead, timeout=WAIT):
        qtbot.mouseClick(dialog.token_instead_button, CLICK)
    assert not dialog.isVisible()


@pytest.mark.parametrize("kind", ["token", "oauth"])
def test_the_dialogs_name_every_control_and_reach_it_by_keyboard(
    qt_loop: Any, qtbot: Any, kind: str
) -> None:
    dialog: QWidget = (
        TokenDialog() if kind == "token" else OAuthDialog(open_browser=FakeBrowser(None).open)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_interactive(dialog) == []
    assert unreachable_by_keyboard(dialog) == []
