"""Reviewing imported packages (审核) and the receipt (回执) that carries the verdict back.

At the district every imported package puts its township and month on 待审核; the clerk sets
已通过 or 退回修改 (a reason is required for the latter) and exports a receipt file. At the
township the receipt is imported: its verdict and reason are stored for the window to show.
Importing the same receipt twice changes nothing; an older receipt never overwrites a newer.

A receipt is written and verified inside the transaction that notes it (and, for
``review_with_receipt``, saves the verdict): a receipt that cannot be written saves nothing,
and a transaction that fails after the file was written removes the file.
"""

from __future__ import annotations

import contextlib
import uuid as _uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import DomainError
from ..domain.records import utc_now
from ..exchange import package_guard, package_receipt
from ..exchange.isolation import IsolationFailure, Limits, run_isolated
from ..exchange.output_file import make_folder
from ..exchange.package_reader import NotAPackageError
from ..exchange.package_receipt import Receipt, read_receipt, write_receipt
from ..exchange.package_spec import ReviewStatus, check_period, receipt_file_name
from ..storage.repositories import TownshipRepository, audit_for
from ..storage.repositories.exchange_log import PackageReview, PackageReviewRepository
from .progress import run_job
from .store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

REVIEW_ACTION = "审核"
RECEIPT_LIMITS = Limits(timeout_s=60, memory_mb=512)  # a receipt is a few kilobytes
STATUS_ALIASES = {"pending": ReviewStatus.PENDING, "approved": ReviewStatus.APPROVED,
                  "returned": ReviewStatus.RETURNED, **{s.value: s for s in ReviewStatus}}


class ReviewRefusedError(DomainError):
    pass


@dataclass(frozen=True)
class Review:
    """The verdict on one township's package of one month, as the window shows it."""

    township_code: str
    period: str
    status: ReviewStatus
    reason: str
    reviewer: str
    reviewed_at: datetime | None
    export_id: str | None
    receipt_id: str | None

    def to_json(self) -> dict:
        return {"township_code": self.township_code, "period": self.period, "status": self.status.value,
                "reason": self.reason, "reviewer": self.reviewer,
                "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
                "export_id": self.export_id, "receipt_id": self.receipt_id}


def _review(r: PackageReview) -> Review:
    return Review(r.township_code, r.period, ReviewStatus(r.status), r.reason, r.reviewer, r.reviewed_at,
                  r.export_id, r.receipt_id)


def parse_status(text: str) -> ReviewStatus:
    status = STATUS_ALIASES.get(text.strip())
    if status is None:
        raise ReviewRefusedError(f"审核结果“{text}”无效，应为：待审核、已通过、退回修改")
    return status


def _district(store: Store) -> tuple[str, str]:
    unit = store.unit()
    if unit is None or not unit.is_district:
        raise ReviewRefusedError("只有区里的数据库才能审核乡镇的数据包")
    return unit.code, unit.name


def list_reviews(store: Store, township_code: str | None = None) -> list[Review]:
    with store.db.read() as s:
        return [_review(r) for r in PackageReviewRepository(s).list(township_code)]


def set_review(store: Store, township_code: str, period: str, status: ReviewStatus | str, reason: str = "",
               now: datetime | None = None) -> Review:
    """Record the district's verdict on a township's package of ``period``."""
    _district(store)
    status, reason = _verdict(status, reason)
    with store.db.write() as s:
        new = _save_verdict(s, township_code, _period(period), status, reason, now)
    return _review(new)


def review_with_receipt(store: Store, township_code: str, period: str, status: ReviewStatus | str, reason: str,
                        out_dir: Path | str, now: datetime | None = None) -> tuple[Review, Path]:
    """``set_review`` and ``export_receipt`` as one: the verdict is saved only if its receipt was
    written, so a folder that cannot be written leaves the review as it was."""
    district = _district(store)
    status, reason = _verdict(status, reason)
    period = _period(period)
    with _receipt_cleanup() as written, store.db.write() as s:
        review = _save_verdict(s, township_code, period, status, reason, now)
        try:
            review, path = _write_receipt(s, district, review, out_dir)
        except DomainError as exc:
            raise ReviewRefusedError(f"{exc.message}；审核结果未保存，请换一个文件夹后重新审核") from None
        written.append(path)
    return _review(review), path


def _verdict(status: ReviewStatus | str, reason: str) -> tuple[ReviewStatus, str]:
    status = parse_status(status) if isinstance(status, str) and not isinstance(status, ReviewStatus) else status
    reason = " ".join(reason.split()) if reason else ""
    if status is ReviewStatus.RETURNED and not reason:
        raise ReviewRefusedError("退回修改时请写明原因，乡镇才知道要改什么")
    return status, reason


def _save_verdict(s: Session, township_code: str, period: str, status: ReviewStatus, reason: str,
                  now: datetime | None) -> PackageReview:
    repo = PackageReviewRepository(s)
    old = repo.get(township_code, period)
    if old is None:
        raise ReviewRefusedError(f"还没有导入乡镇 {township_code} {period} 的数据包，不能审核")
    audit = audit_for(s)
    new = PackageReview(township_code, old.period, status.value, now or utc_now(), reason, old.export_id,
                        audit.operator, now or utc_now(), old.receipt_id)
    repo.save(new)
    audit.event(REVIEW_ACTION, "package_reviews", f"{township_code} {old.period}：{status.value}"
                                                  + (f"（{reason}）" if reason else ""))
    return new


def _period(period: str) -> str:
    try:
        return check_period(period)
    except ValueError as exc:
        raise ReviewRefusedError(str(exc)) from None


def export_receipt(store: Store, township_code: str, period: str, out_dir: Path | str) -> Path:
    """Write the receipt of a township's month into ``out_dir``; returns its path."""
    district = _district(store)
    period = _period(period)
    with _receipt_cleanup() as written, store.db.write() as s:
        review = PackageReviewRepository(s).get(township_code, period)
        if review is None:
            raise ReviewRefusedError(f"还没有导入乡镇 {township_code} {period} 的数据包，没有回执可导出")
        path = _write_receipt(s, district, review, out_dir)[1]
        written.append(path)
    return path


def _write_receipt(s: Session, district: tuple[str, str], review: PackageReview,
                   out_dir: Path | str) -> tuple[PackageReview, Path]:
    """Write and verify the receipt of ``review`` and note it on the review (in ``s``, not committed)."""
    township = TownshipRepository(s, audit_for(s)).by_code(review.township_code)
    receipt = Receipt(str(_uuid.uuid4()), district[0], district[1], review.township_code,
                      township.name if township else review.township_code, review.period, review.export_id or "",
                      review.status, review.reason, review.reviewer, _stamp(review.reviewed_at or review.updated_at))
    out = Path(out_dir)
    make_folder(out, ReviewRefusedError)
    path = out / receipt_file_name(review.township_code, receipt.township_name, review.period)
    write_receipt(path, receipt)
    try:
        read_receipt(path)  # verify what was written
    except DomainError:
        path.unlink(missing_ok=True)
        raise
    review = PackageReview(**{**vars(review), "receipt_id": receipt.receipt_id})
    PackageReviewRepository(s).save(review)
    audit_for(s).event(REVIEW_ACTION, "package_reviews", f"导出回执 {path.name}：{review.status}")
    return review, path


@contextlib.contextmanager
def _receipt_cleanup() -> Iterator[list[Path]]:
    """A receipt written in a transaction that then fails to commit is removed: no receipt goes
    out for a verdict the database does not hold."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class ReceiptOutcome:
    path: Path
    review: Review
    already: bool  # the same receipt had been imported before: nothing changed
    preview: bool = False  # a dry run: every check passed, nothing was written

    @property
    def message(self) -> str:
        r = self.review
        done = "是有效的审核回执，可以导入；" if self.preview else "已导入回执；"
        head = f"{self.path.name}：" + ("已导入过，无需再次导入；" if self.already else done)
        return head + f"{r.period} 数据包审核结果：{r.status.value}" + (f"，原因：{r.reason}" if r.reason else "")

    def to_json(self) -> dict:
        status = "already_imported" if self.already else "preview" if self.preview else "imported"
        return {"file": self.path.name, "status": status, "message": self.message, "review": self.review.to_json()}


def read_receipt_isolated(path: Path, limits: Limits = RECEIPT_LIMITS) -> Receipt:
    """A receipt file read and verified in a worker process, like the packages: a file built to
    crash the parser ends only the worker and is refused naming the file."""
    job = run_isolated(package_receipt.receipt_in_child, (str(path),), limits)
    try:
        return run_job(job)
    except IsolationFailure as failure:
        refusal = package_guard.RECEIPT.gate.refuse(path, failure.cause, "这份回执已损坏或不是本程序导出的，请让区里重新导出回执")
        raise NotAPackageError(refusal.message) from None
    finally:
        job.close()


def import_receipt(store: Store, path: Path | str, dry_run: bool = False) -> ReceiptOutcome:
    """Take the district's receipt into a township database; ``dry_run``: run every check of the
    import (the file, its checksum, the township, an older receipt) and write nothing."""
    path = Path(path)
    unit = store.unit()
    if unit is None or unit.is_district:
        raise ReviewRefusedError(f"{path.name}：审核回执只能导入乡镇的数据库")
    receipt = read_receipt_isolated(path)
    if receipt.township_code != unit.code:
        raise ReviewRefusedError(f"{path.name}：这是 {receipt.township_name}（{receipt.township_code}）的回执，"
                                 f"不是本乡镇 {unit.name}（{unit.code}）的")
    reviewed_at = datetime.fromisoformat(receipt.reviewed_at).replace(tzinfo=UTC)
    with store.db.read() if dry_run else store.db.write() as s:
        repo = PackageReviewRepository(s)
        old = repo.get(receipt.township_code, receipt.period)
        if old is not None and old.receipt_id == receipt.receipt_id:
            return ReceiptOutcome(path, _review(old), already=True, preview=dry_run)
        if old is not None and old.reviewed_at is not None and old.reviewed_at > reviewed_at:
            raise ReviewRefusedError(f"{path.name}：已导入过 {receipt.period} 更新的回执（{old.status}），"
                                     "这份回执更旧，未导入")
        new = PackageReview(receipt.township_code, receipt.period, receipt.status, utc_now(), receipt.reason,
                            receipt.export_id or None, receipt.reviewer, reviewed_at, receipt.receipt_id)
        if dry_run:
            return ReceiptOutcome(path, _review(new), already=False, preview=True)
        repo.save(new)
        audit_for(s).event(REVIEW_ACTION, "package_reviews",
                           f"导入回执 {path.name}：{receipt.period} {receipt.status}"
                           + (f"（{receipt.reason}）" if receipt.reason else ""))
    return ReceiptOutcome(path, _review(new), already=False)
