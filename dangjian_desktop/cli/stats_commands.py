"""``stats``: the figures the offices report, as text or JSON, and the district 汇总表."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from .common import EXIT_OK, fail


def add_parsers(sub: argparse._SubParsersAction) -> None:
    stats = sub.add_parser("stats", help="计算统计指标（按月或按年，分乡镇和合计）")
    stats.add_argument("--db", type=Path, required=True, help="数据库文件")
    when = stats.add_mutually_exclusive_group()
    when.add_argument("--period", metavar="YYYY-MM", help="统计某月")
    when.add_argument("--year", type=int, metavar="YYYY", help="统计某年（默认今年）")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出（键名固定，见 README）")
    stats.add_argument("--summary-out", type=Path, metavar="FILE.xlsx", help="同时写出汇总表（每乡镇一行并合计）")


def cmd_stats(args: argparse.Namespace) -> int:
    from ..domain.statistics import Period
    from ..services import statistics_output
    from ..services.statistics import compute_statistics, write_summary
    from ..services.store import Store

    if not args.db.exists():
        return fail(f"数据库文件 {args.db} 不存在")
    year = date.today().year if args.year is None else args.year
    period = Period.parse(args.period) if args.period else Period.year(year)
    with Store.open(args.db, create=False) as store:
        report = compute_statistics(store, period)
    if args.summary_out is not None:
        write_summary(report, args.summary_out)
    if args.json:
        print(json.dumps(statistics_output.report_json(report), ensure_ascii=False, indent=1))
    else:
        print("\n".join(statistics_output.report_lines(report)))
    if args.summary_out is not None:
        print(f"汇总表已写入 {args.summary_out}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


COMMANDS = {"stats": cmd_stats}
