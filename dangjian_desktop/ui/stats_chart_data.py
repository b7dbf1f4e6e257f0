"""What the 统计 tab's charts show, taken from a ``StatisticsReport``: plain ``Bar``/``Column``
values with Chinese labels and, for each bar, the figure key a click drills into."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtGui import QColor

from ..domain.enums import Education, RequestStatus
from ..domain.statistics import AGE_BANDS, StatisticsReport, Value, enum_key
from .stats_charts import GREEN, GRID, ORANGE, RED, Bar, Column

PIPELINE = (("applicant", "pipeline.entered.applicant", "递交申请"), ("activist", "pipeline.entered.activist", "确定积极分子"),
            ("candidate", "pipeline.entered.candidate", "确定发展对象"), ("probationary", "members.recruited", "接收预备党员"))
STATUS_COLORS = {RequestStatus.CLOSED: GREEN, RequestStatus.IN_PROGRESS: QColor("#1565c0"),
                 RequestStatus.RECEIVED: QColor("#f9a825"), RequestStatus.RETURNED: QColor("#9e9e9e")}


def _count(values: Mapping[str, Value], key: str) -> int:
    value = values.get(key)
    return int(value) if value is not None else 0


def _people(report: StatisticsReport, values: Mapping[str, Value], keys: list[str]) -> list[Bar]:
    """One bar per count figure; the 未知 bar only when someone is in it."""
    bars = []
    for key in keys:
        n = _count(values, key)
        if key.endswith(".unknown") and not n:
            continue
        bars.append(Bar(report.figure(key).label, n, f"{n:,} 人", key))
    return bars


def age_bars(report: StatisticsReport, values: Mapping[str, Value]) -> list[Bar]:
    return _people(report, values, [f"members.age.{b.key}" for b in AGE_BANDS] + ["members.age.unknown"])


def education_bars(report: StatisticsReport, values: Mapping[str, Value]) -> list[Bar]:
    keys = [f"members.education.{enum_key(e)}" for e in Education]
    return _people(report, values, [*keys, "members.education.unknown"])


def funnel(report: StatisticsReport, values: Mapping[str, Value]) -> tuple[list[Bar], str]:
    stages = []
    flows = []
    for stage, entered_key, verb in PIPELINE:
        key = f"pipeline.{stage}"
        n, entered = _count(values, key), _count(values, entered_key)
        label = report.figure(key).label
        tip = f"{label}：现有 {n:,} 人；{report.period.title}{verb} {entered:,} 人"
        stages.append(Bar(label, n, f"{n:,} 人", key, tip=tip))
        flows.append(f"{verb} {entered:,}")
    full = _count(values, "pipeline.full")
    note = (f"另有正式党员 {full:,} 人。{report.period.title}：" + "，".join(flows)
            + f"，转正 {_count(values, 'pipeline.entered.full'):,} 人")
    return stages, note


def completion_bars(report: StatisticsReport) -> tuple[list[Bar], str]:
    """Each 党支部's 三会一课/主题党日 completion, the lowest first (nothing due: last, grey)."""
    towns = {t.code: t.name for t in report.townships}
    prefix = report.district and len(report.townships) > 1
    ordered = sorted(report.branches, key=lambda b: (b.rate is None, b.rate if b.rate is not None else 0, b.name))
    bars = []
    for b in ordered:
        label = f"{towns.get(b.township_code, b.township_code)}·{b.name}" if prefix else b.name
        rate: Decimal | None = b.rate
        text = "无应开会议" if rate is None else f"{rate}%"
        color = GRID if rate is None else (GREEN if rate >= 100 else ORANGE if rate >= 80 else RED)
        tip = f"{label}：应开 {b.required} 次（按月/季计），已开 {b.done} 次，完成率 {text}；期内共开会 {b.held} 次"
        bars.append(Bar(label, float(rate or 0), text, f"activities.branch.{b.branch_uuid}", color, tip))
    below = sum(1 for b in report.branches if b.below_target)
    return bars, f"共 {len(bars)} 个党支部，未达 100% 的 {below} 个；单击一行列出该支部期内的会议"


def request_columns(report: StatisticsReport) -> tuple[list[Column], list[tuple[str, QColor]], str]:
    months = report.requests_by_month.get("", {})
    columns = []
    for month, counts in months.items():
        label = f"{int(month[5:])}月" if report.period.is_year else month
        segments = tuple(
            Bar(s.value, counts.get(enum_key(s), 0), f"{counts.get(enum_key(s), 0):,} 件",
                f"requests.month.{month}.{enum_key(s)}", STATUS_COLORS[s])
            for s in (RequestStatus.CLOSED, RequestStatus.IN_PROGRESS, RequestStatus.RECEIVED, RequestStatus.RETURNED))
        columns.append(Column(label, segments, f"requests.month.{month}.total"))
    legend = [(s.value, STATUS_COLORS[s]) for s in
              (RequestStatus.CLOSED, RequestStatus.IN_PROGRESS, RequestStatus.RECEIVED, RequestStatus.RETURNED)]
    total = sum(c.total for c in columns)
    return columns, legend, f"{report.period.title}共受理 {total:,.0f} 件；单击柱子列出该月、该状态的事项"


def describe(report: StatisticsReport, all_townships: bool) -> str:
    """The line above the figures: what they are of, and how to see what they count."""
    scope = f"{report.unit_name}（{len(report.townships)} 个乡镇合计及各乡镇）" if all_townships else (
        report.townships[0].name if report.townships else report.unit_name)
    return (f"{scope} · {report.period.title} · 统计截止日 {report.as_of.isoformat()} · 集体经济收入按 "
            f"{report.income_year} 年、标准 {report.income_threshold} 万元 · 双击数字（或选中后按回车）列出明细")
