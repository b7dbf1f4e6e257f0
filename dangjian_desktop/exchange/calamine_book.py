"""Opening a workbook with python-calamine by what the file holds, not by its name.

calamine picks its reader from the extension: an .xlsx saved or renamed as ``.xls`` (or with
no extension) is read as an old binary workbook and fails as if damaged. The callers open only
files the gate has found to be .xlsx zips; one that is not named so is handed over as bytes,
from which calamine recognises the format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

XLSX_SUFFIXES = (".xlsx", ".xlsm")


def open_xlsx(path: Path | str) -> Any:
    """A ``CalamineWorkbook`` of the .xlsx at ``path``, whatever its extension."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        return CalamineWorkbook.from_path(str(path))
    with path.open("rb") as f:
        return CalamineWorkbook.from_filelike(f)
