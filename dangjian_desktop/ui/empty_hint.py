"""The words a record table shows over its empty area: what to do first when a tab has no
records yet, or that the search and filters match nothing and how to widen them.

Made only when a table first comes back empty, so a window with records never builds it (it
uses PySide's ``Qt`` namespace, which the first screen avoids: see qt_ints).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractScrollArea, QLabel

NOTHING_MATCHES = "没有找到符合条件的记录。"
WIDEN_FILTERS = "可以清空搜索框，或把上方的筛选改回“全部”。"
DISTRICT_EMPTY = "还没有乡镇的数据：用“数据交换 → 导入乡镇数据包”导入各乡镇报来的月报数据包。"
MARGIN = 24  # px between the note and the viewport's edges


class EmptyHint(QLabel):
    """A grey, centred, word-wrapped note covering ``view``'s viewport; clicks pass through."""

    def __init__(self, view: QAbstractScrollArea) -> None:
        from PySide6.QtCore import Qt

        super().__init__(view.viewport())
        self.setObjectName("empty_hint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #666; font-size: 11pt;")
        view.viewport().installEventFilter(self)
        self.hide()

    def show_text(self, text: str) -> None:
        self.setText(text)
        self._fit()
        self.show()

    def _fit(self) -> None:
        area = self.parentWidget().rect()
        self.setGeometry(area.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False


def hint_text(narrowed: bool, district: bool, first_steps: str, widen: str = WIDEN_FILTERS) -> str:
    """What an empty view says: nothing matches the search or filters (and how to widen them),
    or — nothing there at all — where the district's data comes from, or the tab's first steps."""
    if narrowed:
        return f"{NOTHING_MATCHES}\n{widen}"
    return DISTRICT_EMPTY if district else first_steps


def note_over(view: QAbstractScrollArea, hint: EmptyHint | None, text: str | None) -> EmptyHint | None:
    """Show ``text`` over ``view`` (the note is made on first need), or hide the note (None)."""
    if text is None:
        if hint is not None:
            hint.hide()
        return hint
    hint = hint or EmptyHint(view)
    hint.show_text(text)
    return hint
