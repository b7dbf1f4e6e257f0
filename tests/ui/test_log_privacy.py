"""No 身份证号 and no phone number reaches the crash log, however it is written, wherever in the
exception (message, the exception it came from, a note) it sits."""

from __future__ import annotations

from datetime import date

import factories as F

from dangjian_desktop.domain.idcard import make_id_number
from dangjian_desktop.ui.errors import LOG_NAME, ErrorReporter, scrub

ID_X = make_id_number("410999", date(1985, 3, 9), 9)  # ends in X
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def personal_data() -> list[str]:
    plain = F.id_number()
    return [
        plain, ID_X, ID_X.lower(), plain[:6] + plain[8:17],  # 18 digits, X, x, the old 15-digit form
        f"{plain[:6]} {plain[6:14]} {plain[14:]}",  # typed in groups
        ID_X.translate(FULL_WIDTH),  # typed with a Chinese input method
        "13812345678", "+8613912345678", "+86 139 1234 5678", "137-1234-5678", "１３６１２３４５６７８",
        "0371-12345678", "(0371)12345679", "010 87654321",
    ]


def test_the_log_holds_the_error_but_no_id_numbers_or_phones(tmp_path):
    data = personal_data()
    reporter = ErrorReporter(tmp_path / "logs")
    try:
        try:
            raise KeyError(f"记录 {data[0]} 电话 {data[6]}")
        except KeyError as inner:
            error = RuntimeError("导入 " + "，".join(data[1:]))
            error.add_note(f"第 3 行：{data[4]}，{data[10]}")
            raise error from inner
    except RuntimeError as exc:
        reporter.log(exc)
    reporter.close()
    log = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert "RuntimeError" in log and "KeyError" in log and "Traceback" in log and "第 3 行" in log
    leaked = [d for d in data if d in log or d.replace(" ", "") in log]
    assert leaked == []
    assert log.count("[身份证号]") >= 6 and log.count("[电话]") >= 8


def test_ordinary_numbers_stay():
    text = "第 12345 行，2026-11-26 12:30:01，共 1,234 人，金额 100000.5，区划代码 410999101000"
    assert scrub(text) == text
