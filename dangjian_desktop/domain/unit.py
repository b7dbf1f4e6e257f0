"""The unit this database belongs to: a township (乡镇) or a district (区), its name, its
12-digit statistical area code (统计用区划代码) and the operator who works on it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .enums import UnitMode
from .errors import RequiredError, ValidationError
from .idcard import ASCII_DIGITS


@dataclass(frozen=True, slots=True)
class UnitSettings:
    mode: UnitMode
    name: str
    code: str
    operator: str = ""
    income_threshold: Decimal = Decimal("5")  # 集体经济收入 threshold reported, 万元

    @property
    def is_district(self) -> bool:
        return self.mode is UnitMode.DISTRICT


def parse_area_code(raw: object, field: str = "code") -> str:
    """A 12-digit 统计用区划代码, ASCII digits only; spaces are ignored."""
    text = "".join(str(raw or "").split())
    if not text:
        raise RequiredError(field, "区划代码不能为空")
    if len(text) != 12 or not set(text) <= ASCII_DIGITS:
        raise ValidationError(field, f"区划代码“{text}”应为 12 位数字（统计用区划代码）")
    return text


def parse_unit_name(raw: object, field: str = "name") -> str:
    text = " ".join(str(raw or "").split())
    if not text:
        raise RequiredError(field, "单位名称不能为空")
    if len(text) > 32:
        raise ValidationError(field, "单位名称不能超过 32 个字")
    return text


def make_unit(mode: str | UnitMode, name: object, code: object, operator: object = "") -> UnitSettings:
    """Check what the first-run dialog or ``init`` was given; raise ``ValidationError``."""
    try:
        unit_mode = UnitMode(mode)
    except ValueError:
        raise ValidationError("mode", "单位类型只能是“乡镇”或“区”") from None
    return UnitSettings(unit_mode, parse_unit_name(name), parse_area_code(code), " ".join(str(operator or "").split()))
