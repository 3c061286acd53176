"""A list of 校验 findings, errors first; activating one asks to jump to where it points."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from app.findings import Finding
from ui.models.findings_model import ALL, FindingsModel, ScopedFindings, count_text


class FindingsPanel(QWidget):
    """The findings of `source` (a list of its own by default) in one scope: ALL for the F7 dock,
    a page's key for the panel beside its tables, which then says both counts:
    "本页：错误 13、警告 6（全部：错误 13、警告 26）" and can show either list."""

    jump_requested = Signal(object)  # Finding

    def __init__(
        self, parent: QWidget | None = None, *, source: FindingsModel | None = None, scope: str = ALL
    ) -> None:
        super().__init__(parent)
        self.scope = scope
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.source = source or FindingsModel(self)
        self.model = ScopedFindings(self.source, scope, self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        self.shown_scope = QComboBox()
        self.shown_scope.addItem("本页", scope)
        self.shown_scope.addItem("全部", ALL)
        self.shown_scope.setToolTip("列出本页的问题，或本年度全部问题")
        self.shown_scope.setVisible(scope != ALL)
        self.shown_scope.currentIndexChanged.connect(
            lambda _i: self.model.set_scope(self.shown_scope.currentData())
        )
        self.shown_label = QLabel("列出")
        self.shown_label.setVisible(scope != ALL)
        choice = QHBoxLayout()
        choice.setContentsMargins(0, 0, 0, 0)
        choice.addWidget(self.shown_label)
        choice.addWidget(self.shown_scope)
        choice.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addLayout(choice)
        layout.addWidget(self.view, 1)
        self._connect()
        self._update_summary()

    def set_source(self, source: FindingsModel) -> None:
        """Show another window context's findings (after the database was opened again)."""
        if source is self.source:
            return
        self.source.modelReset.disconnect(self._update_summary)
        self.source.completeness_changed.disconnect(self._update_summary)
        self.source = source
        self.model.setSourceModel(source)
        self._connect()
        self._update_summary()

    def _connect(self) -> None:
        self.source.modelReset.connect(self._update_summary)
        self.source.completeness_changed.connect(self._update_summary)

    def set_findings(self, findings: list[Finding]) -> None:
        """The findings of this panel's scope (ALL: the whole list)."""
        self.source.set_findings(findings, None if self.scope == ALL else self.scope)

    def findings(self) -> list[Finding]:
        """Those listed, in order."""
        return [
            f for row in range(self.model.rowCount()) if (f := self.model.finding(self.model.index(row, 0)))
        ]

    def finding_at(self, index: QModelIndex) -> Finding | None:
        return self.model.finding(index)

    def summary_text(self) -> str:
        mine = self.source.in_scope(self.scope)
        if self.scope == ALL:
            return f"{count_text(mine)}（双击跳转）" if mine else "✓ 没有发现问题"
        here = count_text(mine) if mine else "✓ 没有发现问题"
        whole = count_text(self.source.in_scope(ALL)) if self.source.complete else "正在校验…"
        return f"本页：{here}（全部：{whole}）"

    def _update_summary(self) -> None:
        self.summary.setText(self.summary_text())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.scope != ALL and not self.source.complete:
            self.source.recheck()  # for the 全部 count

    def _activated(self, index: QModelIndex) -> None:
        finding = self.model.finding(index)
        if finding is not None:
            self.jump_requested.emit(finding)
