"""The worker process the importers parse in: results and notes come back, refusals keep their
class, and a crash, a memory blow-up, a hang or a cancel ends the worker — never this process."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from hostile_files import MAIN, small_xlsx

from dangjian_desktop.exchange.file_guard import Gate
from dangjian_desktop.exchange.isolation import IsolationFailure, Limits, run_isolated
from dangjian_desktop.exchange.roster_sniff import RosterFileError

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux's")
capped = pytest.mark.skipif(not (sys.platform.startswith("linux") or sys.platform == "win32"),
                            reason="the worker's memory is capped on Linux (RLIMIT_AS) and Windows (a Job Object)")


# -- targets: top-level functions, imported by name in the worker --------------------------------
def _sums(emit, numbers):
    for n in numbers:
        emit(("seen", n))
    return {"total": sum(numbers), "pid": os.getpid()}


def _shares_and_loops(emit):
    """A note whose parts are shared and a result that contains itself."""
    shared = ["否"] * 3
    emit((shared, shared))
    loop = ["x"]
    loop.append(loop)
    return loop


def _refuses(_emit, message):
    raise RosterFileError(message)


def _allocates(_emit, gigabytes):
    return len(bytearray(gigabytes << 30))


def _aborts(_emit):
    os.abort()


def _sleeps(emit, seconds):
    emit(os.getpid())
    time.sleep(seconds)


def _fails(_emit):
    raise ValueError("意外")


def _limit(_emit):
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def _calamine_without_the_gate(_emit, path):
    """What the importers did before: python-calamine straight on the file."""
    from python_calamine import CalamineWorkbook

    return len(CalamineWorkbook.from_path(path).get_sheet_by_name("名册").to_python())


def drive(job):
    notes = []
    while True:
        try:
            note = next(job)
        except StopIteration as stop:
            return notes, stop.value
        if note is not None:
            notes.append(note)


def far_cell_file(path: Path) -> Path:
    """One value at A1 and one at XFD1048576: python-calamine asks for 512 GB and aborts."""
    return small_xlsx(path, f'<worksheet xmlns="{MAIN}"><dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v>'
                            '</c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')


def test_notes_and_the_result_come_back():
    notes, result = drive(run_isolated(_sums, ([1, 2, 3],)))
    assert notes == [("seen", 1), ("seen", 2), ("seen", 3)]
    assert result["total"] == 6 and result["pid"] != os.getpid()


def test_notes_are_sent_without_the_memo_and_a_cycle_still_arrives():
    """Notes are pickled without the memo (faster for a package's rows): shared parts arrive
    as equal copies; a message that contains itself is pickled the usual way."""
    notes, result = drive(run_isolated(_shares_and_loops, ()))
    assert notes == [(["否"] * 3, ["否"] * 3)]
    assert result[0] == "x" and result[1] is result


def test_a_refusal_keeps_its_class_and_message():
    with pytest.raises(RosterFileError, match="文件“x.xlsx”不对"):
        drive(run_isolated(_refuses, ("文件“x.xlsx”不对",)))


def test_a_crash_of_the_parser_ends_the_worker_only():
    with pytest.raises(IsolationFailure) as failure:
        drive(run_isolated(_aborts, ()))
    assert "SIGABRT" in failure.value.cause


def test_python_calamine_aborting_on_a_far_cell_becomes_a_clear_refusal(tmp_path):
    """Without the gate, python-calamine takes its process down on this 1 KB file: in the
    worker that is one Chinese sentence naming the file."""
    path = far_cell_file(tmp_path / "远处的单元格.xlsx")
    with pytest.raises(IsolationFailure) as failure:
        drive(run_isolated(_calamine_without_the_gate, (str(path),)))
    refusal = Gate(RosterFileError).refuse(path, failure.value.cause)
    assert isinstance(refusal, RosterFileError)
    assert refusal.message.startswith("文件“远处的单元格.xlsx”在读取时使读取程序意外中止") and "SIGABRT" in refusal.message


@capped
def test_memory_is_capped():
    started = time.monotonic()
    with pytest.raises(IsolationFailure, match="内存超过了 256 MB"):
        drive(run_isolated(_allocates, (4,), Limits(memory_mb=256)))
    assert time.monotonic() - started < 20


@linux_only
def test_the_cap_is_what_the_worker_started_with_plus_the_budget():
    _notes, limit = drive(run_isolated(_limit, (), Limits(memory_mb=512)))
    assert 512 << 20 < limit < (512 << 20) + (4 << 30)


def test_a_worker_that_takes_too_long_is_stopped():
    started = time.monotonic()
    with pytest.raises(IsolationFailure, match="超过 1 秒"):
        drive(run_isolated(_sleeps, (60,), Limits(timeout_s=1)))
    assert time.monotonic() - started < 10


def test_closing_the_job_cancels_the_worker():
    job = run_isolated(_sleeps, (60,))
    pid = next(note for note in job if note is not None)
    job.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and reaped


def test_any_other_error_is_reported_with_its_traceback():
    with pytest.raises(IsolationFailure) as failure:
        drive(run_isolated(_fails, ()))
    assert "ValueError: 意外" in failure.value.cause and "Traceback" in failure.value.detail


def test_the_callers_main_module_is_left_as_it_was():
    main = sys.modules["__main__"]
    before = (getattr(main, "__file__", None), getattr(main, "__spec__", None))
    drive(run_isolated(_sums, ([1],)))
    assert (getattr(main, "__file__", None), getattr(main, "__spec__", None)) == before


def test_ctrl_c_is_held_back_while_the_child_starts():
    """The child inherits the blocked signal (no traceback while it unpickles its arguments);
    this process gets its Ctrl-C right after."""
    import signal

    from dangjian_desktop.exchange.isolation import _interrupts_blocked

    with pytest.raises(KeyboardInterrupt):
        with _interrupts_blocked():
            assert signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set())
            signal.raise_signal(signal.SIGINT)  # pending, not raised here
            reached = True
    assert reached
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
