"""The list tabs of the 安全监督 page: projects (with a detail pane), inspections, hazards,
documents and activities. Each is a lazy SQL table with its filters; writes go through dialogs
and services, and `changed` tells the page what to refresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.safety import SafetyProject
from app.services.safety.categories import categories_in_use
from app.services.safety.constants import (
    ACTIVITY_KINDS,
    DOCUMENT_KINDS,
    HAZARD_LEVELS,
    INSPECTION_KINDS,
    PROJECT_KINDS,
    PROJECT_STATUSES,
)
from app.services.safety.inspections import delete_hazard, delete_inspection
from app.services.safety.lists import (
    ALL,
    HAZARD_STATUS_FILTERS,
    UNFINISHED,
    ActivityFilter,
    DocumentFilter,
    HazardFilter,
    InspectionFilter,
    ProjectFilter,
)
from app.services.safety.periods import Period
from app.services.safety.projects import delete_project
from app.services.safety.records import delete_activity, delete_document
from ui.models.safety_models import (
    ActivityListModel,
    DocumentListModel,
    HazardListModel,
    InspectionListModel,
    ProjectListModel,
    StatusHistoryModel,
)
from ui.widgets.flow_layout import FlowWidget
from ui.widgets.table_columns import fit_columns

Today = Callable[[], date]
ALL_YEARS = "全部年度"


def make_view(model: Any, *, sort_column: int | None = 0) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    fit_columns(view, model.columns)
    if sort_column is not None:
        view.horizontalHeader().setSortIndicator(sort_column, Qt.SortOrder.DescendingOrder)
        view.setSortingEnabled(True)
    return view


class PopupComboBox(QComboBox):
    """A filter box that says when its list is about to open (to fill in what is costly to find)."""

    opening = Signal()

    def showPopup(self) -> None:
        self.opening.emit()
        super().showPopup()


def combo(first: str, items: tuple[str, ...] | list[str]) -> QComboBox:
    box = QComboBox()
    box.addItem(first, ALL)
    for item in items:
        if item:
            box.addItem(item, item)
    return box


def search_box(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMinimumWidth(260)
    return edit


class ListTab(QWidget):
    """Filters on top, buttons on the right, the lazy table below, a count at the bottom."""

    changed = Signal(str)  # what was written: "projects", "inspections", "hazards", …
    edit_requested = Signal(int)  # the key of the double-clicked row
    db: Database  # set by each tab

    def __init__(self, model: Any, *, sort_column: int | None = 0) -> None:
        super().__init__()
        self.model = model
        self.filters = QHBoxLayout()
        self.buttons = QHBoxLayout()
        self.view = make_view(model, sort_column=sort_column)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.RichText)
        # The buttons go onto a second line when the filters and buttons do not fit one.
        bar = FlowWidget()
        bar.flow.addLayout(self.filters)
        bar.flow.addLayout(self.buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self.view.doubleClicked.connect(
            lambda index: self.edit_requested.emit(self.model.row_key(index.row()))
        )
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

    def button(self, text: str, slot: Callable[[], None], *, primary: bool = False, needs_row: bool = False):
        button = QPushButton(text)
        if primary:
            button.setObjectName("primaryButton")
        button.clicked.connect(slot)
        button.setProperty("needs_row", needs_row)
        self.buttons.addWidget(button)
        return button

    def _selection_changed(self) -> None:
        selected = self.selected_key() is not None
        for i in range(self.buttons.count()):
            widget = self.buttons.itemAt(i).widget()
            if widget is not None and widget.property("needs_row"):
                widget.setEnabled(selected)

    def selected_key(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_key(rows[0].row()) if rows else None

    def select_key(self, key: int) -> None:
        row = self.model.row_of(key)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def reload(self) -> None:
        self.model.set_filter(self.current_filter())
        self.update_count()
        self._selection_changed()

    def update_count(self) -> None:
        self.count.setText(f"共 {self.model.total()} 条")

    def current_filter(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def add_filters(self, *boxes: QComboBox, search: QLineEdit) -> None:
        """The filter bar: the boxes, then the search field. A box reloads the list when changed,
        the search field on Enter and when cleared."""
        for widget in (*boxes, search):
            self.filters.addWidget(widget)
        for box in boxes:
            box.currentIndexChanged.connect(self.reload)
        search.returnPressed.connect(self.reload)
        search.textChanged.connect(lambda text: None if text else self.reload())

    def delete_selected(
        self, question: str, delete: Callable[[Database, int, int | None], None], what: str
    ) -> None:
        """Delete the selected row after `question`, unless it changed since the list read it;
        `changed` says `what` was written (a refused delete reloads the list to show the change)."""
        rows = self.view.selectionModel().selectedRows()
        if not rows or not self.confirm(question):
            return
        row = rows[0].row()
        try:
            delete(self.db, self.model.row_key(row), self.model.row_version(row))
        except EditConflictError as exc:
            self.warn(str(exc))
            self.changed.emit(what)
            return
        except UserError as exc:
            self.warn(str(exc))
            return
        self.changed.emit(what)

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(
            self, "确认删除", text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, text: str) -> None:
        QMessageBox.warning(self, "无法完成", text)


def _scope_box(year: int) -> QComboBox:
    box = QComboBox()
    box.addItem(f"{year}年度", year)
    box.addItem(ALL_YEARS, None)
    return box


def _set_scope_year(box: QComboBox, year: int) -> None:
    box.setItemText(0, f"{year}年度")
    box.setItemData(0, year)


def _scope_period(box: QComboBox) -> Period | None:
    year = box.currentData()
    return Period.year(year) if year else None


class HazardsTab(ListTab):
    """隐患台账: every hazard, newest first; the overdue ones red, counted in the summary."""

    rectify_requested = Signal(int)
    export_requested = Signal()
    categories_requested = Signal()

    def __init__(self, db: Database, unit_id: int, year: int, today: Today = clock.today) -> None:
        self.db, self.unit_id, self.year, self.today = db, unit_id, year, today
        super().__init__(HazardListModel(db, unit_id, today=today))
        self.scope = _scope_box(year)
        self.status = combo("全部状态", list(HAZARD_STATUS_FILTERS[1:]))
        self.level = combo("全部等级", HAZARD_LEVELS)
        self.category = PopupComboBox()
        self.category.addItem("全部类别", ALL)
        self.refresh_categories(stored_too=False)
        self.category.opening.connect(self.refresh_categories)
        self.search = search_box("搜索隐患描述、项目、责任单位（回车）")
        self.add_filters(self.scope, self.status, self.level, self.category, search=self.search)
        self.rectify_button = self.button("整改销号…", self._rectify, primary=True, needs_row=True)
        self.button("修改…", lambda: self._edit(), needs_row=True)
        self.button("删除", self._delete, needs_row=True)
        self.button("导出台账…", self.export_requested.emit)
        self.button("隐患类别…", self.categories_requested.emit)
        self.edit_requested.connect(self._edit)
        self.editor: Callable[[int], None] | None = None  # set by the page
        self.pinned: tuple[int, ...] | None = None  # only these hazards (the 工作台's choice)

    def refresh_categories(self, *, stored_too: bool = True) -> None:
        """Offer every category in use: the unit's list, then any other stored on a hazard (old
        data, removed entries; looked up when the list is opened, as that reads every hazard).
        The current choice is kept."""
        with self.db.session() as session:
            names = categories_in_use(session, self.unit_id, stored_too=stored_too)
        current = self.category.currentData()
        self.category.blockSignals(True)
        while self.category.count() > 1:
            self.category.removeItem(1)
        for name in names:
            self.category.addItem(name, name)
        index = self.category.findData(current)
        if index < 0 and current:
            self.category.addItem(current, current)
            index = self.category.count() - 1
        self.category.setCurrentIndex(max(index, 0))
        self.category.blockSignals(False)

    def set_year(self, year: int) -> None:
        self.year = year
        self.scope.blockSignals(True)
        _set_scope_year(self.scope, year)
        self.scope.blockSignals(False)

    def current_filter(self) -> HazardFilter:
        return HazardFilter(
            period=_scope_period(self.scope),
            status=self.status.currentData(),
            level=self.level.currentData(),
            category=self.category.currentData(),
            text=self.search.text(),
            ids=self.pinned,
        )

    def apply_filter(self, f: HazardFilter) -> None:
        """Show the hazards `f` keeps (period: the year in view or None; other fields as in the
        filter bar). The way benchmarks and findings open the list programmatically."""
        widgets = (self.scope, self.status, self.level, self.category)
        for widget in widgets:
            widget.blockSignals(True)
        self.scope.setCurrentIndex(0 if f.period is not None else 1)
        for box, value in ((self.status, f.status), (self.level, f.level), (self.category, f.category)):
            index = box.findData(value)
            if index < 0:
                box.addItem(value, value)
                index = box.count() - 1
            box.setCurrentIndex(index)
        self.search.blockSignals(True)
        self.search.setText(f.text)
        self.search.blockSignals(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.model.set_filter(f)
        self.update_count()
        self._selection_changed()

    def update_count(self) -> None:
        summary = self.model.summary  # counted with the rows (HazardListModel.count_rows)
        overdue = f"<span style='color:#c62828;font-weight:bold'>逾期 {summary.overdue} 条</span>"
        self.count.setText(f"共 {summary.total} 条，未整改 {summary.open} 条，{overdue}")
        self.summary = summary

    def _rectify(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.rectify_requested.emit(key)

    def _edit(self, key: int | None = None) -> None:
        key = key if key is not None else self.selected_key()
        if key is not None and self.editor is not None:
            self.editor(key)

    def _delete(self) -> None:
        self.delete_selected("删除所选隐患？删除后不可恢复。", delete_hazard, "hazards")


class InspectionsTab(ListTab):
    new_requested = Signal()

    def __init__(self, db: Database, unit_id: int, year: int) -> None:
        self.db, self.unit_id, self.year = db, unit_id, year
        super().__init__(InspectionListModel(db, unit_id))
        self.scope = _scope_box(year)
        self.kind = combo("全部类型", INSPECTION_KINDS)
        self.search = search_box("搜索专项名称、检查人员、项目（回车）")
        self.add_filters(self.scope, self.kind, search=self.search)
        self.button("录入检查（含隐患）…", self.new_requested.emit, primary=True)
        self.button("修改…", lambda: self.edit_requested.emit(self.selected_key()), needs_row=True)
        self.button("删除", self._delete, needs_row=True)

    def set_year(self, year: int) -> None:
        self.year = year
        _set_scope_year(self.scope, year)

    def current_filter(self) -> InspectionFilter:
        return InspectionFilter(_scope_period(self.scope), self.kind.currentData(), self.search.text())

    def _delete(self) -> None:
        self.delete_selected(
            "删除所选检查记录及本次检查发现的全部隐患？删除后不可恢复。", delete_inspection, "inspections"
        )


class DocumentsTab(ListTab):
    new_requested = Signal()
    export_requested = Signal()

    def __init__(self, db: Database, unit_id: int, year: int, today: Today = clock.today) -> None:
        self.db, self.unit_id, self.year = db, unit_id, year
        super().__init__(DocumentListModel(db, unit_id, today=today))
        self.scope = _scope_box(year)
        self.kind = combo("全部文书", DOCUMENT_KINDS)
        self.open_only = QComboBox()
        self.open_only.addItems(["全部", "未办结"])
        self.search = search_box("搜索文号、项目、备注（回车）")
        self.add_filters(self.scope, self.kind, self.open_only, search=self.search)
        self.button("新增文书…", self.new_requested.emit, primary=True)
        self.button("修改…", lambda: self.edit_requested.emit(self.selected_key()), needs_row=True)
        self.button("删除", self._delete, needs_row=True)
        self.button("导出登记表…", self.export_requested.emit)

    def set_year(self, year: int) -> None:
        self.year = year
        _set_scope_year(self.scope, year)

    def current_filter(self) -> DocumentFilter:
        return DocumentFilter(
            _scope_period(self.scope),
            self.kind.currentData(),
            self.search.text(),
            open_only=self.open_only.currentIndex() == 1,
        )

    def _delete(self) -> None:
        self.delete_selected("删除所选执法文书？删除后不可恢复。", delete_document, "documents")


class ActivitiesTab(ListTab):
    new_requested = Signal()

    def __init__(self, db: Database, unit_id: int, year: int) -> None:
        self.db, self.unit_id, self.year = db, unit_id, year
        super().__init__(ActivityListModel(db, unit_id))
        self.scope = _scope_box(year)
        self.kind = combo("全部类型", ACTIVITY_KINDS)
        self.search = search_box("搜索名称、备注")
        self.add_filters(self.scope, self.kind, search=self.search)
        self.button("新增活动…", self.new_requested.emit, primary=True)
        self.button("修改…", lambda: self.edit_requested.emit(self.selected_key()), needs_row=True)
        self.button("删除", self._delete, needs_row=True)

    def set_year(self, year: int) -> None:
        self.year = year
        _set_scope_year(self.scope, year)

    def current_filter(self) -> ActivityFilter:
        return ActivityFilter(_scope_period(self.scope), self.kind.currentData(), self.search.text())

    def _delete(self) -> None:
        self.delete_selected("删除所选活动记录？", delete_activity, "activities")


class ProjectsTab(ListTab):
    """工程项目: the list (filter by kind, status, search) and the chosen project's details."""

    new_requested = Signal()
    status_requested = Signal(int)

    def __init__(self, db: Database, unit_id: int, today: Today = clock.today) -> None:
        self.db, self.unit_id = db, unit_id
        super().__init__(ProjectListModel(db, unit_id), sort_column=None)
        self.kind = combo("全部类别", PROJECT_KINDS)
        self.status = combo("全部状态", [UNFINISHED + "（在建/停工/未开工）", *PROJECT_STATUSES])
        self.status.setItemData(1, UNFINISHED)
        self.search = search_box("搜索项目、建设/施工/监理单位、许可证号（回车）")
        self.add_filters(self.kind, self.status, search=self.search)
        self.button("新增项目…", self.new_requested.emit, primary=True)
        self.button("修改…", lambda: self.edit_requested.emit(self.selected_key()), needs_row=True)
        self.button("变更状态…", lambda: self.status_requested.emit(self.selected_key()), needs_row=True)
        self.button("删除", self._delete, needs_row=True)

        # The detail pane: what the project is, and its inspections, hazards, documents, statuses.
        self.detail_title = QLabel("请选择一个项目")
        self.detail_title.setObjectName("pageHeading")
        self.detail_title.setStyleSheet("font-size: 12pt;")
        self.detail_info = QLabel()
        self.detail_info.setWordWrap(True)
        self.detail_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.project_inspections = InspectionListModel(db, unit_id)
        self.project_hazards = HazardListModel(db, unit_id, today=today)
        self.project_documents = DocumentListModel(db, unit_id, today=today)
        self.project_statuses = StatusHistoryModel(db)
        self.detail_tabs = QTabWidget()
        self.detail_views = {}
        for title, model in (
            ("检查记录", self.project_inspections),
            ("隐患", self.project_hazards),
            ("执法文书", self.project_documents),
            ("状态记录", self.project_statuses),
        ):
            view = make_view(model, sort_column=None if model is self.project_statuses else 0)
            self.detail_views[title] = view
            self.detail_tabs.addTab(view, title)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_info)
        detail_layout.addWidget(self.detail_tabs, 1)
        layout = self.layout()
        layout.removeWidget(self.view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.insertWidget(1, splitter, 1)
        self.current_project: int | None = None
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.show_project(self.selected_key()))

    def current_filter(self) -> ProjectFilter:
        return ProjectFilter(self.kind.currentData(), self.status.currentData(), self.search.text())

    def update_count(self) -> None:
        self.count.setText(f"共 {self.model.total()} 个项目")

    def reload(self) -> None:
        super().reload()
        self.show_project(
            self.current_project if self.model.row_of(self.current_project or -1) >= 0 else None
        )

    def show_project(self, project_id: int | None) -> None:
        self.current_project = project_id
        if project_id is None:
            self.detail_title.setText("请选择一个项目查看其检查记录、隐患和执法文书")
            self.detail_info.setText("")
        else:
            with self.db.session() as session:
                p = session.get(SafetyProject, project_id)
                if p is None:
                    return self.show_project(None)
                area = f"{p.area:,.2f} m²" if p.area is not None else "—"
                cost = f"{p.cost:,.2f} 万元" if p.cost is not None else "—"
                self.detail_title.setText(p.name)
                self.detail_info.setText(
                    f"{p.kind} · {p.status}（{p.status_since:%Y-%m-%d}起） · 建筑面积 {area} · "
                    f"工程造价 {cost} · 施工许可证号 {p.permit_no or '—'}\n"
                    f"建设单位 {p.developer or '—'} · 施工单位 {p.contractor or '—'} · "
                    f"监理单位 {p.supervision_firm or '—'} · 建设地点 {p.location or '—'}"
                )
        if project_id is None:
            for model in (self.project_inspections, self.project_hazards, self.project_documents):
                model.clear()
        else:
            self.project_inspections.set_filter(InspectionFilter(project_id=project_id))
            self.project_hazards.set_filter(HazardFilter(project_id=project_id))
            self.project_documents.set_filter(DocumentFilter(project_id=project_id))
        self.project_statuses.show_project(project_id)
        for index, model in enumerate(
            (self.project_inspections, self.project_hazards, self.project_documents, self.project_statuses)
        ):
            title = self.detail_tabs.tabText(index).split("（")[0]
            self.detail_tabs.setTabText(index, f"{title}（{model.total()}）" if project_id else title)
        return None

    def _delete(self) -> None:
        self.delete_selected("删除所选项目？", delete_project, "projects")
