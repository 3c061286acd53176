"""A state change with its date and what goes with it (受理, 办结, 延期, 完成整改, 销号 …): a small
form, checked before it is accepted; the page then calls the service action with its values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.widgets.registers_form import FieldSpec, RegisterForm

Validator = Callable[[dict[str, Any]], dict[str, str]]


class ActionDialog(QDialog):
    def __init__(
        self,
        title: str,
        specs: Sequence[FieldSpec],
        values: dict[str, Any],
        *,
        hint: str = "",
        ok_text: str = "确定",
        validate: Validator | None = None,
        warn: Validator | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.validate = validate
        self.warn = warn  # messages shown in amber that do not stop the dialog (a date outside the year)
        self.form = RegisterForm(specs, [("", [s.key for s in specs])])
        self.form.set_values(values)
        self.form.changed.connect(self._check)
        if warn is not None:
            self.form.show_messages({}, warn(self.values()))
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#546e7a")
        self.hint.setVisible(bool(hint))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def set_value(self, key: str, value: Any) -> None:
        self.form.set_value(key, value)

    def errors(self) -> dict[str, str]:
        errors = dict(self.form.parse_errors())
        values = self.values()
        for key, spec in self.form.specs.items():
            if spec.required and key not in errors and values.get(key) in (None, "", []):
                errors[key] = f"请填写{spec.label}"
        if self.validate is not None:
            for key, message in self.validate(values).items():
                errors.setdefault(key, message)
        return errors

    def _check(self) -> dict[str, str]:
        errors = self.errors()
        self.form.show_messages(errors, self.warn(self.values()) if self.warn is not None else None)
        return errors

    def _accept(self) -> None:
        errors = self._check()
        if errors:
            self.form.focus(next(iter(errors)))
            return
        self.accept()
