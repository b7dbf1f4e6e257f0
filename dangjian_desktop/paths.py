"""Where files live: the user data directory (database, backups, logs) and the program's own
resources, also inside a PyInstaller bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import APP_NAME

DB_FILE_NAME = "dangjian.db"


def data_dir() -> Path:
    """``$XDG_DATA_HOME/dangjian-desktop`` (by default ~/.local/share/dangjian-desktop) on Linux,
    ``%LOCALAPPDATA%\\dangjian-desktop`` on Windows, ~/Library/Application Support/… on macOS.
    (The same folders as platformdirs' user data folder; worked out here because importing it
    costs the window's start ~5 ms.)"""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        root = Path(base) if base else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        base = os.environ.get("XDG_DATA_HOME", "").strip()
        root = Path(base) if base else Path.home() / ".local" / "share"
    return root / APP_NAME


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def backups_dir(db_path: Path) -> Path:
    return db_path.resolve().parent / "backups"


def log_dir() -> Path:
    return data_dir() / "logs"


def resources_dir() -> Path:
    """``dangjian_desktop/resources`` in a source tree or installed package, or in a bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "dangjian_desktop" / "resources"
    return Path(__file__).resolve().parent / "resources"


def icon_path(size: int = 256) -> Path:
    """The program's icon as a PNG (sizes 16, 24, 32, 48, 64, 128, 256; drawn by
    ``build/make_icon.py``); ``QIcon(str(icon_path()))`` scales it for the window."""
    return resources_dir() / f"icon-{size}.png"
