"""Budget performance (预算绩效): figures, calculations, checks, tables, export and import.

Public API (for the page, the reports and other modules):
- data.load_year / data.save_year: the editable figures of a unit and year (BudgetYearData).
- compute.build_tables(session, unit_id, year) -> tables.BudgetTables: every computed table,
  the one source the Excel writer, the Word report and the page render.
- checks.check_year(session, unit_id, year) -> list[Finding].
- figures.budget_figures(session, unit_id, year) -> list[Figure] (FigureSource "budget").
- app.exports.budget_xlsx.write_budget_workbooks(tables, folder) -> list[Path].
- app.importers.budget_xlsx.read_workbook(path) / apply_import(db, unit_id, year, parsed).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import Check, ExportContext, Exporter, FigureSource, Registry


def _export(ctx: ExportContext):
    from app.exports.budget_xlsx import export_budget_tables

    return export_budget_tables(ctx)


def _applies(session: Session, unit_id: int, year: int) -> bool:
    from app.services.budget.data import has_year_data

    return has_year_data(session, unit_id, year)


def _check(session: Session, unit_id: int, year: int):
    from app.services.budget.checks import check_year

    return check_year(session, unit_id, year)


def _figures(session: Session, unit_id: int, year: int):
    from app.services.budget.figures import budget_figures

    return budget_figures(session, unit_id, year)


def _carry_over(session: Session, unit_id: int, from_year: int, to_year: int) -> None:
    from app.services.budget.carry import carry_over

    carry_over(session, unit_id, from_year, to_year)


def _example(session, unit) -> None:
    from app.example_data.budget import build_budget

    build_budget(session, unit)


def register(registry: Registry) -> None:
    """Add this module's exporters, checks, example data, figures and new-year carry-over."""
    registry.add_exporter(Exporter("budget.tables", "预算绩效自评表格", _export, _applies))
    registry.add_check(Check("budget", "预算绩效", _check))
    registry.add_figure_source(FigureSource("budget", "预算绩效", _figures))
    registry.add_year_carry_over(_carry_over)
    registry.add_example_builder(_example)
