"""校验 of the registers: records that break a rule, and deadlines that have passed."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.findings import ERROR, WARNING, Finding, Target
from app.models.registers import Petition, RectificationProblem
from app.services.registers import petitions as pt
from app.services.registers import rectification as rc
from app.services.registers.common import as_of_for_year, year_bounds

PETITION_TABLE = "信访登记"
RECTIFICATION_TABLE = "巡察整改"
MAX_LISTED = 30  # beyond this many overdue items, one summary line


def check_petitions(session: Session, unit_id: int, year: int, today: date | None = None) -> list[Finding]:
    start, end = year_bounds(year)
    as_of = as_of_for_year(year, today)
    names = [f.name for f in fields(pt.PetitionData) if f.name != "id"]
    rows = session.execute(
        select(Petition.id, *(getattr(Petition, n) for n in names))
        .where(Petition.unit_id == unit_id, Petition.received_on >= start, Petition.received_on <= end)
        .order_by(Petition.received_on, Petition.id)
    ).all()
    findings: list[Finding] = []
    overdue: list[Finding] = []
    for row in rows:
        data = pt.PetitionData(id=row[0], **dict(zip(names, row[1:], strict=True)))
        for key, message in pt.validate_petition(data).items():
            findings.append(
                Finding(
                    ERROR,
                    PETITION_TABLE,
                    data.number,
                    pt.LABELS.get(key, key),
                    message,
                    _petition(data.id, key),
                )
            )
        passed = [(label, due) for label, due in pt.pending_deadlines(data) if due < as_of]
        if passed:
            label, due = passed[0]
            todo = (
                "受理" if data.status == pt.PETITION_PENDING else ("告知" if label == "告知期限" else "办结")
            )
            overdue.append(
                Finding(
                    WARNING,
                    PETITION_TABLE,
                    data.number,
                    label,
                    f"已超过{label}（{due.isoformat()}）{(as_of - due).days}天，尚未{todo}",
                    _petition(data.id, "due_on"),
                )
            )
    findings += overdue[:MAX_LISTED]
    if len(overdue) > MAX_LISTED:
        findings.append(
            Finding(
                WARNING,
                PETITION_TABLE,
                "",
                "办理期限",
                f"另有{len(overdue) - MAX_LISTED}件超期事项未列出，请在信访登记中筛选“已超期”查看",
                Target(pt.PAGE_KEY, "filter:overdue"),
            )
        )
    return findings


def _petition(petition_id: int | None, field: str) -> Target:
    return Target(pt.PAGE_KEY, f"petition:{petition_id}", field)


def check_rectification(
    session: Session, unit_id: int, year: int, today: date | None = None
) -> list[Finding]:
    as_of = as_of_for_year(year, today)
    findings: list[Finding] = []
    for inspection_id in rc.inspections_active_in(session, unit_id, year):
        # The problems with their measures in two queries; load_problem then finds each one in
        # the session (kept alive by `problems`) instead of reading it again.
        problems = session.scalars(
            select(RectificationProblem)
            .where(RectificationProblem.inspection_id == inspection_id)
            .options(selectinload(RectificationProblem.measures))
            .order_by(RectificationProblem.number)
        ).all()
        for problem_id in [problem.id for problem in problems]:
            data = rc.load_problem(session, problem_id)
            label = f"问题{data.number}：{_short(data.description)}"
            record = f"problem:{problem_id}"
            warnings = rc.problem_warnings(data, as_of)
            warnings.pop("completed_on", None)  # "later than today" only matters while typing
            for level, messages in ((ERROR, rc.validate_problem(data)), (WARNING, warnings)):
                for key, message in messages.items():
                    findings.append(
                        Finding(
                            level,
                            RECTIFICATION_TABLE,
                            label,
                            rc.PROBLEM_LABELS.get(key, key),
                            message,
                            Target(rc.PAGE_KEY, record, key),
                        )
                    )
    return findings


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
