"""What a backup that could not be written leaves and says (``backup_service.make_backup``).

A backup is copied into ``<dest>.part`` first (``storage.backup.backup_database``), which is
removed when the copy fails; on a full disk SQLite's journal of that copy may stay behind,
and SQLite's message is English ("database or disk is full") or silent about the cause
("unable to open database file" for a read-only folder). Here: removing those leftovers, and
the Chinese sentence naming the backup file, what happened and what to do
(``exchange.output_file``).
"""

from __future__ import annotations

import errno
import tempfile
from contextlib import suppress
from pathlib import Path

from ..exchange.output_file import write_failure
from ..storage.backup import BackupError

_PARTIAL_SUFFIXES = (".part-journal", ".part-wal", ".part-shm")


def remove_partial(dest: Path) -> None:
    for suffix in _PARTIAL_SUFFIXES:
        with suppress(OSError):
            dest.with_name(dest.name + suffix).unlink(missing_ok=True)


def not_written(dest: Path, exc: BackupError) -> str | None:
    """The Chinese sentence when the copy could not be written at ``dest`` (a full disk, a
    read-only folder); None when the cause lies elsewhere."""
    cause = exc.__cause__
    if isinstance(cause, OSError):
        return write_failure(dest, cause)
    name = getattr(cause, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return write_failure(dest, OSError(errno.ENOSPC, str(cause)))
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR")):
        try:  # SQLite does not say why: ask the folder
            with tempfile.TemporaryFile(dir=dest.parent):
                pass
        except OSError as probe:
            return write_failure(dest, probe)
    return None
