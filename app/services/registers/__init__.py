"""The registers module: 信访 (petitions) and 巡察整改 (rectification after a 巡察).

Public API (for reports and other modules):
- petition_stats.petition_stats(session, unit_id, start, end, *, as_of=None) -> PetitionStats
- rectification.rectification_progress(session, inspection_id, today=None) -> RectificationProgress
- rectification.latest_inspection_id(session, unit_id) -> int | None
- figure sources "petitions" and "rectification" (see figures.py for the keys)
- app.services.privacy.mask_* for personal data in anything exported

Nothing is carried over into a new year: petitions and 巡察 belong to the unit, not to a year,
and the pick-lists (渠道, 事项类别) are the unit's.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import Check, ExportContext, Exporter, FigureSource, Registry


def _petition_ledger(ctx: ExportContext):
    from app.exports.registers_petitions import run_ledger

    return run_ledger(ctx)


def _petition_statistics(ctx: ExportContext):
    from app.exports.registers_petitions import run_statistics

    return run_statistics(ctx)


def _rectification_ledger(ctx: ExportContext):
    from app.exports.registers_rectification import run_ledger

    return run_ledger(ctx)


def _has_petitions(session: Session, unit_id: int, year: int) -> bool:
    from app.exports.registers_petitions import has_petitions

    return has_petitions(session, unit_id, year)


def _has_inspections(session: Session, unit_id: int, year: int) -> bool:
    from app.exports.registers_rectification import applies

    return applies(session, unit_id, year)


def _check_petitions(session: Session, unit_id: int, year: int):
    from app.services.registers.checks import check_petitions

    return check_petitions(session, unit_id, year)


def _check_rectification(session: Session, unit_id: int, year: int):
    from app.services.registers.checks import check_rectification

    return check_rectification(session, unit_id, year)


def _petition_figures(session: Session, unit_id: int, year: int):
    from app.services.registers.figures import petition_figures

    return petition_figures(session, unit_id, year)


def _rectification_figures(session: Session, unit_id: int, year: int):
    from app.services.registers.figures import rectification_figures

    return rectification_figures(session, unit_id, year)


def _build_example(session: Session, unit) -> None:
    from app.example_data.registers import build_registers

    build_registers(session, unit)


def register(registry: Registry) -> None:
    """Add this module's exporters, checks, example data and figure sources."""
    registry.add_exporter(
        Exporter("petitions.ledger", "信访事项登记台账", _petition_ledger, applies=_has_petitions)
    )
    registry.add_exporter(
        Exporter("petitions.statistics", "信访情况统计表", _petition_statistics, applies=_has_petitions)
    )
    registry.add_exporter(
        Exporter(
            "rectification.ledger", "巡察反馈问题整改台账", _rectification_ledger, applies=_has_inspections
        )
    )
    registry.add_check(Check("petitions", "信访登记", _check_petitions))
    registry.add_check(Check("rectification", "巡察整改", _check_rectification))
    registry.add_example_builder(_build_example)
    registry.add_figure_source(FigureSource("petitions", "信访", _petition_figures))
    registry.add_figure_source(FigureSource("rectification", "巡察整改", _rectification_figures))
