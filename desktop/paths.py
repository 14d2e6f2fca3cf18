"""Where the app keeps its files (per-user data and config directories)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "calendly-console"


def data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_database() -> Path:
    """The sandbox's demo organization, kept across restarts."""
    return data_dir() / "sandbox.sqlite3"


def config_dir() -> Path:
    """Per-user configuration (the settings file); created on first use."""
    path = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
