"""The safety page's record dialogs: project, status change, hazard, 整改销号, document, activity,
and a new 工作量统计 item. Each validates through the service and shows the problems by field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app import clock
from app.dates import WorkingYear
from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.safety import SafetyHazard
from app.services.parsing import attempt, parse_money
from app.services.safety.categories import categories
from app.services.safety.constants import (
    ACTIVITY_KINDS,
    DOCUMENT_KINDS,
    HAZARD_LEVELS,
    HAZARD_STATUSES,
    PROJECT_KINDS,
    PROJECT_STATUSES,
)
from app.services.safety.forms import FieldError, FormErrors
from app.services.safety.inspections import (
    HazardDraft,
    hazard_warnings,
    load_hazard,
    rectify_hazard,
    update_hazard,
    validate_hazard,
)
from app.services.safety.projects import (
    LABELS,
    ProjectChoice,
    ProjectForm,
    change_status,
    create_project,
    delete_status,
    load_project,
    status_history,
    update_project,
)
from app.services.safety.records import (
    ActivityForm,
    DocumentForm,
    load_activity,
    load_document,
    save_activity,
    save_document,
)
from app.services.safety.workload import AGGREGATION_LABELS, RATE, NewItem, WorkloadItem, add_item
from app.services.validation import parse_count
from app.services.versions import reapply
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict, clash_note
from ui.models.safety_models import StatusHistoryModel
from ui.widgets.hazard_category_combo import CategoryCombo
from ui.widgets.safety_fields import (
    OptionalDate,
    ProjectPicker,
    date_edit,
    from_qdate,
    to_qdate,
    year_note,
)
from ui.widgets.validated_field import ValidatedField

Today = Callable[[], date]
DateEditor = TypeVar("DateEditor", QDateEdit, OptionalDate)


class _FormDialog(QDialog):
    """A dialog with a form of ValidatedFields, an error line and 保存/取消."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.fields: dict[str, ValidatedField] = {}
        self._year_dates: list[Callable[[], date | None]] = []
        # The working year of the page that opened the dialog: the dates' defaults and warnings
        # (a dialog given `working` sets it before adding its date fields).
        self.working = WorkingYear.current()
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("primaryButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def add_field(self, key: str, label: str, editor: QWidget) -> QWidget:
        field = ValidatedField(editor)
        self.fields[key] = field
        self.form.addRow(label, field)
        field.edited.connect(self.check_live)
        return editor

    def add_date_field(self, key: str, label: str, editor: DateEditor) -> DateEditor:
        """A date with an amber note beside it while it lies outside the working year."""
        if isinstance(editor, OptionalDate):
            note = year_note(editor.edit, self.working, editor.check.toggled)
            self._year_dates.append(editor.value)
        else:
            note = year_note(editor, self.working)
            self._year_dates.append(lambda: from_qdate(editor.date()))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor)
        layout.addWidget(note)
        layout.addStretch(1)
        row.setFocusProxy(editor)
        self.add_field(key, label, row)
        return editor

    def show_errors(self, errors: list[FieldError]) -> None:
        for field in self.fields.values():
            field.set_message("")
        unplaced = []
        for error in errors:
            if error.field in self.fields:
                self.fields[error.field].set_message(error.message)
            else:
                unplaced.append(error.message)
        self.error.setText("\n".join(unplaced))
        self.error.setVisible(bool(unplaced))
        first = next((self.fields[e.field] for e in errors if e.field in self.fields), None)
        if first is not None:
            first.editor.setFocus()
        self._show_warnings()

    # A dialog whose rules can run on every edit returns their problems and warnings from these
    # two hooks (and sets `live` once its fields are built): an error then goes as soon as its
    # field is valid (new ones wait for 保存), and warnings follow the fields as they change.
    live = False

    def live_errors(self) -> list[FieldError] | None:
        return None

    def live_warnings(self) -> list[FieldError]:
        return []

    def check_live(self) -> None:
        if not self.live:
            return
        errors = self.live_errors()
        if errors is not None:
            wrong = {e.field: e.message for e in errors}
            for key, field in self.fields.items():
                if field.has_error():
                    field.set_message(wrong.get(key, ""))
        self._show_warnings()

    def _show_warnings(self) -> None:
        if not self.live:
            return
        warnings = {w.field: w.message for w in self.live_warnings()}
        for key, field in self.fields.items():
            if not field.has_error() and (warnings.get(key) or field.message_text()):
                field.set_message(warnings.get(key, ""), warning=True)

    # An edit dialog sets `loaded` (the record's form as read) and overrides the three hooks below;
    # then a save refused because the record was saved elsewhere offers reload / re-apply.
    loaded: Any = None

    def reload_form(self) -> Any:  # pragma: no cover - overridden by edit dialogs
        raise NotImplementedError

    def fill(self, form: Any) -> None:  # pragma: no cover - overridden by edit dialogs
        raise NotImplementedError

    def current_form(self) -> Any:  # pragma: no cover - overridden by edit dialogs
        raise NotImplementedError

    def loaded_version(self) -> int | None:
        return None if self.loaded is None else self.loaded.version

    def resolve_conflict(self, message: str) -> None:
        try:
            fresh = self.reload_form()
        except UserError:  # deleted elsewhere
            self.show_errors([FieldError("", message)])
            return
        choice = ask_conflict(self, message)
        if choice is ConflictChoice.CANCEL:
            self.show_errors([FieldError("", message)])
            return
        if choice is ConflictChoice.RELOAD:
            self.loaded = fresh
            self.fill(fresh)
            self.show_errors([FieldError("", "已重新载入：表单中是别处保存的内容。")])
            return
        merged, clashes = reapply(self.loaded, self.current_form(), fresh)
        self.loaded = fresh
        self.fill(merged)
        note = clash_note({}, []) if not clashes else clash_note(self.field_labels(), clashes)
        self.show_errors(
            [FieldError("", f"已载入别处保存的内容并填回您的修改，尚未保存，请核对后再保存。{note}")]
        )

    def field_labels(self) -> dict[str, str]:
        return {
            key: self.form.labelForField(field).text().rstrip(" *")
            for key, field in self.fields.items()
            if self.form.labelForField(field) is not None
        }

    def run(self, action: Callable[[], object]) -> bool:
        """Call the service; show what it refused. True when saved."""
        try:
            action()
        except EditConflictError as exc:
            if self.loaded is None:
                self.show_errors([FieldError("", str(exc))])
            else:
                self.resolve_conflict(str(exc))
            return False
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return False
        except UserError as exc:
            self.show_errors([FieldError("", str(exc))])
            return False
        self.working.used(*(read() for read in self._year_dates))
        self.accept()
        return True

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def _line(text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    return edit


class ProjectDialog(_FormDialog):
    def __init__(
        self,
        db: Database,
        unit_id: int,
        parent: QWidget | None = None,
        project_id: int | None = None,
        working: WorkingYear | None = None,
    ):
        super().__init__("新增工程项目" if project_id is None else "修改工程项目", parent)
        self.db, self.unit_id, self.project_id = db, unit_id, project_id
        self.working = working or self.working
        self.saved_id: int | None = None
        self.name = self.add_field("name", "项目名称 *", _line(placeholder="如：罗城小区一期项目"))
        self.kind = self.add_field("kind", "工程类别 *", QComboBox())
        self.kind.addItems(PROJECT_KINDS)
        self.location = self.add_field("location", "建设地点", _line())
        self.developer = self.add_field("developer", "建设单位", _line())
        self.contractor = self.add_field("contractor", "施工单位", _line())
        self.supervision_firm = self.add_field("supervision_firm", "监理单位", _line())
        self.area = self.add_field("area", "建筑面积（m²）", _line(placeholder="如：28500.5"))
        self.cost = self.add_field("cost", "工程造价（万元）", _line(placeholder="如：5120.36"))
        self.permit_no = self.add_field("permit_no", "施工许可证号", _line())
        self.status = QComboBox()
        self.status.addItems(PROJECT_STATUSES)
        self.status.setCurrentText("在建")
        self.since = date_edit(self.working.default())
        if project_id is None:
            self.add_field("status", "当前状态 *", self.status)
            self.add_date_field("status_since", "状态起始日期 *", self.since)
        self.note = self.add_field("note", "备注", QPlainTextEdit())
        self.note.setFixedHeight(60)
        if project_id is not None:
            self.loaded = self.reload_form()
            self.fill(self.loaded)

    def reload_form(self) -> ProjectForm:
        with self.db.session() as session:
            return load_project(session, self.project_id)

    def current_form(self) -> ProjectForm:
        return self.read()[0]

    def fill(self, form: ProjectForm) -> None:
        for key in ("name", "location", "developer", "contractor", "supervision_firm", "permit_no"):
            getattr(self, key).setText(getattr(form, key))
        self.kind.setCurrentText(form.kind)
        self.area.setText("" if form.area is None else f"{form.area}")
        self.cost.setText("" if form.cost is None else f"{form.cost}")
        self.note.setPlainText(form.note)

    def read(self) -> tuple[ProjectForm, list[FieldError]]:
        errors = []
        numbers = {}
        for key in ("area", "cost"):
            value, error = attempt(parse_money, getattr(self, key).text(), LABELS[key])
            if error:
                errors.append(FieldError(key, error))
            numbers[key] = value
        form = ProjectForm(
            name=self.name.text(),
            kind=self.kind.currentText(),
            location=self.location.text(),
            developer=self.developer.text(),
            contractor=self.contractor.text(),
            supervision_firm=self.supervision_firm.text(),
            area=numbers["area"],
            cost=numbers["cost"],
            permit_no=self.permit_no.text(),
            note=self.note.toPlainText(),
            version=self.loaded_version(),
        )
        return form, errors

    def save(self) -> None:
        form, errors = self.read()
        if errors:
            self.show_errors(errors)
            return

        def write() -> None:
            if self.project_id is None:
                since = from_qdate(self.since.date())
                self.saved_id = create_project(self.db, self.unit_id, form, self.status.currentText(), since)
            else:
                update_project(self.db, self.project_id, form)
                self.saved_id = self.project_id

        self.run(write)


# The change a clerk most likely records next.
NEXT_STATUS = {"未开工": "在建", "在建": "竣工验收", "停工": "在建", "竣工验收": "竣工验收备案"}


class StatusDialog(_FormDialog):
    """变更状态: add a status change (the history shows below; a wrong entry can be deleted)."""

    def __init__(
        self,
        db: Database,
        project_id: int,
        project_name: str,
        parent: QWidget | None = None,
        working: WorkingYear | None = None,
    ) -> None:
        super().__init__(f"变更项目状态 — {project_name}", parent)
        self.db, self.project_id = db, project_id
        self.working = working or self.working
        self.status = self.add_field("status", "新状态 *", QComboBox())
        self.status.addItems(PROJECT_STATUSES)
        self.since = self.add_date_field("since", "起始日期 *", date_edit(self.working.default()))
        self.note = self.add_field("note", "说明", _line(placeholder="如：竣工验收合格；因资金问题停工"))
        self.history_model = StatusHistoryModel(db, self)
        self.history_model.show_project(project_id)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setMaximumHeight(170)
        self.delete_button = QPushButton("删除所选状态记录")
        self.delete_button.clicked.connect(self._delete_selected)
        self.history.verticalHeader().hide()
        self.layout_.insertWidget(0, QLabel("状态记录"))
        self.layout_.insertWidget(1, self.history)
        self.layout_.insertWidget(2, self.delete_button)
        self.layout_.insertWidget(3, QLabel("新增状态变更"))
        self.changed = False
        with db.session() as session:
            history = status_history(session, project_id)
        if history:
            self.status.setCurrentText(NEXT_STATUS.get(history[-1].status, history[-1].status))

    def _delete_selected(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        if not rows:
            return
        try:
            delete_status(self.db, self.history_model.row_key(rows[0].row()))
        except UserError as exc:
            self.show_errors([FieldError("", str(exc))])
            return
        self.changed = True
        self.history_model.refresh()

    def save(self) -> None:
        self.run(
            lambda: change_status(
                self.db,
                self.project_id,
                self.status.currentText(),
                from_qdate(self.since.date()),
                self.note.text(),
            )
        )


class HazardDialog(_FormDialog):
    """修改隐患: every field of one hazard."""

    def __init__(
        self,
        db: Database,
        hazard_id: int,
        projects: dict[int, str],
        parent: QWidget | None = None,
        today: Today = clock.today,
        working: WorkingYear | None = None,
    ) -> None:
        super().__init__("修改隐患", parent)
        self.db, self.hazard_id, self.today = db, hazard_id, today
        self.working = working or WorkingYear.current(today)
        with db.session() as session:
            self.record = load_hazard(session, hazard_id)
            unit_id = session.scalar(select(SafetyHazard.unit_id).where(SafetyHazard.id == hazard_id))
            self.known = categories(session, unit_id)
        self.loaded = replace(self.record.draft)
        draft = self.record.draft
        self.found = QLabel(f"{self.record.found_on:%Y-%m-%d}")
        self.form.addRow("检查日期", self.found)
        self.project = self.add_field("project_id", "项目 *", QComboBox())
        for pid in self.record.project_ids:
            self.project.addItem(projects.get(pid, str(pid)), pid)
        self.project.setCurrentIndex(self.project.findData(draft.project_id))
        self.description = self.add_field("description", "隐患描述 *", QPlainTextEdit(draft.description))
        self.description.setFixedHeight(60)
        self.category = self.add_field("category", "隐患类别 *", CategoryCombo(self.known, draft.category))
        self.level = self.add_field("level", "隐患等级 *", QComboBox())
        self.level.addItems(HAZARD_LEVELS)
        self.level.setCurrentText(draft.level)
        self.measures = self.add_field("measures", "整改措施", QPlainTextEdit(draft.measures))
        self.measures.setFixedHeight(60)
        self.responsible = self.add_field("responsible", "责任单位/人", _line(draft.responsible))
        self.deadline = self.add_field("deadline", "整改期限 *", date_edit(draft.deadline))
        self.status = self.add_field("status", "整改状态 *", QComboBox())
        self.status.addItems(HAZARD_STATUSES)
        self.status.setCurrentText(draft.status)
        self.rectified = self.add_date_field("rectified_on", "整改完成日期", OptionalDate("已完成"))
        self.rectified.set_value(draft.rectified_on, self.working.default(self.record.found_on))
        self.reviewer = self.add_field("reviewer", "复查人", _line(draft.reviewer))
        self.live = True
        self._show_warnings()

    def reload_form(self) -> HazardDraft:
        with self.db.session() as session:
            return load_hazard(session, self.hazard_id).draft

    def fill(self, draft: HazardDraft) -> None:
        self.project.setCurrentIndex(self.project.findData(draft.project_id))
        self.description.setPlainText(draft.description)
        self.category.set_categories(self.known, draft.category)
        self.level.setCurrentText(draft.level)
        self.measures.setPlainText(draft.measures)
        self.responsible.setText(draft.responsible)
        self.deadline.setDate(to_qdate(draft.deadline))
        self.status.setCurrentText(draft.status)
        self.rectified.set_value(draft.rectified_on, self.working.default(self.record.found_on))
        self.reviewer.setText(draft.reviewer)

    def current_form(self) -> HazardDraft:
        draft = replace(self.loaded)
        draft.project_id = self.project.currentData()
        draft.description = self.description.toPlainText()
        draft.category = self.category.category()
        draft.level = self.level.currentText()
        draft.measures = self.measures.toPlainText()
        draft.responsible = self.responsible.text()
        draft.deadline = from_qdate(self.deadline.date())
        draft.status = self.status.currentText()
        draft.rectified_on = self.rectified.value()
        draft.reviewer = self.reviewer.text()
        return draft

    def live_errors(self) -> list[FieldError]:
        return validate_hazard(
            self.current_form(),
            self.record.found_on,
            self.record.project_ids,
            None,
            self.today(),
            known=self.known,
            kept_category=self.record.draft.category,
        )

    def live_warnings(self) -> list[FieldError]:
        return hazard_warnings(self.current_form(), self.record.found_on)

    def save(self) -> None:
        draft = self.current_form()
        self.run(lambda: update_hazard(self.db, self.hazard_id, draft, self.today()))


class RectifyDialog(_FormDialog):
    """整改销号: the date the hazard was put right and who checked it."""

    def __init__(
        self,
        db: Database,
        hazard_id: int,
        description: str,
        parent: QWidget | None = None,
        reviewer: str = "",
        today: Today = clock.today,
        working: WorkingYear | None = None,
    ) -> None:
        super().__init__("整改销号", parent)
        self.db, self.hazard_id, self.today = db, hazard_id, today
        self.working = working or WorkingYear.current(today)
        text = QLabel(description)
        text.setWordWrap(True)
        self.form.addRow("隐患", text)
        self.rectified_on = self.add_date_field(
            "rectified_on", "整改完成日期 *", date_edit(self.working.default())
        )
        self.reviewer = self.add_field("reviewer", "复查人", _line(reviewer, "复查确认的监督人员"))

    def save(self) -> None:
        self.run(
            lambda: rectify_hazard(
                self.db,
                self.hazard_id,
                from_qdate(self.rectified_on.date()),
                self.reviewer.text(),
                self.today(),
            )
        )


class DocumentDialog(_FormDialog):
    def __init__(
        self,
        db: Database,
        unit_id: int,
        projects: list[ProjectChoice],
        parent: QWidget | None = None,
        document_id: int | None = None,
        today: Today = clock.today,
        project_id: int | None = None,
        working: WorkingYear | None = None,
    ) -> None:
        super().__init__("新增执法文书" if document_id is None else "修改执法文书", parent)
        self.db, self.unit_id, self.document_id, self.today = db, unit_id, document_id, today
        self.working = working or WorkingYear.current(today)
        self.kind = self.add_field("kind", "文书类型 *", QComboBox())
        self.kind.addItems(DOCUMENT_KINDS)
        self.number = self.add_field("number", "文号", _line(placeholder="如：汨建安改〔2024〕001号"))
        self.issued = self.add_date_field("issued_on", "下发日期 *", date_edit(self.working.default()))
        self.project = self.add_field("project_id", "项目", ProjectPicker(allow_none=True))
        self.project.set_choices(projects, project_id)
        # 整改期限 may well run into the next year: it has no year note.
        self.deadline = self.add_field("deadline", "整改期限", OptionalDate("有期限"))
        self.deadline.set_value(None, self.working.default())
        self.closed = self.add_date_field("closed_on", "办结日期", OptionalDate("已办结"))
        self.closed.set_value(None, self.working.default())
        self.hazards = QListWidget()
        self.hazards.setMinimumHeight(110)
        self.add_field("hazard_ids", "涉及隐患", self.hazards)
        self.note = self.add_field("note", "备注", QPlainTextEdit())
        self.note.setFixedHeight(50)
        linked: list[int] = []
        if document_id is not None:
            self.loaded = self.reload_form()
            self._fill_fields(self.loaded)
            linked = self.loaded.hazard_ids
        self.project.currentIndexChanged.connect(lambda _i: self._load_hazards([]))
        self._load_hazards(linked)

    def reload_form(self) -> DocumentForm:
        with self.db.session() as session:
            return load_document(session, self.document_id)

    def _fill_fields(self, form: DocumentForm) -> None:
        self.kind.setCurrentText(form.kind)
        self.number.setText(form.number)
        self.issued.setDate(to_qdate(form.issued_on))
        self.project.set_project(form.project_id)
        self.deadline.set_value(form.deadline, form.issued_on)
        self.closed.set_value(form.closed_on, self.working.default(form.issued_on))
        self.note.setPlainText(form.note)

    def fill(self, form: DocumentForm) -> None:
        self._fill_fields(form)
        self._load_hazards(form.hazard_ids)

    def current_form(self) -> DocumentForm:
        return self.form_value()

    def _load_hazards(self, checked: list[int]) -> None:
        self.hazards.clear()
        project_id = self.project.project_id()
        if project_id is None:
            return
        with self.db.session() as session:
            rows = session.execute(
                select(SafetyHazard.id, SafetyHazard.found_on, SafetyHazard.description, SafetyHazard.status)
                .where(SafetyHazard.project_id == project_id)
                .order_by(SafetyHazard.found_on.desc(), SafetyHazard.id.desc())
                .limit(500)
            ).all()
        for hid, found, text, status in rows:
            item = QListWidgetItem(f"{found:%Y-%m-%d}  {text}（{status}）")
            item.setData(Qt.ItemDataRole.UserRole, hid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if hid in checked else Qt.CheckState.Unchecked)
            self.hazards.addItem(item)

    def form_value(self) -> DocumentForm:
        hazard_ids = [
            self.hazards.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.hazards.count())
            if self.hazards.item(i).checkState() == Qt.CheckState.Checked
        ]
        return DocumentForm(
            kind=self.kind.currentText(),
            issued_on=from_qdate(self.issued.date()),
            number=self.number.text(),
            project_id=self.project.project_id(),
            deadline=self.deadline.value(),
            closed_on=self.closed.value(),
            note=self.note.toPlainText(),
            hazard_ids=hazard_ids,
            version=self.loaded_version(),
        )

    def save(self) -> None:
        if self.project.currentText().strip() and self.project.project_id() is None:
            self.show_errors([FieldError("project_id", "没有找到该项目，请从列表中选择")])
            return
        form = self.form_value()
        self.run(lambda: save_document(self.db, self.unit_id, form, self.document_id, self.today()))


class ActivityDialog(_FormDialog):
    def __init__(
        self,
        db: Database,
        unit_id: int,
        parent: QWidget | None = None,
        activity_id: int | None = None,
        working: WorkingYear | None = None,
    ):
        super().__init__("新增工作活动" if activity_id is None else "修改工作活动", parent)
        self.db, self.unit_id, self.activity_id = db, unit_id, activity_id
        self.working = working or self.working
        self.kind = self.add_field("kind", "活动类型 *", QComboBox())
        self.kind.setEditable(True)
        self.kind.addItems(ACTIVITY_KINDS)
        self.held = self.add_date_field("held_on", "日期 *", date_edit(self.working.default()))
        self.title = self.add_field("title", "名称/主题", _line(placeholder="如：全市质量安全管理专项会议"))
        self.participants = self.add_field("participants", "参加人数", _line(placeholder="可不填"))
        self.note = self.add_field("note", "备注", QPlainTextEdit())
        self.note.setFixedHeight(60)
        if activity_id is not None:
            self.loaded = self.reload_form()
            self.fill(self.loaded)

    def reload_form(self) -> ActivityForm:
        with self.db.session() as session:
            return load_activity(session, self.activity_id)

    def fill(self, form: ActivityForm) -> None:
        self.kind.setCurrentText(form.kind)
        self.held.setDate(to_qdate(form.held_on))
        self.title.setText(form.title)
        self.participants.setText("" if form.participants is None else str(form.participants))
        self.note.setPlainText(form.note)

    def current_form(self) -> ActivityForm:
        count, _error = parse_count(self.participants.text(), "参加人数")
        return ActivityForm(
            self.kind.currentText(),
            from_qdate(self.held.date()),
            self.title.text(),
            count,
            self.note.toPlainText(),
            self.loaded_version(),
        )

    def save(self) -> None:
        _count, error = parse_count(self.participants.text(), "参加人数")
        if error:
            self.show_errors([FieldError("participants", error)])
            return
        form = self.current_form()
        self.run(lambda: save_activity(self.db, self.unit_id, form, self.activity_id))


class WorkloadItemDialog(_FormDialog):
    """新增统计项: a figure of the unit's own (a count, a stock, or a rate of two others)."""

    def __init__(self, db: Database, unit_id: int, items: list[WorkloadItem], parent: QWidget | None = None):
        super().__init__("新增工作量统计项", parent)
        self.db, self.unit_id = db, unit_id
        self.saved_key = ""
        self.name = self.add_field("name", "名称 *", _line(placeholder="如：受理质量监督注册"))
        self.group = self.add_field("group", "分组", QComboBox())
        self.group.setEditable(True)
        self.group.addItems([*dict.fromkeys(item.group for item in items), "其他"])
        self.group.setCurrentText("其他")
        self.unit = self.add_field("unit", "计量单位", _line(placeholder="如：项、个、次、万元"))
        self.aggregation = self.add_field("aggregation", "统计方式", QComboBox())
        for key, label in AGGREGATION_LABELS.items():
            self.aggregation.addItem(label, key)
        self.decimals = self.add_field("decimals", "小数位数", QSpinBox())
        self.decimals.setRange(0, 4)
        self.numerator = self.add_field("numerator", "比率的分子", QComboBox())
        self.denominator = self.add_field("denominator", "比率的分母", QComboBox())
        for item in items:
            if not item.is_rate:
                self.numerator.addItem(item.name, item.key)
                self.denominator.addItem(item.name, item.key)
        self.aggregation.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        rate = self.aggregation.currentData() == RATE
        self.numerator.setEnabled(rate)
        self.denominator.setEnabled(rate)
        self.decimals.setEnabled(not rate)
        self.unit.setEnabled(not rate)

    def save(self) -> None:
        new = NewItem(
            name=self.name.text(),
            group=self.group.currentText(),
            unit=self.unit.text(),
            aggregation=self.aggregation.currentData(),
            decimals=self.decimals.value(),
            numerator=self.numerator.currentData() or "",
            denominator=self.denominator.currentData() or "",
        )

        def write() -> None:
            self.saved_key = add_item(self.db, self.unit_id, new)

        self.run(write)


__all__ = [
    "ActivityDialog",
    "DocumentDialog",
    "HazardDialog",
    "ProjectDialog",
    "RectifyDialog",
    "StatusDialog",
    "WorkloadItemDialog",
]
