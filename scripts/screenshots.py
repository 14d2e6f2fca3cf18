"""``make screenshots``: the app's main pages, offscreen, on a sandbox with a fixed seed and a
frozen clock, saved as PNGs for the README (docs/screenshots/ by default).

The window is built the way ``desktop/app.py`` builds it (the sandbox in its child process, the
AppController, the MainWindow), with everything that could make two runs differ pinned: the
sandbox's seed, data anchor and clock, its port, the app's clock where the pages read one, the
window size, the font, the DPI, the time zone, the locale and the light appearance. Settings,
data and the keyring (an in-memory backend) live in a temporary directory: the user's own are
never touched.

Each page is shown, its data waited for (its own loading flags), then the window is grabbed
once two grabs in a row are the same. A page that does not load in time ends the run with a
message naming it and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

# -- what is pinned ----------------------------------------------------------------------------
FROZEN_AT = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)  # a Wednesday afternoon
SEED = 1
MEMBERS = 25
EVENTS = 2000
WIDTH, HEIGHT = 1280, 800
FONT_FAMILY = "DejaVu Sans"  # fonts-dejavu-core (packaging/linux/system-deps.sh)
FONT_POINTS = 10
SANDBOX_PORT = 47811  # fixed: the sandbox's address shows in links, snippets and deliveries
RECEIVER_PORT = 47812  # the inspector's receiver (its URL shows on the page)
SIGNING_KEY = "screenshots-signing-key-7b1f0c2e9a4d4f5e8c3b6a1d2e"
PAGE_TIMEOUT = 90.0  # seconds for one page's data (the Overview's walk is the longest)
SETTLE_TIMEOUT = 20.0  # seconds for a page's pixels to stop changing once its data is in

# file name (without .png) -> what it shows
PAGES: dict[str, str] = {
    "overview": "Overview: cards and charts",
    "members": "Members",
    "event-types": "Event types",
    "scheduled-events": "Scheduled events, one selected",
    "webhooks-inspector": "Webhooks: the inspector with a delivery",
    "booking-desk": "Booking desk: member, event type and open time chosen",
    "embed-lab": "Embed lab: the sandbox's booking page",
}

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


class ScreenshotError(RuntimeError):
    """A page did not get ready in time (the message names it and what was awaited)."""


def pin_environment(home: Path) -> None:
    """Before Qt loads: offscreen, 96 DPI, scale 1, UTC, US English, a throw-away home."""
    os.environ.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "QT_FONT_DPI": "96",
            "QT_SCALE_FACTOR": "1",
            "QT_ENABLE_HIGHDPI_SCALING": "0",
            "TZ": "UTC",
            "LANG": "C.UTF-8",  # always there; QLocale.setDefault makes it US English
            "LANGUAGE": "en_US",
            "QTWEBENGINE_CHROMIUM_FLAGS": (
                "--disable-gpu --lang=en-US --force-device-scale-factor=1"
            ),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
        }
    )
    for name in ("QT_SCREEN_SCALE_FACTORS", "QT_AUTO_SCREEN_SCALE_FACTOR", "LC_ALL"):
        os.environ.pop(name, None)
    (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses root otherwise
    time.tzset()


def frozen_clock() -> datetime:
    return FROZEN_AT


# -- the sandbox -------------------------------------------------------------------------------
class FrozenSandbox:
    """The built-in sandbox (its child process, as the app runs it), reseeded with its data
    anchored at ``FROZEN_AT`` and its clock stopped there; the app connects to it as usual."""

    def __init__(self, log_path: Path) -> None:
        from desktop.sandbox.process import SandboxProcess

        self._log_path = log_path
        self.port = SANDBOX_PORT
        self.process = SandboxProcess(*self._options(self.port), stderr_path=log_path)
        self._access: Any = None

    @staticmethod
    def _options(port: int) -> tuple[str, ...]:
        # No meetings at first: start() seeds them anew, anchored at the frozen moment.
        return (
            "--db", ":memory:", "--seed", str(SEED), "--members", str(MEMBERS),
            "--events", "0", "--port", str(port),
        )  # fmt: skip

    def launch(self) -> None:
        self.process.launch()

    async def start(self) -> Any:
        """Start, reseed at the frozen moment, stop the clock; the owner's access."""
        import httpx

        from desktop.sandbox.process import SandboxAccess, SandboxProcess, SandboxStartFailed

        if self._access is not None:
            return self._access
        try:
            access = await self.process.start()
        except SandboxStartFailed:
            # Most likely the fixed port is taken: any free port (links show another port).
            print(
                f"screenshots: port {self.port} is busy; the sandbox takes any free port "
                "(its address in the pictures will differ)",
                file=sys.stderr,
            )
            self.port = 0
            self.process = SandboxProcess(*self._options(0), stderr_path=self._log_path)
            access = await self.process.start()
        async with httpx.AsyncClient(base_url=access.base_url, timeout=120) as http:
            answer = await http.post(
                "/_sandbox/reset",
                json={
                    "seed": SEED,
                    "members": MEMBERS,
                    "events": EVENTS,
                    "anchor": FROZEN_AT.isoformat().replace("+00:00", "Z"),
                },
            )
            answer.raise_for_status()
            frozen = FROZEN_AT.isoformat().replace("+00:00", "Z")
            (await http.post("/_sandbox/clock", json={"freeze_at": frozen})).raise_for_status()
            # The clock stands still, so the rate-limit window never resets: a budget the
            # whole run fits in (the pictures show it as the status bar's budget).
            limit = {"limit": 5000, "window_seconds": 60}
            (await http.post("/_sandbox/rate_limit", json=limit)).raise_for_status()
            answer = await http.post("/_sandbox/tokens", json={"role": "owner"})
            answer.raise_for_status()
            token = str(answer.json()["access_token"])
        self._access = SandboxAccess(access.base_url, token)
        return self._access

    def stop(self) -> int | None:
        return self.process.stop()


# -- waiting -----------------------------------------------------------------------------------
async def until(condition: Callable[[], bool], what: str, seconds: float = PAGE_TIMEOUT) -> None:
    """Let the loop run (Qt events included) until ``condition()`` holds; ScreenshotError
    naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise ScreenshotError(f"{what}: not ready within {seconds:.0f} s")
        await asyncio.sleep(0.02)


async def settled(grab: Callable[[], Any], what: str, interval: float = 0.15) -> Any:
    """The picture once two grabs ``interval`` seconds apart are the same (painting done)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    previous = _digest(grab())
    while True:
        await asyncio.sleep(interval)
        image = grab()
        current = _digest(image)
        if current == previous:
            return image
        if time.monotonic() > deadline:
            raise ScreenshotError(f"{what}: the picture kept changing for {SETTLE_TIMEOUT:.0f} s")
        previous = current


def _digest(image: Any) -> str:
    data = image.constBits()
    return hashlib.sha256(bytes(data)[: image.sizeInBytes()]).hexdigest()


# -- the run -----------------------------------------------------------------------------------
@dataclass
class Run:
    out: Path
    window: Any
    controller: Any
    pages: dict[str, Any]
    connection: Any = None
    saved: list[Path] = field(default_factory=list)

    def grab(self) -> Any:
        from PySide6.QtGui import QImage

        return self.window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)

    async def shoot(self, name: str) -> None:
        from PySide6.QtWidgets import QApplication

        await idle(self)
        await settled(self.grab, PAGES[name])
        # The status bar counts the budget's reset down by the second since the last answer;
        # with the sandbox's clock stopped its window always has 60 s to go: shown as such, and
        # the picture taken before the next tick.
        snapshot = self.connection.client.rate_limit()
        self.window.status.set_budget(dataclasses.replace(snapshot, resets_in=60.0))
        QApplication.processEvents()
        image = self.grab()
        if (image.width(), image.height()) != (WIDTH, HEIGHT):
            raise ScreenshotError(
                f"{PAGES[name]}: the window is {image.width()}×{image.height()}, "
                f"not {WIDTH}×{HEIGHT}"
            )
        path = self.out / f"{name}.png"
        if not image.save(str(path), "PNG"):
            raise ScreenshotError(f"{PAGES[name]}: could not write {path}")
        self.saved.append(path)
        print(f"screenshots: {path}", flush=True)


async def idle(run: Run) -> None:
    """No request in flight (the pages bound at connect load in the background)."""
    budget = run.connection.client.budget
    await until(lambda: budget.in_flight == 0, "the API requests in flight")


async def shoot_all(run: Run) -> None:
    window = run.window
    pages = run.pages

    # Overview: its walk of the last 12 weeks and the next 4.
    overview = pages["overview"]
    window.show_page("overview")
    await until(
        lambda: overview.overview is not None and not overview.loading,
        "the Overview's figures",
    )
    # A first load reads a share of the older meetings' invitees (for no-shows); Refresh reads
    # the rest, as a user would press it until the "may be incomplete" note goes.
    for _ in range(5):
        if not overview.data.problems:
            break
        overview.refresh()
        await until(lambda: not overview.loading, "the Overview's refresh")
    await run.shoot("overview")

    # Members: every member, the first one selected.
    members = pages["members"]
    window.show_page("members")
    table = members.tables[0]
    for each in members.tables:
        await until(functools.partial(_table_loaded, each), f"the {each.title} list")
    table.view.selectRow(0)
    await run.shoot("members")

    # Event types: every event type, the first one selected.
    event_types = pages["event_types"]
    window.show_page("event_types")
    table = event_types.tables[0]
    await until(lambda: _table_loaded(table), "the event types")
    table.view.selectRow(0)
    await run.shoot("event-types")

    # Scheduled events: this (frozen) week, a held meeting with its invitees selected.
    scheduled = pages["scheduled_events"]
    window.show_page("scheduled_events")
    events = scheduled.tables[0]
    monday = FROZEN_AT.date() - timedelta(days=FROZEN_AT.weekday())
    scheduled.apply_hint({"from": monday, "to": monday + timedelta(days=6)})
    await until(lambda: _table_loaded(events), "the scheduled events")
    await until(lambda: events.member.count() > 1, "the member filter")
    row = _held_meeting_row(events)
    events.view.selectRow(row)
    panel = events.panel
    await until(
        lambda: (
            panel.shown_event is not None
            and not panel.loading
            and panel.loaded_invitees is not None
        ),
        "the selected meeting's invitees",
    )
    await run.shoot("scheduled-events")

    await shoot_webhooks(run)
    await shoot_booking(run)


def _table_loaded(table: Any) -> bool:
    model = table.model
    return (
        table.context is not None
        and not model.loading
        and model.rowCount() > 0
        and not model.failed
    )


def _held_meeting_row(events: Any) -> int:
    """The view's row of the last meeting before now that was held (active, with invitees)."""
    proxy = events.proxy
    chosen = 0
    for row in range(proxy.rowCount()):
        event = proxy.record_at(proxy.index(row, 0))
        counter = event.invitees_counter
        if event.end_time > FROZEN_AT:
            break
        if event.status == "active" and counter is not None and int(counter.active) > 0:
            chosen = row
    return chosen


async def shoot_webhooks(run: Run) -> None:
    """The inspector's receiver subscribed through the API with its key in the vault; a
    meeting canceled; the signed delivery it brings shown, verified."""
    page = run.pages["webhooks"]
    run.window.show_page("webhooks")
    await until(
        lambda: (
            page.state is not None
            and page.state.listing is not None
            and not page.subscriptions.model.loading
        ),
        "the webhook subscriptions",
    )
    inspector = page.inspector
    page.tabs.setCurrentWidget(inspector)
    inspector.port.setValue(RECEIVER_PORT)
    inspector.start()
    await until(
        lambda: inspector.running or inspector.port_message.isVisible(), "the local receiver"
    )
    if not inspector.running:
        print(
            f"screenshots: port {RECEIVER_PORT} is busy; the receiver takes any free port",
            file=sys.stderr,
        )
        inspector.port.setValue(0)
        inspector.start()
        await until(lambda: inspector.running, "the local receiver")
    url = inspector.receiver_url
    client = run.connection.client
    identity = run.connection.identity
    subscription = await client.webhooks.create(
        url=url,
        events=["invitee.created", "invitee.canceled"],
        organization=identity.organization_uri,
        scope="organization",
        signing_key=SIGNING_KEY,
    )
    await page.state.remember_key(subscription.uri, SIGNING_KEY)
    page.subscriptions.refresh()  # the listing names the new subscription: its key is found
    await until(lambda: bool(inspector.keys), "the receiver's signing key")
    meeting = await _upcoming_meeting(run)
    await client.scheduled_events.cancel(meeting, reason="Rescheduling after the offsite")
    await until(lambda: inspector.model.rowCount() > 0, "the webhook delivery")
    # Not selected: its detail names the sandbox's ephemeral source port, which differs from
    # run to run. The list gets the room to show every column, the verdict included.
    splitter = inspector.view.parentWidget()
    splitter.setSizes([splitter.width() * 3 // 4, splitter.width() // 4])
    await until(lambda: not page.subscriptions.model.loading, "the webhook subscriptions")
    await run.shoot("webhooks-inspector")


async def _upcoming_meeting(run: Run) -> str:
    """The first active meeting after now with an invitee (its URI)."""
    client = run.connection.client
    page = await client.scheduled_events.list(
        organization=run.connection.identity.organization_uri,
        status="active",
        min_start_time=FROZEN_AT,
        max_start_time=FROZEN_AT + timedelta(days=14),
        sort="start_time:asc",
        count=100,
    )
    for event in page.items:
        counter = event.invitees_counter
        if counter is not None and int(counter.active) > 0:
            return str(event.uri)
    raise ScreenshotError("the sandbox has no upcoming meeting to cancel")


async def shoot_booking(run: Run) -> None:
    page = run.pages["booking"]
    run.window.show_page("booking")
    desk = page.desk
    page.tabs.setCurrentWidget(desk)
    picker, slots = desk.picker, desk.slots
    await until(lambda: bool(picker.members) and not picker.loading_members, "the members")
    for member in picker.members:
        picker.choose_member(member.uri)
        await until(lambda: not picker.loading_types, f"{member.name}'s event types")
        if picker.type_list.count() == 0:
            continue
        picker.type_list.setCurrentRow(0)
        await until(lambda: _slots_shown(slots), "the open times")
        times = slots.times()
        if times:
            slots.select(times[min(2, len(times) - 1)])
            break
    else:
        raise ScreenshotError("no member has an event type with open times this week")
    desk.form.name_edit.setText("Pat Booker")
    desk.form.email_edit.setText("pat.booker@example.com")
    await run.shoot("booking-desk")

    lab = page.open_embed_lab()
    # Its "Preselect a date" field starts at Qt's today: the frozen day instead (unchecked, it
    # changes nothing in the embed; no signal, so the embed is not rebuilt for it).
    lab.form.date.blockSignals(True)
    lab.form.date.setDate(_qdate(FROZEN_AT.date()))
    lab.form.date.blockSignals(False)
    await until(lambda: bool(lab.sources), "the embed lab's booking pages")
    view = lab.view  # made when the chosen booking page was shown
    await until(lambda: view.options is not None, "the embed")
    right = lab.view_area.parentWidget()  # the booking page above, the event log below
    right.setSizes([right.height() * 3 // 4, right.height() // 4])
    await until(
        lambda: "calendly.page_height" in lab.log.events(),
        "the booking page in the embed",
    )
    await until(lambda: _colourful(view.grab().toImage()), "the embed's pixels")
    await run.shoot("embed-lab")


def _slots_shown(slots: Any) -> bool:
    return not slots.loading and slots.event_type is not None


def _qdate(day: date) -> Any:
    from PySide6.QtCore import QDate

    return QDate(day.year, day.month, day.day)


def _colourful(image: Any, wanted: int = 8) -> bool:
    """Whether ``image`` has at least ``wanted`` distinct colours (sampled): not blank."""
    seen: set[int] = set()
    step_x = max(1, image.width() // 64)
    step_y = max(1, image.height() // 64)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            seen.add(image.pixel(x, y))
            if len(seen) >= wanted:
                return True
    return False


# -- the app -----------------------------------------------------------------------------------
def freeze_app_clocks(window: Any) -> None:
    """The app reads the time in a few places; each is pointed at ``FROZEN_AT`` here. (The
    sandbox's clock is frozen through its control surface; Qt's own clock is read only by
    widgets given a date below.)"""
    from desktop.ui.booking import embed_view
    from desktop.ui.org import event_actions
    from desktop.ui.webhooks import page as webhooks_page
    from desktop.ui.webhooks import receiver_bar
    from desktop.ui.webhooks.state import WebhookState
    from desktop.webhooks.receiver import Receiver

    pages = {page.spec.key: page for page in window.page_list}
    # The Overview's weeks and its "last refreshed" time.
    replace(pages["overview"], "clock", frozen_clock)
    # The webhook findings, countdowns and the watch's last check (the page makes the state).
    replace(webhooks_page, "WebhookState", functools.partial(WebhookState, clock=frozen_clock))
    # The inspector's received-at times, and the signatures' ages checked against them.
    replace(receiver_bar, "Receiver", functools.partial(Receiver, clock=frozen_clock))
    # Which meetings are over (mark no-show, cancel).
    replace(event_actions, "_now", frozen_clock)
    # When the embed's messages arrived (the event log's times; it only asks for ``now``).
    replace(embed_view, "datetime", _FrozenDatetime)
    # The booking desk's first week of open times.
    replace(pages["booking"].desk.slots, "_now", frozen_clock)


def replace(owner: Any, name: str, value: Any) -> None:
    """``owner.name = value``, for a ``name`` the app has (a renamed one fails the run rather
    than letting the pictures drift with the real clock)."""
    if not hasattr(owner, name):
        raise ScreenshotError(f"cannot freeze the app's clock: {owner!r} has no {name!r}")
    setattr(owner, name, value)


class _FrozenDatetime:
    """Stands in for ``datetime`` where a module only asks it for ``now``."""

    @staticmethod
    def now(tz: Any = None) -> datetime:
        return FROZEN_AT.astimezone(tz) if tz is not None else FROZEN_AT.replace(tzinfo=None)


def build_and_run(out: Path, workdir: Path, sandbox: FrozenSandbox) -> list[Path]:
    from PySide6.QtCore import QCoreApplication, QLocale, Qt
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication([sys.argv[0]])
    app.setApplicationName("Calendly Console")
    app.setOrganizationName("Calendly Console")
    app.setDesktopFileName("calendly-console")
    app.setQuitOnLastWindowClosed(False)
    app.setStyle("Fusion")
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if FONT_FAMILY not in QFontDatabase.families():
        raise ScreenshotError(
            f"the font {FONT_FAMILY} is not installed (Debian: apt-get install fonts-dejavu-core)"
        )
    font = QFont(FONT_FAMILY, FONT_POINTS)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    app.setCursorFlashTime(0)  # a caret that blinks would differ from run to run

    import qasync

    from desktop import settings
    from desktop.action_log import ActionLog
    from desktop.connection.connector import Connector
    from desktop.secrets import SecretStore
    from desktop.ui import i18n, icons, theme
    from desktop.ui.controller import AppController
    from desktop.ui.main_window import MainWindow

    app.setWindowIcon(icons.app_icon())
    i18n.install_translations(app)
    theme.apply_appearance(app, "light")

    settings_path = workdir / "settings.json"
    preferences = settings.Settings(
        appearance="light",
        webhooks=settings.Webhooks(receiver_port=RECEIVER_PORT),
    )
    settings.save(preferences, settings_path)
    window = MainWindow()
    window.resize(WIDTH, HEIGHT)
    freeze_app_clocks(window)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    controller = AppController(
        window,
        Connector(SecretStore(_memory_keyring()), sandbox),
        settings.load(settings_path),
        settings_path=settings_path,
        open_browser=lambda url: None,  # nothing leaves the run
        stop_sandbox=sandbox.stop,
        apply_appearance=lambda mode: theme.apply_appearance(app, cast(theme.Appearance, mode)),
        quit=app.quit,
        action_log=ActionLog(workdir / "action-log.sqlite3"),
        data_dir=workdir,
    )
    pages = {page.spec.key: page for page in window.page_list}
    run = Run(out, window, controller, pages)
    failure: list[BaseException] = []
    connected: asyncio.Future[Any] = loop.create_future()

    def settle(value: Any, error: bool = False) -> None:
        if connected.done():
            return
        if error:
            connected.set_exception(ScreenshotError(f"connecting to the sandbox: {value}"))
        else:
            connected.set_result(value)

    controller.connected.connect(lambda connection: settle(connection))
    controller.connect_failed.connect(lambda text: settle(text, error=True))

    async def main() -> None:
        try:
            run.connection = await asyncio.wait_for(connected, PAGE_TIMEOUT)
            await shoot_all(run)
        except BaseException as error:  # reported after the app has closed cleanly
            failure.append(error)
        finally:
            # Every page lets go of the connection while the loop still runs (the webhook
            # watch and the receiver stop through it), then the app closes as on quit.
            window.clear_connection()
            controller.shutdown()

    with loop:
        loop.call_soon(functools.partial(controller.start, sandbox=True))
        task = loop.create_task(main())
        loop.run_until_complete(closing.wait())
    if not task.done():
        task.cancel()
    if failure:
        raise failure[0]
    return run.saved


def _memory_keyring() -> Any:
    """A keyring that lives in this process: the user's own keyring is never touched."""
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self.entries: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.entries.pop((service, username), None) is None:
                raise PasswordDeleteError("not found")

    return MemoryKeyring()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"where the PNGs go (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="calendly-console-screenshots-") as temporary:
        workdir = Path(temporary)
        pin_environment(workdir / "home")
        sandbox = FrozenSandbox(workdir / "sandbox.log")
        sandbox.launch()  # it seeds while Qt loads
        try:
            saved = build_and_run(out, workdir, sandbox)
        except ScreenshotError as error:
            print(f"screenshots: failed: {error}", file=sys.stderr)
            return 1
        finally:
            sandbox.stop()
    print(
        f"screenshots: {len(saved)} pictures in {out} ({time.monotonic() - started:.1f} s)",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
