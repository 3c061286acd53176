"""Running every module's checks (校验) for a unit and year."""

from __future__ import annotations

from app.db import Database
from app.findings import Finding, sort_findings
from app.registry import Registry, default_registry
from app.services.run_cache import run_cache


def run_checks(db: Database, unit_id: int, year: int, registry: Registry | None = None) -> list[Finding]:
    registry = registry or default_registry()
    findings: list[Finding] = []
    with run_cache(), db.session() as session:
        for check in registry.checks:
            findings.extend(check.run(session, unit_id, year))
    return sort_findings(findings)
