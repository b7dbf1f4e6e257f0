"""The builders of ``demo_data`` for the office's running work: 后备干部, 代办事项, 组织生活.

They run after ``demo_records`` has made the villages, branches and members, and draw from
the same township ``Context`` so that the whole township stays deterministic.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from ..domain.dates import PartialDate, add_months
from ..domain.enums import (
    REQUEST_DUE_DAYS, ActivityKind, Assessment, Channel, Education, Gender, IntendedPost,
    PoliticalStatus, RequestCategory, RequestStatus, ReserveSource, ReserveStatus, Satisfaction,
    Stage,
)
from ..domain.records import Activity, Branch, Member, ReserveCadre, ServiceRequest
from . import demo_names as N
from .demo_records import GRADUATE_EDUCATION, YEAR_DAYS, Plan, Weighted, education_for, mobile

if TYPE_CHECKING:
    from .demo_data import Context

# ---- 后备干部 --------------------------------------------------------------------------------

RESERVE_SOURCE = Weighted({ReserveSource.ENTREPRENEUR: 30, ReserveSource.VETERAN: 15,
                           ReserveSource.RETURNEE: 25, ReserveSource.GRADUATE: 20, ReserveSource.OTHER: 10})
RESERVE_AGE = {ReserveSource.GRADUATE: (22, 30, 25), ReserveSource.VETERAN: (24, 42, 30)}
POST_MEMBER = Weighted({IntendedPost.SECRETARY: 35, IntendedPost.DIRECTOR: 20, IntendedPost.COMMITTEE_MEMBER: 45})
POST_OTHER = Weighted({IntendedPost.DIRECTOR: 25, IntendedPost.COMMITTEE_MEMBER: 75})
ASSESSMENT = Weighted({Assessment.EXCELLENT: 20, Assessment.COMPETENT: 70,
                       Assessment.BASICALLY_COMPETENT: 8, Assessment.INCOMPETENT: 2})
RESERVE_STATUS = Weighted({ReserveStatus.TRAINING: 80, ReserveStatus.PROMOTED: 12, ReserveStatus.DROPPED: 8})
TRAININGS = Weighted({0: 10, 1: 20, 2: 25, 3: 20, 4: 15, 5: 10})
HIGHER = (Education.COLLEGE, Education.BACHELOR, Education.POSTGRADUATE)


def make_reserve_cadres(ctx: Context, plans: list[Plan], total: int) -> list[ReserveCadre]:
    """后备干部 spread over the villages; about a third are members of the village's branch."""
    rng, today = ctx.rng, ctx.today
    cum = list(accumulate(p.weight for p in plans))
    out = []
    for _ in range(total):
        plan = rng.choices(plans, cum_weights=cum)[0]
        source = RESERVE_SOURCE(rng)
        member: Member | None = None
        if plan.candidates and rng.random() < 0.4:
            member = plan.candidates.pop(rng.randrange(len(plan.candidates)))
        if member is not None:
            name, id_number, education = member.name, member.id_number, member.education
            male, birth = member.gender is Gender.MALE, member.birth_date.value
            if source is ReserveSource.GRADUATE and education not in HIGHER:
                source = ReserveSource.RETURNEE
            status = PoliticalStatus.PARTY_MEMBER if member.stage is Stage.FULL else PoliticalStatus.PROBATIONARY
            post = POST_MEMBER(rng)
            phone = member.phone or mobile(rng)
        else:
            lo, hi, mode = RESERVE_AGE.get(source, (25, 45, 34))
            age = rng.triangular(lo, hi, mode)
            male = rng.random() < (0.9 if source is ReserveSource.VETERAN else 0.65)
            id_number, birth = ctx.id_number(today - timedelta(days=int(age * YEAR_DAYS)), male)
            name = N.person_name(rng, male)
            education = GRADUATE_EDUCATION(rng) if source is ReserveSource.GRADUATE else education_for(rng, birth)
            status = PoliticalStatus.LEAGUE_MEMBER if age < 28 and rng.random() < 0.6 else PoliticalStatus.MASSES
            post, phone = POST_OTHER(rng), mobile(rng)
        entered = today - timedelta(days=rng.randint(30, 1095))
        span = (today - entered).days
        days = sorted(rng.sample(range(span + 1), min(span + 1, TRAININGS(rng))))
        trainings = [f"{(entered + timedelta(days=d)).isoformat()} {rng.choice(N.TRAINING_TITLES)}" for d in days]
        assessed = entered <= date(today.year - 1, 10, 31) and rng.random() < 0.85
        state = RESERVE_STATUS(rng) if span > 180 else ReserveStatus.TRAINING
        status_on = entered + timedelta(days=rng.randint(90, span)) if state is not ReserveStatus.TRAINING else None
        out.append(ReserveCadre(
            **ctx.base(entered, status_on or entered), name=name,
            gender=Gender.MALE if male else Gender.FEMALE, id_number=id_number,
            birth_date=PartialDate(birth), education=education, political_status=status,
            village_uuid=plan.village.uuid, source=source,
            occupation=rng.choice(N.RESERVE_OCCUPATIONS[source.value]), intended_post=post,
            entered_on=entered,
            mentor=plan.secretary_name if plan.secretary_name and rng.random() < 0.6 else N.person_name(rng, True),
            training_count=len(trainings), trainings="\n".join(trainings),
            assessment=ASSESSMENT(rng) if assessed else None,
            assessment_year=today.year - 1 if assessed else None,
            status=state, status_on=status_on, phone=phone,
            member_uuid=member.uuid if member is not None else None,
        ))
    return out


# ---- 代办事项 --------------------------------------------------------------------------------

REQUEST_CATEGORY = Weighted({
    RequestCategory.SOCIAL_SECURITY: 22, RequestCategory.MEDICAL_INSURANCE: 20,
    RequestCategory.HOUSEHOLD_PAPERS: 15, RequestCategory.CIVIL_RELIEF: 13,
    RequestCategory.FARM_SUBSIDY: 12, RequestCategory.LAND_FOREST: 6, RequestCategory.OTHER: 12,
})
CHANNEL = Weighted({Channel.ON_BEHALF: 45, Channel.DESK: 25, Channel.DOOR_TO_DOOR: 20, Channel.VISIT_FOR: 10})
SATISFACTION = Weighted({Satisfaction.SATISFIED: 84, Satisfaction.BASICALLY_SATISFIED: 13,
                         Satisfaction.DISSATISFIED: 3})


def make_service_requests(ctx: Context, plans: list[Plan], total: int) -> list[ServiceRequest]:
    """Requests received over the last year, numbered per year in the order received."""
    rng, today = ctx.rng, ctx.today
    cum = list(accumulate(p.weight for p in plans))
    clerks = []
    for plan in plans:
        names = list(plan.cadre_names[:2])
        while len(names) < 2:
            names.append(N.person_name(rng, rng.random() < 0.6))
        clerks.append(names)
    serials: dict[int, int] = {}
    out = []
    for age in sorted((rng.randrange(365) for _ in range(total)), reverse=True):
        received = today - timedelta(days=age)
        serial = serials[received.year] = serials.get(received.year, 0) + 1
        i = rng.choices(range(len(plans)), cum_weights=cum)[0]
        category = REQUEST_CATEGORY(rng)
        allowed = REQUEST_DUE_DAYS[category]
        closed, returned = (0.93, 0.04) if age > allowed else (0.6, 0.04) if age > allowed // 2 else (0.25, 0.03)
        r = rng.random()
        completed = None
        satisfaction = None
        result = reason = ""
        if r < closed:
            status = RequestStatus.CLOSED
            if age > allowed and rng.random() < 0.07:  # closed, but late
                took = rng.randint(allowed + 1, min(age, 2 * allowed))
            else:
                took = rng.randint(0, min(age, allowed))
            completed = received + timedelta(days=took)
            result = rng.choice(N.REQUEST_RESULTS)
            satisfaction = SATISFACTION(rng) if rng.random() < 0.88 else None
        elif r < closed + returned:
            status = RequestStatus.RETURNED
            reason = rng.choice(N.RETURN_REASONS)
        else:
            status = RequestStatus.RECEIVED if age <= 2 or rng.random() < 0.3 else RequestStatus.IN_PROGRESS
        touched = completed or received + timedelta(days=min(age, rng.randint(0, 3)))
        out.append(ServiceRequest(
            **ctx.base(received, touched), year=received.year, serial=serial, received_on=received,
            requester=N.person_name(rng, rng.random() < 0.55),
            requester_phone=mobile(rng) if rng.random() < 0.92 else "",
            village_uuid=plans[i].village.uuid, category=category,
            content=rng.choice(N.REQUEST_CONTENTS[category]), channel=CHANNEL(rng),
            clerk_a=clerks[i][0], clerk_b=clerks[i][1], due_on=received + timedelta(days=allowed),
            status=status, return_reason=reason, completed_on=completed, result=result,
            satisfaction=satisfaction,
        ))
    return out


# ---- 组织生活 --------------------------------------------------------------------------------

MONTHLY = ((ActivityKind.COMMITTEE_MEETING, 1, 8), (ActivityKind.GROUP_MEETING, 9, 24))
QUARTERLY = {0: (ActivityKind.GENERAL_MEETING, 15, 28), 2: (ActivityKind.PARTY_LECTURE, 10, 25)}


def make_activities(ctx: Context, leaves: list[tuple[Branch, Plan]],
                    by_branch: dict[str, list[Member]], months: int) -> list[Activity]:
    """三会一课 and 主题党日 of every 党支部 for the last ``months`` months, none after today.

    Each branch holds a share of its required meetings drawn around 90% (weak branches less),
    so completion rates differ between branches. Members expected are the branch's active
    members, except for a 支委会, where they are the branch committee (3, 5 or 7 支委).
    """
    rng, today = ctx.rng, ctx.today
    start = add_months(date(today.year, today.month, 1), -(months - 1))
    out = []
    for branch, _plan in leaves:
        expected = sum(1 for m in by_branch[branch.uuid] if m.stage.is_member and m.leave_kind is None)
        committee = min(expected, 3 if expected < 50 else 5 if expected < 100 else 7)  # 支委会 members
        weak = branch.weak_year is not None
        p = rng.uniform(0.55, 0.8) if weak else rng.uniform(0.82, 0.99)
        theme_day = rng.choice((1, 5, 10, 15, 20))  # 固定主题党日
        for k in range(months):
            first = add_months(start, k)
            plan = [(kind, rng.randint(lo, hi)) for kind, lo, hi in MONTHLY]
            plan.append((ActivityKind.THEME_DAY, theme_day))
            if (quarterly := QUARTERLY.get(first.month % 3)) is not None:
                plan.append((quarterly[0], rng.randint(quarterly[1], quarterly[2])))
            for kind, day in plan:
                held = first.replace(day=day)
                if held > today or rng.random() > p:
                    continue
                due = committee if kind is ActivityKind.COMMITTEE_MEETING else expected
                attendance = min(due, max(1, round(due * rng.uniform(0.75, 0.97))))
                out.append(Activity(
                    **ctx.base(held), branch_uuid=branch.uuid, kind=kind, held_on=held,
                    topic=rng.choice(N.ACTIVITY_TOPICS[kind]), attendance=attendance, expected=due,
                ))
    return out
