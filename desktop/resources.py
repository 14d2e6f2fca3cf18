"""Find a file of the top-level ``resources/`` folder: in a checkout, a wheel or a frozen app."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path, PurePosixPath

DISTRIBUTION = "calendly-console"
# Where pyproject.toml's [tool.setuptools.data-files] installs resources/ (under the prefix).
INSTALLED_DATA_DIR = PurePosixPath("share") / DISTRIBUTION


def resource(relative: str) -> Path:
    """The file ``resources/<relative>`` (e.g. ``"icons/calendly-console.svg"``), wherever it lives.

    Looked up, in order: a frozen bundle (PyInstaller puts ``resources/`` under ``sys._MEIPASS``),
    a source checkout or editable install (``resources/`` beside the ``desktop`` package), and
    an installed wheel (the files its RECORD lists under ``share/calendly-console``).
    Raises FileNotFoundError naming the path when it is in none of them.
    """
    parts = _checked_parts(relative)
    for root in _roots():
        candidate = root.joinpath(*parts)
        if candidate.is_file():
            return candidate
    installed = _installed_files().get(parts)
    if installed is not None and installed.is_file():
        return installed
    raise FileNotFoundError(f"resource not found: resources/{'/'.join(parts)}")


def resource_dir(relative: str) -> Path | None:
    """The folder ``resources/<relative>`` (e.g. ``"translations"``), or None when absent."""
    parts = _checked_parts(relative)
    for root in _roots():
        candidate = root.joinpath(*parts)
        if candidate.is_dir():
            return candidate
    for key, path in _installed_files().items():
        if key[: len(parts)] == parts and len(key) > len(parts):
            return path.parents[len(key) - len(parts) - 1]
    return None


def _checked_parts(relative: str) -> tuple[str, ...]:
    path = PurePosixPath(relative.replace("\\", "/"))
    if path.is_absolute() or not path.parts or ".." in path.parts:
        raise ValueError(f"not a path inside resources/: {relative!r}")
    return path.parts


def _roots() -> list[Path]:
    roots: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        roots.append(Path(bundle) / "resources")
    checkout = Path(__file__).resolve().parent.parent
    # A checkout has its pyproject.toml; an installed package's parent is site-packages, where a
    # stray top-level "resources" folder of some other distribution must not be taken for ours.
    if (checkout / "pyproject.toml").is_file():
        roots.append(checkout / "resources")
    return roots


@cache
def _installed_files() -> dict[tuple[str, ...], Path]:
    """The installed distribution's data files, keyed by their path inside ``resources/``."""
    import importlib.metadata  # only an installed wheel needs it (and it loads slowly)

    try:
        files = importlib.metadata.distribution(DISTRIBUTION).files or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    found: dict[tuple[str, ...], Path] = {}
    marker = INSTALLED_DATA_DIR.parts
    for file in files:
        parts = PurePosixPath(str(file).replace("\\", "/")).parts
        for start in range(len(parts) - len(marker)):
            if parts[start : start + len(marker)] == marker:
                found[parts[start + len(marker) :]] = Path(str(file.locate())).resolve()
                break
    return found
