"""The district import's worker: every manifest first, then the packages in import order, each
zip entry scanned once — and a file that kills the worker refuses only that file."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hostile_files import BILLION_LAUGHS, MEMBERS, add_rows, patched, read_parts, sheet_part
from zip_craft import write_zip

import package_records as P
from dangjian_desktop.exchange.canonical import rows_from_records
from dangjian_desktop.exchange.package_batch import import_order, read_in_import_order
from dangjian_desktop.exchange.package_meta import PackageMeta
from dangjian_desktop.exchange.package_reader import (
    NotAPackageError, PackageData, PackageTamperedError, package_manifest, read_package,
)
from dangjian_desktop.exchange.package_writer import write_package
from dangjian_desktop.services import package_stream
from dangjian_desktop.services.package_stream import PackageStream
from dangjian_desktop.services.progress import run_job


def package(path: Path, period: str = "2025-01", sequence: int = 1) -> PackageMeta:
    meta = PackageMeta(P.CODE, "青石镇", period, str(uuid.uuid4()), sequence, "2025-02-01T08:00:00", "测试员", "0.1.0")
    for _step in write_package(path, meta, rows_from_records(P.township_records()), "2025-02-01 16:00"):
        pass
    return meta


def _doctype(xml: bytes) -> bytes:
    return BILLION_LAUGHS.encode() + xml[xml.index(b"?>") + 2:]


def _run_here(paths: list[Path], seen: frozenset[str] = frozenset()) -> list[tuple]:
    notes: list[tuple] = []
    read_in_import_order(notes.append, [str(p) for p in paths], seen, {}, frozenset())
    return notes


def test_manifests_come_first_then_the_packages_in_import_order(tmp_path):
    later = package(tmp_path / "a.xlsx", "2025-02")
    second = package(tmp_path / "b.xlsx", "2025-01", 2)
    package(tmp_path / "c.xlsx", "2025-01", 1)
    seen = package(tmp_path / "d.xlsx", "2024-12")
    paths = [tmp_path / n for n in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx")]
    notes = _run_here(paths, frozenset({seen.export_id}))
    metas = [n for n in notes if n[0] == "meta"]
    done = [n for n in notes if n[0] == "done"]
    assert [n[1] for n in metas] == [0, 1, 2, 3] and notes.index(metas[-1]) < notes.index(done[0])
    assert [n[1] for n in done] == [2, 1, 0]  # period, then export number; the seen file is not read
    assert isinstance(done[0][2], PackageData) and done[2][2].meta.export_id == later.export_id
    assert import_order({k: m for _, k, m in metas}, {seen.export_id}) == [2, 1, 0]
    assert done[1][2].meta.export_id == second.export_id


def test_a_declaration_in_a_data_sheet_is_what_refuses_the_file(tmp_path):
    """The data sheets are scanned after the manifest, yet the file is refused as a gate run in
    one go refuses it: for the declaration, even when the manifest is missing or was imported."""
    base = tmp_path / "base.xlsx"
    imported = package(base)
    bad = patched(base, tmp_path / "bad.xlsx", {MEMBERS: _doctype})
    parts = read_parts(bad)
    meta = sheet_part(parts, "_meta")
    no_meta = write_zip(tmp_path / "no_meta.xlsx", [e for e in parts if e.name != meta])
    with pytest.raises(NotAPackageError, match="DOCTYPE"):
        package_manifest(no_meta, defer_data=True)
    with pytest.raises(NotAPackageError, match="DOCTYPE"):
        run_job(read_package(bad))
    (note,) = [n for n in _run_here([bad], frozenset({imported.export_id})) if n[0] == "meta"]
    assert "DOCTYPE" in note[2] and "bad.xlsx" in note[2]


def test_a_file_changed_after_its_manifest_was_read_is_checked_again(tmp_path):
    path = tmp_path / "p.xlsx"
    package(path)
    manifest = package_manifest(path, defer_data=True)
    far = patched(path, tmp_path / "far.xlsx", {MEMBERS: add_rows(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')})
    os.replace(far, path)
    with pytest.raises(PackageTamperedError, match="范围"):
        run_job(read_package(path, manifest))


# -- a worker that dies: a top-level function, imported by name in the worker ------------------
def _dies_on_crash_files(emit, paths, seen, known, done):
    started: set[int] = set()

    def watch(note):
        emit(note)  # the worker says which file it starts on, then works on it
        if note[0] == "file":
            name = Path(paths[note[1]]).name
            if name.startswith("crash_manifest") or (name.startswith("crash_read") and note[1] in started):
                os.abort()
            started.add(note[1])

    read_in_import_order(watch, paths, seen, known, done)


def test_a_file_that_kills_the_worker_refuses_only_that_file(tmp_path, monkeypatch):
    monkeypatch.setattr(package_stream, "read_in_import_order", _dies_on_crash_files)
    names = ["a.xlsx", "crash_manifest.xlsx", "crash_read.xlsx", "b.xlsx"]
    for name, (period, sequence) in zip(names, [("2025-01", 1), ("2025-01", 3), ("2025-01", 2), ("2025-02", 1)]):
        package(tmp_path / name, period, sequence)
    stream = PackageStream([tmp_path / n for n in names])
    try:
        metas = run_job(stream.metas())
        assert isinstance(metas[0], PackageMeta) and isinstance(metas[2], PackageMeta)
        assert "crash_manifest.xlsx" in metas[1] and "意外中止" in metas[1]
        assert run_job(stream.take(0)).meta.period == "2025-01"
        with pytest.raises(NotAPackageError, match="意外中止") as refused:
            run_job(stream.take(2))
        assert "crash_read.xlsx" in refused.value.message
        assert run_job(stream.take(3)).meta.period == "2025-02"
    finally:
        stream.close()
