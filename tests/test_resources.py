"""resources/ is found in a checkout, an installed wheel and a frozen bundle; the wheel ships it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from desktop import resources
from desktop.resources import resource, resource_dir

CHECKOUT = Path(__file__).resolve().parent.parent
ICON = "icons/calendly-console.svg"


def test_the_checkout_resolves_the_app_icon() -> None:
    path = resource(ICON)
    assert path == CHECKOUT / "resources" / "icons" / "calendly-console.svg"
    assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert resource_dir("icons") == CHECKOUT / "resources" / "icons"


def test_a_missing_resource_names_its_path() -> None:
    with pytest.raises(FileNotFoundError, match=r"resources/icons/no-such-icon\.svg"):
        resource("icons/no-such-icon.svg")
    assert resource_dir("no-such-folder") is None


@pytest.mark.parametrize("bad", ["../pyproject.toml", "/etc/passwd", "icons/../../README.md", ""])
def test_paths_outside_resources_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a path inside resources/"):
        resource(bad)


def test_a_frozen_bundle_resolves_under_meipass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PyInstaller's own process state, as a onedir bundle sets it before our code runs.
    bundled = tmp_path / "resources" / "icons" / "calendly-console.svg"
    bundled.parent.mkdir(parents=True)
    bundled.write_text("<svg/>", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource(ICON) == bundled


def test_an_installed_wheel_resolves_its_data_files(tmp_path: Path) -> None:
    """The layout pip makes from our wheel: the package in site-packages, resources/ as data."""
    prefix = tmp_path / "prefix"
    site = prefix / "lib" / "site-packages"
    package = site / "desktop"
    package.mkdir(parents=True)
    shutil.copy(CHECKOUT / "desktop" / "__init__.py", package / "__init__.py")
    shutil.copy(CHECKOUT / "desktop" / "resources.py", package / "resources.py")
    data = prefix / "share" / "calendly-console" / "icons" / "calendly-console.svg"
    data.parent.mkdir(parents=True)
    data.write_text("<svg/>", encoding="utf-8")
    # A stray top-level resources/ of some other distribution must not be taken for ours.
    (site / "resources" / "icons").mkdir(parents=True)
    (site / "resources" / "icons" / "calendly-console.svg").write_text("wrong", encoding="utf-8")
    info = site / "calendly_console-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.4\nName: calendly-console\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (info / "RECORD").write_text(
        "desktop/__init__.py,,\ndesktop/resources.py,,\n"
        "../../share/calendly-console/icons/calendly-console.svg,,\n"
        "calendly_console-0.1.0.dist-info/METADATA,,\n"
        "calendly_console-0.1.0.dist-info/RECORD,,\n",
        encoding="utf-8",
    )
    script = textwrap.dedent(
        """
        import sys
        from desktop.resources import resource, resource_dir
        print(resource("icons/calendly-console.svg"))
        print(resource_dir("icons"))
        try:
            resource("icons/missing.svg")
        except FileNotFoundError as error:
            print(error)
        """
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r})\n{script}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found, folder, missing = result.stdout.splitlines()
    assert Path(found).resolve() == data.resolve()
    assert Path(folder).resolve() == data.parent.resolve()
    assert missing == "resource not found: resources/icons/missing.svg"


def test_every_resource_file_ships_in_the_wheel() -> None:
    """pyproject.toml's data-files lists every file of resources/ (one entry per folder)."""
    config = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files: dict[str, list[str]] = config["tool"]["setuptools"]["data-files"]
    root = CHECKOUT / "resources"
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(CHECKOUT).as_posix()
        if relative.startswith("resources/translations/") and path.suffix == ".ts":
            continue  # translation sources; their compiled .qm files ship
        targets = [
            target
            for target, patterns in data_files.items()
            if any(fnmatch(relative, pattern) for pattern in patterns)
        ]
        inside = path.parent.relative_to(root).as_posix()
        expected = f"{resources.INSTALLED_DATA_DIR}/{inside}".rstrip("/.")
        assert targets == [expected], f"{relative} is not installed to {expected} by the wheel"
