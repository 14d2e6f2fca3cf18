"""The embed lab's browser: its own off-the-record profile, Calendly-only navigation, the bridge."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QFile, QIODevice, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from desktop.resources import resource
from desktop.ui.booking.embed_snippet import (
    EmbedOptions,
    embed_origin,
    is_calendly,
    snippet_html,
)

# The host page's own address: not the embed's origin (so a message the host page posts to
# itself is foreign), and what widget.js reports to the booking page as ``embed_domain``.
HOST_BASE_URL = "https://calendly-console.local/"
MIN_HEIGHT = 200  # pixels; calendly.page_height is clamped to these bounds
MAX_HEIGHT = 5000
_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
_NAV = QWebEnginePage.NavigationType


@dataclass(frozen=True)
class CalendlyMessage:
    """One ``calendly.*`` message the embed posted to its parent window."""

    event: str  # calendly.event_scheduled, ...
    payload: dict[str, Any]
    origin: str
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def host_html(options: EmbedOptions) -> str:
    """The host page (resources/embed/host.html) with the embed exactly as the snippet says."""
    template = resource("embed/host.html").read_text(encoding="utf-8")
    return template.replace("<!--EMBED-->", snippet_html(options))


def page_height(payload: dict[str, Any]) -> int | None:
    """``calendly.page_height``'s ``{"height": "812px"}`` in pixels, clamped; None if unreadable."""
    text = str(payload.get("height", "")).strip().removesuffix("px").strip()
    try:
        height = round(float(text))
    except ValueError:
        return None
    return max(MIN_HEIGHT, min(MAX_HEIGHT, height)) if height > 0 else None


def may_load_in_view(url: str, embed_origin_: str) -> bool:
    """Whether a frame of the view may show ``url``: the embed's own origin (Calendly's hosts
    when it is Calendly), never an OAuth page (sign-ins belong in the system browser)."""
    parts = urlsplit(url)
    if parts.scheme == "about" and parts.path in ("blank", "srcdoc"):
        return True  # empty and inline frames: nothing is loaded
    if parts.scheme not in ("http", "https") or "/oauth/" in parts.path + "/":
        return False
    origin = f"{parts.scheme}://{parts.netloc.lower()}"
    if origin == embed_origin_:
        return True
    return is_calendly(embed_origin_) and parts.scheme == "https" and is_calendly(url)


class EmbedBridge(QObject):
    """The object the host page's bridge script calls over QWebChannel (as ``bridge``)."""

    received = Signal(str, str)  # origin, JSON {event, payload}
    ignored = Signal(str, str)  # origin, event name: posted by someone other than the embed

    @Slot(str, str)
    def receive(self, origin: str, text: str) -> None:
        self.received.emit(origin, text)

    @Slot(str, str)
    def ignore(self, origin: str, event: str) -> None:
        self.ignored.emit(origin, event)


class EmbedPage(QWebEnginePage):
    """Keeps every frame on the embed's hosts; the rest goes to the system browser.

    ``refused(url, open_outside)``: ``open_outside`` when a person asked for the page (a link
    or form in a frame, the whole view or a new window sent there), not for frames a page
    loads by itself (a third party's widget must not pop up browser tabs).
    """

    refused = Signal(QUrl, bool)

    def __init__(self, profile: QWebEngineProfile, parent: QObject) -> None:
        super().__init__(profile, parent)
        self.embed_origin = ""

    def acceptNavigationRequest(
        self, url: QUrl | str, type: QWebEnginePage.NavigationType, isMainFrame: bool
    ) -> bool:
        url = QUrl(url)
        if isMainFrame:
            # Only the host page the app sets (a data: URL) or its reload; any other page the
            # embed would send the whole view to (a redirect after booking) opens outside.
            allowed = url.scheme() == "data" and type in (
                _NAV.NavigationTypeTyped,
                _NAV.NavigationTypeReload,
            )
            asked = True
        else:
            allowed = may_load_in_view(url.toString(), self.embed_origin)
            asked = type in (_NAV.NavigationTypeLinkClicked, _NAV.NavigationTypeFormSubmitted)
        if not allowed:
            self.refused.emit(url, asked)
        return allowed

    def createWindow(self, type: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        """Links for a new window or tab: their address opens in the system browser."""
        return _NewWindowPage(self)


class _NewWindowPage(QWebEnginePage):
    """A page that never shows: it hands its first address to the embed page as refused."""

    def __init__(self, opener: EmbedPage) -> None:
        super().__init__(opener.profile(), opener)
        self._opener = opener

    def acceptNavigationRequest(
        self, url: QUrl | str, type: QWebEnginePage.NavigationType, isMainFrame: bool
    ) -> bool:
        self._opener.refused.emit(QUrl(url), True)
        self.deleteLater()
        return False


class EmbedView(QWebEngineView):
    """Shows one embed; announces its Calendly messages, refusals and height.

    Signals: ``message_received(CalendlyMessage)`` for each message from the embed's origin;
    ``message_ignored(origin, event)`` for calendly.* messages from anywhere else;
    ``navigation_refused(url, opened)`` for addresses kept out of the view (those a person
    asked for go to ``open_external``, the system browser by default); ``height_changed(int)``.
    """

    message_received = Signal(object)
    message_ignored = Signal(str, str)
    navigation_refused = Signal(QUrl, bool)  # the address, and whether it opened outside
    height_changed = Signal(int)

    def __init__(
        self,
        parent: QWidget | None = None,
        open_external: Callable[[QUrl], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_external = open_external or QDesktopServices.openUrl
        self.refused_urls: list[QUrl] = []
        self.ignored_origins: list[str] = []
        self.options: EmbedOptions | None = None
        self.content_height: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches the booking page
        self.setAccessibleName(self.tr("Embedded booking page"))
        self.setAccessibleDescription(
            self.tr("The booking page as a visitor of a web site with this embed sees it")
        )
        # No storage name: off the record, so the embed's cookies and cache die with the view.
        self._profile = QWebEngineProfile(self)
        self._page = EmbedPage(self._profile, self)
        # The profile must outlive its page: children are deleted in order, so it goes last.
        self._profile.setParent(None)
        self._profile.setParent(self)
        self._bridge = EmbedBridge(self)
        self._channel = QWebChannel(self._page)
        self._channel.registerObject("bridge", self._bridge)
        self._page.setWebChannel(self._channel, _WORLD)
        self._bridge_script: QWebEngineScript | None = None
        self._page.refused.connect(self._refused)
        self._bridge.received.connect(self._received)
        self._bridge.ignored.connect(self._ignored)
        self.setPage(self._page)

    @property
    def embed_origin(self) -> str:
        return self._page.embed_origin

    def show_embed(self, options: EmbedOptions, base_url: str = HOST_BASE_URL) -> None:
        """Load the host page with this embed; messages are accepted from its origin only."""
        origin = embed_origin(options.url)
        self.options = options
        self._page.embed_origin = origin
        self._install_bridge(origin)
        self._page.setHtml(host_html(options), QUrl(base_url))

    def clear(self) -> None:
        """Show nothing (no embed chosen): no origin is trusted."""
        self.options = None
        self._page.embed_origin = ""
        self._install_bridge("")
        self._page.setHtml("<!DOCTYPE html><html><body></body></html>", QUrl(HOST_BASE_URL))

    def _install_bridge(self, origin: str) -> None:
        # The origin is written into the script itself, so nothing on the page can change it.
        scripts = self._page.scripts()
        if self._bridge_script is not None:
            scripts.remove(self._bridge_script)
        source = _read_qt_resource(":/qtwebchannel/qwebchannel.js") + "\n" + _bridge_source(origin)
        script = QWebEngineScript()
        script.setName("calendly-console-bridge")
        script.setSourceCode(source)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
        script.setWorldId(_WORLD)
        script.setRunsOnSubFrames(False)
        scripts.insert(script)
        self._bridge_script = script

    def _received(self, origin: str, text: str) -> None:
        # Checked again here: only the embed's own origin speaks for the booking page.
        if not self.embed_origin or origin != self.embed_origin:
            self._ignored(origin, "")
            return
        try:
            data = json.loads(text)
        except ValueError:
            return
        event = data.get("event") if isinstance(data, dict) else None
        payload = data.get("payload") if isinstance(data, dict) else None
        if not isinstance(event, str) or not event.startswith("calendly."):
            return
        message = CalendlyMessage(event, payload if isinstance(payload, dict) else {}, origin)
        if event == "calendly.page_height":
            self._resize(message.payload)
        self.message_received.emit(message)

    def _ignored(self, origin: str, event: str) -> None:
        self.ignored_origins.append(origin)
        self.message_ignored.emit(origin, event)

    def _resize(self, payload: dict[str, Any]) -> None:
        height = page_height(payload)
        if height is None or height == self.content_height:
            return
        self.content_height = height
        self.setMinimumHeight(height)
        self.height_changed.emit(height)

    def _refused(self, url: QUrl, open_outside: bool) -> None:
        self.refused_urls.append(url)
        if open_outside and url.scheme() in ("http", "https"):
            self._open_external(url)
        self.navigation_refused.emit(url, open_outside)


def _bridge_source(origin: str) -> str:
    template = resource("embed/bridge.js").read_text(encoding="utf-8")
    return template.replace('"__EMBED_ORIGIN__"', json.dumps(origin))


def _read_qt_resource(path: str) -> str:
    file = QFile(path)
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(path)
    try:
        return bytes(file.readAll().data()).decode("utf-8")
    finally:
        file.close()
