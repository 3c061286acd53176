"""巡察整改进展情况: progress phrases generated from status and deadline (逾期 with the days), and
`check` warning where the user's prose claims a state the rectification register contradicts."""

from __future__ import annotations

from app.db import Database
from app.models.registers import Inspection
from app.registry import default_registry
from app.services.reports.bindings import inspection_sections
from app.services.reports.checks import report_findings
from app.services.reports.prose import ReportEdits, SectionText, load_sections, save_report

REPORT = "rectification_progress"


def _inspection(example_db: Database) -> int:
    with example_db.session() as s:
        return s.query(Inspection).order_by(Inspection.id).first().id


def _texts(sections) -> list[str]:
    found = []
    for section in sections:
        found.append(section.text)
        found.extend(_texts(section.children))
    return found


def test_overdue_problems_say_how_many_days_past_their_deadline(
    example_db: Database, example_unit_id: int
) -> None:
    inspection = _inspection(example_db)
    with example_db.session() as s:
        text = "\n".join(_texts(inspection_sections(s, example_unit_id, 2023, inspection)))
    # as of 31 December 2023, the days `check` reports for these two problems
    assert "该问题正在整改中，已逾期61天（整改时限为2023年10月31日），正加快推进。" in text
    assert "该问题正在整改中，已逾期184天（整改时限为2023年6月30日），正加快推进。" in text
    assert "该问题正在整改中，整改时限为2023年12月31日。" in text  # due on the last day: not late
    assert "正在整改中，整改时限为2023年10月31日。" not in text


def test_check_warns_where_prose_contradicts_the_register(example_db: Database, example_unit_id: int) -> None:
    inspection = _inspection(example_db)
    prose = (
        "经过集中整改，重点项目推进协调不力的问题已完成整改。"
        "容缺审批材料补齐不及时的问题正在整改。"
        "设计变更审批把关不严的问题正在整改中。"
        "工程竣工结算管理不规范的问题正在整改，整改时限为年底。"
    )
    scope = f"inspection:{inspection}"
    with example_db.session() as s:
        stored = load_sections(s, example_unit_id, 2023, REPORT, scope).get("responsibility")
    section = SectionText("responsibility", prose, version=stored.version if stored else None)
    save_report(
        example_db, example_unit_id, 2023, REPORT, scope, ReportEdits(sections={"responsibility": section})
    )
    with example_db.session() as s:
        findings = report_findings(s, default_registry(), example_unit_id, 2023)
    messages = [f.message for f in findings if "整改台账" in f.message or "文中未说明" in f.message]
    assert messages == [
        "文中称“重点项目推进协调不力”已完成整改，但整改台账中该问题已逾期61天，请核对",
        "文中称“容缺审批材料补齐不及时”正在整改，但该问题已逾期184天，文中未说明",
        "文中称“设计变更审批把关不严”正在整改，但整改台账中该问题已完成整改，2023年5月10日销号，请核对",
    ]
    assert all(f.level == "警告" for f in findings if f.message in messages)
