"""Editing records from the window: create, update and tombstone each kind, with validation;
the development pipeline (advance a stage, leave); service-request numbering, due dates and
status changes.

Every call is one short write transaction (``BEGIN IMMEDIATE``) with its audit lines, signed
with the operator in the settings. ``save`` returns the validation issues instead of raising:
errors block saving, warnings do not. The pipeline and status operations raise
``ValidationError`` (with the field and a Chinese message) when the change is not allowed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..domain import records as R
from ..domain.dates import PartialDate
from ..domain.enums import (
    REQUEST_DUE_DAYS, REQUEST_TRANSITIONS, ActivityKind, Gender, LeaveKind, RequestCategory, RequestStatus, Satisfaction,
)
from ..domain.errors import DomainError, Issue, RequiredError, ValidationError
from ..domain.pipeline import advance_stage, leave_member
from ..domain.unit import UnitSettings
from ..domain.validation import validate_branch_tree, validate_record
from ..storage import models as M
from ..storage.repositories import (
    BranchRepository, MemberRepository, ServiceRequestRepository, audit_for, repository_for,
)
from .store import Store

EDITABLE: tuple[type[R.Record], ...] = (R.Village, R.Branch, R.Member, R.ReserveCadre, R.ServiceRequest, R.Activity)


class ReadOnlyUnitError(DomainError):
    """A district database holds the townships' packages; records are entered in the townships."""


@dataclass(frozen=True)
class SaveResult:
    records: list[R.Record]
    issues: list[Issue] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not any(i.is_error for i in self.issues)

    @property
    def record(self) -> R.Record:
        return self.records[0]


def default_due(category: RequestCategory, received_on: date) -> date:
    """The promised completion date: the category's period (calendar days) after receipt."""
    return received_on + timedelta(days=REQUEST_DUE_DAYS.get(category, REQUEST_DUE_DAYS[RequestCategory.OTHER]))


class RecordService:
    """The window's writes. ``today`` is injectable so tests do not depend on the calendar."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today

    # -- the unit ------------------------------------------------------------------------------
    def unit(self) -> UnitSettings:
        unit = self.store.unit()
        if unit is None:
            raise DomainError(f"数据库 {self.store.path} 还没有设置单位，请先完成首次设置")
        return unit

    def _township_code(self) -> str:
        unit = self.unit()
        if unit.is_district:
            raise ReadOnlyUnitError("区级数据库中的记录来自各乡镇的月报数据包，只能查看；请在乡镇录入后再导入")
        return unit.code

    # -- reading one record ------------------------------------------------------------------------
    def get(self, kind: type[R.Record], uuid: str) -> R.Record:
        with self.store.db.read() as s:
            return repository_for(kind, s, audit_for(s)).require(uuid)

    # -- new records ---------------------------------------------------------------------------
    def new_record(self, kind: type[R.Record], **values: object) -> R.Record:
        """A blank record of ``kind`` owned by this township, with sensible defaults."""
        code = self._township_code()
        today = self.today()
        if kind is R.Member:
            values = {"name": "", "gender": Gender.MALE, "id_number": "", **values}
        elif kind is R.ReserveCadre:
            values = {"name": "", "gender": Gender.MALE, "id_number": "", "entered_on": today, **values}
        elif kind is R.ServiceRequest:
            return self.new_request(**values)  # type: ignore[arg-type]
        elif kind is R.Activity:
            values = {"branch_uuid": None, "kind": ActivityKind.COMMITTEE_MEETING, "held_on": today, **values}
        elif kind in (R.Branch, R.Village):
            values = {"name": "", **values}
        return kind(township_code=code, **values)  # type: ignore[arg-type]

    def new_request(self, received_on: date | None = None, **values: object) -> R.ServiceRequest:
        """A new 代办事项 with the next serial of its year and the due date of its category."""
        code = self._township_code()
        received_on = received_on or self.today()
        category = values.pop("category", RequestCategory.OTHER)
        assert isinstance(category, RequestCategory)
        with self.store.db.read() as s:
            serial = ServiceRequestRepository(s, audit_for(s)).next_serial(code, received_on.year)
        return R.ServiceRequest(township_code=code, year=received_on.year, serial=serial, received_on=received_on,
                                requester="", category=category, due_on=default_due(category, received_on),
                                **values)  # type: ignore[arg-type]

    def next_serial(self, year: int) -> int:
        code = self._township_code()
        with self.store.db.read() as s:
            return ServiceRequestRepository(s, audit_for(s)).next_serial(code, year)

    # -- checking and saving -------------------------------------------------------------------
    def validate(self, record: R.Record) -> list[Issue]:
        """The record's own findings plus those that need the database (duplicates, tree)."""
        issues = validate_record(record, self.today())
        with self.store.db.read() as s:
            issues += self._database_issues(s, [record])
        return issues

    def _database_issues(self, s, records: Sequence[R.Record]) -> list[Issue]:  # noqa: ANN001 - Session
        issues: list[Issue] = []
        for record in records:
            if isinstance(record, R.Member) and record.id_number:
                other = MemberRepository(s, audit_for(s)).by_id_number(record.id_number, record.township_code)
                if other is not None and other.uuid != record.uuid:
                    where = "（已离开，在历史党员中）" if other.leave_kind else ""
                    issues.append(Issue("id_number", f"身份证号已登记在党员“{other.name}”的记录中{where}，"
                                                     "同一个人不能登记两次，请核对"))
            if isinstance(record, R.Branch):
                branches = {b.uuid: b for b in BranchRepository(s, audit_for(s)).list()}
                branches[record.uuid] = record
                issues += validate_branch_tree(list(branches.values())).get(record.uuid, [])
        return issues

    def save(self, record: R.Record) -> SaveResult:
        return self.save_all([record])

    def save_all(self, records: Sequence[R.Record]) -> SaveResult:
        """Validate and write several records in one transaction (a branch and its village),
        or none of them if any has an error."""
        today = self.today()
        if not all(type(r) in EDITABLE for r in records):
            raise DomainError("这种记录不能在这里修改")
        self._township_code()
        records = [self._prepared(r) for r in records]
        issues = [i for r in records for i in validate_record(r, today)]
        if any(i.is_error for i in issues):
            return SaveResult(list(records), issues)
        with self.store.db.write() as s:
            issues += self._database_issues(s, records)
            if any(i.is_error for i in issues):
                return SaveResult(list(records), issues)
            audit = audit_for(s)
            for i, record in enumerate(records):
                repo = repository_for(type(record), s, audit)
                if repo.get(record.uuid) is None:
                    if isinstance(record, R.ServiceRequest):
                        record = records[i] = self._numbered(s, record)
                    repo.add(record)
                else:
                    repo.update(record)
        return SaveResult(list(records), issues)

    def _prepared(self, record: R.Record) -> R.Record:
        """Values derived before validation: a request's year follows its date of receipt."""
        if isinstance(record, R.ServiceRequest) and isinstance(record.received_on, date):
            return dataclasses.replace(record, year=record.received_on.year)
        return record

    def _numbered(self, s, request: R.ServiceRequest) -> R.ServiceRequest:  # noqa: ANN001 - Session
        """A new request takes the next serial of its year when it is written (the number the
        dialog showed, unless the date moved it to another year or another window took it)."""
        repo = ServiceRequestRepository(s, audit_for(s))
        return dataclasses.replace(request, serial=repo.next_serial(request.township_code, request.year))

    def delete(self, kind: type[R.Record], uuid: str) -> None:
        """A tombstone (so the deletion reaches the district); members leave instead."""
        self._township_code()
        with self.store.db.write() as s:
            audit = audit_for(s)
            if kind is R.Branch:
                self._check_branch_empty(s, uuid)
            repository_for(kind, s, audit).delete(uuid)

    def _check_branch_empty(self, s, uuid: str) -> None:  # noqa: ANN001 - Session
        members = s.scalar(select(func.count()).select_from(M.MemberRow).where(
            M.MemberRow.branch_uuid == uuid, M.MemberRow.deleted.is_(False), M.MemberRow.leave_kind.is_(None)))
        children = s.scalar(select(func.count()).select_from(M.BranchRow).where(
            M.BranchRow.parent_uuid == uuid, M.BranchRow.deleted.is_(False)))
        if members or children:
            raise DomainError(f"这个党组织下还有 {members} 名在册人员（党员或入党申请人等）、{children} 个下级党组织，"
                              "请先把他们转到其他党组织，再删除")

    # -- the development pipeline ---------------------------------------------------------------
    def advance_stage(self, uuid: str, on: PartialDate | date) -> R.Member:
        """Move a member to the next stage, dated ``on`` (order and one-year probation checked)."""
        return self._change_member(uuid, lambda m: advance_stage(m, on, self.today()))

    def leave(self, uuid: str, kind: LeaveKind | str, on: PartialDate | date, reason: str = "") -> R.Member:
        """Record 转出/死亡/出党; the member moves to 历史党员 and is never deleted."""
        return self._change_member(uuid, lambda m: leave_member(m, kind, on, reason, self.today()))

    def _change_member(self, uuid: str, change: Callable[[R.Member], R.Member]) -> R.Member:
        self._township_code()
        with self.store.db.write() as s:
            repo = MemberRepository(s, audit_for(s))
            member = change(repo.require(uuid))
            errors = [i for i in validate_record(member, self.today()) if i.is_error]
            if errors:
                raise ValidationError(errors[0].field, errors[0].message)
            repo.update(member)
            return member

    # -- service requests -----------------------------------------------------------------------
    def change_status(self, uuid: str, status: RequestStatus, on: date | None = None, *, reason: str = "",
                      result: str = "", satisfaction: Satisfaction | None = None) -> R.ServiceRequest:
        """Move a request along 已受理 → 办理中 → 已办结, or to 已退回 (with a reason)."""
        self._township_code()
        on = on or self.today()
        with self.store.db.write() as s:
            repo = ServiceRequestRepository(s, audit_for(s))
            request = repo.require(uuid)
            allowed = REQUEST_TRANSITIONS.get(request.status, ())
            if status not in allowed:
                raise ValidationError("status", f"事项已是“{request.status}”，不能改为“{status}”")
            changes: dict[str, object] = {"status": status}
            if status is RequestStatus.RETURNED:
                if not reason.strip():
                    raise RequiredError("return_reason", "退回事项必须填写退回原因，便于向群众说明")
                changes["return_reason"] = reason.strip()
            if status is RequestStatus.CLOSED:
                if on < request.received_on:
                    raise ValidationError("completed_on", f"办结日期 {on} 早于受理日期 {request.received_on}，请核对")
                if on > self.today():
                    raise ValidationError("completed_on", f"办结日期 {on} 晚于今天，请核对")
                changes.update(completed_on=on, satisfaction=satisfaction, result=result.strip() or request.result)
            updated = dataclasses.replace(request, **changes)  # type: ignore[arg-type]
            repo.update(updated)
            return updated
