"""storage/plain.py: the plain-sqlite3 reads the window's first screen uses instead of
SQLAlchemy — the schema revision constant, the unit, and rows decoded into exactly the records
the ORM gives."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import factories as F
from conftest import TODAY, TOWNSHIP
from dangjian_desktop.domain import records as R
from dangjian_desktop.services.demo import make_demo
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.services.store import Store
from dangjian_desktop.storage import migrate, plain
from dangjian_desktop.storage.repositories import AuditLog, SettingsRepository, repository_for
from dangjian_desktop.storage.repositories.mapping import ROW_OF

ROOT = Path(__file__).resolve().parents[2]


def test_the_revision_constant_is_the_newest_migration():
    assert plain.SCHEMA_REVISION == migrate.head_revision()


def test_a_new_file_is_migrated_to_that_revision(db_path):
    with Store.open(db_path) as store, closing(store.db.plain()) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == plain.SCHEMA_REVISION


def test_opening_a_current_database_loads_neither_alembic_nor_sqlalchemy(store):
    code = ("import sys\nfrom dangjian_desktop.services.store import Store\n"
            f"s = Store.open({str(store.path)!r}, create=False)\nprint(s.unit().name)\n"
            "print(sorted(m for m in ('alembic', 'sqlalchemy') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.splitlines() == [TOWNSHIP.name, "[]"]


def test_the_unit_reads_the_same_both_ways(store):
    with store.db.read() as s:
        assert store.unit() == SettingsRepository(s).unit() == TOWNSHIP


def test_rows_decode_into_the_records_the_orm_gives(tmp_path):
    with Store.open(tmp_path / "demo.db") as store:
        run_job(make_demo(store, "township", 1, TODAY))
        with store.db.read() as s, closing(store.db.plain()) as conn:
            for record_type, model in ROW_OF.items():
                expected = {r.uuid: r for r in repository_for(record_type, s, AuditLog(s, "")).list(include_deleted=True)}
                cur = conn.execute(f"SELECT * FROM {model.__tablename__}")
                decode = plain.record_decoder(record_type, [d[0] for d in cur.description])
                got = {r.uuid: r for r in map(decode, cur)}
                if record_type is R.Village:  # its nested parts live in child tables, not in its row
                    got = {u: dataclasses.replace(r, incomes=expected[u].incomes, grid_groups=expected[u].grid_groups,
                                                  cooperatives=expected[u].cooperatives) for u, r in got.items()}
                assert expected and got == expected, record_type


def test_a_value_outside_its_enum_reads_back_as_stored(store):
    with store.db.write() as s:
        repository_for(R.Member, s, AuditLog(s, "测试员")).add(F.member("张三"))
    with closing(sqlite3.connect(store.path)) as conn:
        conn.execute("UPDATE members SET education = '私塾'")
        conn.commit()
    with closing(store.db.plain()) as conn:
        cur = conn.execute("SELECT * FROM members")
        decoded = plain.record_decoder(R.Member, [d[0] for d in cur.description])(cur.fetchone())
    assert decoded.education == "私塾"  # as the column type does, so that `check` can report it

