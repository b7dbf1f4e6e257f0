"""What the district checks in a package beyond its checksum, for the preview (dry run):

* structural problems that would break the database — rows of another township, a record
  ID twice, a reference to a record the package does not hold, an ID number or a service
  request number twice — refuse the package;
* the validation of every record (``domain.validation``) gives row-level problems with the
  sheet and the Excel row: shown to the clerk, never blocking (the township owns its data);
* the roll-forward check: party members at the end of the last imported month ± the members
  who joined and left must give this month's count, and every join or leave should carry a
  date in the months in between.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from ..domain import records as R
from ..domain.dates import add_months, period_bounds
from ..domain.enums import Stage
from ..domain.errors import Severity
from ..domain.validation import validate_branch_tree, validate_record
from ..exchange.canonical import Row, records_from_rows
from ..exchange.columns import GRID_GROUPS, MEMBERS, SERVICE_REQUESTS, SHEET_OF, Kind, SheetSpec
from ..exchange.package_reader import FIRST_DATA_ROW, PackageData
from ..exchange.package_spec import DATA_SHEETS, SHEET_BY_NAME

MAX_LISTED = 500
PARTY_STAGES = (Stage.PROBATIONARY.value, Stage.FULL.value)


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int  # Excel row number
    column: str  # the column's Chinese header, or "" for the whole row
    message: str
    severity: str = Severity.ERROR.value

    def text(self) -> str:
        where = f"「{self.sheet}」表第 {self.row} 行" + (f"「{self.column}」" if self.column else "")
        return f"{where}：{self.message}"

    def to_json(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message,
                "severity": self.severity}


def _header(sheet: SheetSpec, field_name: str) -> str:
    try:
        return sheet.column(field_name).header
    except KeyError:
        return ""


def _target_of(sheet: SheetSpec, field_name: str) -> SheetSpec | None:
    if field_name == "grid_group_uuid":
        return GRID_GROUPS
    refs = sheet.column(field_name).references
    return SHEET_OF.get(refs) if refs is not None else None


def _all_fine(values: set, expected: object) -> bool:
    """Every value of a checked column is the package's township code, or (references) None or
    a record of the package: then no row of that column needs a closer look."""
    if isinstance(expected, str):
        return values <= {expected}
    values.discard(None)
    return values <= expected  # type: ignore[operator]


def structural_problems(data: PackageData) -> list[RowProblem]:
    """Problems that make the package impossible to store; any one of them refuses it."""
    code = data.meta.township_code
    out: list[RowProblem] = []
    uuids = {s.name: set(map(itemgetter([c.field for c in s.columns].index("uuid")), data.sheets[s.name]))
             for s in DATA_SHEETS if "uuid" in [c.field for c in s.columns]}
    for sheet in DATA_SHEETS:
        fields = [c.field for c in sheet.columns]
        rows = data.sheets[sheet.name]
        checks: list[tuple[int, str, object]] = []  # (column index, field, expected target set or code)
        if "township_code" in fields:
            checks.append((fields.index("township_code"), "township_code", code))
        for i, c in enumerate(sheet.columns):
            if c.kind is Kind.UUID and c.field != "uuid":
                target = _target_of(sheet, c.field)
                if target is not None:
                    checks.append((i, c.field, uuids[target.name]))
        if any(not _all_fine(set(map(itemgetter(i), rows)), expected) for i, _f, expected in checks):  # else: nothing to list
            for n, row in enumerate(rows):
                for i, f, expected in checks:
                    v = row[i]
                    if isinstance(expected, str) and v != expected:
                        out.append(RowProblem(sheet.name, n + FIRST_DATA_ROW, _header(sheet, f),
                                              f"属于乡镇 {v}，不是本数据包的乡镇 {code}"))
                    elif isinstance(expected, set) and v is not None and v not in expected:
                        out.append(RowProblem(sheet.name, n + FIRST_DATA_ROW, _header(sheet, f),
                                              f"引用的记录 {v} 不在数据包中"))
        unique_sets = [tuple(sheet.key)]
        if sheet is MEMBERS:
            unique_sets.append(("id_number",))
        if sheet is SERVICE_REQUESTS:
            unique_sets.append(("year", "serial"))
        for cols in unique_sets:
            key = itemgetter(*(fields.index(c) for c in cols))
            if len(set(map(key, rows))) == len(rows):  # no two alike: nothing to list
                continue
            seen = Counter(map(key, rows))
            for n, row in enumerate(rows):
                if seen[key(row)] > 1:
                    out.append(RowProblem(sheet.name, n + FIRST_DATA_ROW, _header(sheet, cols[-1]),
                                          f"{'、'.join(_header(sheet, c) for c in cols)}与另一行重复"))
    own = [r for r in data.sheets["乡镇"] if r[0] == code]
    if not own:
        out.append(RowProblem("乡镇", FIRST_DATA_ROW, "", f"没有本数据包乡镇 {code} 的记录"))
    return out


def record_problems(data: PackageData, today: date) -> tuple[list[RowProblem], int]:
    """Validation findings of every record with its sheet and Excel row; (first ones, total)."""
    records = records_from_rows(data.sheets)
    out: list[RowProblem] = []
    total = 0
    for record_type, items in records.items():
        sheet = SHEET_BY_NAME[_sheet_name(record_type)]
        tree = validate_branch_tree(items) if record_type is R.Branch else {}  # type: ignore[arg-type]
        for n, record in enumerate(items):
            for issue in validate_record(record, today) + tree.get(record.uuid, []):
                total += 1
                if len(out) < MAX_LISTED:
                    out.append(RowProblem(sheet.name, n + FIRST_DATA_ROW, _header(sheet, issue.field),
                                          issue.message, issue.severity.value))
    return out, total


def _sheet_name(record_type: type[R.Record]) -> str:
    return SHEET_OF[record_type].name


def active_id_numbers(rows: Iterable[Row]) -> dict[str, str]:
    """身份证号 → name of the members who are neither deleted nor gone."""
    f = [c.field for c in MEMBERS.columns]
    idn, name, leave, deleted = f.index("id_number"), f.index("name"), f.index("leave_kind"), f.index("deleted")
    return {r[idn]: r[name] for r in rows if not r[deleted] and r[leave] is None}


@dataclass
class RollForward:
    """Party members (预备 + 正式) at the end of the previous import and of this package."""

    previous_period: str
    period: str
    start: int
    joined: int
    left: int
    end: int
    unexplained: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.start + self.joined - self.left == self.end

    def text(self) -> str:
        line = (f"党员人数核对：{self.previous_period} 末 {self.start:,} 人，增加 {self.joined:,} 人，"
                f"减少 {self.left:,} 人，{self.period} 末 {self.end:,} 人")
        return line + ("" if self.balanced else "（不平衡）")

    def to_json(self) -> dict:
        return {"previous_period": self.previous_period, "period": self.period, "start": self.start,
                "joined": self.joined, "left": self.left, "end": self.end, "balanced": self.balanced,
                "unexplained": self.unexplained}


def roll_forward(old: Sequence[Row], new: Sequence[Row], previous_period: str, period: str) -> RollForward:
    f = [c.field for c in MEMBERS.columns]
    ix = {k: f.index(k) for k in ("uuid", "name", "stage", "leave_kind", "leave_on", "deleted", "probation_on",
                                  "created_at")}

    def counted(rows: Sequence[Row]) -> dict[str, Row]:
        return {r[ix["uuid"]]: r for r in rows
                if r[ix["stage"]] in PARTY_STAGES and r[ix["leave_kind"]] is None and not r[ix["deleted"]]}

    before, after = counted(old), counted(new)
    start_month = add_months(period_bounds(previous_period)[0], 1) if previous_period < period else None
    first = (start_month or period_bounds(period)[0]).isoformat()
    last = period_bounds(period)[1].isoformat()
    by_uuid = {r[ix["uuid"]]: r for r in new}

    def within(value: str | None) -> bool:
        """A day, a month (partial date) or a timestamp inside [first, last]."""
        if value is None:
            return False
        v = value[:10]
        return first[:7] <= v <= last[:7] if len(v) == 7 else first <= v <= last

    unexplained: list[str] = []
    joined = [u for u in after if u not in before]
    left = [u for u in before if u not in after]
    for u in joined:
        r = after[u]
        if not (within(r[ix["probation_on"]]) or within(r[ix["created_at"]])):
            unexplained.append(f"{r[ix['name']]}：新计入党员，但入党时间和录入时间都不在 {first} 至 {last} 之间")
    for u in left:
        r = by_uuid.get(u)
        if r is None:
            unexplained.append(f"{before[u][ix['name']]}：上次导入时在册，本数据包中没有这条记录")
        elif r[ix["deleted"]]:
            unexplained.append(f"{r[ix['name']]}：党员记录被删除（党员应登记离开，而不是删除）")
        elif r[ix["leave_kind"]] is not None and not within(r[ix["leave_on"]]):
            unexplained.append(f"{r[ix['name']]}：已{r[ix['leave_kind']]}，但离开时间不在 {first} 至 {last} 之间")
    return RollForward(previous_period, period, len(before), len(joined), len(left), len(after),
                       unexplained[:MAX_LISTED])

