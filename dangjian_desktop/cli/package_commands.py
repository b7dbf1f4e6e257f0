"""The command line of the monthly package: ``export``, ``import`` and ``review``.

Same rules as every command: exit 0 success or nothing to do, 1 refused, 2 usage error;
errors are one Chinese line on stderr; ``import --json`` prints the report with the stable keys
documented in the README.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from .common import EXIT_OK, EXIT_REFUSED, ProgressPrinter as _ProgressPrinter, fail as _fail, holding_database

if TYPE_CHECKING:  # the services are imported when a command runs, not to build the parser
    from ..services.package_import import ImportReport
    from ..services.package_review import Review
    from ..services.store import Store



def add_parsers(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="导出本乡镇某月的月报数据包（.xlsx）")
    export.add_argument("--db", type=Path, required=True, help="数据库文件")
    export.add_argument("--period", required=True, help="月份 YYYY-MM，如 2026-11")
    export.add_argument("--out", type=Path, required=True, help="数据包写入的文件夹")
    export.add_argument("--township", metavar="CODE", help="区里的数据库：要导出的乡镇的区划代码")

    imp = sub.add_parser("import", help="区：导入乡镇月报数据包；乡镇：导入区里发回的审核回执")
    imp.add_argument("--db", type=Path, required=True, help="数据库文件")
    imp.add_argument("--dry-run", action="store_true", help="只预览（新增/修改/删除条数、问题、核对），不写入")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    imp.add_argument("--force", action="store_true", help="允许导入比已导入的月份更旧的数据包")
    imp.add_argument("--add-townships", action="store_true", help="数据包的乡镇不在本区名单中时，添加该乡镇")
    imp.add_argument("files", nargs="+", type=Path, metavar="PACKAGE", help="数据包或回执文件（可多个）")

    review = sub.add_parser("review", help="区：审核乡镇某月的数据包，导出回执；不带参数时列出审核情况")
    review.add_argument("--db", type=Path, required=True, help="数据库文件")
    review.add_argument("--township", metavar="CODE", help="乡镇区划代码")
    review.add_argument("--period", help="月份 YYYY-MM")
    review.add_argument("--status", help="待审核 / 已通过 / 退回修改（或 pending / approved / returned）")
    review.add_argument("--reason", default="", help="意见或退回原因（退回修改时必填）")
    review.add_argument("--receipt", type=Path, metavar="DIR", help="把回执文件写入这个文件夹")






def cmd_export(args: argparse.Namespace) -> int:
    from ..services.package_export import export_package
    from ..services.progress import run_job
    from ..services.store import Store

    if not args.db.exists():
        return _fail(f"数据库文件 {args.db} 不存在")
    with holding_database(args.db, "export"), Store.open(args.db, create=False) as store:  # records the export
        result = run_job(export_package(store, args.period, args.out, args.township), _ProgressPrinter())
    counts = "，".join(f"{k} {v:,}" for k, v in result.counts.items() if v)
    print(f"导出成功：{result.township_name} {result.period}（第 {result.sequence} 次导出）：{counts}", file=sys.stderr)
    if result.cleaned_texts:
        print(f"提示：{result.cleaned_texts} 处文字含有 Excel 无法保存的控制字符，已去掉", file=sys.stderr)
    print(result.path)
    return EXIT_OK


def _print_report(report: ImportReport) -> None:
    for p in report.packages:
        if p.refused:
            print(f"错误：{p.message}", file=sys.stderr)
            continue
        print(p.message)
        for c in p.counts:
            if c.rows or c.removed:
                print(f"  {c.sheet}：{c.rows:,} 行，新增 {c.new:,}，修改 {c.changed:,}，未变 {c.unchanged:,}，"
                      f"删除 {c.removed:,}")
        for w in p.warnings:
            print(f"  提示：{w}")
        if p.roll_forward is not None:
            print(f"  {p.roll_forward.text()}")
            for line in p.roll_forward.unexplained[:10]:
                print(f"    {line}")
        for c in p.cross_township[:10]:
            print(f"  跨乡镇：{c.name}（{c.id_number}）同时在 {c.other_township_name}（{c.other_township_code}）")
        if p.problem_total:
            print(f"  记录问题 {p.problem_total:,} 处" + ("，前 10 处：" if p.problem_total > 10 else "："))
            for problem in p.problems[:10]:
                print(f"    [{problem.severity}] {problem.text()}")


def cmd_import(args: argparse.Namespace) -> int:
    from ..services.package_import import ImportOptions, import_packages, preview_packages
    from ..services.progress import run_job
    from ..services.store import Store

    if not args.db.exists():
        return _fail(f"数据库文件 {args.db} 不存在")
    locked = nullcontext() if args.dry_run else holding_database(args.db, "import")
    with locked, Store.open(args.db, create=False) as store:
        unit = store.unit()
        if unit is not None and not unit.is_district:
            return _import_receipts(store, args)
        options = ImportOptions(add_townships=args.add_townships, force=args.force)
        job = (preview_packages if args.dry_run else import_packages)(store, args.files, options)
        report = run_job(job, None if args.json else _ProgressPrinter())
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        for p in report.packages:
            if p.refused:
                print(f"错误：{p.message}", file=sys.stderr)
    else:
        _print_report(report)
    return EXIT_OK if report.ok else EXIT_REFUSED


def _import_receipts(store: Store, args: argparse.Namespace) -> int:
    from ..exchange.package_guard import RECEIPT
    from ..exchange.package_reader import PackageReadError, read_manifest
    from ..exchange.package_spec import RECEIPT_KIND
    from ..services.package_review import ReviewRefusedError, import_receipt

    entries: list[dict] = []
    ok = True
    for path in args.files:
        try:
            if read_manifest(path, RECEIPT).kind != RECEIPT_KIND:
                unit = store.unit()
                raise ReviewRefusedError(
                    f"{path.name}：本数据库属于乡镇 {unit.name if unit else ''}，不能导入乡镇月报数据包；"
                    "请在区里的数据库中导入（乡镇只能导入区里发回的审核回执）")
            entries.append(import_receipt(store, path, dry_run=args.dry_run).to_json())
        except (ReviewRefusedError, PackageReadError) as exc:
            ok = False
            entries.append({"file": path.name, "status": "refused", "message": exc.message})
    for e in entries:
        if e["status"] == "refused":
            print(f"错误：{e['message']}", file=sys.stderr)
        elif not args.json:
            print(e["message"])
    if args.json:
        print(json.dumps({"dry_run": args.dry_run, "ok": ok, "receipts": entries}, ensure_ascii=False, indent=2))
    return EXIT_OK if ok else EXIT_REFUSED


def _verdict_line(r: Review) -> str:
    return f"{r.township_code} {r.period}：{r.status.value}" + (f"（{r.reason}）" if r.reason else "")


def cmd_review(args: argparse.Namespace) -> int:
    from ..services.package_review import (
        export_receipt, list_reviews, parse_status, review_with_receipt, set_review,
    )
    from ..services.store import Store

    if not args.db.exists():
        return _fail(f"数据库文件 {args.db} 不存在")
    writes = args.status is not None or args.receipt is not None  # a verdict, or the receipt's record
    with holding_database(args.db, "review") if writes else nullcontext(), Store.open(args.db, create=False) as store:
        if not writes:
            reviews = list_reviews(store, args.township)
            for r in reviews:
                print(f"{r.township_code}  {r.period}  {r.status.value}" + (f"  {r.reason}" if r.reason else ""))
            if not reviews:
                print("还没有导入任何数据包")
            return EXIT_OK
        if not args.township or not args.period:
            return _fail("请用 --township 和 --period 指定要审核的乡镇和月份")
        if args.status is not None and args.receipt is not None:  # both or neither (see review_with_receipt)
            r, path = review_with_receipt(store, args.township, args.period, parse_status(args.status), args.reason,
                                          args.receipt)
            print(_verdict_line(r), file=sys.stderr)
            print(path)
        elif args.status is not None:
            print(_verdict_line(set_review(store, args.township, args.period, parse_status(args.status), args.reason)))
        else:
            print(export_receipt(store, args.township, args.period, args.receipt))
    return EXIT_OK


COMMANDS = {"export": cmd_export, "import": cmd_import, "review": cmd_review}
