"""The 基础数据表 tab: staffing (from the unit profile), 经费控制情况, 楼堂馆所, 厉行节约, 填报日期."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.dates import default_date
from app.findings import Finding
from app.services.budget.data import BudgetYearData
from app.services.budget.tables import BaseDataTable
from app.services.calc import format_rate
from ui.models.budget_control_model import BuildingTableModel, ControlTableModel
from ui.widgets.date_choice import DATE_BLANK, DATE_EXPORT, DATE_FIXED, DATE_MODES
from ui.widgets.validated_field import bound_dates


class BaseDataTab(QWidget):
    changed = Signal()
    status = Signal(str)
    open_unit_page = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: BudgetYearData | None = None
        self._filling = False

        self.staff_label = QLabel()
        self.staff_label.setTextFormat(Qt.TextFormat.RichText)
        unit_link = QPushButton("在“单位信息”中修改…")
        unit_link.setFlat(True)
        unit_link.setStyleSheet("color:#1565c0; text-align:left")
        unit_link.clicked.connect(self.open_unit_page)
        staff_box = QGroupBox("财政供养人员情况（取自单位信息）")
        staff_layout = QHBoxLayout(staff_box)
        staff_layout.addWidget(self.staff_label)
        staff_layout.addStretch(1)
        staff_layout.addWidget(unit_link)

        self.control_model = ControlTableModel(self)
        self.control_view = QTableView()
        self.control_view.setModel(self.control_model)
        self.control_view.setAlternatingRowColors(True)
        self.control_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.control_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.control_view.setColumnWidth(col, 130)
        self.control_view.verticalHeader().setVisible(False)
        self.control_view.verticalHeader().setDefaultSectionSize(24)
        self.control_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.control_view.customContextMenuRequested.connect(self._control_menu)
        self.control_model.edited.connect(self.changed)
        self.control_model.message.connect(self.status)
        legend = QLabel(
            "白色格子直接填写；灰色格子自动计算（项目支出取自各项目表，公用经费决算数取自部门整体自评表）。"
            "<span style='color:#1565c0'>↻ 蓝色</span>的上年决算数由上一年度结转，可改写，清空即恢复。"
        )
        legend.setWordWrap(True)
        legend.setStyleSheet("color:#607d8b")
        control_box = QGroupBox("经费控制情况（万元）")
        control_layout = QVBoxLayout(control_box)
        control_layout.addWidget(legend)
        control_layout.addWidget(self.control_view, 1)

        self.building_model = BuildingTableModel(self)
        self.building_view = QTableView()
        self.building_view.setModel(self.building_model)
        self.building_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.building_view.verticalHeader().setVisible(False)
        self.building_view.setMaximumHeight(120)
        self.building_model.edited.connect(self.changed)
        self.building_model.message.connect(self.status)
        add_building = QPushButton("添加项目")
        add_building.clicked.connect(self._add_building)
        remove_building = QPushButton("删除")
        remove_building.clicked.connect(self._remove_building)
        self.building_hint = QLabel("本年度无完工的楼堂馆所项目（导出时该栏按无项目填写）。")
        self.building_hint.setStyleSheet("color:#607d8b")
        building_box = QGroupBox("楼堂馆所控制情况（本年完工项目）")
        building_layout = QVBoxLayout(building_box)
        building_buttons = QHBoxLayout()
        building_buttons.addWidget(self.building_hint, 1)
        building_buttons.addWidget(add_building)
        building_buttons.addWidget(remove_building)
        building_layout.addLayout(building_buttons)
        building_layout.addWidget(self.building_view)

        self.thrift = QPlainTextEdit()
        self.thrift.setPlaceholderText("如：严格控制各项支出，优化财政支出结构，提高财政资金使用效率……")
        self.thrift.setMaximumHeight(70)
        self.thrift.textChanged.connect(self._thrift_changed)
        self.fill_date_mode = QComboBox()
        self.fill_date_mode.addItems(DATE_MODES)
        self.fill_date_mode.setToolTip("各表表尾的填报日期：默认写导出当天；也可指定日期，或留空打印后手写")
        self.fill_date = bound_dates(QDateEdit())
        self.fill_date.setCalendarPopup(True)
        self.fill_date.setDisplayFormat("yyyy年M月d日")
        self.fill_date.setDate(QDate(clock.today().year, clock.today().month, clock.today().day))
        self.fill_date_mode.currentIndexChanged.connect(self._date_changed)
        self.fill_date.dateChanged.connect(self._date_changed)
        self.footer_label = QLabel()
        self.footer_label.setStyleSheet("color:#607d8b")
        other = QGroupBox("厉行节约保障措施与表尾")
        other_form = QFormLayout(other)
        other_form.addRow("厉行节约保障措施", self.thrift)
        date_row = QHBoxLayout()
        date_row.addWidget(self.fill_date_mode)
        date_row.addWidget(self.fill_date)
        date_row.addStretch(1)
        other_form.addRow("填报日期（各表表尾）", date_row)
        other_form.addRow("", self.footer_label)

        # Scrolled on a low screen; with room to spare the 经费控制 table takes it.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(staff_box)
        layout.addWidget(control_box, 1)
        layout.addWidget(building_box)
        layout.addWidget(other)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- showing -------------------------------------------------------------------------------------

    def set_data(self, data: BudgetYearData, year: int | None = None) -> None:
        """`year`: the budget year; a 填报日期 still to be chosen starts inside it or early in the next."""
        self.data = data
        self._filling = True
        self.thrift.setPlainText(data.thrift_measures)
        if data.fill_date is None and year is not None:
            suggested = default_date(year, clock.today(), next_year_too=True)
            self.fill_date.setDate(QDate(suggested.year, suggested.month, suggested.day))
        if data.fill_date is not None:
            self.fill_date_mode.setCurrentIndex(DATE_FIXED)
        else:
            self.fill_date_mode.setCurrentIndex(DATE_BLANK if data.fill_date_blank else DATE_EXPORT)
        self.fill_date.setEnabled(data.fill_date is not None)
        if data.fill_date is not None:
            self.fill_date.setDate(QDate(data.fill_date.year, data.fill_date.month, data.fill_date.day))
        self._filling = False

    def show_table(self, table: BaseDataTable, findings: list[Finding]) -> None:
        assert self.data is not None
        rate = format_rate(table.staff_rate, "—")
        quota = table.staff_quota if table.staff_quota is not None else "未填"
        actual = table.staff_actual if table.staff_actual is not None else "未填"
        self.staff_label.setText(
            f"编制数 <b>{quota}</b> 人　{table.year}年实际在职 <b>{actual}</b> 人　"
            f"控制率 <b>{rate}</b>（在职 ÷ 编制，自动计算）"
        )
        self.control_model.set_rows(self.data, table.control_rows, table.year)
        self.building_model.set_buildings(self.data.buildings, table.buildings)
        self.building_hint.setVisible(not self.data.buildings)
        footer = table.footer
        self.footer_label.setText(
            f"填表人：{footer.preparer or '未填'}　联系电话：{footer.phone or '未填'}　"
            f"单位负责人：{footer.head or '未填'}（取自单位信息）"
        )
        marks: dict[tuple[str, str], tuple[str, str]] = {}
        for f in findings:
            if f.target and f.target.record == "base" and f.target.field.startswith("control:"):
                _c, code, column = f.target.field.split(":", 2)
                marks.setdefault((code, column), (f.level, f.message))
        self.control_model.set_marks(marks)

    # -- editing -------------------------------------------------------------------------------------

    def _thrift_changed(self) -> None:
        if self._filling or self.data is None:
            return
        self.data.thrift_measures = self.thrift.toPlainText()
        self.changed.emit()

    def _date_changed(self, *_args) -> None:
        if self._filling or self.data is None:
            return
        mode = self.fill_date_mode.currentIndex()
        self.fill_date.setEnabled(mode == DATE_FIXED)
        if mode == DATE_FIXED:
            d = self.fill_date.date()
            self.data.fill_date = date(d.year(), d.month(), d.day())
        else:
            self.data.fill_date = None
        self.data.fill_date_blank = mode == DATE_BLANK
        self.changed.emit()

    def _add_building(self) -> None:
        row = self.building_model.add()
        self.building_hint.setVisible(False)
        index = self.building_model.index(row, 0)
        self.building_view.setCurrentIndex(index)
        self.building_view.edit(index)

    def _remove_building(self) -> None:
        index = self.building_view.currentIndex()
        if index.isValid():
            self.building_model.remove(index.row())

    def _control_menu(self, pos) -> None:
        index = self.control_view.indexAt(pos)
        if not index.isValid():
            return
        row = self.control_model.rows[index.row()]
        menu = QMenu(self)
        action = menu.addAction("恢复结转值（使用上年度的本年决算数）")
        action.setEnabled(row.prior_source == "typed" and row.carried is not None)
        action.triggered.connect(lambda: self.control_model.restore_carried(index.row()))
        menu.exec(self.control_view.viewport().mapToGlobal(pos))

    # -- jumping to a finding ----------------------------------------------------------------------

    def show_field(self, field: str) -> None:
        if field.startswith("control:"):
            _c, code, column = field.split(":", 2)
            row = self.control_model.row_of(code)
            col = {"prior": 1, "budget": 2, "actual": 3}.get(column, 1)
            if row >= 0:
                index = self.control_model.index(row, col)
                self.control_view.setCurrentIndex(index)
                self.control_view.scrollTo(index)
                self.control_view.setFocus()
        elif field.startswith("building:"):
            _b, row, _col = field.split(":", 2)
            index = self.building_model.index(int(row), 0)
            self.building_view.setCurrentIndex(index)
            self.building_view.setFocus()
        elif field == "thrift":
            self.thrift.setFocus()
