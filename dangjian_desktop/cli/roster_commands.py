"""The command line of the roster importer: ``import-roster``.

Exit 0: every row was
taken (or, with ``--dry-run``, would be); 1: the file was refused or some rows were not
imported — the others are imported all the same, in one transaction, unless ``--dry-run`` —
and one Chinese line on stderr says so; 2: usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path

from .common import EXIT_OK, EXIT_REFUSED, ProgressPrinter, fail, finish_before_interrupt, holding_database

# The same kinds as exchange/roster_mapping.KINDS (a test keeps them equal); spelled out here
# so that building the parser does not import the importer.
KINDS = ("members", "branches", "reserve", "requests", "activities")

KIND_HELP = "members=党员，branches=党组织，reserve=后备干部，requests=代办事项，activities=组织生活"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-roster", help="导入已有的 Excel/WPS 名册（花名册、台账），先预览再写入")
    p.add_argument("--db", type=Path, required=True, help="数据库文件")
    p.add_argument("--kind", required=True, choices=KINDS, help=KIND_HELP)
    p.add_argument("--sheet", help="只导入这个工作表（默认：所有找得到表头的工作表）")
    p.add_argument("--branch", metavar="NAME", help="没有“所在党组织”的行都归入这个党组织")
    p.add_argument("--create-branches", action="store_true", help="名册中出现数据库里没有的党组织时，一并新建")
    p.add_argument("--dry-run", action="store_true", help="只预览：新增、更新、未导入各多少行，不写入数据库")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.add_argument("--errors", type=Path, metavar="OUT.xlsx", help="把未导入的行另存为 Excel（问题单元格标红），改正后可再导入")
    p.add_argument("file", type=Path, metavar="FILE", help="名册文件：.xlsx、.xlsm、.xls 或 .csv")




def cmd_import_roster(args: argparse.Namespace) -> int:
    from ..domain.errors import DomainError
    from ..services.backup_service import backup_before
    from ..services.progress import run_job
    from ..services.roster_import import ImportOptions, RosterImport
    from ..services.roster_import_report import plan_json, report_lines
    from ..services.store import Store

    if not args.db.exists():
        print(f"错误：数据库文件 {args.db} 不存在", file=sys.stderr)
        return EXIT_REFUSED
    progress = None if args.json else ProgressPrinter()
    locked = nullcontext() if args.dry_run else holding_database(args.db, "import-roster")
    with locked, Store.open(args.db, create=False) as store, RosterImport.open(store, args.file, args.kind,
                                                                       sheet=args.sheet) as job:
        plan = run_job(job.preview(ImportOptions(args.branch, args.create_branches)), progress)
        try:
            errors = job.save_errors(plan, args.errors) if args.errors and plan.refused else None
        except DomainError as exc:  # the file could not be written; it comes before the commit
            return fail(f"{exc.message}；数据库未改动")
        result = None
        if not args.dry_run and plan.to_write:
            backup_before(store, "import")  # as the window's wizard does: nothing lost to a bad import
            with finish_before_interrupt("收到中断：名册正在一次写入数据库，为保证数据完整，写完这一步再退出"):
                result = run_job(job.commit(plan), progress)
    if args.json:
        print(json.dumps(plan_json(plan, result, dry_run=args.dry_run, errors_path=errors), ensure_ascii=False,
                         indent=1, default=str))
    else:
        for line in report_lines(plan, result, dry_run=args.dry_run, errors_path=errors):
            print(line)
    refused = len(plan.refused)
    if refused:
        where = f"，已另存到 {errors}" if errors else "，加 --errors 文件名.xlsx 可另存出来"
        done = "其余的行已导入" if result is not None else "数据库未改动"
        print(f"错误：{refused:,} 行未导入（原因见上方列表{where}）；{done}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


COMMANDS = {"import-roster": cmd_import_roster}
