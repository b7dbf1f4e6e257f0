"""Township: the district's latest verdict on the monthly package (区里审核 2026-10：退回修改（原因）)
in the status bar, red when the package was returned. Read off the GUI thread; the service is
loaded only then, so that the window's start loads none of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from .context import UiContext
from .elided_label import ElidedLabel
from .qt_ints import TEXT_SELECTABLE_BY_MOUSE

if TYPE_CHECKING:
    from ..services.package_review import Review

STATUS_COLOR = {"待审核": "#ef6c00", "已通过": "#2e7d32", "退回修改": "#c62828"}
REASON_SHOWN = 30  # characters of the reason in the status bar; all of it in the tooltip


def _reviews(store):  # noqa: ANN001, ANN202 - Store → list[Review]; runs in a worker
    from ..services.package_review import list_reviews

    return list_reviews(store)


def review_time(review: Review) -> str:
    return f"{review.reviewed_at.astimezone():%Y-%m-%d %H:%M}" if review.reviewed_at else ""


class ReviewStatusLabel(ElidedLabel):
    """Cut with “…” when the status bar is short of room; the tooltip has it all."""

    refreshed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, own_tooltip=False)
        self.ctx = ctx
        self.setProperty("textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)  # no Qt enum: see qt_ints

    def refresh(self) -> None:
        store = self.ctx.store
        self.ctx.workers.call(lambda: _reviews(store), on_result=self.show_reviews, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.ctx.show_error(self, exc, self.tr("读取审核结果出错"))

    def show_reviews(self, reviews: list[Review]) -> None:
        if not reviews:
            self.setText("")
            self.setToolTip(self.tr("还没有导入区里发回的审核回执"))
        else:
            r = reviews[0]  # newest month first
            status = r.status.value
            text = self.tr("区里审核 {period}：{status}").format(period=r.period, status=status)
            if r.reason:
                short = r.reason if len(r.reason) <= REASON_SHOWN else r.reason[:REASON_SHOWN] + "…"
                text += self.tr("（{reason}）").format(reason=short)
            self.setText(text)
            self.setStyleSheet(f"color: {STATUS_COLOR.get(status, '')};")
            self.setToolTip(self.tr("{period} 数据包：{status}，审核人 {who}，{when}\n{reason}").format(
                period=r.period, status=status, who=r.reviewer or "—", when=review_time(r), reason=r.reason))
        self.refreshed.emit()
