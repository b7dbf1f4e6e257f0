"""One copy per database: a second copy is refused saying who holds it; the lock of a copy
that was killed is recovered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

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
