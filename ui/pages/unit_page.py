"""单位信息: the unit profile for the year in view, validated as typed and saved explicitly."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import EditConflictError, UserError
from app.findings import Target
from app.models.unit import UNIT_NATURES
from app.services.calc import format_rate, ratio
from app.services.unit import LABELS, Profile, load_profile, profile_warnings, save_profile, validate_profile
from app.services.validation import parse_count
from app.services.versions import reapply
from ui.context import AppContext
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict, clash_note
from ui.pages.base import Page
from ui.widgets.ordered_list_editor import OrderedListEditor
from ui.widgets.save_state import SaveState
from ui.widgets.validated_field import ValidatedField

TEXT_FIELDS = ("name", "credit_code", "supervisor", "head", "preparer", "phone")
COUNT_FIELDS = ("departments", "staff_quota", "staff_actual", "retired")
PLACEHOLDERS = {
    "name": "如：汨罗市建筑工程服务中心",
    "credit_code": "18位，可不填",
    "supervisor": "如：汨罗市住房和城乡建设局",
    "phone": "手机号或带区号的固定电话",
}


class UnitPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self._loaded = Profile()
        self.fields: dict[str, ValidatedField] = {}

        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.state_label = SaveState("保存单位信息（Ctrl+S）")
        self.state_label.dirty_changed.connect(self.dirty_changed)
        self.revert_button = self.state_label.revert_button
        self.save_button = self.state_label.save_button
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addSpacing(12)
        header.addWidget(self.state_label)
        header.addStretch(1)
        header.addWidget(self.revert_button)
        header.addWidget(self.save_button)

        for key in TEXT_FIELDS:
            editor = QLineEdit()
            editor.setPlaceholderText(PLACEHOLDERS.get(key, ""))
            editor.textEdited.connect(self._on_edited)
            self.fields[key] = ValidatedField(editor)
        self.fields["credit_code"].editor.setMaxLength(18)
        for key in COUNT_FIELDS:
            editor = QLineEdit()
            editor.setMaximumWidth(120)
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
            editor.textEdited.connect(self._on_edited)
            self.fields[key] = ValidatedField(editor)
        nature = QComboBox()
        nature.setEditable(True)
        nature.addItems(UNIT_NATURES)
        nature.setCurrentIndex(-1)
        nature.currentTextChanged.connect(self._on_edited)
        self.fields["nature"] = ValidatedField(nature)
        self.rate_label = QLabel("—")
        self.rate_label.setToolTip("控制率 = 在职人数 ÷ 编制数，自动计算")
        self.duties = OrderedListEditor("职能职责（每项一行，编号自动生成）")
        self.duties.changed.connect(self._on_edited)

        basic = QGroupBox("基本信息")
        basic_form = QFormLayout(basic)
        for key in ("name", "credit_code", "supervisor", "nature", "head"):
            basic_form.addRow(self._label(key, required=key == "name"), self.fields[key])
        staffing = QGroupBox("人员编制")
        staffing_form = QFormLayout(staffing)
        for key in COUNT_FIELDS:
            staffing_form.addRow(self._label(key), self.fields[key])
        staffing_form.addRow(QLabel("控制率（在职/编制）"), self.rate_label)
        filling = QGroupBox("填报信息（表格落款）")
        filling_form = QFormLayout(filling)
        for key in ("preparer", "phone"):
            filling_form.addRow(self._label(key), self.fields[key])
        duties_box = QGroupBox("职能职责")
        duties_layout = QVBoxLayout(duties_box)
        duties_layout.addWidget(self.duties)

        grid = QGridLayout()
        grid.addWidget(basic, 0, 0, 2, 1)
        grid.addWidget(staffing, 0, 1)
        grid.addWidget(filling, 1, 1)
        grid.addWidget(duties_box, 2, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(2, 1)  # the duties list takes the room that is left
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.discard)
        self.ctx.data_changed.connect(self._on_data_changed)

    def _label(self, key: str, *, required: bool = False) -> QLabel:
        return QLabel(f"{LABELS[key]}{' *' if required else ''}")

    # -- loading and reading the form ---------------------------------------------------------

    def load(self) -> None:
        with self.ctx.db.session() as session:
            self._loaded = load_profile(session, self.ctx.unit_id, self.ctx.year)
        self._fill(self._loaded)
        self.heading.setText(f"单位信息 · {self.ctx.year}年度")
        self.state_label.set_dirty(False)
        self._validate()

    def _fill(self, profile: Profile) -> None:
        for key in TEXT_FIELDS:
            self.fields[key].editor.setText(getattr(profile, key))
        for key in COUNT_FIELDS:
            value = getattr(profile, key)
            self.fields[key].editor.setText("" if value is None else str(value))
        nature: QComboBox = self.fields["nature"].editor
        nature.blockSignals(True)
        nature.setCurrentText(profile.nature)
        nature.blockSignals(False)
        self.duties.set_items(profile.duties)

    def read_form(self) -> tuple[Profile, dict[str, str]]:
        """The profile as typed, and the messages of fields that cannot even be read."""
        errors: dict[str, str] = {}
        values: dict[str, object] = {key: self.fields[key].editor.text() for key in TEXT_FIELDS}
        for key in COUNT_FIELDS:
            value, error = parse_count(self.fields[key].editor.text(), LABELS[key])
            values[key] = value
            if error:
                errors[key] = error
        values["nature"] = self.fields["nature"].editor.currentText().strip()
        duties = [t.strip() for t in self.duties.items() if t.strip()]
        profile = Profile(**values, duties=duties, version=self._loaded.version)
        return profile, errors

    # -- validation as typed --------------------------------------------------------------------

    def _on_edited(self, *_args: object) -> None:
        self._validate()
        profile, _ = self.read_form()
        self.state_label.set_dirty(profile != self._loaded)

    def _validate(self) -> dict[str, str]:
        profile, errors = self.read_form()
        for key, message in validate_profile(profile).items():
            errors.setdefault(key, message)
        warnings = profile_warnings(profile)
        for key, field in self.fields.items():
            if key in errors:
                field.set_message(errors[key])
            else:
                field.set_message(warnings.get(key, ""), warning=True)
        self.rate_label.setText(format_rate(ratio(profile.staff_actual, profile.staff_quota), "—"))
        return errors

    # -- Page protocol ---------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.state_label.dirty

    def save(self) -> bool:
        errors = self._validate()
        if errors:
            first = next(key for key in self.fields if key in errors)
            self.fields[first].editor.setFocus()
            self.ctx.status_message.emit(f"未保存：{LABELS[first]} — {errors[first]}")
            return False
        profile, _ = self.read_form()
        try:
            save_profile(self.ctx.db, self.ctx.unit_id, self.ctx.year, profile)
        except EditConflictError as exc:
            self._resolve_conflict(str(exc), profile)
            return False
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return False
        with self.ctx.db.session() as session:  # the saved copy, with its new version
            self._loaded = load_profile(session, self.ctx.unit_id, self.ctx.year)
        self.state_label.set_dirty(False)
        self.ctx.notify_saved("unit", f"单位信息已保存（{datetime.now():%H:%M:%S}）")
        return True

    def _resolve_conflict(self, message: str, mine: Profile) -> None:
        """Saved elsewhere since loaded: reload, or re-apply the user's changes on the newer copy."""
        choice = ask_conflict(self, message)
        if choice is ConflictChoice.CANCEL:
            return
        original = self._loaded
        with self.ctx.db.session() as session:
            fresh = load_profile(session, self.ctx.unit_id, self.ctx.year)
        if choice is ConflictChoice.RELOAD:
            self.load()
            self.ctx.status_message.emit("已重新载入单位信息：显示的是别处保存的内容")
            return
        merged, clashes = reapply(original, mine, fresh)
        self._loaded = fresh
        self._fill(merged)
        self._on_edited()
        note = clash_note(LABELS, clashes)
        self.ctx.status_message.emit(f"已载入别处保存的内容并填回您的修改，尚未保存。{note}")

    def show_target(self, target: Target) -> None:
        if target.field == "duties":
            self.duties.focus_row(0)
        elif target.field in self.fields:
            self.fields[target.field].editor.setFocus()

    def _on_data_changed(self, module: str) -> None:
        if module == "unit" and not self.state_label.dirty:
            self.load()
