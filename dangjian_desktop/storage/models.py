"""The ORM models (``*Row``): one table per record type, plus settings and the audit log.

Column names are the domain field names, so rows map to records field by field
(see ``repositories/mapping.py``). Foreign keys are DEFERRABLE INITIALLY DEFERRED because
branches and members refer to each other (a branch's secretary is a member of it) and a
whole snapshot is written in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..domain import enums as E
from ..domain.dates import PartialDate
from .types import DayType, DecimalText, PartialDateType, StrEnumType, UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _fk(target: str, nullable: bool = True, ondelete: str | None = None, use_alter: bool = False) -> Mapped:
    return mapped_column(
        String(36),
        ForeignKey(target, deferrable=True, initially="DEFERRED", ondelete=ondelete, use_alter=use_alter),
        nullable=nullable,
    )


def _initials_column() -> Mapped[str]:
    """Pinyin initials of the record's name, kept by the repositories (see ``search.py``)."""
    return mapped_column(String(64), default="", server_default="")


class RecordMixin:
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class SettingRow(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditRow(Base):
    """Every change: who, when, which record, which field, old → new."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    operator: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # 新增 / 修改 / 删除 / 导入 / 导出 / …
    table_name: Mapped[str] = mapped_column(String(32))
    record_uuid: Mapped[str | None] = mapped_column(String(36), index=True)
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class TownshipRow(RecordMixin, Base):
    __tablename__ = "townships"
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))


class VillageRow(RecordMixin, Base):
    __tablename__ = "villages"
    code: Mapped[str] = mapped_column(String(12), default="")
    name: Mapped[str] = mapped_column(String(64))
    initials: Mapped[str] = _initials_column()
    kind: Mapped[E.VillageKind] = mapped_column(StrEnumType(E.VillageKind))
    category: Mapped[E.VillageCategory] = mapped_column(StrEnumType(E.VillageCategory))
    service_center_area: Mapped[Decimal | None] = mapped_column(DecimalText())
    first_secretary_name: Mapped[str] = mapped_column(String(32), default="")
    first_secretary_unit: Mapped[str] = mapped_column(String(128), default="")
    first_secretary_start: Mapped[date | None] = mapped_column(DayType())
    first_secretary_end: Mapped[date | None] = mapped_column(DayType())
    work_team_size: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")


class VillageIncomeRow(Base):
    """集体经济收入 of one village in one year, 万元."""

    __tablename__ = "village_incomes"
    village_uuid: Mapped[str] = mapped_column(
        String(36), ForeignKey("villages.uuid", ondelete="CASCADE", deferrable=True, initially="DEFERRED"),
        primary_key=True,
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(DecimalText())


class GridGroupRow(Base):
    __tablename__ = "grid_groups"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    village_uuid: Mapped[str] = _fk("villages.uuid", nullable=False, ondelete="CASCADE")
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(64))
    leader: Mapped[str] = mapped_column(String(32), default="")


class CooperativeRow(Base):
    __tablename__ = "cooperatives"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    village_uuid: Mapped[str] = _fk("villages.uuid", nullable=False, ondelete="CASCADE")
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(128))
    led_by_branch: Mapped[bool] = mapped_column(Boolean, default=False)
    headed_by_secretary: Mapped[bool] = mapped_column(Boolean, default=False)


class BranchRow(RecordMixin, Base):
    __tablename__ = "branches"
    __table_args__ = (Index("ix_branches_order", "initials", "name"),)  # members by branch (migration 0004)
    code: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(String(128))
    initials: Mapped[str] = _initials_column()
    kind: Mapped[E.OrgKind] = mapped_column(StrEnumType(E.OrgKind))
    parent_uuid: Mapped[str | None] = _fk("branches.uuid")
    village_uuid: Mapped[str | None] = _fk("villages.uuid")
    # use_alter breaks the branches ⇄ members cycle for table ordering; SQLite still
    # writes the constraint inline in CREATE TABLE.
    secretary_uuid: Mapped[str | None] = _fk("members.uuid", use_alter=True)
    secretary_full_time: Mapped[bool] = mapped_column(Boolean, default=False)
    secretary_is_xds: Mapped[bool] = mapped_column(Boolean, default=False)
    founded_on: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    last_election_on: Mapped[date | None] = mapped_column(DayType())
    standardized: Mapped[bool | None] = mapped_column(Boolean)
    weak_year: Mapped[int | None] = mapped_column(Integer)
    rectification_status: Mapped[E.RectificationStatus | None] = mapped_column(StrEnumType(E.RectificationStatus))
    rectification_plan: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class MemberRow(RecordMixin, Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("township_code", "id_number"),
        Index("ix_members_branch_stage", "branch_uuid", "stage"),
        # the 在册 view's count, search and order by branch read this instead of the table (0004)
        Index("ix_members_listing", "branch_uuid", "initials", "name", "id_number", "leave_kind", "deleted"),
    )
    name: Mapped[str] = mapped_column(String(32), index=True)
    initials: Mapped[str] = _initials_column()
    gender: Mapped[E.Gender] = mapped_column(StrEnumType(E.Gender))
    ethnicity: Mapped[str] = mapped_column(String(16), default="汉族")
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    birth_date: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    education: Mapped[E.Education | None] = mapped_column(StrEnumType(E.Education))
    stage: Mapped[E.Stage] = mapped_column(StrEnumType(E.Stage))
    applied_on: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    activist_on: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    candidate_on: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    probation_on: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    full_on: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    branch_uuid: Mapped[str | None] = _fk("branches.uuid")
    category: Mapped[E.MemberCategory] = mapped_column(StrEnumType(E.MemberCategory))
    floating: Mapped[bool] = mapped_column(Boolean, default=False)
    floating_destination: Mapped[str] = mapped_column(String(128), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(256), default="")
    grid_group_uuid: Mapped[str | None] = _fk("grid_groups.uuid", ondelete="SET NULL")
    households_linked: Mapped[int] = mapped_column(Integer, default=0)
    monthly_dues: Mapped[Decimal | None] = mapped_column(DecimalText())
    evaluation: Mapped[E.Evaluation | None] = mapped_column(StrEnumType(E.Evaluation))
    evaluation_year: Mapped[int | None] = mapped_column(Integer)
    archive_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    leave_kind: Mapped[E.LeaveKind | None] = mapped_column(StrEnumType(E.LeaveKind))
    leave_on: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    leave_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ReserveCadreRow(RecordMixin, Base):
    __tablename__ = "reserve_cadres"
    name: Mapped[str] = mapped_column(String(32), index=True)
    initials: Mapped[str] = _initials_column()
    gender: Mapped[E.Gender] = mapped_column(StrEnumType(E.Gender))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    birth_date: Mapped[PartialDate | None] = mapped_column(PartialDateType())
    education: Mapped[E.Education | None] = mapped_column(StrEnumType(E.Education))
    political_status: Mapped[E.PoliticalStatus] = mapped_column(StrEnumType(E.PoliticalStatus))
    village_uuid: Mapped[str | None] = _fk("villages.uuid")
    source: Mapped[E.ReserveSource] = mapped_column(StrEnumType(E.ReserveSource))
    occupation: Mapped[str] = mapped_column(String(128), default="")
    intended_post: Mapped[E.IntendedPost] = mapped_column(StrEnumType(E.IntendedPost))
    entered_on: Mapped[date | None] = mapped_column(DayType())
    mentor: Mapped[str] = mapped_column(String(32), default="")
    training_count: Mapped[int] = mapped_column(Integer, default=0)
    trainings: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[E.Assessment | None] = mapped_column(StrEnumType(E.Assessment))
    assessment_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[E.ReserveStatus] = mapped_column(StrEnumType(E.ReserveStatus))
    status_on: Mapped[date | None] = mapped_column(DayType())
    phone: Mapped[str] = mapped_column(String(20), default="")
    member_uuid: Mapped[str | None] = _fk("members.uuid", ondelete="SET NULL")
    notes: Mapped[str] = mapped_column(Text, default="")


class ServiceRequestRow(RecordMixin, Base):
    __tablename__ = "service_requests"
    __table_args__ = (
        UniqueConstraint("township_code", "year", "serial"),
        Index("ix_service_requests_status_due", "status", "due_on"),
        Index("ix_service_requests_stats", "deleted", "township_code", "category", "channel", "received_on",  # 0004
              "status", "due_on", "completed_on", "satisfaction"),
    )
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(DayType(), index=True)
    requester: Mapped[str] = mapped_column(String(32))
    initials: Mapped[str] = _initials_column()
    requester_phone: Mapped[str] = mapped_column(String(20), default="")
    village_uuid: Mapped[str | None] = _fk("villages.uuid")
    category: Mapped[E.RequestCategory] = mapped_column(StrEnumType(E.RequestCategory))
    content: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[E.Channel] = mapped_column(StrEnumType(E.Channel))
    clerk_a: Mapped[str] = mapped_column(String(32), default="")
    clerk_b: Mapped[str] = mapped_column(String(32), default="")
    due_on: Mapped[date | None] = mapped_column(DayType())
    status: Mapped[E.RequestStatus] = mapped_column(StrEnumType(E.RequestStatus))
    return_reason: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column(DayType())
    result: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[E.Satisfaction | None] = mapped_column(StrEnumType(E.Satisfaction))


class ActivityRow(RecordMixin, Base):
    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_branch_held", "branch_uuid", "held_on"),)
    branch_uuid: Mapped[str] = _fk("branches.uuid", nullable=False)
    kind: Mapped[E.ActivityKind] = mapped_column(StrEnumType(E.ActivityKind))
    held_on: Mapped[date] = mapped_column(DayType())
    topic: Mapped[str] = mapped_column(String(256), default="")
    attendance: Mapped[int] = mapped_column(Integer, default=0)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")


class ImportLogRow(Base):
    """One monthly package imported at the district: which file, which export, what it changed."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    export_id: Mapped[str] = mapped_column(String(36), unique=True)
    township_code: Mapped[str] = mapped_column(String(12), index=True)
    township_name: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    sequence: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64))
    format_version: Mapped[int] = mapped_column(Integer)
    program_version: Mapped[str] = mapped_column(String(32), default="")
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    exported_by: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    operator: Mapped[str] = mapped_column(String(64), default="")
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: sheet -> new/changed/unchanged/removed/rows


class PackageReviewRow(Base):
    """The review of one township's package of one month (district) or the receipt received (township)."""

    __tablename__ = "package_reviews"
    township_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # 待审核 / 已通过 / 退回修改
    reason: Mapped[str] = mapped_column(Text, default="")
    export_id: Mapped[str | None] = mapped_column(String(36))
    reviewer: Mapped[str] = mapped_column(String(64), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    receipt_id: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExportSequenceRow(Base):
    """The per-township count of monthly packages exported from this database."""

    __tablename__ = "export_sequences"
    township_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_export_id: Mapped[str] = mapped_column(String(36), default="")
    last_period: Mapped[str] = mapped_column(String(7), default="")
    last_exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
