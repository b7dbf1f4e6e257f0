"""The builders behind ``demo_data`` for the township's structure: villages, branches, people.

Each ``make_*`` function draws from the township's ``Context`` (random source, UUIDs, 身份证号,
timestamps) in a fixed order, which is what makes the demo deterministic. Weighted choices
use precomputed cumulative weights so that per-record work stays cheap at district scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING

from ..domain.dates import PartialDate, add_years
from ..domain.enums import (
    Education, Evaluation, Gender, LeaveKind, MemberCategory, OrgKind, RectificationStatus, Stage,
    VillageCategory, VillageKind,
)
from ..domain.records import Branch, Cooperative, GridGroup, Member, Village
from . import demo_names as N

if TYPE_CHECKING:
    from .demo_data import Context

DAY = timedelta(days=1)
YEAR_DAYS = 365.25
CN_NUMBERS = "一二三四五六七八九十"


class Weighted:
    """A fixed list of values with weights, drawn with ``rng.choices`` on cumulative weights."""

    def __init__(self, pairs: dict) -> None:
        self.values = list(pairs)
        self.cum = list(accumulate(pairs.values()))

    def __call__(self, rng) -> object:
        return rng.choices(self.values, cum_weights=self.cum)[0]


def money(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


def mobile(rng) -> str:
    return rng.choice(N.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


@dataclass
class Plan:
    """A village and what the builders need to know about it beyond the ``Village`` record."""

    village: Village
    weight: float  # relative number of members, requests, reserve cadres
    hamlets: int  # 村民小组, for addresses
    sub_branches: int  # 0: the village has a 党支部; 2–3: a 党总支 with that many 党支部
    secretary_name: str = ""
    cadre_names: tuple[str, ...] = ()  # 村干部 members: the AB岗 clerks of service requests
    candidates: list[Member] = field(default_factory=list)  # members a 后备干部 may be


# ---- villages and branches -----------------------------------------------------------------

VILLAGE_CATEGORY = Weighted({VillageCategory.ORDINARY: 55, VillageCategory.LIFTED: 20,
                             VillageCategory.KEY_SUPPORT: 10, VillageCategory.WEAK_ECONOMY: 15})


def make_villages(ctx: Context, n: int, members: int) -> list[Plan]:
    rng, today = ctx.rng, ctx.today
    n_comm = 0 if n < 5 else (1 if n < 15 else 2)
    stem = ctx.name[:-1] if len(ctx.name) > 2 else ctx.name
    names = [f"{stem}社区"] + [f"{c}社区" for c in rng.sample(N.COMMUNITY_NAMES, 1)]
    names = names[:n_comm]
    taken = set(names)
    while len(names) < n:
        name = rng.choice(N.VILLAGE_PREFIXES) + rng.choice(N.VILLAGE_SUFFIXES) + "村"
        if name not in taken:
            taken.add(name)
            names.append(name)
    weights = [rng.uniform(0.5, 1.6) for _ in range(n)]
    big = sorted(range(n), key=weights.__getitem__, reverse=True)
    n_general = min(rng.choice((2, 3)), n // 5) if members >= 40 * n else 0
    for i in big[:n_general]:
        weights[i] *= 1.8
    plans = []
    for i, name in enumerate(names):
        community = i < n_comm
        code = ctx.code[:9] + (f"{i + 1:03d}" if community else f"{201 + i - n_comm:03d}")
        category = VillageCategory.ORDINARY if community else VILLAGE_CATEGORY(rng)
        base = rng.uniform(1.0, 4.6) if category is VillageCategory.WEAK_ECONOMY else rng.lognormvariate(2.3, 0.6)
        incomes = {}
        for year in range(today.year - 3, today.year):
            incomes[year] = money(base)
            base *= rng.uniform(0.95, 1.18)
        n_grids = rng.randint(4, 6) if community else rng.randint(2, 6)
        grids = [GridGroup(uuid=ctx.uuid(), name=f"第{CN_NUMBERS[g]}网格党小组") for g in range(n_grids)]
        short = name.removesuffix("村").removesuffix("社区")
        coops = [
            Cooperative(uuid=ctx.uuid(), name=f"{short}{kind}", led_by_branch=(led := rng.random() < 0.5),
                        headed_by_secretary=led and rng.random() < 0.5)
            for kind in rng.sample(N.COOPERATIVE_KINDS, rng.choices((0, 1, 2, 3), (3, 4, 3, 1))[0])
        ]
        village = Village(
            **ctx.base(), code=code, name=name,
            kind=VillageKind.COMMUNITY if community else VillageKind.VILLAGE, category=category,
            service_center_area=Decimal(rng.randrange(200, 1201, 5)), incomes=incomes,
            grid_groups=grids, cooperatives=coops,
        )
        plans.append(Plan(village, weights[i], rng.randint(max(3, n_grids), 15), 0))
    for i in big[:n_general]:
        plans[i].sub_branches = rng.choice((2, 3))
    _first_secretaries(ctx, plans)
    return plans


def _first_secretaries(ctx: Context, plans: list[Plan]) -> None:
    """About a third of the villages, the supported ones first, have a 驻村第一书记."""
    rng, today = ctx.rng, ctx.today
    priority = {VillageCategory.KEY_SUPPORT: 0, VillageCategory.LIFTED: 1, VillageCategory.WEAK_ECONOMY: 2}
    order = sorted(plans, key=lambda p: (priority.get(p.village.category, 3), rng.random()))
    for plan in order[: round(len(plans) / 3)]:
        v = plan.village
        v.first_secretary_name = N.person_name(rng, rng.random() < 0.75)
        v.first_secretary_unit = rng.choice(N.SENDING_UNITS)
        v.first_secretary_start = today - timedelta(days=rng.randint(45, 700))
        v.first_secretary_end = add_years(v.first_secretary_start, 2)
        v.work_team_size = rng.randint(1, 3)


def _election_day(ctx: Context) -> date:
    """The last 村两委换届 (2021, then every five years), on a day between January and May."""
    rng, today = ctx.rng, ctx.today
    year = today.year - (today.year - 2021) % 5
    day = date(year, 1, 10) + timedelta(days=rng.randint(0, 140))
    return day if day <= today else add_years(day, -5)


def make_branches(ctx: Context, plans: list[Plan]) -> tuple[Branch, dict[str, Branch], list[tuple[Branch, Plan]]]:
    """The township 党委, each village's 党支部/党总支 and the 党支部 that hold members (leaves)."""
    rng, code = ctx.rng, ctx.code
    committee = Branch(
        **ctx.base(), code=code[:9], name=f"中共{ctx.name}委员会", kind=OrgKind.COMMITTEE,
        founded_on=PartialDate.month(rng.randint(1950, 1958), rng.randint(1, 12)),
        last_election_on=_election_day(ctx) + timedelta(days=200), standardized=True,
    )
    if committee.last_election_on > ctx.today:
        committee.last_election_on = add_years(committee.last_election_on, -5)
    orgs: dict[str, Branch] = {}
    leaves: list[tuple[Branch, Plan]] = []
    subs: list[tuple[Branch, Plan]] = []
    for plan in plans:
        v = plan.village
        general = plan.sub_branches > 0
        org = Branch(
            **ctx.base(), code=v.code, name=f"中共{v.name}{'总支部' if general else '支部'}委员会",
            kind=OrgKind.GENERAL_BRANCH if general else OrgKind.BRANCH, parent_uuid=committee.uuid,
            village_uuid=v.uuid, secretary_full_time=rng.random() < 0.3,
            founded_on=PartialDate.month(rng.randint(1950, 1990), rng.randint(1, 12)),
            last_election_on=_election_day(ctx), standardized=rng.random() < 0.9,
        )
        orgs[v.uuid] = org
        if not general:
            leaves.append((org, plan))
        for k in range(plan.sub_branches):
            sub = Branch(
                **ctx.base(), code=f"{v.code}{k + 1:02d}", name=f"中共{v.name}第{CN_NUMBERS[k]}支部委员会",
                parent_uuid=org.uuid, village_uuid=v.uuid, last_election_on=org.last_election_on,
                founded_on=PartialDate.day(rng.randint(2000, 2020), rng.randint(1, 12), rng.randint(1, 28)),
                standardized=rng.random() < 0.9,
            )
            subs.append((sub, plan))
    leaves.extend(subs)
    village_level = [o for o in orgs.values() if o.kind is OrgKind.BRANCH]
    weak = rng.sample(village_level, min(len(village_level), rng.choice((1, 2)))) if len(village_level) > 3 else []
    for org in weak:
        org.weak_year = ctx.today.year - rng.randint(0, 1)
        done = org.weak_year < ctx.today.year and rng.random() < 0.6
        org.rectification_status = RectificationStatus.DONE if done else RectificationStatus.IN_PROGRESS
        org.rectification_plan = rng.choice(N.RECTIFICATION_PLANS)
        org.standardized = done
    others = [o for o in orgs.values() if all(o is not w for w in weak)]
    for org in rng.sample(others, min(len(others), rng.choice((1, 2)))):
        org.secretary_is_xds = True
    return committee, orgs, leaves


# ---- people --------------------------------------------------------------------------------

STAGE = Weighted({Stage.APPLICANT: 2.5, Stage.ACTIVIST: 2.5, Stage.CANDIDATE: 1.5,
                  Stage.PROBATIONARY: 5, Stage.FULL: 88.5})
E = Education
EDUCATION_BY_BIRTH = (  # (born before this year, distribution)
    (1955, Weighted({E.PRIMARY: 45, E.JUNIOR: 40, E.HIGH_SCHOOL: 12, E.SECONDARY_VOCATIONAL: 3})),
    (1970, Weighted({E.PRIMARY: 15, E.JUNIOR: 50, E.HIGH_SCHOOL: 25, E.SECONDARY_VOCATIONAL: 6, E.COLLEGE: 4})),
    (1985, Weighted({E.PRIMARY: 5, E.JUNIOR: 40, E.HIGH_SCHOOL: 28, E.SECONDARY_VOCATIONAL: 10,
                     E.COLLEGE: 12, E.BACHELOR: 5})),
    (9999, Weighted({E.JUNIOR: 15, E.HIGH_SCHOOL: 20, E.SECONDARY_VOCATIONAL: 12, E.COLLEGE: 28,
                     E.BACHELOR: 23, E.POSTGRADUATE: 2})),
)
SECRETARY_EDUCATION = Weighted({E.JUNIOR: 10, E.HIGH_SCHOOL: 30, E.SECONDARY_VOCATIONAL: 15,
                                E.COLLEGE: 30, E.BACHELOR: 15})
XDS_EDUCATION = Weighted({E.BACHELOR: 80, E.POSTGRADUATE: 20})
GRADUATE_EDUCATION = Weighted({E.COLLEGE: 35, E.BACHELOR: 60, E.POSTGRADUATE: 5})
C = MemberCategory
CATEGORY_OLD = Weighted({C.RETIRED: 30, C.FARMER: 65, C.OTHER: 5})
CATEGORY_YOUNG = Weighted({C.STUDENT: 40, C.MIGRANT_WORKER: 30, C.FARMER: 10, C.OTHER: 20})
CATEGORY_MID = Weighted({C.FARMER: 45, C.MIGRANT_WORKER: 22, C.SELF_EMPLOYED: 15, C.VILLAGE_CADRE: 5, C.OTHER: 13})
DUES = {c: [Decimal(x) for x in xs.split()] for c, xs in {
    C.FARMER: "0.20 0.20 0.20 0.50 1.00", C.MIGRANT_WORKER: "0.20 0.50 1.00 2.00",
    C.STUDENT: "0.20", C.OTHER: "0.20 0.50 1.00", C.RETIRED: "0.50 1.00 1.50 2.00 3.00",
    C.SELF_EMPLOYED: "1.00 2.00 3.00 5.00", C.VILLAGE_CADRE: "2.00 2.50 3.00 4.00 5.00",
}.items()}
EVALUATION = Weighted({Evaluation.EXCELLENT: 12, Evaluation.QUALIFIED: 84,
                       Evaluation.BASICALLY_QUALIFIED: 3.5, Evaluation.UNQUALIFIED: 0.5})
HOUSEHOLDS = Weighted({0: 4, 1: 3, 2: 6, 3: 10, 4: 12, 5: 14, 6: 12, 7: 9, 8: 7, 9: 4, 10: 4})


def education_for(rng, birth: date) -> Education:
    for before, dist in EDUCATION_BY_BIRTH:
        if birth.year < before:
            return dist(rng)
    raise AssertionError


def _timeline(ctx: Context, stage: Stage, age: float) -> tuple[date, list[date]]:
    """A birth date and the stage dates up to ``stage``, in order, none after today."""
    rng, today = ctx.rng, ctx.today
    d = lambda lo, hi: timedelta(days=rng.randint(lo, hi))  # noqa: E731
    if stage is Stage.FULL:
        birth = today - timedelta(days=int(age * YEAR_DAYS))
        earliest = add_years(birth, 18) + 40 * DAY
        room = (today - timedelta(days=1600) - earliest).days
        applied = earliest + timedelta(days=min(room, int(rng.expovariate(1 / (9 * YEAR_DAYS)))))
        activist = applied + d(90, 400)
        candidate = activist + d(370, 600)
        probation = candidate + d(60, 200)
        return birth, [applied, activist, candidate, probation, add_years(probation, 1) + d(0, 20)]
    if stage is Stage.PROBATIONARY:
        last = today - (d(15, 360) if rng.random() < 0.85 else d(370, 460))
        steps = ((60, 200), (370, 600), (90, 400))
    elif stage is Stage.CANDIDATE:
        last, steps = today - d(10, 300), ((370, 600), (90, 400))
    elif stage is Stage.ACTIVIST:
        last, steps = today - d(10, 700), ((90, 400),)
    else:
        last, steps = today - d(5, 360), ()
    dates = [last]
    for lo, hi in steps:
        dates.append(dates[-1] - d(lo, hi))
    dates.reverse()
    birth = dates[0] - timedelta(days=int(rng.triangular(18.2, 40, 24) * YEAR_DAYS))
    return birth, dates


def make_members(ctx: Context, plans: list[Plan], orgs: dict[str, Branch],
                 leaves: list[tuple[Branch, Plan]], total: int) -> tuple[list[Member], dict[str, list[Member]]]:
    """All people, branch by branch; the first of each 党支部 is its secretary."""
    rng = ctx.rng
    counts = _apportion(total, [plan.weight / max(1, plan.sub_branches) for _, plan in leaves])
    members: list[Member] = []
    by_branch: dict[str, list[Member]] = {}
    cadres: dict[str, list[str]] = {p.village.uuid: [] for p in plans}
    grid_leaders: dict[str, str] = {}
    first_sub: set[str] = set()
    for (branch, plan), count in zip(leaves, counts):
        org = orgs[plan.village.uuid]
        own = by_branch[branch.uuid] = []
        for i in range(count):
            profile = ""
            if i == 0:
                profile = "xds" if branch is org and org.secretary_is_xds else "secretary"
            elif i == 1 and org is not branch and org.uuid not in first_sub:
                profile = "xds" if org.secretary_is_xds else "secretary"
            m = _member(ctx, branch, plan, profile)
            own.append(m)
            if profile:
                target = branch if i == 0 else org
                target.secretary_uuid = m.uuid
                if target is org:
                    plan.secretary_name = m.name
                    first_sub.add(org.uuid)
            elif m.leave_kind is None and m.stage.is_member:
                if m.grid_group_uuid is not None and m.stage is Stage.FULL:
                    grid_leaders.setdefault(m.grid_group_uuid, m.name)
                if m.category is C.VILLAGE_CADRE:
                    cadres[plan.village.uuid].append(m.name)
                elif 23 * YEAR_DAYS <= (ctx.today - m.birth_date.value).days <= 50 * YEAR_DAYS:
                    plan.candidates.append(m)
        members.extend(own)
        if org.secretary_uuid is None and own:  # a 党总支 whose first 党支部 has one member
            org.secretary_uuid = own[0].uuid
            plan.secretary_name = own[0].name
    for plan in plans:
        plan.cadre_names = tuple(cadres[plan.village.uuid])
        for grid in plan.village.grid_groups:
            grid.leader = grid_leaders.get(grid.uuid) or N.person_name(rng, rng.random() < 0.7)
    return members, by_branch


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, at least 3 each where there are enough."""
    base = min(3, total // len(weights))
    rest = total - base * len(weights)
    s = sum(weights)
    shares = [rest * w / s for w in weights]
    counts = [base + int(x) for x in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _member(ctx: Context, branch: Branch, plan: Plan, profile: str) -> Member:
    rng, today = ctx.rng, ctx.today
    if profile:
        stage = Stage.FULL
        age = rng.uniform(24, 31) if profile == "xds" else rng.triangular(33, 62, 50)
        male = rng.random() < (0.6 if profile == "xds" else 0.85)
    else:
        stage = STAGE(rng)
        age = rng.triangular(23, 85.5, 57)
        male = rng.random() < (0.72 if stage is Stage.FULL else 0.55)
    birth, dates = _timeline(ctx, stage, age)
    id_number, birth = ctx.id_number(birth, male)
    age_now = (today - birth).days / YEAR_DAYS
    # 入党 before 1990: often only the month is on file; now and then for anyone
    if dates[-1].year <= 1990 and rng.random() < 0.6 or rng.random() < 0.03:
        stage_dates = [PartialDate.month(x.year, x.month) for x in dates]
    else:
        stage_dates = [PartialDate(x) for x in dates]
    is_member = stage.is_member
    if profile:
        category = C.VILLAGE_CADRE
        education = XDS_EDUCATION(rng) if profile == "xds" else SECRETARY_EDUCATION(rng)
    else:
        category = (CATEGORY_OLD if age_now >= 65 else CATEGORY_YOUNG if age_now < 25 else CATEGORY_MID)(rng)
        education = education_for(rng, birth)
    floating = is_member and category is C.MIGRANT_WORKER and rng.random() < 0.6
    hamlet = rng.randint(1, plan.hamlets)
    grids = plan.village.grid_groups
    leave_kind = leave_on = None
    reason = ""
    if stage is Stage.FULL and not profile and rng.random() < 0.034:
        start = max(stage_dates[-1].latest() + DAY, today - timedelta(days=1095))
        if start < today:
            leave_on = PartialDate(start + timedelta(days=rng.randint(0, (today - start).days - 1)))
            if age_now >= 70 and rng.random() < 0.7:
                leave_kind, reason = LeaveKind.DEATH, rng.choice(N.DEATH_REASONS)
            elif rng.random() < 0.8:
                leave_kind, reason = LeaveKind.TRANSFER_OUT, rng.choice(N.TRANSFER_REASONS)
            else:
                leave_kind, reason = LeaveKind.EXPELLED, rng.choice(N.EXPULSION_REASONS)
    in_grid = is_member and leave_kind is None and not floating and (profile or rng.random() < 0.92)
    evaluated = (stage is Stage.FULL and dates[3] < date(today.year - 1, 12, 1)
                 and (leave_on is None or leave_on.value.year == today.year) and rng.random() < 0.92)
    fields = dict(zip(("applied_on", "activist_on", "candidate_on", "probation_on", "full_on"), stage_dates))
    return Member(
        **ctx.base(), name=N.person_name(rng, male), gender=Gender.MALE if male else Gender.FEMALE,
        ethnicity="汉族" if rng.random() < 0.97 else rng.choice(N.OTHER_ETHNICITIES),
        id_number=id_number, birth_date=PartialDate(birth), education=education, stage=stage,
        branch_uuid=branch.uuid, category=category, floating=floating,
        floating_destination=rng.choice(N.FLOATING_DESTINATIONS) if floating else "",
        phone=mobile(rng) if profile or rng.random() < (0.93 if age_now < 75 else 0.5) else "",
        address=f"{plan.village.name}{hamlet}组",
        grid_group_uuid=grids[(hamlet - 1) * len(grids) // plan.hamlets].uuid if in_grid else None,
        households_linked=(rng.randint(5, 10) if profile else HOUSEHOLDS(rng)) if in_grid else 0,
        monthly_dues=rng.choice(DUES[category]) if is_member else None,
        evaluation=(Evaluation.EXCELLENT if profile and rng.random() < 0.5 else EVALUATION(rng)) if evaluated else None,
        evaluation_year=today.year - 1 if evaluated else None,
        archive_checked=rng.random() < (0.92 if is_member else 0.3),
        leave_kind=leave_kind, leave_on=leave_on, leave_reason=reason, **fields,
    )


