"""The ledger import wizard (导入台账) and 导入记录, driven on the example data with ledgers built by
tests/ledgers: the preview names every problem at sheet/row/column and blocks 导入 until the row is
left out; choices on steps 1–4 change the plan (made again off the GUI thread); an import writes
exactly the rows shown as 新建; a re-import finds every row again; 撤销本次导入 takes them out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models.registers import Petition
from app.models.safety import SafetyHazard
from tests.ledgers.build_hazards import BuiltLedger, merged_header_ledger, standard_ledger
from tests.ledgers.build_petitions import standard_ledger as petition_ledger
from tests.ui.helpers import close_window, open_window
from ui.dialogs.import_batches_dialog import ImportBatchesDialog
from ui.dialogs.ledger_import_dialog import LedgerImportDialog
from ui.main_window import MainWindow

ROWS = 12
BAD_ROW = 6  # sheet row of the ledger's third hazard: its 检查日期 made impossible


@pytest.fixture
def window(qtbot: QtBot, example_path: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, example_path)
    yield window
    for dialog in window.findChildren(LedgerImportDialog) + window.findChildren(ImportBatchesDialog):
        dialog.close()
    close_window(window)


def hazards_of(window: MainWindow) -> int:
    assert window.db is not None and window.ctx is not None
    with window.db.session() as session:
        return session.scalar(
            select(func.count()).select_from(SafetyHazard).where(SafetyHazard.unit_id == window.ctx.unit_id)
        )


def newest_hazard(window: MainWindow) -> int:
    assert window.db is not None
    with window.db.session() as session:
        return session.scalar(select(func.max(SafetyHazard.id))) or 0


def petitions_of(window: MainWindow) -> int:
    assert window.db is not None and window.ctx is not None
    with window.db.session() as session:
        return session.scalar(
            select(func.count()).select_from(Petition).where(Petition.unit_id == window.ctx.unit_id)
        )


def bad_ledger(path: Path) -> BuiltLedger:
    """The standard 隐患台账 of 2023 with one impossible date (row 6, column B)."""
    ledger = standard_ledger(path, rows=ROWS)
    book = openpyxl.load_workbook(path)
    book.active.cell(BAD_ROW, 2).value = "2023.2.30"
    book.save(path)
    return ledger


def settled(qtbot: QtBot, dialog: LedgerImportDialog) -> None:
    """Wait for the plan (a task) and any plan the last choice asked for."""
    qtbot.waitUntil(lambda: dialog.task is None and not dialog._replan_pending(), timeout=20000)


def open_wizard(qtbot: QtBot, window: MainWindow, kind: str, path: Path) -> LedgerImportDialog:
    if kind == "petitions":
        page: Any = window.show_page("petitions")
        dialog = page.import_ledger(path)
    else:
        page = window.show_page("safety")
        dialog = page.import_ledger(kind, path)
    assert isinstance(dialog, LedgerImportDialog) and dialog.isVisible()
    settled(qtbot, dialog)
    assert dialog.plan is not None, dialog.status.text()
    return dialog


def preview_row(dialog: LedgerImportDialog, sheet: str, number: int) -> int:
    row = dialog.preview.row_of(sheet, number)
    assert row >= 0
    return row


def state(dialog: LedgerImportDialog, sheet: str, number: int) -> str:
    return dialog.preview.index(preview_row(dialog, sheet, number), 1).data()


def untick(dialog: LedgerImportDialog, sheet: str, number: int) -> None:
    from PySide6.QtCore import Qt

    index = dialog.preview.index(preview_row(dialog, sheet, number), 0)
    assert dialog.preview.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)


def run_import(qtbot: QtBot, dialog: LedgerImportDialog) -> list[tuple[int, str]]:
    done: list[tuple[int, str]] = []
    dialog.imported.connect(lambda batch, summary: done.append((batch, summary)))
    dialog.go(3)
    assert dialog.import_button.isEnabled(), dialog.import_button.toolTip()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    dialog.result_box.done(0)  # the 导入完成 box; closing it closes the wizard
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    return done


def test_a_bad_row_is_shown_where_it_is_and_blocks_the_import_until_left_out(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    ledger = bad_ledger(tmp_path / "隐患台账.xlsx")
    before, last_id = hazards_of(window), newest_hazard(window)
    dialog = open_wizard(qtbot, window, "hazards", ledger.path)
    dialog.go(3)
    assert dialog.problems.stringList() == [
        "隐患台账 第6行 第B列（检查日期）：检查日期“2023.2.30”不是有效日期"
    ]
    assert state(dialog, "隐患台账", BAD_ROW) == "有问题"
    assert state(dialog, "隐患台账", 4) == "新建"
    row = preview_row(dialog, "隐患台账", BAD_ROW)
    note = dialog.preview.index(row, dialog.preview.columnCount() - 1).data()
    assert note == "B列检查日期“2023.2.30”不是有效日期"
    date_column = next(
        c
        for c in range(dialog.preview.columnCount())
        if dialog.preview.headerData(c, _horizontal()) == "检查日期"
    )
    assert dialog.preview.index(row, date_column).data() == "2023.2.30"  # as the file has it
    assert "有问题 1 行" in dialog.counts_label.text()
    dialog.problem_view.clicked.emit(dialog.problems.index(0))  # a click on the problem: its row
    assert [i.row() for i in dialog.preview_view.selectionModel().selectedRows()] == [row]
    assert not dialog.import_button.isEnabled()
    assert "第6行" in dialog.import_button.toolTip()

    untick(dialog, "隐患台账", BAD_ROW)
    assert state(dialog, "隐患台账", BAD_ROW) == "不导入"
    assert dialog.problems.stringList() == []
    assert dialog.import_button.isEnabled()
    assert "将新建 11 条隐患" in dialog.counts_label.text()

    done = run_import(qtbot, dialog)
    assert hazards_of(window) == before + ROWS - 1
    assert "隐患 11" in done[0][1]
    with window.db.session() as session:  # type: ignore[union-attr]
        made = session.execute(
            select(SafetyHazard.found_on, SafetyHazard.description, SafetyHazard.status)
            .where(SafetyHazard.id > last_id)
            .order_by(SafetyHazard.id)
        ).all()
    expected = [
        (line.found_on, line.description, line.status) for line in ledger.lines if line.row != BAD_ROW
    ]
    assert sorted(made) == sorted(expected)


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_a_column_remapped_on_step_2_changes_the_plan(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    dialog = open_wizard(qtbot, window, "hazards", ledger.path)
    dialog.go(1)
    sheet = dialog.plan.sheets[0]  # type: ignore[union-attr]
    assert sheet.mapped["reviewer"].column == 12  # L 复查人
    row = next(i for i, m in enumerate(sheet.matches) if m.column == 12)
    combo = dialog.column_table.cellWidget(row, 3)
    assert combo.currentData() == "reviewer" and dialog.column_table.item(row, 4).text() == "100%"
    combo.setCurrentIndex(0)  # （不导入）
    settled(qtbot, dialog)
    assert "reviewer" not in dialog.plan.sheets[0].mapped  # type: ignore[union-attr]
    assert all(r.values["reviewer"] == "" for r in dialog.plan.records)  # type: ignore[union-attr]
    # the other columns keep what was matched, and say how sure it was
    assert dialog.column_table.item(row + 1, 4).text() == "100%"

    # 检查日期 left out: a required field is missing, nothing can be imported
    date_row = next(i for i, m in enumerate(sheet.matches) if m.column == 2)
    dialog.column_table.cellWidget(date_row, 3).setCurrentIndex(0)
    settled(qtbot, dialog)
    assert "没有对应“检查日期”的列" in dialog.needs_label.text()
    dialog.go(3)
    assert not dialog.import_button.isEnabled()
    # …and given back by hand: 手动
    dialog.go(1)
    box = dialog.column_table.cellWidget(date_row, 3)
    box.setCurrentIndex(box.findData("found_on"))
    settled(qtbot, dialog)
    assert dialog.plan.sheets[0].mapped["found_on"].column == 2  # type: ignore[union-attr]
    assert dialog.plan.needs == []  # type: ignore[union-attr]


def test_a_word_remapped_on_step_3_changes_the_rows(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    pending = [line for line in ledger.lines if line.status == "待整改"]
    assert pending  # written as 未整改
    dialog = open_wizard(qtbot, window, "hazards", ledger.path)
    entries = {(e.key, e.text): e for e in dialog.value_entries()}
    assert entries[("status", "未整改")].read_as == "待整改"
    assert entries[("status", "未整改")].rows == len(pending)
    assert entries[("category", "脚手架")].read_as == "脚手架"
    assert dialog.value_table.rowCount() == len(entries)
    dialog.set_value("status", "未整改", "整改中")
    settled(qtbot, dialog)
    assert dialog.options.value_maps == {"status": {"未整改": "整改中"}}
    statuses = {r.source.row: r.values["status"] for r in dialog.plan.records}  # type: ignore[union-attr]
    assert all(statuses[line.row] == "整改中" for line in pending)


def test_a_reimport_finds_every_row_again(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    before = hazards_of(window)
    run_import(qtbot, open_wizard(qtbot, window, "hazards", ledger.path))
    assert hazards_of(window) == before + ROWS

    again = open_wizard(qtbot, window, "hazards", ledger.path)
    again.go(3)
    states = {again.preview.index(r, 1).data() for r in range(again.preview.rowCount())}
    assert states == {"重复·跳过"}
    assert f"与已有记录重复 {ROWS} 行（跳过）" in again.counts_label.text()
    assert "将新建 0 条隐患" in again.counts_label.text()
    radios = {b.property("choice"): b for b in again.duplicate_group.buttons()}
    radios["update"].click()
    assert {again.preview.index(r, 1).data() for r in range(again.preview.rowCount())} == {"重复·更新"}
    radios["reject"].click()
    assert not again.import_button.isEnabled()
    assert "重复" in again.import_button.toolTip()
    radios["skip"].click()
    done = run_import(qtbot, again)
    assert hazards_of(window) == before + ROWS
    assert f"跳过：隐患 {ROWS}" in done[0][1]


def test_a_file_titled_with_another_year_must_be_confirmed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    # titled 2023年…, with dates written without a year ("1月3日"): read in the title's year
    ledger = merged_header_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    dialog = open_wizard(qtbot, window, "hazards", ledger.path)
    dialog.go(3)
    assert dialog.year_box.isHidden()
    dialog.year_spin.setValue(2022)
    settled(qtbot, dialog)
    assert dialog.plan.options.year == 2022  # type: ignore[union-attr]
    assert not dialog.year_box.isHidden()
    assert dialog.year_box.text().startswith("文件标题为2023年：确认仍按2022年度导入")
    assert not dialog.import_button.isEnabled()
    assert "工作年度为2022年" in dialog.counts_label.text()
    dialog.year_box.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.year_box.setChecked(False)
    assert not dialog.import_button.isEnabled()
    dialog.year_spin.setValue(2023)
    settled(qtbot, dialog)
    assert dialog.year_box.isHidden() and dialog.import_button.isEnabled()


def test_undo_in_the_import_records_takes_the_batch_out(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page: Any = window.show_page("safety")
    listed = page.hazards.model.total()
    before = hazards_of(window)
    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    run_import(qtbot, open_wizard(qtbot, window, "hazards", ledger.path))
    assert hazards_of(window) == before + ROWS
    assert page.hazards.model.total() == listed + ROWS  # the page read them in

    window.show_import_batches()
    batches = window.import_batches_dialog  # type: ignore[attr-defined]
    assert isinstance(batches, ImportBatchesDialog) and batches.isVisible()
    assert batches.model.rowCount() == 1
    assert batches.model.text(0, 2) == "隐患台账.xlsx"
    made = f"检查记录 {ledger.inspections}、隐患 {ROWS}"
    assert batches.model.text(0, 4) == f"新建 {made}"
    assert batches.undo_button.isEnabled()
    assert batches.undo_selected(confirm=False)
    qtbot.waitUntil(lambda: batches.task is None, timeout=20000)
    assert hazards_of(window) == before
    assert page.hazards.model.total() == listed
    assert batches.model.text(0, 6).startswith("已撤销")
    assert not batches.undo_button.isEnabled()
    assert batches.reason.text().startswith("已撤销导入“隐患台账.xlsx”：删除 ")
    assert batches.reason.text().endswith(f"{ledger.inspections}、隐患 {ROWS}")
    batches._selection_changed()
    assert batches.reason.text().startswith("不能撤销：本次导入已于")


def test_a_petition_ledger_with_bad_rows_imports_the_good_ones(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    built = petition_ledger(tmp_path / "信访台账.xlsx", rows=ROWS, bad=True)
    before = petitions_of(window)
    dialog = open_wizard(qtbot, window, "petitions", built.path)
    dialog.go(3)
    bad = sorted(built.bad.values())
    assert [state(dialog, sheet, number) for sheet, number in bad] == ["有问题"] * 4
    assert (
        dialog.problems.stringList()[0] == "信访台账 第5行 第C列（收到日期）：收到日期“2023.2.30”不是有效日期"
    )
    assert (
        dialog.problems.stringList()[3]
        == "信访台账 第8行 第I列（人数）：公式未计算，请在 WPS 中打开并保存后再导入"
    )
    assert not dialog.import_button.isEnabled()
    for sheet, number in bad:
        untick(dialog, sheet, number)
    assert dialog.import_button.isEnabled()
    run_import(qtbot, dialog)
    assert petitions_of(window) == before + ROWS - 4


def test_a_sheet_without_a_header_found_is_read_from_the_rows_given(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt

    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=6)
    book = openpyxl.load_workbook(ledger.path)
    extra = book.create_sheet("补录")
    extra.cell(1, 1, "五月补录")
    for column, text in enumerate(("甲", "乙", "丙", "丁", "戊"), 1):  # nothing a field is called
        extra.cell(3, column, text)
    extra.append(["2023-05-06", "江南办公楼项目", "张某某、李某某", "楼梯口无防护栏杆", "2023-05-09"])
    book.save(ledger.path)
    dialog = open_wizard(qtbot, window, "hazards", ledger.path)
    items = [dialog.sheet_list.item(i) for i in range(dialog.sheet_list.count())]
    assert [item.text() for item in items] == ["隐患台账（表头第3行，6 行数据）", "补录（未找到表头）"]
    assert items[1].checkState() == Qt.CheckState.Unchecked
    items[1].setCheckState(Qt.CheckState.Checked)
    settled(qtbot, dialog)
    assert dialog.pending_sheets == ["补录"]
    assert "“补录”未找到表头" in dialog.status.text()
    assert [s.title for s in dialog.plan.sheets] == ["隐患台账"]  # type: ignore[union-attr]

    dialog.go(1)
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findData("补录"))
    assert dialog.sheet_combo.currentText() == "补录（未找到表头）"
    assert dialog.column_table.rowCount() == 0
    dialog.first_spin.setValue(3)
    dialog.last_spin.setValue(3)
    dialog._header_rows_changed()  # 按此表头重新识别
    settled(qtbot, dialog)
    assert [s.title for s in dialog.plan.sheets] == ["隐患台账", "补录"]  # type: ignore[union-attr]
    assert "工作表“补录”中没有对应“检查日期”的列" in dialog.needs_label.text()
    assert dialog.sheet_combo.currentData() == "补录"
    for row, field in enumerate(("found_on", "project", "inspectors", "description", "deadline")):
        box = dialog.column_table.cellWidget(row, 3)
        box.setCurrentIndex(box.findData(field))
        settled(qtbot, dialog)
        assert dialog.column_table.item(row, 4).text() == "手动"
    assert dialog.plan.needs == []  # type: ignore[union-attr]
    added = [r for r in dialog.plan.records if r.source.sheet == "补录"]  # type: ignore[union-attr]
    assert [(r.values["description"], r.values["deadline"].isoformat()) for r in added] == [
        ("楼梯口无防护栏杆", "2023-05-09")
    ]
    before = hazards_of(window)
    run_import(qtbot, dialog)
    assert hazards_of(window) == before + 7


def test_a_petition_ledger_without_a_channel_column_takes_one_channel_for_all(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    built = petition_ledger(tmp_path / "信访台账.xlsx", rows=8)
    book = openpyxl.load_workbook(built.path)
    book.active.delete_cols(4)  # 信访渠道
    book.active.cell(1, 1).value = "汨罗市住房和城乡建设局2023年事项登记台账"
    book.save(built.path)
    before = petitions_of(window)
    dialog = open_wizard(qtbot, window, "petitions", built.path)
    assert any("没有“信访渠道”列" in need for need in dialog.plan.needs)  # type: ignore[union-attr]
    assert "还不能导入" in dialog.status.text()
    blank = [e for e in dialog.value_entries() if e.key == "channel"]
    assert [(e.text, e.read_as) for e in blank] == [("", "")]
    dialog.go(2)
    assert dialog.value_table.item(0, 1).text() == "（空白）"
    dialog.set_value("channel", "", "来信")
    settled(qtbot, dialog)
    assert dialog.plan.needs == []  # type: ignore[union-attr]
    assert {r.values["channel"] for r in dialog.plan.records} == {"来信"}  # type: ignore[union-attr]
    run_import(qtbot, dialog)
    assert petitions_of(window) == before + 8
    with window.db.session() as session:  # type: ignore[union-attr]
        channels = session.scalars(select(Petition.channel).order_by(Petition.id.desc()).limit(8)).all()
    assert set(channels) == {"来信"}


def test_an_import_touched_since_cannot_be_undone_and_says_why(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from sqlalchemy import update

    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    run_import(qtbot, open_wizard(qtbot, window, "hazards", ledger.path))
    newest = newest_hazard(window)
    with window.db.transaction() as session:  # type: ignore[union-attr]  # saved on the page since
        session.execute(
            update(SafetyHazard)
            .where(SafetyHazard.id == newest)
            .values(measures="已改", version=SafetyHazard.version + 1)
        )
    window.show_import_batches()
    batches = window.import_batches_dialog  # type: ignore[attr-defined]
    assert not batches.undo_button.isEnabled()
    assert batches.reason.text().startswith("不能撤销：")
    assert "在导入后已被修改" in batches.reason.text()
    count = hazards_of(window)
    assert not batches.undo_selected(confirm=False)
    assert batches.task is None and hazards_of(window) == count


def test_the_columns_chosen_are_remembered_for_the_next_file_laid_out_the_same(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    first = standard_ledger(tmp_path / "一月.xlsx", rows=6)
    dialog = open_wizard(qtbot, window, "hazards", first.path)
    dialog.go(1)
    row = next(i for i, m in enumerate(dialog.plan.sheets[0].matches) if m.column == 12)  # type: ignore[union-attr]
    dialog.column_table.cellWidget(row, 3).setCurrentIndex(0)  # 复查人 not imported
    settled(qtbot, dialog)
    assert not dialog.layout_label.isVisibleTo(dialog)
    run_import(qtbot, dialog)

    second = standard_ledger(tmp_path / "二月.xlsx", rows=6, year=2023)
    again = open_wizard(qtbot, window, "hazards", second.path)
    sheet = again.plan.sheets[0]  # type: ignore[union-attr]
    assert sheet.remembered and "reviewer" not in sheet.mapped
    again.go(1)
    assert again.layout_label.isVisible()
    assert again.layout_label.text() == "各列按上次导入相同表头的文件时的对应关系读入。"


@pytest.mark.parametrize("when", ["before writing", "after the commit"])
def test_cancelling_the_import_says_what_happened(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    import time

    from app.importers.ledgers import plan as plan_module

    real = plan_module.apply_plan

    def apply_plan(*args, cancelled, **kwargs):  # 取消 pressed at a known moment of the import
        def wait() -> None:
            while not cancelled():
                time.sleep(0.01)

        if when == "before writing":
            wait()
            return real(*args, cancelled=cancelled, **kwargs)
        result = real(*args, cancelled=lambda: False, **kwargs)
        wait()
        return result

    monkeypatch.setattr(plan_module, "apply_plan", apply_plan)
    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    before = hazards_of(window)
    dialog = open_wizard(qtbot, window, "hazards", ledger.path)
    dialog.go(3)
    task = dialog.start_import()
    assert task is not None
    dialog.reject()  # 取消 while importing: asks the import to stop, the wizard stays
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    if when == "before writing":
        assert hazards_of(window) == before
        assert dialog.status.text() == "已取消导入，未写入任何数据。"
        assert dialog.import_button.isEnabled()  # it can be imported after all
    else:
        assert hazards_of(window) == before + ROWS
        assert dialog.result_box.isVisible() and "已导入" in dialog.result_box.text()
        assert not dialog.import_button.isEnabled()
        dialog.result_box.done(0)


def test_the_buttons_on_the_lists_open_the_wizard_of_their_kind(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QPushButton

    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=ROWS)
    chosen = [str(ledger.path)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (chosen[0], ""))
    page: Any = window.show_page("safety")
    opened = []
    for tab, kind in ((page.projects, "projects"), (page.hazards, "hazards"), (page.documents, "documents")):
        button = next(b for b in tab.findChildren(QPushButton) if b.text() == "从台账导入…")
        button.click()
        dialog = page.ledger_import_dialog
        assert dialog.kind.key == kind and dialog.path == ledger.path
        settled(qtbot, dialog)
        opened.append((kind, len(dialog.plan.records) if dialog.plan else None))
        dialog.reject()
    assert opened[1] == ("hazards", ROWS)
    chosen[0] = ""  # the file dialog cancelled: no empty wizard stays open
    page.import_ledger("hazards")
    assert not page.ledger_import_dialog.isVisible()
