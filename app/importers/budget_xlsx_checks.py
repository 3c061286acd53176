"""What an import changes in the budget 校验: the findings of the year as it is and as the import
would leave it, both computed in memory (app.services.budget.checks.check_data), compared."""

from __future__ import annotations

from dataclasses import dataclass

from app.findings import ERROR, Finding, sort_findings
from app.services.budget.checks import check_data
from app.services.budget.compute import BudgetContext
from app.services.budget.data import BudgetYearData

ADDED, REMOVED = "新增", "消除"


@dataclass(frozen=True)
class CheckChange:
    kind: str  # ADDED | REMOVED
    text: str  # the finding as the 校验 panel words it: "[错误] 2023年度部门整体支出绩效自评表 › …"
    level: str  # the finding's 错误 / 警告

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def line(self) -> str:
        """ "新增：[错误] 2023年度部门整体支出绩效自评表 › 按收入性质分 › 合计：…"."""
        return f"{self.kind}：{self.text}"


def check_changes(
    before: BudgetYearData,
    after: BudgetYearData,
    ctx_before: BudgetContext,
    ctx_after: BudgetContext,
    *,
    stored: bool,
) -> list[CheckChange]:
    """The findings that appear (新增) and disappear (消除), errors first. A year with nothing stored
    yet (`stored` False) counts as having no finding: all that the import leaves are new."""
    old = check_data(before, ctx_before) if stored else []
    new = check_data(after, ctx_after)
    return [CheckChange(ADDED, f.text(), f.level) for f in sort_findings(_less(new, old))] + [
        CheckChange(REMOVED, f.text(), f.level) for f in sort_findings(_less(old, new))
    ]


def _less(findings: list[Finding], others: list[Finding]) -> list[Finding]:
    """`findings` without those also in `others` (as many times as they are there)."""
    remaining = list(others)
    kept = []
    for finding in findings:
        if finding in remaining:
            remaining.remove(finding)
        else:
            kept.append(finding)
    return kept
