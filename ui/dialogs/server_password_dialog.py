"""The PostgreSQL password, asked for at start when the credential store has none (or a wrong one)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class ServerPasswordDialog(QDialog):
    def __init__(self, server: str, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PostgreSQL 数据库密码")
        self.setMinimumWidth(460)
        intro = QLabel(f"连接数据库服务器：{server}")
        intro.setWordWrap(True)
        self.problem_label = QLabel(problem)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color:#c62828")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox("保存到系统凭据管理器（不写入设置文件）")
        self.remember_check.setChecked(True)
        form = QFormLayout()
        form.addRow("密码", self.password_edit)
        form.addRow(self.remember_check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.problem_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.password_edit.setFocus()

    def password(self) -> str:
        return self.password_edit.text()

    def remember(self) -> bool:
        return self.remember_check.isChecked()
