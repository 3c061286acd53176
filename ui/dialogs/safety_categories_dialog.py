"""隐患类别: the unit's managed list of hazard categories and their synonyms, saved as a whole."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import EditConflictError, UserError
from app.services.safety.categories import (
    HazardCategory,
    categories,
    category_usage,
    save_categories,
    synonym_usage,
    unify_synonyms,
    validate_categories,
)
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict
from ui.models.hazard_category_model import NAME, SYNONYMS, USED, HazardCategoryModel

NOTE = (
    "录入或导入隐患时，填写的同义词自动记为对应的类别（如“触电”记为“临时用电”），统计表按类别合并计数。"
    "修改类别名称时，已记录的隐患一并改为新名称，原名称保留为同义词；删除类别不改动已记录的隐患。"
)


class HazardCategoriesDialog(QDialog):
    def __init__(self, db: Database, unit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.unit_id = db, unit_id
        self.setWindowTitle("隐患类别")
        self.resize(760, 560)
        self.rewritten = 0  # hazards renamed with their category, after a save
        self.unified = 0  # hazards moved from a synonym to their category, after a save
        with db.session() as session:
            self.loaded = categories(session, unit_id)
            used = category_usage(session, unit_id)
            pending = synonym_usage(session, unit_id)
        self.model = HazardCategoryModel(self.loaded, used, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SYNONYMS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(USED, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setColumnWidth(NAME, 130)
        buttons = QVBoxLayout()
        for text, slot in (
            ("添加", self.add_entry),
            ("删除", self.remove_entry),
            ("上移", lambda: self.move_entry(-1)),
            ("下移", lambda: self.move_entry(1)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        table = QHBoxLayout()
        table.addWidget(self.view, 1)
        table.addLayout(buttons)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color:#546e7a")
        self.unify = QCheckBox(f"保存时把以同义词记录的 {pending} 条隐患统一为标准类别（统一为标准类别）")
        self.unify.setVisible(pending > 0)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color:#c62828")
        self.error_label.hide()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        box.button(QDialogButtonBox.StandardButton.Save).setObjectName("primaryButton")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(table, 1)
        layout.addWidget(self.unify)
        layout.addWidget(self.error_label)
        layout.addWidget(box)

    def _current_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_entry(self) -> None:
        current = self._current_row()
        row = self.model.insert(current + 1 if current >= 0 else self.model.rowCount())
        index = self.model.index(row, NAME)
        self.view.selectRow(row)
        self.view.edit(index)

    def remove_entry(self) -> None:
        self.model.remove(self._current_row())

    def move_entry(self, step: int) -> None:
        current = self._current_row()
        if current >= 0:
            self.view.selectRow(self.model.move(current, step))

    def entries(self) -> list[HazardCategory]:
        """The list as edited, without the rows left empty."""
        return [item for item in self.model.items() if item.name.strip() or item.synonyms]

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def save(self) -> None:
        items = self.entries()
        error = validate_categories(items)
        if error:
            self._show_error(error)
            return
        try:
            try:
                self.rewritten = save_categories(self.db, self.unit_id, items, self.loaded)
            except EditConflictError as exc:
                choice = ask_conflict(self, str(exc))
                if choice is ConflictChoice.RELOAD:
                    with self.db.session() as session:
                        self.loaded = categories(session, self.unit_id)
                    self.model.set_items(self.loaded)
                    self._show_error("已重新载入：列表中是别处保存的内容。")
                    return
                if choice is not ConflictChoice.REAPPLY:
                    self._show_error(str(exc))
                    return
                # The list is edited as a whole: keeping mine saves it as shown here.
                self.rewritten = save_categories(self.db, self.unit_id, items)
            if not self.unify.isHidden() and self.unify.isChecked():
                self.unified = unify_synonyms(self.db, self.unit_id)
        except UserError as exc:
            self._show_error(str(exc))
            return
        self.accept()

    def summary(self) -> str:
        """The status-bar line after a save."""
        parts = ["隐患类别已保存"]
        if self.rewritten:
            parts.append(f"{self.rewritten}条隐患改为新的类别名称")
        if self.unified:
            parts.append(f"{self.unified}条隐患统一为标准类别")
        return "，".join(parts)
