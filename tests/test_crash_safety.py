"""Nothing saved is lost: SIGKILL during a large write leaves all of it or none of it, and the
program never deletes or renames a ``-wal``/``-journal`` file.

The normal run kills the writer 5 times; the full test (50 times, or DANGJIAN_SIGKILL_ROUNDS)
runs with ``python -m pytest -m slow tests/test_crash_safety.py``.
"""

from __future__ import annotations

import ast
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from backup_helpers import add_members, damage
from dangjian_desktop.services import backup_service as B

TESTS = Path(__file__).resolve().parent
PACKAGE = TESTS.parent / "dangjian_desktop"
MEMBERS_PER_ROUND = 3000

# The child is the program's own write path: one write transaction (BEGIN IMMEDIATE) of a
# bulk_add, as an import makes it (the database is already migrated: Store.open is not needed).
CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from backup_helpers import members
from dangjian_desktop.storage.database import Database
from dangjian_desktop.storage.repositories import AuditLog, MemberRepository
path, batch, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = Database(path)
records = members(n, batch=batch, marker=f"round-{batch}")
print("begin", flush=True)
with db.write() as s:
    MemberRepository(s, AuditLog(s, "测试员")).bulk_add(records, summary=f"round-{batch}")
print("committed", flush=True)
"""


def _state(path: Path, marker: str) -> tuple[str, int, int, int]:
    """(integrity_check, members in total, members of this round, audit lines of this round)."""
    with closing(sqlite3.connect(path)) as conn:  # a fresh connection recovers the WAL as the program would
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            conn.execute("SELECT count(*) FROM members").fetchone()[0],
            conn.execute("SELECT count(*) FROM members WHERE notes = ?", (marker,)).fetchone()[0],
            conn.execute("SELECT count(*) FROM audit_log WHERE new_value = ?", (marker,)).fetchone()[0],
        )


def _start(path: Path, batch: int) -> tuple[subprocess.Popen, float]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(TESTS), str(path), str(batch), str(MEMBERS_PER_ROUND)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()
    assert line == "begin\n", proc.communicate()[1]
    return proc, time.monotonic()


def sigkill_rounds(path: Path, rounds: int, seed: int) -> dict[str, int]:
    proc, began = _start(path, 0)  # one undisturbed round tells how long the write takes
    line = proc.stdout.readline()
    write_time = time.monotonic() - began
    _out, err = proc.communicate()
    assert line == "committed\n", err
    rng = random.Random(seed)
    total = MEMBERS_PER_ROUND
    outcomes = {"all": 0, "none": 0}
    for batch in range(1, rounds + 1):
        proc, _began = _start(path, batch)
        delay = rng.uniform(0, write_time * 1.25)
        try:
            proc.wait(timeout=delay)  # finished before the moment came
        except subprocess.TimeoutExpired:
            proc.kill()  # SIGKILL on POSIX
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        marker = f"round-{batch}"
        check, members, of_round, audit = _state(path, marker)
        where = f"round {batch} (seed {seed}, kill after {delay:.3f} s)"
        assert check == "ok", where
        assert (of_round, audit) in ((0, 0), (MEMBERS_PER_ROUND, 1)), where
        total += of_round
        assert members == total, where
        outcomes["all" if of_round else "none"] += 1
    return outcomes


@pytest.fixture
def crash_db(store) -> Path:
    path = store.path
    store.close()
    return path


def test_sigkill_during_a_large_write_keeps_all_or_nothing(crash_db):
    outcomes = sigkill_rounds(crash_db, rounds=5, seed=20261126)
    assert outcomes["none"] >= 1  # the kills did land inside the transaction


@pytest.mark.slow
def test_sigkill_during_a_large_write_many_times(crash_db):
    rounds = int(os.environ.get("DANGJIAN_SIGKILL_ROUNDS", "50"))
    seed = int(os.environ.get("DANGJIAN_SIGKILL_SEED", str(int(time.time()))))
    outcomes = sigkill_rounds(crash_db, rounds, seed)
    assert outcomes["none"] >= 1 and sum(outcomes.values()) == rounds


# -- -wal and -journal files are never deleted or renamed -------------------------------------

SIDE_NAMES = ("-wal", "-journal", "-shm")
DESTRUCTIVE = {"unlink", "remove", "rename", "replace", "rmtree", "move", "removedirs", "truncate"}


def _scopes(tree: ast.Module):
    yield tree
    yield from (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))


def _mentions_side_files(node: ast.AST) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and any(s in n.value for s in SIDE_NAMES):
            return True
        if isinstance(n, ast.Name) and n.id == "SIDE_SUFFIXES":
            return True
    return False


def _destructive_calls(node: ast.AST) -> list[ast.Call]:
    calls = []
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            name = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
            if name in DESTRUCTIVE:
                calls.append(n)
    return calls


def test_no_code_path_deletes_or_renames_side_files():
    """Static: no function that names a -wal/-journal file calls unlink/remove/rename/…, and no
    such call anywhere has a -wal/-journal name in its arguments."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in _scopes(tree):
            body = scope.body if isinstance(scope, ast.Module) else [scope]
            for stmt in body:
                if isinstance(scope, ast.Module) and isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue  # functions are their own scopes
                if _mentions_side_files(stmt) and _destructive_calls(stmt):
                    bad.append(f"{path.relative_to(PACKAGE)}:{stmt.lineno}")
        for call in _destructive_calls(tree):
            if any(_mentions_side_files(a) for a in [call.func, *call.args, *(k.value for k in call.keywords)]):
                bad.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
    assert bad == []


def test_the_static_check_can_fail(tmp_path):
    tree = ast.parse("def f(p):\n    p.with_name(p.name + '-wal').unlink()\n")
    fn = tree.body[0]
    assert _mentions_side_files(fn) and _destructive_calls(fn)


def test_backup_restore_and_move_never_touch_side_files(store, tmp_path, monkeypatch):
    """At run time: every unlink/remove/rename/replace the flows make is recorded."""
    touched: list[str] = []
    for name in ("unlink", "remove", "rename", "replace"):
        real = getattr(os, name)

        def spy(*args, _real=real, **kwargs):
            touched.extend(str(a) for a in args[:2])
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, spy)
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: touched.append(f"rmtree {a}"))
    add_members(store, 300)
    folder = store.path.parent / "backups"
    for day in range(1, 12):
        B.make_backup(store.path, "daily", when=datetime(2026, 11, day, 8))
    decoys = [folder / "test-20261101-080000-daily.db-wal", folder / "test-20261101-080000-daily.db-journal"]
    for d in decoys:
        d.write_bytes(b"keep")
    B.daily_backup(store.path, datetime(2026, 11, 26, 8))  # rotates daily backups away
    good = B.list_backups(store.path)[0].path
    B.restore_backup(store.path, good, db=store.db)  # healthy: backup first, then restore
    B.move_database(store.path, tmp_path / "local")
    store.close()
    damage(store.path)
    wal = store.path.with_name(store.path.name + "-wal")
    wal.write_bytes(b"kept")
    B.restore_backup(store.path, good)  # damaged: copied aside, then restored
    with store.path.open("r+b") as f:
        f.write(b"\0" * 100)  # destroyed header, with a -wal beside it
    wal.write_bytes(b"kept")
    B.restore_backup(store.path, good)
    assert [t for t in touched if t.endswith(SIDE_NAMES) or "rmtree" in t] == []
    assert any(t.endswith("-daily.db") for t in touched)  # the spy did see the rotation
    assert all(d.read_bytes() == b"keep" for d in decoys) and wal.read_bytes() == b"kept"
