"""Opening a database file: only this program's databases are opened; a 0-byte file or another
program's SQLite file is refused before anything is written to it, whoever asks (the
commands, the window, a backup, a restore)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from dangjian_desktop.services import backup_service as B
from dangjian_desktop.services.store import Store, StoreError
from cli_helpers import run

EMPTY = "是空的（0 字节）"
FOREIGN = "不是党建台账的数据库"


def empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    return path


def foreign_file(tmp_path: Path) -> Path:
    """A SQLite file another program made."""
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (a)")
        conn.execute("INSERT INTO t VALUES (1)")
        conn.commit()
    return path


KINDS = {"empty": (empty_file, EMPTY), "foreign": (foreign_file, FOREIGN)}


def state(path: Path) -> tuple[str, list[str]]:
    """The file's bytes and what lies beside it: nothing may change."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("create", [True, False])
def test_store_open_refuses_and_writes_nothing(tmp_path, kind, create):
    make, said = KINDS[kind]
    path = make(tmp_path)
    before = state(path)
    with pytest.raises(StoreError, match=said) as refused:
        Store.open(path, create=create)
    assert str(path) in refused.value.message
    assert state(path) == before


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("command", ["check", "stats", "backup", "export", "init", "demo"])
def test_commands_refuse_it_in_one_chinese_line(capsys, tmp_path, kind, command):
    make, said = KINDS[kind]
    path = make(tmp_path)
    before = state(path)
    extra = {"export": ["--period", "2025-01", "--out", tmp_path / "out"],
             "init": ["--mode", "township", "--code", "410999101000", "--name", "青石镇"]}.get(command, [])
    code, out, err = run(capsys, command, "--db", path, *extra)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("错误：") and said in err and str(path) in err
    assert state(path) == before


def test_an_empty_file_is_told_to_be_restored_and_restoring_into_it_works(capsys, store, tmp_path):
    backup = B.make_backup(store.path, "manual")
    path = empty_file(tmp_path)
    _code, _out, err = run(capsys, "check", "--db", path)
    assert "restore" in err
    code, _out, err = run(capsys, "restore", "--db", path, "--from", backup.path)
    assert code == 0, err
    with Store.open(path, create=False) as restored:
        assert restored.unit().code == store.unit().code


def test_no_traceback_from_a_backup_of_another_programs_file(tmp_path):
    path = foreign_file(tmp_path)
    done = subprocess.run([sys.executable, "-m", "dangjian_desktop", "backup", "--db", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr and FOREIGN in done.stderr
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_restore_refuses_it_as_a_backup(store, tmp_path, kind):
    make, said = KINDS[kind]
    source = make(tmp_path)
    with pytest.raises(B.BackupServiceError, match="不是本程序的数据库备份|是空的"):
        B.restore_backup(store.path, source, db=store.db)
    assert B.list_backups(store.path) == []


def test_a_new_path_is_still_created(tmp_path):
    with Store.open(tmp_path / "sub" / "new.db") as fresh:
        assert fresh.unit() is None and fresh.is_empty()
