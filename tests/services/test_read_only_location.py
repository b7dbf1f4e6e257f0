"""A healthy database on read-only media (a write-protected U盘, a CD, a share mounted
read-only) is said to be on read-only media — never to be damaged — and nothing is written.

Running as root, chmod does not stop writes, so the folder is made read-only where the program
asks: ``os.access`` says "not writable" for it, as it does on a read-only mount (EROFS) or for
a folder the user may not write to. The last test uses a really read-only folder: a read-only
bind mount as root (where mounting is allowed, as QA did), a folder without write permission
otherwise."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from dangjian_desktop.services import backup_service as B
from dangjian_desktop.services.store import Store, StoreError
from dangjian_desktop.storage import drives
from cli_helpers import run

READ_ONLY = "所在的位置是只读的"


@pytest.fixture
def on_read_only_media(store, tmp_path, monkeypatch) -> Path:
    """The township database, in a folder the system says cannot be written."""
    path = store.path
    B.make_backup(path, "manual")  # something to list
    store.close()
    real_access = os.access

    def access(p, mode, *args, **kwargs):
        if mode & os.W_OK and Path(p).resolve() in (path.parent.resolve(), path.resolve()):
            return False
        return real_access(p, mode, *args, **kwargs)

    monkeypatch.setattr(drives.os, "access", access)
    return path


def contents(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("argv", [["check"], ["stats"], ["backup"], ["export", "--period", "2025-01"],
                                  ["import-roster", "--kind", "members", "x.xlsx"], ["init", "--mode", "township",
                                  "--code", "410999101000", "--name", "青石镇"]])
def test_commands_say_read_only_not_damaged(capsys, on_read_only_media, tmp_path, argv):
    before = contents(on_read_only_media.parent)
    extra = ["--out", tmp_path / "out"] if argv[0] == "export" else []
    code, out, err = run(capsys, argv[0], "--db", on_read_only_media, *argv[1:], *extra)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and READ_ONLY in err and str(on_read_only_media) in err and "复制到本机" in err
    assert "损坏" not in err and "unable" not in err
    assert contents(on_read_only_media.parent) == before


def test_the_services_say_it_too(on_read_only_media):
    with pytest.raises(StoreError, match=READ_ONLY):
        Store.open(on_read_only_media, create=False)
    with pytest.raises(B.BackupServiceError, match=READ_ONLY) as refused:
        B.make_backup(on_read_only_media, "manual")
    assert "损坏" not in refused.value.message


def test_the_window_says_it(on_read_only_media):
    from dangjian_desktop.instance_lock import DatabaseInUseError, InstanceLock

    lock = InstanceLock(on_read_only_media)
    try:
        lock.acquire()
    except DatabaseInUseError as exc:  # where the lock file cannot be made
        assert READ_ONLY in exc.message
    else:  # running as root the lock file is made all the same: then opening refuses
        lock.release()
        with pytest.raises(StoreError, match=READ_ONLY):
            Store.open(on_read_only_media)


@pytest.fixture
def really_read_only(store, tmp_path) -> Path:
    """The database in a folder that really cannot be written: a read-only bind mount when
    running as root where mounting is allowed, else a folder without write permission."""
    path = store.path
    store.close()
    if os.name != "posix":
        pytest.skip("POSIX permissions and mounts")
    if os.geteuid() != 0:
        path.parent.chmod(0o555)
        yield path
        path.parent.chmod(0o755)
        return
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(path.parent), str(mnt)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("running as root without the right to mount: chmod would not stop root")
    try:
        yield mnt / path.name
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_really_read_only_folder(capsys, really_read_only):
    from dangjian_desktop.instance_lock import DatabaseInUseError, InstanceLock

    for command in ("check", "stats", "backup"):
        code, _out, err = run(capsys, command, "--db", really_read_only)
        assert code == 1 and READ_ONLY in err and "损坏" not in err and "unable" not in err
    with pytest.raises(DatabaseInUseError, match=READ_ONLY):  # the window: its lock file cannot be made
        InstanceLock(really_read_only).acquire()
