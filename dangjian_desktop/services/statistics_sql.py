"""The counting engine behind the statistics: tallies (one GROUP BY query each) and counts.

A ``Tally`` is one SELECT over one table (plus joins) that groups the live rows by township and
by a few small *dimensions* — SQL expressions with a handful of values (a stage, a status, a
0/1 flag such as "received in the period") — and returns, per group, the number of rows and
some sums. A ``Count`` is a figure read from a tally: the rows (or a sum) of the groups whose
dimensions satisfy its conditions. The same conditions select the records behind the figure
(``drill_uuids``), so a figure and the list a clerk clicks through to can never disagree.

Cubes are small (groups, not records); reading a figure from one projects the cube onto the
dimensions the figure looks at, so a district's tens of thousands of records cost a few
GROUP BY scans and a little Python over a few thousand groups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Select, String, and_, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..domain import records as R
from ..domain.statistics import AGE_BANDS, YOUTH_AGE, FigureDef, FigureKind, Period, birth_cutoff

Expr = ColumnElement[Any]
Condition = frozenset | Callable[[Any, "Ctx"], bool]


@dataclass(frozen=True)
class Ctx:
    """What one computation counts: the period, its reference date and the unit's settings."""

    period: Period
    ref: date
    income_year: int
    threshold: Decimal
    township: str | None = None  # None: every township of the database

    @property
    def start_iso(self) -> str:
        return self.period.start.isoformat()

    @property
    def ref_iso(self) -> str:
        return self.ref.isoformat()


# ---- SQL on ISO date text -----------------------------------------------------------------
# Dates are ISO text, a month-precision date being ``YYYY-MM`` (standing for the 1st of its
# month). Plain text comparison treats ``YYYY-MM`` exactly like ``YYYY-MM-01`` for every test
# made here — ``x <= day``, ``x > day`` for any full day, and ``x >= "YYYY-MM"`` for a period
# starting on the 1st — because ``YYYY-MM`` is a prefix of ``YYYY-MM-01`` and no day sorts
# before ``-01``. So no conversion is needed (tests/services check it against ``PartialDate``).

def text(col: Any) -> Expr:
    return type_coerce(col, String)


def flag(condition: Expr) -> Expr:
    return case((condition, 1), else_=0)


def in_period(col: Any, ctx: Ctx) -> Expr:
    """The date in ``col`` lies from the period's first day to the reference date."""
    t = text(col)
    return and_(t >= ctx.period.start.isoformat()[:7], t <= ctx.ref_iso)


def age_expr(birth: Any, on: date) -> Expr:
    """Whole years of age on ``on`` (``domain.dates.age_on``); NULL without a birth date."""
    t = text(birth)
    return (literal(on.year) - cast(func.substr(t, 1, 4), Integer)
            - case((func.substr(t, 6, 5) > f"{on.month:02d}-{on.day:02d}", 1), else_=0))


def age_band_expr(birth: Any, on: date) -> Expr:
    """The key of the ``AGE_BANDS`` band the age on ``on`` falls in; NULL without a birth date."""
    t = text(birth)
    whens = [(t.is_(None), None)]
    for band in AGE_BANDS[:-1]:
        assert band.high is not None
        whens.append((t > birth_cutoff(band.high + 1, on).isoformat(), band.key))
    return case(*whens, else_=AGE_BANDS[-1].key)


def youth_expr(birth: Any, on: date) -> Expr:
    """1 when aged ``YOUTH_AGE`` or under on ``on``, 0 when older, NULL without a birth date."""
    t = text(birth)
    return case((t.is_(None), None), (t > birth_cutoff(YOUTH_AGE + 1, on).isoformat(), 1), else_=0)


# ---- tallies and counts -------------------------------------------------------------------

@dataclass(frozen=True, eq=False)  # compared and hashed by identity
class Tally:
    """One GROUP BY query: live rows of ``table`` satisfying ``base``, by township and dims."""

    name: str
    record: type[R.Record]  # what the drill-down lists (rows of ``table``)
    table: Any
    base: Callable[[Ctx], Expr | None]
    dims: Mapping[str, Callable[[Ctx], Expr]]
    sums: Mapping[str, Callable[[Ctx], Expr]] = field(default_factory=dict)
    join: Callable[[Select], Select] | None = None

    def _select(self, ctx: Ctx, *columns: Any) -> Select:
        stmt = select(*columns).select_from(self.table)
        if self.join is not None:
            stmt = self.join(stmt)
        stmt = stmt.where(self.table.deleted.is_(False))
        base = self.base(ctx)
        if base is not None:
            stmt = stmt.where(base)
        if ctx.township is not None:
            stmt = stmt.where(self.table.township_code == ctx.township)
        return stmt


@dataclass(frozen=True)
class Count:
    """A figure counted from a tally: rows (or the sum ``measure``) matching ``where``.

    ``tally`` None marks a figure that a custom source computes (see ``statistics_work``).
    """

    key: str
    label: str
    unit: str
    tally: Tally | None = None
    where: Mapping[str, Condition] = field(default_factory=dict)
    measure: str = ""  # "": the number of rows; else the name of one of the tally's sums
    note: str = ""
    hidden: bool = False
    group: str = ""

    def definition(self) -> FigureDef:
        return FigureDef(self.key, self.label, self.unit, self.group, FigureKind.COUNT,
                         note=self.note, hidden=self.hidden)


@dataclass(frozen=True)
class Ratio:
    """A share (per cent) or a mean of two counts. Its drill-down lists the records a share
    counts (its numerator's) or those a mean averages (its denominator's)."""

    key: str
    label: str
    num: str
    den: str
    unit: str = "%"
    kind: FigureKind = FigureKind.SHARE
    note: str = ""
    group: str = ""

    def definition(self) -> FigureDef:
        return FigureDef(self.key, self.label, self.unit, self.group, self.kind, self.num, self.den, self.note)


Item = Count | Ratio


def share(key: str, label: str, num: str, den: str, note: str = "") -> Ratio:
    return Ratio(key, label, num, den, note=note)


def average(key: str, label: str, total: str, n: str, unit: str, note: str = "") -> Ratio:
    return Ratio(key, label, total, n, unit, FigureKind.MEAN, note)


def section(group: str, items: Sequence[Item]) -> list[Item]:
    return [replace(item, group=group) for item in items]


def matches(where: Mapping[str, Condition], dims: Mapping[str, Any], ctx: Ctx) -> bool:
    for name, cond in where.items():
        value = dims[name]
        if isinstance(cond, frozenset):
            if value not in cond:
                return False
        elif not cond(value, ctx):
            return False
    return True


@dataclass
class Cube:
    """Groups of a tally: (township, values of ``dims``) → [rows, then each of ``measures``]."""

    dims: tuple[str, ...]
    measures: tuple[str, ...]
    groups: dict[tuple[str, tuple], list[int]]

    def project(self, names: tuple[str, ...]) -> "Cube":
        """The same rows summed over every dimension but ``names``."""
        positions = [self.dims.index(n) for n in names]
        groups: dict[tuple[str, tuple], list[int]] = {}
        for (town, values), sums in self.groups.items():
            key = (town, tuple(values[i] for i in positions))
            bucket = groups.get(key)
            if bucket is None:
                groups[key] = list(sums)
            else:
                for j, v in enumerate(sums):
                    bucket[j] += v
        return Cube(names, self.measures, groups)

    @property
    def townships(self) -> set[str]:
        return {town for town, _ in self.groups}


def run_tally(session: Session, tally: Tally, ctx: Ctx) -> Cube:
    """The tally's groups by township and dimensions, with the row count and the sums."""
    dim_exprs = [fn(ctx) for fn in tally.dims.values()]
    sum_exprs = [func.coalesce(func.sum(fn(ctx)), 0) for fn in tally.sums.values()]
    stmt = tally._select(ctx, tally.table.township_code, *dim_exprs, func.count(), *sum_exprs)
    stmt = stmt.group_by(tally.table.township_code, *dim_exprs)
    n = len(dim_exprs)
    groups = {(row[0], tuple(row[1:1 + n])): [int(v) for v in row[1 + n:]] for row in session.execute(stmt)}
    return Cube(tuple(tally.dims), ("", *tally.sums), groups)


def evaluate(counts: Sequence[Count], cube: Cube, ctx: Ctx) -> dict[str, dict[str, int]]:
    """township → figure key → value, for the counts read from one tally's cube.

    The cube is projected onto the dimensions each count looks at (finest first, each from the
    smallest finer projection), so a count tests a few dozen groups, not every group.
    """
    out: dict[str, dict[str, int]] = {town: {} for town in cube.townships}
    done: dict[tuple[str, ...], Cube] = {}
    for c in sorted(counts, key=lambda c: -len(c.where)):
        names = tuple(sorted(c.where))
        proj = done.get(names)
        if proj is None:
            finer = [p for k, p in done.items() if set(names) <= set(k)]
            proj = done[names] = min(finer, key=lambda p: len(p.groups), default=cube).project(names)
        measure = cube.measures.index(c.measure)
        for bucket in out.values():
            bucket[c.key] = 0
        for (town, values), sums in proj.groups.items():
            if matches(c.where, dict(zip(names, values, strict=True)), ctx):
                out[town][c.key] += sums[measure]
    return out


def _sql_condition(expr: Expr, values: frozenset) -> Expr:
    present = [v for v in values if v is not None]
    cond = expr.in_(present) if present else None
    if None in values:
        return expr.is_(None) if cond is None else or_(expr.is_(None), cond)
    return cond if cond is not None else literal(False)


def drill_uuids(session: Session, count: Count, ctx: Ctx) -> list[str]:
    """The records a count counts (rows of its tally matching its conditions), in table order."""
    tally = count.tally
    assert tally is not None
    exprs = {name: tally.dims[name](ctx) for name in count.where}
    in_python = {name: cond for name, cond in count.where.items() if not isinstance(cond, frozenset)}
    stmt = tally._select(ctx, tally.table.uuid, *(exprs[name] for name in in_python))
    for name, cond in count.where.items():
        if isinstance(cond, frozenset):
            stmt = stmt.where(_sql_condition(exprs[name], cond))
    if count.measure:
        stmt = stmt.where(tally.sums[count.measure](ctx) != 0)
    seen: dict[str, None] = {}
    for row in session.execute(stmt):
        if not in_python or matches(in_python, dict(zip(in_python, row[1:])), ctx):
            seen.setdefault(row[0], None)
    return list(seen)


def one(*values: Any) -> frozenset:
    return frozenset(values)


YES = one(1)
