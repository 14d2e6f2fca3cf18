"""The whole app, offscreen: window + controller + connector on the test sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend

from desktop import settings
from desktop.connection.connector import Connector
from desktop.sandbox import SandboxServer
from desktop.sandbox.process import SandboxAccess
from desktop.secrets import SecretStore
from desktop.ui.controller import AppController
from desktop.ui.main_window import MainWindow
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
