"""The 代办事项 tab: new requests numbered and due-dated, status buttons, overdue in red."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import Qt

from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import RequestCategory, RequestStatus, Satisfaction
from dangjian_desktop.ui.requests_tab import OVERDUE_COLOR, RequestsTab
from ui_helpers import (  # noqa: F401 - fixtures
    add_records, boxes, choose, ctx, dialogs, small_township, submit, type_into, type_text,
)


def _request(ctx, serial, received, due, requester="孙二娘", **kw) -> R.ServiceRequest:
    return R.ServiceRequest(township_code=ctx.unit.code, year=received.year, serial=serial, received_on=received,
                            requester=requester, due_on=due, **kw)


@pytest.fixture
def tab(ctx, qtbot):
    records = small_township(ctx.store)
    add_records(ctx.store,
                _request(ctx, 1, date(2026, 10, 1), date(2026, 10, 16), "孙二娘", village_uuid=records["东岭村"].uuid),
                _request(ctx, 2, date(2026, 11, 20), date(2026, 12, 5), "钱多多"))
    widget = RequestsTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.is_loaded)
    widget.records = records
    return widget


def requesters(tab) -> list[str]:
    return [tab.model.record(r).requester for r in range(tab.model.rowCount())]


def select(tab, requester: str) -> None:
    row = requesters(tab).index(requester)
    tab.table.setCurrentIndex(tab.model.index(row, 0))


def test_ledger_newest_first_with_numbers(tab):
    assert requesters(tab) == ["钱多多", "孙二娘"]
    assert tab.model.index(0, 0).data() == "2026-0002"
    assert tab.model.index(1, [c.field for c in tab.model.columns].index("village_name")).data() == "东岭村"


def test_overdue_rows_are_red_and_counted(tab):
    overdue = tab.model.index(1, 0)
    assert overdue.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOR
    assert "逾期" in overdue.data(Qt.ItemDataRole.ToolTipRole)
    assert tab.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert tab.overdue_count() == 1
    assert "逾期未办结 1 件" in tab.status_text()
    combo = tab.filters["overdue"]
    combo.setCurrentIndex(combo.findData("open"))
    assert requesters(tab) == ["孙二娘"]


def test_new_request_gets_next_serial_and_category_due_date(tab, qtbot, dialogs):
    def fill(dialog):
        assert dialog.form.editor("serial").value() == 3
        assert dialog.form.editor("due_on").value() == date(2026, 12, 11)  # 其他: 15 days
        choose(dialog, "category", RequestCategory.LAND_FOREST)
        assert dialog.form.editor("due_on").value() == date(2027, 1, 25)  # 土地林权: 60 days
        type_into(qtbot, dialog, "requester", "周八")
        type_into(qtbot, dialog, "content", "代办林权证变更")
        return submit(dialog)

    dialogs.then(fill)
    tab.new_record()
    saved = tab.current_record()
    assert (saved.requester, saved.serial, saved.category, saved.status) == (
        "周八", 3, RequestCategory.LAND_FOREST, RequestStatus.RECEIVED)


def test_edit_with_error_then_fix(tab, qtbot, dialogs):
    select(tab, "钱多多")

    def edit(dialog):
        type_into(qtbot, dialog, "due_on", "2026-11-01")  # before the day it was received
        assert "早于受理日期" in dialog.form.message("due_on")
        dialog.accept()
        assert dialog.result() == 0
        type_into(qtbot, dialog, "due_on", "2026-12-20")
        return submit(dialog)

    dialogs.then(edit)
    tab.edit_current()
    assert tab.current_record().due_on == date(2026, 12, 20)


def test_status_buttons_start_then_close_asking_satisfaction(tab, qtbot, dialogs, ctx):
    select(tab, "钱多多")
    assert tab.action_start.isEnabled() and tab.action_close.isEnabled()
    tab.action_start.trigger()
    assert tab.current_record().status is RequestStatus.IN_PROGRESS
    assert not tab.action_start.isEnabled()

    def close(dialog):
        dialog.accept()
        assert "满意度" in dialog.form.message("satisfaction")
        choose(dialog, "satisfaction", Satisfaction.BASICALLY_SATISFIED)
        dialog.form.editor("result").widget.setPlainText("已办结，群众领到证件")
        return submit(dialog)

    dialogs.then(close)
    tab.action_close.trigger()
    done = ctx.records.get(R.ServiceRequest, tab.current_record().uuid)
    assert (done.status, done.completed_on, done.satisfaction) == (
        RequestStatus.CLOSED, TODAY, Satisfaction.BASICALLY_SATISFIED)
    assert not tab.action_close.isEnabled()


def test_closing_with_a_month_only_asks_for_the_day(tab, qtbot, dialogs, ctx):
    select(tab, "钱多多")

    def close(dialog):
        choose(dialog, "satisfaction", Satisfaction.SATISFIED)
        type_into(qtbot, dialog, "completed_on", "2026-11")
        dialog.accept()
        message = dialog.form.message("completed_on")
        assert "要具体到哪一天" in message and "YYYY-MM" not in message
        type_into(qtbot, dialog, "completed_on", "２０２６。１１。２６")
        return submit(dialog)

    dialogs.then(close)
    tab.action_close.trigger()
    closed = ctx.records.get(R.ServiceRequest, tab.current_record().uuid)
    assert closed.status is RequestStatus.CLOSED and closed.completed_on == date(2026, 11, 26)


def test_return_needs_a_reason(tab, qtbot, dialogs, ctx):
    select(tab, "孙二娘")

    def give_back(dialog):
        dialog.accept()
        assert "退回原因" in dialog.form.message("return_reason")
        dialog.form.editor("return_reason").widget.setPlainText("不属于代办范围")
        return submit(dialog)

    dialogs.then(give_back)
    tab.action_return.trigger()
    returned = ctx.records.get(R.ServiceRequest, tab.current_record().uuid)
    assert returned.status is RequestStatus.RETURNED and returned.return_reason == "不属于代办范围"
    assert tab.overdue_count() == 0  # a returned request is not overdue


def test_search_by_initials_and_number(tab, qtbot):
    type_text(qtbot, tab.search, "qdd")
    qtbot.waitUntil(lambda: requesters(tab) == ["钱多多"])
    tab.search.clear()
    type_text(qtbot, tab.search, "2026-0001")
    qtbot.waitUntil(lambda: requesters(tab) == ["孙二娘"])


def test_delete_asks_first(tab, boxes):
    select(tab, "钱多多")
    boxes.answer = boxes.answer.No
    tab.delete_current()
    assert len(requesters(tab)) == 2
    boxes.answer = boxes.answer.Yes
    tab.delete_current()
    assert requesters(tab) == ["孙二娘"]
    assert any("确定要删除" in t for t in boxes.texts("question"))


def test_delete_key_in_table_deletes(tab, qtbot, boxes):
    select(tab, "钱多多")
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert requesters(tab) == ["孙二娘"]


def test_year_filter(tab, ctx):
    add_records(ctx.store, dataclasses.replace(_request(ctx, 1, date(2025, 3, 1), date(2025, 3, 16), "陈旧")))
    tab.refresh()
    combo = tab.filters["year"]
    combo.setCurrentIndex(combo.findData(2025))
    assert requesters(tab) == ["陈旧"]


def test_a_new_request_starts_in_its_first_field_and_tab_skips_the_read_only_ones(tab, qtbot, dialogs):
    def walk(dialog):
        dialog.show()
        form = dialog.form
        assert dialog.focusWidget() is form.editor("received_on").widget  # 序号 is numbered for them
        seen = []
        for _ in range(len(form.editors)):
            qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
            seen += [name for name, e in form.editors.items() if e.widget is dialog.focusWidget()]
        assert "requester" in seen and "result" in seen
        assert not {"serial", "completed_on", "return_reason"} & set(seen)
        assert seen[:2] == ["requester", "requester_phone"] and seen.count("received_on") == 1  # no stop between
        return 0

    dialogs.then(walk)
    tab.new_record()


def test_the_close_dialog_starts_in_its_date(tab, dialogs):
    select(tab, "钱多多")

    def look(dialog):
        assert dialog.focusWidget() is dialog.form.editor("completed_on").widget
        return 0

    dialogs.then(look)
    tab.action_close.trigger()


def test_escape_asks_before_throwing_away_what_was_typed(tab, qtbot, dialogs, boxes, ctx):
    from PySide6.QtWidgets import QMessageBox

    def escape(dialog):
        dialog.show()
        type_into(qtbot, dialog, "requester", "周八")
        boxes.answer = QMessageBox.StandardButton.No
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible() and dialog.form.editor("requester").value() == "周八"
        assert "还没有保存" in boxes.texts("question")[-1]
        boxes.answer = QMessageBox.StandardButton.Yes
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        return dialog.result()

    dialogs.then(escape)
    tab.new_record()
    assert requesters(tab) == ["钱多多", "孙二娘"]


def test_escape_on_an_untouched_dialog_closes_it_without_asking(tab, qtbot, dialogs, boxes):
    def escape(dialog):
        dialog.show()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        return dialog.result()

    dialogs.then(escape)
    tab.new_record()
    assert boxes.shown == []
