"""Statistics: every figure the offices report, for a month or a year, per township and in
total, computed with SQL aggregates; and, for each figure, the records behind it.

The API a window (the 统计 tab) or a script uses:

* ``StatisticsService(store, today=date.today)``
  - ``compute(period, township_code=None) -> StatisticsReport`` — all figures (labels, units,
    groups in ``report.figures``; values per township in ``report.townships`` and in total in
    ``report.total``), the completion of each 党支部 (``report.branches``) and requests per
    month by status (``report.requests_by_month``). A few tens of milliseconds for a township,
    a few hundred for a district; run it off the GUI thread.
  - ``drill(report, key, township_code=None) -> DrillDown`` — the uuids and record type behind
    one figure of that report, for one township or all (a share lists the records it counts, a
    mean those it averages). Besides the figure keys it takes ``activities.branch.<branch
    uuid>`` (a branch's meetings in the period, for a row of ``report.branches``) and
    ``requests.month.<YYYY-MM>.<status key or total>`` (a bar of the monthly chart).
  - ``records(drill, offset=0, limit=None) -> list[Record]`` — those records, a page at a time.
  - ``write_summary(report, path)`` — the 汇总表 workbook (see ``exchange.stats_workbook``).
* ``statistics_output.report_json(report)`` — the stable ``stats --json`` document (README
  lists the keys); ``statistics_output.report_lines(report)`` — the same as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import records as R
from ..domain.enums import RequestStatus
from ..domain.errors import DomainError
from ..domain.statistics import (
    FigureDef, FigureKind, Period, StatisticsReport, UnitFigures, add_counts, derive, enum_key, income_year,
)
from ..domain.unit import UnitSettings
from ..exchange import stats_workbook
from ..storage import models as M
from ..storage.repositories import AuditLog, SettingsRepository, VillageRepository
from ..storage.repositories.mapping import ROW_OF, chunked, to_record
from . import statistics_members, statistics_org, statistics_work
from .statistics_sql import Count, Ctx, Item, Ratio, Tally, drill_uuids, evaluate, run_tally
from .store import Store

GROUP_ORDER = (
    "组织设置", "党员队伍", "党员年龄与学历", "发展党员", "村党组织书记", "驻村第一书记", "组织生活",
    "集体经济与合作社", "网格治理", "后备干部", "为民服务代理", "代办事项分类",
)


class StatisticsError(DomainError):
    pass


def _catalogue() -> tuple[Item, ...]:
    items = [*statistics_org.items(), *statistics_members.items(), *statistics_work.items()]
    unknown = {i.group for i in items} - set(GROUP_ORDER)
    assert not unknown, unknown
    return tuple(sorted(items, key=lambda i: GROUP_ORDER.index(i.group)))


ITEMS: tuple[Item, ...] = _catalogue()
ITEM_BY_KEY: dict[str, Item] = {i.key: i for i in ITEMS}
FIGURES: tuple[FigureDef, ...] = tuple(i.definition() for i in ITEMS)
TALLIES: tuple[Tally, ...] = tuple(dict.fromkeys(i.tally for i in ITEMS if isinstance(i, Count) and i.tally))
assert len(ITEM_BY_KEY) == len(ITEMS), "figure keys must be unique"


@dataclass(frozen=True)
class DrillDown:
    """The records behind one figure: their type and uuids, and a title for the list."""

    key: str
    title: str
    record_type: type[R.Record]
    uuids: tuple[str, ...]
    township_code: str | None = None

    def __len__(self) -> int:
        return len(self.uuids)


def _context(unit: UnitSettings, period: Period, today: date, township: str | None) -> Ctx:
    ref = period.reference_date(today)
    return Ctx(period, ref, income_year(ref), unit.income_threshold, township)


def _report_context(report: StatisticsReport, township: str | None) -> Ctx:
    return Ctx(report.period, report.as_of, report.income_year, report.income_threshold, township)


def _raw_counts(session: Session, ctx: Ctx) -> dict[str, dict[str, int]]:
    raw: dict[str, dict[str, int]] = {}
    for tally in TALLIES:
        counts = [i for i in ITEMS if isinstance(i, Count) and i.tally is tally]
        for town, values in evaluate(counts, run_tally(session, tally, ctx), ctx).items():
            raw.setdefault(town, {}).update(values)
    return raw


def _townships(session: Session, ctx: Ctx, seen: set[str]) -> list[tuple[str, str]]:
    rows = session.execute(select(M.TownshipRow.code, M.TownshipRow.name)
                           .where(M.TownshipRow.deleted.is_(False)).order_by(M.TownshipRow.code)).all()
    names = {code: name for code, name in rows}
    for code in sorted(seen - set(names)):
        names[code] = code  # records of a township the database does not list
    if ctx.township is not None:
        if ctx.township not in names:
            raise StatisticsError(f"数据库中没有区划代码为 {ctx.township} 的乡镇")
        return [(ctx.township, names[ctx.township])]
    return sorted(names.items())


def compute_statistics(store: Store, period: Period, township_code: str | None = None,
                       today: date | None = None) -> StatisticsReport:
    """All figures of ``period`` for every township of the database (or one) and in total."""
    today = today or date.today()
    with store.db.read() as s:
        unit = SettingsRepository(s).unit()
        if unit is None:
            raise StatisticsError(f"数据库 {store.path} 尚未设置单位，请先运行 init 或在程序中完成首次设置")
        ctx = _context(unit, period, today, township_code)
        raw = _raw_counts(s, ctx)
        branches, completion = statistics_work.completion(s, ctx)
        for town, values in completion.items():
            raw.setdefault(town, {}).update(values)
        series = statistics_work.requests_by_month(s, ctx)
        towns = _townships(s, ctx, set(raw))
    parts = [raw.get(code, {}) for code, _ in towns]
    return StatisticsReport(
        unit_name=unit.name, unit_code=unit.code, district=unit.is_district, period=period, as_of=ctx.ref,
        income_year=ctx.income_year, income_threshold=unit.income_threshold, figures=FIGURES,
        townships=tuple(UnitFigures(code, name, derive(FIGURES, part)) for (code, name), part in zip(towns, parts)),
        total=UnitFigures("", "合计", derive(FIGURES, add_counts(parts))),
        branches=tuple(branches), requests_by_month=series, generated_at=datetime.now(UTC).replace(microsecond=0),
    )


# ---- drill-down ---------------------------------------------------------------------------

def _drill(session: Session, ctx: Ctx, key: str) -> tuple[type[R.Record], list[str], str]:
    parts = key.split(".")
    if parts[:2] == ["activities", "branch"] and len(parts) == 3:
        return R.Activity, statistics_work.branch_activities(session, ctx, parts[2]), "组织生活记录"
    if parts[:2] == ["requests", "month"] and len(parts) == 4:
        status = next((s.value for s in RequestStatus if enum_key(s) == parts[3]), "")
        return R.ServiceRequest, statistics_work.month_status_drill(session, ctx, parts[2], parts[3]), \
            f"{parts[2]} 受理的代办事项" + (f"（{status}）" if status else "")
    item = ITEM_BY_KEY.get(key)
    if item is None:
        raise StatisticsError(f"没有名为 {key} 的统计指标")
    if isinstance(item, Ratio):  # a share lists what it counts, a mean what it averages
        record_type, uuids, _ = _drill(session, ctx, item.den if item.kind is FigureKind.MEAN else item.num)
        return record_type, uuids, item.label
    if item.tally is not None:
        return item.tally.record, drill_uuids(session, item, ctx), item.label
    uuids = statistics_work.completion_drill(session, ctx, key)
    if uuids is None:  # pragma: no cover - every custom count has a drill
        raise StatisticsError(f"统计指标 {key} 不能列出明细")
    record_type = R.Activity if key.startswith("activities.done") else R.Branch
    return record_type, uuids, item.label


def drill_down(store: Store, report: StatisticsReport, key: str, township_code: str | None = None) -> DrillDown:
    """The records behind figure ``key`` of ``report`` (of one township, or of all)."""
    ctx = _report_context(report, township_code)
    with store.db.read() as s:
        record_type, uuids, label = _drill(s, ctx, key)
    where = report.unit_name if township_code is None else next(
        (t.name for t in report.townships if t.code == township_code), township_code)
    return DrillDown(key, f"{where} · {report.period.title} · {label}", record_type, tuple(uuids), township_code)


def load_records(store: Store, drill: DrillDown, offset: int = 0, limit: int | None = None) -> list[R.Record]:
    """The records of a drill-down, in its order (a page of them with ``offset``/``limit``)."""
    uuids = drill.uuids[offset:None if limit is None else offset + limit]
    found: dict[str, R.Record] = {}
    with store.db.read() as s:
        if drill.record_type is R.Village:  # a few hundred at most; read with their parts in bulk
            wanted = set(uuids)
            found = {v.uuid: v for v in VillageRepository(s, AuditLog(s, "")).list() if v.uuid in wanted}
        else:
            row_type: Any = ROW_OF[drill.record_type]
            for batch in chunked(uuids, 500):
                for row in s.scalars(select(row_type).where(row_type.uuid.in_(batch))):
                    found[row.uuid] = to_record(drill.record_type, row)
    return [found[u] for u in uuids if u in found]


def write_summary(report: StatisticsReport, path: Path | str) -> Path:
    """The district's 汇总表 (one row per township and a 合计 row) as an .xlsx file."""
    return stats_workbook.write_summary_workbook(path, report)


class StatisticsService:
    """The use cases of the 统计 tab, bound to one store and a clock."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today

    def compute(self, period: Period, township_code: str | None = None) -> StatisticsReport:
        return compute_statistics(self.store, period, township_code, self.today())

    def drill(self, report: StatisticsReport, key: str, township_code: str | None = None) -> DrillDown:
        return drill_down(self.store, report, key, township_code)

    def records(self, drill: DrillDown, offset: int = 0, limit: int | None = None) -> list[R.Record]:
        return load_records(self.store, drill, offset, limit)

    def write_summary(self, report: StatisticsReport, path: Path | str) -> Path:
        return write_summary(report, path)
