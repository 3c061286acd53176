"""快速录入检查: one inspection with the hazards found in it, checked row by row and saved in one
transaction (nothing is written while any row is wrong; every problem is listed by row and field)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.dates import WorkingYear
from app.db import Database
from app.errors import EditConflictError, UserError
from app.services.safety.categories import HazardCategory, categories
from app.services.safety.constants import (
    HAZARD_LEVELS,
    HAZARD_STATUSES,
    INSPECTION_KINDS,
    MAJOR,
    NAMED_KINDS,
    RECTIFIED,
)
from app.services.safety.forms import FieldError, FormErrors
from app.services.safety.inspections import (
    INSPECTION_LABELS,
    HazardDraft,
    InspectionDraft,
    create_inspection,
    hazard_warnings,
    load_inspection,
    update_inspection,
    validate_hazard,
    validate_inspection,
)
from app.services.safety.projects import ProjectChoice
from app.services.versions import reapply
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict, clash_note
from ui.widgets.elided_combo import ElidedCombo
from ui.widgets.hazard_category_combo import CategoryCombo
from ui.widgets.safety_fields import date_edit, from_qdate, to_qdate, year_note
from ui.widgets.screen_fit import resize_within_screen

HAZARD_HEADERS = (
    "",
    "项目",
    "隐患描述 *",
    "类别",
    "等级",
    "整改措施",
    "责任单位/人",
    "整改期限",
    "状态",
    "整改完成",
    "",
)
INVALID_STYLE = "border: 1px solid #c62828; background: #fff5f5;"
WARNING_STYLE = "border: 1px solid #ef6c00; background: #fff8e1;"


def _mark(widget: QWidget, message: str) -> None:
    widget.setStyleSheet(INVALID_STYLE if message else "")
    widget.setToolTip(message)


class HazardRow(QWidget):
    """The widgets of one hazard row; they live in the dialog's grid, not in this widget."""

    remove_requested = Signal(object)
    edited = Signal()  # the user changed a field of the row

    def __init__(
        self,
        number: int,
        projects: list[ProjectChoice],
        found_on: date,
        known: list[HazardCategory] | None = None,
    ) -> None:
        super().__init__()
        self.number = QLabel(str(number))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.project = ElidedCombo()  # 城南安置小区…二期工程: the whole name as its tooltip
        self.project.setMinimumWidth(120)
        self.description = QLineEdit()
        self.description.setPlaceholderText("如：楼层临边防护栏杆缺失")
        self.description.setMinimumWidth(150)  # the row's columns fit a 1280 px screen
        self.category = CategoryCombo(known or [])
        self.category.setMinimumWidth(100)
        self.level = QComboBox()
        self.level.addItems(HAZARD_LEVELS)
        self.measures = QLineEdit()
        self.measures.setPlaceholderText("整改要求")
        self.measures.setMinimumWidth(120)
        self.responsible = QLineEdit()
        self.responsible.setMinimumWidth(80)
        self.deadline = date_edit(found_on + timedelta(days=7))
        self.status = QComboBox()
        self.status.addItems(HAZARD_STATUSES)
        self.rectified_on = date_edit(found_on)
        self.rectified_on.setEnabled(False)
        self.remove = QPushButton("删除")
        self.remove.setToolTip("删除这一条隐患")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self.status.currentTextChanged.connect(lambda s: self.rectified_on.setEnabled(s == RECTIFIED))
        self.level.currentTextChanged.connect(self._level_changed)
        self._deadline_touched = False
        self.deadline.dateChanged.connect(self._touched)
        self.set_projects(projects)
        for signal in (
            self.project.currentIndexChanged,
            self.description.textChanged,
            self.category.currentTextChanged,
            self.level.currentTextChanged,
            self.measures.textChanged,
            self.responsible.textChanged,
            self.deadline.dateChanged,
            self.status.currentTextChanged,
            self.rectified_on.dateChanged,
        ):
            signal.connect(lambda *_args: self.edited.emit())

    def _touched(self) -> None:
        self._deadline_touched = True

    def _level_changed(self, level: str) -> None:
        # A 重大 hazard gets a longer default deadline unless the clerk already chose one.
        if not self._deadline_touched:
            days = 15 if level == MAJOR else 7
            found = self.deadline.property("found_on")
            if isinstance(found, date):
                self.deadline.blockSignals(True)
                self.deadline.setDate(to_qdate(found + timedelta(days=days)))
                self.deadline.blockSignals(False)

    def set_found_on(self, found_on: date) -> None:
        self.deadline.setProperty("found_on", found_on)
        if not self.rectified_on.isEnabled():
            self.rectified_on.setDate(to_qdate(found_on))
        if not self._deadline_touched:
            self.deadline.blockSignals(True)
            self.deadline.setDate(
                to_qdate(found_on + timedelta(days=15 if self.level.currentText() == MAJOR else 7))
            )
            self.deadline.blockSignals(False)

    def set_projects(self, projects: list[ProjectChoice]) -> None:
        current = self.project.currentData()
        self.project.clear()
        for choice in projects:
            self.project.addItem(choice.name, choice.id)
        index = self.project.findData(current)
        self.project.setCurrentIndex(index if index >= 0 else (0 if projects else -1))

    def widgets(self) -> list[QWidget]:
        return [
            self.number,
            self.project,
            self.description,
            self.category,
            self.level,
            self.measures,
            self.responsible,
            self.deadline,
            self.status,
            self.rectified_on,
            self.remove,
        ]

    def field_widget(self, field: str) -> QWidget:
        return {
            "project_id": self.project,
            "description": self.description,
            "category": self.category,
            "level": self.level,
            "measures": self.measures,
            "responsible": self.responsible,
            "deadline": self.deadline,
            "status": self.status,
            "rectified_on": self.rectified_on,
        }.get(field, self.description)

    def draft(self, reviewer: str) -> HazardDraft:
        status = self.status.currentText()
        return HazardDraft(
            project_id=self.project.currentData(),
            description=self.description.text(),
            category=self.category.category(),
            deadline=from_qdate(self.deadline.date()),
            level=self.level.currentText(),
            measures=self.measures.text(),
            responsible=self.responsible.text(),
            status=status,
            rectified_on=from_qdate(self.rectified_on.date()) if status == RECTIFIED else None,
            reviewer=reviewer if status == RECTIFIED else "",
        )

    def is_blank(self) -> bool:
        return not (
            self.description.text().strip() or self.measures.text().strip() or self.responsible.text().strip()
        )


class InspectionDialog(QDialog):
    """New inspection with hazards (inspection_id None), or the inspection's own fields."""

    def __init__(
        self,
        db: Database,
        unit_id: int,
        projects: list[ProjectChoice],
        parent: QWidget | None = None,
        *,
        inspection_id: int | None = None,
        campaigns: list[str] | None = None,
        today: Callable[[], date] = clock.today,
        working: WorkingYear | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.unit_id, self.inspection_id = db, unit_id, inspection_id
        self.loaded: InspectionDraft | None = None
        self.projects = {p.id: p for p in projects}
        self.today = today
        self.saved_id: int | None = None
        self.rows: list[HazardRow] = []
        # Fields marked red by the last refused save, with their messages (see _check_live).
        self._marked: dict[QWidget, str] = {}
        self._warned: set[QWidget] = set()
        with db.session() as session:
            self.known = categories(session, unit_id)
        self.setWindowTitle("录入检查及发现的隐患" if inspection_id is None else "修改检查记录")
        resize_within_screen(self, 1240, 680)

        self.working = working or WorkingYear.current(today)
        self.checked_on = date_edit(self.working.default())
        self.checked_note = year_note(self.checked_on, self.working)
        self.kind = QComboBox()
        self.kind.addItems(INSPECTION_KINDS)
        self.campaign = QComboBox()
        self.campaign.setEditable(True)
        self.campaign.addItems(campaigns or [])
        self.campaign.setCurrentText("")
        self.campaign.lineEdit().setPlaceholderText("专项检查的名称或起重机械检测的轮次")
        self.inspectors = QLineEdit()
        self.inspectors.setPlaceholderText("如：李志刚、王建军")
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("检查情况（可不填）")
        self.summary.setFixedHeight(54)
        self.project_filter = QLineEdit()
        self.project_filter.setPlaceholderText("查找项目")
        self.project_list = QListWidget()
        self.project_list.setMinimumHeight(120)
        for choice in projects:
            item = QListWidgetItem(f"{choice.name}（{choice.status}）")
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.project_list.addItem(item)
        self.project_count = QLabel("未选择受检项目")

        header = QGroupBox("检查")
        form = QFormLayout()
        date_row = QHBoxLayout()
        date_row.addWidget(self.checked_on)
        date_row.addWidget(self.checked_note)
        date_row.addStretch(1)
        form.addRow("检查日期 *", date_row)
        form.addRow("检查类型 *", self.kind)
        form.addRow("专项名称/轮次", self.campaign)
        form.addRow("检查人员", self.inspectors)
        form.addRow("检查情况", self.summary)
        picker = QVBoxLayout()
        picker.addWidget(QLabel("受检项目 *（可多选）"))
        picker.addWidget(self.project_filter)
        picker.addWidget(self.project_list, 1)
        picker.addWidget(self.project_count)
        header_layout = QHBoxLayout(header)
        header_layout.addLayout(form, 3)
        header_layout.addLayout(picker, 2)

        self.hazard_box = QGroupBox("发现的隐患（每行一条；没有发现隐患时可不填）")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        for col, title in enumerate(HAZARD_HEADERS):
            label = QLabel(title)
            label.setStyleSheet("font-weight: bold; color: #37474f;")
            self.grid.addWidget(label, 0, col)
        self.grid.setColumnStretch(2, 3)
        self.grid.setColumnStretch(5, 2)
        grid_host = QWidget()
        host_layout = QVBoxLayout(grid_host)
        host_layout.addLayout(self.grid)
        host_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)
        self.add_button = QPushButton("＋ 添加隐患")
        self.add_button.clicked.connect(lambda: self.add_hazard_row())
        box_layout = QVBoxLayout(self.hazard_box)
        box_layout.addWidget(scroll, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        box_layout.addLayout(add_row)
        self.existing_note = QLabel()
        self.existing_note.setWordWrap(True)

        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #c62828;")
        self.errors.hide()
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #e65100;")
        self.warnings.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.save_button.setObjectName("primaryButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        # A splitter: on a low screen the user gives the hazard rows the height.
        body = QSplitter(Qt.Orientation.Vertical)
        body.setChildrenCollapsible(False)
        body.addWidget(header)
        body.addWidget(self.hazard_box)
        body.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)
        layout.addWidget(self.existing_note)
        layout.addWidget(self.warnings)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)

        self.project_filter.textChanged.connect(self._filter_projects)
        self.project_list.itemChanged.connect(self._projects_changed)
        self.checked_on.dateChanged.connect(self._date_changed)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self._kind_changed(self.kind.currentText())
        for signal in (
            self.checked_on.dateChanged,
            self.kind.currentTextChanged,
            self.campaign.currentTextChanged,
            self.inspectors.textChanged,
            self.project_list.itemChanged,
        ):
            signal.connect(lambda *_args: self._check_live())

        if inspection_id is None:
            self.existing_note.hide()
            self.add_hazard_row()
        else:
            self._load(inspection_id)

    # -- the inspection ----------------------------------------------------------------------------

    def _load(self, inspection_id: int) -> None:
        with self.db.session() as session:
            draft = load_inspection(session, inspection_id)
        self.loaded = draft
        self._fill(draft)
        self.hazard_box.hide()
        self.existing_note.setText("本次检查发现的隐患请在“隐患台账”中查看和修改。")

    def _fill(self, draft: InspectionDraft) -> None:
        self.checked_on.setDate(to_qdate(draft.checked_on))
        self.kind.setCurrentText(draft.kind)
        self.campaign.setCurrentText(draft.campaign)
        self.inspectors.setText(draft.inspectors)
        self.summary.setPlainText(draft.summary)
        self.set_projects_checked(draft.project_ids)

    def _kind_changed(self, kind: str) -> None:
        named = kind in NAMED_KINDS
        self.campaign.setEnabled(named or bool(self.campaign.currentText()))
        self.campaign.lineEdit().setPlaceholderText(
            "如：2023年第2轮起重机械监督比对检测"
            if kind == "起重机械检测"
            else "如：2023年安全生产月专项检查"
        )

    def _filter_projects(self, text: str) -> None:
        text = text.strip()
        for row in range(self.project_list.count()):
            item = self.project_list.item(row)
            item.setHidden(bool(text) and text not in item.text())

    def set_projects_checked(self, project_ids: list[int]) -> None:
        wanted = set(project_ids)
        self.project_list.blockSignals(True)
        for row in range(self.project_list.count()):
            item = self.project_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.project_list.blockSignals(False)
        self._projects_changed()

    def selected_project_ids(self) -> list[int]:
        return [
            self.project_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.project_list.count())
            if self.project_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _projects_changed(self, *_args: object) -> None:
        chosen = [self.projects[pid] for pid in self.selected_project_ids()]
        self.project_count.setText(f"已选择 {len(chosen)} 个受检项目" if chosen else "未选择受检项目")
        for row in self.rows:
            row.set_projects(chosen)

    def _date_changed(self) -> None:
        for row in self.rows:
            row.set_found_on(from_qdate(self.checked_on.date()))

    # -- hazard rows -------------------------------------------------------------------------------

    def add_hazard_row(self) -> HazardRow:
        chosen = [self.projects[pid] for pid in self.selected_project_ids()]
        found_on = from_qdate(self.checked_on.date())
        row = HazardRow(len(self.rows) + 1, chosen, found_on, self.known)
        row.set_found_on(found_on)
        row.remove_requested.connect(self.remove_hazard_row)
        row.edited.connect(self._check_live)
        self.rows.append(row)
        self._layout_rows()
        row.description.setFocus()
        return row

    def remove_hazard_row(self, row: HazardRow) -> None:
        self.rows.remove(row)
        for widget in row.widgets():
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
            self._marked.pop(widget, None)
            self._warned.discard(widget)
        row.deleteLater()
        self._layout_rows()
        self._check_live()

    def _layout_rows(self) -> None:
        for row in self.rows:
            for widget in row.widgets():
                self.grid.removeWidget(widget)
        for index, row in enumerate(self.rows, start=1):
            row.number.setText(str(index))
            for col, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, index, col)

    # -- saving ------------------------------------------------------------------------------------

    def inspection_draft(self) -> InspectionDraft:
        return InspectionDraft(
            checked_on=from_qdate(self.checked_on.date()),
            kind=self.kind.currentText(),
            project_ids=self.selected_project_ids(),
            campaign=self.campaign.currentText() if self.campaign.isEnabled() else "",
            inspectors=self.inspectors.text(),
            summary=self.summary.toPlainText(),
            version=None if self.loaded is None else self.loaded.version,
        )

    def hazard_drafts(self) -> list[HazardDraft]:
        reviewer = self.inspectors.text().replace("，", "、").split("、")[0].strip()
        return [row.draft(reviewer) for row in self.rows]

    def drop_blank_rows(self) -> None:
        """An untouched empty row is not a hazard: drop it, so that row numbers match the messages."""
        for row in [r for r in self.rows if r.is_blank()]:
            self.remove_hazard_row(row)

    def _clear_marks(self) -> None:
        for widget in (self.kind, self.campaign, self.project_list, self.checked_on):
            _mark(widget, "")
        for row in self.rows:
            for widget in row.widgets():
                _mark(widget, "")
        self._marked.clear()
        self._warned.clear()

    def _widget_for(self, error: FieldError) -> QWidget:
        if error.row is None:
            header = {"kind": self.kind, "campaign": self.campaign, "projects": self.project_list}
            return header.get(error.field, self.checked_on)
        return self.rows[error.row].field_widget(error.field)

    def show_errors(self, errors: list[FieldError]) -> None:
        self._clear_marks()
        first: QWidget | None = None
        for error in errors:
            widget = self._widget_for(error)
            _mark(widget, error.message)
            self._marked[widget] = error.message
            first = first or widget
        self._show_error_list(errors)
        self._show_warnings()
        if first is not None:
            first.setFocus()

    def _show_error_list(self, errors: list[FieldError]) -> None:
        self.errors.setText("未保存，请修改以下问题：\n" + "\n".join(f"· {e.message}" for e in errors))
        self.errors.setVisible(bool(errors))

    def current_errors(self) -> list[FieldError]:
        """What a save would refuse now (the service's rules, run on the form as it stands)."""
        draft = self.inspection_draft()
        errors = validate_inspection(draft)
        if self.inspection_id is None:
            today = self.today()
            for index, hazard in enumerate(self.hazard_drafts()):
                errors += validate_hazard(
                    hazard, draft.checked_on, draft.project_ids, index, today, known=self.known
                )
        return errors

    def _check_live(self) -> None:
        """After an edit: a red field whose value is now valid loses its mark at once (new
        problems wait for 保存), and the warnings follow the form."""
        if self._marked:
            still = {}
            for error in self.current_errors():
                widget = self._widget_for(error)
                if widget in self._marked and widget not in still:
                    still[widget] = error
            for widget in [w for w in self._marked if w not in still]:
                _mark(widget, "")
                del self._marked[widget]
            for widget, error in still.items():
                _mark(widget, error.message)
                self._marked[widget] = error.message
            self._show_error_list(list(still.values()))
        self._show_warnings()

    def _show_warnings(self) -> None:
        if self.inspection_id is not None:
            return
        found_on = from_qdate(self.checked_on.date())
        warnings = [
            (row.deadline, warning)
            for index, (row, hazard) in enumerate(zip(self.rows, self.hazard_drafts(), strict=True))
            for warning in hazard_warnings(hazard, found_on, index)
        ]
        warned = {widget for widget, _w in warnings}
        for widget in self._warned - warned:
            if widget not in self._marked:
                _mark(widget, "")
        for widget, warning in warnings:
            if widget not in self._marked:
                widget.setStyleSheet(WARNING_STYLE)
                widget.setToolTip(warning.message)
        self._warned = warned
        self.warnings.setText("请核对（不影响保存）：" + "；".join(w.message for _w, w in warnings))
        self.warnings.setVisible(bool(warnings))

    def save(self) -> None:
        if self.inspection_id is None:
            self.drop_blank_rows()
        draft = self.inspection_draft()
        try:
            if self.inspection_id is None:
                self.saved_id = create_inspection(
                    self.db, self.unit_id, draft, self.hazard_drafts(), self.today()
                )
            else:
                update_inspection(self.db, self.inspection_id, draft)
                self.saved_id = self.inspection_id
        except EditConflictError as exc:
            self._resolve_conflict(str(exc), draft)
            return
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return
        except UserError as exc:
            self.errors.setText(str(exc))
            self.errors.show()
            return
        self.working.used(draft.checked_on)
        self.accept()

    def _resolve_conflict(self, message: str, mine: InspectionDraft) -> None:
        """Saved elsewhere since this dialog opened: reload, or re-apply the user's changes."""
        assert self.loaded is not None and self.inspection_id is not None
        try:
            with self.db.session() as session:
                fresh = load_inspection(session, self.inspection_id)
        except UserError:
            fresh = None
        choice = ConflictChoice.CANCEL if fresh is None else ask_conflict(self, message)
        if choice is ConflictChoice.CANCEL or fresh is None:
            self.errors.setText(message)
        elif choice is ConflictChoice.RELOAD:
            self._fill(fresh)
            self.errors.setText("已重新载入：表单中是别处保存的内容。")
        else:
            merged, clashes = reapply(self.loaded, mine, fresh)
            self._fill(merged)
            note = clash_note(INSPECTION_LABELS, clashes)
            self.errors.setText(f"已载入别处保存的内容并填回您的修改，尚未保存，请核对后再保存。{note}")
        if fresh is not None:
            self.loaded = fresh
        self.errors.show()
