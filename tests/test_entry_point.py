"""The ``dangjian-desktop`` entry point (``__main__.main``): once a command has finished, a
Ctrl-C pressed while the process shuts down changes neither what the command said nor its exit
code, and prints no traceback."""

from __future__ import annotations

import signal

import pytest

import dangjian_desktop.__main__ as entry
import dangjian_desktop.cli as cli


@pytest.fixture
def restored_ctrl_c():
    before = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, before)


def test_after_the_command_ctrl_c_is_ignored_and_the_exit_code_stands(monkeypatch, restored_ctrl_c):
    monkeypatch.setattr(cli, "main", lambda: 0)
    assert entry.main() == 0
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    signal.raise_signal(signal.SIGINT)  # pressed while the interpreter waits for its threads: nothing


def test_a_ctrl_c_pending_as_the_command_returns_is_absorbed(monkeypatch, restored_ctrl_c):
    def finished_then_interrupted() -> int:
        signal.raise_signal(signal.SIGINT)  # arrives in the command's last moments, outside its own catch
        return 0

    monkeypatch.setattr(cli, "main", finished_then_interrupted)
    assert entry.main() == 1  # interrupted: not claimed as a success
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
