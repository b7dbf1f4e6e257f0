"""Importing townships' monthly packages at the district (导入乡镇数据包), with a dry run.

``preview_packages`` (the dry run) and ``import_packages`` run the same steps per file and
differ only in writing: read and verify the package (``package_reader``), check its structure
and validate its records (``package_checks``), then — in one transaction per township — refuse
it if it is not for this district, was imported already (same export id: 已导入, nothing to
do — once the file has been read and verified like any other, so that a copy changed by hand
after its import is refused as changed, not called 已导入), is older than the one imported last (unless forced) or comes from a township not yet on
the district's list (unless adding is allowed); otherwise compare it with the township's rows
by UUID (new / changed / unchanged / removed), look for the same 身份证号 in other townships and
check the roll-forward of member counts. An import then replaces the township's snapshot
(records missing from it are removed, tombstones arrive as deleted rows), writes the import
log, sets the month's review to 待审核 and an audit line — and commits. Packages are taken in
order of township, period and export number, one at a time, so memory stays small.

Both are jobs (generators yielding ``Progress``) returning an ``ImportReport``, which the
window shows as the preview and the command line prints (or dumps with ``--json``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from ..domain.records import utc_now
from ..exchange.package_reader import PackageData, PackageReadError
from ..exchange.package_spec import DATA_SHEETS, ReviewStatus
from ..exchange.package_meta import PackageMeta
from ..storage.repositories import audit_for
from ..storage.repositories.exchange_log import (
    ImportLogEntry, ImportLogRepository, PackageReview, PackageReviewRepository,
)
from ..storage.repositories.snapshot import SnapshotRepository
from .backup_service import backup_before
from .package_checks import (
    MAX_LISTED, RollForward, RowProblem, active_id_numbers, record_problems, roll_forward, structural_problems,
)
from .package_snapshot import SheetDiff, apply_diffs, diff_sheet, fetch_snapshot, table_of
from .package_stream import PackageStream
from .progress import Job, Progress
from .store import Store

IMPORT_ACTION = "导入"


class ImportRefusedError(DomainError):
    """The database cannot take packages at all (not a district database)."""


class Status(StrEnum):
    PREVIEW = "preview"  # dry run: would be imported
    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"  # same export id again: nothing to do
    REFUSED = "refused"


@dataclass(frozen=True)
class SheetCounts:
    sheet: str
    rows: int
    new: int
    changed: int
    unchanged: int
    removed: int

    def to_json(self) -> dict:
        return {"rows": self.rows, "new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "removed": self.removed}


@dataclass(frozen=True)
class CrossTownship:
    id_number: str
    name: str
    other_township_code: str
    other_township_name: str

    def to_json(self) -> dict:
        return {"id_number": self.id_number, "name": self.name, "other_township_code": self.other_township_code,
                "other_township_name": self.other_township_name}


@dataclass
class PackageOutcome:
    """What happened (or, in a dry run, would happen) to one file."""

    file: str
    status: Status = Status.REFUSED
    message: str = ""
    township_code: str = ""
    township_name: str = ""
    period: str = ""
    export_id: str = ""
    sequence: int = 0
    checksum: str = ""
    counts: list[SheetCounts] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)  # the first MAX_LISTED
    problem_total: int = 0
    cross_township: list[CrossTownship] = field(default_factory=list)
    roll_forward: RollForward | None = None
    warnings: list[str] = field(default_factory=list)
    needs_township_confirmation: bool = False  # the township is not on the list yet

    @property
    def refused(self) -> bool:
        return self.status is Status.REFUSED

    @property
    def changes(self) -> int:
        return sum(c.new + c.changed + c.removed for c in self.counts)

    def to_json(self) -> dict:
        return {
            "file": self.file, "status": self.status.value, "message": self.message,
            "township_code": self.township_code, "township_name": self.township_name, "period": self.period,
            "export_id": self.export_id, "sequence": self.sequence, "checksum": self.checksum,
            "counts": {c.sheet: c.to_json() for c in self.counts},
            "problem_total": self.problem_total, "problems": [p.to_json() for p in self.problems],
            "cross_township": [c.to_json() for c in self.cross_township],
            "roll_forward": self.roll_forward.to_json() if self.roll_forward else None,
            "warnings": self.warnings, "needs_township_confirmation": self.needs_township_confirmation,
        }


@dataclass
class ImportReport:
    dry_run: bool
    packages: list[PackageOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing refused: every package imported (or would be), or was imported already."""
        return not any(p.refused for p in self.packages)

    def to_json(self) -> dict:
        return {"dry_run": self.dry_run, "ok": self.ok, "packages": [p.to_json() for p in self.packages]}


@dataclass(frozen=True)
class ImportOptions:
    add_townships: bool = False  # take packages of townships not yet on the district's list
    force: bool = False  # take a package older than the one imported last
    today: date | None = None
    expected_checksums: Mapping[str, str] | None = None  # file path → checksum shown in the preview
    # Validate every record during an import too (the preview always does; the import skips it
    # by default because the clerk has seen the preview and it is the slowest step).
    validate: bool = False
    backup: bool = True  # a verified backup (``backup_service.backup_before``) before the first write


def preview_packages(store: Store, paths: Sequence[Path | str], options: ImportOptions = ImportOptions()
                     ) -> Job[ImportReport]:
    """The dry run: everything the import checks and counts, nothing written."""
    return _run(store, paths, options, dry_run=True)


def import_packages(store: Store, paths: Sequence[Path | str], options: ImportOptions = ImportOptions()
                    ) -> Job[ImportReport]:
    return _run(store, paths, options, dry_run=False)


def _require_district(store: Store) -> None:
    unit = store.unit()
    if unit is None:
        raise ImportRefusedError(f"数据库 {store.path} 尚未设置单位，请先初始化（init --mode district）")
    if not unit.is_district:
        raise ImportRefusedError(f"本数据库属于乡镇 {unit.name}（{unit.code}），不能导入乡镇月报数据包；"
                                 "请在区里的数据库中导入（乡镇只能导入区里发回的审核回执）")


def _run(store: Store, paths: Sequence[Path | str], options: ImportOptions, dry_run: bool) -> Job[ImportReport]:
    _require_district(store)
    report = ImportReport(dry_run)
    today = options.today or date.today()
    files = [Path(p) for p in paths]
    seen_ids = _imported_export_ids(store)
    # One worker process reads every manifest, then the packages in import order, each while
    # the one before it is checked and written here (package_stream): a parser crash refuses
    # that file only. Files imported before are read and verified too (not imported again).
    stream = PackageStream(files)
    try:
        metas = yield from stream.metas()
        queue: list[tuple[int, Path, PackageMeta]] = []
        for k, (p, meta) in enumerate(zip(files, metas, strict=True)):
            if isinstance(meta, str):
                report.packages.append(PackageOutcome(p.name, message=meta))
            else:
                queue.append((k, p, meta))
        queue.sort(key=lambda item: (item[2].township_code, item[2].period, item[2].sequence))
        batch_ids: dict[str, dict[str, str]] = {}  # township → active 身份证号 → name (dry run)
        total = len(queue) * 2
        backup_first = [store] if options.backup and not dry_run else []  # once, before the first write
        outcomes = []
        for k, path, meta in queue:
            outcome = PackageOutcome(path.name, township_code=meta.township_code, township_name=meta.township_name,
                                     period=meta.period, export_id=meta.export_id, sequence=meta.sequence,
                                     checksum=meta.checksum)
            report.packages.append(outcome)
            seen = meta.export_id in seen_ids
            if seen:
                _already_imported(store, path, outcome)
            outcomes.append((k, path, meta, outcome, seen))
        yield from _each(store, stream, outcomes, options, dry_run, today, batch_ids, backup_first, total)
    finally:
        stream.close()
        if not dry_run:  # the townships' commits are in the log; copied into the file once
            with contextlib.suppress(sqlite3.Error):  # else at the next checkpoint: nothing is lost
                store.db.checkpoint()
    yield Progress(total, total, "完成")
    return report


def _imported_export_ids(store: Store) -> frozenset[str]:
    with store.db.read() as s:
        return frozenset(s.connection().exec_driver_sql("SELECT export_id FROM import_log").scalars())


def _each(store: Store, stream: PackageStream, outcomes: list[tuple[int, Path, PackageMeta, PackageOutcome, bool]],
          options: ImportOptions, dry_run: bool, today: date, batch_ids: dict[str, dict[str, str]],
          backup_first: list[Store], total: int) -> Job[None]:
    for i, (k, path, meta, outcome, seen) in enumerate(outcomes):
        yield Progress(2 * i, total, f"正在读取 {path.name}")
        data = None  # the one before is gone before the next arrives
        try:
            data = yield from stream.take(k, 2 * i, total)
        except PackageReadError as exc:
            outcome.status, outcome.message = Status.REFUSED, exc.message  # 已导入 or not: changed
            continue
        if seen:
            continue
        expected = (options.expected_checksums or {}).get(str(path))
        if expected is not None and expected != data.meta.checksum:
            outcome.message = f"{path.name}：文件在预览之后被换过或修改过，请重新预览后再导入"
            continue
        blocking = structural_problems(data)
        if blocking:
            outcome.problems, outcome.problem_total = blocking[:MAX_LISTED], len(blocking)
            outcome.message = f"{path.name}：数据包无法导入，{blocking[0].text()}（共 {len(blocking)} 处）"
            continue
        if dry_run or options.validate:
            outcome.problems, outcome.problem_total = record_problems(data, today)
        yield Progress(2 * i + 1, total, f"正在核对 {meta.township_name} {meta.period}")
        session_cm = store.db.read() if dry_run else store.db.write(checkpoint=False)
        with session_cm as s:
            _process(s, data, outcome, options, dry_run, batch_ids, backup_first)


def _seen(log: ImportLogRepository, name: str, out: PackageOutcome) -> bool:
    """The same export was imported before: 已导入, nothing to do."""
    seen = log.by_export_id(out.export_id)
    if seen is None:
        return False
    out.status = Status.ALREADY_IMPORTED
    out.message = (f"{name}：已导入（{seen.imported_at.astimezone():%Y-%m-%d %H:%M} 由 {seen.operator or '未署名'}"
                   f" 导入 {seen.file_name}），无需再次导入")
    return True


def _already_imported(store: Store, path: Path, out: PackageOutcome) -> None:
    with store.db.read() as s:
        if not _seen(ImportLogRepository(s), path.name, out):  # its log entry went meanwhile
            out.status = Status.ALREADY_IMPORTED
            out.message = f"{path.name}：已导入，无需再次导入"


def _process(s: Session, data: PackageData, out: PackageOutcome, options: ImportOptions, dry_run: bool,
             batch_ids: dict[str, dict[str, str]], backup_first: list[Store] | None = None) -> None:
    meta, name = data.meta, data.path.name
    log = ImportLogRepository(s)
    if _seen(log, name, out):  # imported by someone else since the first look
        return
    snap = SnapshotRepository(s)
    known = snap.township_names()
    unconfirmed = ""
    if meta.township_code not in known:
        out.needs_township_confirmation = True
        if not options.add_townships:
            unconfirmed = (f"{name}：乡镇 {meta.township_name}（{meta.township_code}）还不在本区的乡镇名单中；"
                           "确认是本区的乡镇后，选择添加乡镇再导入（命令行加 --add-townships）")
            if not dry_run:  # the preview still counts, so that the clerk can decide
                out.message = unconfirmed
                return
        out.warnings.append(f"将新增乡镇 {meta.township_name}（{meta.township_code}）")
    latest = log.latest(meta.township_code)
    if latest is not None and (meta.period, meta.sequence) < (latest.period, latest.sequence):
        older = f"{meta.period} 的数据包" + ("" if meta.period != latest.period else f"（第 {meta.sequence} 次导出）")
        if not options.force:
            out.message = (f"{name}：{meta.township_name} 已导入 {latest.period} 的数据包（第 {latest.sequence} 次导出），"
                           f"这个 {older}更旧，不能覆盖已导入的数据；请乡镇核对月份，导出最新的数据包再报送"
                           "（确需用这个旧数据包覆盖的，在命令行导入时加 --force）")
            return
        out.warnings.append(f"强制导入：比已导入的 {latest.period}（第 {latest.sequence} 次导出）更旧")
    district = s.connection().exec_driver_sql("SELECT value FROM settings WHERE key = 'unit_code'").scalar() or ""
    if district[:6] and meta.township_code[:6] != district[:6]:
        out.warnings.append(f"乡镇区划代码 {meta.township_code} 与本区代码 {district} 的前 6 位不同，请确认是本区的乡镇")

    old = fetch_snapshot(s, meta.township_code).sheets
    diffs = {sh.name: diff_sheet(sh, old[sh.name], data.sheets[sh.name]) for sh in DATA_SHEETS}
    out.counts = [SheetCounts(d.sheet, d.rows, len(d.new), len(d.changed), d.unchanged, len(d.removed))
                  for d in diffs.values()]
    clash = _foreign_ids(snap, diffs, meta.township_code)
    if clash:
        out.message = f"{name}：{clash}"
        return
    _cross_township(snap, data, out, batch_ids, dry_run)
    if latest is not None:
        out.roll_forward = roll_forward(old["党员"], data.sheets["党员"], latest.period, meta.period)
    else:
        out.warnings.append("首次导入该乡镇，没有上次的数据可做党员人数核对")
    if unconfirmed:
        out.message = unconfirmed
        return
    if dry_run:
        out.status = Status.PREVIEW
        out.message = f"{name}：可以导入（新增 {_sum(out, 'new')}，修改 {_sum(out, 'changed')}，删除 {_sum(out, 'removed')}）"
        return
    if backup_first:  # nothing is written if the backup fails
        backup_before(backup_first.pop(), "import", s)
    _write(s, data, diffs, out, options)


def _sum(out: PackageOutcome, attr: str) -> int:
    return sum(getattr(c, attr) for c in out.counts)


def _foreign_ids(snap: SnapshotRepository, diffs: Mapping[str, SheetDiff], code: str) -> str:
    """A message if a new record's ID already belongs to another township (a copied database?)."""
    for sheet in DATA_SHEETS:
        d = diffs[sheet.name]
        if not d.new or sheet.key != ("uuid",):
            continue
        owners = snap.owners(table_of(sheet), [k[0] for k in d.new])
        others = {t for t in owners.values() if t != code}
        if owners:
            return (f"「{sheet.name}」表有 {len(owners)} 条记录的记录ID 与已导入的乡镇 "
                    f"{'、'.join(sorted(others)) or code} 的记录相同（这个乡镇的数据库可能是从别的乡镇复制来的），不能导入")
    return ""


def _cross_township(snap: SnapshotRepository, data: PackageData, out: PackageOutcome,
                    batch_ids: dict[str, dict[str, str]], dry_run: bool) -> None:
    code = data.meta.township_code
    mine = active_id_numbers(data.sheets["党员"])
    names = snap.township_names()
    found = {(i, t): n for i, t, n in snap.active_members_with_ids(list(mine), {code, *batch_ids})}
    for other, ids in batch_ids.items():
        for idn in mine.keys() & ids.keys():
            found[(idn, other)] = ids[idn]
    if dry_run:
        batch_ids[code] = mine
    for (idn, other), _n in sorted(found.items()):
        if len(out.cross_township) < MAX_LISTED:
            out.cross_township.append(CrossTownship(idn, mine[idn], other, names.get(other, other)))
    if found:
        out.warnings.append(f"{len(found)} 名党员的身份证号同时出现在其他乡镇（是否正在转接组织关系？）")


def _write(s: Session, data: PackageData, diffs: Mapping[str, SheetDiff], out: PackageOutcome,
           options: ImportOptions) -> None:
    meta = data.meta
    apply_diffs(s, data.sheets, diffs)
    now = utc_now()
    audit = audit_for(s)
    ImportLogRepository(s).add(ImportLogEntry(
        meta.export_id, meta.township_code, meta.township_name, meta.period, meta.sequence, data.path.name,
        meta.checksum, meta.format_version, meta.program_version,
        datetime.fromisoformat(meta.exported_at).replace(tzinfo=now.tzinfo), meta.operator, now, audit.operator,
        options.force, {c.sheet: c.to_json() for c in out.counts},
    ))
    PackageReviewRepository(s).save(PackageReview(meta.township_code, meta.period, ReviewStatus.PENDING.value, now,
                                                  export_id=meta.export_id))
    summary = f"新增 {_sum(out, 'new')}，修改 {_sum(out, 'changed')}，删除 {_sum(out, 'removed')}"
    audit.event(IMPORT_ACTION, "all", f"{meta.township_name}（{meta.township_code}）{meta.period} 月报数据包 "
                                      f"{data.path.name}（第 {meta.sequence} 次导出）：{summary}")
    out.status = Status.IMPORTED
    out.message = f"{data.path.name}：已导入（{summary}）"
