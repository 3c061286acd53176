"""A 巡察 and its 方面: name, 巡察组, dates, and the ordered 方面 the problems are grouped under.
A 方面 keeps its identity when renamed or moved, so its problems stay with it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.registers.rectification import AspectData, InspectionData, validate_inspection
from ui.widgets.registers_form import DATE, MULTILINE, FieldSpec, RegisterForm

SPECS = [
    FieldSpec(
        "name", "巡察名称", required=True, placeholder="如：工程建设和房地产领域专项巡察", max_length=200
    ),
    FieldSpec("team", "巡察组", placeholder="如：市委第二巡察组", max_length=100),
    FieldSpec("start_on", "巡察开始日期", DATE),
    FieldSpec("end_on", "巡察结束日期", DATE),
    FieldSpec("feedback_on", "反馈日期", DATE),
    FieldSpec("note", "备注", MULTILINE, height=48),
]
ID_ROLE = Qt.ItemDataRole.UserRole


class InspectionDialog(QDialog):
    def __init__(self, data: InspectionData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setWindowTitle("新建巡察" if data.id is None else "编辑巡察")
        self.resize(860, 520)
        self.form = RegisterForm(SPECS, [("巡察", [s.key for s in SPECS])])
        self.form.set_values({s.key: getattr(data, s.key) for s in SPECS})
        self.aspects = QListWidget()
        self.aspects.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.aspects.setWordWrap(True)
        for aspect in data.aspects:
            self._add_item(aspect.title, aspect.id)
        buttons = QVBoxLayout()
        for text, slot in (
            ("添加", self.add_aspect),
            ("删除", self.remove_aspect),
            ("上移", lambda: self.move(-1)),
            ("下移", lambda: self.move(1)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QGroupBox("反馈问题的方面（按顺序）")
        box_layout = QVBoxLayout(box)
        hint = QLabel("双击修改名称。删除某个方面后，其下的问题保留并显示为“未分组”。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#546e7a")
        row = QHBoxLayout()
        row.addWidget(self.aspects, 1)
        row.addLayout(buttons)
        box_layout.addWidget(hint)
        box_layout.addLayout(row)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color:#c62828")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        # Side by side: one above the other is taller than a 720 px screen.
        body = QHBoxLayout()
        body.addWidget(self.form, 3)
        body.addWidget(box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _add_item(self, title: str, aspect_id: int | None, row: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(title)
        item.setData(ID_ROLE, aspect_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.aspects.insertItem(self.aspects.count() if row is None else row, item)
        return item

    def add_aspect(self) -> None:
        row = self.aspects.currentRow() + 1 if self.aspects.currentRow() >= 0 else self.aspects.count()
        item = self._add_item("", None, row)
        self.aspects.setCurrentItem(item)
        self.aspects.editItem(item)

    def remove_aspect(self) -> None:
        if self.aspects.currentRow() >= 0:
            self.aspects.takeItem(self.aspects.currentRow())

    def move(self, step: int) -> None:
        row = self.aspects.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.aspects.count():
            return
        item = self.aspects.takeItem(row)
        self.aspects.insertItem(target, item)
        self.aspects.setCurrentRow(target)

    def result_data(self) -> InspectionData:
        values = self.form.values()
        aspects = [
            AspectData(self.aspects.item(i).text().strip(), self.aspects.item(i).data(ID_ROLE))
            for i in range(self.aspects.count())
        ]
        return InspectionData(
            id=self.data.id,
            version=self.data.version,
            aspects=aspects,
            **{s.key: values[s.key] for s in SPECS},
        )

    def set_aspects(self, titles: list[str]) -> None:
        self.aspects.clear()
        for title in titles:
            self._add_item(title, None)

    def _accept(self) -> None:
        errors = dict(self.form.parse_errors())
        data = self.result_data()
        for key, message in validate_inspection(data).items():
            errors.setdefault(key, message)
        self.form.show_messages({k: v for k, v in errors.items() if k != "aspects"})
        self.error_label.setText(errors.get("aspects", ""))
        if not errors:
            self.accept()
