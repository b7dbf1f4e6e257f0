"""The manifest of a monthly package (its hidden ``_meta`` sheet) as a value.

Kept apart from the writer so that reading a package — in the import's worker process and in
the program — does not load xlsxwriter (≈ 10 MB in each process).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .canonical import package_checksum
from .package_spec import FORMAT_VERSION, PACKAGE_KIND


@dataclass
class PackageMeta:
    """The manifest of a package (the ``_meta`` sheet)."""

    township_code: str
    township_name: str
    period: str
    export_id: str
    sequence: int
    exported_at: str  # canonical UTC timestamp
    operator: str
    program_version: str
    kind: str = PACKAGE_KIND
    format_version: int = FORMAT_VERSION
    row_counts: dict[str, int] = field(default_factory=dict)
    sheet_digests: dict[str, str] = field(default_factory=dict)
    checksum: str = ""

    IDENTITY = ("kind", "format_version", "program_version", "township_code", "township_name", "period",
                "export_id", "sequence", "exported_at", "operator")

    def identity(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.IDENTITY}

    def compute_checksum(self) -> str:
        return package_checksum({**self.identity(), **{f"rows.{k}": v for k, v in self.row_counts.items()}},
                                self.sheet_digests)

    def meta_rows(self) -> list[tuple[str, str]]:
        rows = [(k, str(v)) for k, v in self.identity().items()]
        rows += [(f"rows.{name}", str(n)) for name, n in self.row_counts.items()]
        rows += [(f"sha256.{name}", d) for name, d in self.sheet_digests.items()]
        rows.append(("checksum", self.checksum))
        return rows
