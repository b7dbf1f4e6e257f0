"""The command line: exit codes 0/1/2 and one Chinese line on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dangjian_desktop.cli import build_parser
from cli_helpers import run


def test_init_creates_a_unit(capsys, tmp_path):
    db = tmp_path / "a.db"
    code, out, err = run(capsys, "init", "--db", str(db), "--mode", "township", "--code", "410999101000",
                         "--name", "青石镇", "--operator", "测试员")
    assert code == 0, err
    assert "青石镇" in out and db.exists()


def test_init_twice_is_refused(capsys, tmp_path):
    db = tmp_path / "a.db"
    args = ("init", "--db", str(db), "--mode", "district", "--code", "410999000000", "--name", "青川区")
    assert run(capsys, *args)[0] == 0
    code, _out, err = run(capsys, *args)
    assert code == 1
    assert err.startswith("错误：") and "不能重新初始化" in err and err.count("\n") == 1


@pytest.mark.parametrize("bad_code", ["4109", "41099910100A", "４１０９９９１０１０００"])
def test_init_with_a_bad_area_code_is_refused(capsys, tmp_path, bad_code):
    code, _out, err = run(capsys, "init", "--db", str(tmp_path / "a.db"), "--mode", "township",
                          "--code", bad_code, "--name", "青石镇")
    assert code == 1
    assert "区划代码" in err and "Traceback" not in err


def test_usage_errors_exit_2_in_chinese(capsys, tmp_path):
    code, _out, err = run(capsys, "init", "--db", str(tmp_path / "a.db"))
    assert code == 2 and "缺少必需的参数" in err
    code, _out, err = run(capsys, "demo", "--db", str(tmp_path / "a.db"), "--scale", "city")
    assert code == 2 and "无效" in err
    code, _out, err = run(capsys, "frobnicate")
    assert code == 2 and "用法错误" in err


def test_check_of_a_missing_file(capsys, tmp_path):
    code, _out, err = run(capsys, "check", "--db", str(tmp_path / "nope.db"))
    assert code == 1 and "不存在" in err
    assert not (tmp_path / "nope.db").exists()


def test_check_of_a_file_that_is_not_a_database(capsys, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"PK\x03\x04 not sqlite")
    code, _out, err = run(capsys, "check", "--db", str(bad))
    assert code == 1 and "不是本程序的数据库" in err


def test_demo_then_check_passes(capsys, tmp_path):
    db = tmp_path / "d.db"
    code, out, err = run(capsys, "demo", "--db", str(db), "--township", "410999105000", "测试镇", "--seed", "3")
    assert code == 0, err
    assert "党员" in out
    code, out, err = run(capsys, "check", "--db", str(db))
    assert code == 0, out + err
    assert "结论：0 条记录有错误" in out
    # the demo refuses to write into a database that already holds data
    code, _out, err = run(capsys, "demo", "--db", str(db))
    assert code == 1 and "已有数据" in err


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(28, "No space left on device")],
                         ids=["ctrl-c", "disk-full"])
def test_a_demo_stopped_half_way_leaves_no_file_behind(capsys, tmp_path, monkeypatch, failure):
    """The unit is written first, then each township: stopped after the unit, the file would be
    refused by the next demo (已有数据). A file the demo created is removed; one it found stays."""
    from dangjian_desktop.services import demo

    def stop(*_args, **_kwargs):  # noqa: ANN002, ANN003
        raise failure
    monkeypatch.setattr(demo, "write_township", stop)
    db = tmp_path / "d.db"
    code, _out, err = run(capsys, "demo", "--db", str(db), "--township", "410999105000", "测试镇")
    assert code == 1 and ("未完成的数据库文件已删除" in err or "磁盘已满" in err), err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    monkeypatch.undo()
    code, _out, err = run(capsys, "demo", "--db", str(db), "--township", "410999105000", "测试镇")
    assert code == 0, err


def test_a_demo_refused_for_an_existing_file_leaves_it_alone(capsys, tmp_path):
    db = tmp_path / "d.db"
    assert run(capsys, "init", "--db", str(db), "--mode", "township", "--code", "410999101000",
               "--name", "青石镇", "--operator", "测试员")[0] == 0
    code, _out, err = run(capsys, "demo", "--db", str(db))
    assert code == 1 and "已有数据" in err and db.exists()


def test_check_reports_an_invalid_record(capsys, tmp_path):
    import sqlite3
    from contextlib import closing

    db = tmp_path / "d.db"
    assert run(capsys, "demo", "--db", str(db), "--township", "410999105000", "测试镇")[0] == 0
    with closing(sqlite3.connect(db)) as conn:
        uuid, id_number = conn.execute("SELECT uuid, id_number FROM members LIMIT 1").fetchone()
        broken = id_number[:17] + ("0" if id_number[17] != "0" else "1")
        conn.execute("UPDATE members SET id_number = ? WHERE uuid = ?", (broken, uuid))
        conn.commit()
    code, out, _err = run(capsys, "check", "--db", str(db))
    assert code == 1
    assert "校验位" in out and "检查未通过" in out


def test_the_installed_entry_point_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dangjian_desktop", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "dangjian-desktop" in result.stdout


def test_check_of_a_damaged_database_reports_it_without_a_traceback(capsys, tmp_path):
    db = tmp_path / "d.db"
    assert run(capsys, "demo", "--db", str(db), "--township", "410999105000", "测试镇")[0] == 0
    size = db.stat().st_size
    with db.open("r+b") as f:  # garbage over pages in the middle, header intact
        f.seek(size // 2 // 4096 * 4096)
        f.write(b"\xa5" * 4096 * 20)
    code, out, err = run(capsys, "check", "--db", str(db))
    assert code == 1
    assert "完整性检查：未通过" in out and "Traceback" not in out + err


def test_roster_kinds_of_the_parser_match_the_importer():
    from dangjian_desktop.cli.roster_commands import KINDS
    from dangjian_desktop.exchange.roster_mapping import KINDS as IMPORTER_KINDS

    assert set(KINDS) == set(IMPORTER_KINDS)


def test_building_the_parser_loads_no_service():
    """Starting the window goes through the parser: it must not drag the services in."""
    code = ("import sys; from dangjian_desktop.cli import build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m.startswith(('dangjian_desktop.services', 'sqlalchemy', "
            "'PySide6', 'openpyxl'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [[], ["--demo"], ["--db", "x.db"], ["--db=x.db"], ["--db", "库/乡镇.db", "--demo"],
                                  ["--demo", "--db=a b.db"]])
def test_the_window_options_are_read_as_argparse_reads_them(argv):
    from dangjian_desktop.cli import _window_only

    fast = _window_only(argv)
    parsed = build_parser().parse_args(argv)
    assert fast is not None
    assert (fast.db, fast.demo, fast.self_test, fast.command) == (parsed.db, parsed.demo, parsed.self_test, parsed.command)


@pytest.mark.parametrize("argv", [["--help"], ["--db"], ["--db", "--demo"], ["--db="], ["--demo", "--demo"],
                                  ["--db", "a", "--db", "b"], ["--de"], ["--self-test"], ["--version"], ["stats"],
                                  ["x.db"]])
def test_anything_else_goes_to_the_parser(argv):
    from dangjian_desktop.cli import _window_only

    assert _window_only(argv) is None
