"""Where files live: the user data directory (database, backups, logs) and the program's own
resources, also inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_data_path

from . import APP_NAME

DB_FILE_NAME = "dangjian.db"


def data_dir() -> Path:
    """e.g. ~/.local/share/dangjian-desktop on Linux, %LOCALAPPDATA%\\dangjian-desktop on Windows."""
    return user_data_path(APP_NAME, appauthor=False, ensure_exists=False)


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
