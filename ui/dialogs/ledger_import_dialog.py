"""导入台账: bring a WPS/Excel ledger in, in four steps — the file and its sheets, the header rows
and what each column is, what the file's words mean (a status, a category), and a preview of every
row as it will be saved, with every problem at its sheet, row and column.

Reading and planning run off the GUI thread (app.importers.ledgers.plan); every change of an option
plans again from the file as read. The import itself is one transaction with a progress dialog
that can be cancelled; nothing is written until 导入 is pressed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.importers.ledgers.kinds import KIND_LABELS, ledger_kind
from app.importers.ledgers.model import ImportOptions, column_letter
from app.importers.ledgers.values import read_text
from app.services.parsing import ParseError
from ui.models.ledger_preview_model import LedgerPreviewModel, row_state
from ui.widgets.screen_fit import resize_within_screen

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.et);;所有文件 (*)"
STEPS = ("1 文件与工作表", "2 表头与列", "3 值的对应", "4 预览并导入")
IGNORE = "（不导入）"
VALUE_ROWS_SHOWN = 200  # distinct values listed per field on step 3
BLANK = "（空白）"
SAMPLE_ROWS = 30  # data rows read for a column's examples on step 2


@dataclass
class ValueEntry:
    """One line of step 3: the file writes `text` in field `key` on `rows` rows; it is read as
    `read_as` ("" not understood, None not known: those rows have other problems)."""

    key: str
    label: str
    text: str  # "" for the blank value of a field the file lacks
    rows: int
    read_as: str | None
    note: str


class LedgerImportDialog(QDialog):
    """The wizard for one kind of ledger. `imported(batch_id, summary)` after a successful import."""

    imported = Signal(int, str)

    def __init__(self, ctx, kind_key: str, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = ledger_kind(kind_key)
        self.setWindowTitle(f"导入{KIND_LABELS[kind_key]}")
        resize_within_screen(self, 1180, 660)
        self.path: Path | None = None
        self.plan = None
        self.options = ImportOptions(year=ctx.year)
        self.task = None
        self.pending_sheets: list[str] = []  # checked, but no header found yet: step 2 gives the rows
        # sheet → column → (field, confidence) as first matched automatically: shown beside the user's
        # own choices, which the plan then reports as certain
        self._auto: dict[str, dict[int, tuple[str | None, int]]] = {}
        self._imported = False
        self._importing = False
        self._replan_again = False
        self._replan_timer = QTimer(self)
        self._replan_timer.setSingleShot(True)
        self._replan_timer.setInterval(250)
        self._replan_timer.timeout.connect(self._start_plan)

        self.steps_label = QLabel()
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_step())
        self.stack.addWidget(self._columns_step())
        self.stack.addWidget(self._values_step())
        self.stack.addWidget(self._preview_step())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.back_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.import_button = QPushButton("导入")
        self.import_button.setObjectName("primaryButton")
        cancel = QPushButton("取消")
        self.back_button.clicked.connect(lambda: self.go(self.stack.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go(self.stack.currentIndex() + 1))
        self.import_button.clicked.connect(self.start_import)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.back_button, self.next_button, self.import_button, cancel):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        for button in self.findChildren(QPushButton):  # Enter in a field must not press a button
            button.setAutoDefault(False)
        self.go(0)
        if path is not None:
            self.set_file(path)

    # -- step 1: the file ------------------------------------------------------------------------

    def _file_step(self) -> QWidget:
        page = QWidget()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("选择要导入的台账文件（.xlsx、.xls、.csv）")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        self.sheet_list = QListWidget()
        self.sheet_list.itemChanged.connect(self._sheets_changed)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1990, 2100)
        self.year_spin.setValue(self.ctx.year)
        self.year_spin.setToolTip("日期未写年份（如“3月12日”）时按标题中的年份，标题没有年份时按此年度")
        self.year_spin.valueChanged.connect(lambda y: self._option(year=y))
        self.strict_box = QCheckBox("列表中没有的值（新的类别、渠道、项目）作为问题，不自动新增")
        self.strict_box.toggled.connect(lambda on: self._option(strict_values=on))
        self.sheet_list.setMaximumHeight(150)
        self.sheet_list.setToolTip("勾选要导入的工作表；未找到表头的工作表可勾选后在第2步指定表头所在的行")
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.addRow("文件", row)
        form.addRow("工作表", self.sheet_list)
        form.addRow("工作年度", self.year_spin)
        if self.kind.key == "rectification":
            self.inspection_combo = QComboBox()
            self.inspection_combo.setEditable(True)
            self.inspection_combo.addItem("")
            self.inspection_combo.addItems(self._inspection_names())
            self.inspection_combo.lineEdit().setPlaceholderText("文件中未写明巡察时，选择或填写所属的巡察")
            self.inspection_combo.currentTextChanged.connect(lambda t: self._option(inspection=t.strip()))
            form.addRow("所属巡察", self.inspection_combo)
        if self.kind.key == "hazards":
            self.inspectors_edit = QLineEdit()
            self.inspectors_edit.setPlaceholderText("台账中没有检查人员一列时填写，如：张某某、李某某")
            self.inspectors_edit.textChanged.connect(lambda t: self._option(inspectors=t.strip()))
            form.addRow("检查人员", self.inspectors_edit)
        form.addRow("", self.strict_box)
        hint = QLabel(
            "可导入 WPS/Excel 中已有的台账：列的顺序和名称不必与本程序相同，标题行、合并的表头、序号列、"
            "空行、合计行都会被识别；下一步可以逐列核对。导入前不会写入任何数据，导入后可在“导入记录”中撤销。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow("", hint)
        return page

    def _inspection_names(self) -> list[str]:
        from app.services.registers.rectification import list_inspections

        with self.ctx.db.session() as session:
            return [item.name for item in list_inspections(session, self.ctx.unit_id)]

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "选择台账文件", start, FILE_FILTER)
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file_edit.setText(str(path))
        self.options = ImportOptions(
            year=self.year_spin.value(),
            strict_values=self.strict_box.isChecked(),
            inspection=self.options.inspection,
            inspectors=self.options.inspectors,
        )
        self.plan = None
        self.pending_sheets, self._auto = [], {}
        self.sheet_list.clear()
        self._start_plan()

    def _sheets_changed(self, _item: QListWidgetItem) -> None:
        if self.plan is None:
            return
        chosen = [
            self.sheet_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.sheet_list.count())
            if self.sheet_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        # A sheet whose header was not found waits for its header rows (step 2) before it is planned.
        found = {s.title for s in self.plan.sheets}
        waiting = [t for t in chosen if t not in found and t not in self.options.header_rows]
        self.pending_sheets = waiting
        if waiting:
            self.status.setText(self._pending_text())
        self._fill_sheet_combo()
        self._option(sheets=[t for t in chosen if t not in waiting])

    def _pending_text(self) -> str:
        names = "、".join(f"“{t}”" for t in self.pending_sheets)
        return f"工作表{names}未找到表头：请在第2步指定表头所在的行。"

    def _show_sheets(self) -> None:
        found = {s.title: s for s in self.plan.sheets}
        chosen = self.options.sheets
        if chosen is not None:
            chosen = [*chosen, *self.pending_sheets]
        self.sheet_list.blockSignals(True)
        self.sheet_list.clear()
        for title in self.plan.sheet_titles:
            sheet = found.get(title)
            if sheet is not None and sheet.header is not None:
                first, last = sheet.header.first_row, sheet.header.last_row
                rows = f"第{first}行" if first == last else f"第{first}–{last}行"
                read = f"{len(sheet.rows)} 行数据" if sheet.rows or not self.plan.needs else "尚未读取数据"
                text = f"{title}（表头{rows}，{read}）"
            else:
                text = f"{title}（未找到表头）"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = title in chosen if chosen is not None else sheet is not None
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.sheet_list.addItem(item)
        self.sheet_list.blockSignals(False)

    # -- step 2: header rows and columns ---------------------------------------------------------

    def _columns_step(self) -> QWidget:
        page = QWidget()
        self.sheet_combo = QComboBox()
        self.sheet_combo.currentIndexChanged.connect(lambda _i: self._show_columns())
        self.first_spin, self.last_spin = QSpinBox(), QSpinBox()
        for spin in (self.first_spin, self.last_spin):
            spin.setRange(1, 100)
        apply_rows = QPushButton("按此表头重新识别")
        apply_rows.clicked.connect(self._header_rows_changed)
        top = QHBoxLayout()
        top.addWidget(QLabel("工作表"))
        top.addWidget(self.sheet_combo, 1)
        top.addSpacing(12)
        top.addWidget(QLabel("表头在第"))
        top.addWidget(self.first_spin)
        top.addWidget(QLabel("行到第"))
        top.addWidget(self.last_spin)
        top.addWidget(QLabel("行"))
        top.addWidget(apply_rows)
        self.column_table = QTableWidget(0, 5)
        self.column_table.setHorizontalHeaderLabels(("列", "表头", "示例", "导入为", "匹配度"))
        self.column_table.verticalHeader().setVisible(False)
        header = self.column_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.column_table.setColumnWidth(0, 44)
        self.column_table.setColumnWidth(3, 170)
        self.column_table.setColumnWidth(4, 70)
        self.needs_label = QLabel()
        self.needs_label.setWordWrap(True)
        self.needs_label.setStyleSheet("color: #c62828;")
        self.layout_label = QLabel()
        self.layout_label.setWordWrap(True)
        self.layout_label.setStyleSheet("color: #555;")
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.layout_label)
        layout.addWidget(self.column_table, 1)
        layout.addWidget(self.needs_label)
        return page

    def _current_sheet(self):
        title = self.sheet_combo.currentData()
        return next((s for s in self.plan.sheets if s.title == title), None) if self.plan else None

    def _fill_sheet_combo(self) -> None:
        """The planned sheets, then the checked ones still waiting for their header rows."""
        current = self.sheet_combo.currentData()
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for sheet in self.plan.sheets if self.plan else []:
            self.sheet_combo.addItem(sheet.title, sheet.title)
        for title in self.pending_sheets:
            self.sheet_combo.addItem(f"{title}（未找到表头）", title)
        self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findData(current)))
        self.sheet_combo.blockSignals(False)
        self._show_columns()

    def _raw_sheet(self, title: str):
        return next((s for s in self.plan.file.sheets if s.title == title), None) if self.plan else None

    def _show_columns(self) -> None:
        sheet = self._current_sheet()
        self.column_table.setRowCount(0)
        title = self.sheet_combo.currentData()
        raw = self._raw_sheet(title) if title else None
        for spin in (self.first_spin, self.last_spin):
            spin.setMaximum(max(1, min(100, len(raw.rows) if raw else 100)))
        if sheet is None or sheet.header is None:
            self.layout_label.setText(
                f"工作表“{title}”中未找到表头：请填写表头所在的行，再按“按此表头重新识别”。" if title else ""
            )
            self.layout_label.setVisible(bool(title))
            return
        self.first_spin.setValue(sheet.header.first_row)
        self.last_spin.setValue(sheet.header.last_row)
        self.layout_label.setText(
            "各列按上次导入相同表头的文件时的对应关系读入。"
            if sheet.remembered and sheet.title not in self.options.columns
            else ""
        )
        self.layout_label.setVisible(bool(self.layout_label.text()))
        samples = self._samples(sheet)
        labels = [(f.label, f.key) for f in self.kind.fields]
        auto = self._auto.setdefault(sheet.title, {m.column: (m.field, m.confidence) for m in sheet.matches})
        chosen_by_user = sheet.title in self.options.columns
        self.column_table.setRowCount(len(sheet.matches))
        for i, match in enumerate(sheet.matches):
            self.column_table.setItem(i, 0, _cell(column_letter(match.column)))
            self.column_table.setItem(i, 1, _cell(match.header))
            self.column_table.setItem(i, 2, _cell("；".join(samples.get(match.column, []))))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for label, key in labels:
                combo.addItem(label + ("（必填）" if self._required(key) else ""), key)
            combo.setCurrentIndex(max(0, combo.findData(match.field)) if match.field else 0)
            combo.currentIndexChanged.connect(
                lambda _i, c=match.column, box=combo: self._column_changed(c, box.currentData())
            )
            self.column_table.setCellWidget(i, 3, combo)
            first_field, first_confidence = auto.get(match.column, (None, 0))
            if chosen_by_user and match.field != first_field:
                sure = "手动" if match.field else ""
            elif match.field and (first_confidence if chosen_by_user else match.confidence):
                sure = f"{first_confidence if chosen_by_user else match.confidence}%"
            else:
                sure = ""
            item = _cell(sure)
            if sure.endswith("%") and int(sure[:-1]) < 80:
                item.setForeground(QColor("#8a5a00"))
                item.setToolTip("表头与字段名称不完全一致，请核对")
            self.column_table.setItem(i, 4, item)

    def _required(self, key: str) -> bool:
        return any(f.key == key and f.required for f in self.kind.fields)

    def _samples(self, sheet) -> dict[int, list[str]]:
        """Up to three distinct values of each column, from the first data rows as the file has them."""
        raw = self._raw_sheet(sheet.title)
        out: dict[int, list[str]] = {}
        if raw is None or sheet.header is None:
            return out
        start = sheet.header.last_row
        for values in raw.rows[start : start + SAMPLE_ROWS]:
            for column, value in enumerate(values, 1):
                text = _sample_text(value)
                seen = out.setdefault(column, [])
                if text and len(seen) < 3 and text not in seen:
                    seen.append(text)
        return out

    def _column_changed(self, column: int, field: str | None) -> None:
        sheet = self._current_sheet()
        if sheet is None:
            return
        current = {m.column: m.field for m in sheet.matches}
        if field is not None:  # a field goes to one column: the one just chosen
            current = {c: (None if f == field else f) for c, f in current.items()}
        current[column] = field
        columns = dict(self.options.columns)
        columns[sheet.title] = current
        self._option(columns=columns)

    def _header_rows_changed(self) -> None:
        title = self.sheet_combo.currentData()
        if self.plan is None or not title:
            return
        first, last = self.first_spin.value(), max(self.first_spin.value(), self.last_spin.value())
        rows = dict(self.options.header_rows)
        rows[title] = (first, last)
        columns = {k: v for k, v in self.options.columns.items() if k != title}
        self._auto.pop(title, None)
        changes: dict = {"header_rows": rows, "columns": columns}
        if title in self.pending_sheets:
            self.pending_sheets.remove(title)
            planned = self.options.sheets or [s.title for s in self.plan.sheets]
            changes["sheets"] = [t for t in self.plan.sheet_titles if t in {*planned, title}]
        self._option(**changes)

    # -- step 3: values --------------------------------------------------------------------------

    def _values_step(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            "文件中的词语按下表读入（如“已完成”读作“已整改”）。可在“读作”中改写，改写后按新的对应重新检查；"
            "列表中没有的类别、渠道等会加入列表（第1步勾选“作为问题”则不加入）。"
        )
        hint.setWordWrap(True)
        self.value_table = QTableWidget(0, 5)
        self.value_table.setHorizontalHeaderLabels(("字段", "文件中的写法", "行数", "读作", "说明"))
        self.value_table.verticalHeader().setVisible(False)
        header = self.value_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.value_table.setColumnWidth(0, 110)
        self.value_table.setColumnWidth(2, 50)
        self.value_table.setColumnWidth(3, 220)
        self.values_empty = QLabel("本台账中没有需要对应的词语（状态、类别等），可直接下一步。")
        self.values_empty.setStyleSheet("color: #555;")
        self.values_empty.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.values_empty)
        layout.addWidget(self.value_table, 1)
        return page

    def _value_fields(self) -> list[str]:
        return list(getattr(self.kind, "value_fields", ()))

    def value_entries(self) -> list[ValueEntry]:
        """Each distinct spelling of each pick-list field in the rows to import, with what it is read
        as; and a （空白） entry for a field the file lacks when the plan needs one value for all rows."""
        if self.plan is None:
            return []
        labels = {f.key: f.label for f in self.kind.fields}
        mapped = {key for sheet in self.plan.sheets for key in sheet.mapped}
        entries: list[ValueEntry] = []
        for key in self._value_fields():
            if key not in labels:
                continue
            if key not in mapped:
                if any(
                    f"“{labels[key]}”" in need for need in self.plan.needs
                ) or "" in self.options.value_maps.get(key, {}):
                    entries.append(ValueEntry(key, labels[key], "", 0, "", "文件中没有此列：为全部行指定"))
                continue
            seen: dict[str, ValueEntry] = {}
            for row in self.plan.records:
                where = row.source.columns.get(key)
                text = _file_text(row.source.cells.get(key))
                if where is None or not text:
                    continue
                entry = seen.get(text)
                if entry is None:
                    entry = seen[text] = ValueEntry(key, labels[key], text, 0, None, "")
                entry.rows += 1
                problem = next((p for p in row.problems if p.column == where[0]), None)
                if problem is not None:
                    entry.read_as, entry.note = "", problem.message
                elif entry.read_as is None and (row.ok or key in row.values):
                    value, shown = row.values.get(key), row.shown.get(key, "")
                    entry.read_as = value if isinstance(value, str) and value else shown
                    if shown and shown != entry.read_as and shown.startswith(entry.read_as):
                        entry.note = shown[len(entry.read_as) :].strip("（）")
            entries += list(seen.values())[:VALUE_ROWS_SHOWN]
        return entries

    def _show_values(self) -> None:
        self.value_table.setRowCount(0)
        entries = self.value_entries()
        self.values_empty.setVisible(self.plan is not None and not entries)
        if not entries:
            return
        choices = self._value_choices()
        for entry in entries:  # the words read elsewhere in the file are choices too
            if entry.read_as:
                choices.setdefault(entry.key, [])
                if entry.read_as not in choices[entry.key]:
                    choices[entry.key].append(entry.read_as)
        self.value_table.setRowCount(len(entries))
        for i, entry in enumerate(entries):
            self.value_table.setItem(i, 0, _cell(entry.label))
            self.value_table.setItem(i, 1, _cell(entry.text or BLANK))
            self.value_table.setItem(i, 2, _cell(str(entry.rows) if entry.rows else ""))
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(choices.get(entry.key, []))
            mapped = self.options.value_maps.get(entry.key, {}).get(entry.text)
            combo.setCurrentText(mapped if mapped is not None else entry.read_as or "")
            if entry.read_as is None:  # only on rows with other problems: not read yet
                combo.lineEdit().setPlaceholderText("（未读取）")
            else:
                combo.lineEdit().setPlaceholderText("无法识别：选择或填写" if entry.text else "选择或填写")
            combo.lineEdit().editingFinished.connect(
                lambda e=entry, box=combo: self._value_changed(e, box.currentText().strip())
            )
            combo.activated.connect(
                lambda _i, e=entry, box=combo: self._value_changed(e, box.currentText().strip())
            )
            self.value_table.setCellWidget(i, 3, combo)
            note = _cell(
                f"已改为“{mapped}”"
                if mapped
                else entry.note or ("所在的行另有问题，改正后才读取" if entry.read_as is None else "")
            )
            if entry.read_as == "" and not mapped:
                note.setForeground(QColor("#c62828"))
            self.value_table.setItem(i, 4, note)

    def _value_choices(self) -> dict[str, list[str]]:
        provider: Callable | None = getattr(self.kind, "value_choices", None)
        if provider is None:
            return {}
        with self.ctx.db.session() as session:
            return provider(session, self.ctx.unit_id)

    def _value_changed(self, entry: ValueEntry, value: str) -> None:
        """The user says what `entry.text` means (blank: as the kind reads it)."""
        current = self.options.value_maps.get(entry.key, {}).get(entry.text)
        if value == (current if current is not None else entry.read_as or ""):
            return
        maps = copy.deepcopy(self.options.value_maps)
        if value and value != entry.read_as:
            maps.setdefault(entry.key, {})[entry.text] = value
        else:
            maps.get(entry.key, {}).pop(entry.text, None)
        self._option(value_maps=maps)

    def set_value(self, key: str, text: str, value: str) -> None:
        """Map the file's `text` of field `key` to `value` (as choosing it on step 3 does)."""
        entry = next((e for e in self.value_entries() if e.key == key and e.text == text), None)
        if entry is None:
            raise LookupError(f"no value {text!r} of {key} on step 3")
        self._value_changed(entry, value)

    # -- step 4: preview -------------------------------------------------------------------------

    def _preview_step(self) -> QWidget:
        page = QWidget()
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.preview = LedgerPreviewModel(self)
        self.preview.exclusion_changed.connect(self._exclusion_changed)
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview)
        self.preview_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_view.verticalHeader().setVisible(False)
        self.preview_view.verticalHeader().setDefaultSectionSize(24)
        # column widths from the first rows: measuring all 10,000 of a big ledger takes half a second
        self.preview_view.horizontalHeader().setResizeContentsPrecision(200)
        self.problems = QStringListModel(self)
        self._problem_rows: list[tuple[str, int]] = []  # (sheet, row) of each listed problem
        self.problem_view = QListView()
        self.problem_view.setModel(self.problems)
        self.problem_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_view.setMaximumHeight(120)
        self.problem_view.clicked.connect(self._jump_to_problem)
        self.duplicate_group = QButtonGroup(self)
        duplicates = QHBoxLayout()
        self.duplicate_label = QLabel("与已有记录重复的行：")
        duplicates.addWidget(self.duplicate_label)
        for value, text in (("skip", "跳过"), ("update", "用文件中的内容更新"), ("reject", "不导入（取消）")):
            radio = QRadioButton(text)
            radio.setProperty("choice", value)
            self.duplicate_group.addButton(radio)
            duplicates.addWidget(radio)
            if value == "skip":
                radio.setChecked(True)
        duplicates.addStretch(1)
        self.duplicate_group.buttonToggled.connect(lambda *_: self._duplicates_changed())
        self.additions_label = QLabel()  # the names can be many: wrapped here, not in the check box
        self.additions_label.setWordWrap(True)
        self.additions_label.hide()
        self.additions_box = QCheckBox("确认新增以上项目和列表项")
        self.additions_box.hide()
        self.additions_box.toggled.connect(self._additions_confirmed)
        self._confirmed_additions: dict[str, list[str]] | None = None
        self.year_box = QCheckBox()
        self.year_box.hide()
        self.year_box.toggled.connect(self._year_confirmed)
        self.problems_label = QLabel(
            "问题（点击定位到该行；改正文件后重新选择文件，或在上表中取消勾选该行不导入）："
        )
        self.problems_label.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(page)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.preview_view, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problem_view)
        layout.addLayout(duplicates)
        layout.addWidget(self.additions_label)
        layout.addWidget(self.additions_box)
        layout.addWidget(self.year_box)
        return page

    def _additions_confirmed(self, on: bool) -> None:
        self._confirmed_additions = copy.deepcopy(self.plan.additions) if on and self.plan else None
        self._update_buttons()

    def _year_confirmed(self, on: bool) -> None:
        # Only the check changes: the rows read the same; the plan's blockers see it at once.
        self.options.force_year = on
        if self.plan is not None:
            self.plan.options.force_year = on
        self._show_counts()

    def on_duplicate(self) -> str:
        button = self.duplicate_group.checkedButton()
        return button.property("choice") if button is not None else "skip"

    def _duplicates_changed(self) -> None:
        self.preview.set_on_duplicate(self.on_duplicate())
        self._show_counts()

    def _show_preview(self) -> None:
        if self.plan is None:
            return
        mapped = {key for sheet in self.plan.sheets for key in sheet.mapped}
        fields = [f for f in self.kind.fields if f.key in mapped]
        self.preview.set_rows(self.plan.rows, fields, self.on_duplicate())
        self.preview_view.resizeColumnsToContents()
        last = self.preview.columnCount() - 1
        for column in range(last + 1):
            widest = 480 if column == last else 220
            self.preview_view.setColumnWidth(column, min(self.preview_view.columnWidth(column), widest))
        self.preview_view.setColumnWidth(0, 40)
        additions = [(label, names) for label, names in self.plan.additions.items() if names]
        if additions:
            listed = "；".join(
                f"{label} {len(names)} 个（{'、'.join(names[:8])}{'等' if len(names) > 8 else ''}）"
                for label, names in additions
            )
            self.additions_label.setText(f"导入时将新增：{listed}")
            self.additions_label.setToolTip(
                "\n".join(f"{label}：{'、'.join(names)}" for label, names in additions)
            )
        self.additions_box.blockSignals(True)  # a confirmation holds while the additions stay the same
        self.additions_box.setChecked(bool(additions) and self._confirmed_additions == self.plan.additions)
        self.additions_box.blockSignals(False)
        self.additions_box.setVisible(bool(additions))
        self.additions_label.setVisible(bool(additions))
        self.year_box.setVisible(bool(self.plan.year_mismatch))
        years = sorted(
            {s.title_year for s in self.plan.sheets if s.title_year and s.title_year != self.options.year}
        )
        named = "、".join(f"{y}年" for y in years)
        self.year_box.setText(
            f"文件标题为{named}：确认仍按{self.options.year}年度导入（也可在第1步改工作年度）"
        )
        self.year_box.blockSignals(True)
        self.year_box.setChecked(self.options.force_year)
        self.year_box.blockSignals(False)
        self._show_counts()

    def _show_counts(self) -> None:
        if self.plan is None:
            return
        records = [r for r in self.plan.rows if not r.heading]
        states = [row_state(r, self.on_duplicate()) for r in records]
        new = states.count("新建")
        duplicates = sum(1 for s in states if s.startswith("重复"))
        bad = states.count("有问题")
        out = states.count("不导入")
        text = f"共 {len(records)} 行：将新建 {new} 条{self.kind.record_label}"
        if duplicates:
            text += (
                f"，与已有记录重复 {duplicates} 行（{'更新' if self.on_duplicate() == 'update' else '跳过'}）"
            )
        if bad:
            text += f"，<span style='color:#c62828'>有问题 {bad} 行</span>"
        if out:
            text += f"，不导入 {out} 行"
        skipped = sum(s.skipped for s in self.plan.sheets)
        if skipped:
            text += f"；已略过空行、合计行和重复的表头 {skipped} 行"
        text += "。"
        listed = [p for r in records if not r.excluded for p in r.problems][:2000]
        self._problem_rows = [(p.sheet, p.row) for p in listed]
        problems = [p.text() for p in listed]
        shown = {p.text() for r in records if not r.excluded for p in r.problems}
        general = [r for r in self.plan.blockers(self.on_duplicate()) if r not in shown]
        if general:
            text += (
                "<br><span style='color:#c62828'>不能导入："
                + "；".join(_html(r) for r in general)
                + "</span>"
            )
        self.counts_label.setText(text)
        self.duplicate_label.setEnabled(bool(duplicates))
        self.problems.setStringList(problems)
        self.problems_label.setVisible(bool(problems))
        self.problem_view.setVisible(bool(problems))
        self._update_buttons()

    def _exclusion_changed(self, sheet: str, number: int, excluded: bool) -> None:
        if excluded:
            self.options.excluded_rows.add((sheet, number))
        else:
            self.options.excluded_rows.discard((sheet, number))
        self.plan.options.excluded_rows = set(self.options.excluded_rows)
        self._show_counts()

    def _jump_to_problem(self, index) -> None:
        if not (0 <= index.row() < len(self._problem_rows)):
            return
        row = self.preview.row_of(*self._problem_rows[index.row()])
        if row >= 0:
            self.preview_view.selectRow(row)
            self.preview_view.scrollTo(self.preview.index(row, 0))

    # -- planning --------------------------------------------------------------------------------

    def _option(self, **changes) -> None:
        for key, value in changes.items():
            setattr(self.options, key, value)
        if self.path is not None:
            self._replan_timer.start()
            self._update_buttons()

    def _start_plan(self) -> None:
        if self.path is None:
            return
        if self.task is not None:  # one plan at a time; the newest options win
            self._replan_again = True
            return
        from app.importers.ledgers.plan import plan_import, replan

        db, unit_id, kind, path = self.ctx.db, self.ctx.unit_id, self.kind.key, self.path
        options, previous = copy.deepcopy(self.options), self.plan

        def work(progress, _cancel):
            progress(0, 0, "正在读取和检查台账…")
            if previous is not None and previous.path == path:
                return replan(db, unit_id, previous, options)
            return plan_import(db, unit_id, kind, path, options)

        self.status.setText("正在读取和检查…")
        self._set_busy(True)
        self.task = self.ctx.tasks.run_with_progress(
            self, "读取台账", work, cancellable=False, on_finished=self._planned, on_failed=self._plan_failed
        )
        self.task.ended.connect(self._plan_ended)

    def _plan_ended(self) -> None:
        self.task = None
        self._importing = False
        self._set_busy(False)
        if self._replan_again:
            self._replan_again = False
            self._start_plan()

    def _replan_pending(self) -> bool:
        return self._replan_again or self._replan_timer.isActive()

    def _planned(self, plan) -> None:
        self.plan = plan
        if not self._replan_pending():  # else the user's newer choices stand; the next plan has them
            self.options = copy.deepcopy(plan.options)  # with value maps of a remembered layout
        self._show_sheets()
        self._fill_sheet_combo()
        self.needs_label.setText("\n".join(plan.needs))
        self._show_values()
        self._show_preview()
        records = len(plan.records)
        text = f"已读取“{plan.file_name}”：{len(plan.sheets)} 张工作表，{records} 行数据。"
        if plan.needs:
            more = f"等 {len(plan.needs)} 项" if len(plan.needs) > 1 else ""
            text += f"<br><span style='color:#c62828'>还不能导入：{_html(plan.needs[0])}{more}</span>"
        if self.pending_sheets:
            text += "<br>" + _html(self._pending_text())
        self.status.setText(text)
        self._update_buttons()

    def _plan_failed(self, message: str, _details: str) -> None:
        """A file that cannot be read empties the wizard; an option the file cannot take (header
        rows past its end …) is taken back, the plan before it stays."""
        self.status.setText(f"<span style='color:#c62828'>{_html(message)}</span>")
        if self.plan is not None and self.plan.path == self.path and not self._replan_pending():
            self.options = copy.deepcopy(self.plan.options)
            self._fill_sheet_combo()
            self._show_sheets()
            self._update_buttons()
            return
        self.plan = None
        self.pending_sheets = []
        self.sheet_list.clear()
        self.sheet_combo.clear()
        self.column_table.setRowCount(0)
        self.value_table.setRowCount(0)
        self.preview.set_rows([], [], "skip")
        self.counts_label.setText("")
        self._update_buttons()
        self.go(0)

    def _set_busy(self, busy: bool) -> None:
        self.next_button.setEnabled(not busy and self.plan is not None)
        self.import_button.setEnabled(False if busy else self._can_import())

    # -- navigation and import -------------------------------------------------------------------

    def go(self, step: int) -> None:
        step = max(0, min(step, len(STEPS) - 1))
        self.stack.setCurrentIndex(step)
        parts = [
            f"<b>{name}</b>" if i == step else f"<span style='color:#777'>{name}</span>"
            for i, name in enumerate(STEPS)
        ]
        self.steps_label.setText(" ＞ ".join(parts))
        self._update_buttons()

    def _can_import(self) -> bool:
        if self.plan is None or self.task is not None or self._imported or self._replan_pending():
            return False
        if self.plan.blockers(self.on_duplicate()):
            return False
        return not (not self.additions_box.isHidden() and not self.additions_box.isChecked())

    def _update_buttons(self) -> None:
        step = self.stack.currentIndex()
        self.back_button.setEnabled(step > 0)
        self.next_button.setEnabled(step < len(STEPS) - 1 and self.plan is not None and self.task is None)
        self.import_button.setEnabled(step == len(STEPS) - 1 and self._can_import())
        if self.plan is not None and step == len(STEPS) - 1:
            reasons = self.plan.blockers(self.on_duplicate())
            if not reasons and not self.additions_box.isHidden() and not self.additions_box.isChecked():
                reasons = ["请先勾选确认新增的项目或列表项"]
            if reasons:
                self.import_button.setToolTip(
                    "不能导入：" + reasons[0] + (f"（共 {len(reasons)} 项）" if len(reasons) > 1 else "")
                )
            else:
                self.import_button.setToolTip("")

    def start_import(self):
        """Write the plan off the GUI thread (cancellable); returns the task."""
        from app.importers.ledgers.plan import ImportCancelled, apply_plan
        from app.registry import Cancelled

        if not self._can_import():
            return None
        db, unit_id, plan, on_duplicate = self.ctx.db, self.ctx.unit_id, self.plan, self.on_duplicate()
        plan.options.excluded_rows = set(self.options.excluded_rows)
        plan.options.force_year = self.options.force_year

        written: list = []  # the result once committed: a 取消 after that is too late

        def work(progress, cancel):
            try:
                result = apply_plan(
                    db, unit_id, plan, on_duplicate, progress=progress, cancelled=cancel.is_set
                )
            except ImportCancelled as exc:
                raise Cancelled() from exc
            written.append(result)
            return result

        def cancelled() -> None:
            if written:  # the task reports a cancel pressed after the commit: it was imported
                self._import_done(written[0])
            else:
                self.status.setText("已取消导入，未写入任何数据。")

        self.import_button.setEnabled(False)
        self._importing = True
        self.task = self.ctx.tasks.run_with_progress(
            self,
            f"导入{self.kind.label}",
            work,
            on_finished=self._import_done,
            on_failed=self._import_failed,
            on_cancelled=cancelled,
        )
        self.task.ended.connect(self._plan_ended)
        return self.task

    def _import_done(self, result) -> None:
        self._imported = True
        lines = result.counts.lines()
        summary = f"已导入“{self.plan.file_name}”：" + "；".join(lines)
        self.imported.emit(result.batch_id, summary)
        text = f"已导入“{self.plan.file_name}”（{self.kind.label}）：\n\n" + "\n".join(lines)
        if result.notes:
            text += f"\n\n提示 {len(result.notes)} 条，如：\n" + "\n".join(result.notes[:5])
        text += "\n\n如需撤销，可在“文件 › 导入记录…”中撤销本次导入。"
        box = QMessageBox(QMessageBox.Icon.Information, "导入完成", text, QMessageBox.StandardButton.Ok, self)
        box.finished.connect(lambda _r: self.accept())
        self.result_box = box
        box.open()

    def _import_failed(self, message: str, details: str) -> None:
        """Nothing was written; the plan is made again from the data as it now stands (a record saved
        meanwhile shows as a duplicate)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "未导入",
            f"{message}\n\n未写入任何数据。",
            QMessageBox.StandardButton.Ok,
            self,
        )
        if details:
            box.setDetailedText(details)
        self.result_box = box
        box.open()
        self.status.setText(f"<span style='color:#c62828'>未导入：{_html(message)}</span>")
        self._replan_timer.start()

    def reject(self) -> None:
        """取消 while the import runs asks it to stop (nothing is written); the dialog stays open."""
        if self.task is not None and self._importing:
            self.task.cancel()
            return
        self._replan_timer.stop()
        super().reject()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _file_text(value: object) -> str:
    """A cell's text as the kinds read it (the key of a value map): "" for blank or unreadable."""
    try:
        return read_text(value, "", 100_000)
    except ParseError:
        return ""


def _sample_text(value: object) -> str:
    text = " ".join(_file_text(value).split())
    return text if len(text) <= 24 else text[:24] + "…"


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(text)
    return item
