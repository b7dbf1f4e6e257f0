"""The window on a disk that has filled up: saving a record says so in Chinese and keeps the
form open with what the clerk typed (nothing is lost, nothing half-saved); a read that fails
the same way is a plain warning, not the crash dialog."""

from __future__ import annotations

import sqlite3
from datetime import date

import factories as F
import pytest
from sqlalchemy.exc import OperationalError

from dangjian_desktop.domain.enums import Gender, Stage
from dangjian_desktop.ui.errors import ErrorReporter
from storage.test_outside_failures import fill_up
from ui_helpers import boxes, choose, ctx, dialogs, members_tab, type_into  # noqa: F401 - fixtures


@pytest.fixture
def tab(ctx, qtbot):
    return members_tab(ctx, qtbot)


def test_saving_onto_a_full_disk_keeps_the_form_and_what_was_typed(tab, ctx, qtbot, dialogs, boxes):
    before = tab.model.rowCount()
    fill_up(ctx.store.db)
    address = "东岭村" + "长" * 3000  # more than a page: the row needs room the disk no longer has
    outcome = []

    def fill(dialog):
        type_into(qtbot, dialog, "name", "孙满盘")
        type_into(qtbot, dialog, "id_number", F.id_number(date(1991, 4, 9), Gender.MALE))
        choose(dialog, "stage", Stage.APPLICANT)
        type_into(qtbot, dialog, "applied_on", "2026.3.1")
        type_into(qtbot, dialog, "address", address)
        for _ in range(2):  # the first 保存 may stop once to show a 提示
            dialog.accept()
        outcome.append((dialog.result(), dialog.form.record().name, dialog.form.record().address))
        return 0  # the clerk closes it after freeing space elsewhere

    dialogs.then(fill)
    tab.new_record()
    [(result, name, kept)] = outcome
    assert result == 0 and name == "孙满盘" and kept == address  # still open, nothing typed lost
    [warning] = boxes.texts("warning")
    assert "磁盘已满" in warning and "没有保存" in warning and str(ctx.store.path) in warning
    assert tab.model.rowCount() == before
    with sqlite3.connect(ctx.store.path) as conn:
        assert conn.execute("SELECT count(*) FROM members WHERE name = '孙满盘'").fetchone() == (0,)


def test_a_read_failing_on_a_full_disk_is_a_warning_not_a_crash(tmp_path, boxes, qapp):
    disk = sqlite3.OperationalError("disk I/O error")
    disk.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"
    ErrorReporter(tmp_path / "logs").report(OperationalError("SELECT …", {}, disk))
    assert boxes.texts("critical") == []
    [warning] = boxes.texts("warning")
    assert "磁盘可能已满" in warning
    assert "disk I/O error" in (tmp_path / "logs" / "dangjian-desktop.log").read_text(encoding="utf-8")
