"""``import-roster`` as a new user meets it: preview a messy roster with a few bad IDs, save the
error workbook, fix it, import it again — exit codes 0/1/2 and one Chinese line on stderr."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import openpyxl
import pytest
from roster_fixtures import data_row, messy_member_draft, people, write_xlsx

from dangjian_desktop.cli import main
from cli_helpers import run


def error_lines(err: str) -> list[str]:
    """stderr carries progress lines ([n/m] …) and exactly one error line."""
    lines = [line for line in err.splitlines() if not line.startswith("[")]
    assert all(line.startswith("错误：") for line in lines)
    return lines


def count(db, table="members") -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def township(capsys, tmp_path):
    db = tmp_path / "青石镇.db"
    assert run(capsys, "init", "--db", str(db), "--mode", "township", "--code", "410999101000",
               "--name", "青石镇", "--operator", "测试员")[0] == 0
    return db


@pytest.fixture
def messy(tmp_path):
    persons = people(10)
    draft = messy_member_draft(persons)
    draft.rows[4 + 1][4] = float(persons[1].id_number[:15] + "000")  # typed as a number
    draft.rows[4 + 4][4] = persons[4].id_number[:16] + persons[4].id_number[17] + persons[4].id_number[16]
    draft.rows[4 + 7][4] = persons[7].id_number[:12]
    return write_xlsx(tmp_path / "东岭村党员花名册.xlsx", [draft]), persons, draft


def test_preview_fix_and_import_again(capsys, township, messy, tmp_path):
    path, persons, draft = messy
    errors = tmp_path / "未导入的行.xlsx"
    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members", "--dry-run",
                         "--errors", str(errors), str(path))
    assert code == 1 and count(township) == 0
    assert "表头在第 3–4 行" in out and "I“发展情况_入党时间”→入党时间" in out
    assert f"第 {data_row(draft, 1)} 行 F列“公民身份号码”" in out and "设为“文本”" in out
    assert "“东岭村党支部”（10 行）" in out and "--create-branches" in out
    assert error_lines(err) == [error_lines(err)[0]] and "数据库未改动" in err and "Traceback" not in err
    assert errors.exists()

    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members", "--create-branches",
                         "--errors", str(errors), str(path))
    assert code == 1 and "其余的行已导入" in err
    assert count(township) == 7 and count(township, "branches") == 1

    wb = openpyxl.load_workbook(errors)
    ws = wb["东岭村党支部"]
    header = [c.value for c in ws[1]]
    id_col, row_col = header.index("公民身份号码") + 1, header.index("原行号") + 1
    assert [ws.cell(r, row_col).value for r in range(2, ws.max_row + 1)] == [data_row(draft, i) for i in (1, 4, 7)]
    for r in range(2, ws.max_row + 1):
        assert ws.cell(r, id_col).fill.fill_type == "solid"
        person = persons[ws.cell(r, row_col).value - data_row(draft, 0)]
        ws.cell(r, id_col).value = person.id_number  # the clerk re-enters the number as text
    wb.save(errors)

    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members", "--json", str(errors))
    assert code == 0, err
    report = json.loads(out)
    assert report["counts"]["新增"] == 3 and report["result"]["added"] == 3 and not report["errors"]
    assert count(township) == 10 and count(township, "branches") == 1

    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members", "--json",
                         "--dry-run", str(path))
    report = json.loads(out)
    assert report["counts"]["无变化"] == 7 and report["counts"]["新增"] == 0 and report["counts"]["更新"] == 0
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(data_row(draft, i), "F") for i in (1, 4, 7)]


def test_refusals_and_usage_errors(capsys, township, tmp_path):
    page = tmp_path / "导出.xls"
    page.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")
    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members", str(page))
    assert code == 1 and "网页" in err and "另存为" in err and len(error_lines(err)) == 1
    code, _out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "people", str(page))
    assert code == 2 and "用法错误" in err
    code, _out, err = run(capsys, "import-roster", "--db", str(tmp_path / "无.db"), "--kind", "members", str(page))
    assert code == 1 and "不存在" in err and not (tmp_path / "无.db").exists()


def test_a_clean_roster_exits_0(capsys, township, tmp_path):
    persons = people(3)
    path = write_xlsx(tmp_path / "干净.xlsx", [messy_member_draft(persons)])
    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members", "--branch", "东岭村党支部",
                         "--create-branches", str(path))
    assert code == 0, err
    assert "已导入：新增 3 条" in out and count(township) == 3


def test_a_committing_import_takes_a_backup_first(tmp_path, capsys):
    """Every import is preceded by a verified backup (issue 9); a dry run writes none."""
    from dangjian_desktop.services.backup_service import list_backups

    db = tmp_path / "t.db"
    assert main(["init", "--db", str(db), "--mode", "township", "--code", "410999101000", "--name", "青石镇"]) == 0
    roster = tmp_path / "r.csv"
    roster.write_text("姓名,性别,身份证号,入党时间\n王建国,男,%s,2007-07-01\n" % _an_id(), encoding="utf-8")
    main(["import-roster", "--db", str(db), "--kind", "members", "--dry-run", "--create-branches", str(roster)])
    assert list_backups(db) == []
    main(["import-roster", "--db", str(db), "--kind", "members", "--create-branches", str(roster)])
    capsys.readouterr()
    backups = list_backups(db)
    assert [b.reason for b in backups] == ["before-import"]
    assert backups[0].counts is not None and backups[0].counts.get("党员", 0) == 0  # taken before the write


def _an_id() -> str:
    from datetime import date

    from dangjian_desktop.domain.idcard import make_id_number

    return make_id_number("410999", date(1980, 5, 17), 11)


def _interrupt_inside(monkeypatch, where: str) -> None:
    """Send this process SIGINT (Ctrl-C) the moment ``roster_import_commit.<where>`` runs."""
    import os
    import signal

    from dangjian_desktop.services import roster_import_commit

    real = getattr(roster_import_commit, where)

    def interrupted(*args, **kwargs):  # noqa: ANN002, ANN003
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)
    monkeypatch.setattr(roster_import_commit, where, interrupted)


def test_ctrl_c_while_writing_finishes_the_write_and_says_so(capsys, monkeypatch, township, tmp_path):
    persons = people(30)
    path = write_xlsx(tmp_path / "名册.xlsx", [messy_member_draft(persons)])
    _interrupt_inside(monkeypatch, "insert_many")
    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members",
                         "--branch", "东岭村党支部", "--create-branches", str(path))
    assert "收到中断：名册正在一次写入数据库" in err
    assert code == 0, err
    assert count(township) == 30  # all written, and the report says so
    assert "新增" in out


def test_ctrl_c_before_the_write_leaves_the_database_as_it_was(capsys, monkeypatch, township, tmp_path):
    import signal

    from dangjian_desktop.services import roster_import

    persons = people(30)
    path = write_xlsx(tmp_path / "名册.xlsx", [messy_member_draft(persons)])
    real = roster_import.RosterImport.preview

    def interrupted(self, options):  # noqa: ANN001
        signal.raise_signal(signal.SIGINT)
        return real(self, options)
    monkeypatch.setattr(roster_import.RosterImport, "preview", interrupted)
    code, _out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members",
                          "--branch", "东岭村党支部", "--create-branches", str(path))
    assert code == 1
    assert error_lines(err) == ["错误：已中断；每一步写入都是整体提交的："
                                "中断前写完的已保存，正在写的没有写入（可用 check 核对）"]
    assert count(township) == 0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_interrupt_inside_the_insert_is_not_hidden_by_the_cache_setting(township, tmp_path, monkeypatch):
    """KeyboardInterrupt in the middle of the rows: it reaches the caller as itself (SQLAlchemy
    has invalidated the connection, and restoring the page cache used to raise over it), and
    nothing is written."""
    from dangjian_desktop.services import roster_import_commit
    from dangjian_desktop.services.progress import run_job
    from dangjian_desktop.services.roster_import import ImportOptions, RosterImport
    from dangjian_desktop.services.store import Store

    persons = people(1200)
    path = write_xlsx(tmp_path / "名册.xlsx", [messy_member_draft(persons)])
    calls = []
    real = roster_import_commit.insert_many

    def insert_then_interrupt(session, records):  # noqa: ANN001
        calls.append(len(records))
        dialect = session.connection().dialect

        def ctrl_c(*_args):  # noqa: ANN002 - inside the driver's executemany, as a real Ctrl-C lands
            raise KeyboardInterrupt
        monkeypatch.setattr(dialect, "do_executemany", ctrl_c)
        real(session, records)
    monkeypatch.setattr(roster_import_commit, "insert_many", insert_then_interrupt)
    with Store.open(township, create=False) as store, RosterImport.open(store, path, "members") as job:
        plan = run_job(job.preview(ImportOptions("东岭村党支部", create_branches=True)))
        with pytest.raises(KeyboardInterrupt):
            run_job(job.commit(plan))
    assert calls
    assert count(township) == 0


def test_a_roster_xlsx_renamed_to_xls_is_read_by_its_content(capsys, township, messy, tmp_path):
    path, persons, _draft = messy
    renamed = path.rename(tmp_path / "花名册.xls")
    code, out, err = run(capsys, "import-roster", "--db", str(township), "--kind", "members", "--dry-run",
                         "--create-branches", str(renamed))
    assert "Cfb" not in err and "OLE" not in err
    assert code == 1 and "3 行未导入" in err  # the three bad IDs, as from the .xlsx
    assert "新增" in out
