"""``backup``, ``restore`` and ``backups``: copies made with SQLite's backup API."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import EXIT_OK, fail, holding_database


def add_parsers(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser("backup", help="用 SQLite 备份接口备份数据库并校验")
    backup.add_argument("--db", type=Path, required=True, help="数据库文件")
    backup.add_argument("--out", type=Path, help="备份文件（默认放在数据库旁的 backups 文件夹）")

    restore = sub.add_parser("restore", help="从备份恢复数据库（先备份当前数据）")
    restore.add_argument("--db", type=Path, required=True, help="数据库文件")
    restore.add_argument("--from", dest="source", type=Path, required=True, help="备份文件")
    restore.add_argument("--other-unit", action="store_true",
                         help="允许用其他单位的备份替换（备份的单位类型或区划代码与当前数据库不同，或没有设置单位）")

    backups = sub.add_parser("backups", help="列出数据库的备份")
    backups.add_argument("--db", type=Path, required=True, help="数据库文件")


def _counts_text(counts: dict[str, int] | None) -> str:
    return "无法读取" if counts is None else "，".join(f"{label} {n:,}" for label, n in counts.items())


def cmd_backup(args: argparse.Namespace) -> int:
    from ..services.backup_service import make_backup

    if args.out is not None and args.out.exists():
        return fail(f"备份文件 {args.out} 已存在，请换一个文件名")
    info = make_backup(args.db, "manual", dest=args.out)
    print(f"已备份到 {info.path}（已校验）：{_counts_text(info.counts)}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from ..services.backup_service import OtherUnitError, restore_backup

    if not args.source.is_file():
        return fail(f"备份文件 {args.source} 不存在")
    try:
        with holding_database(args.db, "restore"):
            result = restore_backup(args.db, args.source, other_unit=args.other_unit)
    except OtherUnitError as exc:
        return fail(f"{exc.message}；确实要用它替换当前数据库时，请加 --other-unit 再运行")
    kept = f"；恢复前的数据保存在 {result.kept}" if result.kept else ""
    print(f"已从备份 {args.source} 恢复数据库 {result.db_path}（已校验）：{_counts_text(result.counts)}{kept}")
    if result.db_path != args.db:
        print(f"注意：原数据库文件头已损坏，恢复的数据库另存为 {result.db_path}，请用 --db 打开它")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from ..services.backup_service import backups_folder, list_backups

    found = list_backups(args.db)
    if not found:
        print(f"没有找到数据库 {args.db} 的备份（{backups_folder(args.db)}）")
        return EXIT_OK
    for b in found:
        print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.label:<4}  {b.size / 1_048_576:7.1f} MB  "
              f"{_counts_text(b.counts)}  {b.path}")
    return EXIT_OK


COMMANDS = {"backup": cmd_backup, "restore": cmd_restore, "backups": cmd_backups}
