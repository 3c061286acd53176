"""报告导出: write each report's sections, insert figures, export one report or the whole year.

Left: the reports (and the quarter / 巡察 / project of a scoped report) and the template in use.
Middle: the report's numbered outline. Right: the editor of the section chosen (or the title and
落款 form). Edits stay in the page until saved (Ctrl+S or 保存), across reports; the outline
shows unsaved sections with ●.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import EditConflictError, UserError
from app.findings import Finding, Target
from app.services.reports.build import (
    ReportInstance,
    build_blocks,
    describe_errors,
    open_report,
)
from app.services.reports.checks import parse_target_record
from app.services.reports.definitions import REPORTS, report_def
from app.services.reports.exporters import NOTES, ONLY, single_report_registry
from app.services.reports.figures import PLACEHOLDER, FigureGroup, source_groups
from app.services.reports.outline import (
    GeneratedSection,
    OutlineNode,
    ReportDef,
    build_outline,
    draft_text,
    find_node,
    walk,
)
from app.services.reports.prose import (
    ReportEdits,
    ReportSettings,
    SectionText,
    load_sections,
    load_settings,
    new_custom_key,
    save_report,
    validate_edits,
)
from ui.context import AppContext
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict
from ui.pages.base import Page
from ui.widgets.reports_outline import SETTINGS_KEY, NodeState, ReportOutline
from ui.widgets.reports_section_editor import SectionEditor, SectionView
from ui.widgets.reports_settings_form import ReportSettingsForm

REPORT_ROLE = Qt.ItemDataRole.UserRole
EXPORT_DIR_KEY = "reports/export_dir"


class ReportsPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self._report: ReportDef = REPORTS[0]
        self._scope_key = ""
        self._instance: ReportInstance | None = None
        self._generated: dict[str, list[GeneratedSection]] = {}
        self._nodes: list[OutlineNode] = []
        self._edits: dict[tuple[str, str], ReportEdits] = {}
        # The FigureSources' figures for the unit and year, read once and kept while the user moves
        # between reports (a few tenths of a second); dropped on load and when a module saves.
        self._figure_groups: list[FigureGroup] | None = None
        self._dirty = False
        self._selected = SETTINGS_KEY
        self.last_task = None
        self._draft_of: list[Finding] = []  # the findings of the 导出草稿 running, if one is
        self.dialog: QWidget | None = None  # the last dialog opened (kept alive; tests look at it)

        # -- header ----------------------------------------------------------------------------
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.state_label = QLabel()
        self.state_label.setObjectName("saveState")
        self.revert_button = QPushButton("撤销修改")
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primaryButton")
        self.save_button.setToolTip("保存全部报告文字（Ctrl+S）")
        self.export_button = QPushButton("导出此报告…")
        self.export_button.setToolTip("把当前报告导出为 Word 文档")
        self.export_all_button = QPushButton("一键导出全部…")
        self.export_all_button.setToolTip("先校验，再把本年度全部表格和报告导出到一个文件夹")
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addSpacing(12)
        header.addWidget(self.state_label)
        header.addStretch(1)
        header.addWidget(self.revert_button)
        header.addWidget(self.save_button)
        header.addSpacing(12)
        header.addWidget(self.export_button)
        header.addWidget(self.export_all_button)

        # -- left: reports, scope, template --------------------------------------------------------
        self.report_list = QListWidget()
        self.report_list.setObjectName("reportList")
        for report in REPORTS:
            item = QListWidgetItem(report.title)
            item.setData(REPORT_ROLE, report.key)
            item.setToolTip(report.description)
            self.report_list.addItem(item)
        self.report_list.setWordWrap(True)
        self.scope_label = QLabel()
        self.scope_combo = QComboBox()
        self.scope_hint = QLabel()
        self.scope_hint.setWordWrap(True)
        self.scope_hint.setStyleSheet("color:#8a5a00")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color:#666")
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope_label)
        scope_row.addWidget(self.scope_combo, 1)

        self.template_label = QLabel()
        self.template_label.setWordWrap(True)
        self.copy_template_button = QPushButton("复制模板到数据文件夹")
        self.copy_template_button.setToolTip(
            "把内置的公文版式模板复制到数据文件夹，用 WPS 修改样式后，导出即按新版式排版"
        )
        self.open_templates_button = QPushButton("打开模板文件夹")
        template_box = QGroupBox("版式模板（GB/T 9704）")
        template_layout = QVBoxLayout(template_box)
        template_layout.addWidget(self.template_label)
        template_layout.addWidget(self.copy_template_button)
        template_layout.addWidget(self.open_templates_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("报告"))
        left_layout.addWidget(self.report_list, 1)
        left_layout.addLayout(scope_row)
        left_layout.addWidget(self.scope_hint)
        left_layout.addWidget(self.description)
        left_layout.addWidget(template_box)

        # -- middle: outline -------------------------------------------------------------------------
        self.outline = ReportOutline()
        self.add_button = QPushButton("添加小节")
        self.add_button.setToolTip("在所选部分下添加一个小节（编号自动生成）")
        self.remove_button = QPushButton("删除小节")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        outline_buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            outline_buttons.addWidget(button)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(QLabel("提纲（编号自动生成）"))
        middle_layout.addWidget(self.outline, 1)
        middle_layout.addLayout(outline_buttons)

        # -- right: editor ---------------------------------------------------------------------------
        self.settings_form = ReportSettingsForm()
        self.editor = SectionEditor()
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color:#666")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.settings_form)
        self.stack.addWidget(self.editor)
        self.stack.addWidget(self.empty_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([240, 300, 640])

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

        self.report_list.currentItemChanged.connect(self._on_report_chosen)
        self.scope_combo.activated.connect(self._on_scope_chosen)
        self.outline.section_selected.connect(self._on_section_selected)
        self.editor.changed.connect(self._on_section_edited)
        self.editor.insert_requested.connect(self.open_figure_picker)
        self.editor.draft_requested.connect(self.use_draft)
        self.editor.confirm_requested.connect(self.confirm_carried)
        self.settings_form.changed.connect(self._on_settings_edited)
        self.add_button.clicked.connect(self.add_subsection)
        self.remove_button.clicked.connect(self.remove_subsection)
        self.up_button.clicked.connect(lambda: self.move_subsection(-1))
        self.down_button.clicked.connect(lambda: self.move_subsection(1))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.discard)
        self.export_button.clicked.connect(self.export_current)
        self.export_all_button.clicked.connect(self.export_all)
        self.copy_template_button.clicked.connect(self.copy_template)
        self.open_templates_button.clicked.connect(self.open_template_folder)
        self.ctx.data_changed.connect(self._on_data_changed)

    # -- Page protocol ---------------------------------------------------------------------------------

    def load(self) -> None:
        self._edits.clear()
        self._figure_groups = None
        self.heading.setText(f"报告导出 · {self.ctx.year}年度")
        if self.report_list.currentRow() < 0:
            self.report_list.setCurrentRow(0)  # → _on_report_chosen
        else:
            # Another year has other scopes (巡察, 季度): keep the one chosen if it is there too.
            self._fill_scopes(preferred=self._scope_key)
            scope = (self.scope_combo.currentData() or "") if self._report.scope_kind else ""
            self._open(self._report, scope, keep_selection=True)
        self._set_dirty(False)

    def is_dirty(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        pending = {key: edits for key, edits in self._edits.items() if not edits.is_empty()}
        if not pending:
            self._set_dirty(False)
            return True
        for (report_key, scope), edits in pending.items():
            problems = validate_edits(edits)
            if problems:
                self._select(report_key, scope, self._selected)
                QMessageBox.warning(self, "无法保存", "；".join(dict.fromkeys(problems)))
                return False
        try:
            for (report_key, scope), edits in pending.items():
                save_report(self.ctx.db, self.ctx.unit_id, self.ctx.year, report_key, scope, edits)
                self._edits.pop((report_key, scope), None)
        except EditConflictError as exc:
            self._resolve_conflict(str(exc))
            return False
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return False
        self._open(self._report, self._scope_key, keep_selection=True)
        self._set_dirty(False)
        self.ctx.notify_saved("reports", f"报告文字已保存（{datetime.now():%H:%M:%S}）")
        return True

    def _resolve_conflict(self, message: str) -> None:
        """A section (or the settings) the user edited was saved elsewhere since it was loaded:
        reload everything, or keep the user's edits (only what they edited is written, so the
        other sections keep what was saved elsewhere) on top of the newer copies."""
        choice = ask_conflict(self, message)
        if choice is ConflictChoice.CANCEL:
            return
        if choice is ConflictChoice.RELOAD:
            self.discard()
            self.ctx.status_message.emit("已重新载入报告文字：显示的是别处保存的内容")
            return
        with self.ctx.db.session() as session:
            for (report_key, scope), edits in self._edits.items():
                stored = load_sections(session, self.ctx.unit_id, self.ctx.year, report_key, scope)
                for key, section in list(edits.sections.items()):
                    fresh = stored.get(key)
                    edits.sections[key] = replace(section, version=None if fresh is None else fresh.version)
                if edits.settings is not None:
                    fresh_settings = load_settings(
                        session, self.ctx.unit_id, self.ctx.year, report_key, scope
                    )
                    edits.settings = replace(edits.settings, version=fresh_settings.version)
                    if (report_key, scope) == (self._report.key, self._scope_key):
                        self.settings_form._version = fresh_settings.version
        self.ctx.status_message.emit(
            "您的修改仍在表单中，未保存；其他小节保留别处保存的内容。请核对后再保存。"
        )

    def discard(self) -> None:
        self._edits.clear()
        self._open(self._report, self._scope_key, keep_selection=True)
        self._set_dirty(False)

    def show_target(self, target: Target) -> None:
        if not target.record:
            return
        report_key, scope, section = parse_target_record(target.record)
        self._select(report_key, scope, section or SETTINGS_KEY)

    def show_records(self, kind: str, ids: Sequence[int | str]) -> None:
        """Select the first of the empty sections `ids` ("report|scope|section" keys)."""
        if kind == "reports" and ids:
            report_key, scope, section = parse_target_record(str(ids[0]))
            self._select(report_key, scope, section or SETTINGS_KEY)

    # -- choosing a report, a scope, a section ------------------------------------------------------------

    def _select(self, report_key: str, scope: str, section: str) -> None:
        keys = [r.key for r in REPORTS]
        if report_key not in keys:
            return
        if report_key != self._report.key:
            self.report_list.blockSignals(True)
            self.report_list.setCurrentRow(keys.index(report_key))
            self.report_list.blockSignals(False)
            self._report = report_def(report_key)
            self._fill_scopes(preferred=scope)
            self._open(self._report, scope)
        elif scope != self._scope_key:
            self._open(self._report, scope)
        self.outline.select_key(section)

    def _on_report_chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        report = report_def(current.data(REPORT_ROLE))
        self._report = report
        self._fill_scopes()
        scope = (self.scope_combo.currentData() or "") if report.scope_kind else ""
        self._open(report, scope)

    def _fill_scopes(self, preferred: str = "") -> None:
        report = self._report
        self.scope_combo.clear()
        kind = report.scope_kind
        self.scope_label.setVisible(kind is not None)
        self.scope_combo.setVisible(kind is not None)
        self.scope_hint.hide()
        self.description.setText(report.description)
        if kind is None:
            return
        self.scope_label.setText(kind.title)
        with self.ctx.db.session() as session:
            options = kind.options(session, self.ctx.unit_id, self.ctx.year)
        for option in options:
            self.scope_combo.addItem(option.label, option.key)
        if not options:
            self.scope_hint.setText(kind.empty_hint)
            self.scope_hint.show()
            self.scope_combo.setEnabled(False)
            return
        self.scope_combo.setEnabled(True)
        index = self.scope_combo.findData(preferred)
        self.scope_combo.setCurrentIndex(index if index >= 0 else 0)

    def _on_scope_chosen(self, index: int) -> None:
        scope = self.scope_combo.itemData(index) or ""
        if scope != self._scope_key:
            self._open(self._report, scope)

    def _open(self, report: ReportDef, scope: str, *, keep_selection: bool = False) -> None:
        """Load a report instance from the database; unsaved edits stay and are laid over it."""
        self._report = report
        self._scope_key = scope
        index = self.scope_combo.findData(scope)
        if index >= 0:
            self.scope_combo.setCurrentIndex(index)
        available = report.scope_kind is None or bool(scope)
        self._instance = None
        self._generated = {}
        if available:
            with self.ctx.db.session() as session:
                if self._figure_groups is None:
                    self._figure_groups = source_groups(
                        session, self.ctx.registry, self.ctx.unit_id, self.ctx.year
                    )
                self._instance = open_report(
                    session,
                    self.ctx.registry,
                    self.ctx.unit_id,
                    self.ctx.year,
                    report,
                    scope,
                    self._figure_groups,
                )
                for section in report.all_sections():
                    if section.generated is not None:
                        self._generated[section.key] = section.generated(
                            session, self.ctx.unit_id, self.ctx.year, scope
                        )
        for widget in (self.outline, self.export_button, self.add_button):
            widget.setEnabled(available)
        if not available and report.scope_kind is not None:
            self.empty_label.setText(report.scope_kind.empty_hint)
            self.stack.setCurrentWidget(self.empty_label)
        self._refresh_template_status()
        previous = self._selected if keep_selection else SETTINGS_KEY
        self._rebuild()
        if not self.outline.select_key(previous):
            self.outline.select_key(SETTINGS_KEY)
        self._on_section_selected(self.outline.current_key() or SETTINGS_KEY)

    # -- the working state: database rows with unsaved edits laid over ---------------------------------

    def _edits_here(self) -> ReportEdits:
        return self._edits.setdefault((self._report.key, self._scope_key), ReportEdits())

    def _rows(self) -> dict[str, SectionText]:
        assert self._instance is not None
        rows = dict(self._instance.rows)
        edits = self._edits.get((self._report.key, self._scope_key))
        if edits is not None:
            rows.update(edits.sections)
            for key in edits.deleted:
                rows.pop(key, None)
        return rows

    def _settings(self) -> ReportSettings:
        assert self._instance is not None
        edits = self._edits.get((self._report.key, self._scope_key))
        if edits is not None and edits.settings is not None:
            return edits.settings
        return self._instance.settings

    def _rebuild(self) -> None:
        """Renumber the outline from the working state and repaint it."""
        if self._instance is None:
            self.outline.set_outline(self._report.title, [], {})
            return
        rows = self._rows()
        self._nodes = build_outline(self._report, rows, lambda s: self._generated.get(s.key, []))
        edits = self._edits.get((self._report.key, self._scope_key)) or ReportEdits()
        states = {node.key: self._state(node, rows, edits) for node in walk(self._nodes)}
        states[SETTINGS_KEY] = NodeState(dirty=edits.settings is not None)
        self.outline.set_outline(self._report.title, self._nodes, states)
        self._sync_outline_buttons()

    def _state(self, node: OutlineNode, rows: dict[str, SectionText], edits: ReportEdits) -> NodeState:
        assert self._instance is not None
        dirty = node.key in edits.sections
        if node.hidden:
            return NodeState("不写", "#999", dirty, italic=True)
        if node.kind == "generated":
            return NodeState("由台账生成", "#666", False, italic=True)
        row = rows.get(node.key)
        text = row.text if row is not None else (draft_text(node.section, self._instance.figures) or "")
        if any(self._instance.figures.resolve(m.group(1)).figure is None for m in PLACEHOLDER.finditer(text)):
            return NodeState("占位符有误", "#c62828", dirty)
        leaf = not any(not c.hidden for c in node.children)
        if row is not None:
            if row.carried_from is not None and not dirty:
                return NodeState(f"{row.carried_from}年结转·待核对", "#b26a00", dirty)
            if not row.text.strip() and leaf:
                return NodeState("未填写", "#999", dirty)
            return NodeState("", "", dirty)
        if text:
            return NodeState("草稿", "#1565c0", dirty)
        return NodeState("未填写", "#999", dirty) if leaf else NodeState()

    def _node(self, key: str) -> OutlineNode | None:
        return find_node(self._nodes, key)

    def _view(self, node: OutlineNode) -> SectionView:
        assert self._instance is not None
        if node.kind == "generated":
            return SectionView(node, SectionText(node.key, text=node.text), "generated", None)
        draft = draft_text(node.section, self._instance.figures) if node.kind == "fixed" else None
        row = self._rows().get(node.key)
        if row is not None:
            return SectionView(node, row, "stored", draft)
        if draft:
            return SectionView(node, SectionText(node.key, text=draft), "draft", draft)
        return SectionView(node, SectionText(node.key), "empty", None)

    def _on_section_selected(self, key: str) -> None:
        self._selected = key
        if self._instance is None:
            return
        if key == SETTINGS_KEY:
            self.stack.setCurrentWidget(self.settings_form)
            self.settings_form.set_settings(
                self._report, self._settings(), self._setting_defaults(), year=self.ctx.year
            )
        else:
            node = self._node(key)
            if node is None:
                return
            view = self._view(node)
            self.stack.setCurrentWidget(self.editor)
            self.editor.show_section(view, self._instance.figures)
            self._show_origin(view)
        self._sync_outline_buttons()

    def _show_origin(self, view: SectionView) -> None:
        if view.origin == "generated":
            self.editor.set_origin_text("本节由台账数据生成，请在相应模块中修改。")
        elif view.origin == "draft":
            self.editor.set_origin_text(
                "这是按数据生成的草稿：未修改时按草稿导出；修改后保存即为本单位的文字。"
            )
        elif view.origin == "empty":
            self.editor.set_origin_text("本节尚未填写。")
        elif view.text.carried_from is not None:
            self.editor.set_origin_text(
                f"此段文字从{view.text.carried_from}年度结转而来，请核对修改后保存（保存后不再提示）。",
                warning=True,
                confirmable=True,
            )
        else:
            self.editor.set_origin_text("")

    def _setting_defaults(self) -> dict[str, str]:
        assert self._instance is not None
        with self.ctx.db.session() as session:
            env = self._instance.env(session)
            env = replace(env, variant=self._settings().variant or env.variant)
            title = "\n".join(self._report.title_lines(env))
            addressee = self._report.addressee(env)
        return {"title": title, "addressee": addressee, "signer": self._instance.unit_name}

    # -- editing ---------------------------------------------------------------------------------------------

    def _on_section_edited(self) -> None:
        view = self.editor.view()
        if view is None or self._instance is None:
            return
        current = self.editor.current_text()
        key = view.node.key
        edits = self._edits_here()
        baseline = self._instance.rows.get(key)
        if baseline is not None:
            unchanged = current == baseline and baseline.carried_from is None
        else:
            unchanged = (
                not current.is_custom
                and current.text == (view.draft or "")
                and not current.title
                and current.run_in is None
                and not current.hidden
            )
        if unchanged:
            edits.sections.pop(key, None)
        else:
            edits.sections[key] = current
        self._after_edit(select=key)

    def _on_settings_edited(self) -> None:
        if self._instance is None:
            return
        current = self.settings_form.settings()
        edits = self._edits_here()
        edits.settings = None if current == self._normalized(self._instance.settings) else current
        self._after_edit(select=SETTINGS_KEY)

    def _normalized(self, settings: ReportSettings) -> ReportSettings:
        seal = None if settings.seal == self._report.seal else settings.seal
        variant = settings.variant if settings.variant in self._report.variants else ""
        if self._report.variants and not variant:
            variant = self._report.variants[0]
        return replace(settings, seal=seal, variant=variant)

    def _after_edit(self, select: str) -> None:
        self._rebuild()
        self.outline.blockSignals(True)
        self.outline.select_key(select)
        self.outline.blockSignals(False)
        node = self._node(select)
        if node is not None:
            self.editor.set_heading(node.path)
            if node.key in self._edits_here().sections:
                self.editor.set_origin_text("已修改，尚未保存（Ctrl+S 保存）。")
        self._set_dirty(any(not e.is_empty() for e in self._edits.values()))

    def open_figure_picker(self):
        from ui.dialogs.reports_figure_picker import FigurePickerDialog

        if self._instance is None:
            return None
        dialog = FigurePickerDialog(self._instance.figures, self)
        dialog.accepted.connect(lambda: self.editor.insert_text(dialog.insertion()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def use_draft(self) -> None:
        view = self.editor.view()
        if view is None or view.draft is None:
            return
        current = self.editor.text.toPlainText().strip()
        question = "用按数据生成的草稿替换本节现有文字？\n替换后可按 Ctrl+Z 撤销。"
        if current and current != view.draft.strip() and not self._confirm("使用草稿", question):
            return
        self.editor.replace_text(view.draft)

    def confirm_carried(self) -> None:
        """Keep last year's text as it is: saved, it is no longer flagged for review."""
        view = self.editor.view()
        if view is None:
            return
        self._edits_here().sections[view.node.key] = self.editor.current_text()
        self._after_edit(select=view.node.key)

    def add_subsection(self) -> None:
        node = self._node(self._selected)
        parent = node if node is not None and node.can_add_children else None
        if parent is None and node is not None and node.parent is not None and node.parent.can_add_children:
            parent = node.parent
        if parent is None:
            return
        title = self._ask_text(
            "添加小节", f"在“{parent.numbered_title}”下添加小节。\n小节标题（不要输入编号）："
        )
        if not title:
            return
        siblings = [c for c in parent.children if c.kind == "custom"]
        rows = self._rows()
        position = max((rows[c.key].position for c in siblings if c.key in rows), default=0) + 1
        key = new_custom_key()
        self._edits_here().sections[key] = SectionText(
            key, title=title.strip(), parent_key=parent.key, position=position
        )
        self._after_edit(select=key)
        self.outline.select_key(key)

    def remove_subsection(self) -> None:
        node = self._node(self._selected)
        if node is None or node.kind != "custom":
            return
        if not self._confirm("删除小节", f"删除小节“{node.numbered_title}”及其文字？"):
            return
        edits = self._edits_here()
        edits.sections.pop(node.key, None)
        if self._instance is not None and node.key in self._instance.rows:
            edits.deleted.add(node.key)
        parent_key = node.parent.key if node.parent else SETTINGS_KEY
        self._selected = parent_key
        self._after_edit(select=parent_key)
        self._on_section_selected(parent_key)

    def move_subsection(self, step: int) -> None:
        node = self._node(self._selected)
        if node is None or node.kind != "custom" or node.parent is None:
            return
        siblings = [c for c in node.parent.children if c.kind == "custom"]
        index = siblings.index(node)
        other_index = index + step
        if not 0 <= other_index < len(siblings):
            return
        rows = self._rows()
        order = [rows[c.key] for c in siblings]
        order[index], order[other_index] = order[other_index], order[index]
        edits = self._edits_here()
        for position, row in enumerate(order, 1):
            if row.position != position:
                edits.sections[row.key] = replace(row, position=position)
        self._after_edit(select=node.key)

    def _sync_outline_buttons(self) -> None:
        node = self._node(self._selected)
        can_add = node is not None and (
            node.can_add_children or (node.parent is not None and node.parent.can_add_children)
        )
        custom = node is not None and node.kind == "custom"
        self.add_button.setEnabled(self._instance is not None and can_add)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(custom)

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        self.state_label.setText("● 有未保存的修改" if dirty else "所有修改已保存")
        self.state_label.setProperty("dirty", dirty)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self.revert_button.setEnabled(dirty)
        if changed:
            self.dirty_changed.emit(dirty)

    def _on_data_changed(self, module: str) -> None:
        """Another module saved: its figures (and the scopes to choose from) may have changed."""
        if module == "reports" or self.report_list.currentRow() < 0:
            return
        self._figure_groups = None
        self._fill_scopes(preferred=self._scope_key)
        scope = (self.scope_combo.currentData() or "") if self._report.scope_kind else ""
        self._open(self._report, scope, keep_selection=True)

    # -- exporting ---------------------------------------------------------------------------------------

    def _ensure_saved(self) -> bool:
        if not self._dirty:
            return True
        if not self._confirm("有未保存的修改", "导出前需要先保存报告文字的修改。现在保存吗？"):
            return False
        return self.save()

    def export_current(self) -> None:
        from app.exports.package import export_year

        if self._instance is None or not self._ensure_saved():
            return
        report, scope = self._report, self._scope_key
        with self.ctx.db.session() as session:
            instance = open_report(session, self.ctx.registry, self.ctx.unit_id, self.ctx.year, report, scope)
            built = build_blocks(instance, session)
        if built.errors:
            first = built.errors[0].node
            if first is not None:
                self.outline.select_key(first.key)
            QMessageBox.warning(self, "无法导出", describe_errors(instance, built.errors))
            return
        folder = self._choose_folder()
        if folder is None:
            return
        self._draft_of = []
        notes: list[str] = []
        db, unit_id, year = self.ctx.db, self.ctx.unit_id, self.ctx.year
        single = single_report_registry(self.ctx.registry, report)

        def work(progress, cancel):
            return export_year(
                db,
                unit_id,
                year,
                folder,
                registry=single,
                into_package_folder=False,
                progress=progress,
                cancel=cancel,
                options={ONLY: (report.key, scope), NOTES: notes},
            )

        self._start_export("导出报告", work, notes)

    def export_all(self) -> None:
        from app.checks import run_checks

        if not self._ensure_saved():
            return
        findings = run_checks(self.ctx.db, self.ctx.unit_id, self.ctx.year, self.ctx.registry)
        if not findings:
            self._export_all_confirmed()
            return
        from ui.dialogs.reports_export_dialogs import FindingsBeforeExportDialog

        dialog = FindingsBeforeExportDialog(self.ctx.year, findings, self)
        dialog.accepted.connect(lambda: self._export_all_confirmed(findings if dialog.draft else None))
        dialog.jump_requested.connect(self._jump)
        self.dialog = dialog
        dialog.open()

    def _export_all_confirmed(self, draft_of: list[Finding] | None = None) -> None:
        """Export the year; `draft_of`: the findings a 导出草稿 was chosen with (its summary marks
        the files their errors reach as drafts)."""
        from app.exports.package import export_year

        folder = self._choose_folder()
        if folder is None:
            return
        self._draft_of = draft_of or []
        notes: list[str] = []
        db, unit_id, year, registry = self.ctx.db, self.ctx.unit_id, self.ctx.year, self.ctx.registry

        def work(progress, cancel):
            return export_year(
                db,
                unit_id,
                year,
                folder,
                registry=registry,
                progress=progress,
                cancel=cancel,
                options={NOTES: notes},
            )

        self._start_export(f"一键导出 {year} 年度全部表格和报告", work, notes)

    def _start_export(self, title: str, work, notes: list[str]) -> None:
        for button in (self.export_button, self.export_all_button):
            button.setEnabled(False)

        def finished(result) -> None:
            self._export_ended()
            self._show_summary(result, notes)

        def failed(message: str, details: str) -> None:
            self._export_ended()
            if details:
                from ui.dialogs.error_dialog import show_error

                show_error(self, message, details)
            else:
                QMessageBox.warning(self, "导出未完成", message)

        def cancelled() -> None:
            self._export_ended()
            self.ctx.status_message.emit("已取消导出，没有写入任何文件")

        self.last_task = self.ctx.tasks.run_with_progress(
            self, title, work, on_finished=finished, on_failed=failed, on_cancelled=cancelled
        )

    def _export_ended(self) -> None:
        self.export_all_button.setEnabled(True)
        self.export_button.setEnabled(self._instance is not None)

    def _show_summary(self, result, notes: list[str]) -> None:
        from app.exports.drafts import draft_files
        from ui.dialogs.reports_export_dialogs import ExportSummaryDialog

        drafts = draft_files(self.ctx.registry, result.by_exporter, self._draft_of)
        dialog = ExportSummaryDialog(result.folder, result.by_exporter, notes, self, drafts=drafts)
        self.dialog = dialog
        dialog.open()
        marked = f"（其中草稿 {len(drafts)} 个）" if drafts else ""
        self.ctx.status_message.emit(f"已导出 {len(result.files)} 个文件{marked}到 {result.folder}")

    def _jump(self, finding: Finding) -> None:
        window = self.window()
        if hasattr(window, "jump_to"):
            window.jump_to(finding)
        elif finding.target is not None and finding.target.page == "reports":
            self.show_target(finding.target)

    # -- templates -----------------------------------------------------------------------------------------

    def _refresh_template_status(self) -> None:
        from app.exports.docx_template import choose_template

        choice = choose_template(self._report.template_name)
        text = f"正在使用：{choice.describe()}"
        if choice.problem:
            text += f"<br><span style='color:#c62828'>{choice.problem}</span>"
        self.template_label.setText(text)

    def copy_template(self) -> None:
        from app.exports.docx_template import BUILTIN_TEMPLATE
        from app.paths import templates_dir

        target = templates_dir() / BUILTIN_TEMPLATE
        overwrite = False
        if target.exists():
            overwrite = self._confirm(
                "模板已存在",
                f"数据文件夹中已有“{BUILTIN_TEMPLATE}”（可能已修改过）。\n用内置模板覆盖它吗？选“否”则保留现有文件。",
            )
        from app.exports.docx_template import copy_builtin_template

        try:
            path = copy_builtin_template(overwrite=overwrite)
        except OSError as exc:
            from app.errors import describe_os_error

            QMessageBox.warning(self, "无法复制模板", describe_os_error(exc, target))
            return
        self._refresh_template_status()
        self.ctx.status_message.emit(f"模板已在 {path}，用 WPS 修改样式并保存后，导出即按新版式排版")
        self.open_template_folder()

    def open_template_folder(self) -> None:
        from app.paths import templates_dir

        folder = templates_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- small interactions (tests replace these) ---------------------------------------------------------

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_text(self, title: str, label: str) -> str:
        text, ok = QInputDialog.getText(self, title, label)
        return text.strip() if ok else ""

    def _choose_folder(self) -> Path | None:
        from ui.application import ui_settings

        settings = ui_settings()
        start = str(settings.value(EXPORT_DIR_KEY, str(Path.home())))
        chosen = QFileDialog.getExistingDirectory(self, "选择导出到的文件夹", start)
        if not chosen:
            return None
        settings.setValue(EXPORT_DIR_KEY, chosen)
        return Path(chosen)
