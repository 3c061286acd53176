"""Saving and loading the year's figures (SQLite and PostgreSQL), carry-over, figures, checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.checks import run_checks
from app.db import Database
from app.errors import UserError
from app.example_data.budget import example_2023
from app.models.budget import BudgetIndicator, BudgetProject
from app.registry import default_registry
from app.services.budget.compute import build_tables
from app.services.budget.data import BudgetYearData, Project, load_year, save_errors, save_year
from app.services.budget.figures import budget_figures
from app.services.unit import add_year, create_unit

D = Decimal


def test_the_year_round_trips_exactly(any_db: Database) -> None:
    # GIVEN a unit with a year and the seed's figures
    unit_id = create_unit(any_db, "测试县建筑工程服务中心", 2023)
    data = example_2023()
    # WHEN they are saved and loaded again
    revision = save_year(any_db, unit_id, 2023, data)
    with any_db.session() as s:
        again = load_year(s, unit_id, 2023)
    # THEN every figure is back as typed, in order
    assert revision == 1 and again.revision == 1
    data.revision = 1
    assert again == data
    with any_db.session() as s:
        assert s.scalar(select(func.count()).select_from(BudgetProject)) == 3
        assert s.scalar(select(func.count()).select_from(BudgetIndicator)) == 29 + 14 + 11 + 28


def test_a_save_over_someone_elses_is_refused(any_db: Database) -> None:
    unit_id = create_unit(any_db, "单位", 2023)
    save_year(any_db, unit_id, 2023, example_2023())
    with any_db.session() as s:
        mine, theirs = load_year(s, unit_id, 2023), load_year(s, unit_id, 2023)
    theirs.goal_actual = "他们的修改"
    save_year(any_db, unit_id, 2023, theirs)
    mine.goal_actual = "我的修改"
    with pytest.raises(UserError, match="已在别处"):
        save_year(any_db, unit_id, 2023, mine)
    with any_db.session() as s:
        assert load_year(s, unit_id, 2023).goal_actual == "他们的修改"


def test_what_stops_a_save() -> None:
    data = BudgetYearData(projects=[Project(name="工作经费"), Project(name=" 工作经费 "), Project()])
    assert save_errors(data) == [
        "项目名称“工作经费”重复：每个一级项目只能有一张表",
        "第3个项目未填写项目名称",
    ]


def test_a_refused_save_changes_nothing(db: Database) -> None:
    unit_id = create_unit(db, "单位", 2023)
    save_year(db, unit_id, 2023, example_2023())
    with db.session() as s:
        data = load_year(s, unit_id, 2023)
    data.projects.append(Project(name="工作经费"))
    with pytest.raises(UserError, match="重复"):
        save_year(db, unit_id, 2023, data)
    with db.session() as s:
        assert len(load_year(s, unit_id, 2023).projects) == 3


def test_a_new_year_starts_from_last_years_projects_and_trees(
    example_db: Database, example_unit_id: int
) -> None:
    # WHEN 2024 is added, carried over from 2023
    add_year(example_db, example_unit_id, 2024, 2023, default_registry())
    with example_db.session() as s:
        data = load_year(s, example_unit_id, 2024)
        tables = build_tables(s, example_unit_id, 2024)
    # THEN the projects and indicator trees are there, amounts and results empty
    assert [p.name for p in data.projects] == ["质量安全监督管理专项", "招投标监督管理专项", "工作经费"]
    work = data.project_named("工作经费")
    assert work is not None
    assert (work.supervisor, work.implementer, work.kind) == (
        "汨罗市住房和城乡建设局",
        "汨罗市建筑工程服务中心",
        "县级专项资金",
    )
    assert (
        work.funds.is_empty() and work.goal_actual == "" and work.goal_expected.startswith("建筑工程招投标")
    )
    assert work.level1_weights == {"效益指标": D(40), "成本指标": D(10)}
    assert len(data.indicators) == 29
    acceptance = next(i for i in data.indicators if i.name == "办理项目竣工验收率")
    assert (acceptance.target, acceptance.weight) == ("60个", D(1))
    assert (acceptance.actual, acceptance.score, acceptance.reason) == ("", None, "")
    assert data.department_funds().is_empty() and data.personnel is None
    # AND 上年决算数 comes from 2023's 本年决算数, marked as carried
    row = tables.base.row("project:工作经费")
    assert row is not None and (row.prior, row.prior_source) == (D("334.73"), "carried")
    office = tables.base.row("office")
    assert office is not None and (office.prior, office.prior_source, office.budget) == (
        D("7.88"),
        "carried",
        None,
    )
    public = tables.base.row("public")
    assert public is not None and public.prior == D("19.56")


def test_figures_for_the_report(example_db: Database, example_unit_id: int) -> None:
    from app.services.unit import unit_figures

    with example_db.session() as s:
        budget_figures_list = budget_figures(s, example_unit_id, 2023) + unit_figures(
            s, example_unit_id, 2023
        )
    figures = {f.key: f for f in budget_figures_list}
    assert figures["unit.staff_control_rate"].text == "96.72%"
    texts = {key: figures[key].text for key in figures}
    expected = {
        "budget.initial_budget": "801.08",
        "budget.full_budget": "951.90",
        "budget.executed": "951.90",
        "budget.execution_rate": "100.00%",
        "budget.execution_score": "10",
        "budget.total_score": "99.5",
        "budget.grade": "优",
        "budget.income_general": "885.94",
        "budget.income_other": "65.96",
        "budget.basic_expenditure": "592.17",
        "budget.personnel_expenditure": "572.61",
        "budget.public_expenditure": "19.56",
        "budget.project_expenditure": "359.74",
        "budget.gov_fund_expenditure": "0",
        "budget.state_capital_expenditure": "0",
        "budget.social_insurance_expenditure": "0",
        "budget.projects_budget": "359.74",
        "budget.projects_executed": "359.73",
        "budget.project3.name": "工作经费",
        "budget.project3.full_budget": "334.74",
        "budget.project3.executed": "334.73",
        "budget.project1.full_budget": "20",
        "budget.project2.full_budget": "5",
        "budget.project2.total_score": "100",
        "budget.project3.total_score": "99.5",
        "budget.projects": "质量安全监督管理专项20万元，招投标监督管理专项5万元，工作经费334.74万元",
    }
    assert {k: texts[k] for k in expected} == expected
    assert figures["budget.executed"].unit == "万元" and figures["budget.executed"].value == D("951.90")
    assert figures["budget.projects"].value == [
        ("质量安全监督管理专项", D(20)),
        ("招投标监督管理专项", D(5)),
        ("工作经费", D("334.74")),
    ]
    labels = [f.label for f in budget_figures_list]
    assert len(labels) == len(set(labels))  # unique in the picker, also beside the unit's figures


def test_registered_check_reports_the_budget(example_db: Database, example_unit_id: int) -> None:
    findings = [
        f for f in run_checks(example_db, example_unit_id, 2023) if f.target and f.target.page == "budget"
    ]
    assert len(findings) == 6 and {f.level for f in findings} == {"警告"}
    empty_unit = create_unit(example_db, "新单位", 2023)
    [f] = [f for f in run_checks(example_db, empty_unit, 2023) if f.target and f.target.page == "budget"]
    assert f.message == "2023年度尚未填写预算绩效数据"


def test_project_ids_stay_across_saves_and_renames(db: Database) -> None:
    unit_id = create_unit(db, "单位", 2023)
    data = example_2023()
    save_year(db, unit_id, 2023, data)
    ids = [p.id for p in data.projects]
    assert all(ids) and len(set(ids)) == 3
    # WHEN a project is renamed, one removed and one added
    data.projects[0].name = "质量安全监管专项"
    del data.projects[1]
    data.projects.append(Project(name="新项目"))
    save_year(db, unit_id, 2023, data)
    with db.session() as s:
        again = load_year(s, unit_id, 2023)
        tables = build_tables(s, unit_id, 2023)
    # THEN the kept ones keep their ids, the new one gets its own
    assert [p.id for p in again.projects][:2] == [ids[0], ids[2]]
    assert again.projects[2].id not in ids
    assert [t.id for t in tables.projects] == [p.id for p in again.projects]
    assert len(again.project_named("工作经费").indicators) == 28  # type: ignore[union-attr]


def test_figures_of_one_project_for_its_report(example_db: Database, example_unit_id: int) -> None:
    from app.services.budget.figures import project_figures

    with example_db.session() as s:
        work = build_tables(s, example_unit_id, 2023).project("工作经费")
    assert work is not None
    texts = {f.key: f.text for f in project_figures(work)}
    assert texts["project.budget_initial"] == "325"
    assert texts["project.budget_total"] == "334.74"
    assert texts["project.spent"] == "334.73"
    assert texts["project.rate"] == "100.00%"
    assert (texts["project.score"], texts["project.grade"]) == ("99.5", "优")
    assert texts["project.supervisor"] == "汨罗市住房和城乡建设局"
