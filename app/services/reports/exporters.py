"""The Word reports as exporters of the year package (一键导出): one exporter per report genre.

A report is exported when the user has written any of it, or its module has data for it
(`ReportDef.has_data`); a scoped report once per quarter / 巡察 / project that qualifies. Options a
caller may pass through `export_year(options=…)`:
  "reports.only": (report_key, scope_key) — export just that one report, whatever it contains;
  "reports.notes": a list the exporters append messages to (a user template that was not used …).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.contributions import ExportContext, Exporter, Registry
from app.exports.atomic import safe_filename
from app.services.reports.outline import ReportDef
from app.services.reports.prose import scopes_with_prose
from app.services.reports.scopes import Scope

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

ONLY = "reports.only"
NOTES = "reports.notes"


def exporter_key(report: ReportDef) -> str:
    return f"reports.{report.key}"


def export_scopes(session: Session, report: ReportDef, unit_id: int, year: int) -> list[Scope | None]:
    """The instances of `report` the year package writes (None: the yearly report itself)."""
    from app.services.run_cache import cached

    return cached(
        ("reports.scopes", report.key, unit_id, year), lambda: _export_scopes(session, report, unit_id, year)
    )


def _export_scopes(session: Session, report: ReportDef, unit_id: int, year: int) -> list[Scope | None]:
    written = scopes_with_prose(session, unit_id, year, report.key)
    if report.scope_kind is None:
        return [None] if "" in written or report.has_data(session, unit_id, year, "") else []
    return [
        option
        for option in report.scope_kind.options(session, unit_id, year)
        if option.key in written or report.has_data(session, unit_id, year, option.key)
    ]


def make_exporter(registry: Registry, report: ReportDef) -> Exporter:
    def run(ctx: ExportContext) -> list[Path]:
        from app.services.reports.build import open_report, render_report
        from app.services.reports.figures import source_groups

        notes = ctx.options.get(NOTES)
        files: list[Path] = []
        used: set[str] = set()
        with ctx.db.session() as session:
            only = ctx.options.get(ONLY)
            if only is not None:
                if only[0] != report.key:
                    return []
                scope_keys = [only[1]]
            else:
                scope_keys = [
                    s.key if s else "" for s in export_scopes(session, report, ctx.unit_id, ctx.year)
                ]
            groups = source_groups(session, registry, ctx.unit_id, ctx.year) if scope_keys else []
            for index, scope_key in enumerate(scope_keys):
                ctx.check_cancelled()
                instance = open_report(session, registry, ctx.unit_id, ctx.year, report, scope_key, groups)
                ctx.progress(index, len(scope_keys), f"正在生成：{instance.display_title}")
                name = safe_filename(report.file_name(instance.env(session)))
                unique, n = name, 2
                while unique in used:
                    unique, n = f"{name}（{n}）", n + 1
                used.add(unique)
                files.append(render_report(instance, session, ctx.out_dir / f"{unique}.docx", notes))
        ctx.progress(len(scope_keys), len(scope_keys), "")
        return files

    def applies(session: Session, unit_id: int, year: int) -> bool:
        return bool(export_scopes(session, report, unit_id, year))

    return Exporter(exporter_key(report), report.title, run, applies)


def single_report_registry(registry: Registry, report: ReportDef) -> Registry:
    """A registry with just this report's exporter, exported whatever it holds: for “导出此报告”
    (with the ONLY option naming the scope), through the same staged, atomic `export_year`."""
    exporter = next(e for e in registry.exporters if e.key == exporter_key(report))
    return Registry(exporters=[replace(exporter, applies=None)])
