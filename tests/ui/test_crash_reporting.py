"""Unexpected errors go to a dialog and a log file without personal data; errors a clerk can
act on are a plain warning; the program keeps working."""

from __future__ import annotations

import sys

import factories as F
from dangjian_desktop.domain.errors import DomainError
from dangjian_desktop.ui.errors import ErrorReporter, scrub, show_error
from ui_helpers import boxes  # noqa: F401 - fixture


def test_scrub_removes_id_numbers_and_phones():
    id_number = F.id_number()
    text = f"坏记录 {id_number} 电话 13812345678 座机 0371-12345678 行 12345"
    cleaned = scrub(text)
    assert id_number not in cleaned and "13812345678" not in cleaned and "12345678" not in cleaned
    assert "[身份证号]" in cleaned and "[电话]" in cleaned and "行 12345" in cleaned


def test_reporter_logs_and_shows_a_dialog(tmp_path, boxes, qapp):
    reporter = ErrorReporter(tmp_path / "logs")
    id_number = F.id_number()
    try:
        raise ValueError(f"无法处理 {id_number}，电话 13912345678")
    except ValueError as exc:
        reporter.excepthook(type(exc), exc, exc.__traceback__)
    reporter.close()
    log = (tmp_path / "logs" / "dangjian-desktop.log").read_text(encoding="utf-8")
    assert "ValueError" in log and "Traceback" in log
    assert id_number not in log and "13912345678" not in log
    (kind, text), = boxes.shown
    assert kind == "critical" and "继续使用" in text and str(reporter.log_path) in text
    assert id_number not in text


def test_install_replaces_the_excepthook(tmp_path, monkeypatch, qapp):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    reporter = ErrorReporter(tmp_path)
    reporter.install()
    assert sys.excepthook == reporter.excepthook


def test_domain_errors_are_warnings_not_crashes(tmp_path, boxes, qapp):
    reporter = ErrorReporter(tmp_path)
    show_error(None, DomainError("文件 x.xlsx 第 3 行：身份证号不对"), reporter)
    assert boxes.shown == [("warning", "文件 x.xlsx 第 3 行：身份证号不对")]
    assert not reporter.log_path.exists()
