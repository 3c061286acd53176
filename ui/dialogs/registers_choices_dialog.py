"""编辑选项: the unit's 渠道 list (each with the 统计口径 it is counted under) and 事项类别 list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.registers.petitions import Choice, validate_choices


class ChoiceTable(QWidget):
    """A short editable table (a dozen rows at most: QTableWidget is the right size here)."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        buttons = QVBoxLayout()
        for text, slot in (
            ("添加", self.add_row),
            ("删除", self.remove_row),
            ("上移", lambda: self.move(-1)),
            ("下移", lambda: self.move(1)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_rows(self, rows: list[list[str]]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self._append(row)

    def _append(self, values: list[str], at: int | None = None) -> int:
        row = self.table.rowCount() if at is None else at
        self.table.insertRow(row)
        for col in range(self.table.columnCount()):
            self.table.setItem(row, col, QTableWidgetItem(values[col] if col < len(values) else ""))
        return row

    def rows(self) -> list[list[str]]:
        return [
            [
                (self.table.item(r, c).text() if self.table.item(r, c) else "").strip()
                for c in range(self.table.columnCount())
            ]
            for r in range(self.table.rowCount())
        ]

    def add_row(self) -> None:
        current = self.table.currentRow()
        row = self._append([""], current + 1 if current >= 0 else None)
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def remove_row(self) -> None:
        if self.table.currentRow() >= 0:
            self.table.removeRow(self.table.currentRow())

    def move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        values = self.rows()[row]
        self.table.removeRow(row)
        self._append(values, target)
        self.table.setCurrentCell(target, 0)


class ChoicesDialog(QDialog):
    def __init__(
        self, channels: list[Choice], categories: list[Choice], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("编辑选项")
        self.resize(520, 460)
        self.channels = ChoiceTable(["渠道", "统计口径（统计表中合并计入）"])
        self.channels.set_rows([[c.name, c.group] for c in channels])
        self.categories = ChoiceTable(["事项类别"])
        self.categories.set_rows([[c.name] for c in categories])
        tabs = QTabWidget()
        channel_page = QWidget()
        channel_layout = QVBoxLayout(channel_page)
        note = QLabel(
            "统计口径相同的渠道在统计表和报告中合并计数，如来信、来访、网上信访、信访局转办都计入“信访”。"
            "修改列表不会改动已登记事项的渠道。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#546e7a")
        channel_layout.addWidget(note)
        channel_layout.addWidget(self.channels, 1)
        tabs.addTab(channel_page, "渠道")
        tabs.addTab(self.categories, "事项类别")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color:#c62828")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def channel_choices(self) -> list[Choice]:
        return [Choice(name, group) for name, group in self.channels.rows() if name or group]

    def category_choices(self) -> list[Choice]:
        return [Choice(row[0]) for row in self.categories.rows() if row[0]]

    def _accept(self) -> None:
        for label, items, kind in (
            ("渠道", self.channel_choices(), "channel"),
            ("事项类别", self.category_choices(), "category"),
        ):
            error = validate_choices(items, kind)
            if error:
                self.error_label.setText(f"{label}：{error}")
                return
        self.accept()
