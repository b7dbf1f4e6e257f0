"""Writing into a read-only folder or onto a full disk, on the command line: one Chinese line
naming the file and saying what happened and what to do, exit 1, no traceback, no temporary
file left behind, and nothing recorded as done that was not (export number, verdict)."""

from __future__ import annotations

import errno
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from roster_fixtures import messy_member_draft, people, write_xlsx
from write_faults import refuse_writes
from cli_helpers import run


TOWNSHIP, NAME = "410999101000", "青石镇"
WHAT = {errno.EROFS: "文件夹是只读的", errno.ENOSPC: "磁盘已满"}


def error_line(err: str) -> str:
    """Progress lines ([n/m] …) aside, stderr is exactly one Chinese error line."""
    lines = [line for line in err.splitlines() if not line.startswith("[")]
    assert len(lines) == 1 and lines[0].startswith("错误：") and "Traceback" not in err, err
    return lines[0]


def sql(db: Path, query: str) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(query).fetchall()


@pytest.fixture
def township(capsys, tmp_path):
    db = tmp_path / "township.db"
    assert run(capsys, "init", "--db", db, "--mode", "township", "--code", TOWNSHIP, "--name", NAME)[0] == 0
    return db


@pytest.fixture
def district(capsys, tmp_path, township):
    """A district database with the township's 2025-01 package imported (待审核)."""
    code, out, err = run(capsys, "export", "--db", township, "--period", "2025-01", "--out", tmp_path / "out")
    assert code == 0, err
    db = tmp_path / "district.db"
    run(capsys, "init", "--db", db, "--mode", "district", "--code", "410999000000", "--name", "青川区")
    assert run(capsys, "import", "--db", db, "--add-townships", out.strip())[0] == 0
    return db


@pytest.mark.parametrize("fault", [errno.EROFS, errno.ENOSPC])
def test_export_into_a_folder_that_cannot_be_written(capsys, monkeypatch, tmp_path, township, fault):
    run(capsys, "export", "--db", township, "--period", "2025-01", "--out", tmp_path / "first")
    before = sql(township, "SELECT township_code, last_sequence FROM export_sequences")
    out_dir = refuse_writes(monkeypatch, tmp_path / "u盘", fault)
    code, out, err = run(capsys, "export", "--db", township, "--period", "2025-02", "--out", out_dir)
    line = error_line(err)
    assert code == 1 and out == ""
    assert f"{TOWNSHIP}_{NAME}_2025-02.xlsx" in line and WHAT[fault] in line and "请" in line
    assert list(out_dir.iterdir()) == []
    assert sql(township, "SELECT township_code, last_sequence FROM export_sequences") == before == [(TOWNSHIP, 1)]
    monkeypatch.undo()
    code, _out, err = run(capsys, "export", "--db", township, "--period", "2025-02", "--out", out_dir)
    assert code == 0 and "第 2 次导出" in err


def test_review_with_a_receipt_into_a_read_only_folder_saves_nothing(capsys, monkeypatch, tmp_path, district):
    out_dir = refuse_writes(monkeypatch, tmp_path / "回执")
    code, out, err = run(capsys, "review", "--db", district, "--township", TOWNSHIP, "--period", "2025-01",
                         "--status", "退回修改", "--reason", "测试", "--receipt", out_dir)
    line = error_line(err)
    assert code == 1 and out == ""
    assert "回执.xlsx" in line and "文件夹是只读的" in line and "审核结果未保存" in line
    assert list(out_dir.iterdir()) == []
    assert sql(district, "SELECT status, reason, receipt_id FROM package_reviews") == [("待审核", "", None)]
    monkeypatch.undo()
    code, out, err = run(capsys, "review", "--db", district, "--township", TOWNSHIP, "--period", "2025-01",
                         "--status", "退回修改", "--reason", "测试", "--receipt", out_dir)
    assert code == 0 and Path(out.strip()).parent == out_dir, err
    [(status, receipt_id)] = sql(district, "SELECT status, receipt_id FROM package_reviews")
    assert status == "退回修改" and receipt_id


def test_roster_error_list_into_a_read_only_folder(capsys, monkeypatch, tmp_path, township):
    persons = people(4)
    draft = messy_member_draft(persons)
    draft.rows[4 + 1][4] = persons[1].id_number[:12]  # a refused row, so there is an error list
    roster = write_xlsx(tmp_path / "东岭村党员花名册.xlsx", [draft])
    out_dir = refuse_writes(monkeypatch, tmp_path / "只读")
    code, out, err = run(capsys, "import-roster", "--db", township, "--kind", "members", "--create-branches", "--errors",
                         out_dir / "e.xlsx", roster)
    line = error_line(err)
    assert code == 1 and "e.xlsx" in line and "文件夹是只读的" in line and "数据库未改动" in line
    assert list(out_dir.iterdir()) == []
    assert sql(township, "SELECT count(*) FROM members") == [(0,)]


def test_stats_summary_onto_a_full_disk(capsys, monkeypatch, tmp_path, township):
    out_dir = refuse_writes(monkeypatch, tmp_path / "满", errno.ENOSPC)
    code, _out, err = run(capsys, "stats", "--db", township, "--year", "2025", "--summary-out", out_dir / "s.xlsx")
    line = error_line(err)
    assert code == 1 and "s.xlsx" in line and "磁盘已满" in line
    assert list(out_dir.iterdir()) == []


def _sqlite_error(message: str, name: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorname = name  # as SQLite sets it
    return exc


def test_backup_out_onto_a_full_disk(capsys, monkeypatch, tmp_path, township):
    from dangjian_desktop.storage import backup as storage_backup

    out = tmp_path / "tiny" / "b.db"
    out.parent.mkdir()
    real_counts = storage_backup.table_row_counts

    def full(conn):  # noqa: ANN001, ANN202 - as SQLite fails writing the copy: its journal stays behind
        if not (out.parent / "b.db.part-journal").exists():
            (out.parent / "b.db.part-journal").write_bytes(b"\0" * 512)
            raise _sqlite_error("database or disk is full", "SQLITE_FULL")
        return real_counts(conn)

    monkeypatch.setattr(storage_backup, "table_row_counts", full)
    code, _out, err = run(capsys, "backup", "--db", township, "--out", out)
    line = error_line(err)
    assert code == 1 and "b.db" in line and "磁盘已满" in line and "请" in line
    assert list(out.parent.iterdir()) == []


def test_backup_out_into_a_read_only_folder(capsys, monkeypatch, tmp_path, township):
    from dangjian_desktop.storage import backup as storage_backup

    folder = refuse_writes(monkeypatch, tmp_path / "只读")

    def cannot_open(conn):  # noqa: ANN001, ANN202 - SQLite's words for a folder it cannot write
        raise _sqlite_error("unable to open database file", "SQLITE_CANTOPEN")

    monkeypatch.setattr(storage_backup, "table_row_counts", cannot_open)
    code, _out, err = run(capsys, "backup", "--db", township, "--out", folder / "b.db")
    line = error_line(err)
    assert code == 1 and "b.db" in line and "文件夹是只读的" in line and "township.db" not in line
    assert list(folder.iterdir()) == []


def test_a_roster_import_onto_a_full_disk_is_one_line_and_writes_nothing(capsys, monkeypatch, tmp_path, township):
    """The database's own disk fills up during the import's one transaction (SQLite's page cap
    answers as a full disk does): one Chinese line, nothing of the roster in the database."""
    from dangjian_desktop.storage import database

    roster = write_xlsx(tmp_path / "东岭村党员花名册.xlsx", [messy_member_draft(people(40))])
    with closing(sqlite3.connect(township)) as conn:
        conn.execute("VACUUM")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    connect = database._on_connect

    def capped(dbapi_conn, record):  # noqa: ANN001, ANN202
        connect(dbapi_conn, record)
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(database, "_on_connect", capped)
    code, _out, err = run(capsys, "import-roster", "--db", township, "--kind", "members", "--create-branches", roster)
    line = error_line(err)
    assert code == 1 and str(township) in line and "磁盘已满" in line and "没有保存" in line, line
    assert sql(township, "SELECT count(*) FROM members") == [(0,)]
    assert sql(township, "SELECT count(*) FROM branches") == [(0,)]
    assert sql(township, "PRAGMA integrity_check") == [("ok",)]
