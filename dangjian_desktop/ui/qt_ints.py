"""The few values of Qt's enums that the window's first screen needs, as plain ints.

The first touch of PySide6's ``Qt`` namespace — ``from PySide6.QtCore import Qt``, or Qt
handing Python one of its values (a ``headerData`` orientation, a ``sort`` order) — builds
all of its ~100 enum types at once: about 15 ms, a tenth of the window's start. So the
modules the first screen runs never import ``Qt`` at module level: they use these ints where
Qt takes an int (item-data roles, connection types, properties set by name), and import
``Qt`` inside the functions that run later (a dialog, a key press, a click on a header).
Some PySide calls build it too while choosing among their overloads: ``QAction.setShortcut``
does (``setShortcuts([sequence])`` does not).
``tests/ui/test_qt_ints.py`` checks every value here against Qt's own, and the benchmark's
probe (``first_rows_probe``) says if the namespace was built before the first rows.
"""

from __future__ import annotations

import sys

# Qt::ItemDataRole
DISPLAY_ROLE = 0
TOOLTIP_ROLE = 3
ALIGNMENT_ROLE = 7
BACKGROUND_ROLE = 8
FOREGROUND_ROLE = 9
USER_ROLE = 0x0100

# Qt::AlignmentFlag
ALIGN_LEFT_VCENTER = 0x0001 | 0x0080
ALIGN_RIGHT_VCENTER = 0x0002 | 0x0080

# Qt::ConnectionType
QUEUED_CONNECTION = 2
SINGLE_SHOT_CONNECTION = 0x0100

# Properties set by name (``QObject.setProperty``), whose setters take only the enum.
TOOL_BUTTON_TEXT_ONLY = 1  # QToolBar.toolButtonStyle: Qt::ToolButtonTextOnly
WIDGET_SHORTCUT = 0  # QAction.shortcutContext: Qt::WidgetShortcut
TEXT_SELECTABLE_BY_MOUSE = 1  # QLabel.textInteractionFlags: Qt::TextSelectableByMouse


def namespace_built() -> bool:
    """Whether PySide6 has built its ``Qt`` namespace in this process (asking does not build it)."""
    core = sys.modules.get("PySide6.QtCore")
    return core is not None and "Qt" in vars(core)
