"""Sizing a dialog to its screen: the size it would like, but never larger than the screen.

Township PCs often have a 1024×768 or 1366×768 screen. A dialog resized to a fixed 1100×720
ran off the right edge there, taking its buttons (添加文件, 关闭) and the end of every message
with it; the dialogs that want more than the smallest screen ask here instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

# Room for the window frame and title bar that the window manager adds around the dialog.
FRAME_WIDTH = 16
FRAME_HEIGHT = 48


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, shrunk to fit the available area of its screen."""
    screen = widget.screen()
    if screen is not None:
        avail = screen.availableGeometry()
        width = min(width, avail.width() - FRAME_WIDTH)
        height = min(height, avail.height() - FRAME_HEIGHT)
    widget.resize(width, height)
