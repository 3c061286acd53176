"""文件 › 操作日志: the operation log, newest first, narrowed by 操作, a text and a range of days,
and exported to Excel (app/oplog.py does the reading and writing)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.oplog import ACTIONS, DEFAULT_LIMIT, LogFilter, export_log_xlsx, query_filter
from ui.models.operation_log_model import DETAIL_COLUMN, OperationLogModel
from ui.widgets.registers_date_edit import DateField
from ui.widgets.screen_fit import resize_within_screen

ALL_ACTIONS = "全部"


class OperationLogDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("操作日志")
        resize_within_screen(self, 1000, 560)
        self.action_combo = QComboBox()
        self.action_combo.addItems([ALL_ACTIONS, *ACTIONS])
        self.since_field = DateField()
        self.until_field = DateField()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索用户或内容")
        self.search_edit.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("操作"))
        filters.addWidget(self.action_combo)
        filters.addSpacing(12)
        filters.addWidget(QLabel("从"))
        filters.addWidget(self.since_field)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.until_field)
        filters.addSpacing(12)
        filters.addWidget(self.search_edit, 1)

        self.model = OperationLogModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL_COLUMN, QHeaderView.ResizeMode.Stretch)

        self.count_label = QLabel()
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setToolTip("把当前筛选出的全部记录导出为 .xlsx")
        self.export_button.clicked.connect(lambda: self.export_to())
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)

        hint = QLabel(
            "记录查看或导出信访人个人信息、删除、导入、撤销导入、从备份恢复、设置密码、锁定与解锁，"
            "以及操作的时间和电脑的登录用户。"
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        # Typing in the search box or a date waits for a pause before querying again.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(250)
        self._reload_timer.timeout.connect(self.load)
        self.action_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.search_edit.textChanged.connect(lambda _t: self._reload_timer.start())
        self.since_field.edited.connect(self._reload_timer.start)
        self.until_field.edited.connect(self._reload_timer.start)
        self.since_field.line.editingFinished.connect(self.load)
        self.until_field.line.editingFinished.connect(self.load)
        self.task = None  # the export running
        self.message_box: QMessageBox | None = None
        self.load()

    # -- the filter and the list -----------------------------------------------------------------

    def current_filter(self) -> LogFilter | None:
        """The filter the fields say; None (and the reason shown) when a date cannot be read."""
        for label, field in (("“从”", self.since_field), ("“至”", self.until_field)):
            problem = field.error()
            if problem:
                self._show_count(f"{label}日期：{problem}", error=True)
                return None
        since, until = self.since_field.value(), self.until_field.value()
        if since and until and since > until:
            self._show_count("“从”日期晚于“至”日期，请改正。", error=True)
            return None
        action = self.action_combo.currentText()
        return LogFilter(
            action=None if action == ALL_ACTIONS else action,
            text=self.search_edit.text().strip(),
            since=since,
            until=until,
        )

    def load(self) -> None:
        self._reload_timer.stop()
        flt = self.current_filter()
        if flt is None:
            return
        entries = query_filter(self.ctx.db, flt, limit=DEFAULT_LIMIT)
        self.model.set_entries(entries)
        if not entries:
            self._show_count("没有符合条件的记录。")
        elif len(entries) >= DEFAULT_LIMIT:
            self._show_count(f"显示最近的 {DEFAULT_LIMIT} 条（导出 Excel 含全部符合条件的记录）")
        else:
            self._show_count(f"共 {len(entries)} 条")

    def _show_count(self, text: str, *, error: bool = False) -> None:
        self.count_label.setText(text)
        self.count_label.setStyleSheet("color: #c62828;" if error else "")

    # -- export --------------------------------------------------------------------------------------

    def export_to(self, target: Path | None = None):
        """Write every line the filter matches to an .xlsx off the GUI thread; returns the task
        (None when nothing was started)."""
        flt = self.current_filter()
        if flt is None or self.task is not None:
            return None
        if target is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "导出操作日志", "操作日志.xlsx", "Excel 工作簿 (*.xlsx)"
            )
            if not name:
                return None
            target = Path(name if name.endswith(".xlsx") else name + ".xlsx")
        db = self.ctx.db

        def work(progress, _cancel):
            progress(0, 0, "正在导出操作日志…")
            return export_log_xlsx(db, flt, target)

        self.export_button.setEnabled(False)
        self.task = self.ctx.tasks.run_with_progress(
            self,
            "导出操作日志",
            work,
            cancellable=False,
            on_finished=lambda count: self._show_count(f"已导出 {count} 条记录到 {target}"),
            on_failed=self._export_failed,
        )
        self.task.ended.connect(self._export_ended)
        return self.task

    def _export_ended(self) -> None:
        self.task = None
        self.export_button.setEnabled(True)

    def _export_failed(self, message: str, details: str) -> None:
        if details:  # a bug: the traceback is saved and shown folded
            from ui.dialogs.error_dialog import show_error

            show_error(self, message, details)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "无法导出", message, QMessageBox.StandardButton.Ok, self)
        self.message_box = box
        box.open()
