"""The sign-in tests' system browser: plays the user on the sandbox's consent page over real HTTP.

``open_browser`` is called synchronously from inside the event loop (as the app's
``QDesktopServices.openUrl`` is), so the browser runs as a task on that loop: GET the
authorization URL, read the consent form, press a button and follow the 302 to the app's
loopback listener.
"""

from __future__ import annotations

import asyncio

import httpx

from tests.sandbox.oauth_browser import read_consent


class FakeBrowser:
    """``open`` is the ``open_browser`` callback; ``button`` is what the user presses
    ("Allow", "Deny", or None to never answer)."""

    def __init__(self, button: str | None = "Allow") -> None:
        self.button = button
        self.opened: list[str] = []
        self.landing: httpx.Response | None = None  # the loopback listener's page
        self.done = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    def open(self, url: str) -> None:
        self.opened.append(url)
        if self.button is None:
            self.done.set()
            return
        task = asyncio.get_running_loop().create_task(self._play(url, self.button))
        self._tasks.add(task)

    async def _play(self, url: str, button: str) -> None:
        try:
            async with httpx.AsyncClient(timeout=30, follow_redirects=False) as http:
                form = read_consent(await http.get(url))
                name, value = form.buttons[button]
                data = {**form.hidden, form.select_name: form.selected, name: value}
                action = httpx.URL(url).join(form.action)
                answer = await http.request(form.method.upper(), action, data=data)
                assert answer.status_code == 302, answer.text
                self.landing = await http.get(answer.headers["location"])
        finally:
            self.done.set()
