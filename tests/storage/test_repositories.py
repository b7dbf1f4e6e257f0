"""Repositories on a real (temporary) SQLite database: round trips, audit, tombstones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from factories import TOWNSHIP_CODE, branch, member, village
from sqlalchemy.exc import IntegrityError

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Evaluation, LeaveKind, RequestCategory
from dangjian_desktop.domain.errors import DomainError
from dangjian_desktop.storage.repositories import (
    AuditLog, BranchRepository, MemberRepository, ServiceRequestRepository, VillageRepository, audit_for,
)


def test_member_round_trips_every_field(store):
    m = member(monthly_dues=Decimal("1.50"), evaluation=Evaluation.EXCELLENT, evaluation_year=2025,
               phone="13800001234", notes="备注 =SUM(A1)", leave_kind=LeaveKind.TRANSFER_OUT,
               leave_on=PartialDate.month(2026, 3), leave_reason="随子女迁居")
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).add(m)
    with store.db.read() as s:
        got = MemberRepository(s, audit_for(s)).require(m.uuid)
    assert got == m
    assert got.applied_on.precision == m.applied_on.precision  # month stays month


def test_village_children_round_trip_and_update(store):
    v = village()
    with store.db.write() as s:
        VillageRepository(s, audit_for(s)).add(v)
    v.incomes[2026] = Decimal("7.10")
    v.grid_groups.append(R.GridGroup(name="第二网格", leader="李明"))
    v.cooperatives = [R.Cooperative(name="东岭农机合作社", led_by_branch=True)]
    with store.db.write() as s:
        changed = VillageRepository(s, audit_for(s)).update(v)
    assert set(changed) == {"incomes", "grid_groups", "cooperatives"}
    with store.db.read() as s:
        got = VillageRepository(s, audit_for(s)).require(v.uuid)
    assert got.incomes == {2025: Decimal("6.25"), 2026: Decimal("7.10")}
    assert [g.name for g in got.grid_groups] == ["第一网格", "第二网格"]
    assert got.cooperatives[0].led_by_branch is True


def test_removing_a_grid_group_unlinks_its_members(store):
    v = village()
    gid = v.grid_groups[0].uuid
    m = member(grid_group_uuid=gid)
    with store.db.write() as s:
        a = audit_for(s)
        VillageRepository(s, a).add(v)
        MemberRepository(s, a).add(m)
    v.grid_groups = []
    with store.db.write() as s:
        VillageRepository(s, audit_for(s)).update(v)
    with store.db.read() as s:
        assert MemberRepository(s, audit_for(s)).require(m.uuid).grid_group_uuid is None


def test_update_writes_audit_per_field(store):
    m = member()
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).add(m)
    m.phone = "13900002222"
    m.households_linked = 4
    with store.db.write() as s:
        assert sorted(MemberRepository(s, audit_for(s)).update(m)) == ["households_linked", "phone"]
    with store.db.read() as s:
        entries = AuditLog(s, "").entries(record_uuid=m.uuid)
    by_field = {e.field: e for e in entries if e.action == "修改"}
    assert by_field["phone"].old_value == "" and by_field["phone"].new_value == "13900002222"
    assert by_field["households_linked"].new_value == "4"
    assert all(e.operator == "测试员" for e in entries)
    assert any(e.action == "新增" for e in entries)


def test_unchanged_update_writes_nothing(store):
    m = member()
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).add(m)
    with store.db.write() as s:
        assert MemberRepository(s, audit_for(s)).update(m) == []
    with store.db.read() as s:
        assert [e.action for e in AuditLog(s, "").entries(record_uuid=m.uuid)] == ["新增"]


def test_members_are_never_deleted(store):
    m = member()
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).add(m)
    with pytest.raises(DomainError, match="不能删除"):
        with store.db.write() as s:
            MemberRepository(s, audit_for(s)).delete(m.uuid)


def test_delete_is_a_tombstone(store):
    b = branch()
    with store.db.write() as s:
        BranchRepository(s, audit_for(s)).add(b)
    with store.db.write() as s:
        BranchRepository(s, audit_for(s)).delete(b.uuid)
    with store.db.read() as s:
        repo = BranchRepository(s, audit_for(s))
        assert repo.list() == []
        assert [x.uuid for x in repo.list(include_deleted=True)] == [b.uuid]
        assert repo.get(b.uuid).deleted is True


def test_id_number_is_unique_within_a_township(store):
    a = member()
    b = member(name="李四", id_number=a.id_number)
    with pytest.raises(IntegrityError):
        with store.db.write() as s:
            repo = MemberRepository(s, audit_for(s))
            repo.add(a)
            repo.add(b)
    with store.db.read() as s:
        assert MemberRepository(s, audit_for(s)).count() == 0  # the whole transaction rolled back


def test_foreign_keys_are_enforced_at_commit(store):
    m = member(branch_uuid="00000000-0000-4000-8000-000000000000")
    with pytest.raises(IntegrityError):
        with store.db.write() as s:
            MemberRepository(s, audit_for(s)).add(m)


def test_branch_and_secretary_refer_to_each_other(store):
    b = branch()
    m = member(branch_uuid=b.uuid)
    b.secretary_uuid = m.uuid
    with store.db.write() as s:
        a = audit_for(s)
        BranchRepository(s, a).add(b)  # its secretary does not exist yet: checked at commit
        MemberRepository(s, a).add(m)
    with store.db.read() as s:
        assert BranchRepository(s, audit_for(s)).require(b.uuid).secretary_uuid == m.uuid


def test_bulk_add_matches_add(store):
    people = [member(name=f"测试{i}") for i in range(30)]
    with store.db.write() as s:
        assert MemberRepository(s, audit_for(s)).bulk_add(people, summary="30 条") == 30
    with store.db.read() as s:
        repo = MemberRepository(s, audit_for(s))
        assert {m.uuid: m for m in repo.list()} == {m.uuid: m for m in people}


def test_next_serial_per_township_and_year(store):
    def req(serial: int, year: int = 2026) -> R.ServiceRequest:
        return R.ServiceRequest(township_code=TOWNSHIP_CODE, year=year, serial=serial,
                                received_on=date(year, 3, 1), requester="赵六", category=RequestCategory.OTHER)

    with store.db.write() as s:
        repo = ServiceRequestRepository(s, audit_for(s))
        assert repo.next_serial(TOWNSHIP_CODE, 2026) == 1
        repo.bulk_add([req(1), req(2), req(7, 2025)])
        assert repo.next_serial(TOWNSHIP_CODE, 2026) == 3
        assert repo.next_serial(TOWNSHIP_CODE, 2025) == 8
        assert repo.next_serial("410999102000", 2026) == 1
