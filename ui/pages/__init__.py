"""The pages of the navigation, in order. Page modules are imported when first shown, so that
start-up does not pay for modules the user has not opened yet."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.pages.base import Page


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str  # file name under resources/icons
    page_class: str  # "module:Class"
    # "module:function" taking (session, unit_id, year) → number shown as the navigation badge.
    badge: str = ""

    def create(self, ctx: AppContext) -> Page:
        return _resolve(self.page_class)(ctx)

    def badge_function(self) -> Callable[..., int] | None:
        return _resolve(self.badge) if self.badge else None


def _resolve(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("workbench", "工作台", "workbench.svg", "ui.pages.workbench_page:WorkbenchPage"),
    PageSpec("unit", "单位信息", "unit.svg", "ui.pages.unit_page:UnitPage"),
    PageSpec("budget", "预算绩效", "budget.svg", "ui.pages.budget_page:BudgetPage"),
    PageSpec(
        "safety",
        "安全监督",
        "safety.svg",
        "ui.pages.safety_page:SafetyPage",
        badge="app.services.safety.inspections:overdue_count",
    ),
    PageSpec(
        "petitions",
        "信访登记",
        "petition.svg",
        "ui.pages.petition_page:PetitionPage",
        badge="app.services.registers.petitions:petition_badge",
    ),
    PageSpec(
        "rectification",
        "巡察整改",
        "rectify.svg",
        "ui.pages.rectification_page:RectificationPage",
        badge="app.services.registers.rectification:rectification_badge",
    ),
    PageSpec("reports", "报告导出", "report.svg", "ui.pages.reports_page:ReportsPage"),
)


def page_spec(key: str) -> PageSpec:
    return next(spec for spec in PAGES if spec.key == key)
