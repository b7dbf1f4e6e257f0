"""ui/workers.py: work off the GUI thread always ends in exactly one of result, error or
cancel on the GUI thread; the starting action is disabled meanwhile."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from dangjian_desktop.services.progress import Progress
from dangjian_desktop.ui.workers import Workers


@pytest.fixture
def workers(qapp):
    errors: list[BaseException] = []
    w = Workers(None, on_error=errors.append)
    w.unhandled = errors
    yield w
    w.wait()
    w.deleteLater()


def test_call_delivers_result_on_the_gui_thread(workers, qtbot):
    seen = {}

    def work():
        seen["worker"] = QThread.currentThread()
        return 42

    results = []

    def on_result(value):
        seen["receiver"] = QThread.currentThread()
        results.append(value)

    task = workers.call(work, on_result=on_result)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results == [42]
    assert seen["receiver"] is qtbot_thread() and seen["worker"] is not seen["receiver"]


def qtbot_thread():
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance().thread()


def test_an_error_is_delivered_not_swallowed(workers, qtbot):
    got = []
    task = workers.call(lambda: 1 / 0, on_result=lambda r: got.append(("result", r)),
                        on_error=lambda e: got.append(("error", type(e).__name__)))
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert got == [("error", "ZeroDivisionError")]


def test_an_unhandled_error_reaches_the_window_handler(workers, qtbot):
    task = workers.call(lambda: {}["missing"])
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert [type(e) for e in workers.unhandled] == [KeyError]


def test_busy_action_is_disabled_while_running(workers, qtbot):
    action = QAction("导出")
    release = threading.Event()
    task = workers.call(lambda: release.wait(5), busy=[action])
    assert not action.isEnabled()
    release.set()
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert action.isEnabled()


def test_job_reports_progress_and_returns(workers, qtbot):
    def job():
        for i in range(3):
            yield Progress(i + 1, 3, f"第 {i + 1} 步")
        return "完成"

    steps, results = [], []
    task = workers.job(job, title="测试", parent=None, on_result=results.append)
    task.progressed.connect(lambda p: steps.append(p.done))
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results == ["完成"]
    assert steps == [1, 2, 3]


def test_job_can_be_cancelled_between_steps(workers, qtbot):
    started, closed = threading.Event(), []
    proceed = threading.Event()

    def job():
        try:
            yield Progress(0, 10, "开始")
            started.set()
            proceed.wait(5)
            for i in range(10):
                yield Progress(i, 10)
            return "不应到这里"
        finally:
            closed.append(True)

    results, cancelled = [], []
    task = workers.job(job, title="测试", parent=None, on_result=results.append,
                       on_cancel=lambda: cancelled.append(True))
    assert started.wait(5)
    task.dialog.findChild(QPushButton).click()  # the clerk presses 取消
    proceed.set()
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert cancelled == [True] and results == [] and closed == [True]


def test_background_work_is_not_counted_but_is_waited_for(workers, qtbot):
    release = threading.Event()
    results = []
    task = workers.call(lambda: release.wait(10) and "loaded", on_result=results.append, background=True)
    counted = workers.call(lambda: release.wait(10) and "clerk's", on_result=results.append)
    assert workers.running == 1  # only the clerk's work makes closing the window ask
    with qtbot.waitSignal(task.done, timeout=5000), qtbot.waitSignal(counted.done, timeout=5000):
        release.set()
    assert sorted(results) == ["clerk's", "loaded"] and workers.running == 0
    slow = workers.call(lambda: release.wait(0.2) or "late", background=True)
    assert slow is not None and workers.wait(5000)  # shutdown waits for it too
