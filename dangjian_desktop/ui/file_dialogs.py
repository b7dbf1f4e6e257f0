"""The program's file dialogs (open, open several, save, choose a folder), in Chinese.

Qt's ``qtbase_zh_CN`` translation, loaded at start (``app.py``), is older than the Qt that
PySide6 6.11 ships: Qt 6.11's own file dialog asks for ``&Look in:`` and ``Files of &type:``
(the translation has only ``Look in:`` and ``Files of type:``) and names a folder's type with a
disambiguated ``Folder`` it does not have, so on a desktop where Qt draws its own dialog (Linux
without a platform theme) those showed in English. ``ExtraChinese`` adds them; it is
installed the first time a file dialog opens — not at start, where every ``tr()`` of the first
screen would also be asked of it — and every file dialog of the program opens through the
functions here (``tests/ui/test_file_dialogs.py`` checks both).

Windows shows its own dialogs, in the system's language. A file's type in the list (``Microsoft
Excel Worksheet``) is the system's MIME description, in the system's language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QFileDialog, QWidget

# (context, source text) → Chinese, worded and keyed like the rest of qtbase_zh_CN.
EXTRA: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
}


class ExtraChinese(QTranslator):
    """The few strings of Qt's file dialog that ``qtbase_zh_CN`` lacks."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,  # type: ignore[override]
                  n: int = -1) -> str | None:
        return EXTRA.get((context, source_text))  # None (a null string): ask the next translation

    def isEmpty(self) -> bool:  # noqa: N802
        return False


def install_extra_chinese() -> None:
    """Install ``ExtraChinese`` into the application (once: the installed one is the
    application's child, and only that one is)."""
    app = QCoreApplication.instance()
    if app is not None and app.findChild(ExtraChinese) is None:
        QCoreApplication.installTranslator(ExtraChinese(app))


def open_file_name(parent: QWidget | None, caption: str, directory: str = "", filters: str = "") -> str:
    """One existing file, or "" when cancelled."""
    install_extra_chinese()
    return QFileDialog.getOpenFileName(parent, caption, directory, filters)[0]


def open_file_names(parent: QWidget | None, caption: str, directory: str = "", filters: str = "") -> list[str]:
    """Existing files, or [] when cancelled."""
    install_extra_chinese()
    return QFileDialog.getOpenFileNames(parent, caption, directory, filters)[0]


def save_file_name(parent: QWidget | None, caption: str, suggested: str = "", filters: str = "") -> str:
    """Where to save (Qt has asked before replacing a file), or "" when cancelled."""
    install_extra_chinese()
    return QFileDialog.getSaveFileName(parent, caption, suggested, filters)[0]


def existing_directory(parent: QWidget | None, caption: str, directory: str = "") -> str:
    """An existing folder, or "" when cancelled."""
    install_extra_chinese()
    return QFileDialog.getExistingDirectory(parent, caption, directory)
