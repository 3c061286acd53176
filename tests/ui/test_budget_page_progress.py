"""The 预算绩效 page of a new year: the department's 年度资金总额 follows the projects as they are typed,
tables not started list what is left as 待填写, and the page opens on the tab with work left."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from app.db import Database
from app.models.budget import BudgetYear
from app.registry import default_registry
from app.services.budget.data import budget_year_row, load_year
from app.services.unit import create_unit
from ui.application import create_application, ui_settings
from ui.context import AppContext
from ui.pages.budget_page import TAB_BASE, TAB_DEPARTMENT, TAB_PROJECTS, BudgetPage
from ui.tasks import TaskRunner

D = Decimal


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def open_page(qtbot, tasks: TaskRunner, db: Database, unit_id: int, year: int) -> BudgetPage:
    create_application()
    page = BudgetPage(AppContext(db, default_registry(), tasks, unit_id, year))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.load()
    page.show()
    return page


def test_a_new_year_opens_on_what_is_left_to_fill_and_follows_the_projects(
    qtbot, tasks: TaskRunner, db: Database, tmp_path: Path
) -> None:
    unit_id = create_unit(db, "汨罗市建筑工程服务中心", 2024)
    page = open_page(qtbot, tasks, db, unit_id, 2024)
    # THEN nothing is an error the clerk made: the two tables are 待填写, the page opens on the first
    assert [page.tabs.tabText(i) for i in range(3)] == [
        "基础数据表（待填写）",
        "部门整体自评表（待填写）",
        "项目支出（0）",
    ]
    assert page.tabs.currentIndex() == TAB_BASE
    assert [f for f in page.findings if f.is_error] == []
    assert sum(f.message.startswith("待填写") for f in page.findings) == 10
    page.grab().save(str(tmp_path / "new-year-base.png"))

    # WHEN the clerk adds a project of 120 planned and 96 executed
    page.tabs.setCurrentIndex(TAB_PROJECTS)
    page.projects_tab.add_project()
    editor = page.projects_tab.editor
    qtbot.keyClicks(editor.name, "Project A")
    for column, text in (("initial", "120"), ("full", "120"), ("executed", "96")):
        qtbot.keyClicks(editor.fields[f"funds.current.{column}"], text)
    # THEN the department's 年度资金总额 shows them at once, read-only, saying where they come from
    dept = page.dept_tab
    assert [dept.total_fields[c].text() for c in ("initial", "full", "executed")] == [
        "120.00",
        "120.00",
        "96.00",
    ]
    assert all(field.isReadOnly() for field in dept.total_fields.values())
    assert dept.total_fields["full"].toolTip() == (
        "年度资金总额全年预算数= 基本支出 （待填写） ＋ 项目支出 120.00（1个项目全年预算数之和）（自动计算）"
    )
    assert (dept.funds.rate_field.text(), dept.funds.score_field.text()) == ("80.00%", "8")
    assert "1个项目" in dept.funds_note.text()
    # AND the department's gaps ask for 基本支出, still as 待填写; the project's are real now
    dept_findings = [f for f in page.findings if f.target and f.target.record == "dept"]
    assert not any(f.row == "年度资金总额" for f in dept_findings)
    assert all(f.message.startswith("待填写") for f in dept_findings)
    assert [f.row for f in page.findings if f.is_error] == ["绩效指标"]  # the project's own table

    # WHEN 基本支出 is typed in the department tab
    page.tabs.setCurrentIndex(TAB_DEPARTMENT)
    qtbot.keyClicks(dept.fields["basic.initial"], "500")
    qtbot.keyClicks(dept.fields["basic.full"], "520")
    qtbot.keyClicks(dept.fields["expense.personnel"], "480")
    qtbot.keyClicks(dept.fields["expense.public"], "30")
    assert [dept.total_fields[c].text() for c in ("initial", "full", "executed")] == [
        "620.00",
        "640.00",
        "606.00",
    ]
    assert page.tabs.tabText(TAB_DEPARTMENT) == "部门整体自评表"  # started: its gaps are errors now
    assert page.save()
    with db.session() as s:
        row = budget_year_row(s, unit_id, 2024)
        assert row is not None and (row.initial_budget, row.full_budget, row.executed) == (
            D(620),
            D(640),
            D(606),
        )
    page.grab().save(str(tmp_path / "new-year-department.png"))


def test_the_example_opens_on_the_last_tab_used_and_a_year_with_an_error_on_its_tab(
    qtbot, tasks: TaskRunner, example_db: Database, example_unit_id: int
) -> None:
    # GIVEN the example (no error, nothing left to fill) last seen on the 项目支出 tab
    page = open_page(qtbot, tasks, example_db, example_unit_id, 2023)
    page.tabs.setCurrentIndex(TAB_PROJECTS)
    assert int(ui_settings().value("budget/last_tab")) == TAB_PROJECTS
    again = open_page(qtbot, tasks, example_db, example_unit_id, 2023)
    assert again.tabs.currentIndex() == TAB_PROJECTS
    # GIVEN the department's 全年执行数 stored as 950 (not 592.17 + 359.73): an error there
    with example_db.transaction() as s:
        row = budget_year_row(s, example_unit_id, 2023)
        assert row is not None
        s.execute(update(BudgetYear).where(BudgetYear.id == row.id).values(executed=D("950")))
    page = open_page(qtbot, tasks, example_db, example_unit_id, 2023)
    assert page.tabs.currentIndex() == TAB_DEPARTMENT
    dept = page.dept_tab
    assert dept.total_fields["executed"].text() == "950.00"
    assert dept.total_fields["executed"].styleSheet() == "color:#c62828;"
    assert not dept.use_computed_button.isHidden()
    assert "原填写值 950.00，与计算值 951.90，差-1.90" in dept.typed_note.text()
    # WHEN the clerk switches to the computed figure and saves
    dept.use_computed_button.click()
    assert dept.total_fields["executed"].text() == "951.90" and dept.use_computed_button.isHidden()
    assert [f for f in page.findings if f.is_error] == []
    assert page.save()
    with example_db.session() as s:
        assert load_year(s, example_unit_id, 2023).executed_typed is None
