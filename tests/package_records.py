"""A small synthetic township for the monthly-package tests: every field of every record type
set to a value other than its default (plus one record left at the defaults), hostile texts
(formulas, control characters), an ID number ending in X, month-precision dates, Decimals with
trailing zeros and beyond 15 digits, a date before 1900 and a tombstone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from dangjian_desktop.domain import enums as E
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import UnitMode
from dangjian_desktop.domain.idcard import make_id_number
from dangjian_desktop.domain.unit import UnitSettings
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from dangjian_desktop.storage.repositories import AuditLog, repository_for

CODE = "410999101000"
DISTRICT = UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "区管理员")
ID_WITH_X = make_id_number("410999", date(1985, 3, 9), 9)  # …009X
STAMP = datetime(2026, 10, 1, 2, 3, 4, tzinfo=UTC)
HOSTILE = "=HYPERLINK(\"http://x\")\x0b+1\r\n-2 @3\x07 _x0041_"
CLEAN_HOSTILE = "=HYPERLINK(\"http://x\")+1\n-2 @3 _x0041_"


def township_records(code: str = CODE) -> list[R.Record]:
    base = {"township_code": code, "created_at": STAMP, "updated_at": STAMP}
    g1, g2 = R.GridGroup(name="第一网格", leader="赵甲"), R.GridGroup(name="=第二网格", leader="")
    village = R.Village(
        **base, code=code[:9] + "201", name="东岭社区", kind=E.VillageKind.COMMUNITY,
        category=E.VillageCategory.KEY_SUPPORT, service_center_area=Decimal("320.50"),
        first_secretary_name="钱乙", first_secretary_unit="+县农业局", first_secretary_start=date(2024, 3, 1),
        first_secretary_end=date(2026, 2, 28), work_team_size=3,
        incomes={2024: Decimal("5.5"), 2025: Decimal("12345678901234567.89")},
        grid_groups=[g1, g2], cooperatives=[R.Cooperative(name="东岭合作社", led_by_branch=True, headed_by_secretary=True)],
        notes="村“两委”\t办公",
    )
    bare_village = R.Village(**base, name="西岭村")
    committee = R.Branch(**base, name="青石镇党委", kind=E.OrgKind.COMMITTEE, founded_on=PartialDate.day(1895, 1, 2))
    branch = R.Branch(
        **base, code="B-001", name="东岭社区党支部", kind=E.OrgKind.BRANCH, parent_uuid=committee.uuid,
        village_uuid=village.uuid, secretary_full_time=True, secretary_is_xds=True,
        founded_on=PartialDate.month(1998, 7), last_election_on=date(2021, 5, 6), standardized=False,
        weak_year=2025, rectification_status=E.RectificationStatus.IN_PROGRESS, rectification_plan="@一支部一策",
        notes="-备注",
    )
    member = R.Member(
        **base, name="孙丙", gender=E.Gender.MALE, ethnicity="回族", id_number=ID_WITH_X,
        birth_date=PartialDate.day(1985, 3, 9), education=E.Education.COLLEGE, stage=E.Stage.FULL,
        applied_on=PartialDate.month(2005, 3), activist_on=PartialDate.day(2005, 9, 1),
        candidate_on=PartialDate.day(2006, 9, 1), probation_on=PartialDate.day(2007, 7, 1),
        full_on=PartialDate.month(2008, 7), branch_uuid=branch.uuid, category=E.MemberCategory.MIGRANT_WORKER,
        floating=True, floating_destination="广东省深圳市", phone="13800138000", address=HOSTILE,
        grid_group_uuid=g1.uuid, households_linked=5, monthly_dues=Decimal("0.50"),
        evaluation=E.Evaluation.EXCELLENT, evaluation_year=2025, archive_checked=True,
        leave_kind=E.LeaveKind.TRANSFER_OUT, leave_on=PartialDate.month(2026, 9), leave_reason="-转往外县", notes="=1+1",
    )
    plain = R.Member(**base, name="李丁", gender=E.Gender.FEMALE,
                     id_number=make_id_number("410999", date(1990, 1, 2), 8), stage=E.Stage.APPLICANT)
    branch.secretary_uuid = member.uuid
    cadre = R.ReserveCadre(
        **base, name="孙丙", gender=E.Gender.MALE, id_number=ID_WITH_X, birth_date=PartialDate.month(1985, 3),
        education=E.Education.BACHELOR, political_status=E.PoliticalStatus.PARTY_MEMBER, village_uuid=village.uuid,
        source=E.ReserveSource.VETERAN, occupation="个体", intended_post=E.IntendedPost.SECRETARY,
        entered_on=date(2023, 4, 5), mentor="赵甲", training_count=2, trainings="第一期\n第二期",
        assessment=E.Assessment.COMPETENT, assessment_year=2025, status=E.ReserveStatus.PROMOTED,
        status_on=date(2025, 12, 1), phone="0371-12345678", member_uuid=member.uuid, notes="",
    )
    request = R.ServiceRequest(
        **base, year=2026, serial=7, received_on=date(2026, 9, 1), requester="周戊", requester_phone="13900139000",
        village_uuid=village.uuid, category=E.RequestCategory.MEDICAL_INSURANCE, content="=SUM(A1:A9)",
        channel=E.Channel.DOOR_TO_DOOR, clerk_a="吴己", clerk_b="郑庚", due_on=date(2026, 9, 10),
        status=E.RequestStatus.RETURNED, return_reason="材料不全", completed_on=date(2026, 9, 9), result="已退回",
        satisfaction=E.Satisfaction.BASICALLY_SATISFIED,
    )
    gone = R.ServiceRequest(**{**base, "deleted": True}, year=2026, serial=8, received_on=date(2026, 9, 2),
                            requester="王辛")
    activity = R.Activity(**base, branch_uuid=branch.uuid, kind=E.ActivityKind.PARTY_LECTURE,
                          held_on=date(2026, 9, 20), topic="学习“两学一做”", attendance=18, expected=20, notes="@")
    township = R.Township(**base, code=code, name="青石镇")
    return [township, village, bare_village, committee, branch, member, plain, cadre, request, gone, activity]


def add_records(store: Store, records: list[R.Record]) -> None:
    with store.db.write() as s:
        audit = AuditLog(s, "测试员")
        for record in records:
            if isinstance(record, R.Township):
                if repository_for(R.Township, s, audit).get(record.uuid) is not None:
                    continue
                s.execute(text("DELETE FROM townships WHERE code = :c"), {"c": record.code})
            repository_for(type(record), s, audit).bulk_add([record])


def all_records(store: Store, code: str | None = None) -> dict[type, list[R.Record]]:
    with store.db.read() as s:
        audit = AuditLog(s, "")
        return {t: sorted(repository_for(t, s, audit).list(code, include_deleted=True), key=lambda r: r.uuid)
                for t in R.RECORD_TYPES}


def district_store(path: Path) -> Store:
    store = Store.open(path)
    init_unit(store, DISTRICT)
    return store
