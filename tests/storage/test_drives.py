"""Which drive a database lives on: Linux from a fake /proc/mounts and /sys tree, Windows with
GetDriveTypeW replaced (the Windows code path imports and runs on Linux)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian_desktop.storage import drives
from dangjian_desktop.storage.drives import DriveKind, drive_kind, linux_drive_kind, windows_drive_kind

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sda1 /boot/efi vfat rw 0 0
/dev/sdb1 /media/clerk/U\\040DISK vfat rw,nosuid,nodev 0 0
/dev/mmcblk0p1 /media/clerk/SD exfat rw 0 0
/dev/mmcblk1p2 /home/clerk/emmc ext4 rw 0 0
/dev/sdc1 /mnt/usbhdd ext4 rw 0 0
//fileserver/党建 /mnt/share cifs rw,vers=3.0 0 0
nas:/export/docs /mnt/nfs nfs4 rw 0 0
gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw,nosuid,nodev 0 0
clerk@host:/srv /home/clerk/remote fuse.sshfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
/dev/sda2 /mnt ext4 rw 0 0
"""


@pytest.fixture
def fake_system(tmp_path: Path) -> tuple[Path, Path]:
    """/proc/mounts and /sys/class/block as Linux lays them out (links into /sys/devices)."""
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS, encoding="utf-8")
    devices = tmp_path / "devices"
    block = tmp_path / "class_block"
    block.mkdir()

    def disk(name: str, bus: str, removable: str, parts: list[str], kind: str | None = None) -> None:
        d = devices / bus / "block" / name
        d.mkdir(parents=True)
        (d / "removable").write_text(removable + "\n")
        if kind is not None:
            (d / "device").mkdir()
            (d / "device" / "type").write_text(kind + "\n")
        (block / name).symlink_to(d)
        for p in parts:
            (d / p).mkdir()
            (block / p).symlink_to(d / p)

    disk("sda", "pci0000:00/ata1/host0", "0", ["sda1", "sda2"])
    disk("sdb", "pci0000:00/usb1/1-1/host6", "1", ["sdb1"])
    disk("sdc", "pci0000:00/usb2/2-1/host7", "0", ["sdc1"])  # a USB hard disk says "not removable"
    disk("mmcblk0", "platform/mmc0", "0", ["mmcblk0p1"], kind="SD")
    disk("mmcblk1", "platform/mmc1", "0", ["mmcblk1p2"], kind="MMC")  # built-in eMMC
    return mounts, block


@pytest.mark.parametrize("path, kind", [
    ("/home/clerk/dangjian.db", DriveKind.LOCAL),
    ("/boot/efi/x.db", DriveKind.LOCAL),
    ("/media/clerk/U DISK/台账/dangjian.db", DriveKind.REMOVABLE),
    ("/media/clerk/U DISKETTE/x.db", DriveKind.LOCAL),  # a prefix of the name is not the mount
    ("/media/clerk/SD/x.db", DriveKind.REMOVABLE),
    ("/home/clerk/emmc/x.db", DriveKind.LOCAL),
    ("/mnt/usbhdd/x.db", DriveKind.REMOVABLE),
    ("/mnt/share/2026/x.db", DriveKind.NETWORK),
    ("/mnt/nfs/x.db", DriveKind.NETWORK),
    ("/run/user/1000/gvfs/smb-share:server=fs,share=d/x.db", DriveKind.NETWORK),
    ("/home/clerk/remote/x.db", DriveKind.NETWORK),
    ("/mnt/x.db", DriveKind.LOCAL),
])
def test_linux(fake_system, path, kind):
    mounts, block = fake_system
    assert linux_drive_kind(path, mounts, block) is kind


def test_linux_without_proc_is_unknown(tmp_path):
    assert linux_drive_kind("/x.db", tmp_path / "missing", tmp_path) is DriveKind.UNKNOWN


def test_linux_for_real_does_not_fail(tmp_path):
    assert drive_kind(tmp_path / "not-yet.db", platform="linux") in set(DriveKind)


@pytest.mark.parametrize("path, drive_type, kind", [
    (r"C:\Users\clerk\AppData\Local\dangjian-desktop\dangjian.db", drives.DRIVE_FIXED, DriveKind.LOCAL),
    (r"E:\台账\dangjian.db", drives.DRIVE_REMOVABLE, DriveKind.REMOVABLE),
    (r"Z:\共享\dangjian.db", drives.DRIVE_REMOTE, DriveKind.NETWORK),
    (r"D:\x.db", drives.DRIVE_CDROM, DriveKind.REMOVABLE),
    (r"R:\x.db", drives.DRIVE_RAMDISK, DriveKind.LOCAL),
    (r"Q:\x.db", 1, DriveKind.UNKNOWN),  # DRIVE_NO_ROOT_DIR
    ("C:/Users/clerk/x.db", drives.DRIVE_FIXED, DriveKind.LOCAL),
])
def test_windows_drive_letters(path, drive_type, kind):
    asked: list[str] = []

    def fake(root: str) -> int:
        asked.append(root)
        return drive_type

    assert windows_drive_kind(path, fake) is kind
    assert asked == [path[0] + ":\\"]


@pytest.mark.parametrize("path", [r"\\fileserver\党建\dangjian.db", r"\\?\UNC\fileserver\share\x.db", "//server/share/x.db"])
def test_windows_unc_paths_are_network_without_asking(path):
    def never(root: str) -> int:
        raise AssertionError("GetDriveTypeW should not be needed")

    assert windows_drive_kind(path, never) is DriveKind.NETWORK


def test_windows_long_path_prefix_and_dispatch(monkeypatch):
    monkeypatch.setattr(drives, "_get_drive_type", lambda root: drives.DRIVE_REMOVABLE if root == "F:\\" else 0)
    assert windows_drive_kind(r"\\?\F:\x.db") is DriveKind.REMOVABLE
    monkeypatch.setattr(drives.os.path, "abspath", lambda p: p)
    assert drive_kind(r"F:\x.db", platform="win32") is DriveKind.REMOVABLE
    assert drive_kind("/x.db", platform="darwin") is DriveKind.UNKNOWN


def test_risky():
    assert DriveKind.REMOVABLE.is_risky and DriveKind.NETWORK.is_risky
    assert not DriveKind.LOCAL.is_risky and not DriveKind.UNKNOWN.is_risky
