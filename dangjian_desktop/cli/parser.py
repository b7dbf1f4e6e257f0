"""The command line's argparse parser, with its errors in Chinese: the window's own options and
every sub-command (each group of sub-commands defines its parsers in its own module)."""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path
from typing import NoReturn

from .. import APP_NAME, APP_TITLE, __version__
from .common import EXIT_USAGE

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


def command_modules() -> list:
    return [importlib.import_module(f"{__package__}.{name}") for name in COMMAND_MODULES]


def build_parser() -> argparse.ArgumentParser:
    """The window's options and every sub-command."""
    from ..paths import default_db_path

    p = ChineseArgumentParser(prog=APP_NAME, description=f"{APP_TITLE}：乡镇党建办的离线台账")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--db", type=Path, help=f"数据库文件（默认 {default_db_path()}）")
    p.add_argument("--demo", action="store_true", help="数据库文件不存在时先生成一个乡镇的演示数据再打开")
    p.add_argument("--self-test", action="store_true",
                   help="自检：在临时文件夹中建库、迁移、写入演示数据、校验、导出并导入数据包，再检查界面、中文翻译和图标")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for module in command_modules():
        module.add_parsers(sub)
    return p
