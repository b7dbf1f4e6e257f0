"""Counts of the records per kind, for the window's overview and the status bar."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import records as R
from ..storage.repositories import AuditLog, repository_for
from .check import LABELS
from .store import Store


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]


def overview(store: Store) -> Overview:
    with store.db.read() as s:
        audit = AuditLog(s, "")
        return Overview({label: repository_for(t, s, audit).count() for t, label in LABELS.items() if t is not R.Township})
