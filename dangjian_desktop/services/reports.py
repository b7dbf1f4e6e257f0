"""The printable lists as plain tables, and the rows behind a statistics figure.

* ``ReportService.build(ReportOptions)`` → ``ReportTable``: the 党员花名册 (在册 正式 and 预备
  党员, by branch), the 后备干部花名册 (by village; 培养中 only unless asked) and the 代办事项台账
  of a year (by number), of one township or — at the district — of every township in code
  order. Rows come from ``QueryService`` (the same SQL as the window's tables); columns and
  headers from ``exchange/columns.py``. With ``mask`` (the default: offices publish lists with
  masked IDs) every 身份证号 becomes ``410***********1234`` and every phone ``138****5678``
  before the rows leave this module, so nothing downstream can print them in full.
* ``drill_columns(record_type)`` / ``drill_rows(drill, offset, limit)``: a page of the records
  behind a figure (``StatisticsService.drill``) with the names of the branches, villages,
  members and townships they refer to.

No Qt here: ``ui/report_printing.py`` lays a ``ReportTable`` out on A4 pages and
``ui/formatting.cell_text`` turns its typed values into text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from ..domain import records as R
from ..domain.enums import ReserveStatus, Stage
from ..domain.idcard import mask_id_number
from ..exchange.columns import SHEET_OF, Column, Kind
from ..storage import models as M
from ..storage.repositories.mapping import chunked
from .query import QueryService, RecordFilter, SortKey
from .query_specs import MEMBER_STATUS_ACTIVE, SPECS, TOWNSHIP_COLUMN
from .statistics import DrillDown, load_records
from .store import Store

ROW_NUMBER = Column("row_number", "序号", Kind.INT, 5)
_PAGE = 5000  # rows per query while a roster is read


def mask_phone(value: str) -> str:
    """138****5678, 0371-****5678: the area code and the last four digits stay readable."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) >= 2 and parts[0].startswith("0"):  # a landline (an extension is dropped)
        local = parts[1]
        return f"{parts[0]}-{'*' * max(len(local) - 4, 0)}{local[-4:]}"
    if len(value) >= 8:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * len(value)


class ReportKind(StrEnum):
    MEMBERS = "members"
    RESERVE = "reserve"
    REQUESTS = "requests"

    @property
    def title(self) -> str:
        return {"members": "党员花名册", "reserve": "后备干部花名册", "requests": "代办事项台账"}[self.value]


@dataclass(frozen=True)
class ReportOptions:
    kind: ReportKind
    township_code: str | None = None  # at the district: one township, or all (None)
    year: int | None = None  # 代办事项台账: the year received (default: this year)
    mask: bool = True  # 身份证号 and phones masked
    training_only: bool = True  # 后备干部花名册: only those 培养中


@dataclass(frozen=True)
class ReportTable:
    """A list ready to lay out: heading lines, columns (序号 first) and typed values."""

    title: str  # 青石镇党员花名册
    unit_name: str  # who issues it
    scope: str  # 截至 2026年11月26日 / 2026年度
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    count_text: str  # 共 2,034 人
    landscape: bool = True
    masked: bool = True


@dataclass(frozen=True)
class _Layout:
    record_type: type[R.Record]
    fields: tuple[str, ...]
    unit_word: str
    sort: SortKey | None
    keep: Callable[[Any], bool] = lambda record: True


_LAYOUTS = {
    ReportKind.MEMBERS: _Layout(
        R.Member, ("name", "gender", "ethnicity", "id_number", "birth_date", "education", "branch_name", "stage",
                   "probation_on", "full_on", "category", "phone"), "人", None,
        lambda m: m.stage in (Stage.PROBATIONARY, Stage.FULL)),
    ReportKind.RESERVE: _Layout(
        R.ReserveCadre, ("name", "gender", "birth_date", "education", "political_status", "village_name", "source",
                         "occupation", "intended_post", "entered_on", "mentor", "status", "id_number", "phone"),
        "人", None),
    ReportKind.REQUESTS: _Layout(
        R.ServiceRequest, ("number", "received_on", "requester", "requester_phone", "village_name", "category",
                           "content", "channel", "clerk_a", "clerk_b", "due_on", "status", "completed_on",
                           "satisfaction"), "件", SortKey("number")),
}


def _masked(columns: Sequence[Column], values: Sequence[Any]) -> tuple[Any, ...]:
    out = []
    for column, value in zip(columns, values):
        if isinstance(value, str) and value:
            if column.kind is Kind.ID_NUMBER:
                value = mask_id_number(value)
            elif column.kind is Kind.PHONE:
                value = mask_phone(value)
        out.append(value)
    return tuple(out)


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- the drill-down lists -------------------------------------------------------------------

_LOOKUP_COLUMNS = {
    "branch_name": SPECS[R.Member].column("branch_name"),
    "village_name": SPECS[R.ReserveCadre].column("village_name"),
    "member_name": SPECS[R.ReserveCadre].column("member_name"),
    "township_name": TOWNSHIP_COLUMN,
    "number": SPECS[R.ServiceRequest].column("number"),
    "parent_name": Column("parent_name", "上级党组织", Kind.TEXT, 20),
    "secretary_name": Column("secretary_name", "书记", Kind.TEXT, 10),
}
_DRILL_FIELDS: dict[type[R.Record], tuple[str, ...]] = {
    R.Member: ("name", "gender", "id_number", "birth_date", "education", "stage", "branch_name", "category",
               "floating", "phone", "leave_kind", "leave_on"),
    R.ReserveCadre: ("name", "gender", "id_number", "birth_date", "education", "village_name", "source",
                     "intended_post", "entered_on", "status", "status_on", "training_count", "phone"),
    R.ServiceRequest: ("number", "received_on", "requester", "village_name", "category", "channel", "content",
                       "due_on", "status", "completed_on", "satisfaction"),
    R.Activity: ("held_on", "branch_name", "kind", "topic", "expected", "attendance"),
    R.Branch: ("name", "kind", "parent_name", "village_name", "secretary_name", "secretary_full_time",
               "standardized", "weak_year", "rectification_status"),
    R.Village: ("name", "kind", "category", "first_secretary_name", "first_secretary_unit", "first_secretary_start",
                "first_secretary_end", "work_team_size"),
}
# lookup field → (the record's attribute holding the reference, the table it names a row of)
_REFERENCES = {
    "branch_name": ("branch_uuid", M.BranchRow), "parent_name": ("parent_uuid", M.BranchRow),
    "village_name": ("village_uuid", M.VillageRow), "secretary_name": ("secretary_uuid", M.MemberRow),
    "member_name": ("member_uuid", M.MemberRow),
}


def _column(record_type: type[R.Record], name: str) -> Column:
    return _LOOKUP_COLUMNS.get(name) or SHEET_OF[record_type].column(name)


def _income_column(year: int) -> Column:
    return Column("income", f"{year}年集体经济收入（万元）", Kind.DECIMAL, 14)


class ReportService:
    """Builds the printable lists and the drill-down pages of one database."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today
        self.query = QueryService(store, today)

    # -- the printable lists --------------------------------------------------------------------
    def build(self, options: ReportOptions) -> ReportTable:
        unit = self.store.unit()
        assert unit is not None, "the unit is set before the window opens"
        layout = _LAYOUTS[options.kind]
        townships = self._townships(options.township_code) if unit.is_district else [(None, unit.name)]
        fields = list(layout.fields)
        if unit.is_district and options.township_code is None:
            fields.insert(1, TOWNSHIP_COLUMN.field)
        data_columns = self.query.columns(layout.record_type, fields)
        rows: list[tuple[Any, ...]] = []
        for code, _name in townships:
            for listed in self._listed(options, layout, code):
                values = tuple(listed.value(c.field) for c in data_columns)
                if options.mask:
                    values = _masked(data_columns, values)
                rows.append((len(rows) + 1, *values))
        where = unit.name if options.township_code is None else townships[0][1]
        year = options.year or self.today().year
        scope = f"{year}年度" if options.kind is ReportKind.REQUESTS else f"截至 {_date_text(self.today())}"
        if options.kind is ReportKind.RESERVE and options.training_only:
            scope += "（培养中）"
        return ReportTable(f"{where}{options.kind.title}", unit.name, scope, (ROW_NUMBER, *data_columns), rows,
                           f"共 {len(rows):,} {layout.unit_word}", masked=options.mask)

    def _townships(self, code: str | None) -> list[tuple[str | None, str]]:
        found = [(str(c.value), c.label) for c in self.query.dynamic_choices("townships")]
        if code is None:
            return list(found)
        return [next(((c, n) for c, n in found if c == code), (code, code))]

    def _listed(self, options: ReportOptions, layout: _Layout, township: str | None) -> Iterable[Any]:
        values: dict[str, object] = {}
        if township is not None:
            values["township"] = township
        if options.kind is ReportKind.MEMBERS:
            values["status"] = MEMBER_STATUS_ACTIVE
        elif options.kind is ReportKind.RESERVE and options.training_only:
            values["status"] = ReserveStatus.TRAINING
        elif options.kind is ReportKind.REQUESTS:
            values["year"] = options.year or self.today().year
        flt = RecordFilter(values=values)
        offset = 0
        while True:
            page = self.query.page(layout.record_type, flt, layout.sort, offset, _PAGE)
            yield from (listed for listed in page if layout.keep(listed.record))
            if len(page) < _PAGE:
                return
            offset += _PAGE

    # -- the records behind a figure --------------------------------------------------------------
    def drill_columns(self, record_type: type[R.Record], income_year: int | None = None) -> list[Column]:
        """The columns a drill-down list of ``record_type`` shows (a district adds the township)."""
        unit = self.store.unit()
        names = list(_DRILL_FIELDS[record_type])
        if unit is not None and unit.is_district:
            names.insert(1, TOWNSHIP_COLUMN.field)
        columns = [_column(record_type, n) for n in names]
        if record_type is R.Village and income_year is not None:
            columns.append(_income_column(income_year))
        return columns

    def drill_rows(self, drill: DrillDown, offset: int = 0, limit: int | None = None,
                   income_year: int | None = None) -> list[tuple[Any, ...]]:
        """Rows ``offset`` … of the drill-down, one value per ``drill_columns`` column."""
        columns = self.drill_columns(drill.record_type, income_year)
        records = load_records(self.store, drill, offset, limit)
        names = self._names(records, [c.field for c in columns])
        return [tuple(self._value(r, c.field, names, income_year) for c in columns) for r in records]

    def _names(self, records: Sequence[R.Record], fields: Sequence[str]) -> dict[str, dict[str, str]]:
        wanted: dict[str, tuple[Any, set[str]]] = {}
        for name in fields:
            if name in _REFERENCES:
                attr, model = _REFERENCES[name]
                ids = {getattr(r, attr) for r in records if getattr(r, attr, None)}
                wanted.setdefault(model.__tablename__, (model, set()))[1].update(ids)
        found: dict[str, dict[str, str]] = {}
        with self.store.db.read() as s:
            for table, (model, ids) in wanted.items():
                found[table] = {}
                for batch in chunked(sorted(ids), 500):
                    found[table].update(s.execute(select(model.uuid, model.name).where(model.uuid.in_(batch))).all())
            if "township_name" in fields:
                found["townships"] = dict(s.execute(select(M.TownshipRow.code, M.TownshipRow.name)).all())
        return found

    @staticmethod
    def _value(record: R.Record, name: str, names: dict[str, dict[str, str]], income_year: int | None) -> Any:
        if name in _REFERENCES:
            attr, model = _REFERENCES[name]
            return names.get(model.__tablename__, {}).get(getattr(record, attr) or "", "")
        if name == "township_name":
            return names.get("townships", {}).get(record.township_code, record.township_code)
        if name == "number" and isinstance(record, R.ServiceRequest):
            return f"{record.year}-{record.serial:04d}"
        if name == "income" and isinstance(record, R.Village):
            return record.incomes.get(income_year) if income_year is not None else None
        return getattr(record, name)
