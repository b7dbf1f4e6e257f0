"""The bookkeeping of the monthly package: the district's import log, the reviews of packages
(at a township: the receipts received) and the per-township export sequence."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ExportSequenceRow, ImportLogRow, PackageReviewRow


@dataclass(frozen=True)
class ImportLogEntry:
    export_id: str
    township_code: str
    township_name: str
    period: str
    sequence: int
    file_name: str
    checksum: str
    format_version: int
    program_version: str
    exported_at: datetime
    exported_by: str
    imported_at: datetime
    operator: str
    forced: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _entry(r: ImportLogRow) -> ImportLogEntry:
    return ImportLogEntry(
        r.export_id, r.township_code, r.township_name, r.period, r.sequence, r.file_name, r.checksum,
        r.format_version, r.program_version, r.exported_at, r.exported_by, r.imported_at, r.operator,
        r.forced, json.loads(r.counts or "{}"),
    )


class ImportLogRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_export_id(self, export_id: str) -> ImportLogEntry | None:
        row = self.session.scalar(select(ImportLogRow).where(ImportLogRow.export_id == export_id))
        return None if row is None else _entry(row)

    def latest(self, township_code: str) -> ImportLogEntry | None:
        """The newest package imported for the township: latest period, then latest export."""
        row = self.session.scalar(
            select(ImportLogRow).where(ImportLogRow.township_code == township_code)
            .order_by(ImportLogRow.period.desc(), ImportLogRow.sequence.desc(), ImportLogRow.id.desc()).limit(1)
        )
        return None if row is None else _entry(row)

    def add(self, e: ImportLogEntry) -> None:
        self.session.add(ImportLogRow(
            export_id=e.export_id, township_code=e.township_code, township_name=e.township_name, period=e.period,
            sequence=e.sequence, file_name=e.file_name, checksum=e.checksum, format_version=e.format_version,
            program_version=e.program_version, exported_at=e.exported_at, exported_by=e.exported_by,
            imported_at=e.imported_at, operator=e.operator, forced=e.forced,
            counts=json.dumps(e.counts, ensure_ascii=False, sort_keys=True),
        ))

    def entries(self, township_code: str | None = None, limit: int = 500) -> list[ImportLogEntry]:
        stmt = select(ImportLogRow).order_by(ImportLogRow.id.desc()).limit(limit)
        if township_code is not None:
            stmt = stmt.where(ImportLogRow.township_code == township_code)
        return [_entry(r) for r in self.session.scalars(stmt)]


@dataclass(frozen=True)
class PackageReview:
    township_code: str
    period: str
    status: str  # 待审核 / 已通过 / 退回修改
    updated_at: datetime
    reason: str = ""
    export_id: str | None = None
    reviewer: str = ""
    reviewed_at: datetime | None = None
    receipt_id: str | None = None


_REVIEW_FIELDS = ("status", "reason", "export_id", "reviewer", "reviewed_at", "receipt_id", "updated_at")


class PackageReviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, township_code: str, period: str) -> PackageReview | None:
        row = self.session.get(PackageReviewRow, (township_code, period))
        return None if row is None else self._review(row)

    def save(self, review: PackageReview) -> None:
        row = self.session.get(PackageReviewRow, (review.township_code, review.period))
        if row is None:
            row = PackageReviewRow(township_code=review.township_code, period=review.period)
            self.session.add(row)
        for name in _REVIEW_FIELDS:
            setattr(row, name, getattr(review, name))

    def list(self, township_code: str | None = None) -> list[PackageReview]:
        stmt = select(PackageReviewRow).order_by(PackageReviewRow.period.desc(), PackageReviewRow.township_code)
        if township_code is not None:
            stmt = stmt.where(PackageReviewRow.township_code == township_code)
        return [self._review(r) for r in self.session.scalars(stmt)]

    @staticmethod
    def _review(r: PackageReviewRow) -> PackageReview:
        return PackageReview(r.township_code, r.period, r.status, r.updated_at, r.reason, r.export_id, r.reviewer,
                             r.reviewed_at, r.receipt_id)


class ExportSequenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def peek(self, township_code: str) -> int:
        """The number ``next`` will give, without taking it."""
        row = self.session.get(ExportSequenceRow, township_code)
        return (row.last_sequence or 0) + 1 if row is not None else 1

    def next(self, township_code: str, export_id: str, period: str, at: datetime) -> int:
        """Reserve the township's next export number (1, 2, …) for ``export_id``."""
        row = self.session.get(ExportSequenceRow, township_code)
        if row is None:
            row = ExportSequenceRow(township_code=township_code, last_sequence=0)
            self.session.add(row)
        row.last_sequence = (row.last_sequence or 0) + 1
        row.last_export_id, row.last_period, row.last_exported_at = export_id, period, at
        return row.last_sequence
