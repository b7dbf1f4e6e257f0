"""帮助 → 操作日志: newest first, Chinese names, 身份证号 and phones masked until revealed,
filtered by action, date and text, paged; and the masking rules of the service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QAction

import factories as F
from dangjian_desktop.services.audit_log import AuditFilter, AuditLogService, mask_phone, mask_sensitive
from dangjian_desktop.storage.repositories import AuditLog
from dangjian_desktop.ui.audit_log_dialog import AuditLogDialog, AuditTableModel
from dangjian_desktop.ui.main_window import MainWindow
from ui_helpers import ctx  # noqa: F401 - fixture

OLD_ID, NEW_ID = F.id_number(date(1980, 5, 17)), F.id_number(date(1981, 6, 18))


@pytest.fixture
def logged(store):
    """A member created, its 身份证号 and phone changed, an event naming an ID, 30 more lines."""
    with store.db.write() as s:
        log = AuditLog(s, "李文书")
        log.created("members", "u-1")
        log.changed("members", "u-1", [("id_number", OLD_ID, NEW_ID), ("phone", "13812345678", "13987654321"),
                                       ("name", "王建国", "王建华")])
        log.event("导入", "all", f"名册第 3 行 {NEW_ID} 已存在")
        for i in range(30):
            log.created("activities", f"a-{i}")
    return store


def rows(model: AuditTableModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def open_dialog(ctx, qtbot, **kw) -> AuditLogDialog:
    dialog = AuditLogDialog(ctx, **kw)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loads >= 1)
    return dialog


def test_ids_and_phones_are_masked_until_revealed(logged, ctx, qtbot, qtmodeltester):
    dialog = open_dialog(ctx, qtbot)
    qtmodeltester.check(dialog.model)
    table = rows(dialog.model)
    assert len(table) == 1 + 3 + 1 + 30 + 2  # + the two lines of setting the test database up
    assert table[0][2:4] == ["新增", "组织生活"]  # newest first
    shown = "\n".join(" | ".join(r) for r in table)
    assert OLD_ID not in shown and NEW_ID not in shown and "13812345678" not in shown
    id_row = next(r for r in table if r[5] == "身份证号")
    assert id_row[1:4] == ["李文书", "修改", "党员"]
    assert id_row[6] == f"{OLD_ID[:3]}{'*' * 11}{OLD_ID[-4:]} → {NEW_ID[:3]}{'*' * 11}{NEW_ID[-4:]}"
    assert next(r for r in table if r[5] == "联系电话")[6] == "138****5678 → 139****4321"
    assert next(r for r in table if r[5] == "姓名")[6] == "王建国 → 王建华"  # nothing else is masked
    assert next(r for r in table if r[2] == "导入")[6] == f"名册第 3 行 {NEW_ID[:3]}{'*' * 11}{NEW_ID[-4:]} 已存在"

    dialog.reveal.setChecked(True)
    shown = "\n".join(" | ".join(r) for r in rows(dialog.model))
    assert f"{OLD_ID} → {NEW_ID}" in shown and "13812345678 → 13987654321" in shown


def test_filter_by_action_text_and_date(logged, ctx, qtbot):
    dialog = open_dialog(ctx, qtbot)
    dialog.action.setCurrentIndex(dialog.action.findData("修改"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    assert {r[2] for r in rows(dialog.model)} == {"修改"}
    dialog.action.setCurrentIndex(0)
    dialog.search.setText("联系电话")  # a field's Chinese name finds its lines
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    dialog.search.setText("李文书")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 35)
    assert "共 35 条" in dialog.page_label.text()
    dialog.since.setDate(date.today() + timedelta(days=1))
    dialog.until.setDate(date.today() + timedelta(days=2))
    dialog.by_date.setChecked(True)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
    assert dialog.page_label.text() == "没有符合条件的记录"


def test_pages_turn(logged, ctx, qtbot):
    dialog = open_dialog(ctx, qtbot, page_size=10)
    assert "第 1/4 页，共 37 条" in dialog.page_label.text()
    assert not dialog.prev_button.isEnabled() and dialog.next_button.isEnabled()
    first = rows(dialog.model)
    for _ in range(3):
        loads = dialog.loads
        dialog.next_button.click()
        qtbot.waitUntil(lambda: dialog.loads > loads)
    assert "第 4/4 页" in dialog.page_label.text() and dialog.model.rowCount() == 7
    assert not dialog.next_button.isEnabled() and rows(dialog.model)[-1][2:4] == ["新增", "乡镇"]  # the oldest
    assert rows(dialog.model)[0] != first[0]


def test_the_help_menu_opens_it(logged, ctx, qtbot):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "action_audit_log")
    assert action.isEnabled() and action in window.menus["help"].actions()
    action.trigger()
    dialog = window.findChild(AuditLogDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.loads >= 1)
    dialog.close()


def test_masking_rules():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0371-6512345") == "0371-***2345"
    assert mask_sensitive("电话 138-1234-5678，座机 0371-65123456，代码 410999101000") == \
        "电话 138****5678，座机 0371-****3456，代码 410999101000"
    assert mask_sensitive(f"x{OLD_ID}y") == f"x{OLD_ID}y"  # part of a longer token: not an ID


def test_service_counts_what_the_filter_matches(logged):
    service = AuditLogService(logged)
    assert service.actions() == sorted(["初始化", "新增", "修改", "导入"])
    assert service.page(AuditFilter(text="党员")).total == 4  # record type by its Chinese name
    page = service.page(AuditFilter(text="100%_"), 0, 10)
    assert page.total == 0 and page.pages == 1


def test_each_line_names_its_record_and_a_name_finds_its_lines(ctx, qtbot):
    """The log says which record a line is about — a person's or a branch's name, a request's
    number, a meeting's date and kind — and searching a name finds what was done to that record."""
    from datetime import date as day

    from dangjian_desktop.domain import records as R
    from dangjian_desktop.domain.enums import ActivityKind
    from ui_helpers import add_records

    branch = F.branch("东岭村党支部")
    member = F.member("孙丙", branch_uuid=branch.uuid)
    request = R.ServiceRequest(township_code=member.township_code, year=2026, serial=12, received_on=day(2026, 11, 2),
                               requester="周甲", content="代办医保缴费")
    meeting = R.Activity(township_code=member.township_code, branch_uuid=branch.uuid,
                         kind=ActivityKind.COMMITTEE_MEETING, held_on=day(2026, 11, 3), topic="学习")
    add_records(ctx.store, branch, member, request, meeting)
    shown = {tuple(r[3:5]) for r in rows(open_dialog(ctx, qtbot).model)}
    assert {("党员", "孙丙"), ("党组织", "东岭村党支部"), ("代办事项", "2026-0012（周甲）"),
            ("组织生活", "2026-11-03 支委会")} <= shown
    dialog = open_dialog(ctx, qtbot)
    dialog.search.setText("孙丙")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert rows(dialog.model)[0][2:5] == ["新增", "党员", "孙丙"]
