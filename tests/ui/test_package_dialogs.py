"""The monthly package through the window: export at the township, preview and import at the
district (counts, new townships confirmed, 已导入 again), refusals that write nothing, the
review and its receipt back at the township."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

import package_records as P
from write_faults import refuse_writes
from conftest import TODAY
from dangjian_desktop.services.package_export import export_package
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.ui.context import UiContext
from dangjian_desktop.ui.main_window import MainWindow
from dangjian_desktop.ui.package_export_dialog import PackageExportDialog, last_month
from dangjian_desktop.ui.package_import_dialog import PackageImportDialog
from dangjian_desktop.ui.review_dialog import ReviewDialog, import_receipts
from dangjian_desktop.ui.review_status import ReviewStatusLabel
from dangjian_desktop.ui.workers import Workers
from ui_helpers import RecordingReporter, boxes, ctx  # noqa: F401 - fixtures

PERIOD = "2025-01"  # a month that has certainly begun, whatever the machine's clock says


@pytest.fixture
def township(ctx):
    P.add_records(ctx.store, P.township_records())
    return ctx


@pytest.fixture
def district(tmp_path, qapp):
    store = P.district_store(tmp_path / "district.db")
    reporter = RecordingReporter(tmp_path / "district-logs")
    workers = Workers(None, on_error=reporter.report)
    settings = QSettings(str(tmp_path / "district.ini"), QSettings.Format.IniFormat)
    yield UiContext(store, store.unit(), settings, reporter, workers, today=lambda: TODAY)
    workers.wait()
    workers.deleteLater()
    store.close()
    assert reporter.errors == []


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("townships", "members", "import_log", "audit_log", "package_reviews")}


def export_through_dialog(ctx, qtbot, folder: Path) -> PackageExportDialog:
    action = QAction()
    dialog = PackageExportDialog(ctx, busy=[action])
    qtbot.addWidget(dialog)
    assert dialog.period.currentText() == last_month(TODAY) == "2026-10"
    dialog.period.setCurrentText(PERIOD)
    dialog.folder.setText(str(folder))
    assert dialog.file_label.text() == f"{P.CODE}_青石镇_{PERIOD}.xlsx"
    dialog.export_button.click()
    assert not action.isEnabled() and not dialog.export_button.isEnabled()  # while it runs
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    qtbot.waitUntil(lambda: action.isEnabled())
    return dialog


def preview(dctx, qtbot, *paths: Path) -> PackageImportDialog:
    dialog = PackageImportDialog(dctx)
    qtbot.addWidget(dialog)
    dialog.add_paths(list(paths))
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.add_button.isEnabled(), timeout=15_000)
    return dialog


def imported_for_review(township, district, qtbot, tmp_path) -> ReviewDialog:  # noqa: ANN001
    """The township's package exported, imported at the district, and the 审核 dialog open."""
    path = run_job(export_package(township.store, PERIOD, tmp_path / "out")).path
    imp = preview(district, qtbot, path)
    imp.details.confirm.setChecked(True)
    with qtbot.waitSignal(imp.imported, timeout=15_000):
        imp.import_button.click()
    review = ReviewDialog(district)
    qtbot.addWidget(review)
    return review


def shown_rows(table) -> list[list[str]]:  # noqa: ANN001 - QTableWidget
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_export_preview_import_and_import_again(township, district, qtbot, tmp_path, boxes):
    dialog = export_through_dialog(township, qtbot, tmp_path / "u盘")
    path = dialog.result.path
    assert path == tmp_path / "u盘" / f"{P.CODE}_青石镇_{PERIOD}.xlsx" and path.is_file()
    assert not dialog.result_box.isHidden() and str(path) in dialog.result_label.text()
    assert "核对无误" in dialog.result_label.text() and "党员 2" in dialog.result_label.text()
    assert township.settings.value("exchange/export_dir") == str(tmp_path / "u盘")  # remembered
    before = counts(district.store.path)

    imp = preview(district, qtbot, path)
    assert shown_rows(imp.packages) == [[path.name, "青石镇", PERIOD, "新乡镇，需确认"]]
    details = imp.details
    assert "第 1 次导出" in details.title.text()
    members = next(r for r in shown_rows(details.counts) if r[0] == "党员")
    assert members == ["党员", "2", "2", "0", "0", "0"]
    assert not details.confirm.isHidden() and "青石镇（410999101000）" in details.confirm.text()
    assert "将新增乡镇" in details.notes.text()
    assert counts(district.store.path) == before  # the preview wrote nothing
    assert not imp.import_button.isEnabled()  # the new township is not confirmed yet
    details.confirm.setChecked(True)
    assert imp.import_button.isEnabled() and imp.import_button.text().startswith("导入 1 个数据包")

    with qtbot.waitSignal(imp.imported, timeout=15_000):
        imp.import_button.click()
    assert "导入前程序会先备份数据库" in boxes.texts("question")[0]
    qtbot.waitUntil(lambda: imp.add_button.isEnabled())
    assert shown_rows(imp.packages)[0][3] == "导入成功" and "导入成功 1 个" in imp.summary.text()
    assert not imp.import_button.isEnabled()
    after = counts(district.store.path)
    assert after["members"] == 2 and after["import_log"] == 1 and after["package_reviews"] == 1
    backups = list((tmp_path / "backups").glob("district-*-before-import.db"))
    assert len(backups) == 1  # taken before writing

    again = preview(district, qtbot, path)
    assert shown_rows(again.packages)[0][3] == "已导入" and "无需再次导入" in again.details.message.text()
    assert not again.import_button.isEnabled()
    assert counts(district.store.path) == after


def _edit_cell(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    wb["党员"].cell(2, 1, "孙丙丙")
    wb.save(path)


def test_a_hand_edited_package_is_refused_naming_the_sheet(township, district, qtbot, tmp_path):
    path = run_job(export_package(township.store, PERIOD, tmp_path / "out")).path
    _edit_cell(path)
    before = counts(district.store.path)
    imp = preview(district, qtbot, path)
    row = shown_rows(imp.packages)[0]
    assert row[0] == path.name and row[3] == "不能导入"
    message = imp.details.message.text()
    assert path.name in message and "「党员」表的内容与导出时不同" in message and "重新导出" in message
    assert not imp.import_button.isEnabled() and "不能导入 1 个" in imp.summary.text()
    assert counts(district.store.path) == before and not (tmp_path / "backups").exists()


def test_a_file_replaced_after_the_preview_is_refused(township, district, qtbot, tmp_path, boxes):
    path = run_job(export_package(township.store, PERIOD, tmp_path / "out")).path
    imp = preview(district, qtbot, path)
    imp.details.confirm.setChecked(True)
    run_job(export_package(township.store, PERIOD, tmp_path / "out"))  # a newer export, same name
    before = counts(district.store.path)
    imp.import_button.click()
    qtbot.waitUntil(lambda: imp.report is not None and not imp.report.dry_run, timeout=15_000)
    assert shown_rows(imp.packages)[0][3] == "不能导入"
    assert "预览之后被换过或修改过" in imp.details.message.text()
    assert counts(district.store.path) == before


def test_the_wide_dialogs_fit_a_small_screen(township, district, qtbot):
    """On a 1024×768 screen (the offscreen one is 800 wide) the import dialog and the roster
    wizard must not run off its edge, taking their buttons and messages with them."""
    from dangjian_desktop.ui.roster_wizard import RosterWizard

    for dialog in (PackageImportDialog(district), RosterWizard(township)):
        qtbot.addWidget(dialog)
        avail = dialog.screen().availableGeometry()
        assert avail.width() < 1100  # the screen is smaller than the size the dialogs want
        assert dialog.width() <= avail.width() and dialog.height() <= avail.height(), type(dialog).__name__
        assert dialog.width() >= dialog.minimumSizeHint().width()


def test_entries_follow_the_unit(township, district, qtbot):
    town = MainWindow(township)
    qtbot.addWidget(town)
    find = town.findChild
    assert find(QAction, "action_export_package").isEnabled()
    assert not find(QAction, "action_import_package").isEnabled()
    assert "审核回执" in find(QAction, "action_import_package").toolTip()
    assert find(QAction, "action_import_receipt").isEnabled() and not find(QAction, "action_review").isEnabled()
    names = [a.objectName() for a in town.menus["exchange"].actions()]
    assert names.index("action_review") == names.index("action_import_package") + 1
    dist = MainWindow(district)
    qtbot.addWidget(dist)
    assert dist.findChild(QAction, "action_import_package").isEnabled()
    assert dist.findChild(QAction, "action_review").isEnabled()
    assert not dist.findChild(QAction, "action_import_receipt").isEnabled()
    export = PackageExportDialog(district)  # the district re-exports a township it has imported
    qtbot.addWidget(export)
    assert export.township.count() == 0 and not export.export_button.isEnabled()
    assert "还没有导入" in export.export_button.toolTip()


def test_review_receipt_and_status_at_the_township(township, district, qtbot, tmp_path, boxes, monkeypatch):
    review = imported_for_review(township, district, qtbot, tmp_path)
    assert shown_rows(review.table)[0][:3] == ["青石镇（410999101000）", PERIOD, "待审核"]
    review.return_button.click()  # no reason yet: refused
    qtbot.waitUntil(lambda: review.isEnabled())
    assert "请写明原因" in boxes.texts("warning")[-1]
    review.reason.setPlainText("党员花名册缺联系电话")
    review.return_button.click()
    qtbot.waitUntil(lambda: shown_rows(review.table)[0][2] == "退回修改")
    assert shown_rows(review.table)[0][3] == "党员花名册缺联系电话"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "回执"))
    review.receipt_button.click()
    qtbot.waitUntil(lambda: any("回执已导出" in t for t in boxes.texts("information")))
    receipt = next((tmp_path / "回执").glob("*_回执.xlsx"))

    label = ReviewStatusLabel(township)
    qtbot.addWidget(label)
    with qtbot.waitSignal(label.refreshed):
        label.refresh()
    assert label.text() == "" and "还没有导入" in label.toolTip()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(receipt)], ""))
    action = QAction()
    import_receipts(township, label, [action], label.refresh)
    qtbot.waitUntil(lambda: label.text() != "")
    assert label.text() == f"区里审核 {PERIOD}：退回修改（党员花名册缺联系电话）" and "#c62828" in label.styleSheet()
    assert "已导入回执" in boxes.texts("information")[-1] and action.isEnabled()
    import_receipts(township, label, [action], label.refresh)  # the same again: nothing changes
    qtbot.waitUntil(lambda: "已导入过" in boxes.texts("information")[-1])


def test_a_long_reason_leaves_every_review_column_in_sight(township, district, qtbot, tmp_path, boxes):
    """The reason column takes the room the others leave and cuts a long reason with “…” (all
    of it in the tooltip and the box below): 审核人, 审核时间 and 回执 stay in the window."""
    review = imported_for_review(township, district, qtbot, tmp_path)
    reason = "党员花名册缺联系电话，" * 12 + "请补齐后重新报送"
    review.reason.setPlainText(reason)
    review.return_button.click()
    qtbot.waitUntil(lambda: shown_rows(review.table)[0][2] == "退回修改")
    review.show()
    qtbot.waitExposed(review)
    header, table = review.table.horizontalHeader(), review.table
    last = table.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    assert table.item(0, 3).toolTip() == reason and review.reason.toPlainText() == reason


def test_an_export_into_a_read_only_folder_is_a_warning_and_uses_no_number(township, qtbot, tmp_path, boxes,
                                                                            monkeypatch):
    folder = refuse_writes(monkeypatch, tmp_path / "只读U盘")
    dialog = PackageExportDialog(township, busy=[])
    qtbot.addWidget(dialog)
    dialog.period.setCurrentText(PERIOD)
    dialog.folder.setText(str(folder))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")), timeout=15_000)
    [text] = boxes.texts("warning")
    assert f"{P.CODE}_青石镇_{PERIOD}.xlsx" in text and "文件夹是只读的" in text and dialog.result is None
    assert list(folder.iterdir()) == []
    with closing(sqlite3.connect(township.store.path)) as conn:
        assert conn.execute("SELECT count(*) FROM export_sequences").fetchone()[0] == 0
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled())


def test_a_receipt_onto_a_full_disk_is_a_warning_and_the_verdict_stays(township, district, qtbot, tmp_path, boxes,
                                                                       monkeypatch):
    review = imported_for_review(township, district, qtbot, tmp_path)
    review.approve_button.click()
    qtbot.waitUntil(lambda: shown_rows(review.table)[0][2] == "已通过")
    folder = refuse_writes(monkeypatch, tmp_path / "满", 28)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    review.receipt_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")))
    [text] = boxes.texts("warning")
    assert "回执.xlsx" in text and "磁盘已满" in text and list(folder.iterdir()) == []
    qtbot.waitUntil(lambda: review.isEnabled())
    assert shown_rows(review.table)[0][2] == "已通过" and shown_rows(review.table)[0][6] == ""  # no receipt
