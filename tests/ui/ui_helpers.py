"""Shared pieces of the window tests: a UiContext on the test database, a stand-in for modal
dialogs (each ``exec`` runs the next scripted handler) and recorded message boxes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import factories as F
from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.storage.repositories import AuditLog, repository_for
from dangjian_desktop.ui.context import UiContext
from dangjian_desktop.ui.errors import ErrorReporter
from dangjian_desktop.ui.record_dialog import ActionDialog, RecordDialog
from dangjian_desktop.ui.workers import Workers


class RecordingReporter(ErrorReporter):
    """Keeps unexpected errors instead of showing a dialog; the test fails if any arrive."""

    def __init__(self, log_dir: Path) -> None:
        super().__init__(log_dir)
        self.errors: list[BaseException] = []

    def report(self, exc: BaseException) -> None:
        self.errors.append(exc)


@pytest.fixture
def ctx(store, tmp_path, qapp):
    reporter = RecordingReporter(tmp_path / "logs")
    workers = Workers(None, on_error=reporter.report)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    context = UiContext(store, store.unit(), settings, reporter, workers, today=lambda: TODAY)
    yield context
    workers.wait()
    workers.deleteLater()
    assert reporter.errors == []


def add_records(store, *records: R.Record) -> None:
    with store.db.write() as s:
        audit = AuditLog(s, "测试员")
        for r in records:
            repository_for(type(r), s, audit).add(r)


def small_township(store) -> dict:
    """Two villages with a branch each and a few members; returns the records by name."""
    east, west = F.village("东岭村"), F.village("西山村")
    east_branch = F.branch("东岭村党支部", village_uuid=east.uuid)
    west_branch = F.branch("西山村党支部", village_uuid=west.uuid)
    members = [F.member("张三", branch_uuid=east_branch.uuid), F.member("李四", branch_uuid=east_branch.uuid),
               F.member("王建国", branch_uuid=west_branch.uuid)]
    add_records(store, east, west, east_branch, west_branch, *members)
    return {"东岭村": east, "西山村": west, "东岭村党支部": east_branch, "西山村党支部": west_branch,
            **{m.name: m for m in members}}


def members_tab(ctx, qtbot):  # noqa: ANN001, ANN201 - pytest's qtbot; a MembersTab
    """The 党员 tab on ``small_township``, shown with its rows loaded; ``.records`` are the
    township's records by name."""
    from dangjian_desktop.ui.members_tab import MembersTab

    records = small_township(ctx.store)
    widget = MembersTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.is_loaded)
    widget.records = records
    return widget


class Dialogs:
    """Replaces ``exec`` of the record and action dialogs: each call runs the next handler,
    which gets the dialog (not shown) and returns what ``exec`` would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:  # noqa: ANN001
        self.handlers: list[Callable[[QDialog], int]] = []
        self.seen: list[QDialog] = []
        self.qtbot = qtbot

        def fake_exec(dialog: QDialog) -> int:
            qtbot.addWidget(dialog)
            self.seen.append(dialog)
            assert self.handlers, f"unexpected dialog {dialog.windowTitle()}"
            return self.handlers.pop(0)(dialog)

        for cls in (RecordDialog, ActionDialog):
            monkeypatch.setattr(cls, "exec", fake_exec)

    def then(self, handler: Callable[[QDialog], int]) -> "Dialogs":
        self.handlers.append(handler)
        return self

    def done(self) -> None:
        assert self.handlers == [], "a scripted dialog never opened"


def submit(dialog: QDialog) -> int:
    dialog.accept()
    return dialog.result()


def type_text(qtbot, widget, text: str) -> None:  # noqa: ANN001
    """Type into a line edit as the clerk would: ASCII as key presses, Chinese as the input
    method delivers it (a commit string), since QTest can only press ASCII keys."""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def type_into(qtbot, dialog, field: str, text: str) -> None:  # noqa: ANN001
    """Clear a line edit of the dialog's form and type ``text``."""
    widget = dialog.form.editor(field).widget
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    type_text(qtbot, widget, text)


def choose(dialog, field: str, value: object) -> None:  # noqa: ANN001
    """Pick ``value`` in a drop-down of the dialog's form, as a click would."""
    dialog.form.editor(field).choose(value)


@pytest.fixture
def dialogs(monkeypatch, qtbot):
    d = Dialogs(monkeypatch, qtbot)
    yield d
    d.done()


class Boxes:
    """Message boxes answered without showing them; what they said is kept."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes
        for kind in ("information", "warning", "critical", "question", "about"):
            monkeypatch.setattr(QMessageBox, kind, self._make(kind))

    def _make(self, kind: str):  # noqa: ANN202
        def box(parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN202
            self.shown.append((kind, text))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok
        return staticmethod(box)

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.shown if kind is None or k == kind]


@pytest.fixture
def boxes(monkeypatch):
    return Boxes(monkeypatch)
