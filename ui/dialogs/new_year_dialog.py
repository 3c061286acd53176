"""Adding a working year, optionally carried over from an earlier one."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QWidget

from app.services.unit import MAX_YEAR, MIN_YEAR, previous_year


class NewYearDialog(QDialog):
    def __init__(self, existing: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建年度")
        self.existing = existing
        self.year_spin = QSpinBox()
        self.year_spin.setRange(MIN_YEAR, MAX_YEAR)
        self.year_spin.setSuffix(" 年度")
        self.year_spin.setMaximumWidth(160)
        self.year_spin.setValue(max(existing) + 1 if existing else 2024)
        self.carry_check = QCheckBox()
        self.carry_check.setChecked(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#666")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color:#c62828")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("新建")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("年度", self.year_spin)
        form.addRow("", self.carry_check)
        form.addRow("", self.hint)
        form.addRow("", self.error_label)
        form.addRow(self.buttons)
        self.year_spin.valueChanged.connect(self._sync)
        self._sync()

    def source_year(self) -> int | None:
        return previous_year(self.existing, self.year_spin.value())

    def carry_from(self) -> int | None:
        return self.source_year() if self.carry_check.isChecked() else None

    def year(self) -> int:
        return self.year_spin.value()

    def _sync(self) -> None:
        source = self.source_year()
        self.carry_check.setEnabled(source is not None)
        if source is None:
            self.carry_check.setChecked(False)
            self.carry_check.setText("从上一年度结转（没有更早的年度）")
            self.hint.setText("新年度的单位信息为空，需要重新填写。")
        else:
            self.carry_check.setText(f"从 {source} 年度结转")
            self.hint.setText(
                "结转单位信息，以及各模块可沿用的内容（如绩效指标体系、报告文字草稿）；上年决算数自动带入。"
            )
        self.error_label.setText(f"{self.year()}年度已存在" if self.year() in self.existing else "")

    def _accept(self) -> None:
        if self.year() in self.existing:
            return
        self.accept()
