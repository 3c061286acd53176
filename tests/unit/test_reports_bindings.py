"""What the reports take from the budget, safety and registers modules for the example unit: the
scopes (projects, quarters, 巡察), their figures, the sections made from the 巡察 register, and how
a project's prose follows it into a new year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from app.db import Database
from app.models.registers import Inspection, RectificationMeasure
from app.registry import default_registry
from app.services.reports import bindings
from app.services.reports.build import open_report
from app.services.reports.definitions import RECTIFICATION_PROGRESS
from app.services.reports.prose import carried_placeholders, load_sections
from app.services.unit import add_year


def texts(figures) -> dict[str, str]:
    return {f.key: f.text for f in figures}


def test_each_quarter_with_records_is_a_scope_with_its_own_statistics(
    example_db: Database, example_unit_id: int
) -> None:
    with example_db.session() as s:
        assert [bindings.quarter_has_data(s, example_unit_id, 2023, q) for q in (1, 2, 3, 4)] == [True] * 4
        assert not bindings.quarter_has_data(s, example_unit_id, 2021, 1)
        q1 = texts(bindings.quarter_safety_figures(s, example_unit_id, 2023, 1))
    # seed 002's figures: 47 projects checked, 49 hazards, 3 notices; 消防 29/26, 21/18, 55 = 45 + 10;
    # 自建房 95.34%, 96.41% (5th), 15.49% (8th); complaints 6/6; information 6/1
    expected = {
        "quarter.inspections.projects": "47",
        "quarter.hazards.found": "49",
        "quarter.documents.rectify_notice": "3",
        "quarter.work.fire.design.accepted": "29",
        "quarter.work.fire.design.completed": "26",
        "quarter.work.fire.acceptance.accepted": "21",
        "quarter.work.fire.acceptance.completed": "18",
        "quarter.work.fire.filing.accepted": "55",
        "quarter.work.fire.filing.sampled": "45",
        "quarter.work.fire.filing.not_sampled": "10",
        "quarter.work.selfbuilt.survey_rate": "95.34%",
        "quarter.work.selfbuilt.review_rate": "96.41%",
        "quarter.work.selfbuilt.review_rank": "5",
        "quarter.work.selfbuilt.fix_rate": "15.49%",
        "quarter.work.selfbuilt.fix_rank": "8",
        "quarter.work.complaints.accepted": "6",
        "quarter.work.complaints.completed": "6",
        "quarter.work.info.reported": "6",
        "quarter.work.info.adopted": "1",
        "quarter.work_as_of": "3月31日",
    }
    assert {key: q1.get(key) for key in expected} == expected
    assert q1["quarter.inspections.projects.yoy"] == "同比下降27.7%"


def test_the_inspection_is_a_scope_with_its_dates_and_progress(
    example_db: Database, example_unit_id: int
) -> None:
    with example_db.session() as s:
        inspection_id = s.scalar(select(Inspection.id))
        (scope,) = bindings.inspections(s, example_unit_id, 2023)
        assert bindings.inspections(s, example_unit_id, 2022) == []  # fed back in 2023
        figures = texts(bindings.inspection_figures(s, example_unit_id, 2023, inspection_id))
        # the progress as of the report's date: here 31 December 2023, the day `check` counts at
        sections = bindings.inspection_sections(s, example_unit_id, 2023, inspection_id, date(2023, 12, 31))
    assert scope.key == f"inspection:{inspection_id}"
    assert scope.label == "市委第二巡察组工程建设和房地产领域专项巡察"
    assert figures["inspection.period"] == "2022年11月28日至2022年12月30日"
    assert figures["inspection.feedback_date"] == "2023年1月20日"
    assert figures["inspection.summary"] == "3个方面12个主要问题"
    assert (
        figures["inspection.done"],
        figures["inspection.long_term"],
        figures["inspection.in_progress"],
    ) == (
        "9",
        "3",
        "3",
    )
    assert figures["inspection.completion_rate"] == "75%"
    assert [s.title for s in sections] == [
        "学习贯彻落实党中央、省委、市委工程建设和房地产领域决策部署，切实履行领导责任",
        "履行工程建设监管职责",
        "防范化解风险、维护群众切身利益",
    ]
    assert [len(s.children) for s in sections] == [4, 5, 3]
    overdue = sections[1].children[0]
    assert overdue.title == "着力解决重点项目推进协调不力，“围而不建”现象仍有发生的问题"
    assert overdue.text.startswith("一是积极组织项目推进") and "；二是加强部门协同" in overdue.text
    assert overdue.text.endswith("该问题正在整改中，已逾期61天（整改时限为2023年10月31日），正加快推进。")


def test_a_phone_typed_into_a_measure_is_masked_in_the_report(
    example_db: Database, example_unit_id: int
) -> None:
    with example_db.transaction() as s:
        measure = s.scalars(select(RectificationMeasure).order_by(RectificationMeasure.id)).first()
        s.execute(
            update(RectificationMeasure)
            .where(RectificationMeasure.id == measure.id)
            .values(text="联系群众13812345678核实诉求")
        )
    with example_db.session() as s:
        inspection_id = s.scalar(select(Inspection.id))
        first = bindings.inspection_sections(s, example_unit_id, 2023, inspection_id)[0].children[0]
    assert "138****5678" in first.text and "13812345678" not in first.text


def test_a_inspection_report_quotes_its_own_inspection_not_the_latest(
    example_db: Database, example_unit_id: int
) -> None:
    with example_db.session() as s:
        (scope,) = bindings.inspections(s, example_unit_id, 2023)
        instance = open_report(
            s, default_registry(), example_unit_id, 2023, RECTIFICATION_PROGRESS, scope.key
        )
    groups = [g.key for g in instance.figures.groups]
    assert "rectification" not in groups and groups[-1] == "scope"
    assert instance.figures.placeholder("inspection.team") == "【巡察组】"  # unique: no qualifier needed


def test_projects_are_scopes_with_their_figures_and_indicators(
    example_db: Database, example_unit_id: int
) -> None:
    with example_db.session() as s:
        scopes = bindings.projects(s, example_unit_id, 2023)
        assert [p.label for p in scopes] == ["质量安全监督管理专项", "招投标监督管理专项", "工作经费"]
        work = int(scopes[2].key.removeprefix("project:"))
        figures = texts(bindings.project_figures(s, example_unit_id, 2023, work))
        assert bindings.project_figures(s, example_unit_id, 2023, 999999) == []
    assert (figures["project.budget_total"], figures["project.spent"], figures["project.rate"]) == (
        "334.74",
        "334.73",
        "100.00%",
    )
    assert (figures["project.score"], figures["project.grade"]) == ("99.5", "优")
    assert (figures["project.output_weight"], figures["project.output_score"]) == ("30", "29.5")
    assert figures["project.output_count"] == "19"
    assert (
        "办理项目竣工验收率（指标值60个，完成值27个，分值1分，得分0.5分，偏差原因：根据市场实际情况，"
        "全年只有27个项目，已全部办理竣工验收）"
    ) in figures["project.output_indicators"]
    assert figures["project.benefit_indicators"].startswith("经济效益指标：提高人居生活质量（")


def test_a_projects_prose_follows_the_project_into_the_new_year(
    example_db: Database, example_unit_id: int
) -> None:
    add_year(example_db, example_unit_id, 2024, carry_from=2023, registry=default_registry())
    with example_db.session() as s:
        new = {p.label: p.key for p in bindings.projects(s, example_unit_id, 2024)}
        old = {p.label: p.key for p in bindings.projects(s, example_unit_id, 2023)}
        assert set(new) == set(old) and new != old  # the same projects, new ids
        tender = load_sections(s, example_unit_id, 2024, "project_eval", new["招投标监督管理专项"])
    work = tender["work"]
    assert work.carried_from == 2023
    # a placeholder that names last year's figure by its year now names the new year's
    assert work.text.startswith("【年度】年建筑工程公开招标项目共计【公开招标项目（2024年）】个")


def test_carried_placeholders_change_the_year_inside_placeholders_only() -> None:
    text = "2023年共【公开招标项目（2023年）】个，见【编制数】。"
    assert carried_placeholders(text, 2023, 2024) == "2023年共【公开招标项目（2024年）】个，见【编制数】。"
