"""Figures of the organisation: villages, 党组织, 村党组织书记, 驻村第一书记, 集体经济 and
cooperatives — the tallies that count them and the figures read from those tallies.

A *village-level* organisation is a 党总支, or a 党支部/联合党支部 that belongs to a village and
does not sit under a 党总支 (a 党总支's sub-branches are not village-level); its secretary is
the 村党组织书记 counted here when that member is on record and has not left.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import aliased

from ..domain import records as R
from ..domain.enums import OrgKind, RectificationStatus, VillageCategory, VillageKind
from ..domain.statistics import HIGH_SCHOOL_OR_ABOVE, enum_key, reaches_threshold
from ..storage import models as M
from .statistics_sql import (
    YES, Count, Ctx, Item, Tally, age_expr, average, flag, one, section, share, text, youth_expr,
)

V, B, Mem = M.VillageRow, M.BranchRow, M.MemberRow
BASIC_KINDS = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.JOINT_BRANCH)  # below a 党委


def village_level(branch: type[M.BranchRow] = B):
    parent = aliased(B)
    under_general = exists().where(parent.uuid == branch.parent_uuid, parent.kind == OrgKind.GENERAL_BRANCH)
    return and_(branch.village_uuid.isnot(None), branch.kind.in_(BASIC_KINDS),
                or_(branch.kind == OrgKind.GENERAL_BRANCH, not_(under_general)))


def _active_secretary(branch: type[M.BranchRow] = B):
    return exists().where(Mem.uuid == branch.secretary_uuid, Mem.deleted.is_(False), Mem.leave_kind.is_(None))


def _first_secretary_in_post(ctx: Ctx):
    start, end = text(V.first_secretary_start), text(V.first_secretary_end)
    return and_(V.first_secretary_name != "", start.isnot(None), start <= ctx.ref_iso,
                or_(end.is_(None), end >= ctx.ref_iso))


def _income(ctx: Ctx):
    return (select(M.VillageIncomeRow.amount)
            .where(M.VillageIncomeRow.village_uuid == V.uuid, M.VillageIncomeRow.year == ctx.income_year)
            .scalar_subquery())


_C = M.CooperativeRow
# per village: cooperatives led by the branch, and whether the secretary heads one
COOPS = (select(_C.village_uuid, func.sum(flag(_C.led_by_branch.is_(True))).label("led"),
                func.max(flag(_C.headed_by_secretary.is_(True))).label("heads"))
         .group_by(_C.village_uuid).subquery("coops"))
GRIDS = (select(M.GridGroupRow.village_uuid, func.count().label("n"))
         .group_by(M.GridGroupRow.village_uuid).subquery("grids"))


def _join_village_parts(stmt):
    return (stmt.outerjoin(COOPS, COOPS.c.village_uuid == V.uuid)
            .outerjoin(GRIDS, GRIDS.c.village_uuid == V.uuid))


VILLAGES = Tally(
    "villages", R.Village, V, base=lambda ctx: None, join=_join_village_parts,
    dims={
        "kind": lambda ctx: V.kind,
        "category": lambda ctx: V.category,
        "in_post": lambda ctx: flag(_first_secretary_in_post(ctx)),
        "leads_coop": lambda ctx: flag(func.coalesce(COOPS.c.led, 0) > 0),
        "secretary_heads": lambda ctx: flag(func.coalesce(COOPS.c.heads, 0) > 0),
        "income": _income,
    },
    sums={
        "team": lambda ctx: flag(_first_secretary_in_post(ctx)) * V.work_team_size,
        "coops_led": lambda ctx: func.coalesce(COOPS.c.led, 0),
        "grid_groups": lambda ctx: func.coalesce(GRIDS.c.n, 0),
    },
)

BRANCHES = Tally(
    "branches", R.Branch, B, base=lambda ctx: None,
    dims={
        "kind": lambda ctx: B.kind,
        "standardized": lambda ctx: B.standardized,
        "weak_this_year": lambda ctx: flag(B.weak_year == ctx.period.year_number),
        "rectification": lambda ctx: B.rectification_status,
        "village_level": lambda ctx: flag(village_level()),
        "has_secretary": lambda ctx: flag(_active_secretary()),
    },
)


def _join_secretary_branch(stmt):
    return stmt.join(B, B.secretary_uuid == Mem.uuid)


SECRETARIES = Tally(
    "secretaries", R.Member, Mem,
    base=lambda ctx: and_(B.deleted.is_(False), village_level(), Mem.leave_kind.is_(None)),
    join=_join_secretary_branch,
    dims={
        "youth": lambda ctx: youth_expr(Mem.birth_date, ctx.ref),
        "hs_plus": lambda ctx: flag(Mem.education.in_(HIGH_SCHOOL_OR_ABOVE)),
        "education_known": lambda ctx: flag(Mem.education.isnot(None)),
        "full_time": lambda ctx: B.secretary_full_time,
        "xds": lambda ctx: B.secretary_is_xds,
    },
    sums={"age": lambda ctx: func.coalesce(age_expr(Mem.birth_date, ctx.ref), 0)},
)

TRUE = one(True)
KNOWN_AGE = {"youth": one(0, 1)}


def _org_items() -> list[Item]:
    villages = [
        Count("villages.total", "村（社区）", "个", VILLAGES),
        *(Count(f"villages.kind.{enum_key(k)}", k.value, "个", VILLAGES, {"kind": one(k)}) for k in VillageKind),
    ]
    branches = [
        Count("branches.total", "党组织", "个", BRANCHES, note="党委、党总支、党支部、联合党支部合计"),
        *(Count(f"branches.kind.{enum_key(k)}", k.value, "个", BRANCHES, {"kind": one(k)}) for k in OrgKind),
        Count("branches.standard_scope", "应开展标准化建设的党组织", "个", BRANCHES, {"kind": one(*BASIC_KINDS)},
              note="党总支、党支部、联合党支部"),
        Count("branches.standardized", "标准化达标党组织", "个", BRANCHES,
              {"kind": one(*BASIC_KINDS), "standardized": TRUE}),
        Count("branches.standard_unchecked", "尚未评定标准化的党组织", "个", BRANCHES,
              {"kind": one(*BASIC_KINDS), "standardized": one(None)}),
        share("branches.standardized_share", "标准化达标率", "branches.standardized", "branches.standard_scope"),
        Count("branches.weak_listed", "本年度列为软弱涣散的党组织", "个", BRANCHES, {"weak_this_year": YES},
              note="软弱涣散年度等于统计期间所在年度"),
        Count("branches.weak_rectified", "其中已整顿销号", "个", BRANCHES,
              {"weak_this_year": YES, "rectification": one(RectificationStatus.DONE)}),
        Count("branches.weak_open", "正在整顿的软弱涣散党组织", "个", BRANCHES,
              {"rectification": one(RectificationStatus.IN_PROGRESS)}, note="不论列入年度"),
    ]
    return section("组织设置", villages + branches)


def _secretary_items() -> list[Item]:
    return section("村党组织书记", [
        Count("secretaries.total", "村党组织书记", "人", SECRETARIES,
              note="村级党组织（村党支部、村党总支）的书记，已离开的党员不计"),
        Count("secretaries.vacant", "书记空缺的村级党组织", "个", BRANCHES,
              {"village_level": YES, "has_secretary": one(0)}),
        Count("secretaries.age_known", "出生日期已知的书记", "人", SECRETARIES, KNOWN_AGE),
        Count("secretaries.age_sum", "书记年龄合计", "岁", SECRETARIES, KNOWN_AGE, measure="age", hidden=True),
        average("secretaries.mean_age", "书记平均年龄", "secretaries.age_sum", "secretaries.age_known", "岁",
                note="按统计截止日计算周岁；出生日期不详的不计入"),
        Count("secretaries.youth", "35岁及以下的书记", "人", SECRETARIES, {"youth": YES}),
        share("secretaries.youth_share", "35岁及以下占比", "secretaries.youth", "secretaries.age_known",
              note="分母为出生日期已知的书记"),
        Count("secretaries.education_known", "学历已知的书记", "人", SECRETARIES, {"education_known": YES}),
        Count("secretaries.hs_plus", "高中及以上学历的书记", "人", SECRETARIES, {"hs_plus": YES},
              note="高中、中专、大专、本科、研究生"),
        share("secretaries.hs_plus_share", "高中及以上学历占比", "secretaries.hs_plus", "secretaries.education_known",
              note="分母为学历已知的书记"),
        Count("secretaries.full_time", "专职化村党组织书记", "人", SECRETARIES, {"full_time": TRUE}),
        Count("secretaries.xds", "选调生任村党组织书记", "人", SECRETARIES, {"xds": TRUE}),
    ])


def _village_items() -> list[Item]:
    first = section("驻村第一书记", [
        Count("first_secretaries.total", "在岗驻村第一书记", "人", VILLAGES, {"in_post": YES},
              note="统计截止日在任期内"),
        *(Count(f"first_secretaries.category.{enum_key(c)}", f"其中{c.value}", "人", VILLAGES,
                {"in_post": YES, "category": one(c)}) for c in VillageCategory),
        Count("first_secretaries.team", "驻村工作队员", "人", VILLAGES, {"in_post": YES}, measure="team"),
    ])

    def has_income(value, ctx: Ctx) -> bool:
        return value is not None

    def reached(value, ctx: Ctx) -> bool:
        return reaches_threshold(value, ctx.threshold)

    economy = section("集体经济与合作社", [
        Count("income.reported", "已填报集体经济收入的村", "个", VILLAGES, {"income": has_income},
              note="收入年度为统计截止日前最近一个完整年度"),
        Count("income.reached", "集体经济收入达到标准的村", "个", VILLAGES, {"income": reached},
              note="收入不低于单位设置中的标准（默认 5 万元）"),
        share("income.reached_share", "达标村占比", "income.reached", "villages.total"),
        Count("cooperatives.led", "党支部领办合作社", "个", VILLAGES, measure="coops_led"),
        Count("villages.leading_coops", "领办合作社的村党组织", "个", VILLAGES, {"leads_coop": YES}),
        Count("villages.secretary_heads_coop", "书记任合作社负责人的村", "个", VILLAGES, {"secretary_heads": YES}),
    ])
    grid = section("网格治理", [Count("grid.groups", "网格党小组", "个", VILLAGES, measure="grid_groups")])
    return first + economy + grid


def items() -> list[Item]:
    return _org_items() + _secretary_items() + _village_items()
