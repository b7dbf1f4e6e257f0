"""The 后备干部 tab: add, edit with an error then the fix, filter, search, and the link to the
member record."""

from __future__ import annotations

from datetime import date

import pytest

import factories as F
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import Gender, PoliticalStatus, ReserveSource, ReserveStatus
from dangjian_desktop.ui.main_window import MainWindow
from dangjian_desktop.ui.reserve_tab import ReserveTab
from ui_helpers import (  # noqa: F401 - fixtures
    add_records, choose, ctx, dialogs, small_township, submit, type_into, type_text,
)


def cadre(records, name, birth, **kw) -> R.ReserveCadre:
    return R.ReserveCadre(township_code=F.TOWNSHIP_CODE, name=name, gender=kw.pop("gender", Gender.MALE),
                          id_number=kw.pop("id_number", None) or F.id_number(birth), village_uuid=records["东岭村"].uuid,
                          entered_on=date(2025, 3, 1), **kw)


@pytest.fixture
def tab(ctx, qtbot):
    records = small_township(ctx.store)
    zhang = records["张三"]
    add_records(ctx.store,
                cadre(records, "张三", date(1980, 5, 17), id_number=zhang.id_number, member_uuid=zhang.uuid,
                      political_status=PoliticalStatus.PARTY_MEMBER, source=ReserveSource.VETERAN),
                cadre(records, "马小跳", date(1995, 1, 9), source=ReserveSource.RETURNEE))
    widget = ReserveTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.is_loaded)
    widget.records = records
    return widget


def names(tab) -> list[str]:
    return sorted(tab.model.record(r).name for r in range(tab.model.rowCount()))


def select(tab, name):
    row = next(r for r in range(tab.model.rowCount()) if tab.model.record(r).name == name)
    tab.table.setCurrentIndex(tab.model.index(row, 0))


def test_add_with_an_error_then_the_fix(tab, qtbot, dialogs):
    new_id = F.id_number(date(1998, 8, 8))

    def fill(dialog):
        type_into(qtbot, dialog, "name", "牛大力")
        type_into(qtbot, dialog, "id_number", new_id)
        choose(dialog, "village_uuid", tab.records["西山村"].uuid)
        choose(dialog, "source", ReserveSource.ENTREPRENEUR)
        type_into(qtbot, dialog, "training_count", "两次")
        dialog.accept()
        assert "整数" in dialog.form.message("training_count")
        type_into(qtbot, dialog, "training_count", "2")
        return submit(dialog)

    dialogs.then(fill)
    tab.new_record()
    saved = tab.current_record()
    assert (saved.name, saved.source, saved.training_count, saved.status) == (
        "牛大力", ReserveSource.ENTREPRENEUR, 2, ReserveStatus.TRAINING)


def test_filter_and_search(tab, qtbot):
    source = tab.filters["source"]
    source.setCurrentIndex(source.findData(ReserveSource.RETURNEE))
    assert names(tab) == ["马小跳"]
    source.setCurrentIndex(0)
    type_text(qtbot, tab.search, "mxt")
    qtbot.waitUntil(lambda: names(tab) == ["马小跳"])


def test_linked_member_is_shown_and_opened(tab, ctx, qtbot):
    select(tab, "张三")
    column = [c.field for c in tab.model.columns].index("member_name")
    assert tab.table.currentIndex().siblingAtColumn(column).data() == "张三"
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.reserve)
    qtbot.waitUntil(lambda: window.reserve.model.is_loaded)
    select(window.reserve, "张三")
    assert window.reserve.action_member.isEnabled()
    window.reserve.action_member.trigger()
    assert window.tabs.currentWidget() is window.members
    assert window.members.current_record().uuid == tab.records["张三"].uuid


def test_dialog_offers_the_member_with_the_same_id(tab, qtbot, dialogs):
    select(tab, "马小跳")
    zhang = tab.records["张三"]

    def link(dialog):
        type_into(qtbot, dialog, "id_number", zhang.id_number)
        editor = dialog.form.editor("member_uuid")
        assert editor.index_of(zhang.uuid) > 0
        return 0

    dialogs.then(link)
    tab.edit_current()
