"""The layering rule of ARCHITECTURE.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dangjian_desktop"

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": ("PySide6", "sqlalchemy", "alembic", "openpyxl", "dangjian_desktop.storage",
               "dangjian_desktop.exchange", "dangjian_desktop.services", "dangjian_desktop.ui"),
    "storage": ("PySide6", "openpyxl", "dangjian_desktop.exchange", "dangjian_desktop.services",
                "dangjian_desktop.ui"),
    "exchange": ("PySide6", "sqlalchemy", "alembic", "dangjian_desktop.storage",
                 "dangjian_desktop.services", "dangjian_desktop.ui"),
    "services": ("PySide6", "dangjian_desktop.ui"),
    "ui": ("sqlalchemy", "alembic", "dangjian_desktop.storage"),
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer):
    files = _layer_files(layer)
    assert files or layer == "exchange", f"layer {layer} has no modules"
    bad = []
    for path in files:
        for name in _imports(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert bad == []


def test_relative_imports_are_resolved():
    """The checker itself: a relative import from services resolves to the package path."""
    names = _imports(PACKAGE / "services" / "store.py")
    assert "dangjian_desktop.storage.database" in names
