"""The preview of an Excel import: what will be written to which year, what it changes in the 校验,
and what could not be read. Tables of another year (plan.year_mismatch) are imported only once
“仍导入到…年度” is ticked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListView,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.importers.budget_xlsx import ImportPlan
from app.importers.budget_xlsx_checks import ADDED
from ui.models.budget_import_model import CheckChangeListModel, ProblemTableModel
from ui.widgets.screen_fit import resize_within_screen


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
        resize_within_screen(self, 960, 680)
        self.plan_for = plan_for
        self.plan: ImportPlan | None = None
        files = QLabel("<br>".join(p.name for p in paths))
        files.setWordWrap(True)
        self.year_combo = QComboBox()
        for y in sorted(years, reverse=True):
            self.year_combo.addItem(f"{y}年度", y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(year)))
        self.year_combo.currentIndexChanged.connect(self._replan)
        self.mismatch = QLabel()
        self.mismatch.setWordWrap(True)
        self.mismatch.setStyleSheet("color:#c62828; font-weight:bold")
        self.confirm_year = QCheckBox()
        self.confirm_year.toggled.connect(self._update_button)
        self.changes = QStringListModel(self)
        changes_view = self.changes_view = QListView()
        changes_view.setModel(self.changes)
        changes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.check_changes = CheckChangeListModel(self)
        self.check_view = QListView()
        self.check_view.setModel(self.check_changes)
        self.check_view.setWordWrap(True)
        self.check_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.check_label = QLabel()
        self.problems = ProblemTableModel(self)
        problems_view = self.problems_view = QTableView()
        # The two lists share what the dialog's height leaves: their own size hints (192 px each)
        # would ask for more than a 1280×720 screen has.
        for view in (self.check_view, problems_view):
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            view.setMinimumHeight(70)
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
        layout.addWidget(self.mismatch)
        layout.addWidget(self.confirm_year)
        layout.addWidget(QLabel("将写入的内容（覆盖所选年度中对应表格的数据）："))
        layout.addWidget(changes_view)
        layout.addWidget(self.check_label)
        layout.addWidget(self.check_view, 1)
        layout.addWidget(QLabel("无法读取或需要注意的内容："))
        layout.addWidget(problems_view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._replan()

    def year(self) -> int:
        return int(self.year_combo.currentData())

    def year_confirmed(self) -> bool:
        """Whether the user confirmed importing tables of another year into the chosen one."""
        return self.confirm_year.isChecked()

    def _replan(self, *_args) -> None:
        self.plan = self.plan_for(self.year())
        self.changes.setStringList(self.plan.changes or ["（没有可导入的内容）"])
        rows = self.changes.rowCount()
        frame = 2 * self.changes_view.frameWidth() + 4
        self.changes_view.setFixedHeight(min(110, rows * self.changes_view.sizeHintForRow(0) + frame))
        mismatch = self.plan.year_mismatch
        self.mismatch.setText(f"{mismatch}。请核对年度，确认无误后勾选下方选项再导入。" if mismatch else "")
        self.mismatch.setVisible(bool(mismatch))
        self.confirm_year.setText(f"仍导入到{self.year()}年度")
        self.confirm_year.setChecked(False)
        self.confirm_year.setVisible(bool(mismatch))
        checks = self.plan.check_changes
        self.check_changes.set_changes(checks)
        added = [c for c in checks if c.kind == ADDED]
        added_errors = sum(1 for c in added if c.is_error)
        self.check_label.setText(
            f"导入后校验的变化（新增{len(added)}项、消除{len(checks) - len(added)}项）："
            if checks
            else "导入后校验的变化：无"
        )
        self.check_view.setVisible(bool(checks))
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
            broken = f"导入后校验将新增{added_errors}处错误（见上）。" if added_errors else ""
            self.summary.setText(f"可以导入。{broken}{note}")
        self._update_button()

    def _update_button(self, *_args) -> None:
        plan = self.plan
        ready = plan is not None and not plan.has_errors and bool(plan.changes)
        confirmed = plan is not None and (not plan.year_mismatch or self.confirm_year.isChecked())
        self.import_button.setEnabled(ready and confirmed)
