"""What makes a large roster import quick changes nothing it does: the column-wise INSERT stores
what the repository stores, the larger page cache and the pause of garbage collection end
with the job (a finished preview's objects are kept out of the collector's sight until the
import is closed), and the gate's scan of each sheet, run beside the worker, refuses what it
refused and gives the sheets their hidden rows and merged ranges."""

from __future__ import annotations

import gc
import sqlite3
import uuid
import zipfile
from contextlib import closing
from datetime import date
from decimal import Decimal

import pytest
from conftest import TODAY, TOWNSHIP
from factories import member
from roster_fixtures import Draft, messy_member_draft, people, write_xlsx

from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Education, Evaluation, LeaveKind, Stage
from dangjian_desktop.exchange.roster_reader import _fresh_uuids
from dangjian_desktop.exchange.roster_sniff import RosterFileError
from dangjian_desktop.services import roster_import_commit
from dangjian_desktop.services.isolated_reads import read_roster
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.collector import bulk_work
from dangjian_desktop.services.roster_import import ImportOptions, RosterImport
from dangjian_desktop.services.roster_import_commit import indexes_built_after, insert_many, larger_page_cache
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from dangjian_desktop.storage.repositories import MemberRepository, audit_for


def _members():
    return [
        member("王建国"),
        member("李  秀英", date(1975, 1, 31), education=Education.COLLEGE, monthly_dues=Decimal("12.50"),
               evaluation=Evaluation.EXCELLENT, evaluation_year=2025, floating=True, floating_destination="郑州"),
        member("单丽", date(1990, 12, 1), stage=Stage.PROBATIONARY, probation_on=PartialDate.month(2025, 7),
               leave_kind=LeaveKind.TRANSFER_OUT, leave_on=PartialDate.day(2026, 1, 5), archive_checked=True),
        member("Li Ming", date(1960, 2, 29), phone="0371-1234567", notes="=1+1", households_linked=3),
    ]


def _stored(path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT * FROM members ORDER BY uuid").fetchall()


def test_the_column_wise_insert_stores_what_the_repository_stores(store, tmp_path):
    records = _members()
    with store.db.write() as s:
        insert_many(s, records)
    with Store.open(tmp_path / "other.db") as other:
        init_unit(other, TOWNSHIP)
        with other.db.write() as s:
            MemberRepository(s, audit_for(s)).bulk_add(records)
        assert _stored(store.path) == _stored(other.path) and len(_stored(store.path)) == 4


def test_the_page_cache_is_the_connections_own_again_afterwards(store):
    with store.db.write() as s:
        conn = s.connection()
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        with larger_page_cache(s, 30_000):
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -roster_import_commit.BULK_CACHE_KIB
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
        with larger_page_cache(s, 10):  # a few rows: not worth it
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before


def _indexes(path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' "
                            "ORDER BY name").fetchall()


def test_a_first_roster_builds_the_indexes_afterwards_as_they_were(store, monkeypatch):
    monkeypatch.setattr(roster_import_commit, "REBUILD_FROM_ROWS", 2)
    before = _indexes(store.path)
    assert len(before) >= 5
    seen = []
    with store.db.write() as s:
        with indexes_built_after(s, "members", 4):
            seen = [n for n, _ in s.connection().exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members'").all()]
            insert_many(s, _members())
    assert seen and all(n.startswith("sqlite_autoindex") for n in seen)  # only the constraints' indexes meanwhile
    assert _indexes(store.path) == before
    with closing(sqlite3.connect(store.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM members INDEXED BY ix_members_name").fetchone() == (4,)


def test_a_failed_import_leaves_the_indexes_in_place(store, monkeypatch):
    monkeypatch.setattr(roster_import_commit, "REBUILD_FROM_ROWS", 2)
    before = _indexes(store.path)
    with pytest.raises(RuntimeError), store.db.write() as s, indexes_built_after(s, "members", 4):
        insert_many(s, _members())
        raise RuntimeError("the disk is full")
    assert _indexes(store.path) == before and _stored(store.path) == []


def test_a_roster_smaller_than_the_table_keeps_the_indexes(store, monkeypatch):
    monkeypatch.setattr(roster_import_commit, "REBUILD_FROM_ROWS", 2)
    with store.db.write() as s:
        insert_many(s, _members())
    with store.db.write() as s, indexes_built_after(s, "members", 3):  # 3 rows into a table of 4
        count = s.connection().exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                               "AND tbl_name = 'members'").scalar()
    assert count == len(_indexes(store.path))


def test_garbage_collection_resumes_when_the_job_ends_or_fails():
    assert gc.isenabled()
    with bulk_work():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), bulk_work():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk_work():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_a_closed_preview_lets_garbage_collection_resume(store, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", [messy_member_draft(people(5))])
    with RosterImport.open(store, path, "members", today=TODAY) as job:
        preview = job.preview(ImportOptions(create_branches=True))
        next(preview)
        assert not gc.isenabled()
        preview.close()
    assert gc.isenabled()


def test_a_finished_preview_is_kept_out_of_the_collectors_sight_until_the_import_is_closed(store, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", [messy_member_draft(people(5))])
    assert gc.get_freeze_count() == 0
    with RosterImport.open(store, path, "members", today=TODAY) as job:
        plan = run_job(job.preview(ImportOptions(create_branches=True)))
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert not _collectable(plan.rows)  # frozen: no collection walks it
        run_job(job.commit(plan))
    assert gc.get_freeze_count() == 0
    assert _collectable(plan.rows)


def _collectable(obj: object) -> bool:
    return gc.is_tracked(obj) and any(o is obj for o in gc.get_objects())


def test_a_cancelled_or_failed_bulk_work_freezes_nothing():
    with pytest.raises(ValueError), bulk_work(keep=True):
        raise ValueError
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_record_uuids_are_random_version_4_uuids():
    made = _fresh_uuids(500)
    assert len(set(made)) == 500
    for text in made:
        u = uuid.UUID(text)
        assert str(u) == text and u.version == 4 and u.variant == uuid.RFC_4122
    assert _fresh_uuids(0) == []


def test_the_scans_give_the_sheets_their_hidden_rows_and_merged_ranges(tmp_path):
    draft = messy_member_draft(people(4))
    draft.hidden_rows = [6]
    draft.far_styled_cell = False
    hidden = Draft("隐藏", [["姓名"], ["王建国"]], hidden=True)
    path = write_xlsx(tmp_path / "花名册.xlsx", [draft, hidden])
    book = run_job(read_roster(path))
    sheet = book.sheet("东岭村党支部")
    assert sheet.hidden_rows == frozenset({6})
    assert (3, 9, 3, 10) in sheet.merged and (1, 2, 1, 12) in sheet.merged
    assert sheet.size_hint == 10  # the scan's last row
    assert not book._book.book.sheets["隐藏"].loaded  # a hidden sheet nobody asked for is not read


def test_a_sheet_the_scan_refuses_is_refused_with_its_message(tmp_path):
    good = messy_member_draft(people(3))
    far = Draft("远处", [["姓名", "身份证号"], ["王建国", people(1)[0].id_number]])
    path = write_xlsx(tmp_path / "花名册.xlsx", [good, far])
    assert run_job(read_roster(path)).sheet("远处").size_hint == 2
    _with_far_cell(path, "xl/worksheets/sheet2.xml")
    with pytest.raises(RosterFileError, match="工作表“远处”数据范围过大"):
        run_job(read_roster(path))
    assert run_job(read_roster(path, "东岭村党支部")).sheet("东岭村党支部").hidden_rows == frozenset()


def _with_far_cell(path, part: str) -> None:
    with zipfile.ZipFile(path) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    entries[part] = entries[part].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)


def test_a_hidden_sheet_is_scanned_too_though_its_rows_are_not_read(tmp_path):
    hidden = Draft("隐藏", [["姓名"], ["王建国"]], hidden=True)
    path = write_xlsx(tmp_path / "花名册.xlsx", [messy_member_draft(people(3)), hidden])
    _with_far_cell(path, "xl/worksheets/sheet2.xml")
    with pytest.raises(RosterFileError, match="工作表“隐藏”数据范围过大"):
        run_job(read_roster(path))
    assert len(run_job(read_roster(path, "东岭村党支部")).sheet("东岭村党支部").read_table()) == 9
