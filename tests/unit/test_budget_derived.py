"""The department's 年度资金总额 is computed (基本支出 + 项目支出), the stored figures of existing files
read back the same, and a table not started lists what it lacks as 待填写 (but `check` errs)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from app.db import Database
from app.example_data.budget import example_2023
from app.findings import ERROR, WARNING
from app.models.budget import BudgetYear
from app.services.budget.checks import check_data, check_year
from app.services.budget.compute import BudgetContext, build_tables, compute_tables
from app.services.budget.data import (
    BudgetYearData,
    ControlEntry,
    Funds,
    Project,
    budget_year_row,
    load_year,
    save_year,
)
from app.services.budget.progress import is_todo, not_started, page_findings, tabs_with_work
from app.services.run_cache import run_cache
from app.services.unit import create_unit

D = Decimal


def test_the_department_total_is_the_base_expenditure_plus_the_projects() -> None:
    data = example_2023()
    dept = compute_tables(data, BudgetContext(2023)).department
    # by hand from the example: 质量安全 20/20/20, 招投标 5/5/5, 工作经费 325/334.74/334.73;
    # 基本支出 451.08 / 592.16 typed, its 全年执行数 = 人员经费 572.61 + 公用经费 19.56
    projects = (D(20) + D(5) + D(325), D(20) + D(5) + D("334.74"), D(20) + D(5) + D("334.73"))
    assert projects == (D(350), D("359.74"), D("359.73"))
    basic = (D("451.08"), D("592.16"), D("572.61") + D("19.56"))
    assert (dept.funds.initial, dept.funds.full, dept.funds.executed) == tuple(
        b + p for b, p in zip(basic, projects, strict=True)
    )
    assert (dept.funds.initial, dept.funds.full, dept.funds.executed) == (
        D("801.08"),
        D("951.90"),
        D("951.90"),
    )
    assert (dept.funds.rate, dept.funds.score) == (D("1.0000"), D("10.00"))
    assert (dept.part("basic").initial, dept.part("projects").full) == (D("451.08"), D("359.74"))
    assert dept.funds_notes == (
        "= 基本支出 451.08 ＋ 项目支出 350.00（3个项目年初预算数之和）",
        "= 基本支出 592.16 ＋ 项目支出 359.74（3个项目全年预算数之和）",
        "= 基本支出 592.17（人员经费＋公用经费） ＋ 项目支出 359.73（3个项目全年执行数之和）",
    )
    assert "（3个项目，在“项目支出”中填写）" in dept.funds_note
    assert not dept.executed_typed


def test_a_project_s_funds_move_the_department_total() -> None:
    # GIVEN a new year with only a project of 120 planned, 96 executed (nothing else typed)
    data = BudgetYearData()
    data.projects = [Project(name="老旧小区改造专项", current=Funds(D(120), D(120), D(96)))]
    dept = compute_tables(data, BudgetContext(2024)).department
    # THEN the department's 年度资金总额 shows them, with its 执行率 and 得分
    assert (dept.funds.initial, dept.funds.full, dept.funds.executed) == (D(120), D(120), D(96))
    assert (dept.funds.rate, dept.funds.score) == (D("0.8000"), D("8.00"))
    assert dept.funds_notes[0] == "= 基本支出 （待填写） ＋ 项目支出 120.00（1个项目年初预算数之和）"
    # AND what is asked for is 基本支出, not the total
    missing = {(f.row, f.field) for f in check_data(data, BudgetContext(2024)) if f.is_error}
    assert ("其中：基本支出", "年初预算数") in missing and ("其中：基本支出", "全年预算数") in missing
    assert not any(row == "年度资金总额" for row, _field in missing)
    # WHEN 基本支出 is typed, the total follows
    data.basic_initial, data.basic_full, data.personnel, data.public = D(500), D(520), D(480), D(30)
    funds = compute_tables(data, BudgetContext(2024)).department.funds
    assert (funds.initial, funds.full, funds.executed) == (D(620), D(640), D(606))


def test_stored_totals_of_existing_files_read_back_unchanged(
    example_db: Database, example_unit_id: int
) -> None:
    with example_db.session() as s:
        row = budget_year_row(s, example_unit_id, 2023)
        assert row is not None
        # the column still holds the department's total, as files written before did
        assert (row.initial_budget, row.full_budget, row.executed) == (D("801.08"), D("951.90"), D("951.90"))
        data = load_year(s, example_unit_id, 2023)
    assert (data.basic_initial, data.basic_full, data.executed_typed) == (D("451.08"), D("592.16"), None)
    # WHEN a project's budget grows by 10 and the year is saved
    data.projects[2].current.full = D("344.74")
    save_year(example_db, example_unit_id, 2023, data)
    with example_db.session() as s:
        row = budget_year_row(s, example_unit_id, 2023)
        assert row is not None and row.full_budget == D("961.90")
        again = load_year(s, example_unit_id, 2023)
    assert again.basic_full == D("592.16") and again == data


def test_a_typed_executed_that_differs_is_kept_until_the_clerk_switches(
    example_db: Database, example_unit_id: int
) -> None:
    # GIVEN a file whose 全年执行数 was typed as 950 (基本支出 + 项目支出 = 951.90)
    with example_db.transaction() as s:
        row = budget_year_row(s, example_unit_id, 2023)
        assert row is not None
        s.execute(update(BudgetYear).where(BudgetYear.id == row.id).values(executed=D("950")))
    with example_db.session() as s:
        data = load_year(s, example_unit_id, 2023)
        with run_cache():
            tables = build_tables(s, example_unit_id, 2023)
            findings = check_year(s, example_unit_id, 2023)
    # THEN it is kept and still used (the export does not change behind the clerk's back) …
    assert data.executed_typed == D("950")
    assert (tables.department.funds.executed, tables.department.executed_computed) == (D("950"), D("951.90"))
    assert tables.department.funds_notes[2].startswith("原填写值 950.00，与计算值 951.90，差-1.90")
    # … with the difference an error
    [kept] = [f for f in findings if (f.row, f.field) == ("年度资金总额", "全年执行数")]
    assert (
        kept.level == ERROR and "与基本支出592.17＋项目支出359.73＝951.90万元不符（差-1.90）" in kept.message
    )
    # WHEN the clerk switches to the computed one and saves
    data.executed_typed = None
    save_year(example_db, example_unit_id, 2023, data)
    with example_db.session() as s:
        row = budget_year_row(s, example_unit_id, 2023)
        assert row is not None and row.executed == D("951.90")
        assert load_year(s, example_unit_id, 2023).executed_typed is None


def test_tables_not_started_list_what_is_left_to_fill() -> None:
    # GIVEN a new year with nothing entered
    data = BudgetYearData()
    raw = check_data(data, BudgetContext(2024))
    shown = page_findings(data, raw)
    # THEN the page shows no error: what the 基础数据表 and 部门整体 tables lack is 待填写
    assert not_started(data) == {"base", "dept"}
    assert [f for f in shown if f.is_error] == []
    todo = [f for f in shown if is_todo(f)]
    assert [(f.location().split(" › ", 1)[1], f.message) for f in todo] == [
        (
            "经费控制情况",
            "待填写（“三公”经费各项、公用经费其中各项、政府采购金额的本年预算数和本年决算数，没有的填0）",
        ),
        ("厉行节约保障措施", "待填写"),
        ("其中：基本支出 › 年初预算数", "待填写"),
        ("其中：基本支出 › 全年预算数", "待填写"),
        ("按收入性质分", "待填写"),
        ("按支出性质分 › 基本支出 › 人员经费", "待填写"),
        ("按支出性质分 › 基本支出 › 公用经费", "待填写"),
        ("年度总体目标 › 预期目标", "待填写"),
        ("年度总体目标 › 实际完成情况", "待填写"),
        ("绩效指标", "待填写"),
    ]
    assert all(f.level == WARNING for f in todo)
    # AND the same gaps stay errors for check/F7/export (7 of them)
    assert sum(f.is_error for f in raw) == 7
    assert tabs_with_work(shown) == ["base", "dept"]
    # WHEN one amount of the 基础数据表 is typed, its gaps are the clerk's: no longer 待填写
    data.control["reception"] = ControlEntry(None, D("5.8"))
    shown = page_findings(data, check_data(data, BudgetContext(2024)))
    assert not_started(data) == {"dept"}
    assert [f.message for f in shown if f.target and f.target.record == "base"] == ["未填写"]


def test_the_example_has_no_work_left() -> None:
    data = example_2023()
    shown = page_findings(data, check_data(data, BudgetContext(2023)))
    assert not_started(data) == set() and tabs_with_work(shown) == []
    data.indicators[6].reason = ""  # 办理项目竣工验收率 0.5 of 1 needs its reason
    assert tabs_with_work(page_findings(data, check_data(data, BudgetContext(2023)))) == ["dept"]


def test_check_still_errs_on_a_saved_year_whose_tables_are_blank(db: Database) -> None:
    # GIVEN a year where only a project was saved
    unit_id = create_unit(db, "测试单位", 2024)
    data = BudgetYearData()
    data.projects = [Project(name="老旧小区改造专项", current=Funds(D(120), D(120), D(96)))]
    save_year(db, unit_id, 2024, data)
    with db.session() as s:
        findings = check_year(s, unit_id, 2024)
    errors = {(f.table[6:], f.row, f.field) for f in findings if f.is_error}
    # THEN `check` (exit code 1) names the blank 基础数据表 and the missing 基本支出
    assert ("部门整体支出绩效评价基础数据表", "经费控制情况", "") in errors
    assert ("部门整体支出绩效自评表", "其中：基本支出", "年初预算数") in errors
