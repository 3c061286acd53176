"""Validation findings (校验结果): what is wrong, where, and how bad."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ERROR = "错误"
WARNING = "警告"
Level = Literal["错误", "警告"]


@dataclass(frozen=True)
class Target:
    """Where the GUI should jump to show the finding: a page, a record on it, a field."""

    page: str
    record: str = ""  # page-specific key of the record (e.g. "project:3" or "indicator:17")
    field: str = ""  # the form field / column key on that page


@dataclass(frozen=True)
class Finding:
    level: Level
    table: str  # the table or page, in Chinese (e.g. "部门整体支出绩效自评表")
    row: str  # the row in Chinese (e.g. "办理项目竣工验收率"); "" when the whole table
    field: str  # the field or column in Chinese (e.g. "偏差原因分析及改进措施")
    message: str
    target: Target | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def location(self) -> str:
        return " › ".join(part for part in (self.table, self.row, self.field) if part)

    def text(self) -> str:
        return f"[{self.level}] {self.location()}：{self.message}"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, each in the order the checks produced them."""
    return sorted(findings, key=lambda f: 0 if f.is_error else 1)
