"""The whole app, offscreen: window + controller + connector on the test sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop import profiles, settings
from desktop.action_log import ActionLog
from desktop.connection.connector import Connection, Connector
from desktop.sandbox import SandboxServer
from desktop.sandbox.process import SandboxAccess
from desktop.secrets import SecretStore
from desktop.ui.controller import AppController
from desktop.ui.main_window import MainWindow
from desktop.ui.page_context import PageContext
from desktop.ui.signin.token_dialog import TokenDialog
from tests.keyrings import MemoryKeyring
from tests.oauth.browser import FakeBrowser


class StandInSandbox:
    """The app's built-in sandbox, played by the test's (already running) sandbox server."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.starts = 0

    async def start(self) -> SandboxAccess:
        self.starts += 1
        return SandboxAccess(self.server.base_url, self.server.token_for("owner"))


@dataclass
class Console:
    """One running app: what a test drives and inspects."""

    window: MainWindow
    controller: AppController
    settings_path: Path
    keyring: KeyringBackend
    browser: FakeBrowser
    sandbox: StandInSandbox
    closed: list[bool] = field(default_factory=list)

    def saved(self) -> settings.Settings:
        return settings.load(self.settings_path).settings

    @property
    def connected(self) -> bool:
        """The shell (pages, status bar) is on screen, not the welcome or connecting screen."""
        return self.window.screens.currentWidget() is self.window.shell

    def open_on_sandbox(self, qtbot: Any) -> None:
        """Start as ``calendly-console --sandbox`` does and wait until connected."""
        self.controller.start(sandbox=True)
        qtbot.waitUntil(lambda: self.connected, timeout=30_000)

    def sign_in_with_token(self, qtbot: Any, token: str) -> TokenDialog:
        """Welcome → "Use a personal access token" → paste → Sign in (not waited for)."""
        qtbot.mouseClick(self.window.welcome.token_button, Qt.MouseButton.LeftButton)
        dialog = self.controller.signin.dialog
        assert isinstance(dialog, TokenDialog) and dialog.isVisible()
        dialog.token_edit.setText(token)
        dialog.base_url_edit.setText(self.sandbox.server.base_url)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        return dialog

    def sign_in_with_oauth(self, qtbot: Any, name: str = "Acme via OAuth") -> None:
        """Welcome → "Sign in with Calendly" with the sandbox's OAuth server; the fake
        browser allows on the consent page; wait until connected."""
        from desktop.ui.signin.oauth_dialog import OAuthDialog

        base = self.sandbox.server.base_url
        qtbot.mouseClick(self.window.welcome.oauth_button, Qt.MouseButton.LeftButton)
        dialog = self.controller.signin.dialog
        assert isinstance(dialog, OAuthDialog) and dialog.isVisible()
        dialog.name_edit.setText(name)
        dialog.client_id_edit.setText(CLIENT_ID)
        dialog.authorize_url_edit.setText(f"{base}/oauth/authorize")
        dialog.token_url_edit.setText(f"{base}/oauth/token")
        dialog.base_url_edit.setText(base)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: self.connected, timeout=30_000)


CLIENT_ID = "calendly-console-sandbox"  # the sandbox's native OAuth client


def owner_and_organization(sandbox: SandboxServer) -> tuple[dict[str, Any], dict[str, Any]]:
    """The sandbox's owner and organization, asked over plain HTTP (independently of the app)."""
    headers = {"Authorization": f"Bearer {sandbox.token_for('owner')}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=30) as http:
        me = http.get("/users/me").json()["resource"]
        org = http.get(me["current_organization"]).json()["resource"]
    return me, org


@pytest.fixture
def make_console(
    tmp_path: Path, sandbox: SandboxServer, qtbot: Any, qt_loop: Any
) -> Iterator[Callable[..., Console]]:
    """``make_console(keyring=None, browser=None)``: build (not start) the app; closed after."""
    made: list[Console] = []
    shared_keyring = MemoryKeyring()

    def make(keyring: KeyringBackend | None = None, browser: FakeBrowser | None = None) -> Console:
        backend = keyring if keyring is not None else shared_keyring
        fake_browser = browser or FakeBrowser()
        host = StandInSandbox(sandbox)
        window = MainWindow()  # closed (and deleted) by the controller's shutdown below
        path = tmp_path / "settings.json"
        controller = AppController(
            window,
            Connector(SecretStore(backend), host),
            settings.load(path),
            settings_path=path,
            open_browser=fake_browser.open,
            action_log=ActionLog(tmp_path / "action-log.sqlite3"),
            data_dir=tmp_path,
        )
        console = Console(window, controller, path, backend, fake_browser, host)
        controller.closed.connect(lambda: console.closed.append(True))
        made.append(console)
        return console

    yield make
    for console in made:
        if not console.closed:
            console.controller.shutdown()
            qtbot.waitUntil(lambda c=console: bool(c.closed), timeout=15_000)
        console.window.deleteLater()


@pytest.fixture
def oauth_console(make_console: Callable[..., Console], qtbot: Any) -> Console:
    """The app after a first launch and an OAuth sign-in (profile "Acme via OAuth")."""
    console = make_console()
    console.controller.start()
    console.sign_in_with_oauth(qtbot)
    return console


def signed_in_with_token(
    make_console: Callable[..., Console], sandbox: SandboxServer, qtbot: Any, role: str
) -> tuple[Console, str]:
    """The app after a first launch and a personal-token sign-in as ``role``; and the token."""
    console = make_console()
    console.controller.start()
    token = sandbox.token_for(role)
    console.sign_in_with_token(qtbot, token)
    qtbot.waitUntil(lambda: console.connected, timeout=30_000)
    return console, token


@pytest.fixture
def page_context(
    sandbox: SandboxServer, tmp_path: Path, qtbot: Any, qt_loop: Any, run_async: Any
) -> Iterator[Callable[..., PageContext]]:
    """``page_context(role="owner")``: a page's context on a real connection to the sandbox
    (signed in as a member with that role), with an action log in tmp_path."""
    from PySide6.QtGui import QIcon

    from desktop.ui.message_bar import MessageBar
    from desktop.ui.notifier import Notifier
    from desktop.ui.page_context import Changes
    from desktop.ui.tasks import TaskOwner

    made: list[Connection] = []
    adopted: list[QWidget] = []
    window = QWidget()
    qtbot.addWidget(window)
    owner = TaskOwner()
    reported: list[tuple[str, BaseException]] = []
    owner.failed.connect(lambda what, error: reported.append((what, error)))
    messages = MessageBar(window)
    notifier = Notifier(messages, QIcon())
    preferences = [settings.Settings()]

    def make(role: str = "owner") -> PageContext:
        token = sandbox.token_for(role)
        profile = profiles.make_profile(
            settings.Settings(), name=role.title(), kind="token", base_url=sandbox.base_url
        )
        store = SecretStore(MemoryKeyring())
        connector = Connector(store, None)
        run_async(connector.save_personal_token(profile.id, token))
        connection = run_async(connector.connect(profile))
        made.append(connection)
        context = PageContext(
            connection=connection,
            tasks=owner,
            changes=Changes(),
            window=window,
            action_log=ActionLog(tmp_path / "action-log.sqlite3"),
            report=lambda what, error: reported.append((what, error)),
            secrets=store,
            data_dir=tmp_path,
            notifier=notifier,
            settings=lambda: preferences[0],
            update_settings=lambda new: preferences.__setitem__(0, new),
        )
        context.reported = reported  # type: ignore[attr-defined]
        return context

    def adopt(widget: QWidget) -> QWidget:
        """Keep a page alive until after the test's other fixtures (qtmodeltester) let go;
        then unbind and delete it (use instead of qtbot.addWidget for pages)."""
        adopted.append(widget)
        return widget

    make.adopt = adopt  # type: ignore[attr-defined]
    make.messages = messages  # type: ignore[attr-defined]
    make.notifier = notifier  # type: ignore[attr-defined]
    make.preferences = preferences  # type: ignore[attr-defined]
    yield make
    for widget in adopted:
        unbind = getattr(widget, "unbind", None)
        if unbind is not None:
            unbind()
        widget.close()
        widget.deleteLater()
    run_async(owner.aclose())
    for connection in made:
        run_async(connection.aclose())
