"""The 组织生活 grid: for each branch and month of a year, the meetings held against those
required (三会一课 and 主题党日, ``ACTIVITY_REQUIRED_PER_YEAR``), so a missing 支委会 shows at
a glance.

A kind required 12 times a year is due every month; one required 4 times is due once a quarter
and is judged in the quarter's last month. A month still running is "pending" rather than
missing, and later months are not judged at all. One grouped query reads the counts
(SQLAlchemy is loaded by ``activity_grid`` itself: the window imports the grid's types at
start-up, before it needs any SQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from ..domain.enums import ACTIVITY_REQUIRED_PER_YEAR, ActivityKind, OrgKind

if TYPE_CHECKING:
    from .store import Store

MONTHS = tuple(range(1, 13))


class CellState(StrEnum):
    OK = "ok"  # everything due here was held
    MISSING = "missing"  # something due was not held and the month is over
    PENDING = "pending"  # the month is still running and something due is not held yet
    NOT_DUE = "not_due"  # nothing due here (e.g. a quarterly kind mid-quarter)
    FUTURE = "future"


@dataclass(frozen=True)
class GridCell:
    held: int  # meetings of the chosen kinds held in the month
    due: int  # requirements judged in this month
    met: int  # of which met
    missing: tuple[ActivityKind, ...]
    state: CellState


@dataclass(frozen=True)
class GridRow:
    branch_uuid: str
    branch_name: str
    cells: tuple[GridCell, ...]  # January … December

    @property
    def due(self) -> int:
        return sum(c.due for c in self.cells if c.state in (CellState.OK, CellState.MISSING))

    @property
    def met(self) -> int:
        return sum(c.met for c in self.cells if c.state in (CellState.OK, CellState.MISSING))


def _due_in(kind: ActivityKind, month: int) -> bool:
    per_year = ACTIVITY_REQUIRED_PER_YEAR[kind]
    return per_year >= 12 or month % (12 // per_year) == 0


def _met(kind: ActivityKind, month: int, held: dict[int, int]) -> bool:
    per_year = ACTIVITY_REQUIRED_PER_YEAR[kind]
    if per_year >= 12:
        return held.get(month, 0) > 0
    span = 12 // per_year  # the months of the period that ends in ``month``
    return sum(held.get(m, 0) for m in range(month - span + 1, month + 1)) > 0


def _cell(kinds: tuple[ActivityKind, ...], month: int, counts: dict[ActivityKind, dict[int, int]],
          year: int, today: date) -> GridCell:
    held = sum(counts[k].get(month, 0) for k in kinds)
    if (year, month) > (today.year, today.month):
        return GridCell(held, 0, 0, (), CellState.FUTURE)
    due = [k for k in kinds if _due_in(k, month)]
    missing = tuple(k for k in due if not _met(k, month, counts[k]))
    if not due:
        state = CellState.NOT_DUE
    elif not missing:
        state = CellState.OK
    elif (year, month) == (today.year, today.month):
        state = CellState.PENDING
    else:
        state = CellState.MISSING
    return GridCell(held, len(due), len(due) - len(missing), missing, state)


def activity_grid(store: Store, year: int, kind: ActivityKind | None, today: date,
                  township_code: str | None = None) -> list[GridRow]:
    """One row per 党支部 (and 联合党支部); ``kind`` None judges all five kinds together."""
    from sqlalchemy import Integer, String, cast, func, select, type_coerce

    from ..storage import models as M

    kinds = (kind,) if kind is not None else tuple(ActivityKind)
    a, b = M.ActivityRow, M.BranchRow
    month = cast(func.substr(type_coerce(a.held_on, String), 6, 2), Integer)
    with store.db.read() as s:
        branch_q = select(b.uuid, b.name).where(
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
    return [
        GridRow(uuid, name, tuple(_cell(kinds, m, counts[uuid], year, today) for m in MONTHS))
        for uuid, name in branches
    ]


GridSource = Callable[[int, ActivityKind | None], list[GridRow]]
