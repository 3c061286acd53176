"""The reports' new-year hook: last year's prose becomes this year's draft, each scope following
its quarter, 巡察 or project as the report definitions say. Kept apart from prose.py: it needs the
definitions, and the definitions' bindings read prose settings (one module would be a circle)."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models.reports import ReportSection, ReportSetting
from app.services.reports.prose import carried_placeholders, unit_year_id


def carry_over(session: Session, unit_id: int, from_year: int, to_year: int) -> None:
    """New-year hook: last year's prose becomes this year's draft (marked `carried_from`), and the
    settings follow without their date. A quarter's prose goes to the same quarter; a 巡察's stays
    with its 巡察; a project's goes to the same project if the budget module can match it."""
    from app.services.reports.definitions import REPORT_BY_KEY

    source, target = unit_year_id(session, unit_id, from_year), unit_year_id(session, unit_id, to_year)
    if source is None or target is None:
        return
    scope_map: dict[tuple[str, str], str | None] = {}

    def new_scope(report_key: str, scope: str) -> str | None:
        if (report_key, scope) not in scope_map:
            report = REPORT_BY_KEY.get(report_key)
            if report is None:
                mapped = None
            elif report.scope_kind is None:
                mapped = scope
            else:
                mapped = report.scope_kind.carry(session, unit_id, from_year, to_year, scope)
            scope_map[(report_key, scope)] = mapped
        return scope_map[(report_key, scope)]

    taken = set(
        session.execute(
            select(ReportSection.report_key, ReportSection.scope, ReportSection.section_key).where(
                ReportSection.unit_year_id == target
            )
        ).all()
    )
    rows = []
    for row in session.scalars(select(ReportSection).where(ReportSection.unit_year_id == source)):
        scope = new_scope(row.report_key, row.scope)
        if scope is None or (row.report_key, scope, row.section_key) in taken:
            continue
        rows.append(
            dict(
                unit_year_id=target,
                report_key=row.report_key,
                scope=scope,
                section_key=row.section_key,
                parent_key=row.parent_key,
                position=row.position,
                title=row.title,
                text=carried_placeholders(row.text, from_year, to_year),
                run_in=row.run_in,
                hidden=row.hidden,
                carried_from=from_year,
            )
        )
    if rows:
        session.execute(insert(ReportSection), rows)

    taken_settings = set(
        session.execute(
            select(ReportSetting.report_key, ReportSetting.scope).where(ReportSetting.unit_year_id == target)
        ).all()
    )
    settings = []
    for row in session.scalars(select(ReportSetting).where(ReportSetting.unit_year_id == source)):
        scope = new_scope(row.report_key, row.scope)
        if scope is None or (row.report_key, scope) in taken_settings:
            continue
        title = row.title.replace(f"{from_year}年", f"{to_year}年") if row.title else row.title
        settings.append(
            dict(
                unit_year_id=target,
                report_key=row.report_key,
                scope=scope,
                title=title,
                addressee=row.addressee,
                signer=row.signer,
                sign_date=None,
                date_blank=row.date_blank,
                seal=row.seal,
                append_tables=row.append_tables,
                variant=row.variant,
            )
        )
    if settings:
        session.execute(insert(ReportSetting), settings)
