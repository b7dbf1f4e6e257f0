"""Printable PDFs (ui/report_printing.py, ui/report_dialog.py): A4 landscape pages with the
header row on each, page numbers, the 制表人/审核人 lines at the end, wrapped long cells, masked
IDs, the print preview and the 统计 menu entries. The PDFs are read back with pypdf."""

from __future__ import annotations

import re
from datetime import date

import factories as F
import pytest
from conftest import TODAY
from pypdf import PdfReader
from PySide6.QtGui import QAction, QPageLayout, QPdfWriter
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog

from dangjian_desktop.exchange.columns import Column, Kind
from dangjian_desktop.services.reports import ROW_NUMBER, ReportKind, ReportOptions, ReportService, ReportTable
from dangjian_desktop.ui.main_window import MainWindow
from dangjian_desktop.ui.report_dialog import PrintReportDialog
from dangjian_desktop.ui.report_printing import ReportPrintError, ReportRenderer
from ui_helpers import add_records, boxes, ctx, small_township  # noqa: F401 - fixtures
from write_faults import refuse_writes

FULL_ID = re.compile(r"[0-9]{17}[0-9X]")
COLUMNS = (ROW_NUMBER, Column("name", "姓名", Kind.TEXT, 10), Column("id_number", "身份证号", Kind.ID_NUMBER, 21),
           Column("on", "入党时间", Kind.DATE, 12), Column("notes", "备注", Kind.TEXT, 20))


def table_of(n: int, notes: str = "") -> ReportTable:
    rows = [(i + 1, f"测试人员{i + 1:05d}", "410***********0011", date(2001, 7, 1), notes) for i in range(n)]
    return ReportTable("测试镇党员花名册", "测试镇", "截至 2026年11月26日", COLUMNS, rows, f"共 {n:,} 人")


def pdf_pages(path) -> list[str]:
    """Each page's text, with the line breaks pypdf puts between drawn strings removed."""
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(path).pages]


def capacities(table: ReportTable, tmp_path) -> list[int]:
    writer = QPdfWriter(str(tmp_path / "measure.pdf"))
    writer.setResolution(300)
    renderer = ReportRenderer(table, TODAY)
    renderer.prepare(writer)
    return [len(p.rows) for p in renderer.paginate(writer)]


def test_a_long_table_breaks_into_pages_with_the_header_row_on_each(qapp, tmp_path):
    first, later, *_ = capacities(table_of(400), tmp_path)
    assert 15 < first < later < 60  # A4 landscape, 9 pt: the first page also carries the title
    n = first + 2 * later + 1
    path = tmp_path / "roster.pdf"
    assert ReportRenderer(table_of(n), TODAY).write_pdf(path) == 4
    reader = PdfReader(path)
    assert len(reader.pages) == 4
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4, landscape
    pages = pdf_pages(path)
    assert "测试镇党员花名册" in pages[0] and "共400人" not in pages[0] and f"共{n:,}人" in pages[0]
    for k, text in enumerate(pages, start=1):
        assert all(c.header in text for c in COLUMNS), k  # the header row again
        assert f"第{k}页共4页" in text
    starts = [1, first + 1, first + later + 1, n]  # the first row of each page …
    for k, text in enumerate(pages):
        assert f"测试人员{starts[k]:05d}" in text
        if k:  # … and the row before it was on the page before
            assert f"测试人员{starts[k] - 1:05d}" not in text and f"测试人员{starts[k] - 1:05d}" in pages[k - 1]
    assert "制表人" in pages[-1] and "审核人" in pages[-1] and "制表人" not in "".join(pages[:-1])
    assert "（续）" in pages[1] and "填报单位：测试镇" in pages[0]


def test_a_long_cell_wraps_inside_its_column_and_its_row_grows(qapp, tmp_path):
    long_note = "因外出务工长期不在本村，" * 8
    table = table_of(3)
    table.rows[1] = (*table.rows[1][:4], long_note)
    path = tmp_path / "wrapped.pdf"
    renderer = ReportRenderer(table, TODAY)
    renderer.write_pdf(path)
    assert renderer.row_h[1] > 1.5 * renderer.row_h[0] and renderer.row_h[0] == renderer.row_h[2]
    assert renderer.row_h[0] < 1.5 * renderer.fm.height() + 2 * renderer.pad  # the short rows keep one line
    assert long_note in pdf_pages(path)[0]


def test_an_empty_list_still_prints_its_heading_and_signature_lines(qapp, tmp_path):
    path = tmp_path / "empty.pdf"
    assert ReportRenderer(table_of(0), TODAY).write_pdf(path) == 1
    (text,) = pdf_pages(path)
    assert "（无记录）" in text and "制表人" in text and "共0人" in text


def test_a_masked_roster_pdf_holds_no_full_id_number(ctx, qapp, tmp_path):
    people = small_township(ctx.store)
    service = ReportService(ctx.store, ctx.today)
    masked, full = tmp_path / "masked.pdf", tmp_path / "full.pdf"
    ReportRenderer(service.build(ReportOptions(ReportKind.MEMBERS)), TODAY).write_pdf(masked)
    ReportRenderer(service.build(ReportOptions(ReportKind.MEMBERS, mask=False)), TODAY).write_pdf(full)
    masked_text, full_text = "".join(pdf_pages(masked)), "".join(pdf_pages(full))
    ids = [people[n].id_number for n in ("张三", "李四", "王建国")]
    assert not FULL_ID.search(masked_text) and "隐去部分数字" in masked_text
    for id_number in ids:
        assert id_number[:3] + "*" * 11 + id_number[-4:] in masked_text
        assert id_number in full_text  # the unmasked list does print them (the check above can fail)


def test_a_pdf_is_not_written_into_a_missing_folder(qapp, tmp_path):
    with pytest.raises(ReportPrintError, match="不存在"):
        ReportRenderer(table_of(2), TODAY).write_pdf(tmp_path / "nowhere" / "x.pdf")
    assert list(tmp_path.iterdir()) == []


_FILLED_DISK = """
import resource, signal, sys
sys.path.insert(0, sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
from PySide6.QtWidgets import QApplication
from datetime import date
from test_report_printing import table_of
from dangjian_desktop.ui.report_printing import ReportPrintError, ReportRenderer
app = QApplication([])
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
try:
    ReportRenderer(table_of(400), date(2026, 11, 26)).write_pdf(sys.argv[1])
    print("WRITTEN")
except ReportPrintError as exc:
    print("REFUSED", exc.message)
"""


def test_a_pdf_that_the_disk_cannot_hold_is_refused_not_cut_off(tmp_path):
    """The disk fills while the PDF is written (a file size limit makes every write past 20 KB
    fail in this child process): the clerk is told, and no cut-off PDF is left under the name."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    tests = Path(__file__).resolve().parent
    target = tmp_path / "花名册.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(tests), str(tests.parent), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", _FILLED_DISK, str(target), str(tests)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("REFUSED 无法写入") and str(target) in run.stdout, run.stdout
    assert "超过了这个磁盘允许的大小" in run.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_cancelled_pdf_leaves_no_file_behind(qapp, tmp_path):
    job = ReportRenderer(table_of(400), TODAY).write_pdf_job(tmp_path / "cancelled.pdf")
    step = next(job)
    assert step.done == 10 and step.total > 10 and "第 10 页" in step.message
    job.close()  # what the progress dialog's 取消 does
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def many_members(ctx):
    branch = F.branch("东岭村党支部")
    add_records(ctx.store, branch, *(F.member(f"党员{i:03d}", branch_uuid=branch.uuid) for i in range(60)))


def test_the_print_preview_paints_every_page(ctx, qtbot, monkeypatch, many_members):
    seen = []

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        preview = dialog.findChild(QPrintPreviewWidget)
        preview.updatePreview()
        seen.append((preview.pageCount(), dialog.printer()))
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    dialog = PrintReportDialog(ctx, ReportKind.MEMBERS)
    qtbot.addWidget(dialog)
    assert dialog.mask.isChecked()  # masked unless the clerk says otherwise
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: bool(seen))
    pages, printer = seen[0]
    table = ReportService(ctx.store, ctx.today).build(ReportOptions(ReportKind.MEMBERS))
    renderer = ReportRenderer(table, TODAY)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert pages == len(renderer.paginate(printer)) >= 2


def test_export_pdf_writes_the_chosen_file(ctx, qtbot, monkeypatch, boxes, many_members, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "花名册"), ""))
    dialog = PrintReportDialog(ctx, ReportKind.RESERVE)
    qtbot.addWidget(dialog)
    dialog.pdf_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("information")))
    assert (tmp_path / "花名册.pdf").is_file()
    assert "共 1 页" in boxes.texts("information")[0] and "0 行" in boxes.texts("information")[0]
    assert dialog.pdf_button.isEnabled()



def test_a_pdf_into_a_read_only_folder_is_a_warning(ctx, qtbot, monkeypatch, boxes, many_members, tmp_path):
    folder = refuse_writes(monkeypatch, tmp_path / "只读")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(folder / "花名册"), ""))
    dialog = PrintReportDialog(ctx, ReportKind.MEMBERS)
    qtbot.addWidget(dialog)
    dialog.pdf_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")))
    [text] = boxes.texts("warning")
    assert "花名册.pdf" in text and "文件夹是只读的" in text and list(folder.iterdir()) == []
    qtbot.waitUntil(lambda: dialog.pdf_button.isEnabled())

def test_the_statistics_menu_offers_the_three_printouts(ctx, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(PrintReportDialog, "exec", lambda d: opened.append((d.kind, d.windowTitle())) or 0)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    names = [a.objectName() for a in window.menus["stats"].actions()]
    assert names == ["action_statistics", "", "action_print_members", "action_print_reserve", "action_print_requests"]
    for name in names[2:]:
        action = window.findChild(QAction, name)
        assert action.isEnabled()
        action.trigger()
    assert opened == [(ReportKind.MEMBERS, "打印党员花名册"), (ReportKind.RESERVE, "打印后备干部花名册"),
                      (ReportKind.REQUESTS, "打印代办事项台账")]
