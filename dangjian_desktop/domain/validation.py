"""Checking whole records before they are saved, exported or imported.

Each ``validate_*`` function looks at one record and returns every finding as an ``Issue``
(an error blocks saving, a warning does not); none of them raises.  Enum fields accept the
enum member or its Chinese value as a plain string.  ``validate_branch_tree`` checks the
parent links of all branches together; ``validate_record`` picks the right validator.

The rules on the stage dates of 发展党员 live in ``pipeline.py``, so that validation and the
pipeline operations agree; the checks of single fields the validators share are in
``field_checks.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from .dates import PartialDate, Precision, age_on
from .enums import (
    ORG_PARENT_KINDS, ActivityKind, Assessment, Channel, Education, Evaluation,
    Gender, IntendedPost, LeaveKind, MemberCategory, OrgKind, PoliticalStatus,
    RectificationStatus, RequestCategory, RequestStatus, ReserveSource, ReserveStatus,
    Satisfaction, Stage, VillageCategory, VillageKind,
)
from .errors import IdNumberError, Issue
from .field_checks import (
    add_error, add_warning, check_date, check_enum, check_ethnicity, check_number, check_phone,
    check_required_text, check_year, is_blank,
)
from .idcard import parse_id_number
from .pipeline import (
    STAGE_DATE_LABELS, as_partial, latest_stage_date, not_after, stage_date_issues,
)
from .records import Activity, Branch, Member, Record, ReserveCadre, ServiceRequest, Township, Village


# ----------------------------------------------------------------- records

def _identity(issues: list[Issue], rec: Member | ReserveCadre, today: date) -> date | None:
    """Check 身份证号, gender and birth date against each other; return the best birth date."""
    gender = check_enum(issues, "gender", rec.gender, Gender, "性别")
    birth = check_date(issues, "birth_date", rec.birth_date, "出生日期", today)
    try:
        parsed = parse_id_number(rec.id_number, field="id_number", today=today)
    except IdNumberError as e:
        issues.append(Issue.from_error(e))
        return birth.value if birth else None
    if parsed.converted_from_15:
        add_error(issues, "id_number", f"身份证号是 15 位旧号码，应保存为 18 位：{parsed.value}")
    elif parsed.value != rec.id_number:
        add_error(issues, "id_number", f"身份证号应保存为规范形式 {parsed.value}（半角数字、大写 X、无空格）")
    if gender is not None and gender is not parsed.gender:
        add_error(issues, "gender", f"性别“{gender}”与身份证号不符（第 17 位表示“{parsed.gender}”），请核对性别或身份证号")
    if birth is not None and not _same_birth(birth, parsed.birth_date):
        add_error(issues, "birth_date", f"出生日期 {birth} 与身份证号中的 {parsed.birth_date.isoformat()} 不符，请核对")
    return parsed.birth_date


def _same_birth(birth: PartialDate, from_id: date) -> bool:
    if birth.precision is Precision.MONTH:
        return (birth.value.year, birth.value.month) == (from_id.year, from_id.month)
    return birth.value == from_id


# ----------------------------------------------------------------- members

def validate_member(m: Member, today: date) -> list[Issue]:
    """All findings about a 党员 (or a person in an earlier stage of 发展党员)."""
    issues: list[Issue] = []
    check_required_text(issues, "name", m.name, "姓名")
    birth = _identity(issues, m, today)
    check_ethnicity(issues, m.ethnicity)
    check_enum(issues, "education", m.education, Education, "学历", optional=True)
    check_enum(issues, "category", m.category, MemberCategory, "人员类别")
    check_enum(issues, "stage", m.stage, Stage, "发展阶段")
    issues.extend(stage_date_issues(m, today))
    _application_age(issues, birth, as_partial(m.applied_on))
    _leave(issues, m, today)
    check_phone(issues, "phone", m.phone)
    check_number(issues, "households_linked", m.households_linked, "联系户数", optional=False, integer=True)
    check_number(issues, "monthly_dues", m.monthly_dues, "每月党费")
    result = check_enum(issues, "evaluation", m.evaluation, Evaluation, "民主评议结果", optional=True)
    _result_year(issues, result, m.evaluation_year, "evaluation_year", "民主评议", today)
    if m.floating and is_blank(m.floating_destination):
        add_warning(issues, "floating_destination", "流动党员请填写外出地点，便于联系")
    if is_blank(m.branch_uuid) and m.leave_kind is None:  # a roster may not say: kept, but never silently
        add_warning(issues, "branch_uuid", "没有选择所在党组织：各党组织的人数和组织生活统计都不会算上这个人，请补选")
    return issues


def _application_age(issues: list[Issue], birth: date | None, applied: PartialDate | None) -> None:
    if birth is None or applied is None:
        return
    if age_on(birth, applied.latest()) < 18:
        add_error(issues, "applied_on", f"递交入党申请时未满 18 周岁（出生于 {birth.isoformat()}，"
                                   f"申请日期 {applied}），请核对申请日期或身份证号")


def _leave(issues: list[Issue], m: Member, today: date) -> None:
    kind = check_enum(issues, "leave_kind", m.leave_kind, LeaveKind, "离开方式", optional=True)
    on = check_date(issues, "leave_on", m.leave_on, "离开日期", today)
    if m.leave_kind is None:
        if m.leave_on is not None:
            add_error(issues, "leave_kind", "填写了离开日期，但没有选择离开方式（转出/死亡/出党）")
        return
    if m.leave_on is None:
        add_error(issues, "leave_on", f"已选择离开方式“{m.leave_kind}”，请填写离开日期")
    elif on is not None and (last := latest_stage_date(m)) and not not_after(last[1], on):
        add_error(issues, "leave_on", f"离开日期 {on} 早于{STAGE_DATE_LABELS[last[0]]} {last[1]}，请核对")
    if kind is LeaveKind.EXPELLED and is_blank(m.leave_reason):
        add_error(issues, "leave_reason", "出党必须填写原因（如处分决定文号）")
    elif kind is LeaveKind.TRANSFER_OUT and is_blank(m.leave_reason):
        add_warning(issues, "leave_reason", "转出请在离开原因中写明转往的党组织，便于核对组织关系转接")


def _result_year(issues: list[Issue], result: object, year: object, field: str, label: str,
                 today: date) -> None:
    """A yearly result (民主评议, 考核) needs its year, and the year must be plausible."""
    if year is not None:
        check_year(issues, field, year, f"{label}年度", today.year)
    elif result is not None:
        add_error(issues, field, f"填写了{label}结果，请同时填写{label}年度")


# ----------------------------------------------------------------- reserve cadres

def validate_reserve_cadre(c: ReserveCadre, today: date) -> list[Issue]:
    """All findings about a 后备干部."""
    issues: list[Issue] = []
    check_required_text(issues, "name", c.name, "姓名")
    _identity(issues, c, today)
    check_enum(issues, "education", c.education, Education, "学历", optional=True)
    political = check_enum(issues, "political_status", c.political_status, PoliticalStatus, "政治面貌")
    check_enum(issues, "source", c.source, ReserveSource, "来源")
    check_enum(issues, "intended_post", c.intended_post, IntendedPost, "拟任岗位")
    status = check_enum(issues, "status", c.status, ReserveStatus, "培养状态")
    assessment = check_enum(issues, "assessment", c.assessment, Assessment, "年度考核结果", optional=True)
    _result_year(issues, assessment, c.assessment_year, "assessment_year", "考核", today)
    entered = check_date(issues, "entered_on", c.entered_on, "纳入后备干部日期", today, month_ok=False)
    status_on = check_date(issues, "status_on", c.status_on, "状态变动日期", today, month_ok=False)
    if entered is not None and status_on is not None and status_on.value < entered.value:
        add_error(issues, "status_on", f"状态变动日期 {status_on} 早于纳入后备干部日期 {entered}，请核对")
    if status in (ReserveStatus.PROMOTED, ReserveStatus.DROPPED) and c.status_on is None:
        add_warning(issues, "status_on", f"状态为“{status}”，请填写变动日期")
    check_number(issues, "training_count", c.training_count, "参加培训次数", optional=False, integer=True)
    check_phone(issues, "phone", c.phone)
    party = (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)
    if c.member_uuid and political is not None and political not in party:
        add_warning(issues, "political_status", f"已关联党员档案，但政治面貌是“{political}”，"
                                          "应为“中共党员”或“中共预备党员”，请核对")
    return issues


# ----------------------------------------------------------------- branches

def validate_branch(b: Branch, today: date | None = None) -> list[Issue]:
    """Findings about one 党组织 on its own; the tree is checked by ``validate_branch_tree``."""
    today = today or date.today()
    issues: list[Issue] = []
    check_required_text(issues, "name", b.name, "党组织名称")
    check_enum(issues, "kind", b.kind, OrgKind, "党组织类型")
    if b.weak_year is not None:
        check_year(issues, "weak_year", b.weak_year, "列为软弱涣散党组织的年份", today.year + 1)
    status = check_enum(issues, "rectification_status", b.rectification_status, RectificationStatus,
                   "整顿状态", optional=True)
    if status is not None and b.weak_year is None:
        add_error(issues, "rectification_status", "填写了整顿状态，请先填写列为软弱涣散党组织的年份")
    founded = check_date(issues, "founded_on", b.founded_on, "成立日期", today)
    election = check_date(issues, "last_election_on", b.last_election_on, "上次换届日期", today, month_ok=False)
    if founded is not None and election is not None and not not_after(founded, election):
        add_error(issues, "last_election_on", f"上次换届日期 {election} 早于成立日期 {founded}，请核对")
    return issues


def validate_branch_tree(branches: list[Branch]) -> dict[str, list[Issue]]:
    """Parent links of all branches: the parent exists, may hold this kind, and no cycles.

    Returns the issues by branch UUID, only for branches that have some.
    """
    by_uuid = {b.uuid: b for b in branches}
    result: dict[str, list[Issue]] = {}
    for b in branches:
        issues = [] if b.deleted else _parent_issues(b, by_uuid)
        if issues:
            result[b.uuid] = issues
    for uuid in _in_cycles(by_uuid):
        result.setdefault(uuid, []).append(Issue(
            "parent_uuid", "上级党组织设置形成了循环（某个党组织成了自己的上级），请重新选择上级党组织"))
    return result


def _parent_issues(b: Branch, by_uuid: dict[str, Branch]) -> list[Issue]:
    if not b.parent_uuid or b.parent_uuid == b.uuid:
        return []
    parent = by_uuid.get(b.parent_uuid)
    if parent is None or parent.deleted:
        return [Issue("parent_uuid", f"“{b.name}”的上级党组织不存在或已删除，请重新选择上级党组织")]
    kind, parent_kind = _quiet_kind(b.kind), _quiet_kind(parent.kind)
    if kind is None or parent_kind is None or parent_kind in ORG_PARENT_KINDS[kind]:
        return []
    allowed = "、".join(ORG_PARENT_KINDS[kind])
    rule = f"{kind}的上级只能是{allowed}" if allowed else f"{kind}是最上级党组织，不能设置上级"
    return [Issue("parent_uuid", f"“{b.name}”不能设在{parent_kind}“{parent.name}”之下：{rule}")]


def _quiet_kind(value: object) -> OrgKind | None:
    return check_enum([], "kind", value, OrgKind, "")


def _in_cycles(by_uuid: dict[str, Branch]) -> list[str]:
    """UUIDs of the branches that lie on a cycle of parent links, in input order."""
    on_cycle: set[str] = set()
    for start in by_uuid:
        path: list[str] = []
        seen: set[str] = set()
        node: str | None = start
        while node is not None and node in by_uuid and node not in seen:
            seen.add(node)
            path.append(node)
            node = by_uuid[node].parent_uuid
        if node is not None and node in seen:
            on_cycle.update(path[path.index(node):])
    return [u for u in by_uuid if u in on_cycle]


# ----------------------------------------------------------------- villages, townships

def validate_village(v: Village, today: date) -> list[Issue]:
    """Findings about a 行政村/社区 and its reported facts."""
    issues: list[Issue] = []
    check_required_text(issues, "name", v.name, "村（社区）名称")
    if v.code and not (isinstance(v.code, str) and re.fullmatch(r"[0-9]{12}", v.code)):
        add_error(issues, "code", f"村代码“{v.code}”应为 12 位数字（统计用区划代码），不清楚时可以不填")
    check_enum(issues, "kind", v.kind, VillageKind, "村（社区）类型")
    check_enum(issues, "category", v.category, VillageCategory, "村类别")
    check_number(issues, "service_center_area", v.service_center_area, "党群服务中心面积")
    check_number(issues, "work_team_size", v.work_team_size, "工作队员人数", optional=False, integer=True)
    _incomes(issues, v.incomes, today)
    start = check_date(issues, "first_secretary_start", v.first_secretary_start, "第一书记任期开始日期", month_ok=False)
    end = check_date(issues, "first_secretary_end", v.first_secretary_end, "第一书记任期结束日期", month_ok=False)
    if start is not None and end is not None and end.value < start.value:
        add_error(issues, "first_secretary_end", f"第一书记任期结束日期 {end} 早于开始日期 {start}，请核对")
    if (start is not None or end is not None) and is_blank(v.first_secretary_name):
        add_error(issues, "first_secretary_name", "填写了第一书记任期，请填写第一书记姓名")
    if any(is_blank(g.name) for g in v.grid_groups):
        add_error(issues, "grid_groups", "网格党小组的名称不能为空，请填写")
    if any(is_blank(c.name) for c in v.cooperatives):
        add_error(issues, "cooperatives", "合作社的名称不能为空，请填写")
    return issues


def _incomes(issues: list[Issue], incomes: object, today: date) -> None:
    if not isinstance(incomes, dict):
        add_error(issues, "incomes", "集体经济收入应按年份填写")
        return
    for year, amount in sorted(incomes.items(), key=lambda kv: str(kv[0])):
        if check_year(issues, "incomes", year, "集体经济收入的年份", today.year):
            check_number(issues, "incomes", amount, f"{year} 年集体经济收入（万元）", optional=False)


def validate_township(t: Township) -> list[Issue]:
    """A township needs a code (letters and digits: it goes into package file names) and a name."""
    issues: list[Issue] = []
    if is_blank(t.code):
        add_error(issues, "code", "乡镇代码不能为空，请填写")
    elif not re.fullmatch(r"[0-9A-Za-z]+", t.code):
        add_error(issues, "code", f"乡镇代码“{t.code}”只能由半角数字和字母组成（如 410102001）")
    check_required_text(issues, "name", t.name, "乡镇名称")
    return issues


# ----------------------------------------------------------------- service requests, activities

def validate_service_request(r: ServiceRequest, today: date) -> list[Issue]:
    """All findings about a 代办事项."""
    issues: list[Issue] = []
    if check_number(issues, "serial", r.serial, "流水号", optional=False, integer=True) and r.serial < 1:
        add_error(issues, "serial", f"流水号应从 1 开始，现在是 {r.serial}")
    received = check_date(issues, "received_on", r.received_on, "受理日期", today, required=True, month_ok=False)
    if received is not None and r.year != received.value.year:
        add_error(issues, "year", f"年度 {r.year} 与受理日期 {received} 的年份不一致，请核对")
    check_required_text(issues, "requester", r.requester, "申请人")
    check_phone(issues, "requester_phone", r.requester_phone)
    check_enum(issues, "category", r.category, RequestCategory, "事项类别")
    check_enum(issues, "channel", r.channel, Channel, "办理方式")
    if not is_blank(r.clerk_a) and "".join(str(r.clerk_a).split()) == "".join(str(r.clerk_b or "").split()):
        add_warning(issues, "clerk_b", f"A岗和B岗是同一人（{r.clerk_a}）：AB岗要两人互为备岗，请另选B岗")
    status = check_enum(issues, "status", r.status, RequestStatus, "办理状态")
    check_enum(issues, "satisfaction", r.satisfaction, Satisfaction, "满意度", optional=True)
    due = check_date(issues, "due_on", r.due_on, "承诺办结日期", month_ok=False)
    if due is not None and received is not None and due.value < received.value:
        add_error(issues, "due_on", f"承诺办结日期 {due} 早于受理日期 {received}，请核对")
    completed = check_date(issues, "completed_on", r.completed_on, "办结日期", today, month_ok=False)
    if status is RequestStatus.CLOSED:
        if r.completed_on is None:
            add_error(issues, "completed_on", "状态为“已办结”，请填写办结日期")
        elif completed is not None and received is not None and completed.value < received.value:
            add_error(issues, "completed_on", f"办结日期 {completed} 早于受理日期 {received}，请核对")
    elif status is RequestStatus.RETURNED and is_blank(r.return_reason):
        add_error(issues, "return_reason", "状态为“已退回”，请填写退回原因")
    elif status is not None and status.is_open and r.completed_on is not None:
        add_error(issues, "completed_on", f"事项尚未办结（状态为“{status}”），不应填写办结日期；"
                                     "如已办完，请把状态改为“已办结”")
    return issues


def validate_activity(a: Activity, today: date) -> list[Issue]:
    """Findings about one 组织生活 (三会一课 or 主题党日)."""
    issues: list[Issue] = []
    if is_blank(a.branch_uuid):
        add_error(issues, "branch_uuid", "请选择开展活动的党组织")
    check_enum(issues, "kind", a.kind, ActivityKind, "活动类型")
    check_date(issues, "held_on", a.held_on, "活动日期", today, required=True, month_ok=False)
    expected_ok = check_number(issues, "expected", a.expected, "应到人数", optional=False, integer=True)
    attended_ok = check_number(issues, "attendance", a.attendance, "实到人数", optional=False, integer=True)
    # 应到人数 0 means "not recorded" (old 台账 often lack it): nothing to compare against.
    if expected_ok and attended_ok and a.expected > 0 and a.attendance > a.expected:
        add_error(issues, "attendance", f"实到人数（{a.attendance}）多于应到人数（{a.expected}），请核对")
    elif expected_ok and a.expected == 0 and attended_ok and a.attendance > 0:
        add_warning(issues, "expected", "未填写应到人数，无法计算出席率，请补录")
    elif expected_ok and attended_ok and a.expected == 0 and a.attendance == 0:
        add_warning(issues, "attendance", "应到和实到人数都是 0：出席率无法统计，请补录")
    return issues


# ----------------------------------------------------------------- dispatcher

_VALIDATORS: tuple[tuple[type[Record], Callable[[Record, date], list[Issue]]], ...] = (
    (Member, validate_member),
    (ReserveCadre, validate_reserve_cadre),
    (Branch, validate_branch),
    (Village, validate_village),
    (ServiceRequest, validate_service_request),
    (Activity, validate_activity),
    (Township, lambda t, _today: validate_township(t)),
)


def validate_record(record: Record, today: date) -> list[Issue]:
    """The findings of the validator for ``record``'s type."""
    for cls, validator in _VALIDATORS:
        if isinstance(record, cls):
            return validator(record, today)
    return [Issue("record", f"无法识别的记录类型“{type(record).__name__}”，无法检查")]
