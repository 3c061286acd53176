"""Named figures for reports: the year's 信访 ("petitions.*") and the latest 巡察's rectification
("rectification.*"), with texts written the way the seeds write them.

Counts are taken as of 31 December for a past year (today for the current one), so a report on a
past year always quotes the same figures.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import Figure
from app.models.registers import (
    PROBLEM_DONE,
    PROBLEM_IN_PROGRESS,
    PROBLEM_LONG_TERM,
    PROBLEM_NOT_STARTED,
)
from app.services.registers.common import (
    as_of_for_year,
    format_date_cn,
    format_period_cn,
    format_rate_prose,
    year_bounds,
)
from app.services.registers.petition_stats import petition_sentence, petition_stats
from app.services.registers.rectification import latest_inspection_id, rectification_progress


def _count(key: str, label: str, value: int, unit: str = "件") -> Figure:
    return Figure(key, label, str(value), unit, value)


def petition_figures(session: Session, unit_id: int, year: int) -> list[Figure]:
    start, end = year_bounds(year)
    s = petition_stats(session, unit_id, start, end, as_of=as_of_for_year(year))
    previous = s.previous.total if s.previous else 0
    figures = [
        _count("petitions.total", "信访件总数（全年）", s.total),
        Figure(
            "petitions.by_channel_text",
            "按渠道分列（如：12345信箱239件、舆情11件……）",
            s.group_text(),
            "",
            s.by_group,
        ),
        Figure("petitions.by_category_text", "按事项类别分列", s.category_text(), "", s.by_category),
        _count("petitions.accepted", "受理件数", s.accepted),
        _count("petitions.closed", "办结件数", s.closed),
        Figure("petitions.closed_rate", "办结率", format_rate_prose(s.closed_rate, "—"), "", s.closed_rate),
        _count("petitions.closed_on_time", "按期办结件数", s.closed_on_time),
        Figure(
            "petitions.on_time_rate", "按期办结率", format_rate_prose(s.on_time_rate, "—"), "", s.on_time_rate
        ),
        _count("petitions.overdue_open", "超期未办结件数", s.overdue_open),
        _count("petitions.visitors", "接待来访人次", s.visitors, "人次"),
        _count("petitions.visitors_individual", "个访、重复访人次", s.visitors_individual, "人次"),
        _count("petitions.visitors_group", "群访人次", s.visitors_group, "人次"),
        _count("petitions.visits", "来访批次", s.visits, "批次"),
        _count("petitions.group_visits", "集体访批次", s.group_visits, "批次"),
        _count("petitions.assigned", "交办件数（巡视、巡察、上级交办）", s.assigned),
        _count("petitions.assigned_by_inspection", "巡视交办件数", s.assignment("巡视交办")),
        _count("petitions.previous_total", "上年信访件总数", previous),
        Figure("petitions.yoy_text", "同比变化（如：同比上升20.3%）", s.yoy_text or "—", "", s.yoy),
    ]
    for group in s.by_group:
        figures.append(_count(f"petitions.channel.{group.label}", f"渠道：{group.label}", group.count))
    for category in s.by_category:
        figures.append(
            _count(f"petitions.category.{category.label}", f"类别：{category.label}", category.count)
        )
    figures.append(
        Figure(
            "petitions.summary_text",
            "全年信访情况（整句）",
            petition_sentence(s),
            "",
            s.total,
        )
    )
    return figures


def rectification_figures(session: Session, unit_id: int, year: int) -> list[Figure]:
    """The latest 巡察 of the unit (none: no figures)."""
    inspection_id = latest_inspection_id(session, unit_id)
    if inspection_id is None:
        return []
    p = rectification_progress(session, inspection_id, as_of_for_year(year))
    return [
        Figure("rectification.name", "巡察名称", p.name, "", p.name),
        Figure("rectification.team", "巡察组", p.team, "", p.team),
        Figure("rectification.period", "巡察时间", format_period_cn(p.start_on, p.end_on), "", None),
        Figure(
            "rectification.feedback_date", "反馈日期", format_date_cn(p.feedback_on, "—"), "", p.feedback_on
        ),
        _count("rectification.aspects", "反馈问题方面数", p.aspect_count, "个方面"),
        _count("rectification.problems", "反馈问题数", p.total, "项"),
        Figure(
            "rectification.summary_text",
            "问题概况（如：3个方面12个主要问题）",
            f"{p.aspect_count}个方面{p.total}个主要问题",
            "",
            p.total,
        ),
        _count("rectification.done", "已完成整改（含长期坚持）", p.done, "项"),
        _count("rectification.completed", "已完成", p.count(PROBLEM_DONE), "项"),
        _count("rectification.long_term", "长期坚持", p.count(PROBLEM_LONG_TERM), "项"),
        _count("rectification.in_progress", "整改中", p.count(PROBLEM_IN_PROGRESS), "项"),
        _count("rectification.not_started", "未启动", p.count(PROBLEM_NOT_STARTED), "项"),
        _count("rectification.closed", "已销号", p.closed, "项"),
        Figure(
            "rectification.completion_rate",
            "整改完成率",
            format_rate_prose(p.completion_rate, "—"),
            "",
            p.completion_rate,
        ),
        _count("rectification.overdue", "超期未完成", len(p.overdue), "项"),
    ]
