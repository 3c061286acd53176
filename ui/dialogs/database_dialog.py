"""Where the data lives: the local SQLite file (default or chosen), or a shared PostgreSQL server."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.settings import load_settings, save_settings


class DatabaseDialog(QDialog):
    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("数据库设置")
        self.setMinimumWidth(560)
        self.settings = load_settings()
        self.password_kept = True  # False: the PC has no credential store (asked at each start)
        from app.paths import default_db_path

        self.local_radio = QRadioButton("本机数据文件（单机使用，推荐）")
        self.server_radio = QRadioButton("PostgreSQL 数据库服务器（本单位多台电脑共用）")
        group = QButtonGroup(self)
        group.addButton(self.local_radio)
        group.addButton(self.server_radio)
        self.path_edit = QLineEdit(self.settings.database_path)
        self.path_edit.setPlaceholderText(str(default_db_path()))
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.url_edit = QLineEdit(self.settings.database_url)
        self.url_edit.setPlaceholderText("postgresql://用户名:密码@服务器地址:5432/数据库名")
        self.url_edit.setToolTip("密码保存在系统凭据管理器中，不写入设置文件；已保存过的密码在此不必再填")
        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self._test)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        (self.server_radio if self.settings.database_url else self.local_radio).setChecked(True)

        form = QFormLayout()
        form.addRow(self.local_radio)
        form.addRow("文件", path_row)
        form.addRow(self.server_radio)
        form.addRow("地址", self.url_edit)
        form.addRow("", self.test_button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"当前使用：{current}"))
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "选择数据文件",
            self.path_edit.text(),
            "数据文件 (*.sqlite3 *.db);;所有文件 (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path_edit.setText(path)

    def _test(self) -> None:
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        from app.db import Database, location_for
        from app.errors import describe_db_error
        from app.server_password import complete

        url = self.url_edit.text().strip()
        if not url:
            self.result_label.setText("请填写数据库地址")
            return
        url = complete(url)
        try:
            db = Database(location_for(url=url))
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            db.dispose()
        except (SQLAlchemyError, ValueError) as exc:
            self.result_label.setText(f"连接失败：{describe_db_error(exc) or exc}")
            return
        self.result_label.setText("连接成功。")

    def _save(self) -> None:
        if self.server_radio.isChecked():
            if not self.url_edit.text().strip():
                self.result_label.setText("请填写数据库地址")
                return
            from app.server_password import remember_for_settings

            url, kept = remember_for_settings(self.url_edit.text().strip())
            self.settings.database_url = url
            self.password_kept = kept
        else:
            chosen = self.path_edit.text().strip()
            if chosen:
                import sqlite3
                from pathlib import Path

                from app.integrity import DAMAGED, FOREIGN, classify, damaged_message

                try:
                    state = classify(Path(chosen).expanduser())
                except (OSError, sqlite3.Error) as exc:
                    self.result_label.setText(f"无法读取该文件：{exc}")
                    return
                if state.kind in (DAMAGED, FOREIGN):
                    self.result_label.setText(damaged_message(Path(chosen), state))
                    return
            self.settings.database_url = ""
            self.settings.database_path = chosen
        save_settings(self.settings)
        self.accept()
