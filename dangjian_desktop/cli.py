"""The command line: the same program without a window.

Exit codes: 0 success, 1 the work was refused (bad input, failed check), 2 usage error.
Errors are one Chinese line on stderr; bad input never prints a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from . import APP_NAME, APP_TITLE, __version__
from .domain.errors import DomainError
from .domain.unit import make_unit, parse_area_code, parse_unit_name
from .paths import default_db_path
from .services.check import check_database, report_lines
from .services.demo import SCALES, make_demo
from .services.progress import Progress, run_job
from .services.store import Store
from .services.unit_service import init_unit

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

_ARGPARSE_ZH = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)", r"参数 \1 的值 \2 无效，可选：\3"),
    (r"argument (\S+): invalid int value: (\S+)", r"参数 \1 应为整数，而不是 \2"),
    (r"argument (\S+): expected (\d+) arguments?", r"参数 \1 需要 \2 个值"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, repl in _ARGPARSE_ZH:
            message = re.sub(pattern, repl, message)
        self.exit(EXIT_USAGE, f"用法错误：{message}（用 {self.prog} --help 查看用法）\n")


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog=APP_NAME, description=f"{APP_TITLE}：乡镇党建办的离线台账")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--db", type=Path, help=f"数据库文件（默认 {default_db_path()}）")
    p.add_argument("--demo", action="store_true", help="数据库文件不存在时先生成一个乡镇的演示数据再打开")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)

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
    return p


def _fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def _progress_printer(step: Progress) -> None:
    if step.message:
        print(f"[{step.done}/{step.total}] {step.message}", file=sys.stderr)


def cmd_init(args: argparse.Namespace) -> int:
    unit = make_unit({"township": "乡镇", "district": "区"}[args.mode], args.name, args.code, args.operator)
    with Store.open(args.db) as store:
        init_unit(store, unit)
    print(f"已创建 {unit.mode.value}“{unit.name}”（{unit.code}）的数据库：{args.db}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    township = None
    if args.township:
        township = (parse_area_code(args.township[0]), parse_unit_name(args.township[1]))
    with Store.open(args.db) as store:
        summary = run_job(make_demo(store, args.scale, args.seed, date.today(), township), _progress_printer)
    counts = "，".join(f"{label} {n:,}" for label, n in summary.counts.items())
    print(f"演示数据已写入 {args.db}：{counts}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    if not args.db.exists():
        return _fail(f"数据库文件 {args.db} 不存在")
    with Store.open(args.db, create=False) as store:
        report = run_job(check_database(store))
    for line in report_lines(report):
        print(line)
    return EXIT_OK if report.passed else EXIT_REFUSED


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "check": cmd_check}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from .app import run_gui  # Qt is loaded only for the window

        return run_gui(args.db, demo=args.demo)
    try:
        return COMMANDS[args.command](args)
    except DomainError as exc:
        return _fail(exc.message)
    except KeyboardInterrupt:
        return _fail("已中断", EXIT_REFUSED)
