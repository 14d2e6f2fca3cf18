"""``--self-test``: the window on a throw-away sandbox, one page of data, keyring, web engine."""

from __future__ import annotations

import asyncio
import sys
import uuid
from typing import TYPE_CHECKING, TextIO, TypeVar

from PySide6.QtCore import QObject, QTimer

from desktop.connection.connector import Connection

if TYPE_CHECKING:
    from desktop.ui.controller import AppController

TIMEOUT_MS = 120_000
T = TypeVar("T")


class SelfTest(QObject):
    """Runs once the window has connected; prints one line per check and sets ``exit_code``."""

    def __init__(self, controller: AppController, out: TextIO = sys.stdout) -> None:
        super().__init__(controller)
        self._controller = controller
        self._out = out
        self.exit_code = 1
        self.failures: list[str] = []
        self._started = False
        controller.connected.connect(self._connected)
        controller.connect_failed.connect(self._connect_failed)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._timed_out)
        self._deadline.start(TIMEOUT_MS)

    def _say(self, ok: bool, check: str, detail: str) -> None:
        mark = "ok  " if ok else "FAIL"
        print(f"{mark} {check}: {detail}", file=self._out, flush=True)
        if not ok:
            self.failures.append(check)

    def _warn(self, check: str, detail: str) -> None:
        print(f"warn {check}: {detail}", file=self._out, flush=True)

    def _connected(self, connection: Connection) -> None:
        if self._started:
            return
        self._started = True
        self._controller.tasks.spawn(self._run(connection), "The self-test")

    def _connect_failed(self, text: str) -> None:
        self._say(False, "window on the sandbox", text)
        self._finish()

    def _timed_out(self) -> None:
        self._say(False, "self-test", f"did not finish within {TIMEOUT_MS // 1000} s")
        self._finish()

    async def _run(self, connection: Connection) -> None:
        try:
            self._check_window(connection)
            await self._check_data(connection)
            await self._check_keyring()
            await self._check_web_engine()
        except Exception as error:  # a check that crashed is a failed check, and says why
            self._say(False, "self-test", f"{type(error).__name__}: {error}")
        self._finish()

    def _check_window(self, connection: Connection) -> None:
        window = self._controller.window
        shown = window.isVisible() and window.screens.currentWidget() is window.shell
        organization = window.status.organization.text()
        ok = shown and organization == connection.identity.organization_name != ""
        self._say(
            ok,
            "window",
            f"shows {organization or 'no organization'} as {connection.identity.user_name}",
        )

    async def _check_data(self, connection: Connection) -> None:
        client = connection.client
        page = await client.memberships.list(
            organization=connection.identity.organization_uri, count=20
        )
        self._say(bool(page.items), "data", f"{len(page.items)} members on the first page")

    async def _check_keyring(self) -> None:
        store = self._controller.connector.secrets
        profile_id = f"self-test-{uuid.uuid4().hex}"
        value = uuid.uuid4().hex
        await store.set(profile_id, "personal_token", value)
        try:
            read = await store.get(profile_id, "personal_token")
        finally:
            await store.delete_profile(profile_id)
        gone = await store.get(profile_id, "personal_token")
        ok = read == value and gone is None
        if ok and not store.persistent:
            # The app works without a keyring (sign-ins last for the session), so this is no
            # failure; but an installer that lost its keyring backends must be noticed.
            self._warn("keyring", f"none usable ({store.backend_name}): sign-ins last one session")
            return
        self._say(ok, "keyring", f"stored, read and deleted in {store.backend_name}")

    async def _check_web_engine(self) -> None:
        from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

        profile = QWebEngineProfile(self)  # off the record: nothing written to disk
        page = QWebEnginePage(profile, self)
        loop = asyncio.get_event_loop()
        loaded: asyncio.Future[bool] = loop.create_future()
        page.loadFinished.connect(lambda ok: _settle(loaded, bool(ok)))
        page.setHtml("<html><body><p id='x'>web engine</p></body></html>")
        ok = await asyncio.wait_for(loaded, 60)
        answer: asyncio.Future[object] = loop.create_future()
        page.runJavaScript(
            "document.getElementById('x').textContent.length",
            0,
            lambda value: _settle(answer, value),
        )
        length = await asyncio.wait_for(answer, 30)
        self._say(
            ok and length == len("web engine"), "QtWebEngine", "rendered a page and ran script"
        )
        page.deleteLater()

    def _finish(self) -> None:
        self._deadline.stop()
        self.exit_code = 1 if self.failures else 0
        verdict = "passed" if not self.failures else f"FAILED: {', '.join(self.failures)}"
        print(f"self-test {verdict}", file=self._out, flush=True)
        self._controller.shutdown()


def _settle(future: asyncio.Future[T], value: T) -> None:
    if not future.done():
        future.set_result(value)
