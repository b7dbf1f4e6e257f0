"""The command line: the same program without a window.

Exit codes: 0 success, 1 the work was refused (bad input, failed check), 2 usage error.
Errors are one Chinese line on stderr; bad input never prints a traceback.

Each group of sub-commands lives in its own module that defines its parsers with light
imports and imports the services only when its command runs, so that starting the window
(no sub-command) loads nothing it does not need.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .. import APP_NAME, APP_TITLE, __version__, start_gc
from ..domain.errors import DomainError
from .common import EXIT_REFUSED, EXIT_USAGE, fail

# Modules of this package holding sub-commands: each has add_parsers(sub) and COMMANDS.
COMMAND_MODULES = ("unit_commands", "stats_commands", "backup_commands", "package_commands", "roster_commands")

_ARGPARSE_ZH = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)", r"参数 \1 的值 \2 无效，可选：\3"),
    (r"argument (\S+): invalid int value: (\S+)", r"参数 \1 应为整数，而不是 \2"),
    (r"argument (\S+): expected (\d+) arguments?", r"参数 \1 需要 \2 个值"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, repl in _ARGPARSE_ZH:
            message = re.sub(pattern, repl, message)
        self.exit(EXIT_USAGE, f"用法错误：{message}（用 {self.prog} --help 查看用法）\n")


def _modules() -> list:
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMAND_MODULES]


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser; ``commands=False``: only the options that open the window."""
    from ..paths import default_db_path

    p = ChineseArgumentParser(prog=APP_NAME, description=f"{APP_TITLE}：乡镇党建办的离线台账")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--db", type=Path, help=f"数据库文件（默认 {default_db_path()}）")
    p.add_argument("--demo", action="store_true", help="数据库文件不存在时先生成一个乡镇的演示数据再打开")
    p.add_argument("--self-test", action="store_true",
                   help="自检：在临时文件夹中建库、迁移、写入演示数据、校验、导出并导入数据包，再检查界面、中文翻译和图标")
    if not commands:
        return p
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for module in _modules():
        module.add_parsers(sub)
    return p


def _window_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they only open the window (no command, no --help), parsed without
    building every command's parser (which costs ~15 ms of the window's start)."""
    if any(a in ("-h", "--help") for a in argv):
        return None
    args, rest = build_parser(commands=False).parse_known_args(argv)
    if rest:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _window_only(argv) or build_parser().parse_args(argv)
    if args.command is not None or args.self_test:
        start_gc.resume()  # the window resumes it once its first rows are on screen
    if args.self_test:
        from .self_test_command import cmd_self_test

        return cmd_self_test()
    if args.command is None:
        from ..app import run_gui  # Qt is loaded only for the window

        return run_gui(args.db, demo=args.demo)
    commands = {name: fn for module in _modules() for name, fn in module.COMMANDS.items()}
    try:
        return commands[args.command](args)
    except DomainError as exc:
        return fail(exc.message)
    except KeyboardInterrupt:
        return fail("已中断", EXIT_REFUSED)
