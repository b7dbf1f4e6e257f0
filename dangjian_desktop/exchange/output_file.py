"""Writing a file the clerk asked for (a package, a receipt, an error list, a 汇总表, a PDF):
it appears complete under its name or not at all, and a failure is one Chinese sentence.

``replacing(path)`` gives the writer a temporary name beside ``path`` to fill; when the block
ends, the file is flushed to disk and renamed onto ``path`` (an older file of that name stays
until then). On any error the temporary file is removed, and an ``OSError`` becomes the
caller's ``DomainError`` naming ``path``: what happened in Chinese (文件夹是只读的, 磁盘已满…),
the system's own words in brackets, and what to do. ``write_bytes`` does the same for content
made in memory, ``write_in_memory`` for a workbook saved into memory first: a zip writer
(xlsxwriter, openpyxl) that fails half-way on a full disk keeps its file open and prints a
traceback when it is collected, so the workbooks are assembled in memory (a package is a few
megabytes) and written here in one piece.
``write_failure`` / ``folder_failure`` are the sentences, for code that writes on its own.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..domain.errors import DomainError


class OutputWriteError(DomainError):
    """A file could not be written; nothing was left behind under its name."""


_FULL = ("磁盘已满", "请删除不需要的文件腾出空间，或换一个磁盘或U盘")
_DENIED = ("没有写入权限，或同名文件正在 Excel/WPS 中打开", "请关闭该文件，或换一个文件夹")
_REASONS: dict[int, tuple[str, str]] = {
    errno.EROFS: ("文件夹是只读的", "请换一个可以写入的文件夹，或关掉U盘的写保护"),
    errno.ENOSPC: _FULL,
    errno.EACCES: _DENIED,
    errno.EPERM: _DENIED,
    errno.ENOENT: ("文件夹不存在", "请先创建它或换一个保存位置"),
    errno.ENOTDIR: ("保存位置中有一项不是文件夹", "请换一个保存位置"),
    errno.EISDIR: ("同名的是一个文件夹", "请换一个文件名"),
    errno.EEXIST: ("那里已有一个同名的文件，不是文件夹", "请换一个保存文件夹"),
    errno.ENAMETOOLONG: ("文件名或路径太长", "请换一个短一些的文件名或文件夹"),
    errno.EIO: ("读写出错（U盘或磁盘可能已拔出或损坏）", "请检查U盘或磁盘后重试"),
    errno.EFBIG: ("文件超过了这个磁盘允许的大小（如 FAT32 格式的U盘，单个文件最大 4 GB）", "请换一个磁盘保存"),
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = ("磁盘空间配额已用完", _FULL[1])
_OTHER = ("写入时出错", "请检查磁盘空间和写入权限后重试")


def reason(exc: OSError) -> tuple[str, str]:
    """(what happened, what to do), in Chinese; the system's words appended in brackets."""
    what, todo = _REASONS.get(exc.errno or 0, _OTHER)
    own = exc.strerror or (str(exc) if not exc.errno else "")
    return (f"{what}（{own}）" if own else what), todo


def write_failure(path: Path | str, exc: OSError) -> str:
    what, todo = reason(exc)
    return f"无法写入 {path}：{what}，{todo}"


def folder_failure(folder: Path | str, exc: OSError) -> str:
    what, todo = reason(exc)
    return f"无法创建文件夹 {folder}：{what}，{todo}"


def make_folder(folder: Path, error: type[DomainError] = OutputWriteError) -> None:
    """``mkdir -p``, an ``OSError`` turned into ``error`` with the Chinese sentence."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(folder_failure(folder, exc)) from None


@contextlib.contextmanager
def replacing(path: Path | str, error: type[DomainError] = OutputWriteError) -> Iterator[Path]:
    """A temporary name beside ``path`` for the writer; it becomes ``path`` once the block ends."""
    path = Path(path)
    tmp = path.with_name(f"~{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        raise error(write_failure(path, exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_bytes(path: Path | str, data: bytes | memoryview, error: type[DomainError] = OutputWriteError) -> Path:
    """Write ``data`` as ``path`` (see ``replacing``)."""
    path = Path(path)
    with replacing(path, error) as tmp, open(tmp, "xb") as f:
        f.write(data)
    return path


def write_in_memory(path: Path | str, save: Callable[[BinaryIO], object],
                    error: type[DomainError] = OutputWriteError) -> Path:
    """``save(buffer)`` (an openpyxl ``Workbook.save``) into memory, then ``write_bytes``."""
    buffer = io.BytesIO()
    try:
        save(buffer)
    except OSError as exc:  # the library's own temporary files (the system's temp folder)
        raise error(write_failure(path, exc)) from None
    return write_bytes(path, buffer.getbuffer(), error)


def _fsync_folder(folder: Path) -> None:
    """The rename itself on disk (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
