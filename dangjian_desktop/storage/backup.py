"""Copies of the database made with SQLite's online backup API, never a file copy.

A plain copy of a live WAL database can miss what still sits in the ``-wal`` file; the backup
API copies a consistent snapshot. Each copy is checked (``integrity_check`` and the number of
rows per table) before it counts.

Also here: the names of the files in ``backups/`` (the only files rotation may delete), checking
a possibly damaged file read-only, restoring a backup through a connection to the target
(again the backup API, so a ``-wal`` beside it is honoured), and keeping a damaged file aside.
Nothing here deletes or renames a ``-wal`` or ``-journal`` file.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


class BackupError(Exception):
    """A backup could not be written or did not verify; the message is Chinese."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    row_counts: dict[str, int]


def table_row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def integrity_ok(conn: sqlite3.Connection, quick: bool = False) -> tuple[bool, str]:
    """``(True, "ok")``, or False and what SQLite found (a badly damaged file makes the check
    itself fail: that is a finding too, not an exception)."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        return False, sqlite_message(exc)
    return rows == ["ok"], "; ".join(rows[:5])


_SQLITE_ZH = {
    "database disk image is malformed": "数据库文件的内部结构已损坏",
    "file is not a database": "不是数据库文件或文件头已损坏",
    "unable to open database file": "无法打开数据库文件",
}


def sqlite_message(exc: sqlite3.Error) -> str:
    """SQLite's message, in Chinese where a clerk meets it."""
    return _SQLITE_ZH.get(str(exc), str(exc))


def backup_database(src: Path, dest: Path) -> BackupResult:
    """Copy ``src`` to ``dest`` (which must not exist) and verify the copy."""
    if dest.exists():
        raise BackupError(f"备份文件 {dest} 已存在，未覆盖")
    tmp = dest.with_name(dest.name + ".part")
    made_folder = not dest.parent.exists()  # a first backup makes ``backups/``; a failed one takes it away again
    done = False
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(src)) as source, closing(sqlite3.connect(tmp)) as target:
            source.backup(target)
            expected = table_row_counts(source)
        with closing(sqlite3.connect(tmp)) as check:
            ok, detail = integrity_ok(check)
            got = table_row_counts(check)
            # Leave the copy as one self-contained file, not WAL.
            check.execute("PRAGMA journal_mode = DELETE")
        if not ok:
            raise BackupError(f"备份文件 {dest} 完整性检查未通过：{detail}")
        if got != expected:
            raise BackupError(f"备份文件 {dest} 的行数与原数据库不一致")
        tmp.replace(dest)
        done = True
    except sqlite3.Error as exc:
        raise BackupError(f"无法备份数据库 {src}：{sqlite_message(exc)}") from exc
    except OSError as exc:
        raise BackupError(f"无法写入备份文件 {dest}：{exc.strerror or exc}") from exc
    finally:
        try:
            tmp.unlink(missing_ok=True)
            if made_folder and not done:
                dest.parent.rmdir()  # only when empty: nothing else is ever removed
        except OSError:
            pass  # the folder itself could not be made (nothing was written), or is not empty
    return BackupResult(dest, expected)


def backup_name(db_path: Path, reason: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    return f"{db_path.stem}-{when:%Y%m%d-%H%M%S}-{reason}.db"


# -- names of the files this program writes into backups/ -------------------------------------

# <db stem>-<YYYYmmdd>-<HHMMSS>[.<n>]-<reason>.db ; the reason is ASCII (daily, manual,
# before-import, before-migrate-0001, before-restore, …). Only files matching this are ever
# treated as backups, and only those are ever rotated away.
BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:\.(?P<n>\d+))?-(?P<reason>[a-z0-9][a-z0-9-]*)\.db$"
)


@dataclass(frozen=True)
class BackupName:
    stem: str
    taken_at: datetime
    reason: str


def parse_backup_name(name: str) -> BackupName | None:
    m = BACKUP_NAME.match(name)
    if m is None:
        return None
    try:
        when = datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return BackupName(m["stem"], when, m["reason"])


def unique_backup_path(folder: Path, db_path: Path, reason: str, when: datetime | None = None) -> Path:
    """A path in ``folder`` named after ``db_path``, ``when`` and ``reason`` that does not exist yet."""
    when = when or datetime.now()
    path = folder / backup_name(db_path, reason, when)
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{db_path.stem}-{when:%Y%m%d-%H%M%S}.{n}-{reason}.db"
    return path


# -- reading a file that may be damaged, without writing to it --------------------------------

SQLITE_HEADER = b"SQLite format 3\x00"
# The files SQLite keeps beside a database. The program copies them, never deletes or renames them.
SIDE_SUFFIXES = ("-wal", "-journal")


def open_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot change ``path`` (no rollback of a hot journal, no checkpoint)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_file(path: Path, quick: bool = True) -> tuple[bool, str]:
    """``(True, "ok")`` when ``path`` is a SQLite database that passes quick_check/integrity_check.

    Opens the file read-only through SQLite only (a plain ``open()``/``close()`` of a database
    this process has open would drop SQLite's POSIX locks); a damaged file is reported, not raised.
    """
    if not path.is_file():
        return False, "文件不存在"
    try:
        with closing(open_readonly(path)) as conn:
            ok, detail = integrity_ok(conn, quick=quick)
    except sqlite3.DatabaseError as exc:
        return False, sqlite_message(exc)
    return ok, detail if ok else f"完整性检查未通过：{detail}"


# -- restoring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreOutcome:
    path: Path  # where the restored database now is: the target, or a new file beside it
    row_counts: dict[str, int]


EXCLUSIVE_WAIT_S = 2.0  # how long a restore waits for another connection to let go of the database


def _take_exclusive(conn: sqlite3.Connection, path: Path) -> None:
    """Hold ``path`` alone through ``conn`` (opened with ``isolation_level=None``) until it closes:
    no other connection, of this process or any other, may have it open, not even to read (a
    reader would see the data swapped under it half-way through its work)."""
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # the lock stays: exclusive locking mode keeps it until close
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        raise BackupError(f"数据库 {path} 正在被另一个程序使用（如正在运行的统计、检查或备份命令，"
                          "或打开了它的其他软件），请等它结束或关闭后再恢复") from exc


def ensure_unused(path: Path) -> None:
    """Raise ``BackupError`` when another connection has the healthy database ``path`` open (see
    ``_take_exclusive``; closing may checkpoint its ``-wal``, as the last connection always does).
    Not for a damaged file: its ``-wal`` must stay as it is until it has been copied aside."""
    if not path.is_file():
        return
    try:
        with closing(sqlite3.connect(path, timeout=EXCLUSIVE_WAIT_S, isolation_level=None)) as conn:
            _take_exclusive(conn, path)
    except sqlite3.DatabaseError:
        pass  # damaged: restoring it is the point


def _copy_and_verify(source: sqlite3.Connection, dest_path: Path, expected: dict[str, int],
                     exclusive: bool = False) -> None:
    with closing(sqlite3.connect(dest_path, timeout=EXCLUSIVE_WAIT_S, isolation_level=None)) as dest:
        if exclusive:
            _take_exclusive(dest, dest_path)
        else:
            dest.execute("PRAGMA busy_timeout = 10000")
        source.backup(dest)
        ok, detail = integrity_ok(dest)
        if not ok:
            raise BackupError(f"恢复后的数据库 {dest_path} 完整性检查未通过：{detail}")
        if table_row_counts(dest) != expected:
            raise BackupError(f"恢复后的数据库 {dest_path} 的行数与备份不一致")


def _has_side_files(path: Path) -> bool:
    return any(path.with_name(path.name + s).exists() for s in SIDE_SUFFIXES)


def _restore_beside(source: sqlite3.Connection, target: Path, expected: dict[str, int], when: datetime) -> Path:
    """``target`` has no readable header, so SQLite cannot open it as the destination."""
    fresh = target.with_name(f"{target.stem}-restored-{when:%Y%m%d-%H%M%S}{target.suffix}")
    part = fresh.with_name(fresh.name + ".part")
    if fresh.exists() or part.exists():
        raise BackupError(f"文件 {fresh} 已存在，请稍后再试")
    try:
        _copy_and_verify(source, part, expected)
        with closing(sqlite3.connect(part)) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    except BaseException:
        part.unlink(missing_ok=True)  # our own unfinished copy
        raise
    # A -wal beside a replaced main file could be replayed onto it: then keep both apart.
    final = fresh if _has_side_files(target) else target
    part.replace(final)
    return final


def restore_database(backup: Path, target: Path, when: datetime | None = None, exclusive: bool = False) -> RestoreOutcome:
    """Write the verified ``backup`` into ``target`` through a connection to ``target``.

    The backup API writes through SQLite's own pager, so a ``-wal`` beside ``target`` is
    honoured, never left stale. When ``target`` has no readable header SQLite cannot open it:
    without side files the restored copy then replaces the main file, with them it goes to a
    new file beside ``target`` (the caller switches to ``RestoreOutcome.path``). The caller
    keeps the current state first (``backup_database`` or, when damaged, ``copy_aside``) and
    closes its own connections to ``target`` (reading a header with a plain ``open()`` and
    closing it would drop the POSIX locks SQLite holds for them). ``exclusive``: a healthy
    ``target`` is replaced only while no other connection has it open (``ensure_unused``); a
    damaged one is not, the window keeps a reader on it to protect its ``-wal``.
    """
    ok, detail = check_file(backup, quick=False)
    if not ok:
        raise BackupError(f"备份文件 {backup} 已损坏（{detail}），请选择其他备份")
    try:
        with closing(open_readonly(backup)) as source:
            expected = table_row_counts(source)
            if target.exists() and target.stat().st_size > 0 and not has_sqlite_header(target):
                return RestoreOutcome(_restore_beside(source, target, expected, when or datetime.now()), expected)
            _copy_and_verify(source, target, expected, exclusive)
            return RestoreOutcome(target, expected)
    except sqlite3.Error as exc:
        raise BackupError(f"无法把备份 {backup.name} 恢复到 {target}：{sqlite_message(exc)}") from exc
    except OSError as exc:
        raise BackupError(f"无法写入 {target}：{exc.strerror or exc}") from exc


def copy_aside(db_path: Path, folder: Path) -> Path:
    """Copy a damaged database and its ``-wal``/``-journal`` byte for byte into ``folder``.

    A plain copy is right only here: the file is damaged (the backup API would stop at the
    first bad page) and no connection of the program has it open. Nothing is moved or deleted.
    """
    try:
        folder.mkdir(parents=True, exist_ok=False)
        for suffix in ("", *SIDE_SUFFIXES):
            src = db_path.with_name(db_path.name + suffix)
            if src.exists():
                shutil.copy2(src, folder / src.name)
    except OSError as exc:
        raise BackupError(f"无法把损坏的数据库复制到 {folder}：{exc.strerror or exc}") from exc
    return folder
