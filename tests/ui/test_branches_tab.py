"""The 党组织 tab: the tree, the detail panel of branch and village edited together (an error,
then the fix), the secretary chosen from the branch's members, search by initials, new branch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import OrgKind, RectificationStatus
from dangjian_desktop.storage.repositories import BranchRepository, audit_for
from dangjian_desktop.ui.branches_tab import BranchesTab
import factories as F
from ui_helpers import (  # noqa: F401 - fixtures
    add_records, boxes, ctx, dialogs, small_township, submit, type_into, type_text,
)


@pytest.fixture
def tab(ctx, qtbot):
    records = small_township(ctx.store)
    committee = F.branch("中共青石镇委员会", kind=OrgKind.COMMITTEE)
    add_records(ctx.store, committee)
    with ctx.store.db.write() as s:  # hang the village branches under the 党委
        repo = BranchRepository(s, audit_for(s))
        for name in ("东岭村党支部", "西山村党支部"):
            b = repo.require(records[name].uuid)
            b.parent_uuid = committee.uuid
            repo.update(b)
    widget = BranchesTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded)
    widget.records = records
    return widget


def test_tree_passes_modeltester_and_nests(tab, qtmodeltester):
    qtmodeltester.check(tab.tree_model, force_py=True)
    qtmodeltester.check(tab.proxy, force_py=True)
    root = tab.tree_model.item(0, 0)
    assert root.text() == "中共青石镇委员会"
    assert sorted(root.child(i, 0).text() for i in range(root.rowCount())) == ["东岭村党支部", "西山村党支部"]
    assert "共 3 个" in tab.status_text()


def test_the_committee_counts_the_people_of_its_branches(tab):
    """small_township: 东岭村 has 张三 and 李四, 西山村 王建国; the 党委 has none of its own."""
    root = tab.tree_model.item(0, 1)
    assert root.text() == "3" and "本级 0 人" in root.toolTip() and "共 3 人" in root.toolTip()
    committee = tab.tree_model.item(0, 0)
    counts = {committee.child(i, 0).text(): committee.child(i, 1) for i in range(committee.rowCount())}
    assert {name: item.text() for name, item in counts.items()} == {"东岭村党支部": "2", "西山村党支部": "1"}
    assert counts["东岭村党支部"].toolTip() == ""  # a branch without sub-branches: nothing to split
    assert tab.tree_model.headerData(1, Qt.Orientation.Horizontal) == "在册人数"


def test_search_filters_the_tree_by_initials(tab, qtbot):
    type_text(qtbot, tab.search, "xscdzb")
    root = tab.proxy.index(0, 0)
    assert tab.proxy.rowCount(root) == 1
    assert tab.proxy.index(0, 0, root).data() == "西山村党支部"


def test_panel_edits_branch_and_village_together(tab, qtbot, ctx):
    east = tab.records["东岭村党支部"]
    assert tab.select_uuid(east.uuid)
    panel = tab.panel
    assert panel.village_box.isVisibleTo(tab) and panel.title.text() == "东岭村党支部"
    secretary = panel.branch_form.editor("secretary_uuid")
    assert secretary.index_of(tab.records["张三"].uuid) > 0 and secretary.index_of(tab.records["王建国"].uuid) < 0
    secretary.choose(tab.records["张三"].uuid)
    type_text(qtbot, panel.branch_form.editor("weak_year").widget, "2025")
    panel.branch_form.editor("rectification_status").choose(RectificationStatus.IN_PROGRESS)
    panel.incomes.add_row(("2026", "-5"))
    assert "负数" in panel.village_message.text()
    assert not panel.save()
    assert ctx.records.get(R.Branch, east.uuid).secretary_uuid is None  # nothing written
    panel.incomes.table.item(panel.incomes.table.rowCount() - 1, 1).setText("8.5")
    panel.cooperatives.add_row(("东岭香菇合作社", True, True))
    assert panel.save()
    branch = ctx.records.get(R.Branch, east.uuid)
    village = ctx.records.get(R.Village, tab.records["东岭村"].uuid)
    assert (branch.secretary_uuid, branch.weak_year, branch.rectification_status) == (
        tab.records["张三"].uuid, 2025, RectificationStatus.IN_PROGRESS)
    assert village.incomes[2026] == Decimal("8.5")
    assert [(c.name, c.led_by_branch) for c in village.cooperatives] == [("东岭香菇合作社", True)]
    assert tab.current_uuid() == east.uuid  # still selected after the tree was rebuilt


def test_years_and_amounts_may_be_written_with_their_unit(tab, qtbot, ctx):
    """软弱涣散年度 2025年 and an income of 12.5万 for 2026年, as clerks write them."""
    east = tab.records["东岭村党支部"]
    tab.select_uuid(east.uuid)
    panel = tab.panel
    type_text(qtbot, panel.branch_form.editor("weak_year").widget, "2025年")
    panel.branch_form.editor("rectification_status").choose(RectificationStatus.IN_PROGRESS)
    panel.incomes.add_row(("2026年", "12.5万"))
    assert panel.branch_form.message("weak_year") == "" and panel.village_message.isHidden()
    assert panel.save()
    assert ctx.records.get(R.Branch, east.uuid).weak_year == 2025
    assert ctx.records.get(R.Village, tab.records["东岭村"].uuid).incomes[2026] == Decimal("12.5")


def test_a_year_that_is_not_a_number_is_not_called_out_of_range(tab, qtbot):
    tab.select_uuid(tab.records["东岭村党支部"].uuid)
    form = tab.panel.branch_form
    type_text(qtbot, form.editor("weak_year").widget, "去年")
    assert "不是年份" in form.message("weak_year") and "之间" not in form.message("weak_year")


def test_rectification_without_a_weak_year_is_shown_beside_the_field(tab):
    tab.select_uuid(tab.records["西山村党支部"].uuid)
    form = tab.panel.branch_form
    form.editor("rectification_status").choose(RectificationStatus.DONE)
    assert "软弱涣散" in form.message("rectification_status")


def test_new_branch_under_the_selected_one(tab, qtbot, dialogs, ctx):
    committee_uuid = tab.current_uuid()

    def fill(dialog):
        type_into(qtbot, dialog, "name", "青石镇机关党支部")
        assert dialog.form.editor("parent_uuid").value() == committee_uuid
        type_into(qtbot, dialog, "founded_on", "2030-01")
        assert "晚于今天" in dialog.form.message("founded_on")
        type_into(qtbot, dialog, "founded_on", "2001-07")
        return submit(dialog)

    dialogs.then(fill)
    tab.new_record()
    assert tab.nodes[tab.current_uuid()].branch.name == "青石镇机关党支部"


def test_branch_with_members_cannot_be_deleted(tab, boxes):
    tab.select_uuid(tab.records["东岭村党支部"].uuid)
    tab.delete_current()
    assert any("在册人员" in t for t in boxes.texts("warning"))
    assert tab.records["东岭村党支部"].uuid in tab.nodes


def test_election_due_is_shown(tab, ctx):
    west = ctx.records.get(R.Branch, tab.records["西山村党支部"].uuid)
    west.last_election_on = date(2020, 5, 1)
    assert ctx.records.save(west).saved
    tab.refresh(west.uuid)
    assert "换届已到期" in tab.panel.election.text()


def test_an_empty_township_says_to_make_villages_and_branches_first(ctx, qtbot):
    widget = BranchesTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded)
    hint = widget._empty_hint
    assert hint is not None and hint.isVisibleTo(widget)
    assert "还没有党组织" in hint.text() and "新增村（社区）" in hint.text()
    committee = F.branch("中共青石镇委员会", kind=OrgKind.COMMITTEE)
    add_records(ctx.store, committee)
    widget.refresh()
    assert not hint.isVisibleTo(widget)


def test_a_search_that_finds_no_branch_says_so(tab, qtbot):
    type_text(qtbot, tab.search, "xyzq")
    hint = tab._empty_hint
    assert hint is not None and hint.isVisibleTo(tab) and "没有找到符合条件的记录" in hint.text()
    tab.search.clear()
    assert not hint.isVisibleTo(tab)


def _edit_secretary_then_pick_west(tab, qtbot, boxes, answer):
    east, west = tab.records["东岭村党支部"], tab.records["西山村党支部"]
    tab.select_uuid(east.uuid)
    tab.panel.branch_form.editor("secretary_uuid").choose(tab.records["张三"].uuid)
    boxes.answer = answer
    tab.select_uuid(west.uuid)
    qtbot.waitUntil(lambda: bool(boxes.texts("question")))
    qtbot.wait(10)  # the answer is acted on after the question
    assert "东岭村党支部" in boxes.texts("question")[0] and "还没有保存" in boxes.texts("question")[0]
    return east, west


def test_picking_another_branch_with_unsaved_edits_asks_and_cancel_keeps_them(tab, qtbot, boxes, ctx):
    from PySide6.QtWidgets import QMessageBox
    east, _west = _edit_secretary_then_pick_west(tab, qtbot, boxes, QMessageBox.StandardButton.Cancel)
    assert tab.current_uuid() == east.uuid and tab.panel.branch.uuid == east.uuid
    assert tab.panel.branch_form.editor("secretary_uuid").value() == tab.records["张三"].uuid
    assert ctx.records.get(R.Branch, east.uuid).secretary_uuid is None


def test_unsaved_edits_may_be_saved_or_discarded_on_the_way(tab, qtbot, boxes, ctx):
    from PySide6.QtWidgets import QMessageBox
    east, west = _edit_secretary_then_pick_west(tab, qtbot, boxes, QMessageBox.StandardButton.Save)
    assert ctx.records.get(R.Branch, east.uuid).secretary_uuid == tab.records["张三"].uuid
    assert tab.current_uuid() == west.uuid and tab.panel.branch.uuid == west.uuid
    boxes.shown.clear()
    tab.panel.branch_form.editor("secretary_uuid").choose(tab.records["王建国"].uuid)
    boxes.answer = QMessageBox.StandardButton.Discard
    tab.select_uuid(east.uuid)
    qtbot.waitUntil(lambda: tab.panel.branch.uuid == east.uuid)
    assert ctx.records.get(R.Branch, west.uuid).secretary_uuid is None
    assert boxes.texts("question")


def test_a_reload_keeps_unsaved_edits(tab, ctx):
    east = tab.records["东岭村党支部"]
    tab.select_uuid(east.uuid)
    tab.panel.branch_form.editor("secretary_uuid").choose(tab.records["张三"].uuid)
    tab.refresh()
    assert tab.panel.branch_form.editor("secretary_uuid").value() == tab.records["张三"].uuid
