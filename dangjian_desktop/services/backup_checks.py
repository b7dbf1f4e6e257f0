"""Whether a file may be restored in place of a database: ``usable_backup`` (a healthy database
of this program, at a schema revision this version knows) and ``unit_mismatch`` (it belongs to
the unit of the database it would replace). ``backup_service.restore_backup`` runs both; the
window asks them first, to say why not or to ask before restoring another unit's backup.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from ..storage.backup import check_file, open_readonly, table_row_counts
from ..storage.plain import read_settings, schema_revision, unit_from_settings

if TYPE_CHECKING:
    from ..domain.unit import UnitSettings


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from ..storage import migrate

    return {s.revision for s in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()}


def usable_backup(path: Path) -> str | None:
    """None when ``path`` can be restored; otherwise why not, as one Chinese sentence."""
    if path.is_file() and path.stat().st_size == 0:
        return f"备份文件 {path.name} 是空的（0 字节），请选择其他备份"
    ok, detail = check_file(path)
    if not ok:
        return f"备份文件 {path.name} 已损坏或不是数据库（{detail}），请选择其他备份"
    with closing(open_readonly(path)) as conn:
        revision = schema_revision(conn)
        tables = table_row_counts(conn)
    if revision is None or "settings" not in tables or "audit_log" not in tables:
        return f"文件 {path.name} 不是本程序的数据库备份，请选择其他备份"
    if revision is not None and revision not in _known_revisions():
        return f"备份文件 {path.name} 由更新版本的程序创建，请安装最新版本后再恢复"
    return None


def _unit_in(path: Path) -> tuple[bool, UnitSettings | None]:
    """Whether the unit of ``path`` could be read, and the unit (None: not set up)."""
    try:
        with closing(open_readonly(path)) as conn:
            return True, unit_from_settings(read_settings(conn))
    except (sqlite3.Error, ValueError, ArithmeticError):  # damaged, or settings no version wrote
        return False, None


def _unit_text(unit: UnitSettings) -> str:
    return f"{unit.mode.value}“{unit.name}”（{unit.code}）"


def unit_mismatch(db_path: Path, backup: Path) -> str | None:
    """Why ``backup`` is not a backup of the unit ``db_path`` belongs to (one Chinese sentence
    naming both), or None. A database that does not exist, has no unit yet or cannot be read is
    no reason: any backup may go there."""
    db_path, backup = Path(db_path), Path(backup)
    if not db_path.is_file():
        return None
    readable, ours = _unit_in(db_path)
    if not readable or ours is None:
        return None
    theirs = _unit_in(backup)[1]
    if theirs is None:
        return f"备份文件 {backup.name} 中没有设置单位，而当前数据库属于{_unit_text(ours)}"
    if (theirs.mode, theirs.code) != (ours.mode, ours.code):
        return f"备份文件 {backup.name} 属于{_unit_text(theirs)}，而当前数据库属于{_unit_text(ours)}"
    return None
