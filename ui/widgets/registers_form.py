"""The detail-form pattern of the registers: fields described once (`FieldSpec`), grouped in boxes,
each with its message line; values read and written as a dict, messages shown from the service's
validation. The page loads a record into it, validates as typed, and saves through a service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.ordered_list_editor import OrderedListEditor
from ui.widgets.registers_date_edit import DateField
from ui.widgets.validated_field import ValidatedField

TEXT, MULTILINE, DATE, INT, CHOICE, FIXED, BOOL, LABEL, LIST = (
    "text",
    "multiline",
    "date",
    "int",
    "choice",
    "fixed",
    "bool",
    "label",
    "list",
)


@dataclass
class FieldSpec:
    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    options: Sequence[str] = field(default_factory=tuple)  # CHOICE / FIXED
    placeholder: str = ""
    max_length: int = 0
    minimum: int = 0  # INT
    maximum: int = 100000
    height: int = 0  # MULTILINE / LIST: a minimum height
    tooltip: str = ""


class RegisterForm(QWidget):
    changed = Signal()

    def __init__(
        self,
        specs: Sequence[FieldSpec],
        groups: Sequence[tuple[str, Sequence[str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.specs = {spec.key: spec for spec in specs}
        self.fields: dict[str, ValidatedField] = {}
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, keys in groups:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for key in keys:
                spec = self.specs[key]
                holder = ValidatedField(self._editor(spec))
                self.fields[key] = holder
                label = QLabel(f"{spec.label}{' *' if spec.required else ''}")
                if spec.tooltip:
                    label.setToolTip(spec.tooltip)
                    holder.editor.setToolTip(spec.tooltip)
                form.addRow(label, holder)
            layout.addWidget(box)
        layout.addStretch(1)

    # -- building ------------------------------------------------------------------------------

    def _editor(self, spec: FieldSpec) -> QWidget:
        if spec.kind == TEXT:
            editor = QLineEdit()
            editor.setPlaceholderText(spec.placeholder)
            if spec.max_length:
                editor.setMaxLength(spec.max_length)
            editor.textEdited.connect(self._on_changed)
        elif spec.kind == MULTILINE:
            editor = QPlainTextEdit()
            editor.setPlaceholderText(spec.placeholder)
            editor.setTabChangesFocus(True)
            editor.setMinimumHeight(spec.height or 64)
            editor.setMaximumHeight(max(spec.height or 64, 64) * 2)
            editor.textChanged.connect(self._on_changed)
        elif spec.kind == DATE:
            editor = DateField()
            editor.edited.connect(self._on_changed)
        elif spec.kind == INT:
            # A line edit, like the unit page's counts (a QSpinBox loses its text under the style sheet).
            editor = QLineEdit()
            editor.setValidator(QIntValidator(spec.minimum, spec.maximum, editor))
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
            editor.setMaximumWidth(110)
            editor.setPlaceholderText(spec.placeholder)
            editor.textEdited.connect(self._on_changed)
        elif spec.kind in (CHOICE, FIXED):
            editor = QComboBox()
            editor.setEditable(spec.kind == CHOICE)
            editor.addItems(list(spec.options))
            editor.setCurrentIndex(-1)
            if spec.kind == CHOICE:
                editor.lineEdit().setPlaceholderText(spec.placeholder or "可选择或直接输入")
                editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            editor.currentTextChanged.connect(self._on_changed)
        elif spec.kind == BOOL:
            editor = QCheckBox(spec.placeholder)
            editor.toggled.connect(self._on_changed)
        elif spec.kind == LABEL:
            editor = QLabel()
            editor.setWordWrap(True)
            editor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        elif spec.kind == LIST:
            editor = OrderedListEditor(spec.placeholder or spec.label)
            editor.setMinimumHeight(spec.height or 160)
            editor.changed.connect(self._on_changed)
        else:
            raise ValueError(spec.kind)
        editor.setObjectName(f"field_{spec.key}")
        return editor

    def _on_changed(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    # -- values --------------------------------------------------------------------------------

    def editor(self, key: str) -> Any:
        return self.fields[key].editor

    def value(self, key: str) -> Any:
        spec, editor = self.specs[key], self.editor(key)
        if spec.kind == TEXT:
            return editor.text().strip()
        if spec.kind == MULTILINE:
            return editor.toPlainText().strip()
        if spec.kind == DATE:
            return editor.value()
        if spec.kind == INT:
            text = editor.text().strip()
            return int(text) if text.lstrip("-").isdigit() else None
        if spec.kind in (CHOICE, FIXED):
            return editor.currentText().strip()
        if spec.kind == BOOL:
            return editor.isChecked()
        if spec.kind == LIST:
            return [t.strip() for t in editor.items() if t.strip()]
        return editor.text()

    def values(self) -> dict[str, Any]:
        return {key: self.value(key) for key, spec in self.specs.items() if spec.kind != LABEL}

    def parse_errors(self) -> dict[str, str]:
        """Fields whose text cannot even be read (a date that is not a date, a count out of range)."""
        errors = {}
        for key, spec in self.specs.items():
            if spec.kind == DATE and (error := self.editor(key).error()):
                errors[key] = error
            elif spec.kind == INT and self.editor(key).text().strip():
                value = self.value(key)
                if value is None or not spec.minimum <= value <= spec.maximum:
                    errors[key] = f"{spec.label}应为{spec.minimum}至{spec.maximum}之间的整数"
        return errors

    def set_value(self, key: str, value: Any) -> None:
        spec, editor = self.specs[key], self.editor(key)
        if spec.kind == TEXT:
            editor.setText("" if value is None else str(value))
        elif spec.kind == MULTILINE:
            editor.setPlainText("" if value is None else str(value))
        elif spec.kind == DATE:
            editor.set_value(value)
        elif spec.kind == INT:
            editor.setText("" if value is None else str(int(value)))
        elif spec.kind in (CHOICE, FIXED):
            text = "" if value is None else str(value)
            if text and editor.findText(text) < 0:
                editor.addItem(text)  # a value no longer in the list still shows as it was saved
            editor.setCurrentIndex(editor.findText(text) if text else -1)
            if spec.kind == CHOICE:
                editor.setEditText(text)
        elif spec.kind == BOOL:
            editor.setChecked(bool(value))
        elif spec.kind == LABEL:
            editor.setText("" if value is None else str(value))
        elif spec.kind == LIST:
            editor.set_items(list(value or []))

    def set_values(self, values: dict[str, Any]) -> None:
        """Load a record; emits nothing (a load is not an edit)."""
        self._loading = True
        try:
            for key, value in values.items():
                if key in self.specs:
                    self.set_value(key, value)
        finally:
            self._loading = False

    def set_options(self, key: str, options: Sequence[str]) -> None:
        editor = self.editor(key)
        current = editor.currentText()
        self._loading = True
        try:
            editor.clear()
            editor.addItems(list(options))
            self.set_value(key, current)
        finally:
            self._loading = False

    def set_read_only(self, key: str, read_only: bool) -> None:
        editor = self.editor(key)
        if hasattr(editor, "setReadOnly"):
            editor.setReadOnly(read_only)
        else:
            editor.setEnabled(not read_only)

    def show_messages(self, errors: dict[str, str], warnings: dict[str, str] | None = None) -> None:
        warnings = warnings or {}
        for key, holder in self.fields.items():
            if key in errors:
                holder.set_message(errors[key])
            else:
                holder.set_message(warnings.get(key, ""), warning=True)

    def message(self, key: str) -> str:
        return self.fields[key].message_text()

    def focus(self, key: str) -> None:
        if key in self.fields:
            self.editor(key).setFocus(Qt.FocusReason.OtherFocusReason)
