"""Budget performance (预算绩效): figures, calculations, checks, tables, export and import.

Public API (for the page, the reports and other modules):
- data.load_year / data.save_year: the editable figures of a unit and year (BudgetYearData).
- compute.build_tables(session, unit_id, year) -> tables.BudgetTables: every computed table.
- checks.check_year(session, unit_id, year) -> list[Finding].
- figures.budget_figures(session, unit_id, year) -> list[Figure] (FigureSource "budget").
"""

from __future__ import annotations

from app.registry import Registry


def register(registry: Registry) -> None:
    """Add this module's exporters, checks, example data and new-year carry-over."""
    from app.example_data.budget import build_budget

    registry.add_example_builder(build_budget)
