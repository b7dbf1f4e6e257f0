"""What kind of drive a file lives on: the local disk, a removable drive (U盘, SD card, USB
disk) or a network share.

SQLite's locking and its promise of atomic commits rely on the local file system; a U盘 pulled
out mid-write or a share that drops its connection can damage the database, so the program
refuses to run on either and offers to move the database.

A drive may also be read-only (a write-protected U盘, a CD, a share mounted read-only):
``is_read_only`` asks the system whether the file or its folder may be written — SQLite needs
to write beside a database (its ``-wal`` and ``-shm``) even to read it.

Linux reads ``/proc/mounts`` (the mount holding the path, its file system type and device) and
``/sys/class/block/<dev>`` (the ``removable`` flag, a USB bus in the device path, an SD card).
Windows asks ``GetDriveTypeW`` through ctypes; that code path only touches ``ctypes.WinDLL``
when it runs, so it imports and is tested on Linux with the call replaced.
"""

from __future__ import annotations

import ntpath
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from .plain import is_read_only  # noqa: F401 - re-exported: it lives where the first screen reads


class DriveKind(StrEnum):
    LOCAL = "本机磁盘"
    REMOVABLE = "可移动磁盘"
    NETWORK = "网络共享"
    UNKNOWN = "未知"

    @property
    def is_risky(self) -> bool:
        return self in (DriveKind.REMOVABLE, DriveKind.NETWORK)


# -- Linux ---------------------------------------------------------------------------------

NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre",
    "gfs2", "ocfs2", "davfs", "coda", "fuse.sshfs", "fuse.gvfsd-fuse", "fuse.davfs2", "fuse.rclone",
    "fuse.s3fs", "fuse.glusterfs", "fuse.cephfs", "fuse.smbnetfs", "fuse.curlftpfs",
})
_OCTAL = re.compile(r"\\([0-7]{3})")


def _unescape(field: str) -> str:
    """``/proc/mounts`` writes a space in a mount point as ``\\040``."""
    return _OCTAL.sub(lambda m: chr(int(m[1], 8)), field)


def _mount_of(path: str, mounts_text: str) -> tuple[str, str, str] | None:
    """(device, mount point, fs type) of the longest mount point holding ``path``."""
    best: tuple[str, str, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        device, point, fstype = _unescape(fields[0]), _unescape(fields[1]), fields[2]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        # ">=": a later line with the same mount point is mounted over the earlier one.
        if inside and (best is None or len(point) >= len(best[1])):
            best = (device, point, fstype)
    return best


def _block_is_removable(device: str, sys_block: Path) -> bool:
    name = os.path.basename(os.path.realpath(device))
    entry = sys_block / name
    if not entry.exists():
        return False
    real = entry.resolve()
    if "/usb" in str(real):
        return True
    # A partition (sdb1) has no flag of its own: its disk (sdb) is the parent folder.
    disk = real if (real / "removable").exists() else real.parent
    try:
        if (disk / "removable").read_text().strip() == "1":
            return True
        kind = disk / "device" / "type"
        return kind.exists() and kind.read_text().strip() == "SD"  # SD card (not built-in eMMC)
    except OSError:
        return False


def linux_drive_kind(path: str, mounts_file: Path = Path("/proc/mounts"),
                     sys_block: Path = Path("/sys/class/block")) -> DriveKind:
    try:
        mounts = mounts_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return DriveKind.UNKNOWN
    found = _mount_of(os.path.realpath(path), mounts)
    if found is None:
        return DriveKind.UNKNOWN
    device, _point, fstype = found
    if fstype in NETWORK_FS or device.startswith("//") or re.match(r"^[\w.-]+:/", device):
        return DriveKind.NETWORK
    if device.startswith("/dev/") and _block_is_removable(device, sys_block):
        return DriveKind.REMOVABLE
    return DriveKind.LOCAL


# -- Windows -------------------------------------------------------------------------------

DRIVE_REMOVABLE, DRIVE_FIXED, DRIVE_REMOTE, DRIVE_CDROM, DRIVE_RAMDISK = 2, 3, 4, 5, 6


def _get_drive_type(root: str) -> int:  # pragma: no cover - runs on Windows only
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.GetDriveTypeW.argtypes = [ctypes.c_wchar_p]
    kernel32.GetDriveTypeW.restype = ctypes.c_uint
    return int(kernel32.GetDriveTypeW(root))


def windows_drive_kind(path: str, get_drive_type: Callable[[str], int] | None = None) -> DriveKind:
    """``path`` is an absolute Windows path, e.g. ``E:\\台账\\dangjian.db`` or ``\\\\server\\share\\x.db``."""
    path = path.replace("/", "\\")
    if path.startswith("\\\\?\\"):  # long-path prefix
        path = path[4:]
        if path.upper().startswith("UNC\\"):
            return DriveKind.NETWORK
    drive, _rest = ntpath.splitdrive(path)
    if drive.startswith("\\\\"):
        return DriveKind.NETWORK
    if not drive:
        return DriveKind.UNKNOWN
    kind = (get_drive_type or _get_drive_type)(drive + "\\")
    if kind == DRIVE_REMOTE:
        return DriveKind.NETWORK
    if kind in (DRIVE_REMOVABLE, DRIVE_CDROM):
        return DriveKind.REMOVABLE
    if kind in (DRIVE_FIXED, DRIVE_RAMDISK):
        return DriveKind.LOCAL
    return DriveKind.UNKNOWN


# -- either ----------------------------------------------------------------------------------


def drive_kind(path: Path | str, platform: str | None = None) -> DriveKind:
    """Where ``path`` (which need not exist yet) lives; UNKNOWN when the system does not say."""
    platform = platform or sys.platform
    if platform == "win32":
        return windows_drive_kind(os.path.abspath(str(path)))
    if platform.startswith("linux"):
        return linux_drive_kind(str(path))
    return DriveKind.UNKNOWN
