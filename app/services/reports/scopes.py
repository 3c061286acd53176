"""Report scopes: what a report is about besides the unit and year — a quarter, a 巡察, a project.

Every call goes through `bindings` at call time (tests can replace those functions).
A scope is stored with the prose as a short key ("Q1", "inspection:3", "project:12"). Each kind says
which scopes exist for a unit and year, which figures belong to one (shown in the figure picker as
the group “本季度” / “本次巡察” / “本项目”), whether a scope has data, and where its prose goes in a
new year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.contributions import Figure
from app.services.reports import bindings
from app.services.reports.scope_keys import Scope, scope_id

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ScopeKind:
    key: str  # "quarter", "inspection", "project"
    title: str  # the picker's label: "季度"
    figures_title: str  # the figure group's title: "本季度"
    options: Callable[[Session, int, int], list[Scope]]
    figures: Callable[[Session, int, int, str], list[Figure]]
    has_data: Callable[[Session, int, int, str], bool]
    # (session, unit_id, from_year, to_year, scope) → the scope in the new year, or None
    carry: Callable[[Session, int, int, int, str], str | None]
    empty_hint: str  # shown when there is nothing to choose
    # FigureSources whose figures the scope's own replace in its reports (a 巡察's report quotes
    # that 巡察, not the latest one the "rectification" source describes).
    replaces: tuple[str, ...] = ()

    def label_of(self, session: Session, unit_id: int, year: int, scope: str) -> str:
        for option in self.options(session, unit_id, year):
            if option.key == scope:
                return option.label
        return scope


# -- quarters ----------------------------------------------------------------------------------------

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


def quarter_number(scope: str) -> int:
    if len(scope) == 2 and scope[0] == "Q" and scope[1] in "1234":
        return int(scope[1])
    raise ValueError(f"not a quarter: {scope!r}")


def _quarters(_session: Session, _unit_id: int, _year: int) -> list[Scope]:
    return [Scope(f"Q{q}", name) for q, name in enumerate(QUARTER_NAMES, 1)]


_MONTH_END = {3: 31, 6: 30, 9: 30, 12: 31}


def _quarter_figures(session: Session, unit_id: int, year: int, scope: str) -> list[Figure]:
    q = quarter_number(scope)
    first, last = 3 * q - 2, 3 * q
    name = QUARTER_NAMES[q - 1]
    base = [
        Figure("quarter.name", "季度", name, "", q),
        Figure("quarter.year_and_name", "年份和季度", f"{year}年{name}", "", (year, q)),
        Figure("quarter.months", "季度起止月份", f"{first}—{last}月", "", (first, last)),
        Figure("quarter.end_date", "季度末日期", f"{last}月{_MONTH_END[last]}日", "", None),
    ]
    return base + bindings.quarter_safety_figures(session, unit_id, year, q)


QUARTER = ScopeKind(
    key="quarter",
    title="季度",
    figures_title="本季度",
    options=_quarters,
    figures=_quarter_figures,
    has_data=lambda s, u, y, scope: bindings.quarter_has_data(s, u, y, quarter_number(scope)),
    carry=lambda _s, _u, _from, _to, scope: scope,  # Q1 of last year → Q1 of the new year
    empty_hint="",
)


# -- 巡察 and projects ---------------------------------------------------------------------------------


INSPECTION = ScopeKind(
    key="inspection",
    title="巡察",
    figures_title="本次巡察",
    options=lambda s, u, y: bindings.inspections(s, u, y),
    figures=lambda s, u, y, scope: bindings.inspection_figures(s, u, y, scope_id(scope, "inspection")),
    has_data=lambda s, u, y, scope: any(o.key == scope for o in bindings.inspections(s, u, y)),
    carry=lambda *_args: None,  # a 巡察's report belongs to that 巡察
    empty_hint="本年度没有需报告整改进展的巡察。请先在“巡察整改”中录入巡察（含反馈日期）及其整改问题。",
    replaces=("rectification",),
)

PROJECT = ScopeKind(
    key="project",
    title="项目",
    figures_title="本项目",
    options=lambda s, u, y: bindings.projects(s, u, y),
    figures=lambda s, u, y, scope: bindings.project_figures(s, u, y, scope_id(scope, "project")),
    has_data=lambda s, u, y, scope: any(o.key == scope for o in bindings.projects(s, u, y)),
    carry=lambda s, u, from_year, to_year, scope: bindings.project_carry(s, u, from_year, to_year, scope),
    empty_hint="本年度还没有项目支出绩效自评表。请先在“预算绩效”中录入项目，再在此撰写项目支出绩效评价报告。",
)
