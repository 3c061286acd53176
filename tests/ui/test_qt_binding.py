"""The pinned Qt binding keeps Python's reference counts: PySide6 6.12.0 dropped one reference to
None on every call of a method returning void, so a long session (or the test run) ended in
"Fatal Python error: none_dealloc"/"bool_dealloc"."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, QStringListModel
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

CALLS = 2000


def _refcounts() -> tuple[int, int, int]:
    gc.collect()
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_calls_into_qt_leave_none_true_and_false_counted(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    label = QLabel(widget)
    edit = QLineEdit(widget)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(QStringListModel(["甲", "乙"]))

    def calls() -> None:
        widget.setEnabled(True)
        widget.setEnabled(False)
        label.setText("已保存")
        edit.setReadOnly(True)
        widget.setProperty("invalid", True)
        widget.property("invalid")
        edit.isModified()
        proxy.hasChildren(QModelIndex())

    calls()
    before = _refcounts()
    for _ in range(CALLS):
        calls()
    after = _refcounts()

    drift = [a - b for a, b in zip(after, before, strict=True)]
    assert all(abs(d) < CALLS // 10 for d in drift), f"None/True/False 引用计数漂移 {drift}"
