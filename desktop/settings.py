"""The one typed settings file: loaded with defaults merged, saved atomically, never a secret."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeAlias

import msgspec

from desktop import atomic_file, paths
from desktop.profiles import Profile

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"
VERSION = 1
Appearance: TypeAlias = Literal["system", "light", "dark"]


class Window(msgspec.Struct, frozen=True, kw_only=True):
    """Where the main window was: Qt's saveGeometry()/saveState() bytes as base64 text."""

    geometry: str | None = None
    state: str | None = None
    last_page: str | None = None


class Webhooks(msgspec.Struct, frozen=True, kw_only=True):
    """The webhooks page: how often the watch polls, and the local receiver's port."""

    watch: bool = True
    watch_minutes: int = 5
    receiver_port: int = 8765


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the app remembers between runs. Missing keys take these defaults; unknown
    keys are ignored, so older and newer versions of the app can share one file."""

    version: int = VERSION
    profiles: tuple[Profile, ...] = ()
    active_profile: str | None = None
    window: Window = msgspec.field(default_factory=Window)
    appearance: Appearance = "system"  # follow the OS colour scheme, or force one
    webhooks: Webhooks = msgspec.field(default_factory=Webhooks)


class Loaded(msgspec.Struct, frozen=True, kw_only=True):
    """The result of ``load``: the settings, and what was wrong with the file, if anything.

    ``problem`` ("unreadable" or "damaged"), ``detail``, ``path`` and ``corrupt_copy`` let the
    UI word a translated message; ``notice`` is the same in English, for the log.
    """

    settings: Settings
    notice: str | None = None
    corrupt_copy: Path | None = None
    problem: Literal["unreadable", "damaged"] | None = None
    detail: str = ""
    path: Path | None = None

    @property
    def recovered(self) -> bool:
        return self.notice is not None


def settings_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load(path: Path | None = None) -> Loaded:
    """Read the settings; a missing file gives defaults, a bad one defaults plus a notice.

    A bad file is renamed to ``settings.json.corrupt-<UTC timestamp>`` beside it, so the next
    save cannot overwrite what the user had.
    """
    path = settings_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(settings=Settings())
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return _recovered(path, "unreadable", reason)
    try:
        settings = msgspec.json.decode(raw, type=Settings)
    except msgspec.DecodeError as exc:
        # msgspec names the path of the bad field ("... - at `$.profiles[0].colour`").
        return _recovered(path, "damaged", str(exc))
    return Loaded(settings=_normalised(settings))


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a temporary file in the same directory, fsync'd, then os.replace.

    A crash or failure at any point leaves either the old file or the new one, never a mix.
    """
    path = settings_path() if path is None else path
    data = msgspec.json.format(msgspec.json.encode(settings), indent=2) + b"\n"
    atomic_file.write_bytes(path, data)
    atomic_file.sync_directory(path.parent)


def _normalised(settings: Settings) -> Settings:
    """Repair what a hand edit can break without losing anything: a dangling active profile."""
    ids = [p.id for p in settings.profiles]
    if settings.active_profile is not None and settings.active_profile not in ids:
        chosen = ids[0] if ids else None
        return msgspec.structs.replace(settings, active_profile=chosen)
    return settings


def _recovered(path: Path, kind: Literal["unreadable", "damaged"], detail: str) -> Loaded:
    problem = f"could not be read ({detail})" if kind == "unreadable" else f"is damaged ({detail})"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside: Path | None = path.with_name(f"{path.name}.corrupt-{stamp}")
    assert aside is not None
    try:
        os.replace(path, aside)
    except OSError as exc:
        log.warning("settings file %s %s; could not move it aside: %s", path, problem, exc)
        aside = None
        notice = (
            f"The settings file {path} {problem}. Default settings are in use; the file "
            "could not be moved aside and will be replaced when settings are next saved."
        )
    else:
        log.warning("settings file %s %s; kept as %s", path, problem, aside)
        notice = (
            f"The settings file {path} {problem}. Default settings are in use; "
            f"the old file was kept as {aside}."
        )
    return Loaded(
        settings=Settings(),
        notice=notice,
        corrupt_copy=aside,
        problem=kind,
        detail=detail,
        path=path,
    )
