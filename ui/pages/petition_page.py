"""信访登记: the register (filters, search, lazy list), the detail form with dated state changes,
what is due this week and overdue, the statistics of a period, and the Excel exports. The
mechanics of a register page (unsaved edits, delete, state changes, refresh) are RegisterPage's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.errors import EditConflictError, UserError
from app.findings import Target
from app.models.registers import (
    ASSIGNMENT_SOURCES,
    CHOICE_CATEGORY,
    CHOICE_CHANNEL,
    PETITION_CLOSED,
    PETITION_HANDLING,
    PETITION_PENDING,
    PETITION_REJECTED,
    PETITION_STATES,
    PETITION_TRANSFERRED,
    SATISFACTION_LEVELS,
    Petition,
)
from app.services.calc import format_rate
from app.services.registers import petitions as pt
from app.services.registers.common import (
    DUE_SOON,
    OVERDUE,
    RegisterFilter,
    deadline_state,
    describe_deadline,
    format_date,
    format_rate_prose,
    year_bounds,
)
from app.services.registers.petition_stats import (
    petition_sentence,
    petition_stats,
    petition_totals,
    stat_table_rows,
)
from ui.context import AppContext
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict
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
from ui.widgets.registers_date_edit import DateField
from ui.widgets.registers_form import (
    BOOL,
    CHOICE,
    DATE,
    FIXED,
    INT,
    LABEL,
    MULTILINE,
    FieldSpec,
    RegisterForm,
)
from ui.widgets.registers_list import ExtraFilter, RegisterList

MODULE = "petitions"
STATISTICS_TAB = 1

FORM_SPECS = [
    FieldSpec("number", "编号", required=True, max_length=40, tooltip="自动生成，可修改；同一单位内不能重复"),
    FieldSpec("received_on", "收到日期", DATE, required=True),
    FieldSpec("channel", "渠道", CHOICE, required=True),
    FieldSpec("referred_by", "转办单位", placeholder="如：汨罗市信访局、12345热线", max_length=100),
    FieldSpec(
        "assignment",
        "交办来源",
        FIXED,
        options=("", *ASSIGNMENT_SOURCES),
        tooltip="巡视、巡察或上级交办的事项：在渠道之外另行统计，已含在信访总数中",
    ),
    FieldSpec(
        "required_by", "交办时限", DATE, tooltip="转办、交办单位要求的办结日期；早于法定期限时按此日期计算"
    ),
    FieldSpec("petitioner", "信访人", placeholder="集体访可写“张三等12人”", max_length=100),
    FieldSpec("phone", "联系电话", max_length=40),
    FieldSpec("id_number", "身份证号", max_length=18),
    FieldSpec("people", "人数", INT, minimum=1, maximum=10000, tooltip="5人及以上为集体访（群访）"),
    FieldSpec("repeat", "重复访", BOOL, placeholder="同一事项再次来访"),
    FieldSpec("category", "事项类别", CHOICE, required=True),
    FieldSpec("summary", "内容摘要", MULTILINE, height=70),
    FieldSpec("department", "承办科室", max_length=100),
    FieldSpec("leader", "包案领导", max_length=50),
    FieldSpec("accepted_on", "受理日期", DATE),
    FieldSpec("notified_on", "告知日期", DATE),
    FieldSpec("deadline", "办理期限", LABEL),
    FieldSpec("extension", "延期", LABEL),
    FieldSpec("closed_on", "办结日期", DATE),
    FieldSpec("result", "办理结果/答复", MULTILINE, height=70),
    FieldSpec("satisfaction", "群众满意度", FIXED, options=("", *SATISFACTION_LEVELS)),
    FieldSpec("note", "备注", MULTILINE, height=48),
]
FORM_GROUPS = [
    ("来源", ["number", "received_on", "channel", "referred_by", "assignment", "required_by"]),
    ("信访人（个人信息：导出时默认隐去）", ["petitioner", "phone", "id_number", "people", "repeat"]),
    ("事项", ["category", "summary", "department", "leader"]),
    ("办理", ["accepted_on", "notified_on", "deadline", "extension", "closed_on", "result", "satisfaction"]),
    ("其他", ["note"]),
]
_DATA_KEYS = [
    f.name for f in fields(pt.PetitionData) if f.name not in ("id", "version", "status", "extension_days")
]
_DATA_KEYS.remove("extension_reason")
# The dates each state may hold; the others are read-only in the form.
_DATES_OF_STATE = {
    PETITION_PENDING: set(),
    PETITION_HANDLING: {"accepted_on", "notified_on"},
    PETITION_CLOSED: {"accepted_on", "notified_on", "closed_on"},
    PETITION_REJECTED: {"notified_on", "closed_on"},
    PETITION_TRANSFERRED: {"accepted_on", "notified_on", "closed_on"},
}


class PetitionPage(RegisterPage[pt.PetitionData]):
    module = MODULE
    record_word = "信访事项"
    labels = pt.LABELS
    new_done = "已登记"
    year_dates = ("received_on",)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.heading = QLabel("信访登记")
        self.heading.setObjectName("pageHeading")
        self.chip_pending = self._chip("待受理")
        self.chip_soon = self._chip("本周到期")
        self.chip_overdue = self._chip("已超期")
        self.year_label = QLabel()
        self.year_label.setObjectName("registerSummary")
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addSpacing(16)
        for chip in (self.chip_overdue, self.chip_soon, self.chip_pending):
            header.addWidget(chip)
        header.addSpacing(12)
        header.addWidget(self.year_label)
        header.addStretch(1)

        self.scope_combo = QComboBox()
        self.new_button = QPushButton("新登记")
        self.new_button.setObjectName("primaryButton")
        self.new_button.setToolTip("登记一件新的信访事项")
        self.delete_button = QPushButton("删除")
        self.export_button = QPushButton("导出台账…")
        self.export_button.setToolTip("把当前列表中的事项导出为信访事项登记台账（.xlsx）")
        self.choices_button = QPushButton("编辑选项…")
        self.choices_button.setToolTip("编辑渠道（及其统计口径）和事项类别列表")
        tools = QHBoxLayout()
        tools.addWidget(QLabel("范围"))
        tools.addWidget(self.scope_combo)
        tools.addStretch(1)
        self.import_button = QPushButton("从台账导入…")
        self.import_button.setToolTip("从 WPS/Excel 中已有的信访台账导入（可预览，导入后可撤销）")
        self.import_button.clicked.connect(lambda: self.import_ledger())
        for button in (
            self.new_button,
            self.delete_button,
            self.export_button,
            self.import_button,
            self.choices_button,
        ):
            tools.addWidget(button)

        self.list = self._build_list()
        self.form = RegisterForm(FORM_SPECS, FORM_GROUPS)
        self.form.changed.connect(self._on_edited)
        detail = self._build_detail()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 520])
        register_tab = QWidget()
        register_layout = QVBoxLayout(register_tab)
        register_layout.addLayout(tools)
        register_layout.addWidget(splitter, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(register_tab, "登记台账")
        self.tabs.addTab(self._build_statistics(), "统计")
        # The statistics are computed when their tab is shown (a big year's take a moment).
        self._statistics_stale = True
        self.tabs.currentChanged.connect(self._on_tab)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self.scope_combo.currentIndexChanged.connect(self._on_scope)
        self.new_button.clicked.connect(self.new_petition)
        self.delete_button.clicked.connect(self.delete_current)
        self.export_button.clicked.connect(lambda: self.export_ledger())
        self.choices_button.clicked.connect(self.edit_choices)
        self.chip_overdue.clicked.connect(lambda: self.show_due(OVERDUE))
        self.chip_soon.clicked.connect(lambda: self.show_due(DUE_SOON))
        self.chip_pending.clicked.connect(lambda: self.show_status(PETITION_PENDING))
        self.list.current_changed.connect(self._on_current_changed)
        self.ctx.data_changed.connect(self._on_data_changed)
        self.viewed_ids: set[int] = set()  # petitions whose view this page has logged
        self.view_log_task = None  # the last of those lines being written
        self._show_record(None)

    # -- building ------------------------------------------------------------------------------

    def _chip(self, text: str) -> QPushButton:
        chip = QPushButton(text)
        chip.setFlat(True)
        chip.setCursor(Qt.CursorShape.PointingHandCursor)
        chip.setToolTip(f"点击查看{text}的事项（各年度）")
        return chip

    def _build_list(self) -> RegisterList:
        def today() -> date:
            return self.today()

        def deadline_text(due: date | None) -> str:
            return describe_deadline(due, today()) if due else ""

        columns = [
            QueryColumn("编号", Petition.number, width=110),
            QueryColumn("收到日期", Petition.received_on, fmt=format_date, align=ALIGN_CENTER, width=92),
            QueryColumn("状态", Petition.status, align=ALIGN_CENTER, width=64),
            QueryColumn("期限", Petition.next_due, fmt=deadline_text, width=170),
            QueryColumn("渠道", Petition.channel, width=96),
            QueryColumn("信访人", Petition.petitioner, width=90),
            QueryColumn("事项类别", Petition.category, width=80),
            QueryColumn("内容摘要", Petition.summary, width=220, stretch=True),
            QueryColumn("承办科室", Petition.department, width=100),
            QueryColumn("办结日期", Petition.closed_on, fmt=format_date, align=ALIGN_CENTER, width=92),
        ]
        status_at, due_at = 3, 4  # row[0] is the key, row[i + 1] the i-th column

        def colour(row: Any) -> str | None:
            state = deadline_state(row[due_at], today(), pending=row[due_at] is not None)
            return DEADLINE_COLOURS.get(state, DONE_COLOUR if row[status_at] not in pt.OPEN_STATES else None)

        def tooltip(row: Any) -> str | None:
            state = deadline_state(row[due_at], today(), pending=row[due_at] is not None)
            if state == OVERDUE:
                return f"已超期：{describe_deadline(row[due_at], today())}"
            if state == DUE_SOON:
                return f"本周到期：{describe_deadline(row[due_at], today())}"
            return None

        register = RegisterList(
            self.ctx.db,
            columns,
            Petition.id,
            self._conditions,
            statuses=PETITION_STATES,
            extra_filters=[ExtraFilter("channel", "渠道"), ExtraFilter("category", "事项类别")],
            search_placeholder="搜索编号、信访人、摘要、承办科室、答复…",
            row_colour=colour,
            row_tooltip=tooltip,
        )
        register.set_default_sort(1, Qt.SortOrder.DescendingOrder)
        return register

    def _build_detail(self) -> QWidget:
        self.accept_button = QPushButton("受理…")
        self.reject_button = QPushButton("不予受理…")
        self.transfer_button = QPushButton("转送…")
        self.extend_button = QPushButton("延期…")
        self.close_button = QPushButton("办结…")
        self.reopen_button = QPushButton("撤回")
        self.reopen_button.setToolTip("撤回误操作的办结、不予受理或转送")
        self.accept_button.clicked.connect(lambda: self.accept_current())
        self.reject_button.clicked.connect(lambda: self.reject_current())
        self.transfer_button.clicked.connect(lambda: self.transfer_current())
        self.extend_button.clicked.connect(lambda: self.extend_current())
        self.close_button.clicked.connect(lambda: self.close_current())
        self.reopen_button.clicked.connect(self.reopen_current)
        actions = [
            self.accept_button,
            self.reject_button,
            self.transfer_button,
            self.extend_button,
            self.close_button,
            self.reopen_button,
        ]
        return self._detail_panel(
            actions, self.form, "保存此事项（Ctrl+S）", "在左侧选择一件信访事项，或点击“新登记”。"
        )

    def _build_statistics(self) -> QWidget:
        self.stats_start = DateField()
        self.stats_end = DateField()
        self.stats_quick = QComboBox()
        self.stats_quick.addItems(
            ["全年", "第一季度", "第二季度", "第三季度", "第四季度", "上半年", "下半年", "自定义"]
        )
        self.stats_button = QPushButton("统计")
        self.stats_export_button = QPushButton("导出统计表…")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("期间"))
        bar.addWidget(self.stats_quick)
        bar.addWidget(self.stats_start)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.stats_end)
        bar.addWidget(self.stats_button)
        bar.addStretch(1)
        bar.addWidget(self.stats_export_button)
        self.stats_sentence = QLabel()
        self.stats_sentence.setWordWrap(True)
        self.stats_sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats_sentence.setObjectName("statsSentence")
        self.stats_table = QTableWidget(0, 5)
        self.stats_table.setHorizontalHeaderLabels(["项目", "本期", "上年同期", "增减", "同比"])
        self.stats_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stats_table.verticalHeader().setVisible(False)
        self.stats_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.stats_table.setAlternatingRowColors(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.stats_sentence)
        layout.addWidget(self.stats_table, 1)
        self.stats_quick.currentIndexChanged.connect(self._on_quick_period)
        self.stats_button.clicked.connect(self.refresh_statistics)
        self.stats_export_button.clicked.connect(lambda: self.export_statistics())
        return page

    # -- loading -------------------------------------------------------------------------------

    def import_ledger(self, path=None):
        from ui.ledger_import import open_ledger_import

        return open_ledger_import(self, self.ctx, "petitions", path)

    def load(self) -> None:
        year = self.ctx.year
        self.heading.setText(f"信访登记 · {year}年度")
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(f"{year}年度收到的事项", year)
        self.scope_combo.addItem("全部年度", None)
        self.scope_combo.blockSignals(False)
        self._refresh_choices()
        start, end = year_bounds(year)
        self.list.apply_filter(RegisterFilter(start=start, end=end))
        self.stats_quick.blockSignals(True)
        self.stats_quick.setCurrentIndex(0)
        self.stats_quick.blockSignals(False)
        self.stats_start.set_value(start)
        self.stats_end.set_value(end)
        self._statistics_later()
        self.refresh_counts()
        if self._loaded is not None and self._loaded.id is not None and not self.is_dirty():
            self._show_record(self._loaded.id)
        elif not self.is_dirty():
            self._show_record(None)

    def _conditions(self, flt: RegisterFilter) -> list[Any]:
        return pt.petition_conditions(self.ctx.unit_id, flt, self.today())

    def _refresh_choices(self) -> None:
        with self.ctx.db.session() as session:
            channels = pt.choices(session, self.ctx.unit_id, CHOICE_CHANNEL)
            categories = pt.choices(session, self.ctx.unit_id, CHOICE_CATEGORY)
        self.form.set_options("channel", [c.name for c in channels])
        self.form.set_options("category", [c.name for c in categories])
        self.list.set_extra_options(ExtraFilter("channel", "渠道", [(c.name, c.name) for c in channels]))
        self.list.set_extra_options(
            ExtraFilter("category", "事项类别", [(c.name, c.name) for c in categories])
        )

    def refresh_counts(self) -> None:
        """The chips (all years: a deadline does not care which year it started in) and the year line."""
        today = self.today()
        start, end = year_bounds(self.ctx.year)
        with self.ctx.db.session() as session:
            counts = pt.attention_counts(session, self.ctx.unit_id, today)
            totals = petition_totals(session, self.ctx.unit_id, start, end)
        show_count(self.chip_overdue, "已超期", counts.overdue, OVERDUE_COLOUR)
        show_count(self.chip_soon, "本周到期", counts.due_soon, DUE_SOON_COLOUR)
        show_count(self.chip_pending, "待受理", counts.pending)
        self.counts = counts
        self.year_totals = totals
        rate = format_rate_prose(totals.closed_rate, "—")
        self.year_label.setText(
            f"{self.ctx.year}年：{totals.total} 件，受理 {totals.accepted}，"
            f"办结 {totals.closed}，办结率 {rate}"
        )

    def _on_scope(self) -> None:
        year = self.scope_combo.currentData()
        flt = self.list.filter()
        start, end = year_bounds(year) if year else (None, None)
        self.list.apply_filter(replace(flt, start=start, end=end))

    def show_due(self, due: str) -> None:
        """Open items overdue / due this week, of every year."""
        self.tabs.setCurrentIndex(0)
        self._all_years(RegisterFilter(due=due))

    def show_status(self, status: str) -> None:
        self.tabs.setCurrentIndex(0)
        self._all_years(RegisterFilter(status=status))

    def _all_years(self, flt: RegisterFilter) -> None:
        self.scope_combo.blockSignals(True)
        self.scope_combo.setCurrentIndex(1)
        self.scope_combo.blockSignals(False)
        self.list.apply_filter(flt)

    def _show_all_records(self) -> None:
        self._all_years(RegisterFilter())

    def show_records(self, kind: str, ids: Sequence[int | str]) -> None:
        """The register narrowed to exactly `ids` (all years, every other filter cleared)."""
        from ui.widgets.workbench_pin import RegisterPin

        if kind != "petitions":
            return
        if getattr(self, "pin", None) is None:
            self.pin = RegisterPin(self.list)
        self.tabs.setCurrentIndex(0)
        self.pin.pin([int(i) for i in ids])
        self._all_years(RegisterFilter())

    # -- the record in the form ----------------------------------------------------------------

    def _load_record(self, session: Session, key: int) -> pt.PetitionData:
        return pt.load_petition(session, key)

    def _form_values(self, data: pt.PetitionData) -> dict[str, Any]:
        return {key: getattr(data, key) for key in _DATA_KEYS}

    def _show_details(self, data: pt.PetitionData) -> None:
        self._log_view(data)
        today = self.today()
        deadlines = pt.pending_deadlines(data)
        if data.id is None:
            text = "新登记（未保存）"
        else:
            text = f"状态：<b>{data.status}</b>"
        for label, due in deadlines:
            text += deadline_html(label, due, today)
        on_time = pt.closed_on_time(data)
        if on_time is not None:
            text += (
                "　<span style='color:#2e7d32'>按期办结</span>"
                if on_time
                else (f"　<span style='color:{OVERDUE_COLOUR}'>超期办结</span>")
            )
        self.state_label.setText(text)
        due = pt.handling_due(data.accepted_on, data.extension_days, data.required_by)
        if data.accepted_on is None:
            notice = pt.acceptance_due(data.received_on)
            deadline = f"受理后{pt.HANDLE_DAYS}日内办结（受理告知期限 {format_date(notice, '—')}）"
        else:
            deadline = describe_deadline(due, today, pending=data.status == PETITION_HANDLING)
        self.form.set_value("deadline", deadline)
        extension = (
            f"已延期{data.extension_days}天：{data.extension_reason}" if data.extension_days else "未延期"
        )
        self.form.set_value("extension", extension)
        saved = data.id is not None
        status = data.status
        self.accept_button.setEnabled(saved and status == PETITION_PENDING)
        self.reject_button.setEnabled(saved and status == PETITION_PENDING)
        self.transfer_button.setEnabled(saved and status in pt.OPEN_STATES)
        self.extend_button.setEnabled(saved and status == PETITION_HANDLING and not data.extension_days)
        self.close_button.setEnabled(saved and status == PETITION_HANDLING)
        self.reopen_button.setEnabled(
            saved and status in (PETITION_CLOSED, PETITION_REJECTED, PETITION_TRANSFERRED)
        )
        allowed = _DATES_OF_STATE.get(status, set())
        for key in ("accepted_on", "notified_on", "closed_on"):
            self.form.set_read_only(key, key not in allowed)

    def _log_view(self, data: pt.PetitionData) -> None:
        """The form shows the petitioner's phone and ID number in full: the operation log gets a
        line the first time this page shows each petition (written off the GUI thread)."""
        if data.id is None or data.id in self.viewed_ids:
            return
        if not (data.petitioner or data.phone or data.id_number):
            return
        from app import oplog

        self.viewed_ids.add(data.id)
        db, unit_id, detail = self.ctx.db, self.ctx.unit_id, f"信访事项 {data.number}"
        self.view_log_task = self.ctx.tasks.start(
            lambda _progress, _cancel: oplog.record(db, oplog.VIEW_UNMASKED, detail, unit_id)
        )

    def read_form(self) -> tuple[pt.PetitionData, dict[str, str]]:
        assert self._loaded is not None
        values = self.form.values()
        data = replace(self._loaded, **{key: values[key] for key in _DATA_KEYS})
        return data, self.form.parse_errors()

    def _check(self, data: pt.PetitionData) -> tuple[dict[str, str], dict[str, str]]:
        return pt.validate_petition(data), pt.petition_warnings(data, self.today())

    def _write(self, data: pt.PetitionData) -> int:
        return pt.save_petition(self.ctx.db, self.ctx.unit_id, data)

    def _delete(self, data: pt.PetitionData) -> None:
        pt.delete_petition(self.ctx.db, data.id, data.version)

    def _delete_question(self, data: pt.PetitionData) -> str:
        return f"确定删除信访事项 {data.number}？删除后不能恢复。"

    def _describe(self, data: pt.PetitionData, done: str) -> str:
        return f"信访事项 {data.number} {done}"

    def _refresh_summary(self) -> None:
        self.refresh_counts()

    # -- Page protocol ---------------------------------------------------------------------------

    def show_target(self, target: Target) -> None:
        if target.record == "filter:overdue":
            self.show_due(OVERDUE)
            return
        if target.record.startswith("petition:"):
            key = int(target.record.split(":", 1)[1])
            self.tabs.setCurrentIndex(0)
            if not self.list.select_key(key):
                self._show_record(key)
            if target.field and target.field in self.form.fields:
                self.form.focus(target.field)

    def _on_data_changed(self, module: str) -> None:
        if module == MODULE:
            self._statistics_later()

    def _statistics_later(self) -> None:
        """Recompute the statistics now if their tab is showing, else when it is next shown."""
        self._statistics_stale = True
        if self.tabs.currentIndex() == STATISTICS_TAB:
            self.refresh_statistics()

    def _on_tab(self, index: int) -> None:
        if index == STATISTICS_TAB and self._statistics_stale:
            self.refresh_statistics()

    # -- new -----------------------------------------------------------------------------------

    def new_petition(self) -> None:
        if self.is_dirty() and not self._resolve_unsaved():
            return
        self.tabs.setCurrentIndex(0)
        with self.ctx.db.session() as session:
            data = pt.new_petition(session, self.ctx.unit_id, self.default_date())
        self.list.clear_selection()
        self._show_record(None, data)
        self.form.focus("channel")

    def _on_edited(self) -> None:
        # A new item's suggested number follows its 收到日期 into another year.
        loaded = self._loaded
        if loaded is not None and loaded.id is None:
            values = self.form.values()
            received = values.get("received_on")
            if isinstance(received, date) and values.get("number") == loaded.number:
                with self.ctx.db.session() as session:
                    number = pt.renumbered(session, self.ctx.unit_id, loaded.number, received)
                if number != loaded.number:
                    self._loaded = replace(loaded, number=number)
                    self.form.set_value("number", number)
        super()._on_edited()

    # -- state changes -------------------------------------------------------------------------

    def accept_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        notice = pt.acceptance_due(data.received_on)
        day = self._action_date(data.received_on)
        dialog = ActionDialog(
            "受理",
            [
                FieldSpec("accepted_on", "受理日期", DATE, required=True),
                FieldSpec("notified_on", "告知日期", DATE),
            ],
            {"accepted_on": day, "notified_on": day},
            hint=f"收到日期 {format_date(data.received_on)}，应在 {format_date(notice)} 前受理并书面告知"
            f"信访人；受理后{pt.HANDLE_DAYS}日内办结。",
            ok_text="受理",
            validate=lambda v: not_before(v, "accepted_on", data.received_on, "受理日期", "收到日期"),
            warn=self.year_warnings,
            parent=self,
        )
        return self._act(
            dialog,
            lambda v: pt.accept(
                self.ctx.db, data.id, v["accepted_on"], v["notified_on"], version=data.version
            ),
            "已受理",
        )

    def reject_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        dialog = ActionDialog(
            "不予受理",
            [
                FieldSpec("on", "告知日期", DATE, required=True),
                FieldSpec("reason", "不予受理的理由", MULTILINE, required=True, height=70),
            ],
            {"on": self._action_date(data.received_on)},
            hint="不属于本单位职责范围或依法应通过其他途径解决的，应书面告知信访人并说明理由。",
            ok_text="不予受理",
            validate=lambda v: not_before(v, "on", data.received_on, "告知日期", "收到日期"),
            warn=self.year_warnings,
            parent=self,
        )
        return self._act(
            dialog,
            lambda v: pt.reject(self.ctx.db, data.id, v["on"], v["reason"], version=data.version),
            "不予受理",
        )

    def transfer_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        dialog = ActionDialog(
            "转送",
            [
                FieldSpec("on", "转送日期", DATE, required=True),
                FieldSpec("to_unit", "转送单位", required=True, max_length=60),
                FieldSpec("note", "说明", MULTILINE, height=60),
            ],
            {"on": self._action_date(data.received_on)},
            ok_text="转送",
            validate=lambda v: not_before(v, "on", data.received_on, "转送日期", "收到日期"),
            warn=self.year_warnings,
            parent=self,
        )
        return self._act(
            dialog,
            lambda v: pt.transfer(
                self.ctx.db, data.id, v["on"], v["to_unit"], v["note"], version=data.version
            ),
            "已转送",
        )

    def extend_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        due = pt.handling_due(data.accepted_on, 0, data.required_by)
        dialog = ActionDialog(
            "延期办理",
            [
                FieldSpec("days", "延长天数", INT, minimum=1, maximum=pt.MAX_EXTENSION_DAYS),
                FieldSpec("reason", "延期理由", MULTILINE, required=True, height=70),
            ],
            {"days": pt.MAX_EXTENSION_DAYS},
            hint=f"原办理期限 {format_date(due)}。情况复杂的，经批准可延长一次，最长不超过"
            f"{pt.MAX_EXTENSION_DAYS}日，并告知信访人延期理由。",
            ok_text="延期",
            parent=self,
        )
        return self._act(
            dialog,
            lambda v: pt.extend(self.ctx.db, data.id, v["days"], v["reason"], version=data.version),
            "已延期",
        )

    def close_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        due = pt.handling_due(data.accepted_on, data.extension_days, data.required_by)
        dialog = ActionDialog(
            "办结",
            [
                FieldSpec("on", "办结日期", DATE, required=True),
                FieldSpec("result", "办理结果/答复", MULTILINE, required=True, height=90),
                FieldSpec("satisfaction", "群众满意度", FIXED, options=("", *SATISFACTION_LEVELS)),
            ],
            {
                "on": self._action_date(data.accepted_on or data.received_on),
                "result": data.result,
                "satisfaction": data.satisfaction,
            },
            hint=f"办理期限：{describe_deadline(due, self.today())}",
            ok_text="办结",
            validate=lambda v: not_before(v, "on", data.accepted_on, "办结日期", "受理日期"),
            warn=self.year_warnings,
            parent=self,
        )
        return self._act(
            dialog,
            lambda v: pt.close(
                self.ctx.db, data.id, v["on"], v["result"], v["satisfaction"], version=data.version
            ),
            "已办结",
        )

    def reopen_current(self) -> bool:
        data = self._ready()
        if data is None:
            return False
        back = PETITION_HANDLING if data.status == PETITION_CLOSED else PETITION_PENDING
        if not self._confirmed("撤回", f"撤回“{data.status}”？事项将回到“{back}”状态。"):
            return False
        return self._act(None, lambda _v: pt.reopen(self.ctx.db, data.id, version=data.version), "已撤回")

    # -- choices -----------------------------------------------------------------------------

    def edit_choices(self) -> None:
        from ui.dialogs.registers_choices_dialog import ChoicesDialog

        with self.ctx.db.session() as session:
            channels = pt.choices(session, self.ctx.unit_id, CHOICE_CHANNEL)
            categories = pt.choices(session, self.ctx.unit_id, CHOICE_CATEGORY)
        dialog = ChoicesDialog(channels, categories, self)
        if dialog.exec() != ChoicesDialog.DialogCode.Accepted:
            return
        lists = (
            (CHOICE_CHANNEL, dialog.channel_choices(), channels),
            (CHOICE_CATEGORY, dialog.category_choices(), categories),
        )
        try:
            for kind, items, shown in lists:
                try:
                    pt.save_choices(self.ctx.db, self.ctx.unit_id, kind, items, shown)
                except EditConflictError as exc:
                    # The lists are small and edited as a whole: keeping mine saves them as shown.
                    if ask_conflict(self, str(exc)) is not ConflictChoice.REAPPLY:
                        self._refresh_choices()
                        return
                    pt.save_choices(self.ctx.db, self.ctx.unit_id, kind, items)
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return
        self._refresh_choices()
        self._statistics_later()
        self.ctx.notify_saved(MODULE, "渠道和事项类别已保存")

    # -- statistics ------------------------------------------------------------------------------

    def _on_quick_period(self, index: int) -> None:
        year = self.ctx.year
        periods = {
            0: ((1, 1), (12, 31)),
            1: ((1, 1), (3, 31)),
            2: ((4, 1), (6, 30)),
            3: ((7, 1), (9, 30)),
            4: ((10, 1), (12, 31)),
            5: ((1, 1), (6, 30)),
            6: ((7, 1), (12, 31)),
        }
        if index in periods:
            (m1, d1), (m2, d2) = periods[index]
            self.stats_start.set_value(date(year, m1, d1))
            self.stats_end.set_value(date(year, m2, d2))
            self.refresh_statistics()

    def statistics_period(self) -> tuple[date, date] | None:
        start, end = self.stats_start.value(), self.stats_end.value()
        if start is None or end is None or end < start:
            return None
        return start, end

    def refresh_statistics(self) -> None:
        period = self.statistics_period()
        if period is None:
            self.stats_sentence.setText("请填写有效的统计期间（开始日期不晚于结束日期）。")
            self.stats_table.setRowCount(0)
            return
        start, end = period
        with self.ctx.db.session() as session:
            stats = petition_stats(session, self.ctx.unit_id, start, end, as_of=min(self.today(), end))
        self.stats = stats
        self._statistics_stale = False
        whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
        self.stats_sentence.setText(petition_sentence(stats, whole_year=whole_year))
        rows = stat_table_rows(stats)
        self.stats_table.setRowCount(len(rows))
        for r, item in enumerate(rows):
            cells = [item.label, "", "", "", ""]
            if item.kind == "rate":
                cells[1:3] = [format_rate(item.current, "—"), format_rate(item.previous, "—")]
            elif item.kind == "count":
                cells[1:3] = [str(item.current), "" if item.previous is None else str(item.previous)]
                if item.change is not None:
                    cells[3] = f"{item.change:+d}" if item.change else "0"
                    if item.change_ratio is not None:
                        cells[4] = f"{item.change_ratio * 100:+.1f}%" if item.change else "0.0%"
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if item.kind == "section":
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.stats_table.setItem(r, c, cell)
        self.stats_table.resizeColumnsToContents()
        self.stats_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # -- exports ---------------------------------------------------------------------------------

    def export_ledger(self, target: Path | None = None, *, unmask: bool | None = None):
        """导出台账 of what the list shows. Returns the background task (None if cancelled)."""
        from app.exports.registers_petitions import export_ledger_file

        flt = self.list.filter()
        if target is None or unmask is None:
            chosen = self._ask_ledger_target()
            if chosen is None:
                return None
            target, unmask = chosen
        title = f"{self._unit_name()}信访事项登记台账"
        if flt.start and flt.end and flt.start.year == flt.end.year:
            title = f"{self._unit_name()}{flt.start.year}年信访事项登记台账"
        db, unit_id = self.ctx.db, self.ctx.unit_id

        def write() -> int:
            count = export_ledger_file(db, unit_id, flt, target, unmask=bool(unmask), title=title)
            if unmask:
                from app import oplog

                detail = f"信访事项登记台账 {count} 件（含完整个人信息）到“{target}”"
                oplog.record(db, oplog.EXPORT_UNMASKED, detail, unit_id)
            return count

        return self._export(
            "导出信访事项登记台账",
            write,
            lambda count: self.ctx.status_message.emit(f"已导出 {count} 件信访事项到 {target}"),
        )

    def _ask_ledger_target(self) -> tuple[Path, bool] | None:
        path = self._ask_xlsx("导出信访事项登记台账", f"{self.ctx.year}年信访事项登记台账.xlsx")
        if path is None:
            return None
        unmask = (
            QMessageBox.question(
                self,
                "个人信息",
                "台账中信访人的姓名、联系电话和身份证号默认部分隐去（如 138****5668）。\n"
                "是否导出完整的个人信息？（仅限内部存档使用，请妥善保管）",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            == QMessageBox.StandardButton.Yes
        )
        path_of_data = self.ctx.db.location.path
        if unmask and path_of_data is not None:
            from ui.dialogs.password_dialogs import confirm_password

            # The full personal data leaves the encrypted file: the password again, or no export.
            if not confirm_password(self, path_of_data, "导出完整的个人信息前，请再次输入数据文件的密码。"):
                return None
        return path, unmask

    def export_statistics(self, target: Path | None = None):
        from app.exports.registers_petitions import export_statistics_file

        period = self.statistics_period()
        if period is None:
            QMessageBox.warning(self, "无法导出", "请先填写有效的统计期间。")
            return None
        if target is None:
            target = self._ask_xlsx("导出信访情况统计表", f"{self.ctx.year}年信访情况统计表.xlsx")
            if target is None:
                return None
        db, unit_id = self.ctx.db, self.ctx.unit_id
        start, end = period

        def write() -> Path:
            export_statistics_file(db, unit_id, start, end, target)
            return target

        return self._export(
            "导出信访情况统计表", write, lambda path: self.ctx.status_message.emit(f"已导出统计表到 {path}")
        )

    def _unit_name(self) -> str:
        from app.models.unit import Unit

        with self.ctx.db.session() as session:
            unit = session.get(Unit, self.ctx.unit_id)
            return unit.name if unit else ""
