"""``dangjian-desktop stats``: text, ``--json`` (its keys are the README's), ``--summary-out``,
and one Chinese error line with exit code 1 or 2 for everything a clerk can get wrong.

The hand-made township is asked about 2025 and December 2025, which have ended whatever the
real date is, so the figures do not depend on the day the tests run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import TOWNSHIP
from test_statistics_handmade import build_handmade

from dangjian_desktop.services.statistics import FIGURES
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from cli_helpers import run

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "handmade.db"
    with Store.open(path) as store:
        init_unit(store, TOWNSHIP)
        build_handmade(store)
    return path


def test_json_of_a_year(capsys, db):
    code, out, err = run(capsys, "stats", "--db", str(db), "--year", "2025", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["period"] == {"label": "2025", "start": "2025-01-01", "end": "2025-12-31", "as_of": "2025-12-31"}
    assert doc["income_year"] == 2025 and doc["income_threshold"] == 5.0
    assert [t["code"] for t in doc["townships"]] == ["410999101000"]
    total = doc["total"]
    assert total["members.left.expelled"] == 1  # left on 2025-12-31, the last day
    assert total["members.recruited"] == 1  # 转正甲, admitted 2025-02-01
    assert total["requests.received"] == 1 and total["requests.overdue"] == 0
    assert total["reserve.promoted"] == 1
    assert total["requests.closed_share"] == 0.0 and total["secretaries.mean_age"] == 44.5
    assert total == doc["townships"][0]["figures"]


def test_every_num_and_den_a_figure_names_is_in_the_json(capsys, db):
    """The README's promise: num/den let a consumer recompute a share or a weighted mean."""
    code, out, err = run(capsys, "stats", "--db", str(db), "--year", "2025", "--json")
    assert code == 0, err
    doc = json.loads(out)
    described = {f["key"] for f in doc["figures"]}
    named = {f[k] for f in doc["figures"] for k in ("num", "den") if k in f}
    assert {"secretaries.age_sum", "requests.days_total"} <= named
    assert named <= described
    for figures in [doc["total"], *(t["figures"] for t in doc["townships"])]:
        assert named <= set(figures) and set(figures) == described
    total = doc["total"]
    assert total["secretaries.mean_age"] == round(total["secretaries.age_sum"] / total["secretaries.age_known"], 2)
    helpers = {f["key"] for f in doc["figures"] if f["helper"]}
    assert helpers == {"secretaries.age_sum", "requests.days_total"}
    assert all(f["kind"] == "count" for f in doc["figures"] if f["helper"])

def test_text_and_summary_of_a_month(capsys, db, tmp_path):
    out_file = tmp_path / "汇总表.xlsx"
    code, out, err = run(capsys, "stats", "--db", str(db), "--period", "2025-12", "--summary-out", str(out_file))
    assert code == 0, err
    assert out.startswith("青石镇 2025年12月 统计（统计截止日 2025-12-31")
    # December: each 党支部 owes December's monthly meetings and Q4's quarterly ones (5 × 5 branches);
    # only 西山村第一支部's 主题党日 of 2025-12-31 was held
    assert "【党员队伍】" in out and "  其中出党：1 人" in out and "  三会一课及主题党日完成率：4.00%" in out
    assert f"汇总表已写入 {out_file}" in out
    ws = openpyxl.load_workbook(out_file)["汇总表"]
    assert [ws.cell(r, 2).value for r in (5, 6)] == ["青石镇", "合计"]


def test_json_output_stays_pure_json_with_a_summary(capsys, db, tmp_path):
    code, out, err = run(capsys, "stats", "--db", str(db), "--year", "2025", "--json",
                         "--summary-out", str(tmp_path / "s.xlsx"))
    assert code == 0 and json.loads(out)["format"] == "dangjian-stats"
    assert "汇总表已写入" in err


@pytest.mark.parametrize("argv, exit_code, message", [
    (("--period", "2025-13"), 1, "统计期间“2025-13”不存在"),
    (("--period", "2025/12"), 1, "格式不对"),
    (("--year", "0"), 1, "统计年度 0 不对"),
    (("--year", "2999"), 1, "还没有开始"),
    (("--year", "2025", "--period", "2025-12"), 2, "不能与"),
    (("--year", "abc"), 2, "应为整数"),
])
def test_bad_input_gets_one_chinese_line(capsys, db, argv, exit_code, message):
    code, out, err = run(capsys, "stats", "--db", str(db), *argv)
    assert code == exit_code and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_or_uninitialised_database(capsys, tmp_path):
    code, _out, err = run(capsys, "stats", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "数据库文件" in err and "不存在" in err
    empty = tmp_path / "empty.db"
    with Store.open(empty):
        pass
    code, _out, err = run(capsys, "stats", "--db", str(empty))
    assert code == 1 and "尚未设置单位" in err and err.count("\n") == 1


def test_summary_into_a_missing_folder(capsys, db, tmp_path):
    code, _out, err = run(capsys, "stats", "--db", str(db), "--year", "2025", "--summary-out",
                          str(tmp_path / "no" / "s.xlsx"))
    assert code == 1 and "不存在" in err and err.count("\n") == 1


def _readme_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Statistics (`stats`)"):]
    section = section[:section.index("\n## ", 5)]
    values = {m[1]: re.findall(r"`([^`]+)`", m[2]) for m in re.finditer(r"^- `<(\w+)>`: (.*)$", section, re.M)}
    table = section[section.index("| figure key | meaning |"):]
    patterns = [k for line in table.splitlines() if line.startswith("| `")
                for k in re.findall(r"`([^`]+)`", line.split(" | ")[0])]
    keys: set[str] = set()
    for pattern in patterns:
        expanded = [pattern]
        for name in re.findall(r"<(\w+)>", pattern):
            expanded = [e.replace(f"<{name}>", v) for e in expanded for v in values[name]]
        keys.update(expanded)
    return keys


def test_the_readme_documents_exactly_the_json_figure_keys():
    documented = _readme_keys()
    actual = {d.key for d in FIGURES}  # the helper sums behind the means too: they are in the JSON
    assert documented - actual == set(), "README lists keys the program does not produce"
    assert actual - documented == set(), "keys missing from the README"
