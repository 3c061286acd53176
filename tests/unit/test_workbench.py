"""工作台 (app.services.workbench) on the example unit: to-do lines and chart figures, checked
against the statistics the exports use and against direct queries."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from app.checks import run_checks
from app.db import Database
from app.models.budget import BudgetProject
from app.models.safety import SafetyHazard
from app.services import workbench as wb
from app.services.budget.compute import build_tables
from app.services.registers.petition_stats import petition_stats, petition_totals
from app.services.registers.petitions import petition_badge
from app.services.registers.rectification import rectification_badge
from app.services.reports.checks import parse_target_record
from app.services.safety.inspections import overdue_count
from app.services.safety.lists import HazardFilter, hazard_summary
from app.services.safety.stats import period_statistics

TODAY = date(2024, 1, 20)


@pytest.fixture
def unit_id(example_unit_id: int) -> int:
    return example_unit_id


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def test_time_elapsed() -> None:
    assert wb.time_elapsed(2023, TODAY) == 1
    assert wb.time_elapsed(2025, TODAY) == 0
    assert wb.time_elapsed(2024, date(2024, 7, 1)) == Decimal("0.5000")  # day 183 of 366
    assert wb.time_elapsed(2023, date(2023, 12, 31)) == 1


def test_hazard_months_are_the_period_statistics_of_each_month(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        result = wb.workbench(session, unit_id, 2023, TODAY)
        chart = result.chart(wb.HAZARD_MONTHS)
        assert [s.name for s in chart.series] == ["2023年排查", "2023年整改", "2022年排查", "2022年整改"]
        for series, year in ((0, 2023), (2, 2022)):
            for month in range(1, 13):
                stats = period_statistics(session, unit_id, *_month(year, month))
                assert chart.value(series, month - 1) == stats.hazards_found
                assert chart.value(series + 1, month - 1) == stats.hazards_rectified
        whole = period_statistics(session, unit_id, date(2023, 1, 1), date(2023, 12, 31))
        assert sum(chart.series[0].values) == whole.hazards_found
        assert sum(chart.series[1].values) == whole.hazards_rectified
        # June 2023, counted here without the app's queries
        june = session.scalar(
            text(
                "SELECT count(*) FROM safety_hazard WHERE unit_id = :u "
                "AND found_on BETWEEN '2023-06-01' AND '2023-06-30'"
            ),
            {"u": unit_id},
        )
    assert june == 345
    assert chart.value(0, 5) == 345


def test_hazard_categories_are_the_year_statistics(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        chart = wb.workbench(session, unit_id, 2023, TODAY).chart(wb.HAZARD_CATEGORIES)
        stats = period_statistics(session, unit_id, date(2023, 1, 1), date(2023, 12, 31))
        falls = session.scalar(
            select(func.count())
            .select_from(SafetyHazard)
            .where(
                SafetyHazard.unit_id == unit_id,
                SafetyHazard.category == "高处坠落",
                SafetyHazard.found_on.between(date(2023, 1, 1), date(2023, 12, 31)),
            )
        )
    assert dict(zip(chart.categories, chart.series[0].values, strict=True)) == stats.hazards_by_category
    assert chart.categories[0] == "高处坠落" and chart.value(0, 0) == falls == 314


def test_petition_charts_are_the_petition_statistics(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        result = wb.workbench(session, unit_id, 2023, TODAY)
        months = result.chart(wb.PETITION_MONTHS)
        for month in range(1, 13):
            totals = petition_totals(session, unit_id, *_month(2023, month))
            assert months.value(0, month - 1) == totals.total
            assert months.value(1, month - 1) == totals.closed
        stats = petition_stats(session, unit_id, date(2023, 1, 1), date(2023, 12, 31), as_of=TODAY)
        june = session.scalar(
            text(
                "SELECT count(*) FROM petition WHERE unit_id = :u "
                "AND received_on BETWEEN '2023-06-01' AND '2023-06-30'"
            ),
            {"u": unit_id},
        )
    channels = result.chart(wb.PETITION_CHANNELS)
    assert dict(zip(channels.keys, channels.series[0].values, strict=True)) == {
        c.label: c.count for c in stats.by_channel if c.count
    }
    assert sum(months.series[0].values) == stats.total == 284
    assert months.value(0, 5) == june == 39
    assert channels.value(0, channels.categories.index("12345热线/信箱")) == 239


def test_budget_chart_is_the_execution_rate_of_the_tables(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        chart = wb.workbench(session, unit_id, 2023, TODAY).chart(wb.BUDGET_RATES)
        tables = build_tables(session, unit_id, 2023)
    assert chart.categories == tuple(p.name for p in tables.projects)
    assert chart.series[0].values == tuple(p.funds.rate for p in tables.projects)
    assert chart.categories == ("质量安全监督管理专项", "招投标监督管理专项", "工作经费")
    assert chart.reference == 1 and chart.reference_label == "时间进度 100.00%"


def test_budget_line_lists_projects_behind_the_time_elapsed(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        assert wb.workbench(session, unit_id, 2023, TODAY).todo(wb.BUDGET).count == 0
    with example_db.session() as session, session.begin():
        project = session.scalars(select(BudgetProject).where(BudgetProject.name == "工作经费")).one()
        for source in ("current", "carry", "other"):
            full = getattr(project, f"{source}_full")
            setattr(project, f"{source}_executed", None if full is None else full / 2)
        project_id = project.id
    with example_db.session() as session:
        line = wb.workbench(session, unit_id, 2023, TODAY).todo(wb.BUDGET)
        rate = next(p.funds.rate for p in build_tables(session, unit_id, 2023).projects if p.id == project_id)
        # In the middle of the year, 50 % is on time
        midyear = wb.workbench(session, unit_id, 2023, date(2023, 6, 1)).todo(wb.BUDGET)
    assert rate == Decimal("0.5000")
    assert (line.count, line.ids) == (1, (project_id,))
    assert line.items == ("工作经费 50.00%",) and line.detail == "执行率低于时间进度 100.00%"
    assert midyear.count == 0  # day 152 of 365 = 41.64 %


def test_deadline_lines_match_the_navigation_badges(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        result = wb.workbench(session, unit_id, 2023, TODAY)
        hazards = result.todo(wb.HAZARDS)
        overdue = overdue_count(session, unit_id, 2023, TODAY)
        open_ids = set(
            session.scalars(
                select(SafetyHazard.id).where(
                    SafetyHazard.unit_id == unit_id,
                    SafetyHazard.rectified_on.is_(None),
                    SafetyHazard.deadline <= date(2024, 1, 26),
                )
            )
        )
        assert result.todo(wb.RECTIFICATION).count == rectification_badge(session, unit_id, 2023, TODAY) == 3
        assert result.todo(wb.PETITIONS).count == petition_badge(session, unit_id, 2023, TODAY) == 0
    assert hazards.count == overdue == 19 and hazards.detail == "已逾期 19 条"
    assert set(hazards.ids) == open_ids and hazards.urgent
    assert hazards.items[0] == "神鼎山学生公寓项目：高支模立杆间距不符合专项方案"
    assert result.todo(wb.RECTIFICATION).items[0] == "容缺审批材料补齐不及时"
    # The year does not matter: deadlines know no year, as in the badges
    with example_db.session() as session:
        assert wb.workbench(session, unit_id, 2022, TODAY).todo(wb.HAZARDS) == hazards


def test_check_lines_from_the_year_checks(example_db: Database, unit_id: int) -> None:
    findings = run_checks(example_db, unit_id, 2022)
    lines = wb.check_lines(findings, unit_id, 2022)
    sections, errors = lines.todos
    assert (sections.kind, errors.kind) == (wb.REPORTS, wb.CHECKS)
    assert sections.count == sum(1 for f in findings if f.message == "尚未填写") == 46
    assert errors.count == sum(1 for f in findings if f.level == "错误") == 7 and errors.urgent
    report_key, _scope, section = parse_target_record(sections.targets[0])
    assert report_key and section
    assert sections.items[0].startswith("部门整体支出绩效自评报告 › ")
    assert wb.year_check_lines(example_db, unit_id, 2023).todos[1].count == 0


def test_chart_records_are_the_records_behind_a_bar(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        kind, june = wb.chart_records(session, unit_id, 2023, wb.HAZARD_MONTHS, 0, 6)
        _k, june_last_year = wb.chart_records(session, unit_id, 2023, wb.HAZARD_MONTHS, 2, 6)
        _k, falls = wb.chart_records(session, unit_id, 2023, wb.HAZARD_CATEGORIES, 0, "高处坠落")
        pkind, hotline = wb.chart_records(session, unit_id, 2023, wb.PETITION_CHANNELS, 0, "12345热线/信箱")
        _k, closed_june = wb.chart_records(session, unit_id, 2023, wb.PETITION_MONTHS, 1, 6)
        # the hazard list narrowed to those ids counts them again
        summary = hazard_summary(session, unit_id, HazardFilter(ids=tuple(june)), TODAY)
    assert (kind, len(june), len(june_last_year), len(falls)) == (wb.HAZARDS, 345, 146, 314)
    assert (pkind, len(hotline), len(closed_june)) == (wb.PETITIONS, 239, 39)
    assert summary.total == 345


def test_an_id_list_longer_than_sqlite_parameters(example_db: Database, unit_id: int) -> None:
    with example_db.session() as session:
        every = list(session.scalars(select(SafetyHazard.id).where(SafetyHazard.unit_id == unit_id)))
        ids = tuple(range(1, 40_001))  # 40,000 ids: more than SQLite's 32,766 parameters
        summary = hazard_summary(session, unit_id, HazardFilter(ids=ids), TODAY)
    assert summary.total == sum(1 for i in every if i <= 40_000)


def test_an_empty_unit_has_nothing_to_do(db: Database) -> None:
    from app.services.unit import create_unit

    unit_id = create_unit(db, "空白单位", 2024)
    with db.session() as session:
        result = wb.workbench(session, unit_id, 2024, TODAY)
    assert not result.has_records
    assert all(line.count == 0 for line in result.todos)
    assert all(chart.is_empty for chart in result.charts)
    assert result.chart(wb.BUDGET_RATES).categories == ()
