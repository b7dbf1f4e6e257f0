"""Whatever text the database holds survives the monthly package: exported at the township and
imported at the district, every member comes back exactly — or, where a text held characters an
.xlsx cell cannot store, exactly in the documented cleaned form (``cells.sanitize_text``: those
control characters removed, ``\\r\\n`` and ``\\r`` made ``\\n``). Texts that look like formulas stay
text, ID numbers and phones made of digits (leading zeros, 20 digits) stay text, and no
character aborts the save."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import package_records as P
import pytest
from conftest import TOWNSHIP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import Gender
from dangjian_desktop.domain.errors import DomainError
from dangjian_desktop.exchange.cells import sanitize_text
from dangjian_desktop.exchange.package_spec import MAX_CELL_TEXT
from dangjian_desktop.services.package_export import export_package
from dangjian_desktop.services.package_import import ImportOptions, Status, import_packages
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit

STAMP = datetime(2026, 10, 1, 2, 3, 4, tzinfo=UTC)
TEXT_FIELDS = ("name", "ethnicity", "address", "floating_destination", "leave_reason", "notes")
PREFIXES = ["=", "+", "-", "@", "=cmd|' /C calc'!A0", '=HYPERLINK("http://example.invalid")', "=SUM(A1:A9)", "0",
            "'", "\t", " ", "_x0041_", "TRUE", "1e5", "2026-11-26", "\r\n"]

# A text is drawn as its parts (kept small, so that a failing example stays readable) and
# built in the test: a prefix, two pieces of any text around some control characters, and a
# repeat count that makes it long (up to Excel's 32,767 characters).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # no lone surrogates
controls = st.text(st.characters(max_codepoint=0x1F), max_size=6)
texts = st.tuples(st.sampled_from(["", *PREFIXES]), any_text, controls, any_text,
                  st.sampled_from([1, 1, 1, 1, 50, 900]))
digits = st.from_regex(r"\A(?:0{0,3}[0-9]{1,20}[Xx]?|[0-9]{17}[0-9X])\Z")


def text_of(spec: str | tuple[str, str, str, str, int]) -> str:
    if isinstance(spec, str):
        return spec
    prefix, head, control, tail, repeat = spec
    text = ((prefix + head + control + tail) * repeat)[:MAX_CELL_TEXT]
    units = text.encode("utf-16-le")[: 2 * MAX_CELL_TEXT]  # Excel counts UTF-16 units
    return units.decode("utf-16-le", errors="ignore")  # (a pair cut in two is dropped)


@st.composite
def members(draw):
    """Up to 30 people as (ID, phone, texts) drawn as parts."""
    n = draw(st.integers(1, 30))
    ids = draw(st.lists(st.one_of(digits, texts), min_size=n, max_size=n, unique_by=text_of))
    return [(i, draw(st.one_of(digits, texts)), [draw(texts) for _ in TEXT_FIELDS]) for i in ids]


def build(specs) -> list[R.Member]:
    return [R.Member(township_code=TOWNSHIP.code, created_at=STAMP, updated_at=STAMP, gender=Gender.FEMALE,
                     id_number=text_of(i), phone=text_of(phone), **{f: text_of(t) for f, t in zip(TEXT_FIELDS, fields)})
            for i, phone, fields in specs]


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    root = tmp_path_factory.mktemp("templates")
    with Store.open(root / "township.db") as township:
        init_unit(township, TOWNSHIP)
    P.district_store(root / "district.db").close()
    return root


def expected(member: R.Member) -> R.Member:
    """What the district must hold: the documented cleaned form of every text."""
    return dataclasses.replace(member, **{f: sanitize_text(getattr(member, f))
                                          for f in (*TEXT_FIELDS, "id_number", "phone")})


def round_trip(templates: Path, people: list[R.Member]) -> tuple[list[R.Member], int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("township.db", "district.db"):
            shutil.copyfile(templates / name, folder / name)
        with Store.open(folder / "township.db") as township, Store.open(folder / "district.db") as district:
            P.add_records(township, people)
            stored = P.all_records(township)[R.Member]
            result = run_job(export_package(township, "2025-01", folder / "out"))
            report = run_job(import_packages(district, [result.path], ImportOptions(add_townships=True)))
            assert report.packages[0].status is Status.IMPORTED, report.packages[0].message
            received = P.all_records(district)[R.Member]
        assert stored == sorted(people, key=lambda m: m.uuid)  # the database keeps what it is given
        return received, result.cleaned_texts


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(specs=members())
def test_every_text_comes_back_exactly_or_cleaned_as_documented(templates, specs):
    people = build(specs)
    received, cleaned = round_trip(templates, people)
    want = sorted(map(expected, people), key=lambda m: m.uuid)
    assert received == want
    changed = sum(getattr(m, f) != sanitize_text(getattr(m, f))
                  for m in people for f in (*TEXT_FIELDS, "id_number", "phone"))
    assert cleaned == changed


def test_ids_and_formulas_stay_text_in_the_file(templates, tmp_path):
    """Read back the package as Excel would: the cells are text, never numbers or formulas."""
    from python_calamine import CalamineWorkbook

    people = [R.Member(township_code=TOWNSHIP.code, created_at=STAMP, updated_at=STAMP, name="=cmd|' /C calc'!A0",
                       gender=Gender.MALE, id_number="000000000000000123", phone="013800138000",
                       address="=1+1", notes="@SUM(1)")]
    with Store.open(tmp_path / "t.db") as township:
        init_unit(township, TOWNSHIP)
        P.add_records(township, people)
        path = run_job(export_package(township, "2025-01", tmp_path / "out")).path
    import zipfile

    with zipfile.ZipFile(path) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    row = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("党员").to_python()[1]
    assert {"=cmd|' /C calc'!A0", "000000000000000123", "013800138000", "=1+1", "@SUM(1)"} <= set(row)


@pytest.mark.parametrize("notes", ["长" * (MAX_CELL_TEXT + 1), "𠀀" * (MAX_CELL_TEXT // 2 + 1)],
                         ids=["32768 characters", "16384 characters of two units each"])
def test_a_text_longer_than_a_cell_is_refused_naming_the_record(templates, tmp_path, notes):
    person = R.Member(township_code=TOWNSHIP.code, created_at=STAMP, updated_at=STAMP, name="周某",
                      gender=Gender.MALE, id_number="1", notes=notes)
    with Store.open(tmp_path / "t.db") as township:
        init_unit(township, TOWNSHIP)
        P.add_records(township, [person])
        with pytest.raises(DomainError, match="「党员」表第 2 行「备注」列") as err:
            run_job(export_package(township, "2025-01", tmp_path / "out"))
    assert "32,767" in err.value.message
    assert not list((tmp_path / "out").glob("*.xlsx"))  # nothing half-written left behind
