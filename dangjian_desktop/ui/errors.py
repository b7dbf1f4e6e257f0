"""Unexpected errors: written to a log file in the data directory and shown in a dialog, and
the window keeps working. Errors the clerk can act on (``DomainError``, and a database the disk
could not serve: ``storage.outside_failures``) are a plain warning.

Nothing personal goes into the log: 身份证号 (18 or 15 digits) and phone numbers in a message
or a traceback are replaced before the line is written.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from functools import cache
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import DomainError

LOG_NAME = "dangjian-desktop.log"
_LOGGER = "dangjian_desktop.crash"

_SCRUB_PATTERNS = (
    (r"(?<![0-9])[0-9]{6}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx](?![0-9])", "[身份证号]"),
    (r"(?<![0-9])[0-9]{15}(?![0-9])", "[身份证号]"),
    (r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])", "[电话]"),
    (r"(?<![0-9])\(?0[0-9]{2,3}\)?[ -]?[1-9][0-9]{6,7}(?![0-9])", "[电话]"),
)


@cache
def _scrubbers() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled on the first error, not at the start (~1 ms)."""
    return tuple((re.compile(pattern), replacement) for pattern, replacement in _SCRUB_PATTERNS)


# Full-width digits (typed with a Chinese input method) are found as the digits they are.
_HALF_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x", "－": "-",
                             "（": "(", "）": ")", "＋": "+", "\u3000": " "})


def scrub(text: str) -> str:
    """The text with 身份证号 and phone numbers blanked out (also written in full-width digits)."""
    for pattern, replacement in _scrubbers():
        plain = text.translate(_HALF_WIDTH)  # one character for one: positions stay the same
        spans = [m.span() for m in pattern.finditer(plain)]
        for start, end in reversed(spans):
            text = text[:start] + replacement + text[end:]
    return text


class _ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class ErrorReporter:
    """Logs unexpected errors and tells the clerk; installed as ``sys.excepthook`` by the app."""

    def __init__(self, log_dir: Path, parent: QWidget | None = None) -> None:
        self.log_path = Path(log_dir) / LOG_NAME
        self.parent = parent
        self.logger = logging.getLogger(f"{_LOGGER}.{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(logging.INFO)
        self._handler: logging.Handler | None = None
        self._showing = False

    def _ensure_handler(self) -> None:
        if self._handler is None:
            from logging.handlers import RotatingFileHandler  # its imports cost the start ~7 ms

            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(self.log_path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
            handler.setFormatter(_ScrubbingFormatter("%(asctime)s %(levelname)s %(message)s"))
            self.logger.addHandler(handler)
            self._handler = handler

    def log(self, exc: BaseException) -> None:
        self._ensure_handler()
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.logger.error("未预料的错误\n%s", text)

    def info(self, text: str) -> None:
        """A line for the maintainer in the log (scrubbed like the rest)."""
        self._ensure_handler()
        self.logger.info("%s", text)

    def report(self, exc: BaseException) -> None:
        """Log ``exc`` and show the crash dialog (one at a time, never recursively); a database
        that could not be read or written for a cause outside the program (a full disk…) is a
        plain warning saying so instead."""
        try:
            self.log(exc)
        except OSError:
            pass  # a full disk must not turn one error into two
        if self._showing:
            return
        from ..services.store import outside_failure  # only once something went wrong

        outside = outside_failure(exc)
        self._showing = True
        try:
            if outside is not None:
                QMessageBox.warning(self.parent, "无法读写数据库", outside)
                return
            QMessageBox.critical(
                self.parent, "程序出错",
                "发生了一个意外错误，刚才的操作没有完成；已保存的数据不受影响，程序可以继续使用。\n\n"
                f"错误：{scrub(type(exc).__name__ + ': ' + str(exc))}\n\n"
                f"详细信息已写入日志文件：\n{self.log_path}\n如果反复出现，请把这个文件发给维护人员。",
            )
        finally:
            self._showing = False

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report(exc)

    def install(self) -> None:
        sys.excepthook = self.excepthook

    def close(self) -> None:
        if self._handler is not None:
            self.logger.removeHandler(self._handler)
            self._handler.close()
            self._handler = None


def show_error(parent: QWidget | None, exc: BaseException, reporter: ErrorReporter | None, title: str = "无法完成") -> None:
    """A ``DomainError`` as a warning the clerk can act on; anything else to the reporter."""
    if isinstance(exc, DomainError):
        QMessageBox.warning(parent, title, exc.message)
    elif reporter is not None:
        reporter.report(exc)
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)
