"""Dialogs fit the screen they open on (ui/screen_fit.py): the test screen (offscreen, 800 ×
800) is smaller than what the larger dialogs ask for, as 1024 × 768 office PCs are."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from dangjian_desktop.ui.audit_log_dialog import AuditLogDialog
from dangjian_desktop.ui.screen_fit import FRAME, fitted_size, resize_to_fit
from ui_helpers import ctx  # noqa: F401 - fixture


def fits(widget) -> bool:  # noqa: ANN001
    avail = widget.screen().availableGeometry()
    return widget.width() + FRAME[0] <= avail.width() and widget.height() + FRAME[1] <= avail.height()


def test_a_size_larger_than_the_screen_is_cut_to_it_and_a_smaller_one_kept(qapp):
    dialog = QDialog()
    avail = dialog.screen().availableGeometry()
    assert avail.width() < 1100 and avail.height() < 900
    assert fitted_size(dialog, 1100, 900) == (avail.width() - FRAME[0], avail.height() - FRAME[1])
    assert fitted_size(dialog, 400, 300) == (400, 300)
    resize_to_fit(dialog, 1100, 900)
    assert fits(dialog)


def test_the_audit_log_dialog_fits_a_small_screen(ctx, qtbot):
    dialog = AuditLogDialog(ctx)
    qtbot.addWidget(dialog)
    assert fits(dialog)
