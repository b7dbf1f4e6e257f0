"""The statistics as the command line shows them: the stable ``--json`` document and text lines.

``report_json`` keys never change meaning; new figures may be added (``version`` stays 1 as
long as existing keys keep their meaning). The README lists every key. Every figure is in it,
the helper sums behind the means too (``helper``: not shown in the window or the 汇总表), so
that each ``num``/``den`` a share or mean names can be found and a weighted mean recomputed.
"""

from __future__ import annotations

from typing import Any

from ..domain.statistics import FigureDef, FigureKind, StatisticsReport, UnitFigures, Value

JSON_FORMAT = "dangjian-stats"
JSON_VERSION = 1


def _json_value(value: Any) -> Any:
    return float(value) if value is not None and not isinstance(value, int) else value


def _json_figures(report: StatisticsReport, unit: UnitFigures) -> dict[str, Any]:
    return {d.key: _json_value(unit.values[d.key]) for d in report.figures}


def report_json(report: StatisticsReport) -> dict[str, Any]:
    """The ``stats --json`` document; its keys are stable and listed in the README."""
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "unit": {"name": report.unit_name, "code": report.unit_code,
                 "mode": "district" if report.district else "township"},
        "period": {"label": report.period.label, "start": report.period.start.isoformat(),
                   "end": report.period.end.isoformat(), "as_of": report.as_of.isoformat()},
        "income_year": report.income_year,
        "income_threshold": float(report.income_threshold),
        "figures": [{"key": d.key, "label": d.label, "unit": d.unit, "group": d.group, "kind": d.kind.value,
                     "helper": d.hidden, **({"num": d.num, "den": d.den} if d.kind is not FigureKind.COUNT else {})}
                    for d in report.figures],
        "total": _json_figures(report, report.total),
        "townships": [{"code": t.code, "name": t.name, "figures": _json_figures(report, t)} for t in report.townships],
        "branches": [{"township_code": b.township_code, "uuid": b.branch_uuid, "name": b.name,
                      "required": b.required, "done": b.done, "held": b.held, "rate": _json_value(b.rate)}
                     for b in report.branches],
        "requests_by_month": {("total" if code == "" else code): months
                              for code, months in report.requests_by_month.items()},
    }


def format_value(d: FigureDef, value: Value) -> str:
    """A figure as a clerk reads it: 1,798 人, 88.19%, 46.45 岁, or — when there is nothing to count."""
    if value is None:
        return "—"
    if d.kind is FigureKind.SHARE:
        return f"{value}%"
    number = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{number} {d.unit}"


def report_lines(report: StatisticsReport) -> list[str]:
    """The total's figures by group, for the terminal."""
    scope = f"，{len(report.townships)} 个乡镇合计" if report.district else ""
    lines = [f"{report.unit_name} {report.period.title} 统计（统计截止日 {report.as_of.isoformat()}{scope}；"
             f"集体经济收入按 {report.income_year} 年、标准 {report.income_threshold} 万元）"]
    for group, defs in report.groups():
        lines.append(f"【{group}】")
        lines += [f"  {d.label}：{format_value(d, report.total.values[d.key])}" for d in defs]
    below = [b for b in report.branches if b.below_target]
    if below:
        lines.append(f"三会一课完成率未达100%的党支部 {len(below)} 个（明细见 --json 或 --summary-out）")
    return lines
