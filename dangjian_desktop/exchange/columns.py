"""One column specification per sheet: the Chinese headers, value kinds and widths that drive
the package writer, the package reader, the roster importer and the window's table views.

A ``Column`` names a domain field, its header as a clerk reads it, the kind of value (which
decides how it is written to and read from a cell) and, for the roster importer, the other
headers people use for it. ``SheetSpec`` lists the columns of one record type in the order a
clerk expects to read them; the bookkeeping fields (UUID, township, timestamps, deleted flag)
come last so a person can ignore them and the importer can match records by UUID.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from ..domain import enums as E
from ..domain import records as R


class Kind(StrEnum):
    TEXT = "text"
    ID_NUMBER = "id_number"  # 18-character text, never a number
    PHONE = "phone"
    DATE = "date"  # a calendar day
    PARTIAL_DATE = "partial_date"  # a day or a month (出生年月, 入党时间)
    INT = "int"
    DECIMAL = "decimal"
    BOOL = "bool"  # 是 / 否
    OPT_BOOL = "opt_bool"  # 是 / 否 / empty (not yet known)
    ENUM = "enum"
    UUID = "uuid"  # a record's own id or a reference to another record
    TIMESTAMP = "timestamp"


class Column(NamedTuple):  # named tuples: dataclasses cost the window's start ~1 ms to make
    field: str
    header: str
    kind: Kind = Kind.TEXT
    width: int = 12
    enum: type[StrEnum] | None = None
    synonyms: tuple[str, ...] = ()
    required: bool = False
    references: type[R.Record] | None = None  # for UUID columns that point at another record

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header this column is known by (for reading files made by people)."""
        return (self.header, *self.synonyms)


class SheetSpec(NamedTuple):
    name: str  # the sheet's name in the workbook, also the record type's label
    record_type: type[R.Record] | None
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("uuid",)

    def column(self, field_name: str) -> Column:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(field_name)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _enum(field_name: str, header: str, enum: type[StrEnum], width: int = 10, **kw) -> Column:
    return Column(field_name, header, Kind.ENUM, width, enum=enum, **kw)


def _ref(field_name: str, header: str, target: type[R.Record], **kw) -> Column:
    return Column(field_name, header, Kind.UUID, 38, references=target, **kw)


BOOKKEEPING: tuple[Column, ...] = (
    Column("uuid", "记录ID", Kind.UUID, 38, required=True),
    Column("township_code", "乡镇代码", Kind.TEXT, 14, required=True),
    Column("created_at", "创建时间", Kind.TIMESTAMP, 20, required=True),
    Column("updated_at", "修改时间", Kind.TIMESTAMP, 20, required=True),
    Column("deleted", "已删除", Kind.BOOL, 8),
)

TOWNSHIPS = SheetSpec("乡镇", R.Township, (
    Column("code", "区划代码", Kind.TEXT, 14, required=True),
    Column("name", "乡镇名称", Kind.TEXT, 16, required=True),
    *BOOKKEEPING,
))

VILLAGES = SheetSpec("村（社区）", R.Village, (
    Column("code", "村区划代码", Kind.TEXT, 14),
    Column("name", "村（社区）名称", Kind.TEXT, 16, required=True, synonyms=("村名", "村（社区）", "行政村")),
    _enum("kind", "类型", E.VillageKind, 8),
    _enum("category", "村类别", E.VillageCategory, 16),
    Column("service_center_area", "阵地面积（平方米）", Kind.DECIMAL, 12, synonyms=("党群服务中心面积",)),
    Column("first_secretary_name", "第一书记", Kind.TEXT, 10, synonyms=("驻村第一书记",)),
    Column("first_secretary_unit", "第一书记派出单位", Kind.TEXT, 20, synonyms=("派出单位",)),
    Column("first_secretary_start", "第一书记任期起", Kind.DATE, 12),
    Column("first_secretary_end", "第一书记任期止", Kind.DATE, 12),
    Column("work_team_size", "工作队员人数", Kind.INT, 10),
    Column("notes", "备注", Kind.TEXT, 20),
    *BOOKKEEPING,
))

VILLAGE_INCOMES = SheetSpec("村集体经济收入", None, (
    _ref("village_uuid", "村记录ID", R.Village),
    Column("year", "年度", Kind.INT, 8, required=True),
    Column("amount", "集体经济收入（万元）", Kind.DECIMAL, 14, required=True),
), key=("village_uuid", "year"))

GRID_GROUPS = SheetSpec("网格党小组", None, (
    _ref("village_uuid", "村记录ID", R.Village),
    Column("name", "网格党小组", Kind.TEXT, 16, required=True),
    Column("leader", "组长", Kind.TEXT, 10),
    Column("uuid", "记录ID", Kind.UUID, 38, required=True),
))

COOPERATIVES = SheetSpec("合作社", None, (
    _ref("village_uuid", "村记录ID", R.Village),
    Column("name", "合作社名称", Kind.TEXT, 24, required=True),
    Column("led_by_branch", "党支部领办", Kind.BOOL, 10),
    Column("headed_by_secretary", "书记任负责人", Kind.BOOL, 12),
    Column("uuid", "记录ID", Kind.UUID, 38, required=True),
))

BRANCHES = SheetSpec("党组织", R.Branch, (
    Column("code", "党组织代码", Kind.TEXT, 14),
    Column("name", "党组织名称", Kind.TEXT, 24, required=True, synonyms=("党组织", "支部名称")),
    _enum("kind", "党组织类别", E.OrgKind, 10),
    _ref("parent_uuid", "上级党组织ID", R.Branch, synonyms=("上级党组织", "上级党组织名称")),
    _ref("village_uuid", "所在村ID", R.Village, synonyms=("所在村", "所在村（社区）", "村（社区）")),
    _ref("secretary_uuid", "书记（党员ID）", R.Member),
    Column("secretary_full_time", "专职化书记", Kind.BOOL, 10),
    Column("secretary_is_xds", "书记为选调生", Kind.BOOL, 12),
    Column("founded_on", "成立时间", Kind.PARTIAL_DATE, 12),
    Column("last_election_on", "最近换届时间", Kind.DATE, 12, synonyms=("换届时间",)),
    Column("standardized", "标准化达标", Kind.OPT_BOOL, 10),
    Column("weak_year", "软弱涣散年度", Kind.INT, 12),
    _enum("rectification_status", "整顿状态", E.RectificationStatus, 10),
    Column("rectification_plan", "整顿方案", Kind.TEXT, 30, synonyms=("一支部一策",)),
    Column("notes", "备注", Kind.TEXT, 20),
    *BOOKKEEPING,
))

MEMBERS = SheetSpec("党员", R.Member, (
    Column("name", "姓名", Kind.TEXT, 10, required=True, synonyms=("党员姓名",)),
    _enum("gender", "性别", E.Gender, 6, required=True),
    Column("ethnicity", "民族", Kind.TEXT, 8),
    Column("id_number", "身份证号", Kind.ID_NUMBER, 21, required=True,
           synonyms=("公民身份号码", "身份证号码", "身份证", "居民身份证号码")),
    Column("birth_date", "出生日期", Kind.PARTIAL_DATE, 12, synonyms=("出生年月",)),
    _enum("education", "学历", E.Education, 10, synonyms=("文化程度",)),
    _enum("stage", "发展阶段", E.Stage, 12, required=True,
          synonyms=("人员类别（发展阶段）", "党员类别", "党员类型", "党员身份")),
    Column("applied_on", "申请入党时间", Kind.PARTIAL_DATE, 12,
           synonyms=("递交入党申请书时间", "申请入党日期", "入党申请时间")),
    Column("activist_on", "确定积极分子时间", Kind.PARTIAL_DATE, 12,
           synonyms=("列为积极分子时间", "确定为入党积极分子时间")),
    Column("candidate_on", "确定发展对象时间", Kind.PARTIAL_DATE, 12,
           synonyms=("列为发展对象时间", "确定为发展对象时间")),
    Column("probation_on", "入党时间", Kind.PARTIAL_DATE, 12,
           synonyms=("加入党组织日期", "入党日期", "入党年月", "接收为预备党员时间")),
    Column("full_on", "转正时间", Kind.PARTIAL_DATE, 12,
           synonyms=("转为正式党员日期", "转正日期", "转正年月")),
    _ref("branch_uuid", "所在党组织ID", R.Branch,
         synonyms=("所在党组织", "所在党支部", "所在支部", "所属党组织", "所属支部", "党支部")),
    _enum("category", "人员类别", E.MemberCategory, 10),
    Column("floating", "流动党员", Kind.BOOL, 8, synonyms=("是否流动党员",)),
    Column("floating_destination", "外出地点", Kind.TEXT, 16, synonyms=("外出去向", "流入地")),
    Column("phone", "联系电话", Kind.PHONE, 14, synonyms=("手机号码", "联系方式", "电话", "手机号", "手机")),
    Column("address", "家庭住址", Kind.TEXT, 24, synonyms=("住址", "现居住地", "家庭地址", "现住址")),
    Column("grid_group_uuid", "网格党小组ID", Kind.UUID, 38),
    Column("households_linked", "联系户数", Kind.INT, 8, synonyms=("联系户",)),
    Column("monthly_dues", "月交党费（元）", Kind.DECIMAL, 10, synonyms=("党费", "每月党费")),
    _enum("evaluation", "民主评议结果", E.Evaluation, 10, synonyms=("民主评议", "评议结果")),
    Column("evaluation_year", "评议年度", Kind.INT, 8),
    Column("archive_checked", "档案已审核", Kind.BOOL, 10, synonyms=("档案审核",)),
    _enum("leave_kind", "离开类型", E.LeaveKind, 8),
    Column("leave_on", "离开时间", Kind.PARTIAL_DATE, 12),
    Column("leave_reason", "离开原因", Kind.TEXT, 20),
    Column("notes", "备注", Kind.TEXT, 20),
    *BOOKKEEPING,
))

RESERVE_CADRES = SheetSpec("后备干部", R.ReserveCadre, (
    Column("name", "姓名", Kind.TEXT, 10, required=True),
    _enum("gender", "性别", E.Gender, 6, required=True),
    Column("id_number", "身份证号", Kind.ID_NUMBER, 21, required=True,
           synonyms=("公民身份号码", "身份证号码", "身份证")),
    Column("birth_date", "出生日期", Kind.PARTIAL_DATE, 12, synonyms=("出生年月",)),
    _enum("education", "学历", E.Education, 10, synonyms=("文化程度",)),
    _enum("political_status", "政治面貌", E.PoliticalStatus, 12),
    _ref("village_uuid", "所在村ID", R.Village, synonyms=("所在村", "所在村（社区）", "村（社区）", "村名")),
    _enum("source", "来源", E.ReserveSource, 16, synonyms=("人员来源",)),
    Column("occupation", "现任职务或职业", Kind.TEXT, 16, synonyms=("现职业", "现任职务")),
    _enum("intended_post", "拟培养方向", E.IntendedPost, 14, synonyms=("拟任职务", "培养方向")),
    Column("entered_on", "纳入时间", Kind.DATE, 12, synonyms=("确定时间", "纳入后备时间")),
    Column("mentor", "帮带人", Kind.TEXT, 10, synonyms=("培养联系人",)),
    Column("training_count", "参加培训次数", Kind.INT, 10),
    Column("trainings", "培训情况", Kind.TEXT, 24),
    _enum("assessment", "年度考核", E.Assessment, 10, synonyms=("考核结果",)),
    Column("assessment_year", "考核年度", Kind.INT, 8),
    _enum("status", "状态", E.ReserveStatus, 10),
    Column("status_on", "状态变化时间", Kind.DATE, 12),
    Column("phone", "联系电话", Kind.PHONE, 14, synonyms=("手机号码", "联系方式")),
    _ref("member_uuid", "党员记录ID", R.Member),
    Column("notes", "备注", Kind.TEXT, 20),
    *BOOKKEEPING,
))

SERVICE_REQUESTS = SheetSpec("代办事项", R.ServiceRequest, (
    Column("year", "年度", Kind.INT, 8, required=True),
    Column("serial", "序号", Kind.INT, 8, required=True, synonyms=("编号",)),
    Column("received_on", "受理日期", Kind.DATE, 12, required=True, synonyms=("受理时间",)),
    Column("requester", "申请人", Kind.TEXT, 10, required=True, synonyms=("群众姓名", "服务对象")),
    Column("requester_phone", "申请人电话", Kind.PHONE, 14, synonyms=("联系电话",)),
    _ref("village_uuid", "所在村ID", R.Village, synonyms=("所在村", "村（社区）", "村名")),
    _enum("category", "事项类别", E.RequestCategory, 10),
    Column("content", "代办内容", Kind.TEXT, 30, synonyms=("事项内容", "办理事项")),
    _enum("channel", "办理方式", E.Channel, 10),
    Column("clerk_a", "A岗代办员", Kind.TEXT, 10, synonyms=("A岗",)),
    Column("clerk_b", "B岗代办员", Kind.TEXT, 10, synonyms=("B岗",)),
    Column("due_on", "承诺办结日期", Kind.DATE, 12, synonyms=("办结时限",)),
    _enum("status", "办理状态", E.RequestStatus, 10),
    Column("return_reason", "退回原因", Kind.TEXT, 20),
    Column("completed_on", "办结日期", Kind.DATE, 12, synonyms=("办结时间",)),
    Column("result", "办理结果", Kind.TEXT, 24),
    _enum("satisfaction", "满意度", E.Satisfaction, 10, synonyms=("群众满意度",)),
    *BOOKKEEPING,
), key=("uuid",))

ACTIVITIES = SheetSpec("组织生活", R.Activity, (
    _ref("branch_uuid", "党组织ID", R.Branch, synonyms=("党组织", "党支部", "支部名称", "所在党组织")),
    _enum("kind", "活动类型", E.ActivityKind, 12, required=True, synonyms=("会议类型",)),
    Column("held_on", "日期", Kind.DATE, 12, required=True, synonyms=("召开时间", "活动日期")),
    Column("topic", "主题", Kind.TEXT, 30, synonyms=("会议主题", "内容")),
    Column("attendance", "实到人数", Kind.INT, 8, synonyms=("参加人数",)),
    Column("expected", "应到人数", Kind.INT, 8),
    Column("notes", "备注", Kind.TEXT, 20),
    *BOOKKEEPING,
))

SHEETS: tuple[SheetSpec, ...] = (
    TOWNSHIPS, VILLAGES, VILLAGE_INCOMES, GRID_GROUPS, COOPERATIVES, BRANCHES, MEMBERS,
    RESERVE_CADRES, SERVICE_REQUESTS, ACTIVITIES,
)

SHEET_OF: dict[type[R.Record], SheetSpec] = {s.record_type: s for s in SHEETS if s.record_type is not None}
