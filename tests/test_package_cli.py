"""``export``, ``import`` and ``review`` on the command line: exit codes, output, --json keys."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import run


def _township_db(capsys, tmp_path: Path, code: str, name: str) -> Path:
    db = tmp_path / f"{code}.db"
    assert run(capsys, "init", "--db", db, "--mode", "township", "--code", code, "--name", name)[0] == 0
    return db


def test_export_import_review_and_receipt(capsys, tmp_path):
    db = _township_db(capsys, tmp_path, "410999101000", "青石镇")
    code, out, err = run(capsys, "export", "--db", db, "--period", "2025-01", "--out", tmp_path / "out")
    assert code == 0, err
    package = Path(out.strip())
    assert package.is_file() and package.name == "410999101000_青石镇_2025-01.xlsx" and "导出成功" in err

    district = tmp_path / "district.db"
    run(capsys, "init", "--db", district, "--mode", "district", "--code", "410999000000", "--name", "青川区")
    code, _out, err = run(capsys, "import", "--db", district, package)
    assert code == 1 and err.count("错误：") == 1 and "--add-townships" in err

    code, out, err = run(capsys, "import", "--db", district, "--json", "--add-townships", package)
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"dry_run", "ok", "packages"} and report["ok"] is True
    [p] = report["packages"]
    assert p["status"] == "imported" and p["township_code"] == "410999101000" and p["period"] == "2025-01"
    assert set(p) >= {"file", "message", "export_id", "sequence", "checksum", "counts", "problems", "problem_total",
                      "cross_township", "roll_forward", "warnings", "needs_township_confirmation"}
    assert p["counts"]["乡镇"] == {"rows": 1, "new": 1, "changed": 0, "unchanged": 0, "removed": 0}

    code, out, _err = run(capsys, "import", "--db", district, package)
    assert code == 0 and "已导入" in out

    code, out, err = run(capsys, "review", "--db", district, "--township", "410999101000", "--period", "2025-01",
                         "--status", "已通过", "--receipt", tmp_path / "receipts")
    assert code == 0, err
    receipt = Path(out.strip())
    code, out, err = run(capsys, "import", "--db", db, receipt)
    assert code == 0 and "已通过" in out, err
    code, _out, err = run(capsys, "import", "--db", db, package)
    assert code == 1 and "不能导入乡镇月报数据包" in err


def test_import_refuses_what_is_not_a_package(capsys, tmp_path):
    district = tmp_path / "district.db"
    run(capsys, "init", "--db", district, "--mode", "district", "--code", "410999000000", "--name", "青川区")
    bogus = tmp_path / "名单.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not really")
    code, _out, err = run(capsys, "import", "--db", district, "--dry-run", bogus)
    assert code == 1 and "这不是月报数据包" in err and "Traceback" not in err


def test_export_needs_a_valid_month(capsys, tmp_path):
    db = _township_db(capsys, tmp_path, "410999101000", "青石镇")
    code, _out, err = run(capsys, "export", "--db", db, "--period", "2025-13", "--out", tmp_path)
    assert code == 1 and "YYYY-MM" in err and err.count("\n") == 1


def test_a_district_exports_one_township(capsys, tmp_path):
    district = tmp_path / "district.db"
    run(capsys, "init", "--db", district, "--mode", "district", "--code", "410999000000", "--name", "青川区")
    code, _out, err = run(capsys, "export", "--db", district, "--period", "2025-01", "--out", tmp_path)
    assert code == 1 and "--township" in err


def _edit_receipt(path: Path, sheet: str, key: str, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row = next(r for r in ws.iter_rows() if r[0].value == key)
    row[1].value = value
    wb.save(path)


@pytest.mark.parametrize(("tamper", "refusal"), [
    ("status", "与校验码不符"), ("meta_township", "与校验码不符"), ("other_township", "不是本乡镇"),
])
def test_a_receipt_dry_run_refuses_what_the_import_refuses(capsys, tmp_path, tamper, refusal):
    db = _township_db(capsys, tmp_path, "410999101000", "青石镇")
    code, out, err = run(capsys, "export", "--db", db, "--period", "2025-01", "--out", tmp_path / "out")
    district = tmp_path / "district.db"
    run(capsys, "init", "--db", district, "--mode", "district", "--code", "410999000000", "--name", "青川区")
    assert run(capsys, "import", "--db", district, "--add-townships", out.strip())[0] == 0
    code, out, err = run(capsys, "review", "--db", district, "--township", "410999101000", "--period", "2025-01",
                         "--status", "退回修改", "--reason", "缺联系电话", "--receipt", tmp_path / "receipts")
    assert code == 0, err
    receipt = Path(out.strip())
    if tamper == "status":
        _edit_receipt(receipt, "回执", "审核结果", "已通过")
    elif tamper == "meta_township":
        _edit_receipt(receipt, "_meta", "township_code", "410999102000")
    else:
        db = _township_db(capsys, tmp_path, "410999102000", "白河乡")

    code, out, err = run(capsys, "import", "--db", db, "--dry-run", receipt)
    assert code == 1 and out == "" and refusal in err and "有效" not in err, err
    dry = err
    code, out, err = run(capsys, "import", "--db", db, "--dry-run", "--json", receipt)
    [entry] = json.loads(out)["receipts"]
    assert code == 1 and entry["status"] == "refused" and refusal in entry["message"]
    code, _out, err = run(capsys, "import", "--db", db, receipt)
    assert code == 1 and err == dry  # the same refusal, word for word
    code, out, _err = run(capsys, "review", "--db", db)
    assert out.strip() == "还没有导入任何数据包"


def test_a_receipt_dry_run_writes_nothing_and_says_what_the_import_would_do(capsys, tmp_path):
    db = _township_db(capsys, tmp_path, "410999101000", "青石镇")
    _code, out, _err = run(capsys, "export", "--db", db, "--period", "2025-01", "--out", tmp_path / "out")
    district = tmp_path / "district.db"
    run(capsys, "init", "--db", district, "--mode", "district", "--code", "410999000000", "--name", "青川区")
    run(capsys, "import", "--db", district, "--add-townships", out.strip())
    _code, out, _err = run(capsys, "review", "--db", district, "--township", "410999101000", "--period", "2025-01",
                           "--status", "已通过", "--receipt", tmp_path / "receipts")
    receipt = Path(out.strip())
    code, out, err = run(capsys, "import", "--db", db, "--dry-run", receipt)
    assert code == 0 and "有效的审核回执" in out and "已通过" in out, err
    assert run(capsys, "review", "--db", db)[1].strip() == "还没有导入任何数据包"
    assert run(capsys, "import", "--db", db, receipt)[0] == 0
    code, out, _err = run(capsys, "import", "--db", db, "--dry-run", receipt)
    assert code == 0 and "已导入过" in out


def _broken_files(folder: Path) -> list[Path]:
    folder.mkdir()
    truncated = folder / "truncated.xlsx"
    book = openpyxl.Workbook()
    book.save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:300])
    text = folder / "text.xlsx"
    text.write_text("姓名,身份证号\n", encoding="utf-8")
    no_meta = folder / "no_meta.xlsx"
    book.save(no_meta)
    return [truncated, text, no_meta]


@pytest.mark.parametrize(("mode", "sender", "other"), [("township", "区里", "乡镇"), ("district", "乡镇", "区里")])
def test_a_broken_file_sends_the_clerk_to_whoever_made_it(capsys, tmp_path, mode, sender, other):
    db = tmp_path / "unit.db"
    code = "410999101000" if mode == "township" else "410999000000"
    run(capsys, "init", "--db", db, "--mode", mode, "--code", code, "--name", "青石镇" if mode == "township" else "青川区")
    for path in _broken_files(tmp_path / "files"):
        for dry_run in (["--dry-run"], []):
            rc, _out, err = run(capsys, "import", "--db", db, *dry_run, path)
            assert rc == 1 and err.count("错误：") == 1 and path.name in err, err
            assert sender in err and f"让{other}" not in err and f"选择{other}" not in err, err
            assert ("审核回执" in err) == (mode == "township"), err


@pytest.mark.parametrize("name", ["包 副本.xls", "包副本"])
def test_a_package_saved_under_another_extension_is_read_by_its_content(capsys, tmp_path, name):
    """calamine picks its reader by the extension: an .xlsx named .xls (or nothing) was refused
    as damaged, with the library's English words."""
    db = _township_db(capsys, tmp_path, "410999101000", "青石镇")
    code, out, err = run(capsys, "export", "--db", db, "--period", "2025-01", "--out", tmp_path / "out")
    assert code == 0, err
    renamed = Path(out.strip()).rename(tmp_path / name)
    district = tmp_path / "district.db"
    run(capsys, "init", "--db", district, "--mode", "district", "--code", "410999000000", "--name", "青川区")
    code, out, err = run(capsys, "import", "--db", district, "--json", "--add-townships", renamed)
    assert code == 0, err
    assert json.loads(out)["packages"][0]["status"] == "imported"
