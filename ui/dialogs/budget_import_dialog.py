"""The preview of an Excel import: what will be written to which year, and what could not be read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.importers.budget_xlsx import ImportPlan
from ui.models.budget_import_model import ProblemTableModel


class ImportPreviewDialog(QDialog):
    def __init__(
        self,
        paths: list[Path],
        years: list[int],
        year: int,
        plan_for: Callable[[int], ImportPlan],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入预算绩效表格 — 预览")
        self.resize(860, 600)
        self.plan_for = plan_for
        self.plan: ImportPlan | None = None
        files = QLabel("<br>".join(p.name for p in paths))
        files.setWordWrap(True)
        self.year_combo = QComboBox()
        for y in sorted(years, reverse=True):
            self.year_combo.addItem(f"{y}年度", y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(year)))
        self.year_combo.currentIndexChanged.connect(self._replan)
        self.changes = QStringListModel(self)
        changes_view = QListView()
        changes_view.setModel(self.changes)
        changes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        changes_view.setMaximumHeight(130)
        self.problems = ProblemTableModel(self)
        problems_view = self.problems_view = QTableView()
        problems_view.setModel(self.problems)
        problems_view.setWordWrap(True)
        problems_view.verticalHeader().setVisible(False)
        header = problems_view.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        problems_view.setColumnWidth(0, 50)
        problems_view.setColumnWidth(1, 220)
        problems_view.setColumnWidth(2, 60)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("文件", files)
        form.addRow("导入到", self.year_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("将写入的内容（覆盖所选年度中对应表格的数据）："))
        layout.addWidget(changes_view)
        layout.addWidget(QLabel("无法读取或需要注意的内容："))
        layout.addWidget(problems_view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._replan()

    def year(self) -> int:
        return int(self.year_combo.currentData())

    def _replan(self, *_args) -> None:
        self.plan = self.plan_for(self.year())
        self.changes.setStringList(self.plan.changes or ["（没有可导入的内容）"])
        self.problems.set_problems(self.plan.problems)
        self.problems_view.resizeRowsToContents()
        errors = sum(1 for p in self.plan.problems if p.is_error)
        warnings = len(self.plan.problems) - errors
        if errors:
            self.summary.setText(
                f"<span style='color:#c62828'>有{errors}处无法读取，不能导入（导入是全部或全不）。"
                "请按上表修改文件后重试。</span>"
            )
        elif not self.plan.changes:
            self.summary.setText("文件中没有可导入的表格。")
        else:
            note = f"另有{warnings}处提示，请核对。" if warnings else ""
            self.summary.setText(f"可以导入。导入后请检查校验结果。{note}")
        self.import_button.setEnabled(not errors and bool(self.plan.changes))
