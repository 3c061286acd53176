"""校验 of the safety records for a year: what a supervisor should look at before reporting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.findings import ERROR, WARNING, Finding, Target
from app.models.safety import SafetyDocument, SafetyHazard, SafetyProject
from app.services.safety.constants import BUILDING, HOUSING, OPEN_HAZARD_STATUSES, RECTIFIED
from app.services.safety.periods import Period
from app.services.safety.stats import period_statistics
from app.services.safety.workload import problems_for_period

PAGE = "safety"
TABLE = "安全监督"


def _names(names: list[str], limit: int = 3) -> str:
    shown = "、".join(f"“{n}”" for n in names[:limit])
    return shown + (f"等{len(names)}个" if len(names) > limit else "")


def check_safety(session: Session, unit_id: int, year: int, today: date | None = None) -> list[Finding]:
    today = today or date.today()
    period = Period.year(year)
    findings: list[Finding] = []
    in_year = SafetyHazard.found_on.between(period.start, period.end)
    unit = SafetyHazard.unit_id == unit_id

    overdue = session.execute(
        select(func.count(), func.min(SafetyHazard.deadline)).where(
            unit, in_year, SafetyHazard.status.in_(OPEN_HAZARD_STATUSES), SafetyHazard.deadline < today
        )
    ).one()
    if overdue[0]:
        findings.append(
            Finding(
                WARNING,
                "隐患排查治理台账",
                "",
                "整改期限",
                f"{year}年发现的隐患中有{overdue[0]}条已超过整改期限仍未整改（最早期限{overdue[1]}），请督促整改或核实状态",
                Target(PAGE, "hazards:overdue"),
            )
        )
    unreviewed = session.scalar(
        select(func.count()).where(
            unit, in_year, SafetyHazard.status == RECTIFIED, SafetyHazard.reviewer == ""
        )
    )
    if unreviewed:
        findings.append(
            Finding(
                WARNING,
                "隐患排查治理台账",
                "",
                "复查人",
                f"{unreviewed}条已整改的隐患未填写复查人，台账中将为空",
                Target(PAGE, "hazards:unreviewed"),
            )
        )

    documents = session.scalar(
        select(func.count()).where(
            SafetyDocument.unit_id == unit_id,
            SafetyDocument.issued_on.between(period.start, period.end),
            SafetyDocument.deadline < today,
            SafetyDocument.closed_on.is_(None),
        )
    )
    if documents:
        findings.append(
            Finding(
                WARNING,
                "执法文书登记表",
                "",
                "办结日期",
                f"{year}年下发的文书中有{documents}份已过整改期限但未填写办结日期",
                Target(PAGE, "documents:overdue"),
            )
        )

    stats = period_statistics(session, unit_id, period.start, period.end)
    if stats.housing.without_area or stats.housing.without_cost:
        missing = list(
            session.scalars(
                select(SafetyProject.name)
                .where(
                    SafetyProject.unit_id == unit_id,
                    SafetyProject.kind == HOUSING,
                    or_(SafetyProject.area.is_(None), SafetyProject.cost.is_(None)),
                )
                .order_by(SafetyProject.name)
            )
        )
        if missing:
            findings.append(
                Finding(
                    WARNING,
                    "工程项目清单",
                    "",
                    "建筑面积/工程造价",
                    f"房屋建筑项目{_names(missing)}未填写建筑面积或工程造价，"
                    f"{year}年监管项目的总面积、总造价将不完整",
                    Target(PAGE, "projects:incomplete"),
                )
            )
    no_permit = list(
        session.scalars(
            select(SafetyProject.name)
            .where(
                SafetyProject.unit_id == unit_id,
                SafetyProject.status == BUILDING,
                SafetyProject.permit_no == "",
            )
            .order_by(SafetyProject.name)
        )
    )
    if no_permit:
        findings.append(
            Finding(
                WARNING,
                "工程项目清单",
                "",
                "施工许可证号",
                f"在建项目{_names(no_permit)}未填写施工许可证号，请核实是否已办理施工许可",
                Target(PAGE, "projects:no_permit"),
            )
        )

    periods = [period, *(Period.quarter(year, q) for q in range(1, 5))]
    seen: set[str] = set()
    for part in periods:
        for name, message in problems_for_period(session, unit_id, part.start, part.end):
            text = f"{part.label()}：{message}"
            if message in seen:
                continue
            seen.add(message)
            level = WARNING if "重叠" in message else ERROR
            findings.append(
                Finding(
                    level, "工作量统计", name, "", text, Target(PAGE, f"workload:{part.start}:{part.end}")
                )
            )
    return findings
