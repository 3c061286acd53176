"""The example unit's 信访 and 巡察 figures, reproduced from the data (seeds 003 and 001)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.db import Database
from app.models.registers import PROBLEM_DONE, PROBLEM_IN_PROGRESS, PROBLEM_LONG_TERM, PROBLEM_NOT_STARTED
from app.registry import default_registry
from app.services.registers.petition_stats import petition_stats
from app.services.registers.rectification import latest_inspection_id, rectification_progress

YEAR_END = date(2023, 12, 31)


def test_2023_petitions_reproduce_seed_003(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        stats = petition_stats(s, example_unit_id, date(2023, 1, 1), YEAR_END, as_of=YEAR_END)
    # "全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、舆情11件、信访26件、市长信箱8件）"
    assert stats.total == 284
    assert [(c.label, c.count) for c in stats.by_group if c.count] == [
        ("12345信箱", 239),
        ("舆情", 11),
        ("信访", 26),
        ("市长信箱", 8),
    ]
    assert stats.group_text() == "12345信箱239件、舆情11件、信访26件、市长信箱8件"
    assert (
        stats.channel("来信"),
        stats.channel("来访"),
        stats.channel("网上信访"),
        stats.channel("信访局转办"),
    ) == (
        5,
        13,
        5,
        3,
    )
    # "办理施工扰民、工程款结算、交房问题等各类交办件25件" — within the 284, counted apart
    assert stats.assignment("巡视交办") == 25 and stats.assigned == 25
    # "做到件件有回复"
    assert (stats.accepted, stats.closed, stats.closed_rate) == (284, 284, Decimal("1.0000"))
    assert (stats.closed_on_time, stats.on_time_rate) == (281, Decimal("0.9894"))
    assert sum(c.count for c in stats.by_category) == 284
    assert stats.category("房屋质量") == 86 and stats.category("施工扰民") == 61
    assert (stats.visits, stats.visitors, stats.visitors_individual, stats.visitors_group) == (13, 62, 13, 49)
    assert (stats.group_visits, stats.repeat_visits) == (4, 3)
    assert stats.previous is not None and stats.previous.total == 236
    assert stats.yoy_text == "同比上升20.3%"


def test_2022_petitions_are_the_base_of_the_comparison(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        stats = petition_stats(s, example_unit_id, date(2022, 1, 1), date(2022, 12, 31), as_of=YEAR_END)
    assert stats.total == 236
    assert stats.group_text() == "12345信箱198件、舆情9件、信访22件、市长信箱7件"
    assert (stats.closed_rate, stats.on_time_rate) == (Decimal("1.0000"), Decimal("0.9915"))
    assert stats.assigned == 0
    assert stats.previous is not None and stats.previous.total == 0 and stats.yoy_text == ""


def test_the_inspection_follows_seed_001(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        p = rectification_progress(s, latest_inspection_id(s, example_unit_id), YEAR_END)
    assert (p.name, p.team, p.feedback_on) == (
        "工程建设和房地产领域专项巡察",
        "市委第二巡察组",
        date(2023, 1, 20),
    )
    assert (p.start_on, p.end_on) == (date(2022, 11, 28), date(2022, 12, 30))
    # "3个方面12个主要问题"
    assert p.aspect_count == 3 and p.total == 12
    assert [a.total for a in p.aspects] == [4, 5, 3]
    assert p.by_state == {
        PROBLEM_NOT_STARTED: 0,
        PROBLEM_IN_PROGRESS: 3,
        PROBLEM_DONE: 6,
        PROBLEM_LONG_TERM: 3,
    }
    assert (p.done, p.closed, p.completion_rate) == (9, 5, Decimal("0.7500"))
    assert [x.number for x in p.overdue] == [5, 10]
    first = p.problems[0]
    assert len(first.measures) == 4 and first.measures[1].startswith(
        "以“保投资、保重点、保民生、保品质”为原则"
    )


def test_figures_for_reports(example_db: Database, example_unit_id: int) -> None:
    sources = {source.key: source for source in default_registry().figure_sources}
    with example_db.session() as s:
        petitions = {f.key: f for f in sources["petitions"].provide(s, example_unit_id, 2023)}
        rectification = {f.key: f for f in sources["rectification"].provide(s, example_unit_id, 2023)}
    texts = {key: (f.text, f.unit) for key, f in petitions.items()}
    assert texts["petitions.total"] == ("284", "件")
    assert texts["petitions.by_channel_text"][0] == "12345信箱239件、舆情11件、信访26件、市长信箱8件"
    assert texts["petitions.channel.12345信箱"] == ("239", "件")
    assert texts["petitions.assigned_by_inspection"] == ("25", "件")
    assert texts["petitions.closed_rate"] == ("100%", "")
    assert texts["petitions.on_time_rate"] == ("98.94%", "")
    assert texts["petitions.visitors"] == ("62", "人次")
    assert texts["petitions.visitors_individual"] == ("13", "人次")
    assert texts["petitions.visitors_group"] == ("49", "人次")
    assert texts["petitions.yoy_text"] == ("同比上升20.3%", "")
    assert petitions["petitions.total"].value == 284
    assert petitions["petitions.summary_text"].text == (
        "全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、舆情11件、信访26件、市长信箱8件），"
        "办结率100%，同比上升20.3%。"
    )
    r = {key: (f.text, f.unit) for key, f in rectification.items()}
    assert r["rectification.summary_text"] == ("3个方面12个主要问题", "")
    assert r["rectification.period"] == ("2022年11月28日至2022年12月30日", "")
    assert r["rectification.feedback_date"] == ("2023年1月20日", "")
    assert r["rectification.done"] == ("9", "项")
    assert r["rectification.completion_rate"] == ("75%", "")
    assert r["rectification.closed"] == ("5", "项")
    assert r["rectification.overdue"] == ("2", "项")  # counted at 31 December 2023


def test_checks_flag_the_overdue_problems(example_db: Database, example_unit_id: int) -> None:
    from app.checks import run_checks

    findings = run_checks(example_db, example_unit_id, 2023)
    mine = [f for f in findings if f.table in ("信访登记", "巡察整改")]
    assert [f.text() for f in mine] == [
        "[警告] 巡察整改 › 问题5：重点项目推进协调不力，“围而不建”现… › 整改时限：已超过整改时限61天",
        "[警告] 巡察整改 › 问题10：容缺审批材料补齐不及时 › 整改时限：已超过整改时限184天",
    ]
    assert mine[0].target is not None and mine[0].target.page == "rectification"


def test_progress_counts_in_sql_agree_with_the_full_progress(
    example_db: Database, example_unit_id: int
) -> None:
    from app.services.registers.rectification import progress_counts

    with example_db.session() as s:
        inspection_id = latest_inspection_id(s, example_unit_id)
        full = rectification_progress(s, inspection_id, YEAR_END)
        counts = progress_counts(s, inspection_id, YEAR_END)
    assert (counts.aspect_count, counts.total, counts.done, counts.closed) == (3, 12, 9, 5)
    assert counts.by_state == full.by_state and counts.completion_rate == full.completion_rate
    assert counts.overdue == len(full.overdue) == 2
    assert [(title, sum(c.values())) for title, c in counts.by_aspect] == [
        (a.title, a.total) for a in full.aspects
    ]
    assert counts.by_aspect[2][1] == {PROBLEM_IN_PROGRESS: 1, PROBLEM_LONG_TERM: 1, PROBLEM_DONE: 1}
