"""Typed domain errors: each carries the field it concerns and a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "提示"


class DomainError(Exception):
    """Base of every error the domain raises; ``message`` is Chinese and shown to the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """A value the clerk gave is wrong; ``field`` names the record field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


class IdNumberError(ValidationError):
    """A 身份证号 fails GB 11643-1999 (length, characters, check digit, birth date, gender)."""


class PhoneError(ValidationError):
    """A phone number is neither an 11-digit mobile nor a landline with its area code."""


class DateError(ValidationError):
    """A date cannot be read, is impossible, lies in the future, or breaks an order rule."""


class EnumValueError(ValidationError):
    """A value is not one of the codes the field allows."""


class RequiredError(ValidationError):
    """A required field is empty."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about one record: an error blocks saving, a warning does not."""

    field: str
    message: str
    severity: Severity = Severity.ERROR

    @classmethod
    def from_error(cls, err: ValidationError, severity: Severity = Severity.ERROR) -> "Issue":
        return cls(err.field, err.message, severity)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR
