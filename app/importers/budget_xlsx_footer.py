"""The 表尾 of imported 自评表 (填表人, 填报日期, 联系电话), kept instead of the unit's defaults.

填报日期 belongs to the year's budget figures (BudgetYearData.fill_date). 填表人 and 联系电话 have no
column of their own in the budget tables: every table prints them from the year's 单位信息
(UnitYear.preparer / phone), so the import writes them there, in the import's transaction. A blank
footer (or a blank field of it) keeps what the year had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.errors import EditConflictError, UserError
from app.findings import WARNING
from app.importers.budget_xlsx_read import ImportResult, Problem, ReadFooter
from app.services.budget.compute import BudgetContext, date_text
from app.services.unit import get_unit_year
from app.services.versions import conflict_message


@dataclass(frozen=True)
class FooterPlan:
    preparer: str | None  # the file's 填表人; None: the year's is kept
    phone: str | None  # the file's 联系电话; None: the year's is kept
    fill_date: date | None  # the file's 填报日期; None: the year's is kept
    # The year's 填表人 and 联系电话 when the import was planned: changed since, the import is refused.
    preparer_before: str = ""
    phone_before: str = ""

    def profile_changes(self) -> dict[str, str]:
        """The 单位信息 fields the import changes: {"preparer": "柳灿", …}."""
        changes = {}
        if self.preparer is not None and self.preparer != self.preparer_before:
            changes["preparer"] = self.preparer
        if self.phone is not None and self.phone != self.phone_before:
            changes["phone"] = self.phone
        return changes


_LABELS = {"preparer": "填表人", "phone": "联系电话", "fill_date": "填报日期"}


def merge_footer(
    result: ImportResult, ctx: BudgetContext, printed_date: str, problems: list[Problem]
) -> tuple[FooterPlan, str]:
    """The footer to keep, and its line for the preview ("" when what the tables print does not
    change). Each field comes from the first table that fills it in (部门整体, 基础数据, then the
    projects); a table that says otherwise gets a warning. `printed_date` is the 填报日期 the
    tables print now (compute.fill_date_text: the export date when none is set)."""
    tables = [t for t in (result.department, result.base, *result.projects) if t is not None]
    chosen: dict[str, tuple[object, str]] = {}
    for table in tables:
        footer: ReadFooter = table.footer
        ours: list[str] = []
        theirs: list[str] = []
        kept_from: list[str] = []
        for key in _LABELS:
            value = getattr(footer, key)
            if not value:
                continue
            if key not in chosen:
                chosen[key] = (value, table.sheet)
            elif chosen[key][0] != value:
                first, where = chosen[key]
                ours.append(f"{_LABELS[key]}“{_shown(value)}”")
                theirs.append(f"“{_shown(first)}”")
                kept_from.append(where)
        if ours:
            sources = "、".join(f"“{w}”" for w in dict.fromkeys(kept_from))
            message = f"表尾的{'、'.join(ours)}与{sources}中的{'、'.join(theirs)}不同，按{sources}导入"
            problems.append(Problem(WARNING, table.sheet, footer.cell, message))
    plan = FooterPlan(
        preparer=chosen["preparer"][0] if "preparer" in chosen else None,  # type: ignore[arg-type]
        phone=chosen["phone"][0] if "phone" in chosen else None,  # type: ignore[arg-type]
        fill_date=chosen["fill_date"][0] if "fill_date" in chosen else None,  # type: ignore[arg-type]
        preparer_before=ctx.preparer,
        phone_before=ctx.phone,
    )
    parts = [f"{_LABELS[key]}“{value}”" for key, value in plan.profile_changes().items()]
    line = ""
    if parts:
        line = f"{'、'.join(parts)}（写入{ctx.year}年度单位信息）"
    if plan.fill_date is not None and date_text(plan.fill_date) != printed_date:
        line += ("，" if line else "") + f"填报日期{date_text(plan.fill_date)}"
    return plan, f"表尾：{line}" if line else ""


def _shown(value: object) -> str:
    return date_text(value) if isinstance(value, date) else str(value)


def write_footer(session: Session, unit_id: int, year: int, footer: FooterPlan) -> None:
    """Write the file's 填表人 and 联系电话 to the year's 单位信息, inside the caller's transaction."""
    changes = footer.profile_changes()
    if not changes:
        return
    unit_year = get_unit_year(session, unit_id, year)
    if unit_year is None:
        raise UserError(f"没有{year}年度的单位信息")
    if (unit_year.preparer, unit_year.phone) != (footer.preparer_before, footer.phone_before):
        raise EditConflictError(conflict_message(f"{year}年度单位信息中的填表人、联系电话", unit_year))
    for key, value in changes.items():
        setattr(unit_year, key, value)
