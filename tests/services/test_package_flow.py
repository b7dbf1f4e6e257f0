"""Export at the township → import at the district, through the services and the database."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing

import openpyxl
import pytest

import package_records as P
from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.statistics import Period
from dangjian_desktop.services.package_export import ExportRefusedError, export_package
from dangjian_desktop.services.package_import import (
    ImportOptions, ImportRefusedError, Status, import_packages, preview_packages,
)
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.services.statistics import compute_statistics

ADD = ImportOptions(add_townships=True)


def export(store, tmp_path, period="2025-01"):
    return run_job(export_package(store, period, tmp_path / "out"))


@pytest.fixture
def township(store):
    P.add_records(store, P.township_records())
    return store


@pytest.fixture
def district(tmp_path):
    with P.district_store(tmp_path / "district.db") as d:
        yield d


def _table_counts(path):
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
            "townships", "villages", "village_incomes", "grid_groups", "cooperatives", "branches", "members",
            "reserve_cadres", "service_requests", "activities", "import_log", "audit_log")}


def _sanitized(record):
    """What the district receives: texts without the control characters Excel cannot keep."""
    if isinstance(record, R.Member) and record.address == P.HOSTILE:
        return dataclasses.replace(record, address=P.CLEAN_HOSTILE)
    return record


def test_every_field_of_every_record_type_round_trips(township, district, tmp_path):
    result = export(township, tmp_path)
    assert result.path.name == "410999101000_青石镇_2025-01.xlsx" and result.cleaned_texts == 1
    report = run_job(import_packages(district, [result.path], ADD))
    assert report.ok and report.packages[0].status is Status.IMPORTED, report.packages[0].message
    sent = P.all_records(township)
    received = P.all_records(district)
    for record_type in R.RECORD_TYPES:
        assert received[record_type] == [_sanitized(r) for r in sent[record_type]], record_type.__name__
    member = next(m for m in received[R.Member] if m.name == "孙丙")
    assert member.id_number.endswith("X") and len(member.id_number) == 18
    assert member.notes == "=1+1" and member.full_on.iso() == "2008-07" and member.monthly_dues is not None
    assert next(v for v in received[R.Village] if v.name == "东岭社区").incomes[2025] == P.township_records()[1].incomes[2025]
    gone = next(r for r in received[R.ServiceRequest] if r.serial == 8)
    assert gone.deleted  # the tombstone travels


def test_an_import_leaves_its_writes_in_the_database_file_not_only_in_the_log(township, district, tmp_path):
    """The townships' transactions skip the checkpoint after each commit; the import copies
    the write-ahead log into the file once, at its end."""
    path = export(township, tmp_path).path
    assert run_job(import_packages(district, [path], ADD)).ok
    alone = tmp_path / "file-alone.db"
    alone.write_bytes(district.path.read_bytes())  # the file without its -wal
    assert _table_counts(alone) == _table_counts(district.path)


def test_importing_the_same_package_twice_changes_nothing(township, district, tmp_path):
    path = export(township, tmp_path).path
    run_job(import_packages(district, [path], ADD))
    before = _table_counts(district.path)
    records = P.all_records(district)
    again = run_job(import_packages(district, [path], ADD))
    assert again.ok and again.packages[0].status is Status.ALREADY_IMPORTED
    assert "已导入" in again.packages[0].message
    assert _table_counts(district.path) == before and P.all_records(district) == records


def test_a_fresh_export_of_unchanged_data_imports_with_no_changes(township, district, tmp_path):
    run_job(import_packages(district, [export(township, tmp_path).path], ADD))
    second = export(township, tmp_path)
    assert second.sequence == 2
    report = run_job(import_packages(district, [second.path]))
    outcome = report.packages[0]
    assert outcome.status is Status.IMPORTED and outcome.changes == 0
    assert outcome.roll_forward is not None and outcome.roll_forward.balanced


def test_changes_and_removals_are_counted_and_applied(township, district, tmp_path):
    run_job(import_packages(district, [export(township, tmp_path).path], ADD))
    with township.db.write() as s:
        s.connection().exec_driver_sql("UPDATE members SET phone = '13700137000' WHERE name = '李丁'")
        s.connection().exec_driver_sql("DELETE FROM activities")
    preview = run_job(preview_packages(district, [export(township, tmp_path, "2025-02").path]))
    counts = {c.sheet: c for c in preview.packages[0].counts}
    assert (counts["党员"].changed, counts["党员"].unchanged, counts["组织生活"].removed) == (1, 1, 1)
    assert _table_counts(district.path)["activities"] == 1  # a dry run writes nothing
    report = run_job(import_packages(district, [export(township, tmp_path, "2025-02").path]))
    assert report.ok
    assert _table_counts(district.path)["activities"] == 0
    phones = {m.name: m.phone for m in P.all_records(district)[R.Member]}
    assert phones["李丁"] == "13700137000"


def test_an_older_period_is_refused_unless_forced(township, district, tmp_path):
    newer = export(township, tmp_path, "2025-02").path
    older = newer.rename(tmp_path / "newer.xlsx")
    old_path = export(township, tmp_path, "2025-01").path
    run_job(import_packages(district, [older], ADD))
    before = _table_counts(district.path)
    refused = run_job(import_packages(district, [old_path]))
    assert not refused.ok and "更旧" in refused.packages[0].message
    # the window has no --force: the message says what a clerk there does, and where --force is
    assert "请乡镇" in refused.packages[0].message and "命令行导入时加 --force" in refused.packages[0].message
    assert _table_counts(district.path) == before
    forced = run_job(import_packages(district, [old_path], ImportOptions(force=True)))
    assert forced.ok and forced.packages[0].status is Status.IMPORTED


def test_an_unknown_township_needs_confirmation(township, district, tmp_path):
    path = export(township, tmp_path).path
    preview = run_job(preview_packages(district, [path]))
    assert preview.packages[0].needs_township_confirmation and preview.packages[0].counts
    report = run_job(import_packages(district, [path]))
    assert not report.ok and "--add-townships" in report.packages[0].message
    assert _table_counts(district.path)["members"] == 0


def test_a_township_database_refuses_packages(township, tmp_path):
    path = export(township, tmp_path).path
    with pytest.raises(ImportRefusedError, match="乡镇"):
        run_job(import_packages(township, [path]))


def test_a_future_month_cannot_be_exported(township, tmp_path):
    with pytest.raises(ExportRefusedError, match="还没到"):
        run_job(export_package(township, "2999-01", tmp_path))


def test_the_same_id_number_in_two_townships_is_a_warning(township, district, tmp_path):
    run_job(import_packages(district, [export(township, tmp_path).path], ADD))
    other_code = "410999102000"
    with P.Store.open(tmp_path / "other.db") as other:
        P.init_unit(other, dataclasses.replace(P.DISTRICT, mode=P.UnitMode.TOWNSHIP, code=other_code, name="白河乡"))
        records = P.township_records(other_code)
        for r in records:
            r.uuid = R.new_uuid()  # another township's own records
        member = next(r for r in records if isinstance(r, R.Member) and r.name == "李丁")
        for r in records:
            for f in ("branch_uuid", "village_uuid", "parent_uuid", "secretary_uuid", "member_uuid", "grid_group_uuid"):
                if hasattr(r, f):
                    setattr(r, f, None)
        P.add_records(other, [r for r in records if not isinstance(r, (R.Activity, R.ReserveCadre))])
        path = run_job(export_package(other, "2025-01", tmp_path / "out2")).path
    preview = run_job(preview_packages(district, [path], ADD))
    cross = preview.packages[0].cross_township
    assert [(c.id_number, c.other_township_code) for c in cross] == [(member.id_number, P.CODE)]


def test_roll_forward_counts_joins_and_leaves(township, district, tmp_path):
    run_job(import_packages(district, [export(township, tmp_path, "2025-01").path], ADD))
    with township.db.write() as s:
        s.connection().exec_driver_sql(
            "UPDATE members SET stage = '预备党员', probation_on = '2025-02-10' WHERE name = '李丁'")
    report = run_job(import_packages(district, [export(township, tmp_path, "2025-02").path]))
    rf = report.packages[0].roll_forward
    assert rf is not None and (rf.start, rf.joined, rf.left, rf.end) == (0, 1, 0, 1) and rf.unexplained == []


def test_the_package_carries_the_township_figures_of_its_month(township, district, tmp_path):
    """The 统计 sheet (after the 封面) gives the district the township's own figures for the
    package's month — the same numbers as the 统计 tab — and the import does not mind it."""
    result = export(township, tmp_path)
    wb = openpyxl.load_workbook(result.path, read_only=True)
    assert wb.sheetnames[:2] == ["封面", "统计"]
    rows = [list(r) for r in wb["统计"].iter_rows(values_only=True)]
    wb.close()
    assert rows[0][0] == "青石镇党建工作统计（2025年1月）"
    expected = compute_statistics(township, Period.parse("2025-01"), today=TODAY).total.values
    by_label = {r[1]: r[2] for r in rows[4:] if r and len(r) > 2 and r[1]}
    assert by_label["村（社区）"] == expected["villages.total"] > 0
    assert by_label["党组织"] == expected["branches.total"] > 0
    assert by_label["党员"] == expected["members.total"]
    assert run_job(import_packages(district, [result.path], ADD)).ok


def test_a_copy_changed_by_hand_after_its_import_is_refused_not_already_imported(township, district, tmp_path):
    """A township that corrects its sent package in Excel instead of re-exporting keeps the
    export id: the district must hear that the file was changed, not 已导入 (which reads as if
    the correction were in)."""
    path = export(township, tmp_path).path
    assert run_job(import_packages(district, [path], ADD)).ok
    edited = tmp_path / "改过的.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["党员"].cell(2, 1, wb["党员"].cell(2, 1).value + "改")
    wb.save(edited)
    before = _table_counts(district.path)
    for run in (preview_packages, import_packages):
        report = run_job(run(district, [edited, path]))
        by_file = {o.file: o for o in report.packages}
        assert by_file[edited.name].status is Status.REFUSED and not report.ok
        assert "「党员」表的内容与导出时不同" in by_file[edited.name].message
        assert by_file[path.name].status is Status.ALREADY_IMPORTED
    assert _table_counts(district.path) == before
