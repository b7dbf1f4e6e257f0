"""The 统计 tab's charts, painted with QPainter (QtCharts is in PySide6-Addons, which the bundle
leaves out): horizontal bars (members by age band and education; 三会一课 completion per branch,
worst first, against a 100 % line), a funnel (the development pipeline) and stacked columns
(service requests per month by status).

A chart is handed plain ``Bar``/``Column`` values; every bar or segment may carry the key of the
statistics figure it shows, and clicking it emits ``drill_requested(key)`` so the tab can list
the records behind it. Hovering shows the exact number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

RED = QColor("#c62828")
GREEN = QColor("#2e7d32")
ORANGE = QColor("#ef6c00")
BAR = QColor("#d84315")
GRID = QColor("#d0d0d0")
MUTED = QColor("#757575")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar's length, in the chart's units
    text: str  # the value as written beside the bar
    key: str | None = None  # the figure to drill into
    color: QColor | None = None
    tip: str = ""


@dataclass(frozen=True)
class Column:
    """One stacked column: its label and its segments, bottom first."""

    label: str
    segments: tuple[Bar, ...]
    key: str | None = None  # the column's total

    @property
    def total(self) -> float:
        return sum(s.value for s in self.segments)


@dataclass
class _Hit:
    rect: QRectF
    key: str | None
    tip: str


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that divides 0…top into about ``ticks`` parts."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


class ChartWidget(QWidget):
    drill_requested = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.note = ""  # a line under the chart
        self.empty_text = "没有可显示的数据"
        self._hits: list[_Hit] = []
        self.setMouseTracking(True)
        self.setMinimumSize(240, 120)  # the window must still fit a 1366×768 screen

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, 300)

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        self._hits = []
        fm = QFontMetricsF(self.font())
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(self.palette().text().color())
        top = 6.0
        painter.drawText(QRectF(8, top, self.width() - 16, fm.height()), int(Qt.AlignmentFlag.AlignLeft), self.title)
        bottom = self.height() - 6.0
        painter.setFont(self.font())
        if self.note:
            wrap = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
            height = fm.boundingRect(QRectF(0, 0, self.width() - 16, 1000), wrap, self.note).height()
            bottom -= height + 4
            painter.setPen(MUTED)
            painter.drawText(QRectF(8, bottom + 4, self.width() - 16, height), wrap, self.note)
            painter.setPen(self.palette().text().color())
        area = QRectF(8, top + fm.height() + 8, self.width() - 16, bottom - top - fm.height() - 8)
        if self.is_empty():
            painter.setPen(MUTED)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), self.empty_text)
        else:
            self.draw(painter, area, fm)
        painter.end()

    def is_empty(self) -> bool:
        raise NotImplementedError

    def draw(self, painter: QPainter, area: QRectF, fm: QFontMetricsF) -> None:
        raise NotImplementedError

    def hit(self, rect: QRectF, key: str | None, tip: str) -> None:
        self._hits.append(_Hit(rect, key, tip))

    # -- pointing ---------------------------------------------------------------------------------
    def targets(self) -> dict[str, QRectF]:
        """Where each clickable figure was painted last (its key → its rectangle)."""
        return {h.key: h.rect for h in self._hits if h.key}

    def hit_at(self, pos: QPointF) -> _Hit | None:
        return next((h for h in reversed(self._hits) if h.rect.contains(pos)), None)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        found = self.hit_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and found is not None and found.key:
            self.drill_requested.emit(found.key)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        found = self.hit_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if found and found.key else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            found = self.hit_at(QPointF(event.pos()))
            if found is not None and found.tip:
                QToolTip.showText(event.globalPos(), found.tip + ("\n单击列出明细" if found.key else ""), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class BarChart(ChartWidget):
    """Horizontal bars, one per row, the label on the left and the value after the bar.

    ``row_height`` fixes each row's height (the chart then grows: put it in a scroll area);
    ``maximum`` fixes the scale (100 for rates) and ``reference`` draws a dashed line there.
    """

    def __init__(self, title: str, *, row_height: int | None = None, maximum: float | None = None,
                 reference: float | None = None, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.bars: list[Bar] = []
        self.row_height, self.maximum, self.reference = row_height, maximum, reference

    def set_bars(self, bars: Sequence[Bar], note: str = "") -> None:
        self.bars = list(bars)
        self.note = note
        if self.row_height:
            fm = QFontMetricsF(self.font())
            extra = 2 * fm.height() + 30 + (fm.height() + 4 if note else 0)
            self.setMinimumHeight(int(len(self.bars) * self.row_height + extra))
        self.update()

    def is_empty(self) -> bool:
        return not self.bars

    def draw(self, painter: QPainter, area: QRectF, fm: QFontMetricsF) -> None:
        label_w = min(max(fm.horizontalAdvance(b.label) for b in self.bars) + 10, area.width() * 0.45)
        text_w = max(fm.horizontalAdvance(b.text) for b in self.bars) + 10
        left, width = area.left() + label_w, max(area.width() - label_w - text_w, 10)
        top = area.top() + (fm.height() + 4 if self.reference is not None else 0)
        row = self.row_height or min(34.0, (area.bottom() - top) / len(self.bars))
        scale = self.maximum or max((b.value for b in self.bars), default=0) or 1
        for i, b in enumerate(self.bars):
            y = top + i * row
            band = QRectF(area.left(), y, area.width(), row)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(area.left(), y, label_w - 10, row),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             fm.elidedText(b.label, Qt.TextElideMode.ElideMiddle, label_w - 10))
            length = width * min(max(b.value, 0) / scale, 1.0)
            bar = QRectF(left, y + row * 0.15, length, row * 0.7)
            painter.fillRect(bar, b.color or BAR)
            painter.setPen(MUTED if b.color == GRID else self.palette().text().color())
            text_x = left + width + 5 if self.reference is not None else left + length + 5  # a column right of the line
            painter.drawText(QRectF(text_x, y, text_w, row),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), b.text)
            self.hit(band, b.key, b.tip or f"{b.label}：{b.text}")
        if self.reference is not None:
            x = left + width * self.reference / scale
            painter.setPen(QPen(RED, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, top - 2), QPointF(x, top + row * len(self.bars)))
            painter.setPen(RED)
            label = f"{self.reference:g}%"
            painter.drawText(QRectF(x - 40, area.top(), 80, fm.height()), int(Qt.AlignmentFlag.AlignCenter), label)


class FunnelChart(ChartWidget):
    """Stages top to bottom as centred bars whose width follows the number at each stage."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.stages: list[Bar] = []

    def set_stages(self, stages: Sequence[Bar], note: str = "") -> None:
        self.stages = list(stages)
        self.note = note
        self.update()

    def is_empty(self) -> bool:
        return not self.stages or not any(s.value for s in self.stages)

    def draw(self, painter: QPainter, area: QRectF, fm: QFontMetricsF) -> None:
        label_w = max(fm.horizontalAdvance(s.label) for s in self.stages) + 12
        text_w = max(fm.horizontalAdvance(s.text) for s in self.stages) + 12
        width = max(area.width() - label_w - text_w, 20)
        centre = area.left() + label_w + width / 2
        row = min(64.0, area.height() / len(self.stages))
        top = area.top() + (area.height() - row * len(self.stages)) / 2
        biggest = max(s.value for s in self.stages) or 1
        for i, s in enumerate(self.stages):
            y = top + i * row
            half = max(width * s.value / biggest, 3) / 2
            shade = QColor(RED).lighter(100 + 14 * i)
            painter.fillRect(QRectF(centre - half, y + 3, 2 * half, row - 6), s.color or shade)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(area.left(), y, label_w - 12, row),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), s.label)
            painter.drawText(QRectF(centre + half + 6, y, area.right() - centre - half - 6, row),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), s.text)
            self.hit(QRectF(area.left(), y, area.width(), row), s.key, s.tip or f"{s.label}：{s.text}")


class StackedColumnChart(ChartWidget):
    """Columns of stacked segments (e.g. months × status), a legend and a value axis."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.columns: list[Column] = []
        self.legend: list[tuple[str, QColor]] = []

    def set_columns(self, columns: Sequence[Column], legend: Sequence[tuple[str, QColor]], note: str = "") -> None:
        self.columns, self.legend, self.note = list(columns), list(legend), note
        self.update()

    def is_empty(self) -> bool:
        return not self.columns or not any(c.total for c in self.columns)

    def draw(self, painter: QPainter, area: QRectF, fm: QFontMetricsF) -> None:
        x = area.left()
        for label, color in self.legend:  # the legend, on one line
            painter.fillRect(QRectF(x, area.top() + 3, 12, fm.height() - 6), color)
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + 16, area.top() + fm.ascent()), label)
            x += 16 + fm.horizontalAdvance(label) + 14
        top_value = max(c.total for c in self.columns)
        step = nice_step(top_value)
        top_value = math.ceil(top_value / step) * step
        axis_w = fm.horizontalAdvance(f"{top_value:,.0f}") + 8
        plot = QRectF(area.left() + axis_w, area.top() + fm.height() + 10, area.width() - axis_w,
                      area.height() - 2 * fm.height() - 14)
        ticks = round(top_value / step)
        for t in range(ticks + 1):
            y = plot.bottom() - plot.height() * t / ticks
            painter.setPen(GRID)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(QRectF(area.left(), y - fm.height() / 2, axis_w - 6, fm.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{t * step:,.0f}")
        slot = plot.width() / len(self.columns)
        bar_w = min(slot * 0.7, 48)
        for i, c in enumerate(self.columns):
            cx = plot.left() + slot * (i + 0.5)
            self.hit(QRectF(cx - slot / 2, plot.top(), slot, plot.bottom() + fm.height() - plot.top()), c.key,
                     f"{c.label} 合计：{c.total:,.0f}")  # under the segments: they are hit first
            y = plot.bottom()
            for s in c.segments:
                h = plot.height() * s.value / top_value
                rect = QRectF(cx - bar_w / 2, y - h, bar_w, h)
                painter.fillRect(rect, s.color or BAR)
                self.hit(rect, s.key, s.tip or f"{c.label} {s.label}：{s.text}")
                y -= h
            painter.setPen(self.palette().text().color())
            label_rect = QRectF(cx - slot / 2, plot.bottom() + 2, slot, fm.height())
            painter.drawText(label_rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), c.label)
            total_rect = QRectF(cx - slot / 2, y - fm.height() - 1, slot, fm.height())
            painter.drawText(total_rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                             f"{c.total:,.0f}")
