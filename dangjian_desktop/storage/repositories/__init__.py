"""Repositories: take a Session, return domain records, never commit."""

from .audit import AuditLog
from .records import (
    ActivityRepository, BranchRepository, MemberRepository, RecordRepository, ReserveCadreRepository,
    ServiceRequestRepository, TownshipRepository, VillageRepository, repository_for,
)
from .settings import SettingsRepository, audit_for

__all__ = [
    "ActivityRepository", "AuditLog", "BranchRepository", "MemberRepository", "RecordRepository",
    "ReserveCadreRepository", "ServiceRequestRepository", "SettingsRepository", "TownshipRepository",
    "VillageRepository", "audit_for", "repository_for",
]
