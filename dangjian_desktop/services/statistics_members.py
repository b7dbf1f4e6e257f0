"""Figures of people: 党员 (stock, profile and flows), the 发展党员 pipeline, 网格 membership and
后备干部 — the tallies that count them and the figures read from those tallies.

*Members* are people at the 预备党员 or 正式党员 stage who have not left (no 离开类型); the
earlier stages are people being recruited. Stock figures describe the records as they stand;
flows count the dates that fall in the period (up to the reference date).
"""

from __future__ import annotations

from sqlalchemy import and_, or_

from ..domain import records as R
from ..domain.enums import Education, LeaveKind, ReserveSource, ReserveStatus, Stage
from ..domain.statistics import AGE_BANDS, HIGH_SCHOOL_OR_ABOVE, enum_key
from ..storage import models as M
from .statistics_sql import (
    YES, Count, Item, Tally, age_band_expr, flag, in_period, one, section, text,
)

Mem, RC = M.MemberRow, M.ReserveCadreRow
MEMBER_STAGES = one(Stage.PROBATIONARY, Stage.FULL)
STAGE_COLUMNS = {Stage.APPLICANT: Mem.applied_on, Stage.ACTIVIST: Mem.activist_on,
                 Stage.CANDIDATE: Mem.candidate_on, Stage.PROBATIONARY: Mem.probation_on,
                 Stage.FULL: Mem.full_on}

STOCK = Tally(
    "members", R.Member, Mem, base=lambda ctx: None,
    dims={
        "stage": lambda ctx: Mem.stage,
        "active": lambda ctx: flag(Mem.leave_kind.is_(None)),
        "floating": lambda ctx: Mem.floating,
        "in_grid": lambda ctx: flag(Mem.grid_group_uuid.isnot(None)),
    },
    sums={"households": lambda ctx: Mem.households_linked},
)

PROFILE = Tally(
    "member_profile", R.Member, Mem,
    base=lambda ctx: and_(Mem.leave_kind.is_(None), Mem.stage.in_(MEMBER_STAGES)),
    dims={
        "band": lambda ctx: age_band_expr(Mem.birth_date, ctx.ref),
        "education": lambda ctx: Mem.education,
    },
)


def _entered(stage: Stage):
    return lambda ctx: flag(in_period(STAGE_COLUMNS[stage], ctx))


def _any_date_since_start(ctx):
    """Only rows with a stage or leaving date from the period's start on can count (a cheap
    pre-filter that keeps the GROUP BY small)."""
    start = ctx.period.start.isoformat()[:7]
    return or_(*(text(col) >= start for col in (*STAGE_COLUMNS.values(), Mem.leave_on)))


FLOWS = Tally(
    "member_flows", R.Member, Mem, base=_any_date_since_start,
    dims={
        **{f"entered_{enum_key(s)}": _entered(s) for s in Stage},
        "left": lambda ctx: flag(and_(Mem.leave_kind.isnot(None), in_period(Mem.leave_on, ctx))),
        "leave_kind": lambda ctx: Mem.leave_kind,
    },
)

RESERVES = Tally(
    "reserve_cadres", R.ReserveCadre, RC, base=lambda ctx: None,
    dims={
        "source": lambda ctx: RC.source,
        "status": lambda ctx: RC.status,
        "recruited": lambda ctx: flag(in_period(RC.entered_on, ctx)),
        "promoted": lambda ctx: flag(and_(RC.status == ReserveStatus.PROMOTED, in_period(RC.status_on, ctx))),
        "trained": lambda ctx: flag(RC.training_count > 0),
    },
    sums={"trainings": lambda ctx: RC.training_count},
)

ACTIVE = {"active": YES}
MEMBERS = {"active": YES, "stage": MEMBER_STAGES}


def _member_items() -> list[Item]:
    stock = [
        Count("members.total", "党员", "人", STOCK, MEMBERS,
              note="预备党员和正式党员，已离开（转出、死亡、出党）的不计"),
        Count("members.full", "正式党员", "人", STOCK, {**ACTIVE, "stage": one(Stage.FULL)}),
        Count("members.probationary", "预备党员", "人", STOCK, {**ACTIVE, "stage": one(Stage.PROBATIONARY)}),
        Count("members.floating", "流动党员", "人", STOCK, {**MEMBERS, "floating": one(True)}),
        Count("members.recruited", "期内发展党员", "人", FLOWS, {"entered_probationary": YES},
              note="入党时间（接收为预备党员）在统计期间内"),
        Count("members.left", "期内减少党员", "人", FLOWS, {"left": YES}, note="离开时间在统计期间内"),
        *(Count(f"members.left.{enum_key(k)}", f"其中{k.value}", "人", FLOWS, {"left": YES, "leave_kind": one(k)})
          for k in LeaveKind),
    ]
    profile = [
        *(Count(f"members.age.{b.key}", b.label, "人", PROFILE, {"band": one(b.key)}) for b in AGE_BANDS),
        Count("members.age.unknown", "出生日期不详", "人", PROFILE, {"band": one(None)}),
        *(Count(f"members.education.{enum_key(e)}", e.value, "人", PROFILE, {"education": one(e)}) for e in Education),
        Count("members.education.unknown", "学历不详", "人", PROFILE, {"education": one(None)}),
        Count("members.hs_plus", "高中及以上学历党员", "人", PROFILE, {"education": one(*HIGH_SCHOOL_OR_ABOVE)}),
    ]
    pipeline = [
        *(Count(f"pipeline.{enum_key(s)}", s.value, "人", STOCK, {**ACTIVE, "stage": one(s)},
                note="当前处于该阶段且未离开的人数") for s in Stage),
        *(Count(f"pipeline.entered.{enum_key(s)}", label, "人", FLOWS, {f"entered_{enum_key(s)}": YES})
          for s, label in ((Stage.APPLICANT, "期内递交入党申请"), (Stage.ACTIVIST, "期内确定为入党积极分子"),
                           (Stage.CANDIDATE, "期内确定为发展对象"), (Stage.FULL, "期内预备党员转正"))),
    ]
    grid = [
        Count("grid.members", "纳入网格的党员", "人", STOCK, {**MEMBERS, "in_grid": YES}),
        Count("grid.households", "党员联系户", "户", STOCK, {**MEMBERS, "in_grid": YES}, measure="households"),
    ]
    return (section("党员队伍", stock) + section("党员年龄与学历", profile)
            + section("发展党员", pipeline) + section("网格治理", grid))


def _reserve_items() -> list[Item]:
    return section("后备干部", [
        Count("reserve.total", "后备干部", "人", RESERVES, note="含已进入两委和已调出的"),
        *(Count(f"reserve.status.{enum_key(s)}", s.value, "人", RESERVES, {"status": one(s)}) for s in ReserveStatus),
        *(Count(f"reserve.source.{enum_key(s)}", f"来源：{s.value}", "人", RESERVES, {"source": one(s)})
          for s in ReserveSource),
        Count("reserve.recruited", "期内新纳入后备干部", "人", RESERVES, {"recruited": YES},
              note="纳入时间在统计期间内"),
        *(Count(f"reserve.recruited.{enum_key(s)}", f"期内新纳入：{s.value}", "人", RESERVES,
                {"recruited": YES, "source": one(s)}) for s in ReserveSource),
        Count("reserve.promoted", "期内进入村两委", "人", RESERVES, {"promoted": YES},
              note="状态为已进入两委且状态变化时间在统计期间内"),
        Count("reserve.trained", "参加过培训的后备干部", "人", RESERVES, {"trained": YES}),
        Count("reserve.training_sessions", "参加培训人次", "人次", RESERVES, measure="trainings",
              note="各人“参加培训次数”之和（累计）"),
    ])


def items() -> list[Item]:
    return _member_items() + _reserve_items()
