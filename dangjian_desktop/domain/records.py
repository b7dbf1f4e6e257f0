"""The records of a township's party-building office as plain dataclasses.

Every record carries a stable UUID, the code of the township that owns it, created/updated
timestamps (UTC) and a deleted flag: a deletion is a tombstone, so that it travels to the
district. Members are never deleted at all: leaving is an event on the member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from .dates import PartialDate, add_years
from .enums import (
    Assessment, Channel, Education, Evaluation, Gender, IntendedPost, LeaveKind, MemberCategory,
    OrgKind, PoliticalStatus, RectificationStatus, RequestCategory, RequestStatus, ReserveSource,
    ReserveStatus, Satisfaction, Stage, VillageCategory, VillageKind, ActivityKind,
)


def new_uuid() -> str:
    import uuid  # here: the module (and the platform module it loads) costs the window's start ~3 ms

    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(kw_only=True)
class Record:
    uuid: str = field(default_factory=new_uuid)
    township_code: str = ""
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    deleted: bool = False


@dataclass(kw_only=True)
class Township(Record):
    """A township (乡镇/街道) known to this database: the own unit, or one a district imports."""

    code: str
    name: str

    def __post_init__(self) -> None:
        self.township_code = self.township_code or self.code


@dataclass(kw_only=True)
class GridGroup:
    """网格党小组: one grid of a village, with the members who link households in it."""

    uuid: str = field(default_factory=new_uuid)
    name: str
    leader: str = ""


@dataclass(kw_only=True)
class Cooperative:
    """A cooperative in the village; ``led_by_branch`` marks 党支部领办合作社."""

    uuid: str = field(default_factory=new_uuid)
    name: str
    led_by_branch: bool = False
    headed_by_secretary: bool = False


@dataclass(kw_only=True)
class Village(Record):
    """行政村/社区 and the village facts the district reports."""

    code: str = ""  # 12-digit 统计用区划代码, may be unknown
    name: str
    kind: VillageKind = VillageKind.VILLAGE
    category: VillageCategory = VillageCategory.ORDINARY
    service_center_area: Decimal | None = None  # 阵地面积, m²
    first_secretary_name: str = ""
    first_secretary_unit: str = ""
    first_secretary_start: date | None = None
    first_secretary_end: date | None = None
    work_team_size: int = 0  # 工作队员 besides the first secretary
    incomes: dict[int, Decimal] = field(default_factory=dict)  # 集体经济收入, 万元, by year
    grid_groups: list[GridGroup] = field(default_factory=list)
    cooperatives: list[Cooperative] = field(default_factory=list)
    notes: str = ""

    def has_first_secretary_on(self, on: date) -> bool:
        if not self.first_secretary_name or self.first_secretary_start is None:
            return False
        return self.first_secretary_start <= on and (
            self.first_secretary_end is None or on <= self.first_secretary_end
        )


@dataclass(kw_only=True)
class Branch(Record):
    """党组织: a node of the tree 党委 → 党总支 → 党支部."""

    code: str = ""
    name: str
    kind: OrgKind = OrgKind.BRANCH
    parent_uuid: str | None = None
    village_uuid: str | None = None
    secretary_uuid: str | None = None  # a member
    secretary_full_time: bool = False  # 专职化村党组织书记
    secretary_is_xds: bool = False  # 选调生
    founded_on: PartialDate | None = None
    last_election_on: date | None = None  # 换届
    standardized: bool | None = None  # 标准化 达标; None: not yet checked
    weak_year: int | None = None  # listed as 软弱涣散 in this year
    rectification_status: RectificationStatus | None = None
    rectification_plan: str = ""  # 一支部一策
    notes: str = ""

    @property
    def next_election_due(self) -> date | None:
        return add_years(self.last_election_on, 5) if self.last_election_on else None


STAGE_DATE_FIELDS: dict[Stage, str] = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.CANDIDATE: "candidate_on",
    Stage.PROBATIONARY: "probation_on",
    Stage.FULL: "full_on",
}


@dataclass(kw_only=True)
class Member(Record):
    """党员, or a person on the way to becoming one (the five stages of 发展党员)."""

    name: str
    gender: Gender
    ethnicity: str = "汉族"
    id_number: str
    birth_date: PartialDate | None = None  # derived from the ID number when it is valid
    education: Education | None = None
    stage: Stage = Stage.FULL
    applied_on: PartialDate | None = None  # 递交入党申请
    activist_on: PartialDate | None = None  # 确定为入党积极分子
    candidate_on: PartialDate | None = None  # 确定为发展对象
    probation_on: PartialDate | None = None  # 入党时间 (接收为预备党员)
    full_on: PartialDate | None = None  # 转正时间
    branch_uuid: str | None = None
    category: MemberCategory = MemberCategory.OTHER
    floating: bool = False  # 流动党员
    floating_destination: str = ""  # 外出地点
    phone: str = ""
    address: str = ""
    grid_group_uuid: str | None = None
    households_linked: int = 0  # 联系户
    monthly_dues: Decimal | None = None  # 党费, 元/月
    evaluation: Evaluation | None = None  # 民主评议 result of evaluation_year
    evaluation_year: int | None = None
    archive_checked: bool = False  # 档案审核
    leave_kind: LeaveKind | None = None
    leave_on: PartialDate | None = None
    leave_reason: str = ""
    notes: str = ""

    def stage_date(self, stage: Stage) -> PartialDate | None:
        return getattr(self, STAGE_DATE_FIELDS[stage])

    @property
    def is_active(self) -> bool:
        """在册: not left and not deleted."""
        return self.leave_kind is None and not self.deleted

    @property
    def joined_on(self) -> PartialDate | None:
        """入党时间 is the day the person was admitted as 预备党员."""
        return self.probation_on

    @property
    def probation_due(self) -> date | None:
        """预备期 is one year: the day 转正 becomes due."""
        if self.stage is not Stage.PROBATIONARY or self.probation_on is None:
            return None
        return add_years(self.probation_on.value, 1)

    def probation_ended(self, on: date) -> bool:
        due = self.probation_due
        return due is not None and on >= due


@dataclass(kw_only=True)
class ReserveCadre(Record):
    """后备干部 of a village, possibly linked to a member record."""

    name: str
    gender: Gender
    id_number: str
    birth_date: PartialDate | None = None
    education: Education | None = None
    political_status: PoliticalStatus = PoliticalStatus.MASSES
    village_uuid: str | None = None
    source: ReserveSource = ReserveSource.OTHER
    occupation: str = ""
    intended_post: IntendedPost = IntendedPost.COMMITTEE_MEMBER
    entered_on: date | None = None
    mentor: str = ""  # 帮带人
    training_count: int = 0
    trainings: str = ""  # one training a line
    assessment: Assessment | None = None
    assessment_year: int | None = None
    status: ReserveStatus = ReserveStatus.TRAINING
    status_on: date | None = None  # when it became 已进入两委 / 已调出
    phone: str = ""
    member_uuid: str | None = None
    notes: str = ""


@dataclass(kw_only=True)
class ServiceRequest(Record):
    """代办事项: a villager's request handled under the 为民服务代理制."""

    year: int
    serial: int  # per township and year
    received_on: date
    requester: str
    requester_phone: str = ""
    village_uuid: str | None = None
    category: RequestCategory = RequestCategory.OTHER
    content: str = ""
    channel: Channel = Channel.ON_BEHALF
    clerk_a: str = ""  # A岗
    clerk_b: str = ""  # B岗
    due_on: date | None = None
    status: RequestStatus = RequestStatus.RECEIVED
    return_reason: str = ""
    completed_on: date | None = None
    result: str = ""
    satisfaction: Satisfaction | None = None

    @property
    def number(self) -> str:
        return f"{self.year}-{self.serial:04d}"

    def is_overdue(self, on: date) -> bool:
        """Not closed by its due date: still open past it, or closed after it."""
        if self.due_on is None or self.status is RequestStatus.RETURNED:
            return False
        if self.status is RequestStatus.CLOSED:
            return self.completed_on is not None and self.completed_on > self.due_on
        return on > self.due_on


@dataclass(kw_only=True)
class Activity(Record):
    """组织生活: one meeting of 三会一课 or a 主题党日 of a branch."""

    branch_uuid: str
    kind: ActivityKind
    held_on: date
    topic: str = ""
    attendance: int = 0
    expected: int = 0
    notes: str = ""


RECORD_TYPES: tuple[type[Record], ...] = (Township, Village, Branch, Member, ReserveCadre, ServiceRequest, Activity)
