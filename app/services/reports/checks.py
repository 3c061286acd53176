"""校验 of the reports: what would stop an export or make a report read wrong, section by section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.findings import WARNING, Finding, Target
from app.services.reports.build import build_blocks, open_report
from app.services.reports.definitions import REPORTS
from app.services.reports.exporters import export_scopes
from app.services.reports.scopes import INSPECTION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.registry import Registry

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
            if report.scope_kind == INSPECTION and scope_key:
                built.issues.extend(_claim_issues(session, instance, year, scope_key))
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
    findings.extend(template_findings())
    return findings


def _claim_issues(session: Session, instance, year: int, scope_key: str) -> list:
    """The user's prose about the 巡察's problems checked against the rectification register."""
    from app.services.reports.bindings import rectification_claim_problems
    from app.services.reports.build import Issue
    from app.services.reports.scopes import scope_id

    texts = []
    stack = list(instance.outline)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.kind != "generated" and node.stored and node.text and not node.hidden:
            texts.append((node, node.text))
    claims = rectification_claim_problems(session, scope_id(scope_key, "inspection"), year, texts)
    return [Issue(WARNING, node, "", message) for node, message in claims]


def template_findings() -> list[Finding]:
    from app.exports.docx_template import user_template_problems

    return [
        Finding(WARNING, "报告模板", path.name, "", f"{problem}；导出时使用内置模板", Target(PAGE_KEY))
        for path, problem in user_template_problems([r.template_name for r in REPORTS])
    ]
