"""The 组织生活 grid: for each branch and month of a year, the meetings held against those
required (三会一课 and 主题党日, ``ACTIVITY_REQUIRED_PER_YEAR``), so a missing 支委会 shows at
a glance.

What is due, and when, is the statistics' rule (``domain.statistics.due_windows``), so a
branch's 完成/应完成 here is exactly the 统计 tab's: a kind required 12 times a year is due
every month, one required 4 times once a quarter, and a window is judged in the month it ends,
once it has ended by the reference date (the year's last day, or today). The month still
running is shown — what it asks for and what was already held — but nothing in it is due yet:
it counts once it has ended, for every branch alike. Later months are not judged at all. One
grouped query reads the counts (SQLAlchemy is loaded by ``activity_grid`` itself: the window
imports the grid's types at start-up, before it needs any SQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from ..domain.enums import ACTIVITY_REQUIRED_PER_YEAR, ActivityKind, OrgKind
from ..domain.statistics import Period, PeriodNotStartedError, due_windows, percent

if TYPE_CHECKING:
    from decimal import Decimal

    from .store import Store

MONTHS = tuple(range(1, 13))


class CellState(StrEnum):
    OK = "ok"  # everything due here was held
    MISSING = "missing"  # something due was not held and the month is over
    EARLY = "early"  # the month is still running and what it asks for is already held
    PENDING = "pending"  # the month is still running and something it asks for is not held yet
    NOT_DUE = "not_due"  # nothing due here (e.g. a quarterly kind mid-quarter)
    FUTURE = "future"


JUDGED = (CellState.OK, CellState.MISSING)  # the cells that count in 完成/应完成


@dataclass(frozen=True)
class GridCell:
    held: int  # meetings of the chosen kinds held in the month
    due: int  # requirements whose window ends in this month (judged once the month has ended)
    met: int  # of which met
    missing: tuple[ActivityKind, ...]
    state: CellState

    @property
    def judged(self) -> bool:
        return self.state in JUDGED


@dataclass(frozen=True)
class GridRow:
    branch_uuid: str
    branch_name: str
    cells: tuple[GridCell, ...]  # January … December

    @property
    def due(self) -> int:
        return sum(c.due for c in self.cells if c.judged)

    @property
    def met(self) -> int:
        return sum(c.met for c in self.cells if c.judged)

    @property
    def rate(self) -> Decimal | None:
        """完成率 in per cent, rounded as the statistics round it."""
        return percent(self.met, self.due)


@dataclass(frozen=True)
class _Window:
    kind: ActivityKind
    months: tuple[int, ...]  # the months of the year it spans; it is judged in the last one
    due: bool  # ended by the reference date


def _windows(year: int, kinds: tuple[ActivityKind, ...], reference: date) -> list[_Window]:
    """Every window of ``year`` for ``kinds``, and whether the statistics count it as due."""
    period = Period.year(year)
    out = []
    for kind in kinds:
        per_year = ACTIVITY_REQUIRED_PER_YEAR[kind]
        due = set(due_windows(per_year, period, reference))
        for first, last in due_windows(per_year, period, period.end):
            out.append(_Window(kind, tuple(range(first.month, last.month + 1)), (first, last) in due))
    return out


def _cell(month: int, windows: list[_Window], counts: dict[ActivityKind, dict[int, int]],
          kinds: tuple[ActivityKind, ...], reference: date | None, year: int) -> GridCell:
    held = sum(counts[k].get(month, 0) for k in kinds)
    if reference is None or date(year, month, 1) > reference:
        return GridCell(held, 0, 0, (), CellState.FUTURE)
    ending = [w for w in windows if w.months[-1] == month]
    missing = tuple(w.kind for w in ending if not any(counts[w.kind].get(m, 0) for m in w.months))
    running = any(not w.due for w in ending)
    if not ending:
        state = CellState.NOT_DUE
    elif running:
        state = CellState.PENDING if missing else CellState.EARLY
    else:
        state = CellState.MISSING if missing else CellState.OK
    return GridCell(held, len(ending), len(ending) - len(missing), missing, state)


def activity_grid(store: Store, year: int, kind: ActivityKind | None, today: date,
                  township_code: str | None = None) -> list[GridRow]:
    """One row per 党支部 (and 联合党支部); ``kind`` None judges all five kinds together."""
    from contextlib import closing

    from sqlalchemy import Integer, String, cast, func, select, type_coerce

    from ..storage import models as M
    from .query import township_namer

    kinds = (kind,) if kind is not None else tuple(ActivityKind)
    a, b = M.ActivityRow, M.BranchRow
    month = cast(func.substr(type_coerce(a.held_on, String), 6, 2), Integer)
    with store.db.read() as s:
        branch_q = select(b.uuid, b.name, b.township_code).where(
            b.deleted.is_(False), b.kind.in_([OrgKind.BRANCH, OrgKind.JOINT_BRANCH]))
        if township_code:
            branch_q = branch_q.where(b.township_code == township_code)
        branches = s.execute(branch_q.order_by(b.township_code, b.initials, b.name)).all()
        rows = s.execute(
            select(a.branch_uuid, a.kind, month, func.count())
            .where(a.deleted.is_(False), type_coerce(a.held_on, String).like(f"{year:04d}-%"))
            .group_by(a.branch_uuid, a.kind, month)
        ).all()
    counts: dict[str, dict[ActivityKind, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for branch_uuid, k, m, n in rows:
        if isinstance(k, ActivityKind):
            counts[branch_uuid][k][m] = n
    try:
        reference: date | None = Period.year(year).reference_date(today)
    except PeriodNotStartedError:
        reference = None  # a year to come: nothing is judged
    windows = _windows(year, kinds, reference or date(year, 1, 1))
    with closing(store.db.plain()) as conn:
        place = township_namer(conn)  # at the district: 中共北庄村支部委员会（青石镇）
    return [
        GridRow(uuid, place(name, code), tuple(_cell(m, windows, counts[uuid], kinds, reference, year)
                                               for m in MONTHS))
        for uuid, name, code in branches
    ]


GridSource = Callable[[int, ActivityKind | None], list[GridRow]]
