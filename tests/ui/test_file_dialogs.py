"""ui/file_dialogs.py: Qt's own file dialog (drawn where the desktop has no native one) is
Chinese with the program's translations — qtbase_zh_CN lacks a few of Qt 6.11's strings —
and every file dialog of the program opens through that module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QTreeView

from dangjian_desktop.app import _load_qt_translations
from dangjian_desktop.ui import file_dialogs
from dangjian_desktop.ui.file_dialogs import ExtraChinese

PACKAGE = Path(file_dialogs.__file__).resolve().parent.parent
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def chinese(qapp):
    """The program's Chinese translations, removed again after the test."""
    before = set(qapp.findChildren(QTranslator))
    assert _load_qt_translations(qapp)
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()


def test_every_file_dialog_opens_through_file_dialogs():
    used = re.compile(r"\bQFileDialog\b(?!\")")  # the class, not Qt's translation context "QFileDialog"
    direct = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
              if used.search(p.read_text(encoding="utf-8")) and p.name != "file_dialogs.py"]
    assert direct == []


def test_qts_file_dialog_speaks_chinese(chinese, qtbot, tmp_path):
    (tmp_path / "回执").mkdir()
    (tmp_path / "a.xlsx").write_bytes(b"")
    file_dialogs.install_extra_chinese()
    dialog = QFileDialog(None, "选择", str(tmp_path), "审核回执 (*.xlsx)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.show()
    view = dialog.findChild(QTreeView, "treeView")
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) == 2)
    root = view.rootIndex()
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    texts += [b.text() for b in dialog.findChildren(QPushButton)]
    texts += [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount(root))]
    folder = next(model.index(r, 0, root) for r in range(model.rowCount(root)) if model.index(r, 0, root).data() == "回执")
    texts.append(model.index(folder.row(), 2, root).data())  # its type
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts and "文件夹" in texts
    assert [t for t in texts if ENGLISH_WORD.search(t)] == []


def _remove_extra(qapp) -> None:
    for translator in qapp.findChildren(ExtraChinese):
        QCoreApplication.removeTranslator(translator)
        translator.setParent(None)


def test_each_dialog_function_installs_the_translations_first(qapp, monkeypatch):
    _remove_extra(qapp)
    seen = []

    def fake(*_args):
        seen.append(len(qapp.findChildren(ExtraChinese)))
        return ("", "")

    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(fake))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: fake(*a)[0]))
    assert file_dialogs.open_file_name(None, "选择") == ""
    assert file_dialogs.open_file_names(None, "选择") == ""
    assert file_dialogs.save_file_name(None, "保存") == ""
    assert file_dialogs.existing_directory(None, "文件夹") == ""
    assert seen == [1, 1, 1, 1]  # installed once, before the first dialog
    assert QCoreApplication.translate("QFileDialog", "Files of &type:") == "文件类型(&T)："
    _remove_extra(qapp)
