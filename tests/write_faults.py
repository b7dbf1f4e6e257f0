"""A folder that refuses to be written, without root tricks (the tests run as root, for whom
``chmod 555`` means nothing): every way Python creates or opens a file for writing —
``open``, ``io.open`` (zipfile, openpyxl, xlsxwriter), ``os.open`` (tempfile) — raises the
``OSError`` a read-only folder (``EROFS``) or a full disk (``ENOSPC``) raises, for any path in
that folder. Reading stays possible, so a test can check that nothing was left there.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path

STRERROR = {errno.EROFS: "Read-only file system", errno.ENOSPC: "No space left on device"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _inside(path: object, folder: Path) -> bool:
    if isinstance(path, int) or not isinstance(path, (str, bytes, os.PathLike)):
        return False
    p = Path(os.fsdecode(path)).absolute()
    return p == folder or folder in p.parents


def refuse_writes(monkeypatch, folder: Path, code: int = errno.EROFS) -> Path:
    """Make writing anything into ``folder`` (made if missing) fail with ``code``."""
    folder = Path(folder).absolute()
    folder.mkdir(parents=True, exist_ok=True)
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def fault(path: object) -> OSError:
        return OSError(code, STRERROR.get(code, os.strerror(code)), os.fsdecode(path))  # type: ignore[arg-type]

    def guarded_open(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN202 - open's own signature
        if _inside(file, folder) and any(c in mode for c in "wxa+"):
            raise fault(file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_io_open(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN202
        if _inside(file, folder) and any(c in mode for c in "wxa+"):
            raise fault(file)
        return real_io_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if _inside(path, folder) and flags & _WRITE_FLAGS:
            raise fault(path)
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_io_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    return folder
