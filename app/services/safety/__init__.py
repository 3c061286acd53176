"""The safety-supervision module (安全监督): projects, inspections, hazards, documents, activities,
工作量统计, period statistics, ledgers. See stats.py for the definitions of every figure.

Public API for other modules and reports:
- stats.period_statistics(session, unit_id, start, end) -> SafetyStats
- stats.same_period_last_year(session, unit_id, start, end) -> SafetyStats | None; stats.Change
- stats_table.statistics_rows(current, previous) -> list[StatRow] (texts as the seeds write them)
- workload.figures_for_period(session, unit_id, start, end) -> {key: WorkloadFigure}
- figures.year_figures (FigureSource "safety"): safety.<row key>, ….yoy, ….approx
- inspections.overdue_count(session, unit_id, year) (the navigation badge)
"""

from __future__ import annotations

from app.contributions import Check, Exporter, Registry


def _example(session, unit) -> None:
    from app.example_data.safety import build_safety_example  # only when the example is loaded

    build_safety_example(session, unit)


def register(registry: Registry) -> None:
    """Add this module's exporters, checks, example data and figures."""
    from app.exports.safety_ledgers import EXPORTERS
    from app.services.safety.checks import check_safety
    from app.services.safety.figures import SOURCE

    registry.add_example_builder(_example)
    registry.add_check(Check("safety.records", "安全监督", check_safety))
    registry.add_figure_source(SOURCE)
    for key, title, run, applies in EXPORTERS:
        registry.add_exporter(Exporter(key, title, run, applies))
