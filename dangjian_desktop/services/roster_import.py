"""Bringing an existing roster (花名册, 台账) into the database: the use case behind
数据交换 → 导入已有名册 and ``dangjian-desktop import-roster``.

A wizard (or the command line) goes through it in this order::

    with RosterImport.open(store, path, "members") as job:   # sniff, find headers, map columns
        job.sheets                      # per sheet: header rows, columns (header, field, samples)
        job.field_choices()             # what a column may be mapped to
        job.set_field(sheet, 5, "birth_date")   # change a column, or None to skip it
        plan = run_job(job.preview(ImportOptions(branch=None, create_branches=False)))
        plan.counts, plan.problems(), plan.unknown_branches, plan.notes      # the dry run
        job.save_errors(plan, "未导入的行.xlsx")
        result = run_job(job.commit(plan))  # one transaction: all accepted rows or none

Nothing is written before ``commit``. ``preview`` and ``commit`` are generators yielding
``Progress``; closing one early cancels it (an unfinished commit is rolled back). A mapping
that was committed is remembered for files with the same headers. The file itself is parsed
in a worker process (``isolated_reads.read_roster``): ``RosterImport.opening`` is ``open`` as
a job, whose closing kills that process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..collector import bulk_work, thaw
from ..domain.enums import UnitMode
from ..domain.errors import DomainError
from ..exchange.columns import Kind
from ..exchange.roster_errors_workbook import ErrorRow, ErrorSheet, write_error_workbook
from ..exchange.roster_mapping import KINDS, RosterKind, check_mapping, mapping_key
from ..exchange.roster_reader import ReadContext, RosterRow, SheetAnalysis, analyse_sheet, read_sheet
from ..exchange.roster_source import RosterWorkbook, column_index
from ..storage.repositories import SettingsRepository
from .isolated_reads import read_roster
from .progress import Job, Progress, run_job
from .roster_import_commit import ImportResult, commit_plan
from .roster_import_plan import ImportPlan, Planner
from .store import Store

__all__ = ["ImportOptions", "ImportPlan", "ImportResult", "RosterImport", "RosterImportError"]
PROGRESS_EVERY = 2000


class RosterImportError(DomainError):
    """The roster cannot be imported as it stands; the message says what to change."""


@dataclass(frozen=True)
class ImportOptions:
    branch: str | None = None  # the branch of every row whose own cell gives none
    create_branches: bool = False  # create the branches the roster names that do not exist yet


class RosterImport:
    """One roster file on its way in. Use ``open``; close it (or use ``with``) when done."""

    def __init__(self, store: Store, workbook: RosterWorkbook, kind: RosterKind, analyses: list[SheetAnalysis],
                 township_code: str, today: date, notes: list[str]) -> None:
        self.store = store
        self.workbook = workbook
        self.kind = kind
        self.analyses = analyses
        self.township_code = township_code
        self.today = today
        self.notes = notes
        self._frozen = False  # a preview's objects are out of the garbage collector's sight

    @classmethod
    def open(cls, store: Store, path: Path | str, kind: str, *, sheet: str | None = None,
             today: date | None = None) -> "RosterImport":
        return run_job(cls.opening(store, path, kind, sheet=sheet, today=today))

    @classmethod
    def opening(cls, store: Store, path: Path | str, kind: str, *, sheet: str | None = None,
                today: date | None = None) -> Job["RosterImport"]:
        """``open`` as a job: progress while the worker process reads the file; closing it cancels."""
        unit = store.unit()
        if unit is None:
            raise RosterImportError("数据库还没有设置单位，请先完成初始设置（命令行：init）再导入名册")
        if unit.mode is not UnitMode.TOWNSHIP:
            raise RosterImportError("区级数据库不能直接导入名册：名册属于乡镇，请在乡镇的数据库中导入后上报")
        roster_kind = KINDS.get(kind)
        if roster_kind is None:
            raise RosterImportError(f"不认识的名册类型“{kind}”，可选：{'、'.join(KINDS)}")
        workbook = yield from read_roster(path, sheet)  # in a worker process: a parser crash refuses the file only
        try:
            analyses, notes = [], list(workbook.notes)
            for name in [sheet] if sheet else workbook.sheet_names:
                raw = workbook.sheet(name)
                if raw.hidden and not sheet:
                    notes.append(f"工作表“{name}”是隐藏的，已跳过（如需导入请单独指定这个工作表）")
                    continue
                analysis = analyse_sheet(raw, roster_kind)
                notes.extend(analysis.notes)
                if analysis.found:
                    analyses.append(analysis)
            if not analyses:
                raise RosterImportError(
                    f"文件“{workbook.path.name}”中没有找到{roster_kind.label}名册的表头：请确认选对了名册类型，"
                    "并且表头中有" + "、".join(f"“{roster_kind.field_label(f)}”" for f in roster_kind.required) + "这些列")
            job = cls(store, workbook, roster_kind, analyses, unit.code, today or date.today(), notes)
            job._apply_remembered()
            return job
        except BaseException:
            workbook.close()
            raise

    # -- the mapping a wizard shows and edits ----------------------------------------------
    @property
    def sheets(self) -> list[SheetAnalysis]:
        return self.analyses

    def field_choices(self) -> list[tuple[str, str]]:
        """``(field, label)`` of every field a column may feed, in the order of the spec."""
        return [(c.field, self.kind.field_label(c.field)) for c in self.kind.columns]

    def set_field(self, sheet: str, column: int, field: str | None) -> None:
        """Map a column (by its 0-based index) to ``field``, or skip it with ``None``; a field
        already used by another column of the sheet is taken away from that column."""
        analysis = self._analysis(sheet)
        target = next((c for c in analysis.columns if c.index == column), None)
        if target is None:
            raise RosterImportError(f"工作表“{sheet}”没有第 {column + 1} 列")
        if field is not None:
            if field not in {c.field for c in self.kind.columns}:
                raise RosterImportError(f"“{field}”不是{self.kind.label}名册可以导入的字段")
            for c in analysis.columns:
                if c.field == field:
                    c.field = None
        target.field = field

    def missing_required(self, sheet: str, options: ImportOptions | None = None) -> list[str]:
        """Labels of the required fields no column of ``sheet`` gives (nor the options)."""
        analysis = self._analysis(sheet)
        mapped = {c.field for c in analysis.columns if c.field}
        missing = []
        for f in self.kind.required:
            if f in mapped or (f == self.kind.branch_field and options and options.branch):
                continue
            missing.append(self.kind.field_label(f))
        return missing

    def _analysis(self, sheet: str) -> SheetAnalysis:
        for a in self.analyses:
            if a.sheet == sheet:
                return a
        raise RosterImportError(f"没有工作表“{sheet}”")

    def _apply_remembered(self) -> None:
        with self.store.db.read() as s:
            settings = SettingsRepository(s)
            for a in self.analyses:
                raw = settings.get(mapping_key(self.kind, a.headers()))
                try:
                    fields = json.loads(raw)["fields"] if raw else None
                except (ValueError, KeyError, TypeError):
                    fields = None
                if not isinstance(fields, list) or len(fields) != len(a.columns):
                    continue
                if check_mapping(self.kind, dict(enumerate(fields))):
                    continue
                for c, f in zip(a.columns, fields, strict=True):
                    c.field = f
                a.remembered = True

    # -- dry run, errors, commit -----------------------------------------------------------
    def preview(self, options: ImportOptions = ImportOptions()) -> Job[ImportPlan]:
        with bulk_work(keep=True):
            plan = yield from self._preview(options)
        self._frozen = True
        return plan

    def _preview(self, options: ImportOptions) -> Job[ImportPlan]:
        for a in self.analyses:
            problems = check_mapping(self.kind, a.mapping())
            branch = self.kind.field_label(self.kind.branch_field) if self.kind.branch_field else None
            missing = [m for m in self.missing_required(a.sheet, options) if m != branch]
            if problems or missing:
                what = "；".join(problems) or "没有“" + "”“".join(missing) + "”列"
                found = "、".join(c.header for c in a.columns if c.header) or "（无）"
                raise RosterImportError(f"工作表“{a.sheet}”{what}（现有列：{found}）；请在列对应中指定，或检查表头")
        notes = list(self.notes)
        if options.branch and not self.kind.branch_field:
            notes.append(f"指定的党组织只用于党员和组织生活名册，{self.kind.label}名册未使用")
        total = sum(a.size_hint for a in self.analyses)
        with self.store.db.read() as s:
            planner = Planner(s, self.kind, self.township_code, self.today, options.create_branches)
            rows: list[RosterRow] = []
            for a in self.analyses:
                ctx = ReadContext(self.township_code, planner.resolve, self._defaults(a, options, planner, notes),
                                  self.today)
                for row in read_sheet(self.workbook.sheet(a.sheet), a, self.kind, ctx):
                    rows.append(row)
                    if len(rows) % PROGRESS_EVERY == 0:
                        yield Progress(len(rows), total, f"正在读取工作表“{a.sheet}”第 {row.row:,} 行")
            yield Progress(len(rows), total, "正在核对数据库中的已有记录")
            planned, new_branches = planner.plan(rows, {a.sheet: a for a in self.analyses})
            unknown = {name: planner.unknown_rows[name] for name in planner.unknown}
        notes += self._column_notes()
        notes += [f"{n:,} 条记录缺少“{self.kind.field_label(f)}”，照常导入，请日后补录"
                  for f, n in planner.missing_dates.items()]
        return ImportPlan(Path(self.workbook.path), self.kind, self.analyses, planned, new_branches, unknown, notes,
                          options.create_branches)

    def _defaults(self, a: SheetAnalysis, options: ImportOptions, planner: Planner, notes: list[str]) -> dict[str, str]:
        field = self.kind.branch_field
        if field is None:
            return {}
        if options.branch:
            return {field: options.branch}
        if a.column_of(field) is not None:
            return {}
        name = planner.sheet_branch(a.sheet)
        if name:
            notes.append(f"工作表“{a.sheet}”没有“所在党组织”列，按工作表名称归入“{name}”")
            return {field: name}
        notes.append(f"工作表“{a.sheet}”没有“所在党组织”列，也没有指定党组织；"
                     f"如需归入某个党组织，请指定（命令行：--branch 名称）")
        return {}

    def _column_notes(self) -> list[str]:
        notes = []
        mapped = {c.field for a in self.analyses for c in a.columns if c.field}
        if self.kind.key == "members":
            if "stage" not in mapped:
                notes.append("文件中没有“发展阶段”列，全部按“正式党员”导入")
            if "gender" not in mapped:
                notes.append("文件中没有“性别”列，性别按身份证号第 17 位确定")
        return notes

    def save_errors(self, plan: ImportPlan, path: Path | str) -> Path:
        """The refused rows as an .xlsx to fix and import again (see ``roster_errors_workbook``)."""
        sheets = []
        for a in plan.sheets:
            rows = [p for p in plan.refused if p.source.sheet == a.sheet]
            if not rows:
                continue
            width = max(c.index for c in a.columns) + 1
            headers = [""] * width
            for c in a.columns:
                headers[c.index] = c.header
            ids = frozenset(c.index for c in a.columns if c.field and self.kind.column(c.field).kind is Kind.ID_NUMBER)
            out = []
            for p in rows:
                errors = [x for x in p.problems if x.is_error]
                bad = {column_index(x.column) - 1: x.message for x in errors if x.column}
                reasons = [(f"{x.column}列“{x.header}”：" if x.column else (f"“{x.header}”：" if x.header else ""))
                           + x.message for x in errors]
                out.append(ErrorRow(p.source.row, list(p.source.cells), bad, reasons))
            sheets.append(ErrorSheet(a.sheet, headers, out, ids))
        return write_error_workbook(path, sheets)

    def commit(self, plan: ImportPlan) -> Job[ImportResult]:
        with bulk_work():
            return (yield from commit_plan(self.store, plan, self.township_code, self.today))

    def close(self) -> None:
        if self._frozen:
            self._frozen = False
            thaw()
        self.workbook.close()

    def __enter__(self) -> "RosterImport":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

