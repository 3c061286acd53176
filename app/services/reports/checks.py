"""校验 of the reports: what would stop an export or make a report read wrong, section by section."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.findings import WARNING, Finding, Target
from app.services.privacy import mask_text
from app.services.reports.build import Issue, ReportInstance, build_blocks, open_report
from app.services.reports.definitions import REPORTS
from app.services.reports.exporters import export_scopes
from app.services.reports.scopes import INSPECTION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.contributions import Registry

PAGE_KEY = "reports"


def target_record(report_key: str, scope: str, section_key: str = "") -> str:
    """The record part of a finding's Target: "report|scope|section" (the reports page parses it)."""
    return f"{report_key}|{scope}|{section_key}"


def parse_target_record(record: str) -> tuple[str, str, str]:
    report_key, _, rest = record.partition("|")
    scope, _, section = rest.partition("|")
    return report_key, scope, section


def report_findings(session: Session, registry: Registry, unit_id: int, year: int) -> list[Finding]:
    """Every report the year package would write, checked: unknown placeholders are errors; figures
    without values, sections not written, carried-over text not yet reviewed are warnings."""
    from app.services.reports.figures import source_groups

    findings: list[Finding] = []
    groups = None
    for report in REPORTS:
        for scope in export_scopes(session, report, unit_id, year):
            scope_key = scope.key if scope else ""
            if groups is None:
                groups = source_groups(session, registry, unit_id, year)
            instance = open_report(session, registry, unit_id, year, report, scope_key, groups)
            built = build_blocks(instance, session)
            table = f"报告：{instance.display_title}"
            measures: list[Finding] = []
            if report.scope_kind == INSPECTION and scope_key:
                claims, measures = _claim_issues(session, instance, scope_key, table)
                built.issues.extend(claims)
            for issue in built.issues:
                node = issue.node
                findings.append(
                    Finding(
                        issue.level,
                        table,
                        node.path if node else "",
                        issue.subject,
                        issue.message,
                        Target(PAGE_KEY, target_record(report.key, scope_key, node.key if node else "")),
                    )
                )
            findings.extend(measures)
    findings.extend(template_findings())
    return findings


def _claim_issues(
    session: Session, instance: ReportInstance, scope_key: str, table: str, as_of: date | None = None
) -> tuple[list[Issue], list[Finding]]:
    """The user's prose about the 巡察's problems checked against the rectification register as of
    the report's date (`as_of`, default: its 成文日期, else the export date, as the phrases are):
    issues for the report's own sections, and findings (pointing to the register, where they are
    typed) for a problem's 整改措施."""
    from app.errors import UserError
    from app.services.registers.rectification import PAGE_KEY as RECTIFICATION_PAGE
    from app.services.reports.bindings import problem_heading, report_as_of, state_conflicts
    from app.services.reports.outline import walk
    from app.services.reports.scopes import scope_id

    inspection_id = scope_id(scope_key, "inspection")
    nodes = [n for n in walk(instance.outline) if not n.effectively_hidden]
    texts = [(n, n.text) for n in nodes if n.kind != "generated" and n.stored and n.text.strip()]
    if as_of is None:
        as_of = report_as_of(session, instance.unit_id, instance.year, inspection_id)
    try:
        conflicts = state_conflicts(session, inspection_id, as_of, texts)
    except UserError:  # the 巡察 is gone
        return [], []
    issues: list[Issue] = []
    measures: list[Finding] = []
    generated = {n.title: n for n in nodes if n.kind == "generated"}
    for conflict in conflicts:
        if conflict.node is not None:
            issues.append(Issue(WARNING, conflict.node, conflict.subject, conflict.message))
            continue
        problem = conflict.problem
        node = generated.get(mask_text(problem_heading(problem.description)))
        measures.append(
            Finding(
                WARNING,
                table,
                node.path if node else "",
                conflict.subject,
                conflict.message,
                Target(RECTIFICATION_PAGE, f"problem:{problem.id}", "measures"),
            )
        )
    return issues, measures


def template_findings() -> list[Finding]:
    from app.exports.docx_template import user_template_problems

    return [
        Finding(WARNING, "报告模板", path.name, "", f"{problem}；导出时使用内置模板", Target(PAGE_KEY))
        for path, problem in user_template_problems([r.template_name for r in REPORTS])
    ]
