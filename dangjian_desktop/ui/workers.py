"""Running work off the GUI thread: a plain service call, or a job (a generator yielding
``Progress`` and returning its result) behind a cancellable progress dialog.

Whatever happens in the thread, exactly one of ``finished(result)``, ``failed(exception)`` or
``cancelled()`` reaches the GUI thread, followed by ``done()``; an error with no ``on_error``
handler goes to the window's error handler (the crash dialog and the log), never nowhere.
The actions and widgets named in ``busy`` are disabled while the work runs.

The thread only touches plain Python objects and emits signals of an object that lives in the
GUI thread; Qt queues those to the GUI thread. Each task runs on its own pool so that
``Workers.wait()`` at shutdown waits for writes to end before the database closes.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Generator, Sequence
from types import GeneratorType  # not inspect.isgenerator: importing inspect costs ~8 ms of the start
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..services.progress import Progress
from .qt_ints import QUEUED_CONNECTION


def _default_error_handler(exc: BaseException) -> None:
    sys.excepthook(type(exc), exc, exc.__traceback__)


class _Relay(QObject):
    """Carries results from the pool thread to the GUI thread (it lives in the GUI thread)."""

    result = Signal(object)
    error = Signal(object)
    progress = Signal(object)
    stopped = Signal()


class Task(QObject):
    """One piece of background work as the GUI thread sees it."""

    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(object)
    done = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_requested = threading.Event()
        self.relay = _Relay(self)
        # Queued explicitly: the relay's signals are emitted from the pool thread.
        self.relay.result.connect(self._on_result, QUEUED_CONNECTION)
        self.relay.error.connect(self._on_error, QUEUED_CONNECTION)
        self.relay.progress.connect(self.progressed, QUEUED_CONNECTION)
        self.relay.stopped.connect(self._on_cancelled, QUEUED_CONNECTION)
        self.is_done = False

    def cancel(self) -> None:
        self.cancel_requested.set()

    @Slot(object)
    def _on_result(self, result: object) -> None:
        self.finished.emit(result)
        self._finish()

    @Slot(object)
    def _on_error(self, exc: object) -> None:
        self.failed.emit(exc)
        self._finish()

    @Slot()
    def _on_cancelled(self) -> None:
        self.cancelled.emit()
        self._finish()

    def _finish(self) -> None:
        self.is_done = True
        self.done.emit()


class _Runner(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, cancel: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.fn, self.relay, self.cancel = fn, relay, cancel

    def run(self) -> None:
        try:
            outcome = self.fn()
            if isinstance(outcome, GeneratorType):
                outcome = self._drive(outcome)
                if outcome is _CANCELLED:
                    self.relay.stopped.emit()
                    return
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread, not swallowed
            self.relay.error.emit(exc)
        else:
            self.relay.result.emit(outcome)

    def _drive(self, job: Generator[Progress, None, Any]) -> Any:
        while True:
            if self.cancel.is_set():
                job.close()  # GeneratorExit inside the job: its open transaction rolls back
                return _CANCELLED
            try:
                step = next(job)
            except StopIteration as stop:
                return stop.value
            self.relay.progress.emit(step)


_CANCELLED = object()


class Workers(QObject):
    """Starts tasks; owned by the main window (or the application before it exists)."""

    def __init__(self, parent: QObject | None = None,
                 on_error: Callable[[BaseException], None] = _default_error_handler) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.on_error = on_error
        self._running: set[Task] = set()
        self._background: set[Task] = set()  # started with background=True (kept alive, not counted)

    def call(self, fn: Callable[[], Any], *, on_result: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             busy: Sequence[QAction | QWidget] = (), background: bool = False) -> Task:
        """Run ``fn()`` in the pool; a generator it returns is driven like a job, without a dialog.
        ``background`` work is the program's own (loading a library ahead of need): it is not
        counted in ``running``, so closing the window does not ask about it; it is still waited
        for at shutdown."""
        task = Task(self)
        self._start(task, fn, on_result, on_error, busy, counted=not background)
        return task

    def job(self, make_job: Callable[[], Generator[Progress, None, Any]], *, title: str,
            parent: QWidget | None, on_result: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            on_cancel: Callable[[], None] | None = None, busy: Sequence[QAction | QWidget] = (),
            cancellable: bool = True) -> Task:
        """Run a job with a progress dialog that appears after half a second."""
        task = Task(self)
        dialog = QProgressDialog(title, self.tr("取消") if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(title)
        from PySide6.QtCore import Qt  # not before the first rows: see qt_ints

        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(task.cancel)
        task.progressed.connect(lambda step: _show_progress(dialog, step))
        task.done.connect(dialog.close)
        task.done.connect(dialog.deleteLater)
        if on_cancel is not None:
            task.cancelled.connect(on_cancel)
        task.dialog = dialog  # type: ignore[attr-defined]
        self._start(task, make_job, on_result, on_error, busy)
        return task

    def _start(self, task: Task, fn: Callable[[], Any], on_result: Callable[[Any], None] | None,
               on_error: Callable[[BaseException], None] | None, busy: Sequence[QAction | QWidget],
               counted: bool = True) -> None:
        states = [(item, item.isEnabled()) for item in busy]
        for item, _ in states:
            item.setEnabled(False)

        def restore() -> None:
            for item, was_enabled in states:
                item.setEnabled(was_enabled)
            self._running.discard(task)
            self._background.discard(task)
            task.deleteLater()

        if on_result is not None:
            task.finished.connect(on_result)
        task.failed.connect(on_error or self.on_error)
        task.done.connect(restore)
        (self._running if counted else self._background).add(task)
        self.pool.start(_Runner(fn, task.relay, task.cancel_requested))

    @property
    def running(self) -> int:
        return len(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Cancel what can be cancelled and wait for the threads (at shutdown)."""
        for task in [*self._running, *self._background]:
            task.cancel()
        return self.pool.waitForDone(msecs)


def _show_progress(dialog: QProgressDialog, step: Progress) -> None:
    if step.total:
        dialog.setMaximum(step.total)
        dialog.setValue(step.done)
    if step.message:
        dialog.setLabelText(step.message)
