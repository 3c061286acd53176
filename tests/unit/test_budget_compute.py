"""The example unit reproduces seed 003's tables, with each figure stored once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.db import Database
from app.services.budget.compute import BudgetContext, build_tables, compute_tables, load_context
from app.services.budget.data import Funds, Indicator, load_year, save_year
from app.services.budget.tables import BudgetTables

D = Decimal


@pytest.fixture
def tables(example_db: Database, example_unit_id: int) -> BudgetTables:
    with example_db.session() as s:
        return build_tables(s, example_unit_id, 2023)


def test_staffing_and_control_rate(tables: BudgetTables) -> None:
    base = tables.base
    assert (base.staff_quota, base.staff_actual, base.staff_rate) == (61, 59, D("0.9672"))
    assert base.title == "2023年度部门整体支出绩效评价基础数据表"


def test_department_funds_rate_and_score(tables: BudgetTables) -> None:
    funds = tables.department.funds
    assert (funds.initial, funds.full, funds.executed) == (D("801.08"), D("951.90"), D("951.90"))
    assert (funds.weight, funds.rate, funds.score) == (10, D("1.0000"), D("10.00"))


def test_department_splits_add_up(tables: BudgetTables) -> None:
    dept = tables.department
    assert [r.amount for r in dept.income] == [D("885.94"), D("0"), D("0"), D("65.96")]
    assert dept.split("basic").amount == D("592.17")
    assert (dept.split("personnel").amount, dept.split("public").amount) == (D("572.61"), D("19.56"))
    # 项目支出 is drawn from the projects (全年执行数), never typed
    assert dept.split("projects").amount == D("359.73") and dept.split("projects").derived
    assert D("592.17") + D("359.73") == dept.funds.executed


def test_department_total_is_99_5(tables: BudgetTables) -> None:
    ind = tables.department.indicators
    assert (ind.total_weight, ind.total, ind.grade) == (D(100), D("99.5"), "优")
    [acceptance] = [r for r in ind.rows if r.name == "办理项目竣工验收率"]
    assert (acceptance.weight, acceptance.score, acceptance.suggested, acceptance.typed) == (
        D(1),
        D("0.5"),
        D("0.45"),
        True,
    )
    assert acceptance.reason.startswith("根据市场实际情况")
    assert [(g.header(), g.allocated, g.score) for g in ind.groups] == [
        ("产出指标(30分)", 30, D("29.5")),
        ("效益指标(30分)", 30, 30),
        ("满意度指标(10分)", 10, 10),
        ("成本指标(20分)", 20, 20),
    ]


def test_the_three_project_tables(tables: BudgetTables) -> None:
    got = {
        p.name: (p.funds.initial, p.funds.full, p.funds.executed, p.funds.score, p.indicators.total)
        for p in tables.projects
    }
    assert got == {
        "质量安全监督管理专项": (D(20), D(20), D(20), D(10), D(100)),
        "招投标监督管理专项": (D(5), D(5), D(5), D(10), D(100)),
        "工作经费": (D(325), D("334.74"), D("334.73"), D(10), D("99.5")),
    }
    work = tables.project("工作经费")
    assert work is not None
    assert work.funds.rate == D("1.0000")  # 334.73 / 334.74 = 99.997%
    headers = [g.header() for g in work.indicators.groups]
    assert headers == ["产出指标(30分)", "效益指标(40分)", "满意度指标(10分)", "成本指标(10分)"]
    assert sum(1 for r in work.indicators.rows if r.not_applicable) == 2
    tender = tables.project("招投标监督管理专项")
    assert tender is not None and tender.indicators.total == 100  # the seed left it blank


def test_projects_totals_quoted_by_the_reports(tables: BudgetTables) -> None:
    pf = tables.projects_funds
    assert (pf.initial, pf.full, pf.executed) == (D(350), D("359.74"), D("359.73"))


def test_base_table_rows_are_drawn_from_the_projects_and_last_year(tables: BudgetTables) -> None:
    base = tables.base
    row = base.row

    special = row("kind:县级专项资金")
    assert special is not None and (special.prior, special.budget, special.actual) == (
        D("12.52"),
        D(350),
        D("359.73"),
    )
    quality, tender, work = (
        row("project:质量安全监督管理专项"),
        row("project:招投标监督管理专项"),
        row("project:工作经费"),
    )
    assert quality is not None and (quality.budget, quality.actual) == (D(20), D(20))
    assert tender is not None and (tender.budget, tender.actual) == (D(5), D(5))
    assert work is not None and (work.budget, work.actual) == (D(325), D("334.73"))
    last_year = row("project:智慧平台服务及专用检测费")
    assert last_year is not None and (last_year.prior, last_year.prior_source, last_year.budget) == (
        D("12.52"),
        "carried",
        None,
    )
    reception = row("reception")
    assert reception is not None
    assert (reception.prior, reception.prior_source, reception.budget, reception.actual) == (
        D("0.12"),
        "carried",
        D("5.80"),
        D("0"),
    )
    three = row("three_public")
    assert three is not None and (three.prior, three.budget, three.actual, three.typed) == (
        D("0.12"),
        D("5.80"),
        D(0),
        frozenset(),
    )
    public = row("public")
    assert public is not None and public.actual == D("19.56")  # the department's 公用经费
    assert [row(c).actual for c in ("office", "utilities", "meetings", "procurement")] == [  # type: ignore[union-attr]
        D("7.88"),
        D("23.16"),
        D("1.69"),
        D("59.70"),
    ]
    assert base.has_prior_year


def test_a_project_figure_is_typed_once(example_db: Database, example_unit_id: int) -> None:
    # WHEN the 质量安全 project's amounts change
    with example_db.session() as s:
        data = load_year(s, example_unit_id, 2023)
    data.project_named("质量安全监督管理专项").current = Funds(D(20), D(22), D(21))  # type: ignore[union-attr]
    save_year(example_db, example_unit_id, 2023, data)
    # THEN the project table, the base table and the department table all follow
    with example_db.session() as s:
        tables = build_tables(s, example_unit_id, 2023)
    assert tables.project("质量安全监督管理专项").funds.executed == D(21)  # type: ignore[union-attr]
    assert tables.base.row("project:质量安全监督管理专项").actual == D(21)  # type: ignore[union-attr]
    assert tables.department.split("projects").amount == D("360.73")
    assert tables.projects_funds.full == D("361.74")


def test_typed_prior_replaces_the_carried_one(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        data = load_year(s, example_unit_id, 2023)
        ctx = load_context(s, example_unit_id, 2023)
    data.control["reception"].prior = D("0.2")
    row = compute_tables(data, ctx).base.row("reception")
    assert row is not None and (row.prior, row.prior_source, row.carried) == (D("0.2"), "typed", D("0.12"))


def test_without_last_year_nothing_is_carried() -> None:
    from app.example_data.budget import example_2023

    tables = compute_tables(example_2023(), BudgetContext(2023, prior_actuals=None))
    row = tables.base.row("reception")
    assert row is not None and (row.prior, row.prior_source) == (None, "")
    assert tables.base.row("project:智慧平台服务及专用检测费") is None


def test_execution_score_is_capped_at_its_weight_and_total_needs_every_score() -> None:
    from app.example_data.budget import example_2023

    data = example_2023()
    data.take_totals(Funds(D(100), D(100), D(80)))
    tables = compute_tables(data, BudgetContext(2023))
    assert (tables.department.funds.rate, tables.department.funds.score) == (D("0.8000"), D("8.00"))
    data.take_totals(Funds(D(100), D(100), D(120)))
    assert compute_tables(data, BudgetContext(2023)).department.funds.score == D(10)
    data.indicators.append(Indicator("产出指标", "数量指标", "新指标", "10个", "", D(1)))
    table = compute_tables(data, BudgetContext(2023)).department.indicators
    assert table.total is None and table.missing_scores == (len(data.indicators) - 1,)


def test_low_execution_caps_the_total_under_a_capped_rule_set() -> None:
    from app.example_data.budget import example_2023

    data = example_2023()
    data.rule_set = "national_capped"
    data.take_totals(Funds(D(100), D(100), D(65)))
    ind = compute_tables(data, BudgetContext(2023)).department.indicators
    assert ind.total == 79 and ind.raw_total is not None and ind.raw_total > 79
    assert "不超过79分" in ind.cap_note
