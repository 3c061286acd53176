"""Starting a new year from the last: projects, goals and indicator trees carried, results cleared.

上年决算数 needs no copying: the 基础数据表 draws it from the previous year's 本年决算数 as long as
that year is in the database.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.budget.data import BudgetYearData, Project, budget_year_row, load_year, write_year


def carried_project(project: Project) -> Project:
    """The project as a new year starts it: who, what kind, why and what for; amounts empty."""
    return Project(
        name=project.name,
        supervisor=project.supervisor,
        implementer=project.implementer,
        kind=project.kind,
        basis=project.basis,
        overview=project.overview,
        goal_expected=project.goal_expected,
        indicators=[ind.cleared() for ind in project.indicators],
        level1_weights=dict(project.level1_weights),
    )


def carried_year(source: BudgetYearData) -> BudgetYearData:
    return BudgetYearData(
        rule_set=source.rule_set,
        goal_expected=source.goal_expected,
        thrift_measures=source.thrift_measures,
        indicators=[ind.cleared() for ind in source.indicators],
        level1_weights=dict(source.level1_weights),
        projects=[carried_project(p) for p in source.projects],
    )


def carry_over(session: Session, unit_id: int, from_year: int, to_year: int) -> None:
    """The registry's year carry-over hook (runs inside the new year's transaction)."""
    if budget_year_row(session, unit_id, from_year) is None:
        return
    if budget_year_row(session, unit_id, to_year) is not None:
        return
    write_year(
        session, unit_id, to_year, carried_year(load_year(session, unit_id, from_year)), check_revision=False
    )
