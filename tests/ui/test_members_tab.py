"""The 党员 tab driven as a clerk would: add, edit (an error, then the fix), filter, search by
pinyin initials, advance a stage, leave, and the refusal to delete."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

import factories as F
from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Gender, LeaveKind, Stage
from dangjian_desktop.services.query_types import MEMBER_STATUS_LEFT
from dangjian_desktop.ui.members_tab import DUE_BACKGROUND, MembersTab
from dangjian_desktop.ui.record_table_model import RECORD_ROLE
from ui_helpers import (  # noqa: F401 - fixtures
    add_records, boxes, choose, ctx, dialogs, members_tab, small_township, submit, type_into, type_text,
)


@pytest.fixture
def tab(ctx, qtbot):
    widget = members_tab(ctx, qtbot)
    qtbot.waitUntil(lambda: widget.filters["branch"].count() > 1)  # filled once the first rows are painted
    return widget


def names(tab) -> list[str]:
    return sorted(tab.model.record(r).name for r in range(tab.model.rowCount()))


def select(tab, name: str) -> None:
    uuid = tab.records[name].uuid if name in tab.records else None
    if uuid is None:
        row = next(r for r in range(tab.model.rowCount()) if tab.model.record(r).name == name)
    else:
        row = tab.model.row_of(uuid)
    tab.table.setCurrentIndex(tab.model.index(row, 0))


def test_roster_lists_active_members_with_masked_ids(tab):
    assert names(tab) == ["张三", "李四", "王建国"]
    id_column = [c.field for c in tab.model.columns].index("id_number")
    text = tab.model.index(0, id_column).data()
    assert text[:3] == "410" and "*" * 11 in text and len(text) == 18
    tab.reveal.setChecked(True)
    listed = tab.model.index(0, 0).data(RECORD_ROLE)
    assert tab.model.index(0, id_column).data() == listed.record.id_number
    assert "共 3 人" in tab.count_label.text()


def test_add_member_validates_as_you_type(tab, qtbot, dialogs, ctx):
    branch = tab.records["东岭村党支部"]
    new_id = F.id_number(date(1990, 3, 8), Gender.FEMALE)

    def fill(dialog):
        type_into(qtbot, dialog, "name", "赵小红")
        type_into(qtbot, dialog, "id_number", new_id[:-1] + ("0" if new_id[-1] != "0" else "1"))
        assert "校验位" in dialog.form.message("id_number")  # shown beside the field at once
        type_into(qtbot, dialog, "id_number", new_id)
        assert dialog.form.message("id_number") == ""
        assert dialog.form.editor("gender").value() is Gender.FEMALE  # derived from the ID
        assert dialog.form.editor("birth_date").value() == PartialDate.day(1990, 3, 8)
        choose(dialog, "branch_uuid", branch.uuid)
        choose(dialog, "stage", Stage.APPLICANT)
        type_into(qtbot, dialog, "applied_on", "2026.3.1")
        return submit(dialog)

    dialogs.then(fill)
    tab.new_record()
    assert "赵小红" in names(tab)
    current = tab.current_record()
    assert current.name == "赵小红" and current.stage is Stage.APPLICANT
    assert current.applied_on == PartialDate.day(2026, 3, 1)


def test_a_new_member_without_a_branch_shows_the_reminder_before_it_is_saved(tab, qtbot, dialogs, ctx):
    """The 所在党组织 提示 is on a field the clerk never touched: the first 保存 shows it (and
    says so under the form) and keeps the dialog open; the second saves."""
    new_id = F.id_number(date(1991, 4, 9), Gender.MALE)
    seen = []

    def fill(dialog):
        type_into(qtbot, dialog, "name", "孙无枝")
        type_into(qtbot, dialog, "id_number", new_id)
        choose(dialog, "stage", Stage.APPLICANT)
        type_into(qtbot, dialog, "applied_on", "2026.3.1")
        assert dialog.form.message("branch_uuid") == ""  # not touched: nothing shown yet
        dialog.accept()
        seen.append((dialog.result(), dialog.form.message("branch_uuid"), dialog.form.general.text()))
        return submit(dialog)

    dialogs.then(fill)
    tab.new_record()
    [(first, message, note)] = seen
    assert first == 0 and "所在党组织" in message and "确认无误后再点“保存”" in note
    assert "孙无枝" in names(tab)


def test_editing_a_stored_member_shows_its_reminders_at_once_and_saves_in_one_click(tab, qtbot, dialogs, ctx):
    no_branch = F.member("周无枝")
    add_records(ctx.store, no_branch)
    tab.refresh(no_branch.uuid)

    def edit(dialog):
        assert "所在党组织" in dialog.form.message("branch_uuid")
        type_into(qtbot, dialog, "phone", "13812345678")
        return submit(dialog)

    dialogs.then(edit)
    tab.edit_current()
    assert ctx.records.get(R.Member, no_branch.uuid).phone == "13812345678"


def test_edit_with_an_error_then_the_fix(tab, qtbot, dialogs):
    select(tab, "张三")
    attempts = []

    def edit(dialog):
        type_into(qtbot, dialog, "phone", "12345")
        dialog.accept()
        attempts.append(dialog.result())
        assert "电话" in dialog.form.message("phone") or "手机" in dialog.form.message("phone")
        type_into(qtbot, dialog, "phone", "138 1234 5678")
        return submit(dialog)

    dialogs.then(edit)
    tab.edit_current()
    assert attempts == [0]
    assert tab.current_record().phone == "13812345678"


def test_branch_choices_come_once_the_first_rows_are_painted(ctx, qtbot):
    records = small_township(ctx.store)
    widget = MembersTab(ctx)
    qtbot.addWidget(widget)
    widget.ensure_loaded()  # what showing the tab starts: the rows, not yet the choices
    assert widget.model.is_loaded and widget.filters["branch"].count() == 1
    with qtbot.waitSignal(widget.first_painted):
        widget.show()
    combo = widget.filters["branch"]
    assert combo.findData(records["西山村党支部"].uuid) > 0
    assert combo.currentIndex() == 0  # still 全部


def test_filter_by_branch_and_stage(tab):
    combo = tab.filters["branch"]
    combo.setCurrentIndex(combo.findData(tab.records["西山村党支部"].uuid))
    assert names(tab) == ["王建国"]
    combo.setCurrentIndex(0)
    stage = tab.filters["stage"]
    stage.setCurrentIndex(stage.findData(Stage.PROBATIONARY))
    assert names(tab) == []


def test_search_by_pinyin_initials(tab, qtbot):
    type_text(qtbot, tab.search, "wjg")
    qtbot.waitUntil(lambda: names(tab) == ["王建国"])
    tab.search.clear()
    qtbot.waitUntil(lambda: len(names(tab)) == 3)


def test_advance_stage_asks_the_date_and_checks_it(tab, qtbot, dialogs, ctx, boxes):
    candidate = F.member("钱多多", branch_uuid=tab.records["东岭村党支部"].uuid, stage=Stage.CANDIDATE,
                         applied_on=PartialDate.day(2024, 1, 2), activist_on=PartialDate.day(2024, 6, 1),
                         candidate_on=PartialDate.day(2025, 6, 1))
    add_records(ctx.store, candidate)
    tab.refresh(candidate.uuid)
    assert tab.action_advance.isEnabled()

    def too_early(dialog):
        type_into(qtbot, dialog, "probation_on", "2025-01-01")
        dialog.accept()
        assert "早于" in dialog.form.message("probation_on")
        type_into(qtbot, dialog, "probation_on", "2026-07-01")
        return submit(dialog)

    dialogs.then(too_early)
    tab.advance_current()
    member = ctx.records.get(R.Member, candidate.uuid)
    assert member.stage is Stage.PROBATIONARY and member.probation_on == PartialDate.day(2026, 7, 1)

    tab.advance_current()  # 预备期 not yet a year: no date could be right, so no form is offered
    assert any("最早 2027-07-01 才能转正" in t for t in boxes.texts("information"))
    assert ctx.records.get(R.Member, candidate.uuid).stage is Stage.PROBATIONARY


def test_full_membership_before_the_year_is_out_is_refused_in_the_form(tab, qtbot, dialogs, ctx):
    """The year is over by today, but the clerk types a date inside it."""
    due = F.member("周预备", branch_uuid=tab.records["东岭村党支部"].uuid, stage=Stage.PROBATIONARY,
                   applied_on=PartialDate.day(2023, 1, 2), activist_on=PartialDate.day(2023, 6, 1),
                   candidate_on=PartialDate.day(2024, 6, 1), probation_on=PartialDate.day(2025, 6, 1))
    add_records(ctx.store, due)
    tab.refresh(due.uuid)

    def too_soon(dialog):
        type_into(qtbot, dialog, "full_on", "2026-01-01")
        dialog.accept()
        assert "预备期为一年" in dialog.form.message("full_on")
        type_into(qtbot, dialog, "full_on", "2026-06-01")
        return submit(dialog)

    dialogs.then(too_soon)
    tab.advance_current()
    member = ctx.records.get(R.Member, due.uuid)
    assert member.stage is Stage.FULL and member.full_on == PartialDate.day(2026, 6, 1)


def test_probationer_due_for_full_membership_is_highlighted(tab, ctx):
    due = F.member("孙悟空", stage=Stage.PROBATIONARY, applied_on=PartialDate.day(2023, 1, 2),
                   activist_on=PartialDate.day(2023, 6, 1), candidate_on=PartialDate.day(2024, 6, 1),
                   probation_on=PartialDate.day(2025, 6, 1))
    add_records(ctx.store, due)
    tab.refresh(due.uuid)
    index = tab.table.currentIndex()
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == DUE_BACKGROUND
    assert "转正" in index.data(Qt.ItemDataRole.ToolTipRole)
    stage = tab.filters["stage"]
    stage.setCurrentIndex(stage.findData("probation_due"))
    assert names(tab) == ["孙悟空"]


def test_leave_moves_member_to_history(tab, qtbot, dialogs, ctx):
    select(tab, "李四")

    def leave(dialog):
        choose(dialog, "leave_kind", LeaveKind.EXPELLED)
        type_into(qtbot, dialog, "leave_on", "2026-10-08")
        dialog.accept()
        assert "原因" in dialog.form.message("leave_reason")
        type_into(qtbot, dialog, "leave_reason", "党纪处分决定〔2026〕3号")
        return submit(dialog)

    dialogs.then(leave)
    tab.leave_current()
    assert names(tab) == ["张三", "王建国"]
    view = tab.filters["status"]
    view.setCurrentIndex(view.findData("已离开"))
    assert names(tab) == ["李四"]
    leave_column = [c.field for c in tab.model.columns].index("leave_kind")
    assert not tab.table.isColumnHidden(leave_column)
    assert tab.model.index(0, leave_column).data() == "出党"
    assert ctx.records.get(R.Member, tab.records["李四"].uuid).leave_on == PartialDate.day(2026, 10, 8)


def test_delete_is_refused_with_the_way_to_leave(tab, boxes):
    select(tab, "张三")
    tab.delete_current()
    assert any("离开" in t for t in boxes.texts("information"))
    assert len(names(tab)) == 3


def test_enter_key_opens_the_editor(tab, qtbot, dialogs):
    select(tab, "张三")
    opened = []
    dialogs.then(lambda dialog: opened.append(dialog.windowTitle()) or 0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert opened and "张三" in opened[0]


def test_column_layout_is_remembered(ctx, qtbot):
    small_township(ctx.store)
    first = MembersTab(ctx)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.model.is_loaded)
    first.table.horizontalHeader().resizeSection(0, 177)
    first.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    first.save_state()
    second = MembersTab(ctx)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: second.model.is_loaded)
    header = second.table.horizontalHeader()
    assert header.sectionSize(0) == 177
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (4, Qt.SortOrder.DescendingOrder)
    assert second.model.sort_key.field == second.model.columns[4].field and second.model.sort_key.descending


def test_headers_show_the_columns_and_a_click_sorts(tab, qtbot):
    header = tab.table.horizontalHeader()
    labels = [header.model().headerData(i, Qt.Orientation.Horizontal) for i in range(header.count())]
    assert labels == [c.header for c in tab.model.columns] and labels[0] == "姓名"
    assert header.isSortIndicatorShown()  # once the first rows were painted
    birth = [c.field for c in tab.model.columns].index("birth_date")
    x = header.sectionViewportPosition(birth) + header.sectionSize(birth) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert tab.model.sort_key.field == "birth_date"
    first = tab.model.sort_key.descending
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert tab.model.sort_key.field == "birth_date" and tab.model.sort_key.descending is not first
    born = [tab.model.record(r).birth_date for r in range(tab.model.rowCount())]
    assert born == sorted(born, reverse=tab.model.sort_key.descending)


def test_a_header_saved_without_its_sort_is_still_followed(ctx, qtbot):
    """Settings saved before the order was kept as text: the header's own indicator wins once
    sorting is switched on after the first paint."""
    small_township(ctx.store)
    first = MembersTab(ctx)
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.first_painted):
        first.show()
    first.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    first.save_state()
    ctx.settings.remove(f"{first._settings_key()}/sort")
    second = MembersTab(ctx)
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.first_painted):
        second.show()
    qtbot.waitUntil(lambda: second.model.sort_key is not None and second.model.sort_key.field == second.model.columns[4].field)
    assert second.model.sort_key.descending


@contextmanager
def district_tab(tmp_path, qtbot, *records: R.Record) -> Iterator[MembersTab]:  # noqa: ANN001
    """The 党员 tab of a district database holding ``records``, its first rows loaded."""
    from PySide6.QtCore import QSettings

    from dangjian_desktop.domain.enums import UnitMode
    from dangjian_desktop.domain.unit import UnitSettings
    from dangjian_desktop.services.store import Store
    from dangjian_desktop.services.unit_service import init_unit
    from dangjian_desktop.ui.context import UiContext
    from dangjian_desktop.ui.workers import Workers
    from ui_helpers import RecordingReporter

    with Store.open(tmp_path / "district.db") as store:
        init_unit(store, UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "区管理员"))
        add_records(store, *records)
        reporter = RecordingReporter(tmp_path)
        context = UiContext(store, store.unit(), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                            reporter, Workers(None, reporter.report), today=lambda: TODAY)
        tab = MembersTab(context)
        qtbot.addWidget(tab)
        tab.show()
        qtbot.waitUntil(lambda: tab.model.is_loaded)
        yield tab


def test_district_database_is_read_only(tmp_path, qtbot, qapp):
    with district_tab(tmp_path, qtbot, F.member("张三")) as tab:
        assert not tab.action_new.isEnabled()
        assert "township" in tab.filters
        assert [c.field for c in tab.model.columns][1] == "township_name"
        tab.table.setCurrentIndex(tab.model.index(0, 0))
        assert not tab.action_delete.isEnabled() and not tab.action_leave.isEnabled()


def test_the_status_says_how_many_of_the_roster_are_party_members(ctx, qtbot):
    """在册 holds every stage of 发展党员: the status bar must not call them all 党员. The first
    screen says what the roster holds; once the first rows are painted, a count of the 党员
    (预备 + 正式, as 统计 counts them) follows, and it follows the filters and the search."""
    records = small_township(ctx.store)
    east = records["东岭村党支部"]
    add_records(ctx.store,
                F.member("赵六", stage=Stage.APPLICANT, applied_on=PartialDate.month(2026, 3), branch_uuid=east.uuid),
                F.member("钱七", stage=Stage.ACTIVIST, applied_on=PartialDate.month(2025, 3),
                         activist_on=PartialDate.day(2025, 9, 1), branch_uuid=east.uuid))
    tab = MembersTab(ctx)
    qtbot.addWidget(tab)
    shown = []
    tab.status_changed.connect(shown.append)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.is_loaded)
    assert shown[0] == "在册 5 人（含入党申请人、入党积极分子、发展对象）"
    assert "党员（在册）" not in shown[0]
    qtbot.waitUntil(lambda: shown[-1] == "在册 5 人：党员 3 人，入党申请人、入党积极分子、发展对象 2 人")
    tab.filters["branch"].setCurrentIndex(tab.filters["branch"].findData(records["西山村党支部"].uuid))
    qtbot.waitUntil(lambda: shown[-1] == "在册 1 人：党员 1 人，入党申请人、入党积极分子、发展对象 0 人")
    tab.filters["branch"].setCurrentIndex(0)
    stage = tab.filters["stage"]
    stage.setCurrentIndex(stage.findData(Stage.APPLICANT))
    qtbot.waitUntil(lambda: shown[-1] == "在册 1 人（入党申请人）")
    stage.setCurrentIndex(0)
    tab.filters["status"].setCurrentIndex(tab.filters["status"].findData(MEMBER_STATUS_LEFT))
    qtbot.waitUntil(lambda: shown[-1] == "历史党员（已离开）：共 0 人")


def test_the_party_member_count_waits_for_a_pause_and_is_not_repeated_for_a_new_order(tab, qtbot, ctx, monkeypatch):
    """The count runs beside the list: typing and sorting must not wait for it. It runs once the
    typing pauses, not again when only the order changes, and again after an edit."""
    counted = []
    real = ctx.query.count

    def count(kind, flt):  # noqa: ANN001
        counted.append(flt.search)
        return real(kind, flt)
    monkeypatch.setattr(ctx.query, "count", count)
    qtbot.waitUntil(lambda: tab._painted and tab._party_members is not None)
    for text in ("z", "zs"):
        tab.search.setText(text)
        tab.apply_filter()
    qtbot.waitUntil(lambda: counted == ["zs"], timeout=3000)  # "z" was passed over
    qtbot.wait(tab.COUNT_PAUSE_MS + 200)
    tab.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    qtbot.wait(tab.COUNT_PAUSE_MS + 200)
    assert counted == ["zs"]  # the same rows in another order: nothing to count
    select(tab, "张三")
    member = ctx.records.get(R.Member, tab.records["张三"].uuid)
    assert ctx.records.save(dataclasses.replace(member, phone="13800000001")).saved
    tab.refresh()
    qtbot.waitUntil(lambda: counted == ["zs", "zs"], timeout=3000)


def test_district_view_masks_the_id_number_and_phone_like_the_list(tmp_path, qtbot, qapp, dialogs):
    member = F.member("张三", phone="13812345678")
    with district_tab(tmp_path, qtbot, member) as tab:
        tab.table.setCurrentIndex(tab.model.index(0, 0))
        seen = []

        def look(dialog):
            seen.append((dialog.form.editor("id_number").line.text(), dialog.form.editor("phone").line.text()))
            return 0

        dialogs.then(look).then(look)
        tab.edit_current()
        tab.reveal.setChecked(True)
        tab.edit_current()
        assert seen[0] == (member.id_number[:3] + "*" * 11 + member.id_number[-4:], "138****5678")
        assert seen[1] == (member.id_number, "13812345678")  # 显示完整身份证号 ticked: in full


def _hint(tab) -> str | None:
    hint = tab._empty_hint
    return hint.text() if hint is not None and hint.isVisibleTo(tab) else None


def test_an_empty_roster_says_what_to_do_first(ctx, qtbot):
    tab = MembersTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.is_loaded)
    text = _hint(tab)
    assert text is not None and "还没有党员记录" in text and "导入已有名册" in text and "党组织" in text


def test_a_search_that_finds_nothing_says_so_and_the_note_goes_with_the_rows(tab, qtbot):
    assert _hint(tab) is None  # rows: no note, and none made
    type_text(qtbot, tab.search, "没有这个人")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)
    assert "没有找到符合条件的记录" in _hint(tab)
    hint = tab._empty_hint
    assert hint.geometry().width() > 0 and tab.table.viewport().rect().contains(hint.geometry())
    tab.search.clear()
    tab.apply_filter()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    assert _hint(tab) is None
