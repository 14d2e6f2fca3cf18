"""Composition root and command line: ``calendly-console [--sandbox] [--self-test] | sandbox``."""

from __future__ import annotations

# Imports here stay light: the built-in sandbox is launched before the heavy modules load, so
# it starts serving while Qt and the window are being built (benchmarks/startup.py).
import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import __version__, paths
from desktop.sandbox.process import SandboxProcess

SETTINGS_FILE = "settings.json"  # desktop.settings.FILE_NAME, without loading that module


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="calendly-console",
        description="A desktop admin console for Calendly organizations.",
        epilog="calendly-console sandbox [--help | options]: serve the local Calendly sandbox "
        "for integrators and print a token.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="open straight on the built-in sandbox and its demo organization",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start offscreen on a throw-away sandbox, check the window, data, keyring and "
        "web engine, print the result and exit (0 when everything works)",
    )
    # For benchmarks/startup.py: quit as soon as the first page of data is on screen.
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # httpx imports its command-line tool (click, rich, pygments) when they are installed:
    # 0.05-0.1 s the app never uses. A None entry makes that import fail fast, as httpx allows.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:
        # The sandbox command loads the server only; the window's modules stay unloaded.
        from desktop.sandbox import cli as sandbox_cli

        return sandbox_cli.main(arguments[1:])
    return run_window(_parser().parse_args(arguments))


def _configure_logging(directory: Path) -> Path:
    """A rotating log file in the data directory; tokens never reach it (see secrets)."""
    import logging.handlers

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "calendly-console.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _opens_on_the_sandbox(settings_path: Path) -> bool:
    """A glance at the settings: is the last active profile the sandbox? (Any doubt: no; the
    sandbox then starts when it is chosen. ``desktop.settings`` reads the file properly.)"""
    try:
        data = json.loads(settings_path.read_bytes())
        active = data["active_profile"]
        return any(p["id"] == active and p["kind"] == "sandbox" for p in data["profiles"])
    except (OSError, ValueError, KeyError, TypeError):
        return False


def run_window(args: argparse.Namespace) -> int:
    """Open the main window on one qasync loop and run until the window has closed.

    The loop runs exactly once, until ``aboutToQuit``: QtWebEngine shuts down on the first
    ``aboutToQuit``, and loops that stop and restart would emit it several times
    (../shared/notes/machine.md).
    """
    import tempfile

    self_test = bool(args.self_test)
    workdir: tempfile.TemporaryDirectory[str] | None = None
    if self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        # A throw-away settings file and an in-memory sandbox: the user's own are untouched.
        workdir = tempfile.TemporaryDirectory(prefix="calendly-console-self-test-")
        settings_path = Path(workdir.name) / SETTINGS_FILE
        log_dir = Path(workdir.name)
        sandbox = SandboxProcess(
            "--db", ":memory:", "--events", "200", stderr_path=log_dir / "sandbox.log"
        )
    else:
        settings_path = paths.config_dir() / SETTINGS_FILE
        log_dir = paths.data_dir() / "logs"
        sandbox = SandboxProcess(
            "--db", str(paths.demo_database()), stderr_path=log_dir / "sandbox.log"
        )
    if args.sandbox or self_test or _opens_on_the_sandbox(settings_path):
        sandbox.launch()  # it starts serving while Qt loads and the window is built
    log_path = _configure_logging(log_dir)

    from desktop import settings

    loaded = settings.load(settings_path)

    # The window first: it is on screen before the client, the keyring and the event loop
    # load (a sandbox start-up meanwhile runs in its own process).
    from PySide6.QtCore import QCoreApplication, Qt, QUrl
    from PySide6.QtWidgets import QApplication

    from desktop import profiles
    from desktop.ui.main_window import MainWindow

    # QtWebEngine (the embed, the self-test) may start after the application exists.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Calendly Console")
    app.setOrganizationName("Calendly Console")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("calendly-console")
    app.setQuitOnLastWindowClosed(False)  # the controller quits after closing things cleanly
    _install_look(app)
    _apply_appearance(app, loaded.settings.appearance)
    window = MainWindow()
    window.setWindowIcon(app.windowIcon())
    window.restore_layout(loaded.settings.window)
    first = profiles.active(loaded.settings)
    if args.sandbox or self_test:
        sandboxes = (p for p in loaded.settings.profiles if p.kind == "sandbox")
        first = next(sandboxes, None) or profiles.sandbox_profile()
    if first is not None:
        window.show_connecting(first)
    window.show()
    app.processEvents()
    if args.quit_when_ready:
        print("shown", flush=True)

    import asyncio
    import functools

    import qasync
    from PySide6.QtGui import QDesktopServices

    from desktop.action_log import ActionLog
    from desktop.connection.connector import Connector
    from desktop.secrets import SecretStore
    from desktop.ui import crash_guard
    from desktop.ui.controller import AppController
    from desktop.ui.readiness import QuitWhenReady
    from desktop.ui.self_test import SelfTest

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    connector = Connector(SecretStore(), sandbox)
    action_log = ActionLog(Path(workdir.name) / "action-log.sqlite3" if workdir else None)

    def open_browser(url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))

    controller = AppController(
        window,
        connector,
        loaded,
        settings_path=settings_path,
        open_browser=open_browser,
        stop_sandbox=sandbox.stop,
        apply_appearance=lambda mode: _apply_appearance(app, mode),
        quit=app.quit,
        action_log=action_log,
        data_dir=Path(workdir.name) if workdir else paths.data_dir(),
    )
    crash_guard.install(window.messages, log_path, loop)
    checker: SelfTest | QuitWhenReady | None = None
    if self_test:
        checker = SelfTest(controller)
    elif args.quit_when_ready:
        checker = QuitWhenReady(controller)
    with loop:
        loop.call_soon(functools.partial(controller.start, sandbox=bool(args.sandbox or self_test)))
        loop.run_until_complete(closing.wait())
    exit_code = checker.exit_code if checker is not None else 0
    sandbox.stop()
    if workdir is not None:
        workdir.cleanup()
    return exit_code


def _install_look(app: object) -> None:
    """Icon, translations and the colour scheme, when their modules are present."""
    from PySide6.QtWidgets import QApplication

    from desktop.ui import i18n, icons

    assert isinstance(app, QApplication)
    app.setWindowIcon(icons.app_icon())
    i18n.install_translations(app)


def _apply_appearance(app: object, mode: str) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.ui import theme

    assert isinstance(app, QApplication)
    theme.apply_appearance(app, mode)  # type: ignore[arg-type]
