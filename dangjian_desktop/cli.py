"""The command line: the same program without a window.

Exit codes: 0 success, 1 the work was refused (bad input, failed check), 2 usage error.
Errors are one Chinese line on stderr; bad input never prints a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from . import APP_NAME, APP_TITLE, __version__
from .domain.errors import DomainError
from .domain.statistics import Period
from .domain.unit import make_unit, parse_area_code, parse_unit_name
from .paths import default_db_path, icon_path
from .services.backup_service import backups_folder, list_backups, make_backup, restore_backup
from .services.check import check_database, report_lines
from .services.demo import SCALES, make_demo
from .services.progress import Progress, run_job
from .services.self_test import (
    DATA_STEPS, Context, PrerequisiteFailed, Step, passed, result_line, run_self_test, summary_line,
)
from .services.store import Store
from .services.statistics import compute_statistics, write_summary
from .services import statistics_output
from .services.unit_service import init_unit
from . import cli_roster
from . import cli_package

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

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


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog=APP_NAME, description=f"{APP_TITLE}：乡镇党建办的离线台账")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--db", type=Path, help=f"数据库文件（默认 {default_db_path()}）")
    p.add_argument("--demo", action="store_true", help="数据库文件不存在时先生成一个乡镇的演示数据再打开")
    p.add_argument("--self-test", action="store_true",
                   help="自检：在临时文件夹中建库、迁移、写入演示数据、校验、导出并导入数据包，再检查界面、中文翻译和图标")
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

    stats = sub.add_parser("stats", help="计算统计指标（按月或按年，分乡镇和合计）")
    stats.add_argument("--db", type=Path, required=True, help="数据库文件")
    when = stats.add_mutually_exclusive_group()
    when.add_argument("--period", metavar="YYYY-MM", help="统计某月")
    when.add_argument("--year", type=int, metavar="YYYY", help="统计某年（默认今年）")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出（键名固定，见 README）")
    stats.add_argument("--summary-out", type=Path, metavar="FILE.xlsx", help="同时写出汇总表（每乡镇一行并合计）")

    backup = sub.add_parser("backup", help="用 SQLite 备份接口备份数据库并校验")
    backup.add_argument("--db", type=Path, required=True, help="数据库文件")
    backup.add_argument("--out", type=Path, help="备份文件（默认放在数据库旁的 backups 文件夹）")

    restore = sub.add_parser("restore", help="从备份恢复数据库（先备份当前数据）")
    restore.add_argument("--db", type=Path, required=True, help="数据库文件")
    restore.add_argument("--from", dest="source", type=Path, required=True, help="备份文件")

    backups = sub.add_parser("backups", help="列出数据库的备份")
    backups.add_argument("--db", type=Path, required=True, help="数据库文件")
    cli_package.add_parsers(sub)  # export / import / review
    cli_roster.add_parser(sub)  # import-roster
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


def _qt_draws(ctx: Context) -> str:
    # Offscreen, so that the check runs without a screen; Windows' offscreen plugin sees no
    # system fonts, so there the native platform is used (nothing is shown either way).
    if sys.platform != "win32":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([APP_NAME])
    label = QLabel(f"{APP_TITLE} 自检")
    label.resize(240, 40)
    shot = label.grab()
    label.deleteLater()
    if shot.isNull() or shot.width() < 240:
        raise AssertionError("无法绘制窗口部件")
    return f"Qt 平台 {app.platformName()}，窗口部件绘制为 {shot.width()}×{shot.height()} 图像"


def _qt_chinese_and_icon(ctx: Context) -> str:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QFontDatabase, QPixmap

    app = QCoreApplication.instance()
    if app is None:
        raise PrerequisiteFailed("Qt 没有启动（前面的步骤失败）")
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        raise AssertionError(f"找不到 Qt 的中文翻译 qtbase_zh_CN.qm（{folder}）")
    QCoreApplication.installTranslator(translator)
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    QCoreApplication.removeTranslator(translator)
    fonts = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    icon = QPixmap(str(icon_path()))
    problems = [text for bad, text in (
        (cancel != "取消", f"中文翻译未生效（Cancel → {cancel}）"),
        (not fonts, "没有中文字体，请安装 fonts-noto-cjk 或 fonts-wqy-microhei"),
        (icon.isNull(), f"找不到程序图标 {icon_path()}"),
    ) if bad]
    if problems:
        raise AssertionError("；".join(problems))
    return f"中文翻译 {translator.filePath()}，中文字体 {fonts[0]} 等 {len(fonts)} 种，图标 {icon_path().name}"


def _all_modules_load(ctx: Context) -> str:
    # A bundle that lacks a module some window or command needs would fail only when it is used.
    import importlib
    import pkgutil

    from . import __path__ as package_path

    names = [m.name for m in pkgutil.walk_packages(package_path, f"{__package__}.")
             if ".migrations" not in m.name]
    for name in names:
        importlib.import_module(name)
    return f"{len(names)} 个模块"


QT_STEPS: tuple[Step, ...] = (
    ("Qt 界面（离屏绘制）", _qt_draws), ("中文翻译、中文字体和图标", _qt_chinese_and_icon),
    ("加载全部程序模块", _all_modules_load),
)


def cmd_self_test() -> int:
    results = []
    print(f"{APP_NAME} {__version__} 自检")
    for result in run_self_test(QT_STEPS):
        results.append(result)
        print(result_line(len(results), len(DATA_STEPS) + len(QT_STEPS), result), flush=True)
    print(summary_line(results))
    return EXIT_OK if passed(results) else EXIT_REFUSED


def _counts_text(counts: dict[str, int] | None) -> str:
    return "无法读取" if counts is None else "，".join(f"{label} {n:,}" for label, n in counts.items())


def cmd_backup(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.exists():
        return _fail(f"备份文件 {args.out} 已存在，请换一个文件名")
    info = make_backup(args.db, "manual", dest=args.out)
    print(f"已备份到 {info.path}（已校验）：{_counts_text(info.counts)}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    if not args.source.is_file():
        return _fail(f"备份文件 {args.source} 不存在")
    result = restore_backup(args.db, args.source)
    kept = f"；恢复前的数据保存在 {result.kept}" if result.kept else ""
    print(f"已从备份 {args.source} 恢复数据库 {result.db_path}（已校验）：{_counts_text(result.counts)}{kept}")
    if result.db_path != args.db:
        print(f"注意：原数据库文件头已损坏，恢复的数据库另存为 {result.db_path}，请用 --db 打开它")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    found = list_backups(args.db)
    if not found:
        print(f"没有找到数据库 {args.db} 的备份（{backups_folder(args.db)}）")
        return EXIT_OK
    for b in found:
        print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.label:<4}  {b.size / 1_048_576:7.1f} MB  "
              f"{_counts_text(b.counts)}  {b.path}")
    return EXIT_OK



def cmd_stats(args: argparse.Namespace) -> int:
    if not args.db.exists():
        return _fail(f"数据库文件 {args.db} 不存在")
    year = date.today().year if args.year is None else args.year
    period = Period.parse(args.period) if args.period else Period.year(year)
    with Store.open(args.db, create=False) as store:
        report = compute_statistics(store, period)
    if args.summary_out is not None:
        write_summary(report, args.summary_out)
    if args.json:
        import json

        print(json.dumps(statistics_output.report_json(report), ensure_ascii=False, indent=1))
    else:
        print("\n".join(statistics_output.report_lines(report)))
    if args.summary_out is not None:
        print(f"汇总表已写入 {args.summary_out}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "check": cmd_check, "backup": cmd_backup, "restore": cmd_restore,
            "backups": cmd_backups, "stats": cmd_stats,
            **cli_package.COMMANDS, "import-roster": cli_roster.cmd_import_roster}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        return cmd_self_test()
    if args.command is None:
        from .app import run_gui  # Qt is loaded only for the window

        return run_gui(args.db, demo=args.demo)
    try:
        return COMMANDS[args.command](args)
    except DomainError as exc:
        return _fail(exc.message)
    except KeyboardInterrupt:
        return _fail("已中断", EXIT_REFUSED)
