"""预算绩效: the year's figures in three tabs (基础数据表, 部门整体自评表, 项目支出), computed and
checked as the user types, saved explicitly in one transaction, exported to and imported from Excel.

The page holds the year's `BudgetYearData`; the tabs edit it in place and say so; the page then
recomputes the tables (app.services.budget.compute) and the findings (checks) and shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import EditConflictError, UserError
from app.findings import Finding, Target
from app.services.budget.carry import carried_year
from app.services.budget.checks import check_data
from app.services.budget.compute import BudgetContext, compute_tables, load_context
from app.services.budget.data import BudgetYearData, Indicator, load_year, save_errors, save_year
from app.services.budget.progress import TAB_KEYS, not_started, page_findings, tabs_with_work
from app.services.budget.rules import RULE_SETS, rule_set
from app.services.budget.tables import BudgetTables
from app.services.versions import reapply
from ui.context import AppContext
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict
from ui.models.findings_model import findings_model
from ui.pages.base import Page
from ui.widgets.budget_base_tab import BaseDataTab
from ui.widgets.budget_department_tab import DepartmentTab
from ui.widgets.budget_projects_tab import ProjectsTab
from ui.widgets.findings_panel import FindingsPanel
from ui.widgets.save_state import SaveState

TAB_BASE, TAB_DEPARTMENT, TAB_PROJECTS = 0, 1, 2


# The parts of a budget year a re-applied save names when both sides changed them.
BUDGET_PARTS = {
    "rule_set": "评分规则",
    "basic_initial": "基本支出年初预算数",
    "basic_full": "基本支出全年预算数",
    "executed_typed": "原填写的全年执行数",
    "income_general": "一般公共预算收入",
    "income_fund": "政府性基金收入",
    "income_special": "财政专户收入",
    "income_other": "其他收入",
    "personnel": "人员经费",
    "public": "公用经费",
    "state_capital": "国有资本经营预算支出",
    "social_insurance": "社会保险基金预算支出",
    "goal_expected": "年度预期目标",
    "goal_actual": "目标完成情况",
    "thrift_measures": "厉行节约措施",
    "fill_date": "填报日期",
    "control": "“三公”经费等控制数",
    "buildings": "楼堂馆所",
    "indicators": "部门整体绩效指标",
    "level1_weights": "一级指标权重",
    "projects": "项目支出",
}


class BudgetPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.data = BudgetYearData()
        self._loaded = BudgetYearData()
        self.budget_ctx = BudgetContext(ctx.year)
        self.tables: BudgetTables | None = None
        self.findings: list[Finding] = []
        self.export_box: QMessageBox | None = None
        self.import_dialog = None

        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.state_label = SaveState("保存预算绩效的全部修改（Ctrl+S）")
        self.state_label.dirty_changed.connect(self.dirty_changed)
        self.revert_button = self.state_label.revert_button
        self.save_button = self.state_label.save_button
        self.rule_combo = QComboBox()
        for key, rules in RULE_SETS.items():
            self.rule_combo.addItem(rules.title, key)
            self.rule_combo.setItemData(
                self.rule_combo.count() - 1, rules.description, Qt.ItemDataRole.ToolTipRole
            )
        self.rule_combo.setToolTip("评分规则（按年度选择）：一级指标分值、评分方法和总分封顶规则")
        # The titles are long: the box shows the start of one, its list the whole titles.
        self.rule_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rule_combo.setMinimumContentsLength(18)
        self.rule_combo.view().setMinimumWidth(self.rule_combo.view().sizeHintForColumn(0) + 24)
        self.rule_combo.activated.connect(self._rule_chosen)
        self.import_button = QPushButton("从Excel导入…")
        self.import_button.setToolTip("读取部门整体/项目支出绩效自评表、基础数据表（.xlsx），预览后导入")
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setToolTip("导出基础数据表、部门整体自评表和各项目自评表（.xlsx）")
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addSpacing(12)
        header.addWidget(self.state_label)
        header.addStretch(1)
        header.addWidget(QLabel("评分规则"))
        header.addWidget(self.rule_combo)
        header.addSpacing(8)
        header.addWidget(self.import_button)
        header.addWidget(self.export_button)
        header.addWidget(self.revert_button)
        header.addWidget(self.save_button)

        self.base_tab = BaseDataTab()
        self.dept_tab = DepartmentTab()
        self.projects_tab = ProjectsTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.base_tab, "基础数据表")
        self.tabs.addTab(self.dept_tab, "部门整体自评表")
        self.tabs.addTab(self.projects_tab, "项目支出")
        self._opened_for: tuple[int, int] | None = None  # the unit and year the tab was chosen for
        self._opening = False
        self.tabs.currentChanged.connect(self._tab_chosen)
        for tab in (self.base_tab, self.dept_tab, self.projects_tab):
            tab.changed.connect(self._changed)
            tab.status.connect(self.ctx.status_message)
        self.base_tab.open_unit_page.connect(self._open_unit_page)
        self.dept_tab.indicators.copy_requested.connect(lambda kind: self._copy_indicators(kind, -1))
        self.projects_tab.copy_requested.connect(self._copy_indicators)

        self.findings_panel = FindingsPanel(source=findings_model(self.ctx), scope="budget")
        self.findings_panel.jump_requested.connect(lambda f: self.show_target(f.target) if f.target else None)
        # One click is enough here: the list sits beside the tables it points into.
        self.findings_panel.view.clicked.connect(self._finding_clicked)
        checks = QWidget()
        checks_layout = QVBoxLayout(checks)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("校验（随输入更新）")
        title.setStyleSheet("font-weight:bold; color:#37474f; padding:4px")
        checks_layout.addWidget(title)
        checks_layout.addWidget(self.findings_panel, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(checks)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1000, 240])  # the tables keep the width on a 1280 px screen

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert_clicked)
        self.export_button.clicked.connect(self.export_tables)
        self.import_button.clicked.connect(self.import_tables)
        self.ctx.data_changed.connect(self._on_data_changed)

    # -- loading and recomputing ------------------------------------------------------------------

    def load(self) -> None:
        with self.ctx.db.session() as session:
            data = load_year(session, self.ctx.unit_id, self.ctx.year)
            self.budget_ctx = load_context(session, self.ctx.unit_id, self.ctx.year)
        self._show(data)
        self._loaded = data.copy()
        self.state_label.set_dirty(False)
        if self._opened_for != (self.ctx.unit_id, self.ctx.year):
            self._opened_for = (self.ctx.unit_id, self.ctx.year)
            self._open_tab_with_work()

    def _open_tab_with_work(self) -> None:
        """On opening a year: the first tab with an error or something 待填写, else the last used."""
        from ui.application import ui_settings

        busy = tabs_with_work(self.findings)
        if busy:
            index = TAB_KEYS.index(busy[0])
        else:
            index = int(ui_settings().value("budget/last_tab", TAB_BASE))
        self._opening = True
        self.tabs.setCurrentIndex(min(max(index, 0), self.tabs.count() - 1))
        self._opening = False

    def _tab_chosen(self, index: int) -> None:
        if not self._opening and index >= 0:
            from ui.application import ui_settings

            ui_settings().setValue("budget/last_tab", index)

    def _show(self, data: BudgetYearData) -> None:
        self.data = data
        rules = rule_set(data.rule_set)
        self.heading.setText(f"预算绩效 · {self.ctx.year}年度")
        self.rule_combo.setCurrentIndex(max(0, self.rule_combo.findData(rules.key)))
        self.base_tab.set_data(data, self.ctx.year)
        self.dept_tab.set_data(data, rules)
        self.projects_tab.set_data(data, rules, (self.budget_ctx.supervisor, self.budget_ctx.unit_name))
        self._recompute()

    def _recompute(self) -> None:
        self.tables = compute_tables(self.data, self.budget_ctx)
        # A table not started yet lists what it lacks as 待填写 (F7 and the export: errors).
        self.findings = page_findings(self.data, check_data(self.data, self.budget_ctx, self.tables))
        fresh = not_started(self.data)
        for index, (key, title) in enumerate((("base", "基础数据表"), ("dept", "部门整体自评表"))):
            self.tabs.setTabText(index, f"{title}（待填写）" if key in fresh else title)
        self.base_tab.show_table(self.tables.base, self.findings)
        self.dept_tab.show_table(self.tables.department, self.findings)
        self.projects_tab.show_tables(self.tables.projects, self.findings)
        self.findings_panel.set_findings(self.findings)
        errors = sum(1 for f in self.findings if f.is_error)
        self.tabs.setTabText(TAB_PROJECTS, f"项目支出（{len(self.data.projects)}）")
        self.findings_panel.setToolTip(f"错误 {errors} 项")

    def _changed(self) -> None:
        self._recompute()
        self.state_label.set_dirty(self.data != self._loaded)

    def _rule_chosen(self, index: int) -> None:
        key = self.rule_combo.itemData(index)
        if key == self.data.rule_set:
            return
        self.data.rule_set = key
        rules = rule_set(key)
        self.dept_tab.set_rules(rules)
        self.projects_tab.set_rules(rules)
        self._changed()
        self.ctx.status_message.emit(f"评分规则已改为：{rules.title}（保存后生效）")

    def _on_data_changed(self, module: str) -> None:
        if module == "unit":  # staffing, names and the footer come from the unit profile
            with self.ctx.db.session() as session:
                self.budget_ctx = load_context(session, self.ctx.unit_id, self.ctx.year)
            self.projects_tab.defaults = (self.budget_ctx.supervisor, self.budget_ctx.unit_name)
            self._recompute()

    def _finding_clicked(self, index) -> None:
        finding = self.findings_panel.finding_at(index)
        if finding is not None and finding.target is not None:
            self.show_target(finding.target)

    def _open_unit_page(self) -> None:
        window = self.window()
        if hasattr(window, "show_page") and hasattr(window, "page"):
            window.page("unit")
            window.show_page("unit")

    # -- Page protocol ----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.state_label.dirty

    def save(self) -> bool:
        invalid = self.dept_tab.invalid_fields() + [
            f"project:{k}" for k in self.projects_tab.editor.invalid_fields()
        ]
        if invalid:
            QMessageBox.warning(
                self,
                "无法保存",
                "有金额格子填写有误（红框标出：应为不小于0、最多两位小数的数字），请改正后再保存。",
            )
            return False
        errors = save_errors(self.data)
        if errors:
            QMessageBox.warning(self, "无法保存", "\n".join(errors))
            return False
        try:
            save_year(self.ctx.db, self.ctx.unit_id, self.ctx.year, self.data)
        except EditConflictError as exc:
            self._resolve_conflict(str(exc))
            return False
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return False
        self._loaded = self.data.copy()
        self.state_label.set_dirty(False)
        self.ctx.notify_saved("budget", f"预算绩效已保存（{datetime.now():%H:%M:%S}）")
        return True

    def _resolve_conflict(self, message: str) -> None:
        """Saved elsewhere since loaded: reload, or put the user's changed parts (a table, a text,
        the project list) back on the newer copy, to check and save again."""
        choice = ask_conflict(self, message)
        if choice is ConflictChoice.CANCEL:
            return
        if choice is ConflictChoice.RELOAD:
            self.load()
            self.ctx.status_message.emit("已重新载入预算绩效：显示的是别处保存的内容")
            return
        with self.ctx.db.session() as session:
            fresh = load_year(session, self.ctx.unit_id, self.ctx.year)
        merged, clashes = reapply(self._loaded, self.data, fresh)
        self._show(merged.copy())
        self._loaded = fresh
        self.state_label.set_dirty(self.data != self._loaded)
        parts = "、".join(BUDGET_PARTS.get(name, name) for name in clashes)
        note = f"对方也修改了：{parts}（表单中为您的修改，请核对）" if parts else ""
        self.ctx.status_message.emit(f"已载入别处保存的内容并填回您的修改，尚未保存。{note}")

    def discard(self) -> None:
        self.load()

    def _revert_clicked(self) -> None:
        answer = QMessageBox.question(
            self,
            "撤销修改",
            "放弃本页所有未保存的修改，恢复到上次保存的内容？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.discard()

    def show_target(self, target: Target) -> None:
        record, field = target.record, target.field
        if record == "base":
            self.tabs.setCurrentIndex(TAB_BASE)
            self.base_tab.show_field(field)
        elif record == "dept":
            self.tabs.setCurrentIndex(TAB_DEPARTMENT)
            self.dept_tab.show_field(field)
        elif record.startswith("project"):
            self.tabs.setCurrentIndex(TAB_PROJECTS)
            _p, _sep, index = record.partition(":")
            if index.isdigit():
                self.projects_tab.show_field(int(index), field)

    def show_records(self, kind: str, ids: Sequence[int | str]) -> None:
        """Open the first of the projects `ids` (database ids) in the 项目支出 tab."""
        if kind != "budget":
            return
        wanted = {int(i) for i in ids}
        row = next((i for i, t in enumerate(self.projects_tab.tables) if t.id in wanted), -1)
        if row >= 0:
            self.tabs.setCurrentIndex(TAB_PROJECTS)
            self.projects_tab.select(row)

    # -- copying indicator trees ------------------------------------------------------------------

    def _copy_indicators(self, kind: str, project_index: int) -> None:
        """Replace a table's indicators with last year's (same table) or the department table's."""
        source: tuple[list[Indicator], dict] | None = None
        if kind == "department":
            source = ([i.cleared() for i in self.data.indicators], dict(self.data.level1_weights))
            what = "部门整体支出绩效自评表的指标"
        else:
            with self.ctx.db.session() as session:
                try:
                    last = carried_year(load_year(session, self.ctx.unit_id, self.ctx.year - 1))
                except UserError:
                    last = None
            what = f"{self.ctx.year - 1}年度的指标"
            if last is not None and project_index < 0:
                source = (last.indicators, last.level1_weights)
            elif last is not None:
                name = self.data.projects[project_index].name
                match = last.project_named(name)
                if match is not None:
                    source = (match.indicators, match.level1_weights)
                what = f"{self.ctx.year - 1}年度项目“{name}”的指标"
        if source is None or not source[0]:
            QMessageBox.information(self, "复制指标", f"没有找到{what}。")
            return
        editor = self.dept_tab.indicators if project_index < 0 else self.projects_tab.editor.indicators
        if editor.model.indicators:
            answer = QMessageBox.question(
                self,
                "复制指标",
                f"用{what}（{len(source[0])}项）替换本表现有的{len(editor.model.indicators)}项指标？\n"
                "年度指标值和分值保留，实际完成值、得分和偏差原因清空。",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        editor.replace_indicators(source[0], source[1])
        self.ctx.status_message.emit(f"已复制{what}（{len(source[0])}项），请填写实际完成值")

    # -- export -------------------------------------------------------------------------------------

    def _saved_before(self, action: str) -> bool:
        if not self.state_label.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "有未保存的修改",
            f"{action}使用已保存的数据。先保存本页的修改吗？",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return answer == QMessageBox.StandardButton.Save and self.save()

    def export_tables(self) -> None:
        if not self._saved_before("导出"):
            return
        from ui.application import ui_settings

        settings = ui_settings()
        start = str(settings.value("budget/export_dir", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "选择导出到的文件夹", start)
        if folder:
            settings.setValue("budget/export_dir", folder)
            self.export_to(Path(folder))

    def export_to(self, folder: Path):
        """Export this year's tables into `folder` off the GUI thread; returns the task."""
        from app.exports.package import export_year

        db, unit_id, year = self.ctx.db, self.ctx.unit_id, self.ctx.year

        def work(progress, cancel):
            return export_year(
                db,
                unit_id,
                year,
                folder,
                keys={"budget.tables"},
                into_package_folder=False,
                progress=progress,
                cancel=cancel,
            )

        self.export_button.setEnabled(False)
        task = self.ctx.tasks.run_with_progress(
            self, "导出预算绩效表格", work, on_finished=self._exported, on_failed=self._export_failed
        )
        task.ended.connect(lambda: self.export_button.setEnabled(True))
        return task

    def _exported(self, result) -> None:
        folder = result.files[0].parent if result.files else result.folder
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "导出完成",
            f"已导出 {len(result.files)} 个文件到：\n{folder}",
            parent=self,
        )
        names = "\n".join(p.name for p in result.files)
        box.setDetailedText(names)
        open_button = box.addButton("打开文件夹", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        self.export_box = box
        box.open()
        self.ctx.status_message.emit(f"预算绩效表格已导出到 {folder}")

    def _export_failed(self, message: str, details: str) -> None:
        if details:
            from ui.dialogs.error_dialog import show_error

            show_error(self, message, details)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "无法导出", message, parent=self)
        self.export_box = box
        box.open()

    # -- import -------------------------------------------------------------------------------------

    def import_tables(self) -> None:
        if self.state_label.dirty:
            answer = QMessageBox.question(
                self,
                "有未保存的修改",
                "导入会写入数据库。先保存本页的修改吗？（选“放弃”则丢弃修改后导入）",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
            if answer == QMessageBox.StandardButton.Discard:
                self.discard()
        paths, _filter = QFileDialog.getOpenFileNames(
            self, "选择要导入的表格", str(Path.home()), "Excel 工作簿 (*.xlsx)"
        )
        if paths:
            self.import_from([Path(p) for p in paths])

    def import_from(self, paths: list[Path]):
        """Read `paths` off the GUI thread, then show the preview; returns the task."""
        from app.importers.budget_xlsx import read_workbooks

        level1 = rule_set(self.data.rule_set).level1_names()

        def work(progress, _cancel):
            progress(0, 0, "正在读取表格…")
            return read_workbooks(paths, level1)

        self.import_button.setEnabled(False)
        task = self.ctx.tasks.run_with_progress(
            self,
            "读取Excel表格",
            work,
            cancellable=False,
            on_finished=lambda result: self._preview(paths, result),
            on_failed=self._export_failed,
        )
        task.ended.connect(lambda: self.import_button.setEnabled(True))
        return task

    def _preview(self, paths: list[Path], result) -> None:
        from app.importers.budget_xlsx import plan_import
        from app.services.unit import years_of
        from ui.dialogs.budget_import_dialog import ImportPreviewDialog

        with self.ctx.db.session() as session:
            years = years_of(session, self.ctx.unit_id)

        def plan_for(year: int):
            with self.ctx.db.session() as session:
                current = load_year(session, self.ctx.unit_id, year)
                context = load_context(session, self.ctx.unit_id, year)
            return plan_import(current, context, result)

        dialog = ImportPreviewDialog(paths, years, self.ctx.year, plan_for, self)
        dialog.accepted.connect(lambda: self._apply_import(dialog))
        self.import_dialog = dialog
        dialog.open()

    def _apply_import(self, dialog) -> None:
        from app.importers.budget_xlsx import apply_import

        year, plan = dialog.year(), dialog.plan
        try:
            apply_import(self.ctx.db, self.ctx.unit_id, year, plan, force_year=dialog.year_confirmed())
        except UserError as exc:
            QMessageBox.warning(self, "未导入", str(exc))
            return
        if year == self.ctx.year:
            self.load()
        if plan.footer is not None and plan.footer.profile_changes():
            self.ctx.notify_saved("unit")  # the file's 填表人/联系电话 went to the year's 单位信息
        self.ctx.notify_saved("budget", f"已导入到{year}年度：" + "；".join(plan.changes[:3]))
