"""The 项目支出 tab: the year's 一级项目 on the left; the selected one's 项目支出绩效自评表 on the right."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.findings import Finding
from app.services.budget.data import (
    FUND_COLUMNS,
    PROJECT_KINDS,
    SOURCE_LABELS,
    SOURCES,
    BudgetYearData,
    Project,
)
from app.services.budget.rules import RuleSet
from app.services.budget.tables import ProjectTable
from app.services.calc import format_money
from ui.models.budget_project_list_model import ProjectListModel
from ui.widgets.budget_fields import ComputedField, FundsBox, MoneyEdit
from ui.widgets.budget_indicator_editor import IndicatorEditor
from ui.widgets.form_table_splitter import INDICATORS_HEIGHT, FormTableSplitter

TEXTS = (
    ("basis", "立项依据", "文件名称和文号，如：湘建建函〔2021〕51号《关于……的通知》"),
    ("overview", "项目概况", "本项目为……专项资金，用于……"),
    ("goal_expected", "预期目标", "年度总体目标：预期目标"),
    ("goal_actual", "实际完成情况", "年度总体目标：实际完成情况"),
)


class ProjectEditor(QWidget):
    """One project's table: who and what, funds by source, goals, indicators."""

    changed = Signal()
    renamed = Signal()
    status = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self._filling = False
        self.fields: dict[str, QWidget] = {}

        self.name = QLineEdit()
        self.name.setPlaceholderText("项目支出名称，如：质量安全监督管理专项")
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(PROJECT_KINDS)
        self.kind.setToolTip("决定该项目在基础数据表“项目支出”中列在哪一类（县级专项资金一个专项一行）")
        self.supervisor = QLineEdit()
        self.implementer = QLineEdit()
        for key, widget in (
            ("name", self.name),
            ("supervisor", self.supervisor),
            ("implementer", self.implementer),
        ):
            widget.textEdited.connect(self._texts_edited)
            self.fields[key] = widget
        self.kind.currentTextChanged.connect(self._texts_edited)
        self.fields["kind"] = self.kind
        who = QGroupBox("项目")
        who_form = QGridLayout(who)
        who_form.addWidget(QLabel("项目支出名称"), 0, 0)
        who_form.addWidget(self.name, 0, 1)
        who_form.addWidget(QLabel("项目类型"), 0, 2)
        who_form.addWidget(self.kind, 0, 3)
        who_form.addWidget(QLabel("主管部门"), 1, 0)
        who_form.addWidget(self.supervisor, 1, 1)
        who_form.addWidget(QLabel("实施单位"), 1, 2)
        who_form.addWidget(self.implementer, 1, 3)
        who_form.setColumnStretch(1, 2)
        who_form.setColumnStretch(3, 2)

        self.total_fields = {
            column: ComputedField("当年财政拨款 + 上年结转资金 + 其他资金") for column in FUND_COLUMNS
        }
        self.funds = FundsBox("项目资金（万元）", list(self.total_fields.values()))
        for row, source in enumerate(SOURCES, 2):
            self.funds.grid.addWidget(
                QLabel(("其中：" if row == 2 else "　　　") + SOURCE_LABELS[source]), row, 0
            )
            for col, column in enumerate(FUND_COLUMNS, 1):
                edit = MoneyEdit()
                edit.value_changed.connect(self._funds_edited)
                self.fields[f"funds.{source}.{column}"] = edit
                self.funds.grid.addWidget(edit, row, col)

        texts = QGroupBox("立项依据、概况与年度总体目标")
        texts_form = QFormLayout(texts)
        for key, label, placeholder in TEXTS:
            edit = QPlainTextEdit()
            edit.setPlaceholderText(placeholder)
            edit.setMaximumHeight(64)
            edit.textChanged.connect(self._texts_edited)
            self.fields[key] = edit
            texts_form.addRow(label, edit)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(who)
        top_layout.addWidget(self.funds)
        top_layout.addWidget(texts)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(top)

        self.indicators = IndicatorEditor("项目支出绩效自评表", can_copy_department=True)
        self.indicators.changed.connect(self.changed)
        self.indicators.status.connect(self.status)
        box = QGroupBox("绩效指标")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.indicators)
        self.splitter = FormTableSplitter(scroll, box, table_height=INDICATORS_HEIGHT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def set_project(self, project: Project, rules: RuleSet) -> None:
        self.project = project
        self._filling = True
        self.name.setText(project.name)
        self.kind.setCurrentText(project.kind)
        self.supervisor.setText(project.supervisor)
        self.implementer.setText(project.implementer)
        for source in SOURCES:
            for column in FUND_COLUMNS:
                self.fields[f"funds.{source}.{column}"].set_value(getattr(project.source(source), column))  # type: ignore[attr-defined]
        for key, _label, _p in TEXTS:
            self.fields[key].setPlainText(getattr(project, key))  # type: ignore[attr-defined]
        self._filling = False
        self.indicators.set_rules(rules)
        self.indicators.set_indicators(project.indicators, project.level1_weights)

    def show_table(self, table: ProjectTable, findings: list[Finding], record: str) -> None:
        for column in FUND_COLUMNS:
            self.total_fields[column].show_text(format_money(getattr(table.funds, column), "—"))
        self.funds.show_scores(table.funds)
        self.indicators.set_table(table.indicators)
        self.indicators.set_findings(findings, record)

    def _texts_edited(self, *_args) -> None:
        if self._filling or self.project is None:
            return
        old_name = self.project.name
        self.project.name = self.name.text()
        self.project.kind = self.kind.currentText().strip()
        self.project.supervisor = self.supervisor.text()
        self.project.implementer = self.implementer.text()
        for key, _label, _p in TEXTS:
            setattr(self.project, key, self.fields[key].toPlainText())  # type: ignore[attr-defined]
        if self.project.name != old_name:
            self.renamed.emit()
        self.changed.emit()

    def _funds_edited(self) -> None:
        if self._filling or self.project is None:
            return
        for source in SOURCES:
            funds = self.project.source(source)
            for column in FUND_COLUMNS:
                setattr(funds, column, self.fields[f"funds.{source}.{column}"].value())  # type: ignore[attr-defined]
        self.changed.emit()

    def invalid_fields(self) -> list[str]:
        return [key for key, w in self.fields.items() if isinstance(w, MoneyEdit) and not w.is_valid()]

    def show_field(self, field: str) -> None:
        if self.indicators.show_field(field):
            return
        if field == "total":
            self.indicators.view.setFocus()
        elif field.startswith("funds."):
            parts = field.split(".")
            key = field if len(parts) == 3 else f"funds.current.{parts[-1]}"
            widget = self.fields.get(key)
            if widget is not None:
                widget.setFocus()
        elif field in self.fields:
            self.fields[field].setFocus()


class ProjectsTab(QWidget):
    changed = Signal()
    status = Signal(str)
    copy_requested = Signal(str, int)  # ("last_year" | "department", project index)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: BudgetYearData | None = None
        self.rules: RuleSet | None = None
        self.tables: tuple[ProjectTable, ...] = ()
        self.findings: list[Finding] = []
        self.defaults = ("", "")  # (主管部门, 实施单位) of a new project

        self.list_model = ProjectListModel(self)
        self.list_view = QListView()
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setSpacing(2)
        self.list_view.setMinimumWidth(170)
        self.list_view.setWordWrap(True)  # a long name or total wraps in the narrow list
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_view.selectionModel().currentRowChanged.connect(self._current_changed)
        buttons = QGridLayout()
        self.add_button = QPushButton("新增项目")
        self.remove_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.add_button.clicked.connect(self.add_project)
        self.remove_button.clicked.connect(self.remove_project)
        self.up_button.clicked.connect(lambda: self.move_project(-1))
        self.down_button.clicked.connect(lambda: self.move_project(1))
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.remove_button, 0, 1)
        buttons.addWidget(self.up_button, 1, 0)
        buttons.addWidget(self.down_button, 1, 1)
        hint = QLabel(
            "一个一级项目一张表。项目资金在这里填写一次，基础数据表和部门整体自评表中的项目支出自动取数。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#607d8b")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("一级项目"))
        left_layout.addWidget(self.list_view, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(hint)

        self.editor = ProjectEditor()
        self.editor.changed.connect(self._editor_changed)
        self.editor.renamed.connect(lambda: self.list_model.refresh_row(self.current_index()))
        self.editor.status.connect(self.status)
        self.editor.indicators.copy_requested.connect(
            lambda kind: self.copy_requested.emit(kind, self.current_index())
        )
        self.empty = QLabel(
            "本年度还没有项目。点击“新增项目”添加一级项目（如业务工作经费、运行维护经费、各专项资金）。"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.editor)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 1000])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

    def current_index(self) -> int:
        index = self.list_view.currentIndex()
        return index.row() if index.isValid() else -1

    def set_data(self, data: BudgetYearData, rules: RuleSet, defaults: tuple[str, str]) -> None:
        keep = self.current_index()
        self.data = data
        self.rules = rules
        self.defaults = defaults
        self.list_model.set_projects(data.projects)
        self.select(min(max(keep, 0), len(data.projects) - 1) if data.projects else -1)

    def set_rules(self, rules: RuleSet) -> None:
        self.rules = rules
        self.editor.indicators.set_rules(rules)

    def show_tables(self, tables: tuple[ProjectTable, ...], findings: list[Finding]) -> None:
        self.tables = tables
        self.findings = findings
        self.list_model.set_tables(tables)
        row = self.current_index()
        if 0 <= row < len(tables):
            self.editor.show_table(tables[row], findings, f"project:{row}")

    def select(self, row: int) -> None:
        if row < 0:
            self.list_view.selectionModel().clearCurrentIndex()
            self.stack.setCurrentWidget(self.empty)
            return
        self.list_view.selectionModel().setCurrentIndex(
            self.list_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._current_changed(self.list_model.index(row))

    def _current_changed(self, current, _previous=None) -> None:
        if self.data is None or self.rules is None or not current.isValid():
            self.stack.setCurrentWidget(self.empty)
            return
        row = current.row()
        self.editor.set_project(self.data.projects[row], self.rules)
        self.stack.setCurrentWidget(self.editor)
        if row < len(self.tables):
            self.editor.show_table(self.tables[row], self.findings, f"project:{row}")

    def _editor_changed(self) -> None:
        self.changed.emit()

    def add_project(self) -> None:
        if self.data is None:
            return
        supervisor, implementer = self.defaults
        row = len(self.data.projects)
        self.list_model.insert(
            row, Project(name="", supervisor=supervisor, implementer=implementer, kind="县级专项资金")
        )
        self.select(row)
        self.changed.emit()
        self.editor.name.setFocus()
        self.status.emit("已新增项目：请填写项目名称和资金，可用“从部门整体表复制”带出指标")

    def remove_project(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        row = self.current_index()
        if self.data is None or row < 0:
            return
        name = self.data.projects[row].name or "（未命名项目）"
        answer = QMessageBox.question(
            self,
            "删除项目",
            f"删除项目“{name}”及其绩效指标？\n（保存前可点“撤销修改”恢复）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.list_model.remove(row)
        self.select(min(row, len(self.data.projects) - 1))
        self.changed.emit()

    def move_project(self, step: int) -> None:
        row = self.current_index()
        target = self.list_model.move(row, step)
        if target >= 0:
            self.select(target)
            self.changed.emit()

    def show_field(self, row: int, field: str) -> None:
        if 0 <= row < self.list_model.rowCount():
            self.select(row)
            self.editor.show_field(field)
