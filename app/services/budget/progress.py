"""What is left to fill in the year's budget tables, as the page shows it.

A table nothing has been entered in this year (no amount, no result; what a new year carries from
the last, targets and texts, does not count) is "not started": on the page, what it lacks is listed
as 待填写 (a warning), not as errors the clerk made. `checks.check_year` (the `check` command, F7 and
the export) reports the very same gaps as errors: a table left blank is still a problem there.
"""

from __future__ import annotations

from dataclasses import replace

from app.findings import WARNING, Finding
from app.services.budget.data import INCOME_FIELDS, SOURCES, BudgetYearData, Indicator, Project

TODO = "待填写"
MISSING = "未填写"
# The page's tabs, in order, and the finding records each shows.
TAB_KEYS = ("base", "dept", "projects")


def _results_entered(indicators: list[Indicator]) -> bool:
    return any(ind.actual.strip() or ind.score is not None or ind.reason.strip() for ind in indicators)


def base_started(data: BudgetYearData) -> bool:
    """基础数据表: an amount of 经费控制情况 or a 楼堂馆所 row entered."""
    return any(not entry.is_empty() for entry in data.control.values()) or bool(data.buildings)


def department_started(data: BudgetYearData) -> bool:
    """部门整体支出绩效自评表: an amount, the 实际完成情况, or an indicator's result entered."""
    amounts = (
        data.basic_initial,
        data.basic_full,
        data.executed_typed,
        data.personnel,
        data.public,
        data.state_capital,
        data.social_insurance,
        *(getattr(data, key) for key in INCOME_FIELDS),
    )
    return (
        any(v is not None for v in amounts)
        or bool(data.goal_actual.strip())
        or _results_entered(data.indicators)
    )


def project_started(project: Project) -> bool:
    """A 项目支出绩效自评表: an amount, the 实际完成情况, or an indicator's result entered."""
    return (
        any(not project.source(s).is_empty() for s in SOURCES)
        or bool(project.goal_actual.strip())
        or _results_entered(project.indicators)
    )


def not_started(data: BudgetYearData) -> set[str]:
    """The finding records ("base", "dept", "project:<i>") of the tables not started yet."""
    records = set()
    if not base_started(data):
        records.add("base")
    if not department_started(data):
        records.add("dept")
    records |= {f"project:{i}" for i, p in enumerate(data.projects) if not project_started(p)}
    return records


def is_todo(finding: Finding) -> bool:
    return finding.level == WARNING and finding.message.startswith(TODO)


def as_todo(finding: Finding) -> Finding:
    """ "未填写" → "待填写", "未填写（…）" → "待填写（…）", "未填写X" → "待填写：X" (X not the row)."""
    rest = finding.message.removeprefix(MISSING).lstrip("：:")
    if rest == finding.row:
        rest = ""
    message = f"{TODO}：{rest}" if rest and not rest.startswith("（") else TODO + rest
    return replace(finding, level=WARNING, message=message)


def page_findings(data: BudgetYearData, findings: list[Finding]) -> list[Finding]:
    """The findings as the page lists them: in a table not started, what is missing is 待填写."""
    fresh = not_started(data)

    def shown(f: Finding) -> Finding:
        record = f.target.record if f.target is not None else ""
        return as_todo(f) if record in fresh and f.message.startswith(MISSING) else f

    return [shown(f) for f in findings]


def tab_of(finding: Finding) -> str:
    record = finding.target.record if finding.target is not None else ""
    return "projects" if record.startswith("project") else record


def tabs_with_work(findings: list[Finding]) -> list[str]:
    """The tabs (TAB_KEYS, in order) with an error or something 待填写."""
    busy = {tab_of(f) for f in findings if f.is_error or is_todo(f)}
    return [key for key in TAB_KEYS if key in busy]
