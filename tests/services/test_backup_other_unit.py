"""Restoring a backup of another unit: a township's database is not silently turned into a
district's (or another township's), nor into a database without a unit; the clerk must say so
(``--other-unit`` on the command line, a confirmation in the window)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from backup_helpers import add_members
from dangjian_desktop.cli import build_parser
from dangjian_desktop.domain.enums import UnitMode
from dangjian_desktop.domain.unit import UnitSettings
from dangjian_desktop.services import backup_service as B
from dangjian_desktop.services.backup_checks import unit_mismatch
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from cli_helpers import run

DISTRICT = UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "测试员")
NEIGHBOUR = UnitSettings(UnitMode.TOWNSHIP, "白石乡", "410999102000", "测试员")


def unit_db(path: Path, unit: UnitSettings | None) -> Path:
    with Store.open(path) as s:
        if unit is not None:
            init_unit(s, unit)
    return path


def mode_and_code(path: Path) -> tuple[str, str]:
    with closing(sqlite3.connect(path)) as conn:
        values = dict(conn.execute("SELECT key, value FROM settings"))
    return values["mode"], values["unit_code"]


@pytest.mark.parametrize("other", [DISTRICT, NEIGHBOUR], ids=["district", "neighbour"])
def test_a_backup_of_another_unit_is_refused_naming_both(store, tmp_path, other):
    add_members(store, 4)
    foreign = unit_db(tmp_path / "other.db", other)
    with pytest.raises(B.OtherUnitError) as refused:
        B.restore_backup(store.path, foreign, db=store.db)
    message = refused.value.message
    assert "青石镇" in message and "410999101000" in message and other.name in message and other.code in message
    assert mode_and_code(store.path) == ("乡镇", "410999101000")
    assert B.list_backups(store.path) == []  # refused before anything was kept or written


def test_a_backup_without_a_unit_is_refused(store, tmp_path):
    blank = unit_db(tmp_path / "blank.db", None)
    with pytest.raises(B.OtherUnitError, match="没有设置单位"):
        B.restore_backup(store.path, blank, db=store.db)
    assert mode_and_code(store.path) == ("乡镇", "410999101000")


def test_asked_for_it_restores_it(store, tmp_path):
    foreign = unit_db(tmp_path / "other.db", DISTRICT)
    B.restore_backup(store.path, foreign, db=store.db, other_unit=True)
    assert mode_and_code(store.path) == ("区", "410999000000")


def test_a_new_or_unset_database_takes_any_backup(tmp_path):
    foreign = unit_db(tmp_path / "other.db", DISTRICT)
    assert unit_mismatch(tmp_path / "new.db", foreign) is None
    assert unit_mismatch(unit_db(tmp_path / "unset.db", None), foreign) is None
    B.restore_backup(tmp_path / "new.db", foreign)
    assert mode_and_code(tmp_path / "new.db") == ("区", "410999000000")


def test_the_command_line_refuses_unless_told(capsys, store, tmp_path):
    foreign = unit_db(tmp_path / "other.db", DISTRICT)
    store.close()
    code, out, err = run(capsys, "restore", "--db", store.path, "--from", foreign)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "青川区" in err and "410999000000" in err and "青石镇" in err and "410999101000" in err
    assert "--other-unit" in err
    assert mode_and_code(store.path) == ("乡镇", "410999101000")
    code, _out, err = run(capsys, "restore", "--db", store.path, "--from", foreign, "--other-unit")
    assert code == 0, err
    assert mode_and_code(store.path) == ("区", "410999000000")


def test_the_flag_is_in_the_help():
    restore = build_parser()._subparsers._group_actions[0].choices["restore"]
    assert "--other-unit" in restore.format_help()
