"""Every file of the hostile corpus (``hostile_files.py``) against both importers, through the
services as the window and the command line use them: the package import's preview and the
import itself at a district database, the roster preview at a township database.

Each case must end in the expected way — a refusal (one Chinese sentence naming the file and
containing the case's word) or a preview listing it — within a time limit (a hang fails the
case), with the worker processes and this process within their memory bounds, and with
nothing written to either database (row counts of every table and the audit log unchanged).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import hostile_files as H
import package_records as P
import pytest
from conftest import TODAY, TOWNSHIP

from dangjian_desktop.domain.errors import DomainError
from dangjian_desktop.exchange.isolation import Limits
from dangjian_desktop.services import isolated_reads, package_stream
from dangjian_desktop.services.package_export import export_package
from dangjian_desktop.services.package_import import ImportOptions, Status, import_packages, preview_packages
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.services.roster_import import ImportOptions as RosterOptions
from dangjian_desktop.services.roster_import import RosterImport
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit

CASE_SECONDS = 30  # a case still running after this has hung
LIMITS = Limits(timeout_s=20, memory_mb=1024)  # the worker's limits in this test
PARENT_GROWTH_MB = 300
ADD = ImportOptions(add_townships=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The base package (exported by the program), the corpus made from it, and two empty
    databases to copy for each case (a district and a township)."""
    root = tmp_path_factory.mktemp("hostile")
    with Store.open(root / "source.db") as source:
        init_unit(source, TOWNSHIP)
        P.add_records(source, P.township_records())
        base = run_job(export_package(source, "2025-01", root / "base")).path
    with Store.open(root / "township.db") as township:
        init_unit(township, TOWNSHIP)
    P.district_store(root / "district.db").close()
    files = H.build_corpus(root / "files", base)
    return base, files, root


@pytest.fixture
def databases(corpus, tmp_path, monkeypatch):
    """A fresh district and township database for this case, and short worker limits."""
    monkeypatch.setattr(package_stream, "PACKAGE_LIMITS", LIMITS)
    monkeypatch.setattr(isolated_reads, "ROSTER_LIMITS", LIMITS)
    _base, _files, root = corpus
    paths = []
    for name in ("district.db", "township.db"):
        shutil.copyfile(root / name, tmp_path / name)  # closed, checkpointed: a plain copy is whole
        paths.append(tmp_path / name)
    with Store.open(paths[0], create=False) as district, Store.open(paths[1], create=False) as township:
        yield district, township


def _state(path: Path) -> dict[str, int]:
    """Rows in every table, and the last audit entry."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        state = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        state["audit_log.max_id"] = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    return state


def _within(seconds: float, fn):
    """``fn()``'s result, or a failure if it has not returned after ``seconds`` (a hang)."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s"
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["value"]


def _roster_preview(store: Store, path: Path) -> tuple[str, object]:
    """``("refused", message)`` or ``("preview", (counts, text of problems and notes))``."""
    try:
        with RosterImport.open(store, path, "members", today=TODAY) as job:
            plan = run_job(job.preview(RosterOptions()))
    except DomainError as exc:
        return "refused", exc.message
    return "preview", (plan.counts, "\n".join([p.text() for p in plan.problems()] + plan.notes))


def _package(store: Store, path: Path, dry_run: bool):
    job = preview_packages if dry_run else import_packages
    (outcome,) = run_job(job(store, [path], ADD)).packages
    return outcome


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * 4096 / 1024 / 1024


def test_the_corpus_is_large_enough_and_named_once():
    names = [c.name for c in H.CASES]
    assert len(names) >= 40 and len(set(names)) == len(names)


def test_the_untouched_base_package_passes_both(corpus, databases):
    """The control: the harness tells a good file from a bad one."""
    base, _files, _root = corpus
    district, township = databases
    assert _package(district, base, dry_run=True).status is Status.PREVIEW
    kind, (counts, _text) = _roster_preview(township, base)
    assert kind == "preview" and sum(counts.values()) > 0


@pytest.mark.parametrize("case", H.CASES, ids=lambda c: c.name)
def test_a_hostile_file_is_refused_by_both_importers(case, corpus, databases):
    base, files, _root = corpus
    path = files[case.name]
    district, township = databases
    before = (_state(district.path), _state(township.path))
    rss_before = _rss_mb() if sys.platform.startswith("linux") else 0.0
    started = time.monotonic()

    preview = _within(CASE_SECONDS, lambda: _package(district, path, dry_run=True))
    assert preview.status is Status.REFUSED, preview.message
    assert case.package in preview.message and path.name in preview.message, preview.message
    imported = _within(CASE_SECONDS, lambda: _package(district, path, dry_run=False))
    assert imported.status is Status.REFUSED and imported.message == preview.message

    kind, result = _within(CASE_SECONDS, lambda: _roster_preview(township, path))
    if case.roster_refused:
        assert kind == "refused", result
        assert case.roster in result and path.name in result, result  # type: ignore[operator]
    else:
        assert kind == "preview", result
        counts, text = result  # type: ignore[misc]
        if case.roster:
            assert case.roster in text, text
        else:  # nothing the file adds changes what the base package gives
            assert counts == _roster_preview(township, base)[1][0]  # type: ignore[index]

    assert time.monotonic() - started < 2 * CASE_SECONDS
    assert (_state(district.path), _state(township.path)) == before, "something was written"
    if sys.platform.startswith("linux"):
        import resource

        children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        assert children_mb < LIMITS.memory_mb + 400, f"a worker used {children_mb:.0f} MB"
        assert _rss_mb() - rss_before < PARENT_GROWTH_MB, "the window's process grew"


@pytest.mark.parametrize("name", ["truncated_half", "truncated_tail", "zip_header_only"])
def test_a_broken_zip_is_refused_in_chinese_only(name, corpus, databases):
    """The clerk reads the refusal: no English text of Python's zip module inside it."""
    _base, files, _root = corpus
    message = _package(databases[0], files[name], dry_run=True).message
    assert "已损坏" in message
    assert not re.search(r"[A-Za-z]+ [A-Za-z]+", message.replace(files[name].name, "")), message
