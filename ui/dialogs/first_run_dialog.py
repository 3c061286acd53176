"""Shown when the database has no unit yet: start with an empty unit, or open the example unit
(kept in a file of its own, app.paths.example_db_path)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.example_data.unit import EXAMPLE_UNIT_NAME, EXAMPLE_YEAR, PRIOR_YEAR
from app.paths import EXAMPLE_FILE_NAME
from app.services.unit import MAX_YEAR, MIN_YEAR


class FirstRunDialog(QDialog):
    EXAMPLE, EMPTY = 1, 2

    def __init__(
        self, data_location: str, parent: QWidget | None = None, *, offer_password: bool = True
    ) -> None:
        super().__init__(parent)
        self.offer_password = offer_password
        self.setWindowTitle("欢迎使用住建填报助手")
        self.setMinimumWidth(520)
        intro = QLabel(
            "<b>数据库中还没有单位。</b><br>可以直接新建本单位，也可以先打开内置的示例数据熟悉程序。"
            f"<br><span style='color:#666'>数据文件：{data_location}</span>"
        )
        intro.setWordWrap(True)
        self.empty_radio = QRadioButton("新建空白单位")
        self.example_radio = QRadioButton(
            f"打开示例数据：{EXAMPLE_UNIT_NAME}（{PRIOR_YEAR}、{EXAMPLE_YEAR}年度，人名电话均为虚构）"
        )
        example_note = QLabel(
            f"示例数据存在单独的文件“{EXAMPLE_FILE_NAME}”中，不写入本单位的数据文件；"
            "下次启动时仍可新建本单位。"
        )
        example_note.setWordWrap(True)
        example_note.setStyleSheet("color:#666")
        example_note.setContentsMargins(24, 0, 0, 0)
        group = QButtonGroup(self)
        group.addButton(self.example_radio, self.EXAMPLE)
        group.addButton(self.empty_radio, self.EMPTY)
        # The user's own file is what they came for: the example is the second choice.
        self.empty_radio.setChecked(True)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如：某某县建筑工程服务中心")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(MIN_YEAR, MAX_YEAR)
        self.year_spin.setValue(clock.today().year)
        self.year_spin.setSuffix(" 年度")
        self.year_spin.setMaximumWidth(160)
        self.empty_form = QWidget()
        form = QFormLayout(self.empty_form)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow("单位名称 *", self.name_edit)
        form.addRow("工作年度", self.year_spin)
        # A new unit's own file gets a password by default (not a PostgreSQL database, nor an
        # already encrypted file: offer_password is False there).
        from ui.dialogs.password_dialogs import NewPasswordWidget

        self.new_password = NewPasswordWidget(label="设置密码")
        self.decline_check = QCheckBox("不设密码（不推荐）")
        self.decline_check.toggled.connect(self._sync_password)
        form.addRow(self.new_password)
        form.addRow(self.decline_check)
        self.new_password.setVisible(offer_password)
        self.decline_check.setVisible(offer_password)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color:#c62828")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始使用")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.empty_radio)
        layout.addWidget(self.empty_form)
        layout.addWidget(self.example_radio)
        layout.addWidget(example_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        group.idToggled.connect(self._sync)
        self._sync()

    def _sync(self, *_args: object) -> None:
        self.empty_form.setEnabled(self.empty_radio.isChecked())
        self.error_label.clear()
        if self.empty_radio.isChecked():
            self.name_edit.setFocus()

    def _sync_password(self, *_args: object) -> None:
        self.new_password.setEnabled(not self.decline_check.isChecked())
        self.new_password.error_label.clear()

    def password(self) -> str | None:
        """The new unit's password; None for the example, a declined password or no offer."""
        if self.choice() != self.EMPTY or not self.offer_password or self.decline_check.isChecked():
            return None
        return self.new_password.password()

    def password_declined(self) -> bool:
        """The user ticked 不设密码（不推荐） for the new unit."""
        return self.choice() == self.EMPTY and self.offer_password and self.decline_check.isChecked()

    def choice(self) -> int:
        return self.EXAMPLE if self.example_radio.isChecked() else self.EMPTY

    def unit_name(self) -> str:
        return self.name_edit.text().strip()

    def year(self) -> int:
        return self.year_spin.value()

    def _accept(self) -> None:
        if self.choice() == self.EMPTY and not self.unit_name():
            self.error_label.setText("请填写单位名称")
            self.name_edit.setFocus()
            return
        if self.password() is not None and not self.new_password.check():
            return
        self.accept()
