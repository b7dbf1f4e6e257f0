"""services/records.py: saving with validation, the pipeline, request numbering and status."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

import factories as F
from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import (
    LeaveKind, OrgKind, RequestCategory, RequestStatus, Satisfaction, Stage, UnitMode,
)
from dangjian_desktop.domain.errors import DomainError, ValidationError
from dangjian_desktop.domain.unit import UnitSettings
from dangjian_desktop.services.query import QueryService, RecordFilter
from dangjian_desktop.services.records import ReadOnlyUnitError, RecordService, default_due
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from dangjian_desktop.storage.repositories import AuditLog


@pytest.fixture
def service(store):
    return RecordService(store, today=lambda: TODAY)


def _audit(store, uuid):
    with store.db.read() as s:
        return AuditLog(s, "").entries(uuid)


def test_save_blocks_errors_then_saves_the_fix(service, store):
    good = F.id_number(date(1980, 5, 17))
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    member = F.member("张三", id_number=wrong_check)
    result = service.save(member)
    assert not result.saved
    assert [i.field for i in result.issues if i.is_error] == ["id_number"]
    assert QueryService(store).count(R.Member) == 0

    fixed = dataclasses.replace(member, id_number=good)
    result = service.save(fixed)
    assert result.saved
    assert service.get(R.Member, member.uuid).id_number == fixed.id_number
    assert [e.action for e in _audit(store, member.uuid)] == ["新增"]
    assert store.unit().operator == "测试员"
    assert _audit(store, member.uuid)[0].operator == "测试员"


def test_update_writes_changed_fields_to_the_audit(service, store):
    member = F.member("张三")
    assert service.save(member).saved
    assert service.save(dataclasses.replace(member, phone="13812345678")).saved
    changes = [(e.field, e.new_value) for e in _audit(store, member.uuid) if e.action == "修改"]
    assert changes == [("phone", "13812345678")]


def test_duplicate_id_number_is_refused_in_chinese(service):
    first = F.member("张三")
    assert service.save(first).saved
    twin = F.member("张叁", id_number=first.id_number)
    result = service.save(twin)
    assert not result.saved
    assert any("已登记在党员“张三”" in i.message for i in result.issues)


def test_advance_stage_checks_order_and_probation(service):
    applicant = F.member("李四", stage=Stage.APPLICANT, applied_on=PartialDate.day(2025, 3, 1))
    assert service.save(applicant).saved
    with pytest.raises(ValidationError, match="早于"):
        service.advance_stage(applicant.uuid, date(2025, 1, 1))
    moved = service.advance_stage(applicant.uuid, date(2025, 9, 1))
    assert moved.stage is Stage.ACTIVIST
    assert service.get(R.Member, applicant.uuid).activist_on == PartialDate.day(2025, 9, 1)
    service.advance_stage(applicant.uuid, date(2026, 1, 10))
    service.advance_stage(applicant.uuid, date(2026, 2, 1))
    with pytest.raises(ValidationError, match="预备期为一年"):
        service.advance_stage(applicant.uuid, date(2026, 11, 1))
    assert service.get(R.Member, applicant.uuid).stage is Stage.PROBATIONARY


def test_leave_moves_member_to_history_and_members_are_never_deleted(service, store):
    member = F.member("王五")
    assert service.save(member).saved
    with pytest.raises(DomainError, match="不能删除"):
        service.delete(R.Member, member.uuid)
    with pytest.raises(ValidationError, match="原因"):
        service.leave(member.uuid, LeaveKind.EXPELLED, date(2026, 5, 1), "")
    service.leave(member.uuid, LeaveKind.DEATH, date(2026, 5, 1), "病故")
    query = QueryService(store, today=lambda: TODAY)
    assert query.count(R.Member, RecordFilter(values={"status": "已离开"})) == 1
    assert query.count(R.Member, RecordFilter(values={"status": "在册"})) == 0
    with pytest.raises(ValidationError, match="不能重复"):
        service.leave(member.uuid, LeaveKind.TRANSFER_OUT, date(2026, 6, 1), "")


def test_new_request_gets_next_serial_and_default_due(service):
    first = service.new_request(date(2026, 3, 2), category=RequestCategory.LAND_FOREST)
    assert (first.year, first.serial, first.due_on) == (2026, 1, date(2026, 5, 1))
    assert first.due_on == default_due(RequestCategory.LAND_FOREST, date(2026, 3, 2))
    assert service.save(dataclasses.replace(first, requester="孙二娘")).saved
    second = service.new_request(date(2026, 4, 1))
    assert second.serial == 2 and second.number == "2026-0002"
    assert service.new_request(date(2025, 12, 1)).serial == 1  # numbering restarts each year


def test_a_serial_taken_meanwhile_is_replaced(service):
    a = dataclasses.replace(service.new_request(date(2026, 3, 2)), requester="甲")
    b = dataclasses.replace(service.new_request(date(2026, 3, 2)), requester="乙")
    assert a.serial == b.serial == 1
    assert service.save(a).saved
    saved = service.save(b)
    assert saved.saved and saved.record.serial == 2


def test_request_status_moves_by_the_rules(service):
    request = dataclasses.replace(service.new_request(date(2026, 11, 2)), requester="孙二娘")
    assert service.save(request).saved
    with pytest.raises(ValidationError, match="退回原因"):
        service.change_status(request.uuid, RequestStatus.RETURNED, reason=" ")
    assert service.change_status(request.uuid, RequestStatus.IN_PROGRESS).status is RequestStatus.IN_PROGRESS
    closed = service.change_status(request.uuid, RequestStatus.CLOSED, date(2026, 11, 20), result="已办好",
                                   satisfaction=Satisfaction.SATISFIED)
    stored = service.get(R.ServiceRequest, request.uuid)
    assert (stored.status, stored.completed_on, stored.satisfaction, stored.result) == (
        RequestStatus.CLOSED, date(2026, 11, 20), Satisfaction.SATISFIED, "已办好")
    assert closed == stored
    with pytest.raises(ValidationError, match="不能改为"):
        service.change_status(request.uuid, RequestStatus.IN_PROGRESS)


def test_returned_request_keeps_its_reason(service):
    request = dataclasses.replace(service.new_request(date(2026, 11, 2)), requester="孙二娘")
    service.save(request)
    service.change_status(request.uuid, RequestStatus.RETURNED, reason="材料不全")
    assert service.get(R.ServiceRequest, request.uuid).return_reason == "材料不全"


def test_branch_with_members_cannot_be_deleted(service):
    branch = F.branch()
    assert service.save(branch).saved
    assert service.save(F.member(branch_uuid=branch.uuid)).saved
    with pytest.raises(DomainError, match="1 名在册人员"):
        service.delete(R.Branch, branch.uuid)


def test_branch_and_village_are_saved_together_or_not_at_all(service, store):
    village = F.village()
    branch = F.branch(village_uuid=village.uuid)
    assert service.save_all([village, branch]).saved
    bad_village = dataclasses.replace(village, incomes={2025: Decimal("-3")})
    renamed = dataclasses.replace(branch, name="东岭村党总支")
    result = service.save_all([renamed, bad_village])
    assert not result.saved and any(i.field == "incomes" for i in result.issues)
    assert service.get(R.Branch, branch.uuid).name == "东岭村党支部"


def test_branch_parent_cycle_is_an_error(service):
    a = F.branch("甲总支", kind=OrgKind.GENERAL_BRANCH)
    assert service.save(a).saved
    b = F.branch("乙支部", parent_uuid=a.uuid)
    assert service.save(b).saved
    result = service.save(dataclasses.replace(a, parent_uuid=b.uuid))
    assert not result.saved and any(i.field == "parent_uuid" for i in result.issues)


def test_district_database_is_read_only(tmp_path):
    with Store.open(tmp_path / "district.db") as store:
        init_unit(store, UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "区管理员"))
        service = RecordService(store, today=lambda: TODAY)
        with pytest.raises(ReadOnlyUnitError):
            service.new_record(R.Member)
        with pytest.raises(ReadOnlyUnitError):
            service.save(F.member())


@pytest.mark.parametrize("kind", [R.Village, R.Branch, R.Member, R.ReserveCadre, R.ServiceRequest, R.Activity])
def test_new_record_of_every_kind_is_owned_by_the_township(service, kind):
    record = service.new_record(kind)
    assert isinstance(record, kind) and record.township_code == "410999101000"
