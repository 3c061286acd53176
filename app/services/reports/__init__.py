"""The Word reports (报告导出): report definitions, the user's prose, placeholders, checks, exporters.

The figures come from the modules' FigureSources; what a report takes from the budget, safety and
registers modules beyond them (scopes, scope figures, generated sections, tables) is in
`bindings.py`, and each section's drafted paragraph in `drafts.py`.
"""

from __future__ import annotations

from app.contributions import Check, Registry


def _example(session, unit) -> None:
    from app.example_data.reports import build_example_prose  # only when the example is loaded

    build_example_prose(session, unit)


def register(registry: Registry) -> None:
    """Add this module's exporters, checks, example data and new-year carry-over."""
    from app.services.reports.carry import carry_over
    from app.services.reports.definitions import REPORTS
    from app.services.reports.exporters import make_exporter
    from app.services.reports.figures import PROFILE_FIGURE_SOURCE

    registry.add_figure_source(PROFILE_FIGURE_SOURCE)
    for report in REPORTS:
        registry.add_exporter(make_exporter(registry, report))

    def check(session, unit_id: int, year: int):
        from app.services.reports.checks import report_findings  # not needed at start-up

        return report_findings(session, registry, unit_id, year)

    registry.add_check(Check("reports.prose", "报告", check))
    registry.add_year_carry_over(carry_over)
    registry.add_example_builder(_example)
