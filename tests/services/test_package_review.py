"""Review at the district and the receipt back at the township."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import openpyxl
import pytest

import package_records as P
from dangjian_desktop.exchange.package_reader import NotAPackageError, PackageReadError
from dangjian_desktop.exchange.package_spec import ReviewStatus
from dangjian_desktop.services.package_export import export_package
from dangjian_desktop.services.package_import import ImportOptions, import_packages
from dangjian_desktop.services.package_review import (
    ReviewRefusedError, export_receipt, import_receipt, list_reviews, set_review,
)
from dangjian_desktop.services.progress import run_job


@pytest.fixture
def imported(store, tmp_path):
    P.add_records(store, P.township_records())
    path = run_job(export_package(store, "2025-01", tmp_path / "out")).path
    district = P.district_store(tmp_path / "district.db")
    run_job(import_packages(district, [path], ImportOptions(add_townships=True)))
    yield store, district
    district.close()


def test_an_import_waits_for_review(imported):
    _township, district = imported
    [review] = list_reviews(district)
    assert (review.township_code, review.period, review.status) == (P.CODE, "2025-01", ReviewStatus.PENDING)


def test_the_receipt_round_trips(imported, tmp_path):
    township, district = imported
    set_review(district, P.CODE, "2025-01", "退回修改", "党员“孙丙”的=转出时间 有误")
    path = export_receipt(district, P.CODE, "2025-01", tmp_path / "receipts")
    assert path.name == "410999101000_青石镇_2025-01_回执.xlsx"
    outcome = import_receipt(township, path)
    assert not outcome.already
    [review] = list_reviews(township)
    assert review.status is ReviewStatus.RETURNED and review.reason == "党员“孙丙”的=转出时间 有误"
    assert import_receipt(township, path).already  # twice: nothing changes
    assert list_reviews(township) == [review]


def _receipt_rows(path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)["回执"]
    return {str(a.value): str(b.value) for a, b in sheet.iter_rows(min_row=3, max_col=2) if a.value}


def test_the_receipt_shows_the_time_in_beijing_time_and_an_older_utc_one_is_still_read(imported, tmp_path):
    township, district = imported
    set_review(district, P.CODE, "2025-01", "approved")
    path = export_receipt(district, P.CODE, "2025-01", tmp_path / "receipts")
    [review] = list_reviews(district)
    at = review.reviewed_at.astimezone(timezone(timedelta(hours=8)))
    rows = _receipt_rows(path)
    assert rows["审核时间（北京时间）"] == f"{at:%Y-%m-%d %H:%M:%S}" and "审核时间（UTC）" not in rows
    older = tmp_path / "older.xlsx"  # as receipts were written before: the same facts, the time in UTC
    wb = openpyxl.load_workbook(path)
    for a, b in wb["回执"].iter_rows(min_row=3, max_col=2):
        if a.value == "审核时间（北京时间）":
            a.value, b.value = "审核时间（UTC）", f"{review.reviewed_at.astimezone(UTC):%Y-%m-%d %H:%M:%S}"
    wb.save(older)
    assert not import_receipt(township, older).already
    assert list_reviews(township)[0].status is ReviewStatus.APPROVED


def test_returning_needs_a_reason(imported):
    _township, district = imported
    with pytest.raises(ReviewRefusedError, match="原因"):
        set_review(district, P.CODE, "2025-01", ReviewStatus.RETURNED, "")


def test_an_edited_receipt_is_refused(imported, tmp_path):
    township, district = imported
    set_review(district, P.CODE, "2025-01", "approved")
    path = export_receipt(district, P.CODE, "2025-01", tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["回执"]["B5"] = "已通过（改）"
    wb.save(path)
    with pytest.raises(PackageReadError, match="回执"):
        import_receipt(township, path)
    assert list_reviews(township) == []


def test_a_receipt_for_another_township_is_refused(imported, tmp_path):
    _township, district = imported
    path = export_receipt(district, P.CODE, "2025-01", tmp_path)
    with P.Store.open(tmp_path / "other.db") as other:
        P.init_unit(other, P.UnitSettings(P.UnitMode.TOWNSHIP, "白河乡", "410999102000"))
        with pytest.raises(ReviewRefusedError, match="不是本乡镇"):
            import_receipt(other, path)


# -- a receipt that kills the parser: a top-level function, imported by name in the worker -----
def _dies(emit, path):
    import os

    os.abort()


def test_a_receipt_that_kills_the_reader_is_refused_and_nothing_is_stored(imported, tmp_path, monkeypatch):
    from dangjian_desktop.exchange import package_receipt

    township, district = imported
    set_review(district, P.CODE, "2025-01", "已通过")
    path = export_receipt(district, P.CODE, "2025-01", tmp_path / "receipts")
    monkeypatch.setattr(package_receipt, "receipt_in_child", _dies)
    with pytest.raises(NotAPackageError, match="意外中止") as refused:
        import_receipt(township, path)
    assert path.name in refused.value.message and "请让区里重新导出回执" in refused.value.message
    assert list_reviews(township) == []  # nothing stored
    monkeypatch.undo()
    assert import_receipt(township, path).review.status == ReviewStatus.APPROVED  # the same file, read normally



def test_a_dry_run_refuses_an_older_receipt_as_the_import_does(imported, tmp_path):
    from datetime import UTC, datetime

    township, district = imported
    set_review(district, P.CODE, "2025-01", "已通过", now=datetime(2025, 2, 3, 9, 0, tzinfo=UTC))
    older = export_receipt(district, P.CODE, "2025-01", tmp_path / "older")
    set_review(district, P.CODE, "2025-01", "退回修改", "缺联系电话", now=datetime(2025, 2, 4, 9, 0, tzinfo=UTC))
    newer = export_receipt(district, P.CODE, "2025-01", tmp_path / "newer")
    preview = import_receipt(township, newer, dry_run=True)
    assert preview.preview and preview.review.status is ReviewStatus.RETURNED and list_reviews(township) == []
    import_receipt(township, newer)
    for dry_run in (True, False):
        with pytest.raises(ReviewRefusedError, match="这份回执更旧"):
            import_receipt(township, older, dry_run=dry_run)
    assert [r.status for r in list_reviews(township)] == [ReviewStatus.RETURNED]
