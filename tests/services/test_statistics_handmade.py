"""Statistics on a small township whose right answers were worked out by hand.

``build_handmade(store)`` writes the township; the expected figures below were counted from
the records as written, not from the program. Edge cases on purpose: a secretary without a
birth date, one aged exactly 35 on the reference date, one who left (branch vacant), a branch
with no meetings, a general branch's sub-branches, month-precision dates at a period start,
a request closed on its due date (not overdue) and one due on the reference day, deleted
records of every kind, members who left.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factories as F
import pytest
from conftest import TOWNSHIP

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import (
    ActivityKind as AK, Channel, Education as E, LeaveKind, OrgKind, RectificationStatus, RequestCategory as RQ,
    RequestStatus as RS, ReserveSource, ReserveStatus, Satisfaction, Stage, VillageCategory, VillageKind,
)
from dangjian_desktop.domain.statistics import Period
from dangjian_desktop.services.statistics import StatisticsService, compute_statistics
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from dangjian_desktop.storage.repositories import audit_for, repository_for

TODAY = date(2026, 11, 26)
T = F.TOWNSHIP_CODE


def _village(name, **kw):
    kw.setdefault("incomes", {})
    kw.setdefault("grid_groups", [])
    return R.Village(township_code=T, name=name, **kw)


def _activities(branch, kind, days, expected=0, attendance=0, **kw):
    return [R.Activity(township_code=T, branch_uuid=branch.uuid, kind=kind, held_on=d, expected=expected,
                       attendance=attendance, **kw) for d in days]


def _months(day: int, months=range(1, 11)):
    return [date(2026, m, day) for m in months]


def _request(serial, received, category, channel, status, due_in=15, completed=None, satisfaction=None, **kw):
    return R.ServiceRequest(township_code=T, year=received.year, serial=serial, received_on=received,
                            requester=f"申请人{serial}", category=category, channel=channel, status=status,
                            due_on=received + timedelta(days=due_in), completed_on=completed,
                            satisfaction=satisfaction, **kw)


def build_handmade(store) -> dict[str, R.Record]:
    """Write the hand-counted township into ``store``; returns its records by short name."""
    g1, g1b, g2, g5 = (R.GridGroup(name=n) for n in ("东岭一网格", "东岭二网格", "西山网格", "北坡网格"))
    v1 = _village("东岭村", category=VillageCategory.LIFTED, first_secretary_name="驻村甲",
                  first_secretary_start=date(2025, 3, 1), first_secretary_end=date(2027, 2, 28), work_team_size=2,
                  incomes={2025: Decimal("5"), 2026: Decimal("1")}, grid_groups=[g1, g1b],
                  cooperatives=[R.Cooperative(name="东岭果蔬合作社", led_by_branch=True, headed_by_secretary=True),
                                R.Cooperative(name="东岭农机合作社", led_by_branch=True)])
    v2 = _village("西山村", first_secretary_name="驻村乙", first_secretary_start=date(2023, 1, 1),
                  first_secretary_end=date(2025, 1, 1), work_team_size=4, incomes={2025: Decimal("4.99")},
                  grid_groups=[g2], cooperatives=[R.Cooperative(name="西山养殖合作社")])
    v3 = _village("南湖社区", kind=VillageKind.COMMUNITY)
    v5 = _village("北坡村", category=VillageCategory.WEAK_ECONOMY, first_secretary_name="驻村丙",
                  first_secretary_start=TODAY, work_team_size=1, incomes={2025: Decimal("12.5")}, grid_groups=[g5])
    v4 = _village("已删村", deleted=True, first_secretary_name="驻村丁", first_secretary_start=date(2026, 1, 1),
                  incomes={2025: Decimal("10")}, grid_groups=[R.GridGroup(name=f"删{i}") for i in range(3)],
                  cooperatives=[R.Cooperative(name="已删合作社", led_by_branch=True, headed_by_secretary=True)])

    p = F.branch("中共青石镇委员会", kind=OrgKind.COMMITTEE, standardized=True)
    b1 = F.branch("东岭村党支部", parent_uuid=p.uuid, village_uuid=v1.uuid, secretary_full_time=True,
                  standardized=True, weak_year=2026, rectification_status=RectificationStatus.IN_PROGRESS)
    b2 = F.branch("西山村党总支", kind=OrgKind.GENERAL_BRANCH, parent_uuid=p.uuid, village_uuid=v2.uuid,
                  secretary_is_xds=True, standardized=False, weak_year=2026,
                  rectification_status=RectificationStatus.DONE)
    b2a = F.branch("西山村第一支部", parent_uuid=b2.uuid, village_uuid=v2.uuid)
    b2b = F.branch("西山村第二支部", parent_uuid=b2.uuid, village_uuid=v2.uuid, standardized=True)
    b3 = F.branch("南湖社区党支部", parent_uuid=p.uuid, village_uuid=v3.uuid, weak_year=2025,
                  rectification_status=RectificationStatus.IN_PROGRESS)
    b5 = F.branch("北坡村党支部", parent_uuid=p.uuid, village_uuid=v5.uuid, standardized=False,
                  secretary_full_time=True)
    b4 = F.branch("已删支部", parent_uuid=p.uuid, village_uuid=v1.uuid, deleted=True, weak_year=2026,
                  standardized=True)

    m = F.member
    people = {
        "S1": m("书记甲", date(1991, 11, 26), branch_uuid=b1.uuid, education=E.COLLEGE, grid_group_uuid=g1.uuid,
                households_linked=5),
        "S2": m("书记乙", branch_uuid=b2.uuid, education=E.JUNIOR),
        "S3": m("书记丙", date(1970, 1, 1), branch_uuid=b3.uuid, education=E.HIGH_SCHOOL),
        "X": m("支书丁", date(1990, 5, 1), branch_uuid=b2a.uuid, education=E.BACHELOR, floating=True),
        "P1": m("预备甲", date(2000, 2, 29), branch_uuid=b1.uuid, education=E.HIGH_SCHOOL, stage=Stage.PROBATIONARY,
                applied_on=PartialDate.day(2023, 12, 1), activist_on=PartialDate.month(2024, 5),
                candidate_on=PartialDate.day(2025, 10, 10), probation_on=PartialDate.day(2026, 3, 15),
                grid_group_uuid=g1.uuid, households_linked=3),
        "P2": m("预备乙", date(1985, 6, 15), branch_uuid=b2a.uuid, stage=Stage.PROBATIONARY,
                applied_on=PartialDate.day(2023, 1, 1), activist_on=PartialDate.day(2023, 6, 1),
                candidate_on=PartialDate.day(2025, 6, 1), probation_on=PartialDate.month(2026, 1),
                grid_group_uuid=g2.uuid),
        "F1": m("转正甲", date(1960, 12, 31), branch_uuid=b1.uuid, education=E.PRIMARY,
                probation_on=PartialDate.day(2025, 2, 1), full_on=PartialDate.day(2026, 2, 1)),
        "M": m("党员戊", date(1980, 5, 17), branch_uuid=b2b.uuid, education=E.SECONDARY_VOCATIONAL,
               grid_group_uuid=g2.uuid, households_linked=4),
        "A1": m("申请甲", date(2004, 1, 1), branch_uuid=b3.uuid, stage=Stage.APPLICANT,
                applied_on=PartialDate.day(2026, 10, 1), grid_group_uuid=g1b.uuid, households_linked=2),
        "A2": m("积极甲", date(1998, 3, 3), branch_uuid=b1.uuid, stage=Stage.ACTIVIST,
                applied_on=PartialDate.day(2025, 1, 1), activist_on=PartialDate.day(2026, 4, 1)),
        "C1": m("对象甲", date(1996, 7, 7), branch_uuid=b5.uuid, stage=Stage.CANDIDATE,
                applied_on=PartialDate.day(2024, 2, 2), activist_on=PartialDate.day(2025, 1, 1),
                candidate_on=PartialDate.day(2026, 6, 30)),
        "L1": m("离开甲", date(1940, 1, 1), branch_uuid=b1.uuid, leave_kind=LeaveKind.DEATH,
                leave_on=PartialDate.day(2026, 8, 9), grid_group_uuid=g1.uuid, households_linked=7),
        "S5": m("书记戊", date(1975, 5, 5), branch_uuid=b5.uuid, education=E.BACHELOR,
                leave_kind=LeaveKind.TRANSFER_OUT, leave_on=PartialDate.month(2026, 3)),
        "L2": m("离开乙", date(1950, 1, 1), branch_uuid=b2b.uuid, leave_kind=LeaveKind.EXPELLED,
                leave_on=PartialDate.day(2025, 12, 31)),
        "D1": m("已删甲", date(1995, 1, 1), branch_uuid=b1.uuid, deleted=True, stage=Stage.PROBATIONARY,
                applied_on=PartialDate.day(2023, 1, 1), activist_on=PartialDate.day(2024, 1, 1),
                candidate_on=PartialDate.day(2025, 1, 1), probation_on=PartialDate.day(2026, 5, 1)),
    }
    people["S2"].birth_date = None  # a secretary without a birth date
    b1.secretary_uuid, b2.secretary_uuid, b3.secretary_uuid = people["S1"].uuid, people["S2"].uuid, people["S3"].uuid
    b5.secretary_uuid, b2a.secretary_uuid, b4.secretary_uuid = people["S5"].uuid, people["X"].uuid, people["M"].uuid

    acts = []
    for kind, day in ((AK.COMMITTEE_MEETING, 5), (AK.GROUP_MEETING, 12), (AK.THEME_DAY, 20)):
        acts += _activities(b1, kind, _months(day), expected=4, attendance=3)
    for kind, day in ((AK.GENERAL_MEETING, 8), (AK.PARTY_LECTURE, 18)):
        acts += _activities(b1, kind, [date(2026, m, day) for m in (2, 5, 8)], expected=4, attendance=3)
    acts += _activities(b1, AK.COMMITTEE_MEETING, [date(2026, 3, 25), date(2026, 11, 10)], expected=4, attendance=3)
    acts += _activities(b2a, AK.COMMITTEE_MEETING, [date(2026, 1, 6), date(2026, 2, 6), date(2026, 3, 2),
                                                    date(2026, 3, 16), date(2026, 3, 30)], expected=2, attendance=2)
    acts += _activities(b2a, AK.PARTY_LECTURE, [date(2026, 3, 31)], expected=2, attendance=2)
    acts += _activities(b2a, AK.THEME_DAY, [date(2025, 12, 31)], expected=2, attendance=2)  # before the period
    acts += _activities(b3, AK.THEME_DAY, _months(1), expected=0, attendance=3)  # expected unknown
    acts += _activities(b3, AK.THEME_DAY, [date(2026, 11, 1)], deleted=True)
    acts += _activities(b5, AK.GENERAL_MEETING, [date(2026, 1, 15)], expected=5, attendance=1)
    acts += _activities(b2, AK.PARTY_LECTURE, [date(2026, 5, 5)], expected=10, attendance=9)
    acts += _activities(b4, AK.THEME_DAY, _months(3))  # a deleted branch

    reserves = [
        R.ReserveCadre(township_code=T, name=n, gender=F.Gender.MALE, id_number=F.id_number(), village_uuid=v1.uuid,
                       source=src, status=st, entered_on=entered, status_on=status_on, training_count=tc, **kw)
        for n, src, st, entered, status_on, tc, kw in (
            ("后备甲", ReserveSource.ENTREPRENEUR, ReserveStatus.TRAINING, date(2026, 2, 1), None, 2, {}),
            ("后备乙", ReserveSource.VETERAN, ReserveStatus.PROMOTED, date(2024, 1, 1), date(2026, 6, 1), 3, {}),
            ("后备丙", ReserveSource.GRADUATE, ReserveStatus.PROMOTED, date(2023, 5, 5), date(2025, 6, 1), 0, {}),
            ("后备丁", ReserveSource.ENTREPRENEUR, ReserveStatus.DROPPED, date(2026, 1, 1), date(2026, 1, 10), 1, {}),
            ("后备删", ReserveSource.OTHER, ReserveStatus.TRAINING, date(2026, 3, 1), None, 5, {"deleted": True}),
        )
    ]

    d = date
    requests = [
        _request(1, d(2026, 1, 10), RQ.SOCIAL_SECURITY, Channel.ON_BEHALF, RS.CLOSED, completed=d(2026, 1, 25),
                 satisfaction=Satisfaction.SATISFIED),  # closed ON its due date: not overdue
        _request(2, d(2026, 2, 1), RQ.MEDICAL_INSURANCE, Channel.VISIT_FOR, RS.CLOSED, completed=d(2026, 2, 20),
                 satisfaction=Satisfaction.DISSATISFIED),  # closed late
        _request(3, d(2026, 3, 5), RQ.SOCIAL_SECURITY, Channel.DOOR_TO_DOOR, RS.IN_PROGRESS),  # open, past due
        _request(4, d(2026, 11, 20), RQ.HOUSEHOLD_PAPERS, Channel.ON_BEHALF, RS.RECEIVED, due_in=20),
        _request(5, d(2026, 4, 1), RQ.CIVIL_RELIEF, Channel.DESK, RS.RETURNED, due_in=30, return_reason="材料不全"),
        _request(6, d(2026, 5, 10), RQ.SOCIAL_SECURITY, Channel.ON_BEHALF, RS.CLOSED, completed=d(2026, 5, 12)),
        _request(7, d(2026, 6, 15), RQ.FARM_SUBSIDY, Channel.ON_BEHALF, RS.CLOSED, due_in=30,
                 completed=d(2026, 6, 15), satisfaction=Satisfaction.BASICALLY_SATISFIED),
        _request(8, d(2025, 12, 20), RQ.OTHER, Channel.ON_BEHALF, RS.IN_PROGRESS),  # last year
        _request(9, d(2026, 7, 1), RQ.OTHER, Channel.ON_BEHALF, RS.IN_PROGRESS, deleted=True),
        _request(10, d(2026, 11, 11), RQ.OTHER, Channel.DOOR_TO_DOOR, RS.IN_PROGRESS),  # due on the reference day
    ]

    villages, branches = [v1, v2, v3, v5, v4], [p, b1, b2, b2a, b2b, b3, b5, b4]
    with store.db.write() as s:
        audit = audit_for(s)
        for group in (villages, branches, list(people.values()), reserves, requests, acts):
            repo = repository_for(type(group[0]), s, audit)
            for record in group:
                repo.add(record)
    named = {"v1": v1, "v2": v2, "v3": v3, "v4": v4, "v5": v5, "p": p, "b1": b1, "b2": b2, "b2a": b2a,
             "b2b": b2b, "b3": b3, "b4": b4, "b5": b5, **people}
    named.update({f"q{r.serial}": r for r in requests})
    named.update({r.name: r for r in reserves})
    return named


YEAR_2026 = {
    # 组织设置
    "villages.total": 4, "villages.kind.village": 3, "villages.kind.community": 1,
    "branches.total": 7, "branches.kind.committee": 1, "branches.kind.general_branch": 1,
    "branches.kind.branch": 5, "branches.kind.joint_branch": 0,
    "branches.standard_scope": 6, "branches.standardized": 2, "branches.standard_unchecked": 2,
    "branches.standardized_share": Decimal("33.33"),
    "branches.weak_listed": 2, "branches.weak_rectified": 1, "branches.weak_open": 2,
    # 党员
    "members.total": 8, "members.full": 6, "members.probationary": 2, "members.floating": 1,
    "members.recruited": 2, "members.left": 2, "members.left.transfer_out": 1, "members.left.death": 1,
    "members.left.expelled": 0,
    "members.age.le30": 1, "members.age.31_35": 1, "members.age.36_40": 1, "members.age.41_45": 1,
    "members.age.46_50": 1, "members.age.51_55": 0, "members.age.56_60": 1, "members.age.ge61": 1,
    "members.age.unknown": 1,
    "members.education.postgraduate": 0, "members.education.bachelor": 1, "members.education.college": 1,
    "members.education.secondary_vocational": 1, "members.education.high_school": 2,
    "members.education.junior": 1, "members.education.primary": 1, "members.education.unknown": 1,
    "members.hs_plus": 5,
    "pipeline.applicant": 1, "pipeline.activist": 1, "pipeline.candidate": 1, "pipeline.probationary": 2,
    "pipeline.full": 6, "pipeline.entered.applicant": 1, "pipeline.entered.activist": 1,
    "pipeline.entered.candidate": 1, "pipeline.entered.full": 1,
    # 书记
    "secretaries.total": 3, "secretaries.vacant": 1, "secretaries.age_known": 2, "secretaries.age_sum": 91,
    "secretaries.mean_age": Decimal("45.50"), "secretaries.youth": 1, "secretaries.youth_share": Decimal("50.00"),
    "secretaries.education_known": 3, "secretaries.hs_plus": 2, "secretaries.hs_plus_share": Decimal("66.67"),
    "secretaries.full_time": 1, "secretaries.xds": 1,
    "first_secretaries.total": 2, "first_secretaries.category.ordinary": 0, "first_secretaries.category.lifted": 1,
    "first_secretaries.category.key_support": 0, "first_secretaries.category.weak_economy": 1,
    "first_secretaries.team": 3,
    # 组织生活
    "activities.held": 56, "activities.held.committee_meeting": 17, "activities.held.group_meeting": 10,
    "activities.held.theme_day": 20, "activities.held.general_meeting": 4, "activities.held.party_lecture": 5,
    "activities.expected": 179, "activities.attended": 136, "activities.attendance_rate": Decimal("75.98"),
    "activities.branches": 5, "activities.required": 180, "activities.done": 51, "activities.rate": Decimal("28.33"),
    "activities.required.committee_meeting": 50, "activities.done.committee_meeting": 13,
    "activities.required.group_meeting": 50, "activities.done.group_meeting": 10,
    "activities.required.theme_day": 50, "activities.done.theme_day": 20,
    "activities.required.general_meeting": 15, "activities.done.general_meeting": 4,
    "activities.required.party_lecture": 15, "activities.done.party_lecture": 4,
    "activities.rate.committee_meeting": Decimal("26.00"), "activities.rate.party_lecture": Decimal("26.67"),
    "activities.below_target": 4, "activities.no_meetings": 1,
    # 集体经济、网格
    "income.reported": 3, "income.reached": 2, "income.reached_share": Decimal("50.00"),
    "cooperatives.led": 2, "villages.leading_coops": 1, "villages.secretary_heads_coop": 1,
    "grid.groups": 4, "grid.members": 4, "grid.households": 12,
    # 后备干部
    "reserve.total": 4, "reserve.status.training": 1, "reserve.status.promoted": 2, "reserve.status.dropped": 1,
    "reserve.source.entrepreneur": 2, "reserve.source.veteran": 1, "reserve.source.graduate": 1,
    "reserve.source.returnee": 0, "reserve.source.other": 0, "reserve.recruited": 2,
    "reserve.recruited.entrepreneur": 2, "reserve.recruited.other": 0, "reserve.promoted": 1,
    "reserve.trained": 3, "reserve.training_sessions": 6,
    # 代办事项
    "requests.received": 8, "requests.closed": 4, "requests.returned": 1, "requests.open": 3,
    "requests.overdue": 2, "requests.closed_share": Decimal("50.00"), "requests.overdue_share": Decimal("25.00"),
    "requests.days_total": 36, "requests.days_count": 4, "requests.mean_days": Decimal("9.00"),
    "requests.rated": 3, "requests.satisfaction.satisfied": 1, "requests.satisfaction.basically_satisfied": 1,
    "requests.satisfaction.dissatisfied": 1, "requests.satisfaction.dissatisfied_share": Decimal("33.33"),
    "requests.pleased": 2, "requests.satisfaction_rate": Decimal("66.67"),
    "requests.category.social_security.received": 3, "requests.category.social_security.closed": 2,
    "requests.category.social_security.overdue": 1, "requests.category.medical_insurance.overdue": 1,
    "requests.category.household_papers.received": 1, "requests.category.household_papers.overdue": 0,
    "requests.category.land_forest.received": 0, "requests.category.other.received": 1,
    "requests.channel.on_behalf.received": 4, "requests.channel.on_behalf.closed": 3,
    "requests.channel.on_behalf.overdue": 0, "requests.channel.visit_for.overdue": 1,
    "requests.channel.door_to_door.received": 2, "requests.channel.door_to_door.overdue": 1,
    "requests.channel.desk.received": 1, "requests.channel.desk.closed": 0,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One hand-made township for the whole module (the tests only read it)."""
    with Store.open(tmp_path_factory.mktemp("handmade") / "handmade.db") as s:
        init_unit(s, TOWNSHIP)
        yield s, build_handmade(s)


@pytest.fixture
def store(built):
    return built[0]


@pytest.fixture
def handmade(built):
    return built[1]


@pytest.fixture(scope="module")
def report_2026(built):
    return compute_statistics(built[0], Period.year(2026), today=TODAY)


@pytest.mark.parametrize("key", sorted(YEAR_2026))
def test_year_figures_match_the_hand_count(report_2026, key):
    assert report_2026.total.values[key] == YEAR_2026[key]


def test_one_township_and_its_total_agree(report_2026):
    assert [t.code for t in report_2026.townships] == [T]
    assert report_2026.townships[0].name == "青石镇"
    assert report_2026.townships[0].values == report_2026.total.values
    assert report_2026.as_of == TODAY and report_2026.income_year == 2025


def test_every_branch_completion_is_listed(report_2026, handmade):
    got = {b.name: (b.required, b.done, b.held, b.rate) for b in report_2026.branches}
    assert got == {
        "东岭村党支部": (36, 36, 38, Decimal("100.00")),
        "西山村第一支部": (36, 4, 6, Decimal("11.11")),
        "西山村第二支部": (36, 0, 0, Decimal("0.00")),  # no meetings at all
        "南湖社区党支部": (36, 10, 10, Decimal("27.78")),
        "北坡村党支部": (36, 1, 1, Decimal("2.78")),
    }


def test_requests_per_month_by_status(report_2026):
    months = report_2026.requests_by_month[""]
    assert months == {
        "2026-01": {"total": 1, "closed": 1}, "2026-02": {"total": 1, "closed": 1},
        "2026-03": {"total": 1, "in_progress": 1}, "2026-04": {"total": 1, "returned": 1},
        "2026-05": {"total": 1, "closed": 1}, "2026-06": {"total": 1, "closed": 1},
        "2026-11": {"total": 2, "received": 1, "in_progress": 1},
    }
    assert report_2026.requests_by_month[T] == months


def test_a_quarter_ending_month_looks_back_over_the_quarter(store, handmade):
    r = compute_statistics(store, Period.month(2026, 3), today=TODAY)
    v = r.total.values
    assert r.as_of == date(2026, 3, 31)
    assert (v["activities.required"], v["activities.done"], v["activities.rate"]) == (25, 9, Decimal("36.00"))
    assert v["activities.done.general_meeting"] == 2  # 东岭 in February, 北坡 in January
    assert v["members.recruited"] == 1  # 预备甲 on 2026-03-15; 已删甲 is deleted
    assert v["members.left.transfer_out"] == 1  # 书记戊, left "2026-03" (month precision)
    assert v["requests.received"] == 1 and v["requests.overdue"] == 1  # request 3, due 03-20, still open


def test_a_running_month_has_nothing_due_yet(store, handmade):
    v = compute_statistics(store, Period.month(2026, 11), today=TODAY).total.values
    assert v["activities.required"] == 0 and v["activities.rate"] is None
    assert v["activities.below_target"] == 0
    assert v["activities.held"] == 1  # 东岭's November 支委会 still shows as held
    assert v["requests.received"] == 2 and v["requests.overdue"] == 0  # due later / due today
    assert v["members.recruited"] == 0 and v["pipeline.entered.applicant"] == 0


def test_january_counts_a_month_precision_date_at_the_period_start(store, handmade):
    v = compute_statistics(store, Period.month(2026, 1), today=TODAY).total.values
    assert v["members.recruited"] == 1  # 预备乙, 入党时间 "2026-01"


def test_a_future_period_is_refused(store, handmade):
    from dangjian_desktop.domain.statistics import PeriodNotStartedError

    with pytest.raises(PeriodNotStartedError, match="还没有开始"):
        compute_statistics(store, Period.month(2026, 12), today=TODAY)


DRILLS = {
    "members.total": ("Member", {"S1", "S2", "S3", "X", "P1", "P2", "F1", "M"}),
    "members.recruited": ("Member", {"P1", "P2"}),
    "members.left": ("Member", {"L1", "S5"}),
    "members.age.unknown": ("Member", {"S2"}),
    "members.age.31_35": ("Member", {"S1"}),
    "grid.households": ("Member", {"S1", "P1", "M"}),
    "secretaries.total": ("Member", {"S1", "S2", "S3"}),
    "secretaries.youth_share": ("Member", {"S1"}),
    "secretaries.mean_age": ("Member", {"S1", "S3"}),
    "secretaries.vacant": ("Branch", {"b5"}),
    "branches.weak_listed": ("Branch", {"b1", "b2"}),
    "first_secretaries.total": ("Village", {"v1", "v5"}),
    "income.reached": ("Village", {"v1", "v5"}),
    "activities.below_target": ("Branch", {"b2a", "b2b", "b3", "b5"}),
    "activities.no_meetings": ("Branch", {"b2b"}),
    "activities.required": ("Branch", {"b1", "b2a", "b2b", "b3", "b5"}),
    "requests.overdue": ("ServiceRequest", {"q2", "q3"}),
    "requests.open": ("ServiceRequest", {"q3", "q4", "q10"}),
    "requests.month.2026-11.total": ("ServiceRequest", {"q4", "q10"}),
    "reserve.promoted": ("ReserveCadre", {"后备乙"}),
}


ONE_PER_RECORD = {k for k in DRILLS if k.split(".")[0] in ("members", "branches", "requests", "reserve")
                  or k in ("secretaries.total", "secretaries.vacant", "first_secretaries.total", "income.reached",
                           "activities.below_target", "activities.no_meetings")} - {"requests.month.2026-11.total"}


@pytest.mark.parametrize("key", sorted(DRILLS))
def test_each_figure_lists_the_records_behind_it(store, handmade, report_2026, key):
    service = StatisticsService(store, today=lambda: TODAY)
    drill = service.drill(report_2026, key)
    kind, names = DRILLS[key]
    assert drill.record_type.__name__ == kind
    assert set(drill.uuids) == {handmade[n].uuid for n in names}
    if key in ONE_PER_RECORD:
        assert len(drill) == report_2026.total.values[key]
    records = service.records(drill)
    assert {r.uuid for r in records} == set(drill.uuids)
    assert all(isinstance(r, getattr(R, kind)) and not r.deleted for r in records)
    assert "青石镇" in drill.title and "2026年" in drill.title


def test_done_meetings_and_a_branch_list_their_activities(store, handmade, report_2026):
    service = StatisticsService(store, today=lambda: TODAY)
    done = service.drill(report_2026, "activities.done.party_lecture")
    lectures = service.records(done)
    assert [a.held_on for a in lectures] == [date(2026, 2, 18), date(2026, 3, 31), date(2026, 5, 18),
                                              date(2026, 8, 18)]
    branch = service.drill(report_2026, f"activities.branch.{handmade['b2a'].uuid}")
    assert len(branch) == 6  # the meeting of 2025-12-31 is outside the period
    page = service.records(branch, offset=4, limit=10)
    assert [a.held_on for a in page] == [date(2026, 3, 30), date(2026, 3, 31)]


def test_an_unknown_figure_is_refused_in_chinese(store, handmade, report_2026):
    from dangjian_desktop.services.statistics import StatisticsError

    with pytest.raises(StatisticsError, match="没有名为 members.nope 的统计指标"):
        StatisticsService(store).drill(report_2026, "members.nope")
