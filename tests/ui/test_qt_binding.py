"""The installed Qt binding does not corrupt Python's reference counts when signals are
emitted from Python (PySide6 6.12.0 dropped one reference to ``True`` per ``emit()``, so a
window aborted after a few hundred keystrokes); a binding with that fault must not ship."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


def test_emit_keeps_reference_counts(qapp):
    emitter = _Emitter()
    received = []
    emitter.carrying.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(20):
        emitter.plain.emit()
        emitter.carrying.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert after == before, "this PySide6 leaks references on emit(); see pyproject.toml"
    assert received == list(range(20))
