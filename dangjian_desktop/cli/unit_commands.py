"""``init``, ``demo`` and ``check``: setting up a database and checking it."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from .common import EXIT_OK, EXIT_REFUSED, ProgressPrinter, fail, holding_database

SCALES = ("township", "district")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser("init", help="为一个单位创建空数据库")
    init.add_argument("--db", type=Path, required=True, help="数据库文件")
    init.add_argument("--mode", required=True, choices=["township", "district"], help="township=乡镇，district=区")
    init.add_argument("--code", required=True, help="12 位统计用区划代码")
    init.add_argument("--name", required=True, help="单位名称，如 青石镇")
    init.add_argument("--operator", default="", help="操作员姓名")

    demo = sub.add_parser("demo", help="生成可重复的演示数据")
    demo.add_argument("--db", type=Path, required=True, help="新的数据库文件")
    demo.add_argument("--scale", choices=SCALES, default="township", help="township=一个乡镇，district=20 个乡镇")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
    demo.add_argument("--township", nargs=2, metavar=("CODE", "NAME"), help="只生成一个指定代码和名称的乡镇")

    check = sub.add_parser("check", help="检查数据库完整性并校验每条记录")
    check.add_argument("--db", type=Path, required=True, help="数据库文件")


def cmd_init(args: argparse.Namespace) -> int:
    from ..domain.unit import make_unit
    from ..services.store import Store
    from ..services.unit_service import init_unit

    unit = make_unit({"township": "乡镇", "district": "区"}[args.mode], args.name, args.code, args.operator)
    with holding_database(args.db, "init"), Store.open(args.db) as store:
        init_unit(store, unit)
    print(f"已创建 {unit.mode.value}“{unit.name}”（{unit.code}）的数据库：{args.db}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ..domain.unit import parse_area_code, parse_unit_name
    from ..services.demo import make_demo
    from ..services.progress import run_job
    from ..services.store import Store

    township = None
    if args.township:
        township = (parse_area_code(args.township[0]), parse_unit_name(args.township[1]))
    new = not args.db.exists()
    try:
        with holding_database(args.db, "demo"), Store.open(args.db) as store:
            summary = run_job(make_demo(store, args.scale, args.seed, date.today(), township), ProgressPrinter())
    except BaseException as exc:
        if not new:
            raise
        # A half-written demo (Ctrl-C, a full disk) would be refused by the next demo: none is
        # left. A connection an interrupt left behind is collected first, so that the last one,
        # closed here, folds SQLite's log into the file and removes it; then the file goes.
        import gc
        import sqlite3
        from contextlib import closing, suppress

        gc.collect()
        with suppress(sqlite3.Error), closing(sqlite3.connect(args.db)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        args.db.unlink(missing_ok=True)
        if isinstance(exc, KeyboardInterrupt):
            return fail("已中断：演示数据没有生成完，未完成的数据库文件已删除，可以重新运行")
        raise
    counts = "，".join(f"{label} {n:,}" for label, n in summary.counts.items())
    print(f"演示数据已写入 {args.db}：{counts}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ..services.check import check_database, report_lines
    from ..services.progress import run_job
    from ..services.store import Store

    if not args.db.exists():
        return fail(f"数据库文件 {args.db} 不存在")
    with Store.open(args.db, create=False) as store:
        report = run_job(check_database(store))
    for line in report_lines(report):
        print(line)
    return EXIT_OK if report.passed else EXIT_REFUSED


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "check": cmd_check}
