"""The command line: the same program without a window.

Exit codes: 0 success, 1 the work was refused (bad input, failed check), 2 usage error.
Errors are one Chinese line on stderr; bad input never prints a traceback.

Each group of sub-commands lives in its own module that defines its parsers with light
imports and imports the services only when its command runs, so that starting the window
(no sub-command) loads nothing it does not need.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from .. import collector
from ..domain.errors import DomainError
from .common import EXIT_REFUSED, fail


def build_parser():  # noqa: ANN201 - an argparse.ArgumentParser
    """The whole parser (``cli/parser.py``)."""
    from .parser import build_parser as build

    return build()


def _window_only(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments when they only open the window — any of ``--db FILE`` (or ``--db=FILE``) and
    ``--demo``, each once — read without argparse: importing and building it (with gettext,
    locale and shutil, which it loads) costs the window's start ~6 ms. Anything else (a
    sub-command, --help, an abbreviation, a mistake) is for the parser."""
    db: Path | None = None
    demo = seen_db = False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--demo" and not demo:
            demo = True
        elif arg.startswith("--db=") and not seen_db and len(arg) > 5:
            db, seen_db = Path(arg[5:]), True
        elif arg == "--db" and not seen_db and args and not args[0].startswith("-"):
            db, seen_db = Path(args.pop(0)), True
        else:
            return None
    return SimpleNamespace(db=db, demo=demo, self_test=False, command=None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _window_only(argv) or build_parser().parse_args(argv)
    if args.command is not None or args.self_test:
        collector.resume()  # the window resumes it once its first rows are on screen
    if args.self_test:
        from .self_test_command import cmd_self_test

        return cmd_self_test()
    if args.command is None:
        from ..app import run_gui  # Qt is loaded only for the window

        return run_gui(args.db, demo=args.demo)
    from .parser import command_modules

    _quiet_libraries()
    commands = {name: fn for module in command_modules() for name, fn in module.COMMANDS.items()}
    try:
        return commands[args.command](args)
    except DomainError as exc:
        return fail(exc.message)
    except KeyboardInterrupt:
        return fail("已中断；每一步写入都是整体提交的：中断前写完的已保存，正在写的没有写入（可用 check 核对）",
                    EXIT_REFUSED)
    except Exception as exc:  # noqa: BLE001 - what no command foresaw, if the disk or the system caused it
        return _unforeseen(exc, getattr(args, "db", None))


def _quiet_libraries() -> None:
    """A library's own log lines (SQLAlchemy's pool reports a connection whose closing a Ctrl-C
    interrupted, with a traceback) never reach the clerk's terminal: what happened is the
    command's one line."""
    import logging

    logging.getLogger("sqlalchemy").addHandler(logging.NullHandler())


def _unforeseen(exc: Exception, db: object) -> int:
    """One line for SQLite failing for a cause outside the program (a full disk, a stick pulled
    out) and for any other ``OSError``; anything else is a defect and raised again."""
    from ..services.store import outside_failure

    sentence = outside_failure(exc, db if isinstance(db, (str, Path)) else None)
    if sentence is not None:
        return fail(sentence)
    if not isinstance(exc, OSError):
        raise exc
    from ..exchange.output_file import reason

    what, todo = reason(exc)
    where = f" {exc.filename}" if exc.filename else ""
    return fail(f"读写文件{where}时出错：{what}，{todo}；已写完的每一步都已保存，其余没有写入（可用 check 核对）")
