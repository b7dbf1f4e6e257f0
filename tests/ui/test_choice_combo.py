"""ui/choice_combo.py: a closed branch drop-down (the 党员 tab's filter, the form's 所在党组织)
shows the chosen branch without its tree indent, elided in the middle when too long, with the
full name as its tooltip; the open list keeps the indent."""

from __future__ import annotations

import pytest

import factories as F
from dangjian_desktop.domain.enums import OrgKind
from dangjian_desktop.ui.choice_combo import PlainClosedBox
from dangjian_desktop.ui.members_tab import MembersTab
from ui_helpers import add_records, ctx, dialogs  # noqa: F401 - fixtures

LONG = "东岭村第一党支部委员会（二组三组四组五组合并）"
SECOND = "东岭村第二党支部委员会"


@pytest.fixture
def tree(ctx):
    general = F.branch("东岭村党总支部委员会", kind=OrgKind.GENERAL_BRANCH)
    first = F.branch(LONG, parent_uuid=general.uuid)
    second = F.branch(SECOND, parent_uuid=general.uuid)
    member = F.member("张三", branch_uuid=first.uuid)
    add_records(ctx.store, general, first, second, member)
    return {"first": first, "second": second, "member": member}


@pytest.fixture
def tab(ctx, qtbot, tree):
    widget = MembersTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.filters["branch"].count() > 3)
    return widget


def test_the_branch_filter_shows_the_chosen_sub_branch_without_its_indent(tab, tree):
    combo = tab.filters["branch"]
    i = combo.findData(tree["second"].uuid)
    assert combo.itemText(i) == "　" + SECOND  # the open list keeps the tree's indent
    combo.setCurrentIndex(i)
    box = combo.findChild(PlainClosedBox)
    assert box is not None
    combo.resize(max(combo.sizeHint().width(), 400), combo.height())
    assert box.shown_text() == SECOND
    assert combo.toolTip() == "党组织：" + SECOND
    assert not combo.grab().isNull()  # painted through the filter


def test_a_long_branch_name_is_elided_in_the_middle(tab, tree):
    combo = tab.filters["branch"]
    combo.setCurrentIndex(combo.findData(tree["first"].uuid))
    combo.resize(combo.minimumSizeHint().width(), combo.height())  # as narrow as the tool row makes it
    shown = combo.findChild(PlainClosedBox).shown_text()
    assert "…" in shown and not shown.startswith("　")
    assert shown.startswith("东岭") and shown.endswith("合并）")  # both ends tell branches apart
    assert combo.toolTip() == "党组织：" + LONG


def test_the_form_shows_the_members_branch_plainly(tab, tree, dialogs):
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    seen = {}

    def look(dialog):
        combo = dialog.form.editor("branch_uuid").combo
        seen["item"] = combo.currentText()
        seen["shown"] = combo.findChild(PlainClosedBox).shown_text()
        seen["tip"] = combo.toolTip()
        return 0

    dialogs.then(look)
    tab.edit_current()
    assert seen["item"] == "　" + LONG
    assert not seen["shown"].startswith("　") and seen["shown"][:2] == "东岭"
    assert seen["tip"] == LONG
