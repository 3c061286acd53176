"""巡察整改: a 巡察's problems by 方面 (lazy list with filters), the detail form with its measures,
owners and deadline, dated state changes through to 销号, evidence files, progress, and the
巡察反馈问题整改台账 export. The mechanics of a register page (unsaved edits, delete, state changes,
refresh) are RegisterPage's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.findings import Target
from app.models.registers import (
    PROBLEM_LONG_TERM,
    PROBLEM_NOT_STARTED,
    PROBLEM_STATES,
    InspectionAspect,
    RectificationProblem,
)
from app.services.registers import rectification as rc
from app.services.registers.common import (
    DUE_SOON,
    OVERDUE,
    RegisterFilter,
    deadline_state,
    describe_deadline,
    format_date,
    format_rate_prose,
)
from ui.context import AppContext
from ui.dialogs.registers_action_dialog import ActionDialog
from ui.models.query_table_model import ALIGN_CENTER, QueryColumn
from ui.pages.register_page_base import (
    DEADLINE_COLOURS,
    DONE_COLOUR,
    DUE_SOON_COLOUR,
    OVERDUE_COLOUR,
    RegisterPage,
    deadline_html,
    not_before,
    show_count,
)
from ui.widgets.registers_form import DATE, FIXED, INT, LIST, MULTILINE, FieldSpec, RegisterForm
from ui.widgets.registers_list import ExtraFilter, RegisterList

MODULE = "rectification"
NO_ASPECT = "（未分组）"

FORM_SPECS = [
    FieldSpec("aspect", "方面", FIXED),
    FieldSpec("number", "序号", INT, minimum=1, maximum=9999),
    FieldSpec("description", "反馈问题", MULTILINE, required=True, height=70),
    FieldSpec(
        "measures",
        "整改措施",
        LIST,
        placeholder="整改措施（一项一行）",
        tooltip="一项一行，导出时自动编为“一是……二是……”",
        height=200,
    ),
    FieldSpec("due_on", "整改时限", DATE),
    FieldSpec("leader", "责任领导", max_length=50),
    FieldSpec("lead_unit", "牵头单位", max_length=100),
    FieldSpec("department", "责任科室", max_length=100),
    FieldSpec("completed_on", "完成日期", DATE),
    FieldSpec("closed_on", "销号日期", DATE),
    FieldSpec("evidence", "佐证材料说明", MULTILINE, height=60),
]
FORM_GROUPS = [
    ("问题清单", ["aspect", "number", "description"]),
    ("任务清单", ["measures"]),
    ("时间清单、责任清单", ["due_on", "leader", "lead_unit", "department"]),
    ("整改完成情况", ["completed_on", "closed_on", "evidence"]),
]
_DATA_KEYS = [
    "number",
    "description",
    "measures",
    "due_on",
    "leader",
    "lead_unit",
    "department",
    "completed_on",
    "closed_on",
    "evidence",
]


class RectificationPage(RegisterPage[rc.ProblemData]):
    module = MODULE
    record_word = "问题"
    labels = rc.PROBLEM_LABELS

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.inspection_id: int | None = None
        self._aspects: list[tuple[int, str]] = []
        self.heading = QLabel("巡察整改")
        self.heading.setObjectName("pageHeading")
        self.inspection_combo = QComboBox()
        self.inspection_combo.setMinimumWidth(340)
        self.new_inspection_button = QPushButton("新建巡察…")
        self.edit_inspection_button = QPushButton("编辑巡察…")
        self.delete_inspection_button = QPushButton("删除巡察")
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addSpacing(16)
        header.addWidget(self.inspection_combo, 1)
        header.addWidget(self.new_inspection_button)
        header.addWidget(self.edit_inspection_button)
        header.addWidget(self.delete_inspection_button)

        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        self.progress_label.setObjectName("registerSummary")
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMinimumWidth(150)
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.setFormat("完成率 %p%")
        self.chip_overdue = QPushButton("超期 0")
        self.chip_overdue.setFlat(True)
        self.chip_overdue.setToolTip("点击查看超过整改时限仍未完成的问题")
        self.chip_soon = QPushButton("本周到期 0")
        self.chip_soon.setFlat(True)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_bar)
        progress.addWidget(self.chip_overdue)
        progress.addWidget(self.chip_soon)
        progress.addWidget(self.progress_label, 1)

        self.new_button = QPushButton("新增问题")
        self.new_button.setObjectName("primaryButton")
        self.delete_button = QPushButton("删除问题")
        self.export_button = QPushButton("导出整改台账…")
        self.export_button.setToolTip("导出巡察反馈问题整改台账（问题清单、任务清单、时间清单、责任清单）")
        tools = QHBoxLayout()
        tools.addStretch(1)
        self.import_button = QPushButton("从台账导入…")
        self.import_button.setToolTip("从 WPS/Excel 中已有的整改台账导入（可预览，导入后可撤销）")
        self.import_button.clicked.connect(lambda: self.import_ledger())
        for button in (self.new_button, self.delete_button, self.export_button, self.import_button):
            tools.addWidget(button)

        self.list = self._build_list()
        self.form = RegisterForm(FORM_SPECS, FORM_GROUPS)
        self.form.changed.connect(self._on_edited)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(self.list)
        self.body.addWidget(self._build_detail())
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)
        self.body.setSizes([720, 560])
        self.empty_page = QLabel("还没有巡察。点击“新建巡察…”录入巡察信息和反馈的问题。")
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(progress)
        layout.addLayout(tools)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty_page, 1)

        self.inspection_combo.activated.connect(self._on_inspection_chosen)
        self.new_inspection_button.clicked.connect(lambda: self.new_inspection())
        self.edit_inspection_button.clicked.connect(lambda: self.edit_inspection())
        self.delete_inspection_button.clicked.connect(self.delete_inspection)
        self.new_button.clicked.connect(self.new_problem)
        self.delete_button.clicked.connect(self.delete_current)
        self.export_button.clicked.connect(lambda: self.export_ledger())
        self.chip_overdue.clicked.connect(lambda: self.list.apply_filter(RegisterFilter(due=OVERDUE)))
        self.chip_soon.clicked.connect(lambda: self.list.apply_filter(RegisterFilter(due=DUE_SOON)))
        self.list.current_changed.connect(self._on_current_changed)
        self._show_record(None)

    # -- building ------------------------------------------------------------------------------

    def _build_list(self) -> RegisterList:
        def today() -> date:
            return self.today()

        aspect_title = (
            select(InspectionAspect.title)
            .where(InspectionAspect.id == RectificationProblem.aspect_id)
            .scalar_subquery()
            .label("aspect_title")
        )
        columns = [
            QueryColumn("序号", RectificationProblem.number, align=ALIGN_CENTER, width=48),
            QueryColumn("方面", aspect_title, fmt=lambda v: v or NO_ASPECT, width=150),
            QueryColumn("反馈问题", RectificationProblem.description, width=260, stretch=True),
            QueryColumn("状态", RectificationProblem.status, align=ALIGN_CENTER, width=70),
            QueryColumn(
                "整改时限", RectificationProblem.due_on, fmt=format_date, align=ALIGN_CENTER, width=92
            ),
            QueryColumn("责任领导", RectificationProblem.leader, width=72),
            QueryColumn("牵头单位", RectificationProblem.lead_unit, width=110),
            QueryColumn(
                "完成日期", RectificationProblem.completed_on, fmt=format_date, align=ALIGN_CENTER, width=92
            ),
            QueryColumn(
                "销号日期", RectificationProblem.closed_on, fmt=format_date, align=ALIGN_CENTER, width=92
            ),
        ]
        status_at, due_at = 4, 5  # row[0] is the key

        def state(row: Any) -> str:
            return deadline_state(row[due_at], today(), pending=row[status_at] in rc.OPEN_STATES)

        def colour(row: Any) -> str | None:
            return DEADLINE_COLOURS.get(
                state(row), DONE_COLOUR if row[status_at] not in rc.OPEN_STATES else None
            )

        def tooltip(row: Any) -> str | None:
            if state(row) in (OVERDUE, DUE_SOON):
                return f"整改时限：{describe_deadline(row[due_at], today())}"
            return None

        register = RegisterList(
            self.ctx.db,
            columns,
            RectificationProblem.id,
            self._conditions,
            statuses=PROBLEM_STATES,
            extra_filters=[ExtraFilter("aspect_id", "方面")],
            search_placeholder="搜索问题、责任领导、牵头单位、佐证材料…",
            unit_word="项",
            row_colour=colour,
            row_tooltip=tooltip,
        )
        register.set_default_sort(0, Qt.SortOrder.AscendingOrder)
        return register

    def _build_detail(self) -> QWidget:
        self.start_button = QPushButton("开始整改")
        self.complete_button = QPushButton("完成整改…")
        self.keep_up_button = QPushButton("长期坚持…")
        self.close_off_button = QPushButton("销号…")
        self.cancel_close_button = QPushButton("撤销销号")
        self.reopen_button = QPushButton("退回整改中")
        self.start_button.clicked.connect(lambda: self.start_current())
        self.complete_button.clicked.connect(lambda: self.complete_current())
        self.keep_up_button.clicked.connect(lambda: self.keep_up_current())
        self.close_off_button.clicked.connect(lambda: self.close_off_current())
        self.cancel_close_button.clicked.connect(lambda: self.cancel_close_current())
        self.reopen_button.clicked.connect(lambda: self.reopen_current())

        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(120)
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        self.add_file_button = QPushButton("添加文件…")
        self.open_file_button = QPushButton("打开")
        self.remove_file_button = QPushButton("移除")
        self.add_file_button.clicked.connect(lambda: self.add_attachments())
        self.open_file_button.clicked.connect(lambda: self.open_attachment())
        self.remove_file_button.clicked.connect(lambda: self.remove_attachment())
        files_box = QGroupBox("佐证附件（复制到数据文件夹保存）")
        files_layout = QHBoxLayout(files_box)
        files_buttons = QVBoxLayout()
        for button in (self.add_file_button, self.open_file_button, self.remove_file_button):
            files_buttons.addWidget(button)
        files_buttons.addStretch(1)
        files_layout.addWidget(self.attachments, 1)
        files_layout.addLayout(files_buttons)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.form)
        content_layout.addWidget(files_box)
        actions = [
            self.start_button,
            self.complete_button,
            self.keep_up_button,
            self.close_off_button,
            self.cancel_close_button,
            self.reopen_button,
        ]
        return self._detail_panel(
            actions, content, "保存此问题（Ctrl+S）", "在左侧选择一个问题，或点击“新增问题”。"
        )

    # -- loading -------------------------------------------------------------------------------

    def import_ledger(self, path=None):
        from ui.ledger_import import open_ledger_import

        return open_ledger_import(self, self.ctx, "rectification", path)

    def load(self) -> None:
        with self.ctx.db.session() as session:
            items = rc.list_inspections(session, self.ctx.unit_id)
        self.inspection_combo.clear()
        for item in items:
            self.inspection_combo.addItem(item.label(), item.id)
        keep = self.inspection_id if any(i.id == self.inspection_id for i in items) else None
        self.show_inspection(keep if keep is not None else (items[0].id if items else None))

    def show_inspection(self, inspection_id: int | None) -> None:
        self.inspection_id = inspection_id
        has = inspection_id is not None
        self.body.setVisible(has)
        self.empty_page.setVisible(not has)
        for widget in (
            self.edit_inspection_button,
            self.delete_inspection_button,
            self.new_button,
            self.export_button,
        ):
            widget.setEnabled(has)
        for widget in (self.progress_bar, self.chip_overdue, self.chip_soon):
            widget.setVisible(has)
        if not has:
            self.progress_label.setText("")
            self._show_record(None)
            return
        self.inspection_combo.setCurrentIndex(self.inspection_combo.findData(inspection_id))
        with self.ctx.db.session() as session:
            data = rc.load_inspection(session, inspection_id)
        self._aspects = [(a.id, a.title) for a in data.aspects if a.id is not None]
        self.form.set_options("aspect", [NO_ASPECT, *(title for _id, title in self._aspects)])
        self.list.set_extra_options(
            ExtraFilter("aspect_id", "方面", [(_short(t), i) for i, t in self._aspects])
        )
        self.list.apply_filter(RegisterFilter())
        self.refresh_progress()
        self._show_record(None)

    def _conditions(self, flt: RegisterFilter) -> list[Any]:
        return rc.problem_conditions(self.inspection_id or 0, flt, self.today())

    def refresh_progress(self) -> None:
        if self.inspection_id is None:
            return
        today = self.today()
        with self.ctx.db.session() as session:
            progress = rc.progress_counts(session, self.inspection_id, today)
            due_soon = rc.count_problems(session, self.inspection_id, RegisterFilter(due=DUE_SOON), today)
        self.progress = progress
        states = "、".join(f"{s} {progress.count(s)}" for s in PROBLEM_STATES)
        self.progress_label.setText(
            f"{progress.aspect_count}个方面 {progress.total}项问题：{states}；"
            f"完成率 {format_rate_prose(progress.completion_rate, '—')}，已销号 {progress.closed}项"
        )
        lines = []
        for index, (title, counts) in enumerate(progress.by_aspect, start=1):
            parts = "、".join(f"{s}{counts[s]}" for s in PROBLEM_STATES if counts.get(s))
            lines.append(f"{index}. {title}：{sum(counts.values())}项（{parts or '无问题'}）")
        self.progress_label.setToolTip("按方面：\n" + "\n".join(lines) if lines else "")
        rate = progress.completion_rate
        self.progress_bar.setValue(int(rate * 100) if rate is not None else 0)
        overdue = progress.overdue
        show_count(self.chip_overdue, "超期", overdue, OVERDUE_COLOUR)
        show_count(self.chip_soon, "本周到期", due_soon, DUE_SOON_COLOUR)

    def _on_inspection_chosen(self, index: int) -> None:
        inspection_id = self.inspection_combo.itemData(index)
        if inspection_id == self.inspection_id:
            return
        if self.is_dirty() and not self._resolve_unsaved():
            self.inspection_combo.setCurrentIndex(self.inspection_combo.findData(self.inspection_id))
            return
        self.show_inspection(inspection_id)

    # -- 巡察 ----------------------------------------------------------------------------------

    def new_inspection(self, data: rc.InspectionData | None = None) -> int | None:
        """新建巡察 (with `data`, no dialog: tests and importers)."""
        if self.is_dirty() and not self._resolve_unsaved():
            return None
        if data is None:
            from ui.dialogs.registers_inspection_dialog import InspectionDialog

            dialog = InspectionDialog(rc.InspectionData(), self)
            if dialog.exec() != InspectionDialog.DialogCode.Accepted:
                return None
            data = dialog.result_data()
        try:
            inspection_id = rc.save_inspection(self.ctx.db, self.ctx.unit_id, data)
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return None
        self.inspection_id = inspection_id
        self.load()
        self.ctx.notify_saved(MODULE, f"巡察“{data.name}”已保存")
        return inspection_id

    def edit_inspection(self, data: rc.InspectionData | None = None) -> bool:
        if self.inspection_id is None:
            return False
        if data is None:
            from ui.dialogs.registers_inspection_dialog import InspectionDialog

            with self.ctx.db.session() as session:
                current = rc.load_inspection(session, self.inspection_id)
            dialog = InspectionDialog(current, self)
            if dialog.exec() != InspectionDialog.DialogCode.Accepted:
                return False
            data = dialog.result_data()
        try:
            rc.save_inspection(self.ctx.db, self.ctx.unit_id, data)
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return False
        self.load()
        self.ctx.notify_saved(MODULE, f"巡察“{data.name}”已保存")
        return True

    def delete_inspection(self) -> None:
        if self.inspection_id is None:
            return
        name = self.inspection_combo.currentText()
        with self.ctx.db.session() as session:  # the copy the question is about
            version = rc.load_inspection(session, self.inspection_id).version
        answer = QMessageBox.question(
            self,
            "删除巡察",
            f"确定删除“{name}”及其全部反馈问题、整改记录和佐证附件？删除后不能恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            rc.delete_inspection(self.ctx.db, self.inspection_id, version)
        except UserError as exc:
            QMessageBox.warning(self, "无法删除巡察", str(exc))
            self.load()
            return
        self.inspection_id = None
        self.save_state.set_dirty(False)
        self.load()
        self.ctx.notify_saved(MODULE, f"已删除“{name}”")
        self.badge_changed.emit()

    # -- the problem in the form ---------------------------------------------------------------

    def _aspect_title(self, aspect_id: int | None) -> str:
        return next((t for i, t in self._aspects if i == aspect_id), NO_ASPECT)

    def _aspect_id(self, title: str) -> int | None:
        return next((i for i, t in self._aspects if t == title), None)

    def _load_record(self, session: Session, key: int) -> rc.ProblemData:
        return rc.load_problem(session, key)

    def _form_values(self, data: rc.ProblemData) -> dict[str, Any]:
        values = {key: getattr(data, key) for key in _DATA_KEYS}
        values["aspect"] = self._aspect_title(data.aspect_id)
        return values

    def _show_details(self, data: rc.ProblemData) -> None:
        today = self.today()
        if data.id is None:
            text = "新增问题（未保存）"
        else:
            text = f"状态：<b>{data.status}</b>"
            if data.closed_on:
                text += f"　已销号（{format_date(data.closed_on)}）"
            if data.status in rc.OPEN_STATES and data.due_on:
                text += deadline_html("整改时限", data.due_on, today)
        self.state_label.setText(text)
        saved = data.id is not None
        status = data.status
        self.start_button.setEnabled(saved and status == PROBLEM_NOT_STARTED)
        self.complete_button.setEnabled(saved and status in (*rc.OPEN_STATES, PROBLEM_LONG_TERM))
        self.keep_up_button.setEnabled(saved and status in rc.OPEN_STATES)
        self.close_off_button.setEnabled(saved and status in rc.DONE_STATES and data.closed_on is None)
        self.cancel_close_button.setEnabled(saved and data.closed_on is not None)
        self.reopen_button.setEnabled(saved and status in rc.DONE_STATES)
        self.form.set_read_only("completed_on", status not in rc.DONE_STATES)
        self.form.set_read_only("closed_on", data.closed_on is None)
        for widget in (self.add_file_button, self.open_file_button, self.remove_file_button):
            widget.setEnabled(saved)
        self._refresh_attachments()

    def read_form(self) -> tuple[rc.ProblemData, dict[str, str]]:
        assert self._loaded is not None
        values = self.form.values()
        data = replace(
            self._loaded,
            aspect_id=self._aspect_id(values["aspect"]),
            **{key: values[key] for key in _DATA_KEYS},
        )
        return data, self.form.parse_errors()

    def _check(self, data: rc.ProblemData) -> tuple[dict[str, str], dict[str, str]]:
        return rc.validate_problem(data), rc.problem_warnings(data, self.today())

    def _write(self, data: rc.ProblemData) -> int:
        return rc.save_problem(self.ctx.db, data)

    def _delete(self, data: rc.ProblemData) -> None:
        rc.delete_problem(self.ctx.db, data.id, data.version)

    def _delete_question(self, data: rc.ProblemData) -> str:
        return f"确定删除问题{data.number}及其整改措施和佐证附件？删除后不能恢复。"

    def _describe(self, data: rc.ProblemData, done: str) -> str:
        return f"问题{data.number}{done}"

    def _refresh_summary(self) -> None:
        self.refresh_progress()

    # -- Page protocol ---------------------------------------------------------------------------

    def show_target(self, target: Target) -> None:
        if not target.record.startswith("problem:"):
            return
        key = int(target.record.split(":", 1)[1])
        with self.ctx.db.session() as session:
            row = session.get(RectificationProblem, key)
            inspection_id = row.inspection_id if row else None
        if inspection_id is None:
            return
        if inspection_id != self.inspection_id:
            self.show_inspection(inspection_id)
        if not self.list.select_key(key):
            self.list.apply_filter(RegisterFilter())
            if not self.list.select_key(key):
                self._show_record(key)
        if target.field and target.field in self.form.fields:
            self.form.focus(target.field)

    def show_records(self, kind: str, ids: Sequence[int | str]) -> None:
        """The problems narrowed to exactly `ids`, in the 巡察 of the first of them."""
        from ui.widgets.workbench_pin import RegisterPin

        if kind != "rectification" or not ids:
            return
        with self.ctx.db.session() as session:
            row = session.get(RectificationProblem, int(ids[0]))
            inspection_id = row.inspection_id if row else None
        if inspection_id is None:
            return
        if getattr(self, "pin", None) is None:
            self.pin = RegisterPin(self.list)
        self.pin.pin([int(i) for i in ids])
        if inspection_id != self.inspection_id:
            self.show_inspection(inspection_id)
        else:
            self.list.apply_filter(RegisterFilter())

    # -- new -----------------------------------------------------------------------------------

    def new_problem(self) -> None:
        if self.inspection_id is None or (self.is_dirty() and not self._resolve_unsaved()):
            return
        aspect = self.list.filter().extra.get("aspect_id")
        if aspect is None and self._loaded is not None:
            aspect = self._loaded.aspect_id  # the next problem is most likely of the same 方面
        with self.ctx.db.session() as session:
            data = rc.new_problem(session, self.inspection_id, aspect)
        self.list.clear_selection()
        self._show_record(None, data)
        self.form.focus("description")

    # -- state changes -------------------------------------------------------------------------

    def start_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        return self._act(None, lambda _v: rc.start(self.ctx.db, data.id, version=data.version), "已开始整改")

    def _done_dialog(self, title: str, data: rc.ProblemData, hint: str, ok: str) -> ActionDialog:
        return ActionDialog(
            title,
            [
                FieldSpec("on", "完成日期", DATE, required=True),
                FieldSpec("evidence", "佐证材料说明", MULTILINE, height=70),
            ],
            {"on": data.completed_on or self.default_date(), "evidence": data.evidence},
            hint=hint,
            ok_text=ok,
            warn=self.year_warnings,
            parent=self,
        )

    def complete_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        dialog = self._done_dialog("完成整改", data, "整改任务全部完成。完成后可在核实后销号。", "完成")
        return self._act(
            dialog,
            lambda v: rc.complete(self.ctx.db, data.id, v["on"], v["evidence"], version=data.version),
            "已完成整改",
        )

    def keep_up_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        dialog = self._done_dialog(
            "长期坚持", data, "阶段性整改任务已完成、需要长期坚持的问题（计入完成率）。", "确定"
        )
        return self._act(
            dialog,
            lambda v: rc.keep_up(self.ctx.db, data.id, v["on"], v["evidence"], version=data.version),
            "已转为长期坚持",
        )

    def close_off_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        hint = "经核实整改到位后销号。"
        if not data.evidence.strip():
            hint += "该问题尚无佐证材料说明，建议先补充。"
        dialog = ActionDialog(
            "销号",
            [FieldSpec("on", "销号日期", DATE, required=True)],
            {"on": self._action_date(data.completed_on)},
            hint=hint,
            ok_text="销号",
            validate=lambda v: not_before(v, "on", data.completed_on, "销号日期", "完成日期"),
            warn=self.year_warnings,
            parent=self,
        )
        return self._act(
            dialog, lambda v: rc.close_off(self.ctx.db, data.id, v["on"], version=data.version), "已销号"
        )

    def cancel_close_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        return self._act(
            None, lambda _v: rc.cancel_close_off(self.ctx.db, data.id, version=data.version), "已撤销销号"
        )

    def reopen_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        if not self._confirmed("退回整改中", "退回后将清除完成日期和销号日期。确定退回？"):
            return False
        return self._act(
            None, lambda _v: rc.reopen(self.ctx.db, data.id, version=data.version), "已退回整改中"
        )

    # -- evidence files --------------------------------------------------------------------------

    def _refresh_attachments(self) -> None:
        self.attachments.clear()
        if self._loaded is None or self._loaded.id is None:
            return
        with self.ctx.db.session() as session:
            items = rc.list_attachments(session, self._loaded.id)
        for item in items:
            size = (
                f"{item.size / 1024:.0f} KB"
                if item.size < 1024 * 1024
                else f"{item.size / 1024 / 1024:.1f} MB"
            )
            entry = QListWidgetItem(f"{item.file_name}（{size}）" + ("" if item.exists else "　文件已丢失"))
            entry.setData(Qt.ItemDataRole.UserRole, item)
            entry.setToolTip(str(item.path))
            self.attachments.addItem(entry)

    def add_attachments(self, paths: list[Path] | None = None) -> int:
        if self._loaded is None or self._loaded.id is None:
            return 0
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "添加佐证附件")
            paths = [Path(n) for n in names]
        added = 0
        for path in paths:
            try:
                rc.add_attachment(self.ctx.db, self._loaded.id, path)
                added += 1
            except UserError as exc:
                QMessageBox.warning(self, "无法添加附件", str(exc))
        self._refresh_attachments()
        if added:
            self.ctx.notify_saved(MODULE, f"已添加 {added} 个附件")
        return added

    def _selected_attachment(self) -> rc.AttachmentItem | None:
        entry = self.attachments.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    def open_attachment(self) -> bool:
        item = self._selected_attachment()
        if item is None:
            return False
        if not item.exists:
            QMessageBox.warning(self, "无法打开", f"文件不存在：{item.path}")
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.path)))

    def remove_attachment(self, confirm: bool = True) -> bool:
        item = self._selected_attachment()
        if item is None:
            return False
        if confirm and not self._confirmed(
            "移除附件", f"移除附件“{item.file_name}”？数据文件夹中的副本将被删除（原文件不受影响）。"
        ):
            return False
        rc.remove_attachment(self.ctx.db, item.id)
        self._refresh_attachments()
        self.ctx.notify_saved(MODULE, f"已移除附件“{item.file_name}”")
        return True

    # -- export ------------------------------------------------------------------------------------

    def export_ledger(self, target: Path | None = None):
        from app.exports.registers_rectification import export_ledger_file

        if self.inspection_id is None:
            return None
        if target is None:
            name = f"{self.inspection_combo.currentText().split('（')[0]}反馈问题整改台账.xlsx"
            target = self._ask_xlsx("导出巡察反馈问题整改台账", name)
            if target is None:
                return None
        db, unit_id, inspection_id, today = self.ctx.db, self.ctx.unit_id, self.inspection_id, self.today()

        def write() -> Path:
            export_ledger_file(db, unit_id, inspection_id, target, today)
            return target

        return self._export(
            "导出整改台账", write, lambda path: self.ctx.status_message.emit(f"已导出整改台账到 {path}")
        )


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
