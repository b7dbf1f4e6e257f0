"""Regenerate dangjian_desktop/services/start_view_sql.py: the SQL of the window's first screen.

The window answers its first screen (the 在册 党员 table) with plain sqlite3 before SQLAlchemy
has loaded; the statements it runs are rendered here by SQLAlchemy from the same specs as
every other query (``services/query_sql.py``). Run this after changing what the 党员 table
shows, filters or sorts, or the members table; ``tests/services/test_start_view.py`` fails
until it has been run.

    python scripts/make_start_view_sql.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "dangjian_desktop" / "services" / "start_view_sql.py"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from dangjian_desktop.services.query_sql import start_view_module

    OUT.write_text(start_view_module(), encoding="utf-8")
    print(f"{OUT} written")


if __name__ == "__main__":
    main()
