"""One copy per database: a second copy is refused saying who holds it; the lock of a copy
that was killed is recovered."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QLockFile
from write_faults import refuse_writes

from dangjian_desktop.instance_lock import DatabaseInUseError, InstanceLock, lock_path


def test_second_copy_is_refused_with_the_holder(db_path, qapp):
    first = InstanceLock(db_path).acquire()
    try:
        with pytest.raises(DatabaseInUseError) as refused:
            InstanceLock(db_path).acquire()
        message = refused.value.message
        assert str(db_path) in message and f"进程号 {os.getpid()}" in message
    finally:
        first.release()
    again = InstanceLock(db_path).acquire()  # free once the first copy closed
    again.release()


def test_a_lock_left_by_a_killed_copy_is_recovered(db_path, qapp):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from dangjian_desktop.instance_lock import InstanceLock
            lock = InstanceLock({str(db_path)!r}).acquire()  # kept: the lock lives as long as the object
            print("locked", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseInUseError):
            InstanceLock(db_path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        assert lock_path(db_path).exists()  # the crashed copy left its lock behind
        recovered = InstanceLock(db_path).acquire()
        assert recovered.is_locked
        recovered.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)
        holder.stdout.close()


@pytest.mark.parametrize(("fault", "words"), [(errno.ENOSPC, "磁盘已满"), (errno.EROFS, "文件夹是只读的")])
def test_a_lock_that_cannot_be_made_says_why(db_path, qapp, monkeypatch, fault, words):
    """Qt only says that the lock file could not be made; the message says what stops it (here
    the folder takes no file, as a full disk or a read-only folder does) and leaves nothing."""
    folder = refuse_writes(monkeypatch, db_path.parent, fault)
    before = sorted(folder.iterdir())
    lock = InstanceLock(db_path)
    monkeypatch.setattr(lock._lock, "tryLock", lambda *_a: False)  # as Qt answers in such a folder
    monkeypatch.setattr(lock._lock, "error", lambda: QLockFile.LockError.UnknownError)
    with pytest.raises(DatabaseInUseError) as caught:
        lock.acquire()
    assert words in caught.value.message and str(db_path.parent) in caught.value.message
    assert "没有打开" in caught.value.message
    assert sorted(folder.iterdir()) == before
