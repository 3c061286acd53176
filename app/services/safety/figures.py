"""The year's safety figures for reports (FigureSource "safety").

Every row of the statistics table becomes `safety.<row key>` ("safety.projects.house.area" →
"285.17" 万平方米); where last year has records, `safety.<row key>.yoy` holds the 同比 text
("同比增长12.5%", "同比提高1.39个百分点"). Figures quoted approximately get `….approx`
("930余"), and `safety.inspections.special.names` lists the year's 专项检查 campaigns.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import Figure, FigureSource
from app.services.safety.periods import Period
from app.services.safety.stats import period_statistics, same_period_last_year
from app.services.safety.stats_table import statistics_rows

PREFIX = "safety."


def year_figures(session: Session, unit_id: int, year: int) -> list[Figure]:
    period = Period.year(year)
    current = period_statistics(session, unit_id, period.start, period.end)
    previous = same_period_last_year(session, unit_id, period.start, period.end)
    figures: list[Figure] = []
    for row in statistics_rows(current, previous, include_empty=True):
        if not row.key.isascii():
            continue  # a kind the user typed in (no stable key); it is still in the table
        label = f"{row.full_label}（{year}年）"
        figures.append(Figure(PREFIX + row.key, label, row.text, row.unit, row.current))
        change = row.change.text
        if previous is not None and change:
            figures.append(
                Figure(f"{PREFIX}{row.key}.yoy", f"{row.full_label}同比（{year}年）", change, "", row.change)
            )
    for key, figure in current.workload.items():
        if figure.item.approx and figure.value is not None:
            figures.append(
                Figure(
                    f"{PREFIX}work.{key}.approx",
                    f"{figure.item.name}（约数，{year}年）",
                    figure.approx_text,
                    figure.item.unit,
                    figure.value,
                )
            )
    names = "、".join(f"“{name}”" for _kind, name in current.campaigns)
    figures.append(
        Figure(
            f"{PREFIX}inspections.special.names", f"专项检查名称（{year}年）", names, "", current.campaigns
        )
    )
    return figures


SOURCE = FigureSource("safety", "安全监督", year_figures)
