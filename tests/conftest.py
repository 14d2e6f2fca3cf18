"""Test-wide set-up: offscreen Qt, no real keyring, and sandbox fixtures for every suite."""

from __future__ import annotations

import os

# Before any Qt import: offscreen widgets; QtWebEngine refuses to run as root with its sandbox.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")

pytest_plugins = ["tests.sandbox_fixtures", "tests.qt_fixtures"]
