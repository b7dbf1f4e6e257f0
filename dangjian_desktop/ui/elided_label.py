"""A status-bar label that gives way: too little room shows its text cut with “…”, never clipped.

The status bar holds the counts, the overdue requests, the unit and operator and, in a
township, the district's verdict with its reason; on a 1024×768 screen they do not all fit.
Plain ``QLabel``s will not shrink below their text, so the bar clipped them mid-character
(``入党申请人、入党积``, ``操作员：演示管``). ``ElidedLabel`` keeps its whole text (``text()``,
and the tooltip unless told otherwise) and shows as much of it as its width allows, ending in
“…”. It measures with ``QFontMetrics.horizontalAdvance`` (no ``Qt`` enum: it is on the first
screen, see ``qt_ints``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

ELLIPSIS = "…"
MIN_WIDTH = 60  # px: what is left of a label squeezed hardest still says what it is about


def elide(text: str, fits) -> str:  # noqa: ANN001 - callable(str) -> bool
    """The longest start of ``text`` that ``fits`` with “…” after it (``text`` if it fits whole)."""
    if fits(text):
        return text
    low, high = 0, len(text)  # fits(text[:low] + …) holds; text[:high] + … is too long or untried
    while low < high:
        mid = (low + high + 1) // 2
        if fits(text[:mid] + ELLIPSIS):
            low = mid
        else:
            high = mid - 1
    return text[:low] + ELLIPSIS


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None, own_tooltip: bool = True) -> None:
        super().__init__(parent)
        self._full = ""
        self._width = 0  # of the whole text, in the label's font (layouts ask for it many times)
        self._own_tooltip = own_tooltip  # False: the caller sets a tooltip of its own
        self.setText(text)

    def text(self) -> str:  # type: ignore[override] - the whole text, not what fits
        return self._full

    def setText(self, text: str) -> None:  # type: ignore[override]  # noqa: N802
        self._full = text
        self._width = self.fontMetrics().horizontalAdvance(text) if text else 0
        if self.isVisible():
            self._show()
        else:  # cut to its room once laid out (resizeEvent): not for a width it never has
            QLabel.setText(self, text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._width + 2 * self.margin() + 4, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(min(MIN_WIDTH, self._width + 2 * self.margin() + 4), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._width = self.fontMetrics().horizontalAdvance(self._full) if self._full else 0  # the font is final now
        self._show()

    def _show(self) -> None:
        metrics, room = self.fontMetrics(), self.contentsRect().width() - 2 * self.margin()
        shown = elide(self._full, lambda t: metrics.horizontalAdvance(t) <= room) if self._full else ""
        QLabel.setText(self, shown)
        if self._own_tooltip:
            self.setToolTip(self._full if shown != self._full else "")
