"""The dry run of a roster import: what each row would do to the database.

``Planner`` resolves the names a roster uses (党组织, 村) against the database, finds the
records rows would update — by 身份证号, by 年度+序号 for service requests, by name for branches,
by branch+kind+date for activities — with one batched query, catches duplicates inside the
file, merges each update over its stored record, validates every record that would be written
and sorts each row into new / update / unchanged / duplicate / refused. It only reads.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import records as R
from ..domain.dates import PartialDate, Precision
from ..domain.enums import OrgKind
from ..domain.errors import Severity
from ..domain.validation import validate_branch_tree, validate_record
from ..exchange.roster_mapping import RosterKind
from ..exchange.roster_reader import RosterRow, RowProblem, SheetAnalysis
from ..exchange.roster_values import CellError
from ..storage.repositories.mapping import ROW_OF, chunked, to_record

STAGE_DATE_FIELDS = frozenset(R.STAGE_DATE_FIELDS.values())
UNKNOWN_BRANCH = "党组织“{name}”在本数据库中不存在；核对名称无误后，可选择新建这些党组织（命令行加 --create-branches）"


class RowStatus(StrEnum):
    NEW = "新增"
    UPDATE = "更新"
    UNCHANGED = "无变化"
    DUPLICATE = "重复"
    REFUSED = "未导入"


@dataclass(slots=True)
class PlannedRow:
    source: RosterRow
    status: RowStatus = RowStatus.NEW
    record: R.Record | None = None  # what would be written (new, or merged over the stored one)
    existing_uuid: str | None = None
    stamp: datetime | None = None  # the stored record's updated_at, checked again at commit
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    key: tuple = ()  # the values that find the stored record (身份证号 …)

    @property
    def problems(self) -> list[RowProblem]:
        return self.source.problems

    @property
    def has_warnings(self) -> bool:
        return any(not p.is_error for p in self.source.problems)

    def refuse(self, problem: RowProblem) -> None:
        self.source.problems.append(problem)
        self.status = RowStatus.REFUSED
        self.record = None


@dataclass
class ImportPlan:
    path: Path
    kind: RosterKind
    sheets: list[SheetAnalysis]
    rows: list[PlannedRow]
    new_branches: list[R.Branch] = field(default_factory=list)
    unknown_branches: dict[str, int] = field(default_factory=dict)  # name → rows using it
    notes: list[str] = field(default_factory=list)
    create_branches: bool = False
    mappings: list[tuple[list[str], list[str | None]]] = field(default_factory=list)  # per sheet: headers, fields

    def __post_init__(self) -> None:
        if not self.mappings:  # as previewed: a later change of mapping needs a new preview
            self.mappings = [(a.headers(), [c.field for c in a.columns]) for a in self.sheets if a.found]

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status is status)

    @property
    def counts(self) -> dict[str, int]:
        out = {s.value: self.count(s) for s in RowStatus}
        out["有提示"] = sum(1 for r in self.rows if r.status in (RowStatus.NEW, RowStatus.UPDATE) and r.has_warnings)
        return out

    @property
    def to_write(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.status in (RowStatus.NEW, RowStatus.UPDATE)]

    @property
    def refused(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.status is RowStatus.REFUSED]

    def problems(self, *, errors: bool = True, warnings: bool = True) -> list[RowProblem]:
        out = []
        for r in self.rows:
            for p in r.problems:
                if (p.is_error and errors) or (not p.is_error and warnings):
                    out.append(p)
        return out


def _name_key(name: str) -> str:
    return "".join(name.split())


def guess_org_kind(name: str) -> OrgKind:
    for suffix, kind in (("联合党支部", OrgKind.JOINT_BRANCH), ("党总支", OrgKind.GENERAL_BRANCH),
                         ("总支", OrgKind.GENERAL_BRANCH), ("党委", OrgKind.COMMITTEE)):
        if name.endswith(suffix):
            return kind
    return OrgKind.BRANCH


class Planner:
    """Reads what the database holds for one kind of roster and plans the rows against it."""

    def __init__(self, session: Session, kind: RosterKind, township_code: str, today: date,
                 create_branches: bool) -> None:
        self.session = session
        self.kind = kind
        self.township_code = township_code
        self.today = today
        self.create_branches = create_branches
        self.branches = self._names(R.Branch)
        self.villages = self._names(R.Village)
        self.unknown: dict[str, str] = {}  # unknown branch name → placeholder UUID
        self.unknown_rows: dict[str, int] = defaultdict(int)
        self.missing_dates: dict[str, int] = defaultdict(int)  # stage date field → imported records without it
        self._resolved: dict[tuple[str, str], tuple[str, str, str]] = {}

    def _names(self, record_type: type[R.Record]) -> dict[str, str]:
        row = ROW_OF[record_type]
        stmt = select(row.name, row.uuid).where(row.township_code == self.township_code, row.deleted.is_(False))
        out: dict[str, str] = {}
        for name, uuid in self.session.execute(stmt.order_by(row.created_at)):
            out.setdefault(_name_key(name), uuid)
        return out

    # -- references ------------------------------------------------------------------------
    def resolve(self, field_name: str, name: str) -> str:
        """The UUID a name in a row stands for (a placeholder for a branch not known yet, whose
        rows are counted); ``CellError`` for a village not known. Each name is looked up once:
        a roster repeats a handful of them on every row."""
        found = self._resolved.get((field_name, name))
        if found is None:
            found = self._resolved[(field_name, name)] = self._look_up(field_name, name)
        uuid, unknown, error = found
        if error:
            raise CellError(error)
        if unknown:
            self.unknown_rows[unknown] += 1
        return uuid

    def _look_up(self, field_name: str, name: str) -> tuple[str, str, str]:
        """``(uuid, key of an unknown branch or "", error or "")``."""
        target = self.kind.references(field_name)
        key = _name_key(name)
        if target is R.Village:
            if key in self.villages:
                return self.villages[key], "", ""
            return "", "", f"村（社区）“{name}”在本数据库中不存在；请先在“村（社区）”中建立，或改成已有的村名"
        if key in self.branches:
            return self.branches[key], "", ""
        if key not in self.unknown:
            self.unknown[key] = R.new_uuid()
        return self.unknown[key], key, ""

    def sheet_branch(self, sheet: str) -> str | None:
        """The branch a sheet's name stands for: an existing branch (“东岭村” for 东岭村党支部),
        or a name that reads like a branch (ends in 党支部/党总支/党委)."""
        key = _name_key(sheet)
        if key in self.branches:
            return sheet.strip()
        matches = [n for n in self.branches if n.startswith(key) and n[len(key):] in ("党支部", "党总支", "支部", "党委")]
        if len(matches) == 1:
            return matches[0]
        if key.endswith(("党支部", "党总支", "支部", "党委")):
            return sheet.strip()
        return None

    # -- planning --------------------------------------------------------------------------
    def plan(self, rows: Iterable[RosterRow], analyses: dict[str, SheetAnalysis]) -> tuple[list[PlannedRow], list[R.Branch]]:
        planned = [PlannedRow(r, RowStatus.REFUSED if r.refused else RowStatus.NEW, r.record) for r in rows]
        new_branches = self._unknown_branches(planned, analyses)
        live = [p for p in planned if p.status is RowStatus.NEW]
        for p in live:
            p.key = self.key(p.record)  # type: ignore[arg-type]
        self._duplicates(live, analyses)
        live = [p for p in live if p.status is RowStatus.NEW]
        self._match_existing(live)
        branches = self.kind.record_type is R.Branch
        if branches:
            self._link_parents(planned, analyses)
        new_uuids = set()  # a branch roster's new rows, before validation refuses any (see ``_check_tree``)
        if branches:
            new_uuids = {p.record.uuid for p in planned if p.status is RowStatus.NEW and p.record is not None}
        for p in planned:
            if p.status in (RowStatus.NEW, RowStatus.UPDATE):
                self._validate(p, analyses[p.source.sheet])
        if branches:
            self._check_tree(planned, analyses, new_uuids)
        return planned, new_branches

    def _unknown_branches(self, planned: list[PlannedRow], analyses: dict[str, SheetAnalysis]) -> list[R.Branch]:
        placeholders = {uuid: name for name, uuid in self.unknown.items()}
        if self.kind.record_type is R.Branch:
            return []  # a branch roster's unknown parents may be rows of the same file
        created = []
        if self.create_branches:
            created = [R.Branch(uuid=uuid, township_code=self.township_code, name=name, kind=guess_org_kind(name))
                       for name, uuid in self.unknown.items()]
            return created
        for p in planned:
            for fld, name in p.source.names.items():
                if p.source.values.get(fld) in placeholders and p.status is not RowStatus.REFUSED:
                    p.refuse(_problem(p, analyses, fld, UNKNOWN_BRANCH.format(name=name), self.kind))
        return created

    def key(self, record: R.Record) -> tuple:
        """The values that find ``record``'s stored twin; a name without its spaces."""
        match_by = self.kind.match_by
        if len(match_by) == 1 and match_by[0] != "name":  # 身份证号: the key of every member
            return (getattr(record, match_by[0]),)
        values = tuple(getattr(record, f) for f in match_by)
        return tuple(_name_key(v) if isinstance(v, str) and f == "name" else v
                     for f, v in zip(match_by, values, strict=True))

    def _duplicates(self, live: list[PlannedRow], analyses: dict[str, SheetAnalysis]) -> None:
        groups: dict[tuple, list[PlannedRow]] = defaultdict(list)
        for p in live:
            groups[p.key].append(p)
        match_by = self.kind.match_by
        label = "、".join(self.kind.field_label(f) for f in match_by)
        for group in groups.values():
            if len(group) < 2:
                continue
            first = group[0].source
            where = f"工作表“{first.sheet}”第 {first.row} 行"
            same = all(p.source.values == first.values for p in group[1:])
            for p in group[1 if same else 0:]:
                if same:
                    p.status, p.record = RowStatus.DUPLICATE, None
                    p.source.problems.append(RowProblem(p.source.sheet, p.source.row, "", "",
                                                        f"与{where}完全相同，只导入一次", Severity.WARNING))
                    continue
                # The other rows may be on another sheet (one sheet per branch): name it, or the
                # clerk looks for them on this one.
                others = "、".join(f"第 {o.source.row} 行" if o.source.sheet == p.source.sheet
                                  else f"工作表“{o.source.sheet}”第 {o.source.row} 行" for o in group if o is not p)
                message = f"{label}与本文件{others}相同，但其他内容不同；请核对后只保留一行"
                if len(match_by) == 1:  # one cell to mark (the 身份证号): in the preview and the error workbook
                    p.refuse(_problem(p, analyses, match_by[0], message, self.kind))
                else:
                    p.refuse(RowProblem(p.source.sheet, p.source.row, "", label, message))

    def existing(self) -> dict[tuple, tuple[str, datetime, bool]]:
        """key → (uuid, updated_at, deleted) of the stored records this kind matches against."""
        row = ROW_OF[self.kind.record_type]
        cols = [getattr(row, f) for f in self.kind.match_by]
        stmt = select(row.uuid, row.updated_at, row.deleted, *cols).where(row.township_code == self.township_code)
        if self.kind.record_type not in (R.Member, R.ServiceRequest):  # those keys are unique even over tombstones
            stmt = stmt.where(row.deleted.is_(False))
        out = {}
        for uuid, stamp, deleted, *key in self.session.execute(stmt.order_by(row.created_at)):
            k = tuple(_name_key(v) if f == "name" else v for f, v in zip(self.kind.match_by, key, strict=True))
            out.setdefault(k, (uuid, stamp, deleted))
        return out

    def _match_existing(self, live: list[PlannedRow]) -> None:
        existing = self.existing()
        matched: dict[str, PlannedRow] = {}
        for p in live:
            hit = existing.get(p.key)
            if hit is None:
                continue
            uuid, stamp, deleted = hit
            if deleted:
                p.refuse(RowProblem(p.source.sheet, p.source.row, "", "",
                                    f"这条{self.kind.label}记录在本数据库中已被删除，不能再导入；如确需恢复，请联系管理员"))
                continue
            p.existing_uuid, p.stamp = uuid, stamp
            matched[uuid] = p
        for stored in self.load(matched):
            self._merge(matched[stored.uuid], stored)

    def load(self, by_uuid: dict[str, object]) -> Iterator[R.Record]:
        """The stored records of these UUIDs, 500 at a time."""
        row = ROW_OF[self.kind.record_type]
        for batch in chunked(list(by_uuid), 500):
            for r in self.session.execute(select(row.__table__).where(row.uuid.in_(batch))):
                yield to_record(self.kind.record_type, r)

    def _merge(self, p: PlannedRow, stored: R.Record) -> None:
        new = p.record
        assert new is not None
        updates = {}
        for fld in p.source.values:
            old, value = getattr(stored, fld), getattr(new, fld)
            if isinstance(old, PartialDate) and isinstance(value, PartialDate) and _coarser(value, old):
                continue  # the roster knows only the month of a day already stored
            if old != value:
                updates[fld] = value
                p.changes.append((fld, old, value))
        # An unchanged row writes nothing: its record is dropped (30,000 of them add up).
        p.record = dataclasses.replace(stored, **updates) if updates else None
        p.status = RowStatus.UPDATE if updates else RowStatus.UNCHANGED

    def _link_parents(self, planned: list[PlannedRow], analyses: dict[str, SheetAnalysis]) -> None:
        """A branch roster may name as parent a branch further down the same file."""
        in_file = {}
        for p in planned:
            if p.status in (RowStatus.NEW, RowStatus.UPDATE, RowStatus.UNCHANGED) and p.record is not None:
                in_file[_name_key(p.record.name)] = p.record.uuid  # type: ignore[attr-defined]
        placeholders = {uuid: name for name, uuid in self.unknown.items()}
        for p in planned:
            parent = getattr(p.record, "parent_uuid", None)
            if p.status not in (RowStatus.NEW, RowStatus.UPDATE) or parent not in placeholders:
                continue
            name = placeholders[parent]
            if name in in_file:
                p.record = dataclasses.replace(p.record, parent_uuid=in_file[name])  # type: ignore[type-var]
            else:
                p.refuse(_problem(p, analyses, "parent_uuid", f"上级党组织“{p.source.names['parent_uuid']}”"
                                  "在本数据库和本文件中都不存在；请先建立上级党组织，或改成已有的名称", self.kind))

    def _check_tree(self, planned: list[PlannedRow], analyses: dict[str, SheetAnalysis], new_uuids: set) -> None:
        """The branch tree as it would be (kinds under kinds, no cycles); a row whose parent is a
        new row of this file that was refused cannot be written either."""
        self._refuse_orphans(planned, analyses, new_uuids)
        writing = [p for p in planned if p.status in (RowStatus.NEW, RowStatus.UPDATE)]
        tree = {b.uuid: b for b in self.load(dict.fromkeys(self.branches.values()))}
        tree.update({p.record.uuid: p.record for p in writing})  # type: ignore[union-attr]
        issues = validate_branch_tree(list(tree.values()))  # type: ignore[arg-type]
        for p in writing:
            for issue in issues.get(p.record.uuid, []):  # type: ignore[union-attr]
                p.refuse(_problem(p, analyses, issue.field, issue.message, self.kind))
        self._refuse_orphans(planned, analyses, new_uuids)

    def _refuse_orphans(self, planned: list[PlannedRow], analyses: dict[str, SheetAnalysis], new_uuids: set) -> None:
        changed = True
        while changed:
            changed = False
            written = {p.record.uuid for p in planned if p.record is not None}
            for p in planned:
                parent = getattr(p.record, "parent_uuid", None)
                if p.status in (RowStatus.NEW, RowStatus.UPDATE) and parent in new_uuids and parent not in written:
                    p.refuse(_problem(p, analyses, "parent_uuid", f"上级党组织“{p.source.names.get('parent_uuid', '')}”"
                                      "在本文件中的那一行未能导入，请先改正那一行", self.kind))
                    changed = True

    def _validate(self, p: PlannedRow, analysis: SheetAnalysis) -> None:
        record = p.record  # kept: refusing the row for one issue drops ``p.record``
        assert record is not None
        missing = []
        for issue in validate_record(record, self.today):
            severity = issue.severity
            # An old roster rarely knows every stage date: a missing one is counted for one note
            # about the whole file, not refused and not repeated on every row.
            if issue.field in STAGE_DATE_FIELDS and getattr(record, issue.field) is None:
                missing.append(issue.field)
                continue
            problem = _problem(p, analysis, issue.field, issue.message, self.kind, severity)
            if severity is Severity.ERROR:
                p.refuse(problem)
            else:
                p.source.problems.append(problem)
        if p.status is not RowStatus.REFUSED:  # the note counts records that are imported
            for fld in missing:
                self.missing_dates[fld] += 1


def _coarser(new: PartialDate, old: PartialDate) -> bool:
    return (new.precision is Precision.MONTH and old.precision is Precision.DAY
            and (new.value.year, new.value.month) == (old.value.year, old.value.month))


def _problem(p: PlannedRow, analyses: dict[str, SheetAnalysis] | SheetAnalysis, fld: str, message: str,
             kind: RosterKind, severity: Severity = Severity.ERROR) -> RowProblem:
    analysis = analyses if isinstance(analyses, SheetAnalysis) else analyses[p.source.sheet]
    col = analysis.column_of(fld)
    if col is not None:
        return RowProblem(p.source.sheet, p.source.row, col.letter, col.header, message, severity, fld)
    try:
        label = kind.field_label(fld)
    except KeyError:
        label = ""
    return RowProblem(p.source.sheet, p.source.row, "", label, message, severity, fld)
