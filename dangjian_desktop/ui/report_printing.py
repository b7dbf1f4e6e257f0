"""Printable lists on A4: lays a ``services.reports.ReportTable`` out in pages and paints it on
any paged device — a ``QPdfWriter`` for a PDF file, the ``QPrinter`` of a print preview.

Every page has the header row again and ``第 n 页 共 m 页`` at its foot; the first page has the
title, the issuing unit, the date and the count; a long cell wraps inside its column (the row
grows); after the last row come the 制表人 / 审核人 lines (on a page of their own if they do not
fit). The layout is computed for the device first (row heights from its font metrics), so the
page count is known before the first page is painted. Wide tables print landscape.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPagedPaintDevice, QPainter, QPdfWriter, QPen,
)

from ..domain.errors import DomainError
from ..exchange.columns import Kind
from ..exchange.output_file import replacing
from ..services.progress import Job, Progress, run_job
from ..services.reports import ReportTable
from .formatting import NUMERIC_KINDS, cell_text

MARGIN_MM = 12
BODY_PT = (9.0, 8.5, 8.0, 7.5, 7.0)  # the table's font: the first size at which the columns fit
TITLE_PT, SMALL_PT = 16, 8
PDF_DPI = 300
GRID = QColor("#555555")
HEADER_FILL = QColor("#e8e8e8")
NO_ROWS = "（无记录）"
WRAP_CHARS = 6  # a text column narrows to this many characters before anything else gives way
_MEASURED = 24  # texts measured per column for its width
PROGRESS_EVERY = 10  # pages between two progress steps


class ReportPrintError(DomainError):
    """The PDF could not be written (folder missing, no permission, file open elsewhere)."""


@dataclass(frozen=True)
class PagePlan:
    rows: range  # the table rows on this page
    signature: bool  # the 制表人/审核人 lines end this page


def page_layout(table: ReportTable) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if table.landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class ReportRenderer:
    """One table, laid out for one device at a time."""

    def __init__(self, table: ReportTable, printed_on: date) -> None:
        self.table = table
        self.printed_on = printed_on
        self.texts: list[list[str]] = [[cell_text(c.kind, v, reveal_ids=True) for c, v in zip(table.columns, row)]
                                       for row in table.rows]

    # -- measuring --------------------------------------------------------------------------------
    def _setup(self, device: QPagedPaintDevice) -> None:
        self.dpi = device.logicalDpiY()
        self.mm = self.dpi / 25.4
        self.width, self.height = float(device.width()), float(device.height())
        self.title_font, self.small = _font(TITLE_PT, True), _font(SMALL_PT)
        self.fm_title = QFontMetricsF(self.title_font, device)
        self.fm_small = QFontMetricsF(self.small, device)
        self.pad = 0.8 * self.mm
        for points in BODY_PT:  # the largest size at which the columns fit
            self.body, self.bold = _font(points), _font(points, True)
            self.fm = QFontMetricsF(self.body, device)
            self.fm_bold = QFontMetricsF(self.bold, device)
            widths, fits = self._column_widths()
            if fits:
                break
        self.col_x: list[float] = [0.0]
        for w in widths:
            self.col_x.append(self.col_x[-1] + w)
        self.header_h = max(self._text_height(self.fm_bold, c.header, i) for i, c in enumerate(self.table.columns))
        self.title_h = self.fm_title.height() + 1.5 * self.mm + self.fm.height() + 2.5 * self.mm
        self.cont_h = self.fm_small.height() + 1.5 * self.mm
        self.footer_h = self.fm_small.height() + 3 * self.mm
        self.signature_h = 8 * self.mm + self.fm.height()

    def _natural(self, column: int) -> float:
        """The width of the column's longest text (measured on its longest few, by character width)."""
        texts = {row[column] for row in self.texts}
        longest = heapq.nlargest(_MEASURED, texts, key=lambda t: sum(2 if ord(ch) > 0x2E80 else 1 for ch in t))
        return max((self.fm.horizontalAdvance(t) for t in longest), default=0.0) + 2 * self.pad + 0.5 * self.mm

    def _column_widths(self) -> tuple[list[float], bool]:
        """Columns as wide as their content. If the page is too narrow, the widest text columns
        (which wrap) give way first — down to a common width, never below a few characters —
        so that one long 代办内容 does not squeeze the names; what is left over widens them all."""
        char = self.fm.horizontalAdvance("中")
        natural, minimum = [], []
        for i, c in enumerate(self.table.columns):
            head = min(self.fm_bold.horizontalAdvance(c.header), 4 * char) + 2 * self.pad
            width = max(self._natural(i), head)
            natural.append(width)
            minimum.append(max(min(width, WRAP_CHARS * char + 2 * self.pad), head) if c.kind is Kind.TEXT else width)
        if sum(natural) <= self.width:
            return [w * self.width / sum(natural) for w in natural], True
        if sum(minimum) >= self.width:
            return [w * self.width / sum(minimum) for w in minimum], False

        def capped(cap: float) -> list[float]:
            return [max(m, min(n, cap)) for n, m in zip(natural, minimum)]

        low, high = 0.0, max(natural)  # the cap at which the columns fill the width exactly
        for _ in range(40):
            mid = (low + high) / 2
            low, high = (mid, high) if sum(capped(mid)) < self.width else (low, mid)
        widths = capped(low)
        return [w * self.width / sum(widths) for w in widths], True

    def _cell_width(self, column: int) -> float:
        return self.col_x[column + 1] - self.col_x[column] - 2 * self.pad

    def _text_height(self, fm: QFontMetricsF, text: str, column: int) -> float:
        width = self._cell_width(column)
        if fm.horizontalAdvance(text) <= width:
            return fm.height() + 2 * self.pad
        box = fm.boundingRect(QRectF(0, 0, width, 1e6), int(Qt.TextFlag.TextWordWrap), text)
        return box.height() + 2 * self.pad

    def _row_height(self, texts: Sequence[str]) -> float:
        return max(self._text_height(self.fm, t, i) for i, t in enumerate(texts))

    def paginate(self, device: QPagedPaintDevice) -> list[PagePlan]:
        """Where the pages break on ``device`` (its page size and resolution as set)."""
        self._setup(device)
        self.row_h = [self._row_height(t) for t in self.texts] or [self.fm.height() + 2 * self.pad]
        bottom = self.height - self.footer_h
        pages: list[PagePlan] = []
        start, y = 0, self.title_h + self.header_h
        for i, h in enumerate(self.row_h):
            if y + h > bottom and i > start:
                pages.append(PagePlan(range(start, i), False))
                start, y = i, self.cont_h + self.header_h
            y += h
        count = len(self.texts)
        if y + self.signature_h <= bottom:
            pages.append(PagePlan(range(start, count), True))
        else:
            pages += [PagePlan(range(start, count), False), PagePlan(range(count, count), True)]
        return pages

    # -- painting ---------------------------------------------------------------------------------
    def render(self, device: QPagedPaintDevice) -> int:
        """Paint every page on ``device``; returns the number of pages."""
        return run_job(self.render_pages(device))

    def render_pages(self, device: QPagedPaintDevice) -> Job[int]:
        """``render`` as a job: a ``Progress`` after each page; closing it stops at a page end."""
        pages = self.paginate(device)
        painter = QPainter()
        if not painter.begin(device):
            raise ReportPrintError("无法开始打印：打印机或文件不可用，请检查后重试")
        try:
            for n, page in enumerate(pages, start=1):
                if n > 1:
                    device.newPage()
                self._paint_page(painter, n, len(pages), page)
                if n % PROGRESS_EVERY == 0:
                    yield Progress(n, len(pages), f"正在排版第 {n} 页，共 {len(pages)} 页…")
        finally:
            painter.end()
        return len(pages)

    def _paint_page(self, painter: QPainter, n: int, total: int, page: PagePlan) -> None:
        t = self.table
        if n == 1:
            painter.setFont(self.title_font)
            painter.drawText(QRectF(0, 0, self.width, self.fm_title.height()), int(Qt.AlignmentFlag.AlignCenter),
                             t.title)
            info = f"填报单位：{t.unit_name}　　{t.scope}　　{t.count_text}"
            if t.masked:
                info += "　　（身份证号、电话已隐去部分数字）"
            painter.setFont(self.body)
            painter.drawText(QRectF(0, self.fm_title.height() + 1.5 * self.mm, self.width, self.fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), info)
            y = self.title_h
        else:
            painter.setFont(self.small)
            painter.drawText(QRectF(0, 0, self.width, self.fm_small.height()), int(Qt.AlignmentFlag.AlignLeft),
                             f"{t.title}（续）")
            y = self.cont_h
        if page.rows or not page.signature or n == 1:
            y = self._paint_header(painter, y)
            y = self._paint_rows(painter, y, page.rows)
        if page.signature:
            self._paint_signature(painter, y)
        painter.setFont(self.small)
        foot = QRectF(0, self.height - self.fm_small.height(), self.width, self.fm_small.height())
        painter.drawText(foot, int(Qt.AlignmentFlag.AlignCenter), f"第 {n} 页 共 {total} 页")
        painter.drawText(foot, int(Qt.AlignmentFlag.AlignRight), f"打印日期：{self.printed_on.isoformat()}")

    def _cell(self, painter: QPainter, column: int, y: float, h: float, text: str, align: Qt.AlignmentFlag) -> None:
        rect = QRectF(self.col_x[column], y, self.col_x[column + 1] - self.col_x[column], h)
        painter.drawRect(rect)
        inner = rect.adjusted(self.pad, self.pad, -self.pad, -self.pad)
        painter.drawText(inner, int(align | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap), text)

    def _paint_header(self, painter: QPainter, y: float) -> float:
        painter.fillRect(QRectF(0, y, self.width, self.header_h), HEADER_FILL)
        painter.setPen(QPen(GRID, 0.2 * self.mm))
        painter.setFont(self.bold)
        for i, c in enumerate(self.table.columns):
            self._cell(painter, i, y, self.header_h, c.header, Qt.AlignmentFlag.AlignHCenter)
        return y + self.header_h

    def _paint_rows(self, painter: QPainter, y: float, rows: range) -> float:
        painter.setFont(self.body)
        if not self.texts:
            rect = QRectF(0, y, self.width, self.row_h[0])
            painter.drawRect(rect)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), NO_ROWS)
            return y + self.row_h[0]
        for r in rows:
            h = self.row_h[r]
            for i, (c, text) in enumerate(zip(self.table.columns, self.texts[r])):
                if i == 0:
                    align = Qt.AlignmentFlag.AlignHCenter
                elif c.kind in NUMERIC_KINDS:
                    align = Qt.AlignmentFlag.AlignRight
                else:
                    align = Qt.AlignmentFlag.AlignLeft
                self._cell(painter, i, y, h, text, align)
            y += h
        return y

    def _paint_signature(self, painter: QPainter, y: float) -> None:
        painter.setFont(self.body)
        line = "制表人：＿＿＿＿＿＿＿＿　　　　审核人：＿＿＿＿＿＿＿＿　　　　" \
               f"制表日期：{self.printed_on.year}年{self.printed_on.month}月{self.printed_on.day}日"
        painter.drawText(QRectF(0, y + 6 * self.mm, self.width, self.fm.height() + 2 * self.mm),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)

    # -- devices ----------------------------------------------------------------------------------
    def prepare(self, device: QPagedPaintDevice) -> None:
        """A4, the table's orientation and the margins, on a PDF writer or a printer."""
        device.setPageLayout(page_layout(self.table))

    def write_pdf(self, path: Path | str) -> int:
        """Write the PDF (replacing ``path`` only once it is complete); returns the page count."""
        return run_job(self.write_pdf_job(path))

    def write_pdf_job(self, path: Path | str) -> Job[int]:
        """``write_pdf`` as a job; cancelled (closed) it leaves no file behind."""
        path = Path(path)
        if not path.parent.is_dir():
            raise ReportPrintError(f"文件夹 {path.parent} 不存在，请先创建它或换一个保存位置")
        # Qt's own file writing fails silently (a full disk gives a cut-off PDF under the full
        # name): the PDF is made in memory and written by Python, whose errors are named.
        with replacing(path, ReportPrintError) as tmp, open(tmp, "xb") as out:  # no file can go there: said first
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            writer: QPdfWriter | None = QPdfWriter(buffer)
            try:
                writer.setResolution(PDF_DPI)
                writer.setTitle(self.table.title)
                writer.setCreator("党建台账")
                self.prepare(writer)
                pages = yield from self.render_pages(writer)
            except ReportPrintError as exc:
                raise ReportPrintError(f"无法写入 {path}：{exc.message}") from None
            finally:
                writer = None  # the PDF's last part goes into the buffer
            out.write(buffer.data().data())
            buffer.close()
        return pages
