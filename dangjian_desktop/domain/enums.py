"""The code lists of the records. Each value is the Chinese term the clerk sees and the
database and the Excel sheets store, so a value reads the same everywhere."""

from __future__ import annotations

from enum import StrEnum


class UnitMode(StrEnum):
    TOWNSHIP = "乡镇"
    DISTRICT = "区"


class Gender(StrEnum):
    MALE = "男"
    FEMALE = "女"


class OrgKind(StrEnum):
    COMMITTEE = "党委"
    GENERAL_BRANCH = "党总支"
    BRANCH = "党支部"
    JOINT_BRANCH = "联合党支部"


# Which kinds may sit under which: 党委 → 党总支 → 党支部 (a 党委 may hold branches directly).
ORG_PARENT_KINDS: dict[OrgKind, tuple[OrgKind, ...]] = {
    OrgKind.COMMITTEE: (),
    OrgKind.GENERAL_BRANCH: (OrgKind.COMMITTEE,),
    OrgKind.BRANCH: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgKind.JOINT_BRANCH: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
}


class VillageKind(StrEnum):
    VILLAGE = "行政村"
    COMMUNITY = "社区"


class VillageCategory(StrEnum):
    """The village types the district reports first secretaries by."""

    ORDINARY = "一般村"
    LIFTED = "脱贫村"
    KEY_SUPPORT = "乡村振兴重点帮扶村"
    WEAK_ECONOMY = "集体经济薄弱村"


class Education(StrEnum):
    POSTGRADUATE = "研究生"
    BACHELOR = "大学本科"
    COLLEGE = "大学专科"
    SECONDARY_VOCATIONAL = "中专"
    HIGH_SCHOOL = "高中"
    JUNIOR = "初中"
    PRIMARY = "小学及以下"

    @property
    def high_school_or_above(self) -> bool:
        return self not in (Education.JUNIOR, Education.PRIMARY)


class Stage(StrEnum):
    """The five stages of 发展党员, in order."""

    APPLICANT = "入党申请人"
    ACTIVIST = "入党积极分子"
    CANDIDATE = "发展对象"
    PROBATIONARY = "预备党员"
    FULL = "正式党员"

    @property
    def index(self) -> int:
        return _STAGE_INDEX[self]

    @property
    def next(self) -> "Stage | None":
        i = _STAGE_INDEX[self] + 1
        return _STAGE_ORDER[i] if i < len(_STAGE_ORDER) else None

    @property
    def is_member(self) -> bool:
        """预备党员 and 正式党员 are members; the earlier stages are people being recruited."""
        return self in (Stage.PROBATIONARY, Stage.FULL)


# Validation asks for stage order per record: look it up, don't rebuild it.
_STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
_STAGE_INDEX: dict[Stage, int] = {stage: i for i, stage in enumerate(_STAGE_ORDER)}


class MemberCategory(StrEnum):
    FARMER = "农牧渔民"
    MIGRANT_WORKER = "外出务工"
    SELF_EMPLOYED = "个体经营"
    VILLAGE_CADRE = "村干部"
    RETIRED = "退休"
    STUDENT = "学生"
    OTHER = "其他"


class LeaveKind(StrEnum):
    TRANSFER_OUT = "转出"
    DEATH = "死亡"
    EXPELLED = "出党"


class Evaluation(StrEnum):
    EXCELLENT = "优秀"
    QUALIFIED = "合格"
    BASICALLY_QUALIFIED = "基本合格"
    UNQUALIFIED = "不合格"


class RectificationStatus(StrEnum):
    IN_PROGRESS = "整顿中"
    DONE = "已整顿销号"


class ReserveSource(StrEnum):
    ENTREPRENEUR = "致富能手"
    VETERAN = "复转军人"
    RETURNEE = "返乡创业就业人员"
    GRADUATE = "大学毕业生"
    OTHER = "其他"


class PoliticalStatus(StrEnum):
    PARTY_MEMBER = "中共党员"
    PROBATIONARY = "中共预备党员"
    LEAGUE_MEMBER = "共青团员"
    DEMOCRATIC_PARTY = "民主党派"
    MASSES = "群众"


class IntendedPost(StrEnum):
    SECRETARY = "村党组织书记"
    DIRECTOR = "村委会主任"
    COMMITTEE_MEMBER = "两委委员"


class ReserveStatus(StrEnum):
    TRAINING = "培养中"
    PROMOTED = "已进入两委"
    DROPPED = "已调出"


class Assessment(StrEnum):
    EXCELLENT = "优秀"
    COMPETENT = "称职"
    BASICALLY_COMPETENT = "基本称职"
    INCOMPETENT = "不称职"


class RequestCategory(StrEnum):
    SOCIAL_SECURITY = "社会保障"
    MEDICAL_INSURANCE = "医疗保险"
    HOUSEHOLD_PAPERS = "户籍证照"
    CIVIL_RELIEF = "民政救助"
    FARM_SUBSIDY = "农业补贴"
    LAND_FOREST = "土地林权"
    OTHER = "其他"


# Working days are not modelled; the default due period is in calendar days.
REQUEST_DUE_DAYS: dict[RequestCategory, int] = {
    RequestCategory.SOCIAL_SECURITY: 15,
    RequestCategory.MEDICAL_INSURANCE: 15,
    RequestCategory.HOUSEHOLD_PAPERS: 20,
    RequestCategory.CIVIL_RELIEF: 30,
    RequestCategory.FARM_SUBSIDY: 30,
    RequestCategory.LAND_FOREST: 60,
    RequestCategory.OTHER: 15,
}


class Channel(StrEnum):
    ON_BEHALF = "代办"
    VISIT_FOR = "代访"
    DOOR_TO_DOOR = "上门走访"
    DESK = "坐班受理"


class RequestStatus(StrEnum):
    RECEIVED = "已受理"
    IN_PROGRESS = "办理中"
    CLOSED = "已办结"
    RETURNED = "已退回"

    @property
    def is_open(self) -> bool:
        return self in (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


REQUEST_TRANSITIONS: dict[RequestStatus, tuple[RequestStatus, ...]] = {
    RequestStatus.RECEIVED: (RequestStatus.IN_PROGRESS, RequestStatus.CLOSED, RequestStatus.RETURNED),
    RequestStatus.IN_PROGRESS: (RequestStatus.CLOSED, RequestStatus.RETURNED),
    RequestStatus.CLOSED: (),
    RequestStatus.RETURNED: (),
}


class Satisfaction(StrEnum):
    SATISFIED = "满意"
    BASICALLY_SATISFIED = "基本满意"
    DISSATISFIED = "不满意"


class ActivityKind(StrEnum):
    """三会一课 and 主题党日."""

    GENERAL_MEETING = "支部党员大会"
    COMMITTEE_MEETING = "支委会"
    GROUP_MEETING = "党小组会"
    PARTY_LECTURE = "党课"
    THEME_DAY = "主题党日"


# How many of each kind a branch must hold per year (三会一课 rules).
ACTIVITY_REQUIRED_PER_YEAR: dict[ActivityKind, int] = {
    ActivityKind.GENERAL_MEETING: 4,
    ActivityKind.COMMITTEE_MEETING: 12,
    ActivityKind.GROUP_MEETING: 12,
    ActivityKind.PARTY_LECTURE: 4,
    ActivityKind.THEME_DAY: 12,
}


ETHNICITIES: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
assert len(ETHNICITIES) == 56
