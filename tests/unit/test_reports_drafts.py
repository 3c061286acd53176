"""Drafted paragraphs: the seeds' sentences with placeholders, worded by the figures' values — a clause
left out when its figure is blank, “本单位无…安排的支出” when an amount is zero."""

from __future__ import annotations

from decimal import Decimal

from app.registry import Figure
from app.services.reports import drafts
from app.services.reports.definitions import REPORTS
from app.services.reports.figures import FigureGroup, FigureSet, fill
from app.services.reports.outline import draft_text


def money(key: str, label: str, value: str) -> Figure:
    amount = Decimal(value)
    text = f"{amount:.2f}".removesuffix(".00")
    return Figure(key, label, text, "万元", amount)


def count(key: str, label: str, value: int, unit: str = "个") -> Figure:
    return Figure(key, label, str(value), unit, value)


def figure_set(*groups: tuple[str, str, tuple[Figure, ...]]) -> FigureSet:
    return FigureSet([FigureGroup(key, title, figures) for key, title, figures in groups])


YEAR = ("unit", "单位信息", (Figure("unit.year", "年度", "2023", "年", 2023),))


def filled(draft, figures: FigureSet) -> str:
    result = fill(draft(figures), figures)
    assert result.ok and not result.empty
    return result.text


def test_without_figures_a_draft_offers_nothing_rather_than_unknown_placeholders() -> None:
    sections = [s for r in REPORTS for s in r.all_sections() if s.draft is not None]
    assert len(sections) >= 28
    for section in sections:
        text = draft_text(section, FigureSet([]))
        assert text is None or "【" not in text, (section.key, text)


def test_nothing_spent_reads_as_the_seed_and_an_amount_is_stated() -> None:
    zero = figure_set(
        YEAR, ("budget", "预算绩效", (money("budget.gov_fund_expenditure", "政府性基金预算支出", "0"),))
    )
    assert drafts.gov_fund(zero) == "【年度】年度本单位无政府性基金安排的支出。"
    assert filled(drafts.gov_fund, zero) == "2023年度本单位无政府性基金安排的支出。"
    some = figure_set(
        YEAR,
        ("budget", "预算绩效", (money("budget.state_capital_expenditure", "国有资本经营预算支出", "12.5"),)),
    )
    assert filled(drafts.state_capital, some) == "2023年度本单位国有资本经营预算支出12.50万元。"
    # not entered at all: no draft (the section is then “尚未填写”)
    assert drafts.social_insurance(figure_set(YEAR)) == ""


def test_project_spending_states_what_was_spent_only_where_it_differs() -> None:
    def projects(total_executed: str, second_executed: str) -> FigureSet:
        return figure_set(
            YEAR,
            (
                "budget",
                "预算绩效",
                (
                    money("budget.projects_budget", "项目支出全年预算数", "25"),
                    money("budget.projects_executed", "项目支出全年执行数", total_executed),
                    count("budget.project_count", "一级项目个数", 2),
                    Figure("budget.project1.name", "项目1名称", "质量安全监督管理专项"),
                    money("budget.project1.full_budget", "项目1全年预算数", "20"),
                    money("budget.project1.executed", "项目1全年执行数", "20"),
                    Figure("budget.project2.name", "项目2名称", "招投标监督管理专项"),
                    money("budget.project2.full_budget", "项目2全年预算数", "5"),
                    money("budget.project2.executed", "项目2全年执行数", second_executed),
                ),
            ),
        )

    assert filled(drafts.project_expenditure, projects("25", "5")).startswith("2023年项目支出数为25万元，")
    text = filled(drafts.project_expenditure, projects("24.5", "4.5"))
    assert text.startswith("2023年项目支出全年预算数为25万元，实际支出24.50万元，")
    assert text.endswith("其中：质量安全监督管理专项20万元，招投标监督管理专项5万元（实际支出4.50万元）。")


def test_safety_clauses_without_figures_are_left_out() -> None:
    figures = figure_set(
        (
            "safety",
            "安全监督",
            (
                count("safety.projects.house.count", "监管房屋工程项目", 12),
                Figure("safety.projects.house.area", "总建筑面积", "", "万平方米", None),
                count("safety.inspections.special", "专项检查", 0, "次"),
                count("safety.inspections.projects", "受检项目", 5),
                count("safety.inspections.checks", "检查项目", 9, "次"),
                count("safety.documents.stop_work", "停工整改通知书", 2, "份"),
            ),
        )
    )
    assert filled(drafts.performance_safety, figures) == (
        "全年监管房屋工程项目12个。\n对5个项目进行了9次检查，共下发停工整改通知书2份。"
    )


def test_petitions_distinguish_received_from_accepted_and_leave_out_a_missing_trend() -> None:
    figures = figure_set(
        YEAR,
        (
            "petitions",
            "信访",
            (
                count("petitions.total", "信访件总数", 42, "件"),
                Figure("petitions.by_channel_text", "按渠道分列", "信访局转办5件、市长热线11件"),
                count("petitions.accepted", "受理件数", 40, "件"),
                Figure("petitions.closed_rate", "办结率", "100%", "", Decimal(1)),
                count("petitions.visitors", "接待来访人次", 0, "人次"),
                Figure("petitions.yoy_text", "同比变化", "—", "", None),
            ),
        ),
    )
    text = filled(drafts.safety_petitions, figures)
    assert text.endswith(
        "2023年，共收到群众来信来访、投诉42件（其中：信访局转办5件、市长热线11件），依法受理40件，办结率100%。"
    )
    assert "接待" not in text and "同比" not in text


def test_a_quarter_without_workload_figures_has_no_fire_or_self_built_draft() -> None:
    figures = figure_set(
        (
            "scope",
            "本季度",
            (
                Figure("quarter.name", "季度", "第二季度", "", 2),
                count("quarter.inspections.projects", "受检项目", 65),
                count("quarter.hazards.found", "排查隐患", 707, "条"),
                count("quarter.documents.rectify_notice", "下发隐患整改通知书", 75, "份"),
                count("quarter.documents.stop_work", "下发停工整改通知书", 0, "份"),
                Figure("quarter.work.fire.design.accepted", "受理消防设计审查", "", "项", None),
            ),
        )
    )
    assert filled(drafts.quarter_inspections, figures) == (
        "第二季度累计检查65项房屋市政工程，排查治理质量安全隐患707条，下发限期整改通知书75份。"
    )
    assert drafts.quarter_fire_review(figures) == ""
    assert drafts.quarter_self_built(figures) == ""
    assert drafts.quarter_complaints(figures) == ""


def test_project_text_figures_end_their_sentence_once() -> None:
    figures = figure_set(
        (
            "scope",
            "本项目",
            (
                Figure("project.goal", "年度总体目标（预期目标）", "确保全年零事故。"),
                Figure("project.result", "年度总体目标（实际完成情况）", "任务已完成"),
            ),
        )
    )
    assert (
        filled(drafts.project_goals, figures) == "本年度绩效目标：确保全年零事故。实际完成情况：任务已完成。"
    )
