"""Figures of the running work: 组织生活 (三会一课 and 主题党日) and 代办事项.

Meetings held and attendance are a tally. Completion is computed per 党支部 (the basic units
that hold members: 党支部 and 联合党支部) from one GROUP BY query that counts, per branch and
kind, the distinct due windows holding a meeting (``domain.statistics.due_windows``).
Service requests count those received in the period; overdue follows
``ServiceRequest.is_overdue`` on the reference date (a request closed on its due date is not
overdue; a returned one never is).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Integer, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from ..domain import records as R
from ..domain.enums import (
    ACTIVITY_REQUIRED_PER_YEAR, ActivityKind, Channel, OrgKind, RequestCategory, RequestStatus, Satisfaction,
)
from ..domain.statistics import BranchCompletion, due_windows, enum_key, window_months
from ..storage import models as M
from .statistics_sql import (
    Count, Ctx, Item, Tally, average, flag, in_period, one, section, share, text,
)

A, B, SR = M.ActivityRow, M.BranchRow, M.ServiceRequestRow
UNIT_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)  # the branches that must hold 三会一课

# ---- 组织生活 ----------------------------------------------------------------------------

ACTIVITIES = Tally(
    "activities", R.Activity, A,
    base=lambda ctx: and_(B.deleted.is_(False), in_period(A.held_on, ctx)),
    join=lambda stmt: stmt.join(B, B.uuid == A.branch_uuid),
    dims={"kind": lambda ctx: A.kind},
    sums={"attended": lambda ctx: case((A.expected > 0, A.attendance), else_=0),
          "expected": lambda ctx: case((A.expected > 0, A.expected), else_=0)},
)


def _activity_items() -> list[Item]:
    held = [
        Count("activities.held", "期内开展组织生活", "次", ACTIVITIES, note="统计期间内召开的三会一课和主题党日"),
        *(Count(f"activities.held.{enum_key(k)}", f"召开{k.value}", "次", ACTIVITIES, {"kind": one(k)})
          for k in ActivityKind),
        Count("activities.expected", "应到人次", "人次", ACTIVITIES, measure="expected"),
        Count("activities.attended", "实到人次", "人次", ACTIVITIES, measure="attended"),
        share("activities.attendance_rate", "平均出席率", "activities.attended", "activities.expected",
              note="实到人次 ÷ 应到人次（未填应到人数的不计）"),
    ]
    completion = [
        Count("activities.branches", "应落实三会一课的党支部", "个", note="党支部和联合党支部"),
        Count("activities.required", "应开展", "次", note="按到期的月、季计：每月一次的每月 1 次，每季一次的每季 1 次；"
                                                        "月、季结束后才计入"),
        Count("activities.done", "按时开展", "次", note="到期的月、季内至少开展一次即为完成，多开不抵欠"),
        share("activities.rate", "三会一课及主题党日完成率", "activities.done", "activities.required"),
    ]
    for k in ActivityKind:
        key = enum_key(k)
        completion += [
            Count(f"activities.required.{key}", f"{k.value}应开展", "次"),
            Count(f"activities.done.{key}", f"{k.value}按时开展", "次"),
            share(f"activities.rate.{key}", f"{k.value}完成率", f"activities.done.{key}", f"activities.required.{key}"),
        ]
    completion += [
        Count("activities.below_target", "完成率未达100%的党支部", "个"),
        Count("activities.no_meetings", "期内未开展组织生活的党支部", "个"),
    ]
    return section("组织生活", held + completion)


@dataclass(frozen=True)
class DueRange:
    kind: ActivityKind
    months: int
    windows: int
    first: str  # first day of the first due window
    last: str  # last day of the last due window


def due_ranges(ctx: Ctx) -> list[DueRange]:
    out = []
    for kind, per_year in ACTIVITY_REQUIRED_PER_YEAR.items():
        windows = due_windows(per_year, ctx.period, ctx.ref)
        if windows:
            out.append(DueRange(kind, window_months(per_year), len(windows),
                                windows[0][0].isoformat(), windows[-1][1].isoformat()))
    return out


def _in_due_windows(ranges: list[DueRange]):
    held = text(A.held_on)
    return or_(*(and_(A.kind == r.kind, held >= r.first, held <= r.last) for r in ranges))


def _unit_branches(session: Session, ctx: Ctx) -> list[tuple[str, str, str]]:
    stmt = select(B.township_code, B.uuid, B.name).where(B.deleted.is_(False), B.kind.in_(UNIT_KINDS))
    if ctx.township is not None:
        stmt = stmt.where(B.township_code == ctx.township)
    return [tuple(r) for r in session.execute(stmt.order_by(B.township_code, B.code, B.name))]


def _activity_scope(stmt, ctx: Ctx):
    stmt = stmt.join(B, B.uuid == A.branch_uuid).where(
        A.deleted.is_(False), B.deleted.is_(False), B.kind.in_(UNIT_KINDS))
    return stmt if ctx.township is None else stmt.where(B.township_code == ctx.township)


def completion(session: Session, ctx: Ctx) -> tuple[list[BranchCompletion], dict[str, dict[str, int]]]:
    """Every 党支部's completion, and the completion counts per township."""
    ranges = due_ranges(ctx)
    done: dict[tuple[str, ActivityKind], int] = {}
    if ranges:
        held = text(A.held_on)
        index = cast(func.substr(held, 1, 4), Integer) * 12 + cast(func.substr(held, 6, 2), Integer) - 1
        months = case(*((A.kind == r.kind, r.months) for r in ranges), else_=1)
        stmt = _activity_scope(select(A.branch_uuid, A.kind, func.count(func.distinct(index // months))), ctx)
        stmt = stmt.where(_in_due_windows(ranges)).group_by(A.branch_uuid, A.kind)
        done = {(b, k): n for b, k, n in session.execute(stmt)}
    stmt = _activity_scope(select(A.branch_uuid, func.count()), ctx)
    held_counts = dict(session.execute(stmt.where(in_period(A.held_on, ctx)).group_by(A.branch_uuid)).all())
    required = sum(r.windows for r in ranges)
    branches: list[BranchCompletion] = []
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for town, uuid, name in _unit_branches(session, ctx):
        c = counts[town]
        n_done = 0
        for r in ranges:
            d = done.get((uuid, r.kind), 0)
            n_done += d
            c[f"activities.required.{enum_key(r.kind)}"] += r.windows
            c[f"activities.done.{enum_key(r.kind)}"] += d
        row = BranchCompletion(town, uuid, name, required, n_done, held_counts.get(uuid, 0))
        branches.append(row)
        c["activities.branches"] += 1
        c["activities.required"] += required
        c["activities.done"] += n_done
        c["activities.below_target"] += row.below_target
        c["activities.no_meetings"] += row.held == 0
    return branches, counts


def completion_drill(session: Session, ctx: Ctx, key: str) -> list[str] | None:
    """The records behind a completion figure, or None if ``key`` is not one of them."""
    ranges = due_ranges(ctx)
    parts = key.split(".")
    if key == "activities.branches":
        return [b for _t, b, _n in _unit_branches(session, ctx)]
    if parts[:2] == ["activities", "required"]:
        wanted = [r for r in ranges if len(parts) == 2 or enum_key(r.kind) == parts[2]]
        return [b for _t, b, _n in _unit_branches(session, ctx)] if wanted else []
    if parts[:2] == ["activities", "done"]:
        wanted = [r for r in ranges if len(parts) == 2 or enum_key(r.kind) == parts[2]]
        if not wanted:
            return []
        stmt = _activity_scope(select(A.uuid), ctx).where(_in_due_windows(wanted))
        return list(session.scalars(stmt.order_by(A.held_on)))
    if key in ("activities.below_target", "activities.no_meetings"):
        branches, _ = completion(session, ctx)
        test = (lambda b: b.below_target) if key == "activities.below_target" else (lambda b: b.held == 0)
        return [b.branch_uuid for b in branches if test(b)]
    return None


def branch_activities(session: Session, ctx: Ctx, branch_uuid: str) -> list[str]:
    stmt = select(A.uuid).join(B, B.uuid == A.branch_uuid).where(
        A.deleted.is_(False), B.deleted.is_(False), A.branch_uuid == branch_uuid, in_period(A.held_on, ctx))
    return list(session.scalars(stmt.order_by(A.held_on)))


# ---- 代办事项 ----------------------------------------------------------------------------

def overdue_expr(ctx: Ctx):
    """``ServiceRequest.is_overdue(ctx.ref)`` in SQL."""
    due, done = text(SR.due_on), text(SR.completed_on)
    closed = SR.status == RequestStatus.CLOSED
    return and_(due.isnot(None), SR.status != RequestStatus.RETURNED,
                or_(and_(closed, done.isnot(None), done > due), and_(~closed, due < ctx.ref_iso)))


def _closed_dated():
    return and_(SR.status == RequestStatus.CLOSED, SR.completed_on.isnot(None))


def _sat(*values: Satisfaction):
    return lambda ctx: flag(SR.satisfaction.in_(values))


# Grouped by category and channel only; everything else is a 0/1 flag summed per group (a
# cheaper GROUP BY than one over every dimension), and a flag's records are its drill-down.
REQUESTS = Tally(
    "service_requests", R.ServiceRequest, SR,
    base=lambda ctx: in_period(SR.received_on, ctx),
    dims={"category": lambda ctx: SR.category, "channel": lambda ctx: SR.channel},
    sums={
        "closed": lambda ctx: flag(SR.status == RequestStatus.CLOSED),
        "returned": lambda ctx: flag(SR.status == RequestStatus.RETURNED),
        "open": lambda ctx: flag(SR.status.notin_([RequestStatus.CLOSED, RequestStatus.RETURNED])),
        "overdue": lambda ctx: flag(overdue_expr(ctx)),
        "rated": _sat(*Satisfaction),
        **{f"sat_{enum_key(s)}": _sat(s) for s in Satisfaction},
        "pleased": _sat(Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED),
        "days": lambda ctx: case((_closed_dated(), cast(func.julianday(text(SR.completed_on))
                                                           - func.julianday(text(SR.received_on)), Integer)),
                                 else_=0),
        "dated": lambda ctx: flag(_closed_dated()),
    },
)


def _request_items() -> list[Item]:
    main = [
        Count("requests.received", "期内受理代办事项", "件", REQUESTS, note="受理日期在统计期间内的事项"),
        Count("requests.closed", "已办结", "件", REQUESTS, measure="closed"),
        Count("requests.returned", "已退回", "件", REQUESTS, measure="returned"),
        Count("requests.open", "在办", "件", REQUESTS, measure="open", note="既未办结也未退回（已受理、办理中）"),
        Count("requests.overdue", "逾期", "件", REQUESTS, measure="overdue",
              note="截至统计截止日超过办结时限仍未办结，或办结日期晚于时限；在时限当日办结的不算逾期"),
        share("requests.closed_share", "办结率", "requests.closed", "requests.received"),
        share("requests.overdue_share", "逾期率", "requests.overdue", "requests.received"),
        Count("requests.days_total", "办结天数合计", "天", REQUESTS, measure="days", hidden=True),
        Count("requests.days_count", "有办结日期的办结事项", "件", REQUESTS, measure="dated"),
        average("requests.mean_days", "平均办结天数", "requests.days_total", "requests.days_count", "天",
                note="办结日期减受理日期"),
        Count("requests.rated", "已评价", "件", REQUESTS, measure="rated"),
        *(Count(f"requests.satisfaction.{enum_key(s)}", s.value, "件", REQUESTS, measure=f"sat_{enum_key(s)}")
          for s in Satisfaction),
        *(share(f"requests.satisfaction.{enum_key(s)}_share", f"{s.value}占比",
                f"requests.satisfaction.{enum_key(s)}", "requests.rated") for s in Satisfaction),
        Count("requests.pleased", "满意和基本满意", "件", REQUESTS, measure="pleased"),
        share("requests.satisfaction_rate", "满意率", "requests.pleased", "requests.rated",
              note="（满意 + 基本满意）÷ 已评价"),
    ]
    by: list[Item] = []
    for dim, enum in (("category", RequestCategory), ("channel", Channel)):
        for value in enum:
            prefix, match = f"requests.{dim}.{enum_key(value)}", {dim: one(value)}
            by += [
                Count(f"{prefix}.received", f"{value.value}：受理", "件", REQUESTS, match),
                Count(f"{prefix}.closed", f"{value.value}：办结", "件", REQUESTS, match, measure="closed"),
                Count(f"{prefix}.overdue", f"{value.value}：逾期", "件", REQUESTS, match, measure="overdue"),
            ]
    return section("为民服务代理", main) + section("代办事项分类", by)


def requests_by_month(session: Session, ctx: Ctx) -> dict[str, dict[str, dict[str, int]]]:
    """Requests received per month by status: township code ("" for all) → month → status key
    (``received``, ``in_progress``, ``closed``, ``returned``) or ``total`` → number."""
    month = func.substr(text(SR.received_on), 1, 7)
    stmt = select(SR.township_code, month, SR.status, func.count()).where(
        SR.deleted.is_(False), in_period(SR.received_on, ctx))
    if ctx.township is not None:
        stmt = stmt.where(SR.township_code == ctx.township)
    out: dict[str, dict[str, dict[str, int]]] = {}
    for town, m, status, n in session.execute(stmt.group_by(SR.township_code, month, SR.status)):
        key = enum_key(status) if isinstance(status, RequestStatus) else "other"
        for unit in (town, ""):
            bucket = out.setdefault(unit, {}).setdefault(m, {"total": 0})
            bucket["total"] += n
            bucket[key] = bucket.get(key, 0) + n
    return {u: dict(sorted(months.items())) for u, months in out.items()}


def month_status_drill(session: Session, ctx: Ctx, month: str, status: str) -> list[str]:
    stmt = select(SR.uuid).where(SR.deleted.is_(False), in_period(SR.received_on, ctx),
                                 func.substr(text(SR.received_on), 1, 7) == month)
    if ctx.township is not None:
        stmt = stmt.where(SR.township_code == ctx.township)
    if status != "total":
        wanted = [s for s in RequestStatus if enum_key(s) == status]
        stmt = stmt.where(SR.status.in_(wanted) if wanted else SR.status.notin_(list(RequestStatus)))
    return list(session.scalars(stmt.order_by(SR.received_on, SR.serial)))


def items() -> list[Item]:
    return _activity_items() + _request_items()
