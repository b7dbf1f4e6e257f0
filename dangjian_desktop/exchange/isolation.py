"""Running a parser where its crash cannot take the window down: a worker process.

python-calamine aborts its whole process on some files (one value at A1 and one at
XFD1048576 make it ask for 512 GB), openpyxl can spend gigabytes on a few kilobytes, and a
file can be built to exploit any parser. So the parse step of both importers runs in a child
process started with the ``spawn`` method (a fresh interpreter: none of the window's threads,
Qt state or database connections), under three limits:

- memory: on Linux the child's address space is capped (``RLIMIT_AS``) at what it uses after
  start-up plus ``Limits.memory_mb``; an allocation beyond fails — a ``MemoryError`` in Python,
  an abort in Rust code — and only the child ends;
- time: the parent kills the child after ``Limits.timeout_s``;
- cancel: ``run_isolated`` is a generator; closing it (the window's 取消 does) kills the child.

The child calls ``target(emit, *args)``; ``emit(note)`` sends a picklable note (progress) that
``run_isolated`` yields, and heartbeats (``None``) every ``HEARTBEAT_S`` keep a waiting caller
able to cancel. The target's result (domain objects, rows, problems: picklable) comes back as
the generator's return value; a ``DomainError`` it raises (a refusal naming the file) is raised
again in the caller with its class and message. A child that dies without a word, runs out of
memory or time, or raises anything else becomes ``IsolationFailure``, whose ``cause`` the
caller turns into its own refusal naming the file (``Gate.refuse``).

Windows has no ``RLIMIT_AS``: there the child puts itself into a Job Object whose per-process
memory limit is what it has committed plus ``Limits.memory_mb`` (``win_memory.py``); if that
fails it runs uncapped, and a runaway allocation still ends in a ``MemoryError`` or an abort of
the child, never of the window, unless the machine starts paging first; the time limit ends it
at the latest. macOS does not enforce ``RLIMIT_AS``. In a PyInstaller bundle ``multiprocessing.freeze_support()`` (called first thing in
``__main__.main``) lets the bundle's executable act as the child.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ..domain.errors import DomainError

T = TypeVar("T")
HEARTBEAT_S = 0.2
_SIGNALS = {getattr(signal, n): n for n in ("SIGABRT", "SIGSEGV", "SIGBUS", "SIGKILL", "SIGILL", "SIGFPE")
            if hasattr(signal, n)}


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 300.0
    memory_mb: int = 1536


class IsolationFailure(Exception):
    """The child crashed, ran out of memory or time, or failed unexpectedly.

    ``cause`` completes "文件“x”…" as a Chinese phrase; ``detail`` (a traceback, the exit
    status) is for the log only.
    """

    def __init__(self, cause: str, detail: str = "") -> None:
        super().__init__(cause)
        self.cause = cause
        self.detail = detail


Emit = Callable[[object], None]


@contextlib.contextmanager
def _interrupts_blocked() -> Iterator[None]:
    """Ctrl-C held back while the child starts: the child inherits the blocked signal, so it
    cannot be interrupted (with a traceback) while it unpickles its arguments, before its own
    code ignores Ctrl-C; this process gets its Ctrl-C as soon as the child has started.
    Nothing to do where signals cannot be blocked (Windows) or outside the main thread."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    # multiprocessing's resource tracker, started with the first child, unblocks SIGINT after
    # starting itself: started first, it cannot undo the block below.
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        _pending_signals_run()  # a Ctrl-C that came just before is raised here, not mid-pickling
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _pending_signals_run() -> None:
    """Nothing: entering a Python function is where the interpreter runs the handlers of
    signals that have arrived (a Ctrl-C pressed a moment ago raises here)."""


def run_isolated(target: Callable[..., T], args: tuple[Any, ...], limits: Limits = Limits()
                 ) -> Generator[object | None, None, T]:
    """Run ``target(emit, *args)`` in a spawned, capped child; yield its notes, return its result."""
    ctx = multiprocessing.get_context("spawn")
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_main, args=(writer, target, args, limits.memory_mb), daemon=True,
                        name="dangjian-parse")
    with _main_hidden(), _interrupts_blocked():
        child.start()
    writer.close()  # the child holds the only writer now: its death is an EOF here
    deadline = time.monotonic() + limits.timeout_s
    try:
        while True:
            if reader.poll(HEARTBEAT_S):
                try:
                    message = reader.recv()
                except (EOFError, OSError):
                    child.join(5)
                    raise IsolationFailure(*_death(child.exitcode)) from None
                kind = message[0]
                if kind == "note":
                    yield message[1]
                elif kind == "result":
                    return message[1]
                elif kind == "refused":
                    raise _refusal(message[1], message[2])
                elif kind == "memory":
                    raise IsolationFailure(f"读取时需要的内存超过了 {limits.memory_mb:,} MB 的上限，已停止"
                                           "（文件过大，或是被恶意构造的）")
                else:
                    raise IsolationFailure(f"读取时出错（{message[1]}），文件可能已损坏", message[2])
            elif time.monotonic() > deadline:
                raise IsolationFailure(f"读取超过 {limits.timeout_s:,.0f} 秒仍未完成，已停止（文件过大，或是被恶意构造的）")
            elif not child.is_alive() and not reader.poll():
                raise IsolationFailure(*_death(child.exitcode))
            else:
                yield None
    finally:
        reader.close()
        _stop(child)


_START_LOCK = threading.Lock()


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start the child without re-running the caller's ``__main__`` in it.

    ``spawn`` re-imports the main script in the child unless it is a module without a file; the
    targets live in this package, so the child needs none of it — and a script without an
    ``if __name__ == "__main__"`` guard (a benchmark, a one-off) would start itself again.
    """
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main is not None and k in main.__dict__}
    with _START_LOCK:
        try:
            for k in saved:
                setattr(main, k, None) if k == "__spec__" else delattr(main, k)
            yield
        finally:
            for k, v in saved.items():
                setattr(main, k, v)


def _refusal(cls: type[DomainError], message: str) -> DomainError:
    try:
        return cls(message)
    except TypeError:  # a subclass with another signature
        return DomainError(message)


def _death(code: int | None) -> tuple[str, str]:
    if code is not None and code < 0:
        name = _SIGNALS.get(-code, f"信号 {-code}")
        how = "被系统终止（很可能是内存不足）" if name == "SIGKILL" else f"意外中止（{name}）"
    else:
        how = f"意外退出（退出代码 {code}）"
    return f"在读取时使读取程序{how}，文件已损坏或是被恶意构造的", f"exit code {code}"


def _stop(child: Any) -> None:
    if child.is_alive():
        child.terminate()
        child.join(2)
        if child.is_alive():
            child.kill()
    child.join()
    child.close()


# ---------------------------------------------------------------- the child's side

def _child_main(conn: Any, target: Callable[..., Any], args: tuple[Any, ...], memory_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    os.environ["RUST_BACKTRACE"] = "0"  # an abort is reported by the parent, not as pages of frames
    cap_memory(memory_mb)

    def emit(note: object) -> None:
        conn.send_bytes(_pickled(("note", note)))

    try:
        try:
            result = target(emit, *args)
        except MemoryError:
            conn.send(("memory",))
        except DomainError as exc:
            conn.send(("refused", type(exc), exc.message))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:300], traceback.format_exc()))
        else:
            conn.send_bytes(_pickled(("result", result)))
    except MemoryError:  # pickling a large result can fail under the cap too
        conn.send(("memory",))
    finally:
        conn.close()


def _pickled(message: object) -> bytes:
    """``message`` pickled without the memo, which keeps a table entry for every object written
    so that one seen again is written as a reference: for the rows of a package (millions of
    mostly distinct cells) keeping it costs three times the pickling. ``fast`` is the
    pickler's switch for that (documented, though marked deprecated since Python 2); a message
    that refers to itself is refused in that mode and pickled the usual way. The parent's
    ``recv`` reads either."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    try:
        pickler.fast = True
        pickler.dump(message)
    except (ValueError, AttributeError):  # a cycle; or a Python without the switch
        return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    return buffer.getvalue()


def cap_memory(memory_mb: int) -> bool:
    """Cap this process's memory at what it uses now plus ``memory_mb``: its address space on
    Linux, its committed memory through a Job Object on Windows; True if capped."""
    if sys.platform == "win32":
        from .win_memory import cap

        return cap(memory_mb)
    if not sys.platform.startswith("linux"):
        return False
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        current = 0
    limit = current + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return True
