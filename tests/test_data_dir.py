"""Where the data lives: the user data folder of each system (the folders platformdirs uses)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dangjian_desktop import paths


def test_linux_follows_xdg_data_home(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert paths.data_dir() == tmp_path / "dangjian-desktop"
    assert paths.default_db_path() == tmp_path / "dangjian-desktop" / "dangjian.db"
    assert paths.log_dir() == tmp_path / "dangjian-desktop" / "logs"


@pytest.mark.parametrize("value", ["", "   "])
def test_linux_without_xdg_data_home_uses_local_share(monkeypatch, tmp_path, value):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", value)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert paths.data_dir() == tmp_path / ".local" / "share" / "dangjian-desktop"


def test_windows_uses_local_appdata(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert paths.data_dir() == tmp_path / "dangjian-desktop"
    monkeypatch.delenv("LOCALAPPDATA")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert paths.data_dir() == tmp_path / "AppData" / "Local" / "dangjian-desktop"

