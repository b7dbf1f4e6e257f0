"""How a closed drop-down of tree choices shows the current one: the branch filters and the
form's 所在党组织 list branches indented by depth (full-width spaces, which help in the open
list), but in the narrow closed box the indent would push the distinguishing end of the name
(第一支部, 第二支部, …) out of sight. ``show_plainly(combo)`` makes the closed box paint the
choice without its indent, elided in the middle when it is still too long, and keeps the
box's tooltip saying the full name of the current choice.

It is an event filter, installed when a box is first filled, not a ``QComboBox`` subclass:
the record tabs build their filters before the first rows are shown, and this module (and
Qt's enums for the elision) loads only once there is something to show.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter

from ..services.query_types import TREE_INDENT

INDENT = TREE_INDENT + " "  # what a tree choice's label may start with (the lists' indent, or plain spaces)


def plain_label(text: str) -> str:
    """The choice's name without its tree indent."""
    return text.lstrip(INDENT)


class PlainClosedBox(QObject):
    """Paints its combo box's closed state with the current choice's plain, fitted name."""

    def __init__(self, combo: QComboBox, tip: str = "") -> None:
        super().__init__(combo)
        self.combo = combo
        self.tip = tip  # what the box is (its tooltip before the choice's name), e.g. 党组织
        combo.installEventFilter(self)
        combo.currentIndexChanged.connect(lambda _i: self.update_tip())
        self.update_tip()

    def update_tip(self) -> None:
        name = plain_label(self.combo.currentText())
        self.combo.setToolTip(f"{self.tip}：{name}" if self.tip and name else self.tip or name)

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.combo.initStyleOption(option)
        return option

    def shown_text(self, option: QStyleOptionComboBox | None = None) -> str:
        """What the closed box shows: the plain name, elided in the middle to fit."""
        option = option or self._option()
        if self.combo.currentIndex() < 0:  # nothing chosen: the box's placeholder (（请选择）)
            return self.combo.placeholderText()
        text = plain_label(self.combo.currentText())
        field = self.combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                                  QStyle.SubControl.SC_ComboBoxEditField, self.combo)
        metrics = self.combo.fontMetrics()
        if metrics.horizontalAdvance(text) <= field.width():
            return text
        from PySide6.QtCore import Qt  # only for a name too long to fit: after the first rows

        return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, field.width())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.combo and event.type() == QEvent.Type.Paint and not self.combo.isEditable():
            option = self._option()
            option.currentText = self.shown_text(option)
            painter = QStylePainter(self.combo)
            painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
            painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
            painter.end()
            return True
        return False


def show_plainly(combo: QComboBox, tip: str = "") -> PlainClosedBox:
    """Make ``combo``'s closed box show its choice plainly (once; a second call returns the first)."""
    existing = combo.findChild(PlainClosedBox)
    return existing if existing is not None else PlainClosedBox(combo, tip)
