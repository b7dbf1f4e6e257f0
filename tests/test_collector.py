"""The collector paused for the start: resumed for a command, and never touched by code that
did not pause it."""

from __future__ import annotations

import gc

import pytest

from dangjian_desktop import cli, collector


@pytest.fixture(autouse=True)
def collector_back_on():
    yield
    collector.resume()
    gc.unfreeze()
    gc.enable()


def test_resume_does_nothing_when_nobody_paused():
    gc.disable()
    collector.resume()
    assert not gc.isenabled()  # someone else's choice is kept


def test_pause_then_resume():
    collector.pause()
    assert not gc.isenabled() and collector.paused()
    collector.resume()
    assert gc.isenabled() and not collector.paused()
    assert gc.get_freeze_count() > 0  # what the start made is out of the collector's way


def test_a_command_runs_with_the_collector_on(tmp_path):
    collector.pause()
    code = cli.main(["init", "--db", str(tmp_path / "a.db"), "--mode", "township", "--code", "410999101000",
                     "--name", "青石镇", "--operator", "测试员"])
    assert code == 0
    assert gc.isenabled()
