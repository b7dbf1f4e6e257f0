"""The command line and the window's lock (``<db>.lock``): a command that writes to or replaces
the database is refused while the window or another such command holds it; reading commands
run alongside; the lock is given back when a command ends."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dangjian_desktop.instance_lock import InstanceLock
from cli_helpers import run

IN_USE = "正在被另一个窗口或命令使用"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def township(capsys, tmp_path) -> Path:
    db = tmp_path / "t.db"
    assert run(capsys, "init", "--db", db, "--mode", "township", "--code", "410999101000", "--name", "青石镇")[0] == 0
    return db


@pytest.fixture
def backup(capsys, township, tmp_path) -> Path:
    out = tmp_path / "copy.db"
    assert run(capsys, "backup", "--db", township, "--out", out)[0] == 0
    return out


@pytest.fixture
def window(township):
    """The lock an open window holds on the database."""
    lock = InstanceLock(township).acquire()
    yield lock
    lock.release()


def writing_commands(db: Path, backup: Path, tmp: Path) -> dict[str, list]:
    return {
        "restore": ["restore", "--db", db, "--from", backup],
        "init": ["init", "--db", db, "--mode", "township", "--code", "410999101000", "--name", "青石镇"],
        "demo": ["demo", "--db", db],
        "export": ["export", "--db", db, "--period", "2025-01", "--out", tmp / "out"],
        "import": ["import", "--db", db, tmp / "package.xlsx"],
        "review": ["review", "--db", db, "--township", "410999101000", "--period", "2025-01", "--status", "已通过"],
        "import-roster": ["import-roster", "--db", db, "--kind", "members", tmp / "roster.xlsx"],
    }


@pytest.mark.parametrize("command", ["restore", "init", "demo", "export", "import", "review", "import-roster"])
def test_a_writing_command_is_refused_while_the_window_is_open(capsys, township, backup, window, tmp_path, command):
    before = digest(township)
    code, out, err = run(capsys, *writing_commands(township, backup, tmp_path)[command])
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("错误：") and IN_USE in err and str(township) in err
    assert "进程号" in err and command in err  # who holds it, and what to run again
    assert digest(township) == before


def test_restore_under_an_open_window_in_another_process_is_refused(township, backup):
    holder = subprocess.Popen(
        [sys.executable, "-c", ("import sys, time\n"
                                "from dangjian_desktop.instance_lock import InstanceLock\n"
                                f"lock = InstanceLock({str(township)!r}).acquire()\n"
                                "print('locked', flush=True)\ntime.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = digest(township)
        done = subprocess.run([sys.executable, "-m", "dangjian_desktop", "restore", "--db", str(township),
                               "--from", str(backup)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1 and IN_USE in done.stderr and f"进程号 {holder.pid}" in done.stderr
        assert digest(township) == before
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()


@pytest.mark.parametrize("argv", [["check"], ["stats", "--year", "2025"], ["backups"], ["backup"],
                                  ["import", "--dry-run"], ["review"]])
def test_reading_commands_run_beside_the_window(capsys, township, window, tmp_path, argv):
    extra = [tmp_path / "none.xlsx"] if argv[0] == "import" else []
    code, _out, err = run(capsys, *argv, "--db", township, *extra)
    assert IN_USE not in err
    assert code == (1 if argv[0] == "import" else 0), err  # the dry run refuses the missing package


def test_a_command_gives_the_lock_back(capsys, township, backup):
    code, _out, err = run(capsys, "restore", "--db", township, "--from", backup)
    assert code == 0, err
    code, _out, err = run(capsys, "restore", "--db", township, "--from", backup)  # again: nothing left held
    assert code == 0, err
    lock = InstanceLock(township).acquire()
    assert lock.is_locked
    lock.release()


def test_ctrl_c_while_the_lock_is_taken_comes_after_it_and_leaves_it_free(tmp_path, monkeypatch):
    """Loading Qt's library for the lock must not be cut short (shiboken aborts the process):
    the Ctrl-C is raised once the lock is taken, and the lock is given back."""
    import signal

    from dangjian_desktop.cli.common import holding_database

    db = tmp_path / "t.db"
    real = InstanceLock.acquire

    def interrupted(self, command):  # noqa: ANN001
        signal.raise_signal(signal.SIGINT)  # held: not raised in here
        return real(self, command)
    monkeypatch.setattr(InstanceLock, "acquire", interrupted)
    with pytest.raises(KeyboardInterrupt), holding_database(db, "restore"):
        pytest.fail("the block must not run once Ctrl-C was pressed")
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    InstanceLock(db).acquire("restore").release()  # free again
