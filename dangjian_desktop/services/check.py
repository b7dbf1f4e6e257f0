"""``check``: the database's integrity, its references, and the validation of every record."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date

from ..domain import records as R
from ..domain.errors import Issue
from ..domain.validation import validate_branch_tree, validate_record
from ..storage import migrate
from ..storage.backup import integrity_ok
from ..storage.repositories import AuditLog, repository_for
from .progress import Job, Progress
from .store import Store

LABELS: dict[type[R.Record], str] = {
    R.Township: "乡镇", R.Village: "村（社区）", R.Branch: "党组织", R.Member: "党员",
    R.ReserveCadre: "后备干部", R.ServiceRequest: "代办事项", R.Activity: "组织生活",
}


@dataclass(frozen=True)
class RecordProblem:
    label: str
    record_uuid: str
    name: str
    issue: Issue


@dataclass
class TypeSummary:
    label: str
    records: int = 0
    with_errors: int = 0
    with_warnings: int = 0


@dataclass
class CheckReport:
    path: str
    revision: str | None
    integrity: str
    foreign_keys: int
    summaries: list[TypeSummary] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)

    @property
    def integrity_ok(self) -> bool:
        return self.integrity == "ok"

    @property
    def invalid_records(self) -> int:
        return sum(s.with_errors for s in self.summaries)

    @property
    def passed(self) -> bool:
        return self.integrity_ok and self.foreign_keys == 0 and self.invalid_records == 0


def _describe(record: R.Record) -> str:
    for attr in ("name", "requester"):
        if value := getattr(record, attr, None):
            return str(value) if attr == "name" else f"{getattr(record, 'number', '')} {value}"
    if isinstance(record, R.Activity):
        return f"{record.kind} {record.held_on}"
    return record.uuid


def check_database(store: Store, today: date | None = None) -> Job[CheckReport]:
    today = today or date.today()
    with closing(sqlite3.connect(store.path)) as conn:
        ok, detail = integrity_ok(conn)
        fk_problems = len(conn.execute("PRAGMA foreign_key_check").fetchall()) if ok else 0
    types = list(LABELS)
    if not ok:
        # Reading records out of a damaged file can fail anywhere: report the damage alone.
        return CheckReport(str(store.path), None, detail, fk_problems)
    report = CheckReport(str(store.path), migrate.current_revision(store.db), "ok", fk_problems)
    yield Progress(0, len(types), "完整性检查完成")
    with store.db.read() as s:
        audit = AuditLog(s, "")
        for i, record_type in enumerate(types, start=1):
            summary = TypeSummary(LABELS[record_type])
            records = repository_for(record_type, s, audit).list()
            tree_issues: dict[str, list[Issue]] = {}
            if record_type is R.Branch:
                tree_issues = validate_branch_tree(records)  # type: ignore[arg-type]
            for record in records:
                issues = validate_record(record, today) + tree_issues.get(record.uuid, [])
                summary.records += 1
                if any(x.is_error for x in issues):
                    summary.with_errors += 1
                elif issues:
                    summary.with_warnings += 1
                report.problems.extend(
                    RecordProblem(summary.label, record.uuid, _describe(record), x) for x in issues if x.is_error
                )
            report.summaries.append(summary)
            yield Progress(i, len(types), f"已检查{summary.label}")
    return report


def report_lines(report: CheckReport, max_problems: int = 50) -> Iterator[str]:
    yield f"数据库：{report.path}（结构版本 {report.revision}）"
    yield f"完整性检查：{'通过' if report.integrity_ok else '未通过 — ' + report.integrity}"
    yield f"引用检查：{'通过' if report.foreign_keys == 0 else f'{report.foreign_keys} 处引用不存在的记录'}"
    for s in report.summaries:
        yield f"{s.label}：{s.records:,} 条，{s.with_errors:,} 条有错误，{s.with_warnings:,} 条仅有提示"
    for p in report.problems[:max_problems]:
        yield f"  {p.label}「{p.name}」{p.issue.field}：{p.issue.message}"
    if len(report.problems) > max_problems:
        yield f"  ……另有 {len(report.problems) - max_problems:,} 处错误未列出"
    yield f"结论：{report.invalid_records:,} 条记录有错误" + ("，检查通过" if report.passed else "，检查未通过")
