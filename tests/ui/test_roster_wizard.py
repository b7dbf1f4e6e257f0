"""数据交换 → 导入已有名册, driven as a clerk would: a roster with a title row, two-level merged
headers and a few bad 身份证号; the mapping page, a column set to 不导入, the preview's problem
rows, the error workbook, the commit (refreshing the window) and its cancellation, refused
files, the branch picker and new branches, and the district's disabled entry."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import openpyxl
import pytest
from conftest import TODAY
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QPushButton
from roster_fixtures import (
    data_row, encrypted_xlsx, html_as_xls, member_cells, messy_member_draft, people, write_xlsx, wps_et,
)

from dangjian_desktop.domain.enums import UnitMode
from dangjian_desktop.domain.unit import UnitSettings
from dangjian_desktop.services import roster_import_commit
from dangjian_desktop.services.backup_service import list_backups
from dangjian_desktop.services.roster_import_plan import RowStatus
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from dangjian_desktop.ui.context import UiContext
from dangjian_desktop.ui.main_window import MainWindow
from dangjian_desktop.ui.roster_preview_page import WARNED
from dangjian_desktop.ui.feature_entries import ROSTER_DISTRICT_TIP as DISTRICT_TIP
from dangjian_desktop.ui.roster_wizard import RosterWizard
from dangjian_desktop.ui.workers import Workers
from ui_helpers import RecordingReporter, boxes, ctx, small_township  # noqa: F401 - fixtures
from write_faults import refuse_writes

FILE, MAPPING, PREVIEW, DONE = range(4)
BAD = (1, 4, 7)  # the persons whose 身份证号 are wrong in the roster
WAIT = 15000


@pytest.fixture
def roster(tmp_path):
    """Ten people on a sheet named after an existing branch; three IDs are wrong: typed as a
    number (digits lost), two digits swapped (check digit), cut to 12 digits."""
    persons = people(10)
    draft = messy_member_draft(persons)
    draft.rows[4 + 1][4] = float(persons[1].id_number[:15] + "000")
    ids = persons[4].id_number
    draft.rows[4 + 4][4] = ids[:16] + ids[17] + ids[16]
    draft.rows[4 + 7][4] = persons[7].id_number[:12]
    return write_xlsx(tmp_path / "东岭村党员花名册.xlsx", [draft]), persons, draft


@pytest.fixture
def township(ctx):
    return small_township(ctx.store)


@pytest.fixture
def wizard(ctx, township, qtbot):
    w = RosterWizard(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


def go(qtbot, wizard: RosterWizard, page: int) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == page and not wizard.busy, timeout=WAIT)


def open_roster(qtbot, wizard: RosterWizard, path) -> None:  # noqa: ANN001
    wizard.file_page.path.setText(str(path))
    go(qtbot, wizard, MAPPING)


def stored_ids(store) -> set[str]:
    with closing(sqlite3.connect(store.path)) as conn:
        return {row[0] for row in conn.execute("SELECT id_number FROM members")}


def counts(wizard: RosterWizard) -> dict[str, int]:
    return dict(wizard.plan.counts)


def test_the_wizard_fits_a_screen_smaller_than_its_usual_size(wizard):
    """Old office PCs run 1024 × 768; the test screen (800 wide) is smaller than the wizard's
    usual 1040 × 700: the whole dialog, with room for the window frame, stays on the screen."""
    avail = wizard.screen().availableGeometry()
    assert avail.width() < 1040
    assert wizard.width() + 16 <= avail.width() and wizard.height() + 48 <= avail.height()
    assert wizard.height() == min(700, avail.height() - 48)


def test_the_mapping_page_shows_the_automatic_mapping(qtbot, wizard, roster):
    path, persons, _draft = roster
    open_roster(qtbot, wizard, path)
    page = wizard.mapping_page
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["东岭村党支部"]
    sheet = page.sheet("东岭村党支部")
    table = sheet.table
    rows = {table.item(r, sheet.COL_LETTER).text(): r for r in range(table.rowCount())}
    assert list(rows) == list("BCDEFGHIJKL")  # the table starts in column B; 序号 included
    assert table.item(rows["F"], sheet.COL_HEADER).text() == "公民身份号码"
    assert table.item(rows["I"], sheet.COL_HEADER).text() == "发展情况_入党时间"  # the merged header, flattened
    assert sheet.combos[rows["F"]].currentText() == "身份证号"
    assert sheet.combos[rows["I"]].currentText() == "入党时间"
    assert sheet.combos[rows["G"]].currentText() == "出生日期"
    assert sheet.combos[rows["B"]].currentText() == "不导入"
    assert persons[0].name in table.item(rows["C"], sheet.COL_SAMPLES).text()
    assert table.item(rows["F"], sheet.COL_ORIGIN).text() == "自动识别"
    assert "表头在第 3–4 行，数据从第 5 行起" in sheet.where.text() and "上次" not in sheet.where.text()
    assert not page.missing.text() and page.isComplete()
    assert page.branch_box.isVisibleTo(page)
    assert [page.branch.itemData(i) for i in range(page.branch.count())] == ["", "东岭村党支部", "西山村党支部"]


def test_a_required_column_set_to_skip_holds_the_wizard_on_the_page(qtbot, wizard, roster):
    open_roster(qtbot, wizard, roster[0])
    page = wizard.mapping_page
    sheet = page.sheet("东岭村党支部")
    sheet.choose("F", None)
    assert sheet.field_of("F") is None and not page.isComplete()
    assert "身份证号" in page.missing.text() and "缺少必需的列" in page.tabs.tabText(0)
    sheet.choose("F", "id_number")
    assert page.isComplete() and page.tabs.tabText(0) == "东岭村党支部"


def test_choosing_a_field_taken_by_another_column_moves_it(qtbot, wizard, roster):
    open_roster(qtbot, wizard, roster[0])
    sheet = wizard.mapping_page.sheet("东岭村党支部")
    sheet.choose("B", "notes")  # 序号 as 备注: L (备注) loses it
    assert sheet.field_of("B") == "notes" and sheet.field_of("L") is None
    row_b = 0
    assert sheet.table.item(row_b, sheet.COL_ORIGIN).text() == "本次改选"


def test_the_preview_lists_the_bad_rows_with_row_and_column(qtbot, qtmodeltester, wizard, roster):
    _path, _persons, draft = roster
    open_roster(qtbot, wizard, roster[0])
    go(qtbot, wizard, PREVIEW)
    assert counts(wizard)["新增"] == 7 and counts(wizard)["未导入"] == 3
    page = wizard.preview_page
    assert page.findChild(type(page.notes), "count_未导入").property("count") == 3
    qtmodeltester.check(page.model)
    page.select_filter(RowStatus.REFUSED)
    shown = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert [(p.row, p.column, p.header) for _s, p in shown] == [
        (data_row(draft, i), "F", "公民身份号码") for i in BAD]
    assert all(status is RowStatus.REFUSED for status, _p in shown)
    reason = page.model.index(0, page.model.COL_REASON).data()
    assert "文本" in reason  # the number-typed ID: set the column to text and re-enter it
    assert page.model.index(0, page.model.COL_ROW).data() == str(data_row(draft, 1))
    assert f"第 {data_row(draft, 1)} 行 F列“公民身份号码”" in page.detail.text()  # the whole text of the row
    page.table.selectRow(2)
    assert f"第 {data_row(draft, 7)} 行" in page.detail.text() and "18 位" in page.detail.text()
    assert not page.branches_box.isVisibleTo(page) and page.save_button.isEnabled()


def test_setting_a_column_to_skip_changes_the_preview(qtbot, wizard, tmp_path):
    persons = people(6)
    draft = messy_member_draft(persons)
    draft.rows[4 + 2][6] = "博士后学历"  # 学历 not one of the codes: that row is refused
    path = write_xlsx(tmp_path / "花名册.xlsx", [draft])
    open_roster(qtbot, wizard, path)
    go(qtbot, wizard, PREVIEW)
    assert (counts(wizard)["新增"], counts(wizard)["未导入"]) == (5, 1)
    assert [p.column for p in wizard.plan.problems(warnings=False)] == ["H"]

    wizard.back()
    assert wizard.currentId() == MAPPING
    wizard.mapping_page.sheet("东岭村党支部").choose("H", None)
    go(qtbot, wizard, PREVIEW)
    assert (counts(wizard)["新增"], counts(wizard)["未导入"]) == (6, 0)
    assert wizard.preview_page.model.rowCount() == 0 and not wizard.preview_page.save_button.isEnabled()


def test_saving_the_errors_writes_a_workbook(qtbot, wizard, roster, tmp_path, monkeypatch, boxes):
    _path, _persons, draft = roster
    out = tmp_path / "改正" / "未导入的行"
    out.parent.mkdir()
    asked = []

    def save_dialog(parent, title, suggested, filters):  # noqa: ANN001, ANN202
        asked.append(suggested)
        return str(out), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    open_roster(qtbot, wizard, roster[0])
    go(qtbot, wizard, PREVIEW)
    wizard.preview_page.save_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("information")), timeout=WAIT)
    assert asked[0].endswith("东岭村党员花名册-未导入的行.xlsx")
    saved = out.with_name("未导入的行.xlsx")  # .xlsx added
    assert "3 行" in boxes.texts("information")[0] and str(saved) in boxes.texts("information")[0]
    ws = openpyxl.load_workbook(saved)["东岭村党支部"]
    header = [c.value for c in ws[1]]
    row_col, id_col = header.index("原行号") + 1, header.index("公民身份号码") + 1
    assert [ws.cell(r, row_col).value for r in range(2, ws.max_row + 1)] == [data_row(draft, i) for i in BAD]
    assert all(ws.cell(r, id_col).fill.fill_type == "solid" for r in range(2, ws.max_row + 1))
    assert len(stored_ids(wizard.ctx.store)) == 3 and wizard.currentId() == PREVIEW  # nothing written



def test_saving_the_errors_into_a_read_only_folder_is_a_warning(qtbot, wizard, roster, tmp_path, monkeypatch,
                                                                 boxes):
    folder = refuse_writes(monkeypatch, tmp_path / "只读")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(folder / "未导入的行.xlsx"), "")))
    open_roster(qtbot, wizard, roster[0])
    go(qtbot, wizard, PREVIEW)
    wizard.preview_page.save_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")), timeout=WAIT)
    [text] = boxes.texts("warning")
    assert "未导入的行.xlsx" in text and "文件夹是只读的" in text and list(folder.iterdir()) == []
    qtbot.waitUntil(lambda: wizard.preview_page.save_button.isEnabled())
    assert wizard.currentId() == PREVIEW and wizard.errors_path is None

@pytest.fixture
def window(ctx, township, qtbot):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.members.model.is_loaded)
    return w


def wizard_of(qtbot, window) -> RosterWizard:  # noqa: ANN001
    window.action_import_roster.trigger()
    shown = [w for w in window.findChildren(RosterWizard) if w.isVisible()]
    assert len(shown) == 1
    wizard = shown[0]
    return wizard  # owned by the window (registered) and deleted when it closes


def test_commit_writes_exactly_the_accepted_rows_and_refreshes_the_tab(qtbot, window, roster, boxes):
    path, persons, _draft = roster
    before = stored_ids(window.ctx.store)
    assert window.members.model.rowCount() == 3
    wizard = wizard_of(qtbot, window)
    open_roster(qtbot, wizard, path)
    go(qtbot, wizard, PREVIEW)
    go(qtbot, wizard, DONE)
    assert "新增 7 条" in boxes.texts("question")[0] and "3 行有错误" in boxes.texts("question")[0]
    accepted = {p.id_number for i, p in enumerate(persons) if i not in BAD}
    assert stored_ids(window.ctx.store) == before | accepted
    assert wizard.result.added == 7 and "新增 7 条" in wizard.done_page.summary.text()
    qtbot.waitUntil(lambda: window.members.model.rowCount() == 10, timeout=WAIT)  # refresh_all
    assert window.status_label.text().startswith("在册 10 人")
    backups = list_backups(window.ctx.store.path)
    assert [b.reason for b in backups] == ["before-import"] and str(backups[0].path) in wizard.done_page.backup.text()
    assert backups[0].counts["党员"] == 3  # taken before the rows were written
    assert wizard.done_page.save_button.isVisibleTo(wizard.done_page)
    wizard.accept()
    assert wizard.job is None  # the file is closed with the wizard


def test_the_last_page_offers_only_finish(qtbot, window, roster, boxes):
    """After the import there is nothing to cancel: a 取消 there would read as an undo."""
    from PySide6.QtWidgets import QWizard

    path, _persons, _draft = roster
    wizard = wizard_of(qtbot, window)
    cancel, finish = wizard.button(QWizard.WizardButton.CancelButton), wizard.button(QWizard.WizardButton.FinishButton)
    open_roster(qtbot, wizard, path)
    assert cancel.isVisible()  # before the import, cancelling is still possible
    go(qtbot, wizard, PREVIEW)
    assert cancel.isVisible()
    go(qtbot, wizard, DONE)
    assert finish.isVisible() and finish.text() == "完成"
    assert not cancel.isVisible()
    wizard.accept()


def test_the_mapping_confirmed_by_a_commit_is_marked_next_time(qtbot, window, roster, boxes):
    wizard = wizard_of(qtbot, window)
    open_roster(qtbot, wizard, roster[0])
    wizard.mapping_page.sheet("东岭村党支部").choose("K", None)  # 联系电话 not imported
    go(qtbot, wizard, PREVIEW)
    go(qtbot, wizard, DONE)
    wizard.accept()
    again = wizard_of(qtbot, window)
    open_roster(qtbot, again, roster[0])
    sheet = again.mapping_page.sheet("东岭村党支部")
    assert sheet.analysis.remembered and sheet.field_of("K") is None
    origins = {sheet.table.item(r, sheet.COL_LETTER).text(): sheet.table.item(r, sheet.COL_ORIGIN).text()
               for r in range(sheet.table.rowCount())}
    assert origins.pop("B") == "不导入" and origins.pop("K") == "上次确认"
    assert set(origins.values()) == {"上次确认"} and "沿用了上次" in sheet.where.text()
    assert sheet.combos[9].currentText() == "不导入"  # K
    go(qtbot, again, PREVIEW)
    assert counts(again)["无变化"] == 7 and counts(again)["新增"] == 0


def test_cancelling_the_commit_writes_nothing(qtbot, wizard, roster, boxes, monkeypatch):
    path, _persons, _draft = roster
    before = stored_ids(wizard.ctx.store)
    inserted, release = threading.Event(), threading.Event()
    real_insert = roster_import_commit.insert_many

    def slow_insert(session, records):  # noqa: ANN001, ANN202 - the rows are in, not committed yet
        real_insert(session, records)
        inserted.set()
        release.wait(WAIT / 1000)

    monkeypatch.setattr(roster_import_commit, "insert_many", slow_insert)
    open_roster(qtbot, wizard, path)
    go(qtbot, wizard, PREVIEW)
    wizard.next()
    qtbot.waitUntil(inserted.is_set, timeout=WAIT)
    assert wizard.busy and not wizard.button(wizard.WizardButton.CancelButton).isEnabled()
    wizard.reject()  # closing is refused while the commit runs
    assert wizard.isVisible()
    wizard.task.dialog.findChild(QPushButton).click()  # the progress dialog's 取消
    release.set()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT)
    assert "已取消导入，数据库没有改动" in boxes.texts("information")[0]
    assert stored_ids(wizard.ctx.store) == before and wizard.currentId() == PREVIEW
    assert wizard.result is None

    monkeypatch.setattr(roster_import_commit, "insert_many", real_insert)
    go(qtbot, wizard, DONE)  # the same plan still commits afterwards
    assert len(stored_ids(wizard.ctx.store)) == len(before) + 7


@pytest.mark.parametrize(("make", "name", "said"), [
    (html_as_xls, "名册.xls", "网页"), (wps_et, "名册.et", "WPS"), (encrypted_xlsx, "名册.xlsx", "密码"),
])
def test_a_refused_file_shows_the_message_and_stays_on_the_page(qtbot, wizard, tmp_path, boxes, make, name, said):
    path = make(tmp_path / name)
    wizard.file_page.path.setText(str(path))
    wizard.next()
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")), timeout=WAIT)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT)
    message = boxes.texts("warning")[0]
    assert said in message and name in message
    assert wizard.currentId() == FILE and wizard.job is None
    assert wizard.file_page.error.isVisibleTo(wizard.file_page) and wizard.file_page.error.text() == message
    assert wizard.file_page.isComplete()  # the clerk may pick another file at once


def test_the_branch_picker_applies_to_every_row(qtbot, wizard, township, tmp_path, boxes):
    persons = people(4)
    path = write_xlsx(tmp_path / "花名册.xlsx", [messy_member_draft(persons, name="Sheet1")])
    open_roster(qtbot, wizard, path)
    page = wizard.mapping_page
    assert "没有“所在党组织”列" in page.branch_hint.text()
    page.branch.setCurrentIndex(page.branch.findData("西山村党支部"))
    assert wizard.options().branch == "西山村党支部"
    go(qtbot, wizard, PREVIEW)
    go(qtbot, wizard, DONE)
    with closing(sqlite3.connect(wizard.ctx.store.path)) as conn:
        branches = {b for (b,) in conn.execute("SELECT DISTINCT branch_uuid FROM members WHERE id_number IN (%s)"
                                               % ",".join("?" * 4), [p.id_number for p in persons])}
    assert branches == {township["西山村党支部"].uuid}


def test_unknown_branches_are_listed_and_created_only_when_ticked(qtbot, wizard, tmp_path, boxes):
    path = write_xlsx(tmp_path / "花名册.xlsx", [messy_member_draft(people(3), name="南湖村党支部")])
    open_roster(qtbot, wizard, path)
    go(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    assert counts(wizard)["未导入"] == 3 and page.branches_box.isVisibleTo(page)
    assert "“南湖村党支部”（3 行）" in page.branches_text.text()
    reason = page.model.index(0, page.model.COL_REASON).data()
    assert "一并新建这些党组织" in reason and "--create-branches" not in reason
    page.create_branches.setChecked(True)
    qtbot.waitUntil(lambda: not wizard.busy and wizard.plan.create_branches, timeout=WAIT)
    assert counts(wizard)["新增"] == 3 and "将新建" in page.branches_text.text()
    assert page.create_branches.isChecked()
    go(qtbot, wizard, DONE)
    assert wizard.result.branches_created == 1
    with closing(sqlite3.connect(wizard.ctx.store.path)) as conn:
        assert conn.execute("SELECT count(*) FROM branches WHERE name = '南湖村党支部'").fetchone()[0] == 1


def test_the_problems_are_filtered_by_status(qtbot, qtmodeltester, wizard, tmp_path):
    persons = people(4)
    draft = messy_member_draft(persons)
    draft.rows.insert(4 + len(persons), member_cells(persons[0], 5))  # the first person again
    draft.hidden_rows = [data_row(draft, 1)]
    path = write_xlsx(tmp_path / "花名册.xlsx", [draft])
    open_roster(qtbot, wizard, path)
    go(qtbot, wizard, PREVIEW)
    assert (counts(wizard)["新增"], counts(wizard)["重复"], counts(wizard)["有提示"]) == (4, 1, 1)
    page = wizard.preview_page
    qtmodeltester.check(page.model)
    assert page.filter_values == [None, RowStatus.DUPLICATE, WARNED]  # nothing refused: no such choice
    page.select_filter(RowStatus.DUPLICATE)
    assert [(s, p.row) for s, p in map(page.model.row_at, range(page.model.rowCount()))] == [
        (RowStatus.DUPLICATE, data_row(draft, 4))]
    page.select_filter(WARNED)
    assert [p.row for _s, p in map(page.model.row_at, range(page.model.rowCount()))] == [data_row(draft, 1)]
    assert page.model.index(0, page.model.COL_STATUS).data() == "新增（提示）"
    page.select_filter(None)
    assert page.model.rowCount() == 2


def test_nothing_to_write_stays_on_the_preview(qtbot, wizard, tmp_path, boxes):
    path = write_xlsx(tmp_path / "花名册.xlsx", [messy_member_draft(people(3), name="南湖村党支部")])
    open_roster(qtbot, wizard, path)
    go(qtbot, wizard, PREVIEW)
    wizard.next()
    assert "没有可以写入的行" in boxes.texts("information")[0] and not boxes.texts("question")
    assert wizard.currentId() == PREVIEW and not wizard.busy and len(stored_ids(wizard.ctx.store)) == 3


def test_the_district_cannot_import_a_roster(qtbot, tmp_path):
    with Store.open(tmp_path / "district.db") as store:
        init_unit(store, UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "区管理员"))
        reporter = RecordingReporter(tmp_path)
        workers = Workers(None, reporter.report)
        context = UiContext(store, store.unit(), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                            reporter, workers, today=lambda: TODAY)
        window = MainWindow(context)
        qtbot.addWidget(window)
        assert not window.action_import_roster.isEnabled()
        assert window.action_import_roster.toolTip() == DISTRICT_TIP
        assert window.action_import_roster in window.menus["exchange"].actions()
        workers.wait()
        assert reporter.errors == []
