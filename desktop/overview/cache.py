"""The Overview's per-profile cache: one JSON file, written atomically, discarded when unreadable.

The file is only a copy of what Calendly said: a damaged, foreign or outdated one is deleted
with a warning and the next load fetches everything again. Reading and writing are blocking
calls; the loader runs them in a worker thread.
"""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

import msgspec

from desktop import atomic_file
from desktop.overview.data import VERSION, OverviewData

log = logging.getLogger(__name__)

SUFFIX = ".json"


class _Header(msgspec.Struct):
    version: int


def cache_dir(data_dir: Path) -> Path:
    """Where the Overview keeps its files under the app's data directory."""
    return data_dir / "overview"


def cache_path(directory: Path, profile_id: str) -> Path:
    """The cache file of one profile (its id made safe for a file name)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile_id).lstrip(".") or "profile"
    return directory / f"{safe}{SUFFIX}"


def read(path: Path) -> OverviewData | None:
    """The cached data, or None when there is none or it cannot be used (then it is deleted)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("overview cache %s could not be read (%s); loading afresh", path, error)
        return None
    try:
        header = msgspec.json.decode(raw, type=_Header)
        if header.version != VERSION:
            _discard(path, f"version {header.version}, expected {VERSION}")
            return None
        return msgspec.json.decode(raw, type=OverviewData)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        _discard(path, str(error))
        return None


def write(path: Path, data: OverviewData) -> None:
    """Replace the cache file atomically: a temporary file beside it, fsync'd, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = msgspec.json.encode(data)
    atomic_file.write_bytes(path, raw)


def remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _discard(path: Path, why: str) -> None:
    log.warning("overview cache %s discarded (%s); loading afresh", path, why)
    try:
        remove(path)
    except OSError as error:
        log.warning("overview cache %s could not be deleted: %s", path, error)
