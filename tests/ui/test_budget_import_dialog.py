"""The import preview names a table of another year and keeps 导入 disabled until “仍导入到…年度” is
ticked; it lists the 校验 findings the import adds, with their figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt

from app.db import Database
from app.exports.package import export_year
from app.registry import default_registry
from app.services.budget.data import load_year
from app.services.unit import load_profile
from ui.context import AppContext
from ui.pages.budget_page import BudgetPage
from ui.tasks import TaskRunner

FOOTER = "填表人：柳灿    填报日期：2024年2月5日    联系电话：0730-5212345    单位负责人签字：周建平"


@pytest.fixture
def page(qtbot, example_db: Database, example_unit_id: int) -> BudgetPage:
    tasks = TaskRunner()
    widget = BudgetPage(AppContext(example_db, default_registry(), tasks, example_unit_id, 2023))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.load()
    widget.show()
    yield widget
    tasks.shutdown()


@pytest.fixture
def files(example_db: Database, example_unit_id: int, tmp_path: Path) -> list[Path]:
    """The department table titled 2024 with another footer, and 工作经费 with 全年执行数 364.63."""
    exported = export_year(
        example_db, example_unit_id, 2023, tmp_path, keys={"budget.tables"}, into_package_folder=False
    ).files
    dept = next(p for p in exported if "部门整体支出绩效自评表" in p.name)
    work = next(p for p in exported if "工作经费" in p.name)
    book = openpyxl.load_workbook(dept)
    book.active["A1"] = "2024年度部门整体支出绩效自评表"
    book.active["A43"] = FOOTER
    book.save(dept)
    book = openpyxl.load_workbook(work)
    book.active["F5"] = book.active["F6"] = 364.63
    book.active["A42"] = FOOTER
    book.save(work)
    return [dept, work]


def test_the_preview_asks_to_confirm_the_year_and_lists_the_broken_checks(
    qtbot, page: BudgetPage, files: list[Path], example_db: Database, example_unit_id: int
) -> None:
    task = page.import_from(files)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.import_dialog is not None and page.import_dialog.isVisible())
    dialog = page.import_dialog
    # THEN the other year is named, and 导入 waits for the confirmation
    assert dialog.mismatch.isVisible()
    assert (
        dialog.mismatch.text()
        == "文件是2024年度的自评表，当前导入到2023年度。请核对年度，确认无误后勾选下方选项再导入。"
    )
    assert dialog.confirm_year.isVisible() and dialog.confirm_year.text() == "仍导入到2023年度"
    assert not dialog.confirm_year.isChecked()
    assert not dialog.import_button.isEnabled()
    # AND the 校验 errors the import brings are listed with their figures
    assert dialog.check_label.text() == "导入后校验的变化（新增3项、消除0项）："
    shown = [dialog.check_changes.index(i).data() for i in range(dialog.check_changes.rowCount())]
    assert shown == [
        "新增：[错误] 2023年度部门整体支出绩效自评表 › 年度资金总额 › 全年执行数："
        "原填写的全年执行数951.90万元，与基本支出592.17＋项目支出389.63＝981.80万元不符（差-29.90）："
        "请核对人员经费、公用经费和各项目的全年执行数，或改用计算值",
        "新增：[错误] 2023年度项目支出绩效自评表（工作经费） › 年度资金总额 › 全年执行数："
        "全年执行数364.63万元大于全年预算数334.74万元",
        "新增：[错误] 2023年度项目支出绩效自评表（工作经费） › 其中：当年财政拨款 › 全年执行数："
        "全年执行数364.63万元大于全年预算数334.74万元",
    ]
    assert dialog.summary.text() == "可以导入。导入后校验将新增3处错误（见上）。另有1处提示，请核对。"
    # AND the footer is among what will be written
    assert dialog.changes.stringList()[-1] == (
        "表尾：填表人“柳灿”、联系电话“0730-5212345”（写入2023年度单位信息），填报日期2024年2月5日"
    )
    # WHEN another year is chosen, the confirmation is asked again for that year
    dialog.confirm_year.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.year_combo.setCurrentIndex(dialog.year_combo.findData(2022))
    assert dialog.mismatch.text().startswith("文件是2023、2024年度的自评表，当前导入到2022年度。")
    assert dialog.confirm_year.text() == "仍导入到2022年度" and not dialog.confirm_year.isChecked()
    assert not dialog.import_button.isEnabled()
    # WHEN 2023 is chosen again and confirmed, the import is written
    dialog.year_combo.setCurrentIndex(dialog.year_combo.findData(2023))
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(
        dialog.confirm_year, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.confirm_year.height() // 2)
    )
    assert dialog.confirm_year.isChecked() and dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert page.data.project_named("工作经费").funds.executed == Decimal("364.63")
    with example_db.session() as s:
        assert load_year(s, example_unit_id, 2023).project_named("工作经费").funds.executed == Decimal(
            "364.63"
        )
        profile = load_profile(s, example_unit_id, 2023)
    assert (profile.preparer, profile.phone) == ("柳灿", "0730-5212345")
    assert page.budget_ctx.preparer == "柳灿"  # the page took the new 单位信息


def test_tables_of_the_chosen_year_need_no_confirmation(
    qtbot, page: BudgetPage, example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    exported = export_year(
        example_db, example_unit_id, 2023, tmp_path, keys={"budget.tables"}, into_package_folder=False
    ).files
    task = page.import_from(exported)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.import_dialog is not None and page.import_dialog.isVisible())
    dialog = page.import_dialog
    assert not dialog.mismatch.isVisible() and not dialog.confirm_year.isVisible()
    assert dialog.check_label.text() == "导入后校验的变化：无" and not dialog.check_view.isVisible()
    assert dialog.import_button.isEnabled()
    dialog.reject()
