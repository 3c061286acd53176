"""安全监督: projects, inspections with their hazards, the hazard ledger (overdue ones first to the
eye and counted in the navigation badge), documents, activities, 工作量统计 and the statistics
of any period. Lists are lazy SQL tables; every write is one service call in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
)
from sqlalchemy import select

from app import clock
from app.dates import DateDefaults, WorkingYear
from app.findings import Target
from app.models.safety import SafetyHazard, SafetyInspection, SafetyProject
from app.services.safety.constants import NAMED_KINDS
from app.services.safety.lists import OVERDUE, HazardFilter, ProjectFilter
from app.services.safety.periods import Period
from app.services.safety.projects import project_choices
from ui.context import AppContext
from ui.dialogs.safety_inspection_dialog import InspectionDialog
from ui.dialogs.safety_record_dialogs import (
    ActivityDialog,
    DocumentDialog,
    HazardDialog,
    ProjectDialog,
    RectifyDialog,
    StatusDialog,
    WorkloadItemDialog,
)
from ui.pages.base import Page
from ui.widgets.safety_lists import ActivitiesTab, DocumentsTab, HazardsTab, InspectionsTab, ProjectsTab
from ui.widgets.safety_stats import StatsView, WorkloadView

TAB_PROJECTS, TAB_INSPECTIONS, TAB_HAZARDS, TAB_DOCUMENTS, TAB_ACTIVITIES, TAB_WORKLOAD, TAB_STATS = range(7)
LEDGER_TITLES = {
    "hazards": "隐患排查治理台账",
    "projects": "工程项目清单",
    "documents": "执法文书登记表",
    "statistics": "安全监督工作统计表",
}


class SafetyPage(Page):
    # A dialog was opened (non-blocking); tests and the bench reach it through this signal.
    dialog_opened = Signal(object)

    def __init__(self, ctx: AppContext, today: Callable[[], date] = clock.today) -> None:
        super().__init__(ctx)
        self.today = today
        self.dates = DateDefaults(lambda: self.today())
        db, unit_id, year = ctx.db, ctx.unit_id, ctx.year
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.alert = QLabel()
        self.alert.setStyleSheet("color: #c62828; font-weight: bold;")
        self.new_inspection_button = QPushButton("录入检查…")
        self.new_inspection_button.setObjectName("primaryButton")
        self.new_inspection_button.setToolTip("录入一次检查及其发现的全部隐患")
        self.new_inspection_button.clicked.connect(self.new_inspection)
        self.export_button = QToolButton()
        self.export_button.setText("导出台账")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for kind, title in LEDGER_TITLES.items():
            menu.addAction(
                f"{title}（本年度）…", lambda k=kind: self.choose_export(k, Period.year(self.ctx.year))
            )
        self.export_button.setMenu(menu)
        self.export_button.setMinimumWidth(96)
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addSpacing(16)
        header.addWidget(self.alert)
        header.addStretch(1)
        header.addWidget(self.new_inspection_button)
        header.addWidget(self.export_button)

        self.projects = ProjectsTab(db, unit_id, today)
        self.inspections = InspectionsTab(db, unit_id, year)
        self.hazards = HazardsTab(db, unit_id, year, today)
        self.documents = DocumentsTab(db, unit_id, year, today)
        self.activities = ActivitiesTab(db, unit_id, year)
        self.workload = WorkloadView(db, unit_id, year)
        self.stats = StatsView(db, unit_id, year, ctx.tasks)
        self.tabs = QTabWidget()
        for widget, title in (
            (self.projects, "工程项目"),
            (self.inspections, "检查记录"),
            (self.hazards, "隐患台账"),
            (self.documents, "执法文书"),
            (self.activities, "工作活动"),
            (self.workload, "工作量统计"),
            (self.stats, "统计分析"),
        ):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self.projects.new_requested.connect(self.new_project)
        self.projects.edit_requested.connect(self.edit_project)
        self.projects.status_requested.connect(self.change_status)
        self.inspections.new_requested.connect(self.new_inspection)
        self.inspections.edit_requested.connect(self.edit_inspection)
        self.hazards.rectify_requested.connect(self.rectify_hazard)
        self.hazards.editor = self.edit_hazard
        self.hazards.categories_requested.connect(self.edit_categories)
        self.hazards.export_requested.connect(
            lambda: self.choose_export("hazards", self._list_period(self.hazards))
        )
        self.documents.new_requested.connect(self.new_document)
        self.documents.edit_requested.connect(self.edit_document)
        self.documents.export_requested.connect(
            lambda: self.choose_export("documents", self._list_period(self.documents))
        )
        self.activities.new_requested.connect(self.new_activity)
        self.activities.edit_requested.connect(self.edit_activity)
        self.workload.add_button.clicked.connect(self.new_workload_item)
        self.workload.dirty_changed.connect(self.dirty_changed)
        self.stats.export_requested.connect(lambda period: self.choose_export("statistics", period))
        for tab in (
            self.projects,
            self.inspections,
            self.hazards,
            self.documents,
            self.activities,
            self.workload,
        ):
            tab.changed.connect(self.after_write)
        for tab, kind in (
            (self.projects, "projects"),
            (self.inspections, "hazards"),
            (self.hazards, "hazards"),
            (self.documents, "documents"),
        ):
            # clicked(bool) fills the first parameter: the kind must not be that one
            button = tab.button("从台账导入…", lambda _checked=False, k=kind: self.import_ledger(k))
            button.setToolTip("从 WPS/Excel 中已有的台账导入（可预览，导入后可撤销）")
        self.tabs.currentChanged.connect(self._tab_shown)
        self._stale_stats = True
        self._last_folder = ""
        self.overdue = 0

    def import_ledger(self, kind: str, path=None):
        from ui.ledger_import import open_ledger_import

        return open_ledger_import(self, self.ctx, kind, path)

    # -- Page protocol -----------------------------------------------------------------------------

    def load(self) -> None:
        year = self.ctx.year
        self.heading.setText(f"安全监督 · {year}年度")
        for tab in (
            self.inspections,
            self.hazards,
            self.documents,
            self.activities,
            self.workload,
            self.stats,
        ):
            tab.set_year(year)
        for tab in (self.projects, self.inspections, self.hazards, self.documents, self.activities):
            tab.reload()
        self.workload.load()
        self._stale_stats = True
        self._tab_shown(self.tabs.currentIndex())
        self._update_alert()

    def is_dirty(self) -> bool:
        return self.workload.is_dirty()

    def save(self) -> bool:
        return self.workload.save() if self.workload.is_dirty() else True

    def discard(self) -> None:
        self.workload.load()

    def show_target(self, target: Target) -> None:
        kind, _, rest = target.record.partition(":")
        if kind == "hazards":
            self.tabs.setCurrentIndex(TAB_HAZARDS)
            if rest == "overdue":
                self.hazards.apply_filter(HazardFilter(period=Period.year(self.ctx.year), status=OVERDUE))
            elif rest == "unreviewed":
                self.hazards.apply_filter(HazardFilter(period=Period.year(self.ctx.year), status="已整改"))
        elif kind == "documents":
            self.tabs.setCurrentIndex(TAB_DOCUMENTS)
            self.documents.open_only.setCurrentIndex(1)
        elif kind == "projects":
            self.tabs.setCurrentIndex(TAB_PROJECTS)
            self.projects.status.setCurrentIndex(0)
        elif kind == "workload":
            self.tabs.setCurrentIndex(TAB_WORKLOAD)
            start, end = (date.fromisoformat(part) for part in rest.split(":"))
            self.workload.picker.set_period(Period(start, end))

    def show_records(self, kind: str, ids: Sequence[int | str]) -> None:
        """The hazard ledger narrowed to exactly `ids` (all years, every other filter cleared)."""
        from ui.widgets.workbench_pin import PinBar, insert_above

        if kind != "hazards":
            return
        if getattr(self, "hazard_pin", None) is None:
            self.hazard_pin = PinBar()
            insert_above(self.hazards.view, self.hazard_pin)
            self.hazard_pin.cleared.connect(self._unpin_hazards)
        self.tabs.setCurrentIndex(TAB_HAZARDS)
        self.hazards.pinned = tuple(int(i) for i in ids)
        self.hazards.apply_filter(HazardFilter(ids=self.hazards.pinned))
        self.hazard_pin.show_count(len(self.hazards.pinned))

    def _unpin_hazards(self) -> None:
        self.hazards.pinned = None
        self.hazards.apply_filter(HazardFilter(period=Period.year(self.ctx.year)))

    # -- refreshing after a write ----------------------------------------------------------------------

    def after_write(self, what: str) -> None:
        """Refresh what the write may have changed, the badge and the statistics."""
        if what in ("projects",):
            self.projects.reload()
        if what in ("inspections", "hazards"):
            self.inspections.reload()
            self.hazards.reload()
            self.projects.show_project(self.projects.current_project)
        if what == "documents":
            self.documents.reload()
            self.projects.show_project(self.projects.current_project)
        if what == "activities":
            self.activities.reload()
        self._stale_stats = True
        if self.tabs.currentIndex() == TAB_STATS:
            self._tab_shown(TAB_STATS)
        self._update_alert()
        self.badge_changed.emit()
        self.ctx.notify_saved("safety", "已保存")

    def _tab_shown(self, index: int) -> None:
        if index == TAB_STATS and self._stale_stats:
            self.stats.refresh()
            self._stale_stats = False

    def _update_alert(self) -> None:
        from app.services.safety.inspections import overdue_count

        with self.ctx.db.session() as session:
            count = overdue_count(session, self.ctx.unit_id, self.ctx.year, self.today())
        self.alert.setText(f"⚠ {count} 条隐患逾期未整改" if count else "")
        self.overdue = count

    def _list_period(self, tab) -> Period:
        year = tab.scope.currentData()
        return Period.year(year) if year else Period(date(2000, 1, 1), self.today())

    # -- dialogs ----------------------------------------------------------------------------------------

    def _open(self, dialog: QDialog, on_saved: Callable[[], None]) -> QDialog:
        """Show a dialog without blocking; run `on_saved` when it was saved."""
        dialog.setModal(True)
        dialog.accepted.connect(on_saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _choices(self):
        with self.ctx.db.session() as session:
            return project_choices(session, self.ctx.unit_id)

    def _campaigns(self) -> list[str]:
        with self.ctx.db.session() as session:
            return list(
                session.scalars(
                    select(SafetyInspection.campaign)
                    .distinct()
                    .where(
                        SafetyInspection.unit_id == self.ctx.unit_id,
                        SafetyInspection.kind.in_(NAMED_KINDS),
                        SafetyInspection.campaign != "",
                    )
                    .order_by(SafetyInspection.campaign.desc())
                    .limit(200)
                )
            )

    def working(self) -> WorkingYear:
        """The dialogs' dates: inside the year in view (see app.dates)."""
        return self.dates.for_year(self.ctx.year)

    def new_inspection(self) -> InspectionDialog:
        choices = self._choices()
        dialog = InspectionDialog(
            self.ctx.db,
            self.ctx.unit_id,
            choices,
            self,
            campaigns=self._campaigns(),
            today=self.today,
            working=self.working(),
        )
        if self.tabs.currentIndex() == TAB_PROJECTS and self.projects.current_project is not None:
            dialog.set_projects_checked([self.projects.current_project])
            dialog.rows[0].set_projects([c for c in choices if c.id == self.projects.current_project])

        def saved() -> None:
            self.after_write("inspections")
            if dialog.saved_id is not None:
                self.inspections.select_key(dialog.saved_id)

        return self._open(dialog, saved)

    def edit_inspection(self, inspection_id: int | None) -> None:
        if inspection_id is None:
            return
        dialog = InspectionDialog(
            self.ctx.db,
            self.ctx.unit_id,
            self._choices(),
            self,
            inspection_id=inspection_id,
            campaigns=self._campaigns(),
            today=self.today,
            working=self.working(),
        )
        self._open(dialog, lambda: self.after_write("inspections"))

    def rectify_hazard(self, hazard_id: int) -> RectifyDialog:
        with self.ctx.db.session() as session:
            hazard = session.get(SafetyHazard, hazard_id)
            inspection = session.get(SafetyInspection, hazard.inspection_id) if hazard else None
            text = hazard.description if hazard else ""
            reviewer = hazard.reviewer if hazard and hazard.reviewer else ""
            if not reviewer and inspection is not None:
                reviewer = inspection.inspectors.replace("，", "、").split("、")[0]
        dialog = RectifyDialog(
            self.ctx.db, hazard_id, text, self, reviewer, today=self.today, working=self.working()
        )
        self._open(dialog, lambda: self._hazard_written(hazard_id))
        return dialog

    def _hazard_written(self, hazard_id: int) -> None:
        self.hazards.model.refresh_row(hazard_id)
        self.after_write("hazards")
        self.hazards.select_key(hazard_id)

    def edit_hazard(self, hazard_id: int) -> None:
        with self.ctx.db.session() as session:
            names = dict(
                session.execute(
                    select(SafetyProject.id, SafetyProject.name).where(
                        SafetyProject.unit_id == self.ctx.unit_id
                    )
                ).all()
            )
        dialog = HazardDialog(self.ctx.db, hazard_id, names, self, today=self.today, working=self.working())
        self._open(dialog, lambda: self._hazard_written(hazard_id))

    def edit_categories(self) -> QDialog:
        """隐患类别…: the unit's list and its synonyms (also in the 工具 menu)."""
        from ui.dialogs.safety_categories_dialog import HazardCategoriesDialog

        dialog = HazardCategoriesDialog(self.ctx.db, self.ctx.unit_id, self)

        def saved() -> None:
            self.hazards.refresh_categories()
            self.after_write("hazards")
            self.ctx.notify_saved("safety", dialog.summary())

        return self._open(dialog, saved)

    def new_project(self) -> None:
        dialog = ProjectDialog(self.ctx.db, self.ctx.unit_id, self, working=self.working())

        def saved() -> None:
            self.after_write("projects")
            if dialog.saved_id is not None:
                self.projects.select_key(dialog.saved_id)

        self._open(dialog, saved)

    def edit_project(self, project_id: int | None) -> None:
        if project_id is None:
            return
        dialog = ProjectDialog(self.ctx.db, self.ctx.unit_id, self, project_id, working=self.working())
        self._open(dialog, lambda: self._project_written(project_id))

    def _project_written(self, project_id: int) -> None:
        self.projects.model.refresh_row(project_id)
        self.projects.show_project(project_id)
        self.after_write("projects-row")

    def change_status(self, project_id: int | None) -> None:
        if project_id is None:
            return
        with self.ctx.db.session() as session:
            project = session.get(SafetyProject, project_id)
            name = project.name if project else ""
        dialog = StatusDialog(self.ctx.db, project_id, name, self, working=self.working())
        dialog.finished.connect(lambda _r: self._project_written(project_id) if dialog.changed else None)
        self._open(dialog, lambda: self._project_written(project_id))

    def new_document(self) -> None:
        project = self.projects.current_project if self.tabs.currentIndex() == TAB_PROJECTS else None
        dialog = DocumentDialog(
            self.ctx.db,
            self.ctx.unit_id,
            self._choices(),
            self,
            today=self.today,
            project_id=project,
            working=self.working(),
        )
        self._open(dialog, lambda: self.after_write("documents"))

    def edit_document(self, document_id: int | None) -> None:
        if document_id is None:
            return
        dialog = DocumentDialog(
            self.ctx.db,
            self.ctx.unit_id,
            self._choices(),
            self,
            document_id,
            self.today,
            working=self.working(),
        )
        self._open(dialog, lambda: self.after_write("documents"))

    def new_activity(self) -> None:
        self._open(
            ActivityDialog(self.ctx.db, self.ctx.unit_id, self, working=self.working()),
            lambda: self.after_write("activities"),
        )

    def edit_activity(self, activity_id: int | None) -> None:
        if activity_id is None:
            return
        dialog = ActivityDialog(self.ctx.db, self.ctx.unit_id, self, activity_id, working=self.working())
        self._open(dialog, lambda: self.after_write("activities"))

    def new_workload_item(self) -> None:
        dialog = WorkloadItemDialog(self.ctx.db, self.ctx.unit_id, self.workload.items, self)

        def saved() -> None:
            if self.workload.is_dirty():
                self.ctx.status_message.emit("新的统计项已添加；当前填报值尚未保存")
                return
            self.workload.load()
            self.after_write("workload")

        self._open(dialog, saved)

    # -- exports ----------------------------------------------------------------------------------------

    def choose_export(self, kind: str, period: Period) -> None:
        from app.exports.safety_ledgers import ledger_filename

        folder = Path(self._last_folder or Path.home())
        path, _ = QFileDialog.getSaveFileName(
            self,
            f"导出{LEDGER_TITLES[kind]}",
            str(folder / ledger_filename(kind, period)),
            "Excel 工作簿 (*.xlsx)",
        )
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self._last_folder = str(Path(path).parent)
            self.export(kind, period, Path(path))

    def export(self, kind: str, period: Period, target: Path, on_done: Callable[[Path], None] | None = None):
        """Write one ledger off the GUI thread, with a cancellable progress dialog."""
        from app.exports.safety_ledgers import export_atomically

        db, unit_id = self.ctx.db, self.ctx.unit_id

        def work(progress, cancel):
            return export_atomically(db, unit_id, kind, period, target, progress, cancel)

        def finished(path: Path) -> None:
            self.ctx.status_message.emit(f"已导出：{path}")
            if on_done is not None:
                on_done(path)

        def failed(message: str, details: str) -> None:
            from ui.dialogs.error_dialog import show_error

            show_error(self, message, details)

        return self.ctx.tasks.run_with_progress(
            self, f"导出{LEDGER_TITLES[kind]}", work, on_finished=finished, on_failed=failed
        )

    # -- for the bench and tests ------------------------------------------------------------------------

    def open_hazards(self, f: HazardFilter) -> None:
        """Show the hazard list with filter `f` (see app.services.safety.lists.HazardFilter)."""
        self.tabs.setCurrentIndex(TAB_HAZARDS)
        self.hazards.apply_filter(f)

    def open_projects(self, f: ProjectFilter) -> None:
        self.tabs.setCurrentIndex(TAB_PROJECTS)
        self.projects.model.set_filter(f)
        self.projects.update_count()
