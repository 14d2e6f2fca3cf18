"""``make screenshots``: one non-blank PNG of the fixed size for each main page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "screenshots.py"
# The pages the issue names: overview, members, event types, scheduled events with a selected
# event, webhooks with the inspector, booking desk, embed lab.
PAGES = {
    "overview",
    "members",
    "event-types",
    "scheduled-events",
    "webhooks-inspector",
    "booking-desk",
    "embed-lab",
}
SIZE = (1280, 800)
RUN_SECONDS = 240


def distinct_colours(image: QImage) -> int:
    """How many different RGB values the picture holds."""
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(pixels.constBits())[: pixels.sizeInBytes()]
    return len(set(memoryview(data).cast("I")))


def busiest_share(image: QImage) -> float:
    """The share of the pixels taken by the most common colour (1.0: one flat colour)."""
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(pixels.constBits())[: pixels.sizeInBytes()]
    counts: dict[int, int] = {}
    for value in memoryview(data).cast("I"):
        counts[value] = counts.get(value, 0) + 1
    return max(counts.values()) / (pixels.width() * pixels.height())


@pytest.mark.webengine
@pytest.mark.timeout(RUN_SECONDS + 60)
def test_make_screenshots_saves_one_non_blank_png_per_page(tmp_path: Path) -> None:
    out = tmp_path / "screenshots"
    # As `make screenshots` runs it: the script pins the rest (offscreen, DPI, zone, locale).
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-4000:]

    saved = {path.stem: path for path in out.iterdir()}
    assert set(saved) == PAGES, sorted(saved)
    for name, path in sorted(saved.items()):
        assert path.suffix == ".png"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        image = QImage(str(path))
        assert not image.isNull(), f"{name}: does not decode"
        assert (image.width(), image.height()) == SIZE, name
        # A window with text, tables and charts: many colours (antialiased text alone gives
        # dozens), and no single colour covering almost everything.
        assert distinct_colours(image) >= 64, name
        assert busiest_share(image) < 0.9, name
    assert f"{len(PAGES)} pictures in" in run.stdout
