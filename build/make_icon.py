"""Draws the program's icon: an original design (a red rounded square with a white ledger on
it — no emblem artwork), written as SVG, rendered to PNGs and packed into a Windows .ico.

Run from anywhere with the project's virtualenv (needs PySide6's QtSvg):

    python build/make_icon.py            # rewrites dangjian_desktop/resources/icon*
    python build/make_icon.py --check    # exit 1 if the files on disk differ from a fresh drawing

The outputs are committed; regenerate them after changing the drawing below.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "dangjian_desktop" / "resources"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

RED, DARK_RED, WHITE = "#c62828", "#8e1b1b", "#ffffff"

# 256 × 256 canvas: a rounded square, a white closed ledger with a spine, three ruled lines
# and a bookmark ribbon. Strokes are wide enough to survive rendering at 16 px.
SVG = f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <rect x="8" y="8" width="240" height="240" rx="52" ry="52" fill="{RED}"/>
  <rect x="64" y="44" width="132" height="168" rx="14" ry="14" fill="{WHITE}"/>
  <rect x="64" y="44" width="26" height="168" rx="10" ry="10" fill="{DARK_RED}" fill-opacity="0.35"/>
  <path d="M152 44 h26 v58 l-13 -12 l-13 12 z" fill="{DARK_RED}"/>
  <g stroke="{RED}" stroke-width="12" stroke-linecap="round">
    <line x1="108" y1="124" x2="172" y2="124"/>
    <line x1="108" y1="152" x2="172" y2="152"/>
    <line x1="108" y1="180" x2="150" y2="180"/>
  </g>
</svg>
"""


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(SVG.encode("utf-8")))
    if not renderer.isValid():
        raise SystemExit("the icon's SVG does not parse")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def pack_ico(pngs: dict[int, bytes]) -> bytes:
    """An .ico whose entries are PNGs (read by Windows Vista and later, and by NSIS/PyInstaller)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def outputs() -> dict[str, bytes]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # QPainter on a QImage needs one
    pngs = {size: render_png(size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    app.processEvents()
    files = {"icon.svg": SVG.encode("utf-8"), "icon.ico": pack_ico({s: pngs[s] for s in ICO_SIZES})}
    files.update({f"icon-{size}.png": pngs[size] for size in PNG_SIZES})
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the files on disk")
    args = parser.parse_args(argv)
    files = outputs()
    if args.check:
        stale = [name for name, data in files.items()
                 if not (RESOURCES / name).exists() or (RESOURCES / name).read_bytes() != data]
        for name in stale:
            print(f"out of date: {RESOURCES / name}", file=sys.stderr)
        return 1 if stale else 0
    RESOURCES.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (RESOURCES / name).write_bytes(data)
        print(f"wrote {RESOURCES / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
