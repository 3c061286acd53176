"""导入记录: every ledger import of the unit, newest first, with 撤销本次导入 for one of them.

Undo removes exactly what that import created and restores what it updated, while nothing else has
touched those records since; otherwise the dialog says what blocks it (app.importers.ledgers.batches).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.import_batches_model import WHAT_COLUMN, ImportBatchesModel, joined, when
from ui.widgets.screen_fit import resize_within_screen


class ImportBatchesDialog(QDialog):
    undone = Signal(str, str)  # kind key, summary

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入记录")
        resize_within_screen(self, 980, 520)
        self.model = ImportBatchesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #8a5a00;")
        self.undo_button = QPushButton("撤销本次导入…")
        self.undo_button.clicked.connect(lambda: self.undo_selected())
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(close)
        hint = QLabel("撤销会删除该次导入新建的记录、恢复被它更新的记录；导入后又修改过的记录不能撤销。")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.batches: list = []
        self.task = None  # the undo running
        self.done_text = ""
        self.load()

    def load(self) -> None:
        from app.importers.ledgers.batches import list_batches

        chosen = self.selected() if self.batches else None
        with self.ctx.db.session() as session:
            self.batches = list_batches(session, self.ctx.unit_id)
        self.model.set_batches(self.batches)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(WHAT_COLUMN, QHeaderView.ResizeMode.Stretch)
        if self.batches:
            ids = [batch.id for batch in self.batches]
            self.table.selectRow(ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0)
        self._selection_changed()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.batches[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        from app.importers.ledgers.batches import undo_blockers

        batch = self.selected()
        if batch is None:
            self.undo_button.setEnabled(False)
            self.reason.setText("还没有导入记录。" if not self.batches else "")
            return
        with self.ctx.db.session() as session:
            blockers = undo_blockers(session, batch.id)
        self.undo_button.setEnabled(not blockers)
        self.reason.setText("不能撤销：" + "；".join(blockers) if blockers else "")

    def undo_selected(self, *, confirm: bool = True) -> bool:
        """Undo the selected batch off the GUI thread (one transaction); False when not started."""
        from app.importers.ledgers.batches import undo_batch

        batch = self.selected()
        if batch is None or self.task is not None or not self.undo_button.isEnabled():
            return False  # the reason beside the button says why
        if confirm:
            created = joined(batch.counts.created)
            updated = joined(batch.counts.updated)
            text = f"撤销{when(batch.created_at)}导入的“{batch.file_name}”？\n\n"
            text += f"将删除这次导入新建的记录（{created or '无'}）"
            text += f"，并把被它更新的记录（{updated}）恢复为导入前的内容。" if updated else "。"
            answer = QMessageBox.question(self, "撤销导入", text)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        db, batch_id = self.ctx.db, batch.id

        def work(progress, _cancel):
            progress(0, 0, "正在撤销导入…")
            return undo_batch(db, batch_id)

        self.undo_button.setEnabled(False)
        self.task = self.ctx.tasks.run_with_progress(
            self,
            "撤销导入",
            work,
            cancellable=False,
            on_finished=lambda result, b=batch: self._undone(b, result),
            on_failed=self._undo_failed,
        )
        self.task.ended.connect(self._task_ended)
        return True

    def _task_ended(self) -> None:
        self.task = None
        self.load()
        if self.done_text:  # what was undone, rather than "cannot undo: undone already"
            self.reason.setText(self.done_text)
            self.done_text = ""

    def _undone(self, batch, result) -> None:
        deleted = joined(result.deleted) or "无"
        restored = joined(result.restored)
        summary = f"已撤销导入“{batch.file_name}”：删除 {deleted}" + (
            f"；恢复 {restored}" if restored else ""
        )
        self.done_text = summary
        self.undone.emit(batch.kind, summary)

    def _undo_failed(self, message: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "不能撤销", message, QMessageBox.StandardButton.Ok, self)
        if details:
            box.setDetailedText(details)
        self.message_box = box
        box.open()
