"""巡察整改进展情况: progress phrases generated from status and deadline (逾期 with the days), and
`check` warning where the user's prose claims a state the rectification register contradicts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from app.db import Database
from app.models.registers import Inspection, RectificationMeasure, RectificationProblem
from app.registry import default_registry
from app.services.reports.bindings import inspection_sections, report_as_of
from app.services.reports.checks import report_findings
from app.services.reports.prose import ReportEdits, ReportSettings, SectionText, load_sections, save_report

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
        as_of = date(2023, 12, 31)
        text = "\n".join(_texts(inspection_sections(s, example_unit_id, 2023, inspection, as_of)))
        # without a date: the report's 成文日期, else 31 December of the year (as its 截至 summary)
        later = "\n".join(_texts(inspection_sections(s, example_unit_id, 2023, inspection)))
    # as of 31 December 2023, the days `check` reports for these two problems
    assert "该问题正在整改中，已逾期61天（整改时限为2023年10月31日），正加快推进。" in text
    assert "该问题正在整改中，已逾期184天（整改时限为2023年6月30日），正加快推进。" in text
    assert "该问题正在整改中，整改时限为2023年12月31日。" in text  # due on the last day: not late
    assert "正在整改中，整改时限为2023年10月31日。" not in text
    # done: with the completion date recorded, and the 销号
    assert "该问题已于2023年4月20日完成整改，2023年5月10日销号。" in text
    assert "该问题已于2023年6月30日完成阶段性整改，相关工作长期坚持。" in text
    assert "该问题已于2023年6月25日完成整改。" in text  # not struck off yet
    assert later == text


def test_the_progress_is_stated_as_of_the_reports_date(example_db: Database, example_unit_id: int) -> None:
    inspection = _inspection(example_db)
    scope = f"inspection:{inspection}"
    with example_db.session() as s:
        assert report_as_of(s, example_unit_id, 2023, inspection) == date(2023, 12, 31)  # the year's end
    _set_date(example_db, example_unit_id, scope, date(2023, 11, 30))
    with example_db.session() as s:
        assert report_as_of(s, example_unit_id, 2023, inspection) == date(2023, 11, 30)
        text = "\n".join(_texts(inspection_sections(s, example_unit_id, 2023, inspection)))
    assert "该问题正在整改中，已逾期30天（整改时限为2023年10月31日），正加快推进。" in text
    assert "该问题正在整改中，整改时限为2023年12月31日。" in text


def test_a_problem_not_started_says_so_with_its_delay(example_db: Database, example_unit_id: int) -> None:
    inspection = _inspection(example_db)
    with example_db.transaction() as s:
        s.execute(
            update(RectificationProblem)
            .where(RectificationProblem.due_on == date(2023, 6, 30), RectificationProblem.status == "整改中")
            .values(status="未启动")
        )
    with example_db.session() as s:
        text = "\n".join(
            _texts(inspection_sections(s, example_unit_id, 2023, inspection, date(2023, 12, 31)))
        )
        early = "\n".join(_texts(inspection_sections(s, example_unit_id, 2023, inspection, date(2023, 6, 1))))
    assert "该问题尚未启动整改，已逾期184天（整改时限为2023年6月30日），正加快推进。" in text
    assert "该问题尚未启动整改，整改时限为2023年6月30日。" in early


def _set_date(example_db: Database, unit_id: int, scope: str, sign_date: date) -> None:
    save_report(
        example_db, unit_id, 2023, REPORT, scope, ReportEdits(settings=ReportSettings(sign_date=sign_date))
    )


def _check(example_db: Database, unit_id: int) -> list[str]:
    with example_db.session() as s:
        findings = report_findings(s, default_registry(), unit_id, 2023)
    claims = [f for f in findings if f.message.endswith("请核对") and f.field.startswith("问题")]
    assert all(f.level == "警告" for f in claims)
    return [f.text() for f in claims]


def test_check_warns_where_prose_contradicts_the_register(example_db: Database, example_unit_id: int) -> None:
    inspection = _inspection(example_db)
    prose = (
        "经过集中整改，重点项目推进协调不力的问题已完成整改。"
        "容缺审批材料补齐不及时的问题正在整改。"
        "设计变更审批把关不严的问题正在整改中。"
        "工程竣工结算管理不规范的问题正在整改，整改时限为年底。"
    )
    scope = f"inspection:{inspection}"
    assert _check(example_db, example_unit_id) == []  # the example's own prose claims nothing wrong
    section = _section(example_db, example_unit_id, scope, "responsibility", prose)
    save_report(
        example_db, example_unit_id, 2023, REPORT, scope, ReportEdits(sections={"responsibility": section})
    )
    _set_date(example_db, example_unit_id, scope, date(2023, 12, 31))  # the 成文日期: as `check` counts
    where = (
        "[警告] 报告：巡察整改进展情况（市委第二巡察组工程建设和房地产领域专项巡察）"
        " › 一、提高政治站位，压实整改主体责任"
    )
    assert _check(example_db, example_unit_id) == [
        f"{where} › 问题5：重点项目推进协调不力，“围而不建”现…：文中写“已完成整改”，"
        "但整改台账中该问题尚未完成整改，已逾期61天（整改时限为2023年10月31日），请核对",
        f"{where} › 问题10：容缺审批材料补齐不及时：文中写“正在整改”，"
        "未说明该问题已逾期184天（整改时限为2023年6月30日），请核对",
        f"{where} › 问题6：设计变更审批把关不严：文中写“正在整改”，"
        "但整改台账中该问题已于2023年4月20日完成整改，2023年5月10日销号，请核对",
    ]


def test_a_claim_denied_or_aimed_at_is_not_a_claim(example_db: Database, example_unit_id: int) -> None:
    inspection = _inspection(example_db)
    prose = (
        "重点项目推进协调不力的问题尚未完成整改，已逾期，正加快推进。"
        "确保“结算难”问题按期完成整改。"
        "容缺审批材料补齐不及时的问题正在整改，已超期，正在督办。"
        "对已完成整改的问题适时开展“回头看”。"
    )
    scope = f"inspection:{inspection}"
    save_report(
        example_db,
        example_unit_id,
        2023,
        REPORT,
        scope,
        ReportEdits(sections={"next": _section(example_db, example_unit_id, scope, "next", prose)}),
    )
    assert _check(example_db, example_unit_id) == []


def test_check_reads_a_problems_measures_too(example_db: Database, example_unit_id: int) -> None:
    with example_db.transaction() as s:
        problem_id = s.scalar(
            select(RectificationProblem.id)
            .where(RectificationProblem.due_on == date(2023, 6, 30))
            .where(RectificationProblem.status == "整改中")
        )
        measure = s.scalars(
            select(RectificationMeasure).where(RectificationMeasure.problem_id == problem_id)
        ).first()
        measure.text = "督办建设单位及时补充容缺材料，相关项目已全部整改到位"
    _set_date(example_db, example_unit_id, f"inspection:{_inspection(example_db)}", date(2023, 12, 31))
    with example_db.session() as s:
        findings = report_findings(s, default_registry(), example_unit_id, 2023)
    (found,) = [f for f in findings if f.field.startswith("问题10")]
    assert (
        found.row
        == "三、整改落实情况 › （三）防范化解风险、维护群众切身利益 › 1.着力解决容缺审批材料补齐不及时的问题"
    )
    assert found.message == (
        "整改措施中写“已全部整改到位”，但整改台账中该问题尚未完成整改，已逾期184天（整改时限为2023年6月30日），请核对"
    )
    assert (found.target.page, found.target.record, found.target.field) == (
        "rectification",
        f"problem:{problem_id}",
        "measures",
    )


def _section(example_db: Database, unit_id: int, scope: str, key: str, text: str) -> SectionText:
    with example_db.session() as s:
        stored = load_sections(s, unit_id, 2023, REPORT, scope).get(key)
    return SectionText(key, text, version=stored.version if stored else None)
