"""A list of 校验 findings, errors first; activating one asks to jump to where it points."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from app.findings import Finding

_Index = QModelIndex | QPersistentModelIndex


class FindingsModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []

    def set_findings(self, findings: list[Finding]) -> None:
        self.beginResetModel()
        self.findings = list(findings)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        finding = self.findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return finding.text()
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#c62828") if finding.is_error else QColor("#8a5a00")
        if role == Qt.ItemDataRole.ToolTipRole:
            return "双击跳转到该处" if finding.target else finding.text()
        return None


class FindingsPanel(QWidget):
    jump_requested = Signal(object)  # Finding

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.model = FindingsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.set_findings([])

    def set_findings(self, findings: list[Finding]) -> None:
        self.model.set_findings(findings)
        errors = sum(1 for f in findings if f.is_error)
        if not findings:
            self.summary.setText("✓ 没有发现问题")
        else:
            self.summary.setText(f"错误 {errors} 项，警告 {len(findings) - errors} 项（双击跳转）")

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.jump_requested.emit(self.model.findings[index.row()])
