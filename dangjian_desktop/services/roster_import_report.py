"""What the command line shows of a roster import: text lines for a person, or JSON.

Errors are listed one per line (each naming sheet, row, column and reason); warnings are
grouped by column and message, since a roster often repeats the same one on many rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .roster_import_commit import ImportResult
from .roster_import_plan import ImportPlan


def report_lines(plan: ImportPlan, result: ImportResult | None, *, dry_run: bool, max_errors: int = 100,
                 errors_path: Path | None = None) -> Iterator[str]:
    """What the command line prints about a preview (and a commit)."""
    yield f"文件：{plan.path.name}（{plan.kind.label}名册）"
    for a in plan.sheets:
        assert a.layout is not None
        mapped = "、".join(f"{c.letter}“{c.header}”→{plan.kind.field_label(c.field)}" for c in a.columns if c.field)
        skipped = "、".join(f"{c.letter}“{c.header}”" for c in a.columns if not c.field and c.header)
        yield f"工作表“{a.sheet}”：表头在{a.layout.rows_label}{'（沿用上次确认的列对应）' if a.remembered else ''}"
        yield f"  导入的列：{mapped}"
        if skipped:
            yield f"  不导入的列：{skipped}"
    for note in plan.notes:
        yield f"说明：{note}"
    counts = plan.counts
    yield ("预览（未写入数据库）：" if dry_run or result is None else "导入结果：") + "，".join(
        f"{k} {v:,} 行" for k, v in counts.items())
    if plan.unknown_branches:
        names = "、".join(f"“{n}”（{c} 行）" for n, c in plan.unknown_branches.items())
        todo = "将一并新建" if plan.create_branches else "这些行未导入；核对无误后加 --create-branches 一并新建"
        yield f"数据库中没有的党组织：{names}——{todo}"
    # A reason shared by many rows (an unknown branch, an empty column) is shown once.
    errors = plan.problems(warnings=False)
    shared = {k for k, rows in _grouped(errors).items() if len(rows) > GROUP_FROM}
    single = [p for p in errors if (p.header, p.message) not in shared]
    for p in single[:max_errors]:
        yield f"  未导入：{p.text()}"
    if len(single) > max_errors:
        yield f"  ……另有 {len(single) - max_errors:,} 处错误未列出" + ("，见错误清单文件" if errors_path else "")
    for (header, message), where in _grouped(errors).items():
        if (header, message) in shared:
            yield f"  未导入：{_group_text(header, message, where)}"
    for (header, message), where in _grouped(plan.problems(errors=False)).items():
        yield f"  提示：{_group_text(header, message, where)}"
    if errors_path is not None:
        yield f"未导入的行已另存为：{errors_path}（有问题的单元格标红，改正后可再次导入）"
    if result is not None:
        yield f"已导入：{result.summary()}"
    elif not dry_run and not plan.to_write:
        yield "没有可以写入的行，数据库未改动"


GROUP_FROM = 3


def _grouped(problems) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for p in problems:
        out.setdefault((p.header, p.message), []).append(f"“{p.sheet}”第 {p.row} 行")
    return out


def _group_text(header: str, message: str, where: list[str]) -> str:
    more = f" 等 {len(where):,} 行" if len(where) > GROUP_FROM else ""
    return f"{'“' + header + '”：' if header else ''}{message}（{'、'.join(where[:GROUP_FROM])}{more}）"


def _problem_json(p) -> dict[str, Any]:
    return {"sheet": p.sheet, "row": p.row, "column": p.column, "header": p.header, "message": p.message}


def plan_json(plan: ImportPlan, result: ImportResult | None, *, dry_run: bool,
              errors_path: Path | None = None) -> dict[str, Any]:
    """The preview (and commit) as plain data; warnings grouped like ``report_lines`` does."""
    warnings: dict[tuple[str, str], dict[str, Any]] = {}
    for p in plan.problems(errors=False):
        group = warnings.setdefault((p.header, p.message), {"header": p.header, "message": p.message, "rows": []})
        group["rows"].append({"sheet": p.sheet, "row": p.row, "column": p.column})
    return {
        "file": str(plan.path),
        "kind": plan.kind.key,
        "sheets": [{
            "name": a.sheet,
            "header_rows": list(a.layout.header_rows) if a.layout else [],
            "remembered_mapping": a.remembered,
            "columns": [{"column": c.letter, "header": c.header, "field": c.field,
                         "label": plan.kind.field_label(c.field) if c.field else None, "samples": list(c.samples)}
                        for c in a.columns],
        } for a in plan.sheets],
        "counts": plan.counts,
        "notes": plan.notes,
        "unknown_branches": plan.unknown_branches,
        "create_branches": plan.create_branches,
        "errors": [_problem_json(p) for p in plan.problems(warnings=False)],
        "warnings": list(warnings.values()),
        "errors_file": str(errors_path) if errors_path else None,
        "dry_run": dry_run,
        "committed": result is not None,
        "result": None if result is None else {
            "added": result.added, "updated": result.updated, "unchanged": result.unchanged,
            "refused": result.refused, "duplicates": result.duplicates, "branches_created": result.branches_created,
        },
    }
