"""Window sizes that fit the screen a window opens on.

A dialog asks for the size its content likes (``resize_to_fit(dialog, 1100, 720)``) and gets
that, or less on a small screen: old office PCs run 1024 × 768, where a 1100-pixel dialog hides
its right edge (取消) past the screen and a 760-pixel one puts its buttons under the taskbar.
``FRAME`` is what a window manager adds around a window (borders, the title bar).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

FRAME = (16, 48)


def fitted_size(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """``(width, height)``, each at most the screen's available room less the frame."""
    screen = widget.screen()
    if screen is None:
        return width, height
    avail = screen.availableGeometry()
    return min(width, avail.width() - FRAME[0]), min(height, avail.height() - FRAME[1])


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    widget.resize(*fitted_size(widget, width, height))
