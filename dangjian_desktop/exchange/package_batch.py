"""The district's import reading many monthly packages in one go (in its worker process).

``read_in_import_order`` first reads the manifest of every file (``package_manifest``: the
gate, with the data sheets' part left for later), then reads and verifies the packages to
import in the order they will be imported (``import_order``: township, period, export
number), each data sheet scanned once for the gate and its extent (``read_package``). A file
whose export id was imported before is not read; its data sheets are still scanned, so that a
file the gate refuses is refused whatever its manifest says.

Everything it finds goes to ``emit`` as it comes (the worker's notes), one package at a time:
``("file", k)`` when it starts on file ``k``, ``("meta", k, PackageMeta | message)``,
``("sheet", name)``, ``("done", k, PackageData)`` or ``("refused", k, error class, message)``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from .package_meta import PackageMeta
from .package_reader import Manifest, PackageReadError, finish_gate, package_manifest, read_package

Emit = Callable[[object], None]


def import_order(metas: Mapping[int, PackageMeta | str], seen: Collection[str]) -> list[int]:
    """The files to read (manifest read, export id not imported before), in import order."""
    todo = [(m.township_code, m.period, m.sequence, k) for k, m in metas.items()
            if isinstance(m, PackageMeta) and m.export_id not in seen]
    return [k for *_key, k in sorted(todo)]


def read_in_import_order(emit: Emit, paths: list[str], seen: frozenset[str],
                         known: dict[int, PackageMeta | str], done: frozenset[int]) -> None:
    """Manifests of the files not in ``known``, then the packages to import not in ``done``."""
    metas = dict(known)
    manifests: dict[int, Manifest] = {}
    for k, path in enumerate(paths):
        if k in metas:
            continue
        emit(("file", k))
        try:
            manifest = package_manifest(path, defer_data=True)
            assert manifest.meta is not None
            if manifest.meta.export_id in seen:
                finish_gate(manifest.guard)
            else:
                manifest.book = None  # read_package opens it again: no file held open meanwhile
                manifests[k] = manifest
            metas[k] = manifest.meta
        except PackageReadError as exc:
            metas[k] = exc.message
        emit(("meta", k, metas[k]))
    for k in import_order(metas, seen):
        if k in done:
            continue
        emit(("file", k))
        try:
            data = _drain(read_package(Path(paths[k]), manifests.pop(k, None)), emit)
        except PackageReadError as exc:
            emit(("refused", k, type(exc), exc.message))
        else:
            emit(("done", k, data))
            del data  # not kept while the next one is read


def _drain(job, emit: Emit):  # noqa: ANN001, ANN202 - a read_package generator and its result
    while True:
        try:
            step = next(job)
        except StopIteration as stop:
            return stop.value
        emit(("sheet", step[2]))
