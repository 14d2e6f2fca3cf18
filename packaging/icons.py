"""Render resources/icons/calendly-console.svg to the installers' icons: PNGs, .ico and .icns.

    python packaging/icons.py OUTPUT_DIR

writes ``OUTPUT_DIR/hicolor/<N>x<N>/apps/calendly-console.png`` (the sizes the freedesktop
icon theme wants), ``calendly-console.ico`` (Windows: 16-256 px) and ``calendly-console.icns``
(macOS: 16-1024 px). Both containers hold PNG images, which Windows Vista+ and macOS 10.7+ read;
that keeps this script free of any imaging library but Qt's own SVG renderer. Each container is
read back through Qt's ico/icns image plug-ins, so a broken file fails the build here.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

SOURCE = Path(__file__).resolve().parent.parent / "resources" / "icons" / "calendly-console.svg"
NAME = "calendly-console"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, with their pixel size (Apple's "icns" type codes).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16@2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32@2x
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),  # 128@2x
    (b"ic09", 512),
    (b"ic14", 512),  # 256@2x
    (b"ic10", 1024),  # 512@2x
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise RuntimeError(f"could not encode a {size} px PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO directory of PNG images (a width/height byte of 0 means 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: one PNG element per type. No table of contents: macOS does not need one,
    and Qt's icns reader (which checks the file here) warns about ours as "corrupted"."""
    elements = [(kind, pngs[size]) for kind, size in ICNS_TYPES]
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def _check_readable(path: Path, largest: int) -> None:
    reader = QImageReader(str(path))
    if not reader.canRead():
        raise RuntimeError(f"{path.name}: Qt cannot read it ({reader.errorString()})")
    biggest = 0
    for _ in range(reader.imageCount()):
        image = reader.read()
        if image.isNull():
            raise RuntimeError(f"{path.name}: an unreadable image ({reader.errorString()})")
        biggest = max(biggest, image.width())
        if not reader.jumpToNextImage():
            break
    if biggest != largest:
        raise RuntimeError(f"{path.name}: largest image is {biggest} px, not {largest}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    app = QGuiApplication.instance() or QGuiApplication([NAME])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {SOURCE}")
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(renderer, size) for size in sizes}
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = out / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SOURCE.read_bytes())
    (out / f"{NAME}.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (out / f"{NAME}.icns").write_bytes(icns(pngs))
    _check_readable(out / f"{NAME}.ico", max(ICO_SIZES))
    _check_readable(out / f"{NAME}.icns", max(size for _, size in ICNS_TYPES))
    print(f"icons: {len(HICOLOR_SIZES)} PNG sizes, {NAME}.ico and {NAME}.icns in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
