"""Projects, inspections with hazards, documents and activities: validation, transactions, and
the statistics' definitions on small hand-made data (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.models.safety import SafetyHazard, SafetyInspection
from app.services.safety.checks import check_safety
from app.services.safety.forms import FormErrors
from app.services.safety.inspections import (
    HazardDraft,
    InspectionDraft,
    add_hazards,
    create_inspection,
    delete_inspection,
    load_hazard,
    load_inspection,
    overdue_count,
    rectify_hazard,
    update_hazard,
    update_inspection,
)
from app.services.safety.projects import (
    ProjectForm,
    change_status,
    create_project,
    delete_project,
    delete_status,
    load_project,
    status_history,
    update_project,
)
from app.services.safety.records import ActivityForm, DocumentForm, save_activity, save_document
from app.services.safety.stats import period_statistics
from app.services.unit import create_unit

TODAY = date(2024, 6, 30)


def _unit(db: Database) -> int:
    return create_unit(db, "测试县建筑工程服务中心", 2024)


def _project(
    db: Database, unit_id: int, name: str, status: str = "在建", since: date = date(2023, 3, 1), **kw
) -> int:
    form = ProjectForm(name=name, kind=kw.pop("kind", "房屋建筑"), **kw)
    return create_project(db, unit_id, form, status, since)


def _hazard(project_id: int | None, deadline: date | None, **kw) -> HazardDraft:
    return HazardDraft(
        project_id=project_id,
        description=kw.pop("description", "临边防护缺失"),
        category=kw.pop("category", "高处坠落"),
        deadline=deadline,
        **kw,
    )


def test_project_status_history_and_current_status(any_db: Database) -> None:
    unit_id = _unit(any_db)
    pid = _project(any_db, unit_id, "城北小区一期", "未开工", date(2023, 2, 1), area=Decimal("12000.5"))
    change_status(any_db, pid, "在建", date(2023, 4, 1))
    change_status(any_db, pid, "竣工验收", date(2024, 5, 20), "验收合格")
    with any_db.session() as s:
        history = status_history(s, pid)
    assert [(h.status, h.since) for h in history] == [
        ("未开工", date(2023, 2, 1)),
        ("在建", date(2023, 4, 1)),
        ("竣工验收", date(2024, 5, 20)),
    ]
    # Deleting the latest change brings the current status back.
    delete_status(any_db, history[-1].id)
    with any_db.session() as s:
        stats = period_statistics(s, unit_id, date(2024, 1, 1), date(2024, 12, 31))
    assert stats.housing.status_at_end["在建"] == 1
    assert stats.housing.area_m2 == Decimal("12000.50")


def test_project_validation_names_the_field(db: Database) -> None:
    unit_id = _unit(db)
    with pytest.raises(FormErrors) as caught:
        create_project(
            db, unit_id, ProjectForm(name=" ", area=Decimal("-1"), cost=Decimal("1.234")), "在建", TODAY
        )
    messages = {e.field: e.message for e in caught.value.errors}
    assert messages == {
        "name": "请填写项目名称",
        "area": "建筑面积不能为负数",
        "cost": "工程造价最多保留两位小数",
    }
    _project(db, unit_id, "城北小区一期")
    with pytest.raises(FormErrors, match="已有同名项目"):
        _project(db, unit_id, "城北小区一期 ")


def test_an_inspection_with_hazards_is_saved_whole_or_not_at_all(any_db: Database) -> None:
    unit_id = _unit(any_db)
    a = _project(any_db, unit_id, "城北小区一期")
    b = _project(any_db, unit_id, "城南学校")
    draft = InspectionDraft(date(2024, 6, 3), "专项检查", [a, b], campaign="", inspectors="李志刚、王建军")
    bad = [
        _hazard(a, date(2024, 6, 10)),
        _hazard(None, date(2024, 6, 1), description=""),
        _hazard(b, None, status="已整改"),
    ]
    # WHEN the form has problems on the inspection and on rows 2 and 3
    with pytest.raises(FormErrors) as caught:
        create_inspection(any_db, unit_id, draft, bad, today=TODAY)
    # THEN each is named by row and field, in Chinese, and nothing was written
    errors = [(e.row, e.field, e.message) for e in caught.value.errors]
    assert errors == [
        (None, "campaign", "请填写专项检查名称"),
        (1, "project_id", "第2条隐患：请选择项目"),
        (1, "description", "第2条隐患：请填写隐患描述"),
        (1, "deadline", "第2条隐患：整改期限不能早于检查日期（2024-06-03）"),
        (2, "deadline", "第3条隐患：请填写整改期限"),
        (2, "rectified_on", "第3条隐患：已整改的隐患请填写整改完成日期"),
    ]
    with any_db.session() as s:
        assert s.scalar(select(func.count()).select_from(SafetyInspection)) == 0
    # WHEN corrected, the inspection and both hazards are written together
    draft.campaign = "2024年安全生产月专项检查"
    good = [_hazard(a, date(2024, 6, 10)), _hazard(b, date(2024, 6, 20), level="重大", category="起重机械")]
    inspection_id = create_inspection(any_db, unit_id, draft, good, today=TODAY)
    with any_db.session() as s:
        rows = s.execute(
            select(SafetyHazard.project_id, SafetyHazard.found_on).order_by(SafetyHazard.id)
        ).all()
    assert rows == [(a, date(2024, 6, 3)), (b, date(2024, 6, 3))]
    # AND moving the inspection's date moves its hazards' found_on
    with any_db.session() as s:
        draft = load_inspection(s, inspection_id)
    draft.checked_on = date(2024, 6, 4)
    update_inspection(any_db, inspection_id, draft)
    with any_db.session() as s:
        assert set(s.scalars(select(SafetyHazard.found_on))) == {date(2024, 6, 4)}
    # AND a project with hazards cannot be taken off the inspection, nor deleted
    with any_db.session() as s:
        version = load_inspection(s, inspection_id).version
    with pytest.raises(FormErrors, match="不能从受检项目中移除"):
        update_inspection(
            any_db, inspection_id, InspectionDraft(date(2024, 6, 4), "月例行检查", [a], version=version)
        )
    with pytest.raises(UserError, match="不能删除"):
        delete_project(any_db, b, 1)
    with any_db.session() as s:
        draft = load_inspection(s, inspection_id)
        project_version = load_project(s, b).version
    delete_inspection(any_db, inspection_id, draft.version)
    delete_project(any_db, b, project_version)


def test_rectifying_and_overdue(any_db: Database) -> None:
    unit_id = _unit(any_db)
    pid = _project(any_db, unit_id, "城北小区一期")
    draft = InspectionDraft(date(2024, 6, 3), "月例行检查", [pid], inspectors="李志刚")
    create_inspection(
        any_db, unit_id, draft, [_hazard(pid, date(2024, 6, 10)), _hazard(pid, date(2024, 7, 10))]
    )
    with any_db.session() as s:
        first, second = s.scalars(select(SafetyHazard.id).order_by(SafetyHazard.id)).all()
        assert overdue_count(s, unit_id, 2024, today=TODAY) == 1
    with pytest.raises(FormErrors, match="整改完成日期不能早于检查日期"):
        rectify_hazard(any_db, first, date(2024, 6, 1), "李志刚", today=TODAY)
    with pytest.raises(FormErrors, match="不能晚于今天"):
        rectify_hazard(any_db, first, date(2024, 7, 1), "李志刚", today=TODAY)
    rectify_hazard(any_db, first, date(2024, 6, 12), "李志刚", today=TODAY)
    with any_db.session() as s:
        assert overdue_count(s, unit_id, 2024, today=TODAY) == 0
        assert overdue_count(s, unit_id, 2024, today=date(2024, 7, 11)) == 1
        record = load_hazard(s, first)
        stats = period_statistics(s, unit_id, date(2024, 6, 1), date(2024, 6, 30))
    assert (record.draft.status, record.draft.reviewer) == ("已整改", "李志刚")
    assert (stats.hazards_found, stats.hazards_found_rectified, stats.hazards_rectified) == (2, 1, 1)
    assert stats.rectification_rate == Decimal("0.5")
    # Reopening (status back to 整改中) clears the completion date.
    record.draft.status, record.draft.rectified_on = "整改中", None
    update_hazard(any_db, first, record.draft, today=TODAY)
    with any_db.session() as s:
        inspection_id = s.get(SafetyHazard, second).inspection_id
    added = add_hazards(any_db, inspection_id, [_hazard(pid, date(2024, 6, 5))])
    with any_db.session() as s:
        assert overdue_count(s, unit_id, 2024, today=TODAY) == 2
        assert len(added) == 1


def test_supervised_completed_and_status_at_the_end_of_a_period(db: Database) -> None:
    unit_id = _unit(db)
    # finished before the period: not supervised in it
    old = _project(db, unit_id, "老城区项目", since=date(2021, 5, 1))
    change_status(db, old, "竣工验收", date(2022, 11, 1))
    # finished in the period: supervised and completed
    done = _project(db, unit_id, "完工项目", since=date(2022, 5, 1), cost=Decimal("1000"))
    change_status(db, done, "竣工验收", date(2023, 8, 1))
    change_status(db, done, "竣工验收备案", date(2023, 8, 20))
    # registered after the period: not supervised in it
    _project(db, unit_id, "明年项目", "未开工", date(2024, 2, 1))
    # suspended in the period, restarted after it: 停工 at the end
    stop = _project(
        db, unit_id, "停工项目", since=date(2023, 1, 10), kind="市政基础设施", cost=Decimal("2500.5")
    )
    change_status(db, stop, "停工", date(2023, 9, 1))
    change_status(db, stop, "在建", date(2024, 3, 1))
    with db.session() as s:
        stats = period_statistics(s, unit_id, date(2023, 1, 1), date(2023, 12, 31))
    assert (stats.housing.supervised, stats.municipal.supervised) == (1, 1)
    assert stats.completed == 1
    assert stats.housing.status_at_end["竣工验收备案"] == 1
    assert stats.status_at_end("停工") == 1 and stats.unfinished_at_end() == 1
    assert stats.municipal.cost_yi == Decimal("0.25") and stats.housing.cost_yi == Decimal("0.10")


def test_checks_count_project_visits_and_campaigns_once(db: Database) -> None:
    unit_id = _unit(db)
    a, b, c = (_project(db, unit_id, name) for name in ("甲项目", "乙项目", "丙项目"))
    for day, projects in ((date(2023, 6, 1), [a, b]), (date(2023, 6, 2), [c])):
        create_inspection(
            db, unit_id, InspectionDraft(day, "专项检查", projects, campaign="安全生产月专项检查"), []
        )
    create_inspection(db, unit_id, InspectionDraft(date(2023, 6, 5), "月例行检查", [a]), [])
    create_inspection(
        db, unit_id, InspectionDraft(date(2023, 6, 6), "起重机械检测", [b], campaign="第2轮"), []
    )
    with db.session() as s:
        stats = period_statistics(s, unit_id, date(2023, 6, 1), date(2023, 6, 30))
    assert (stats.inspections, stats.checks, stats.projects_inspected) == (4, 5, 3)
    assert (stats.special_checks, stats.crane_rounds) == (1, 1)
    assert stats.checks_by_kind == {"专项检查": 3, "月例行检查": 1, "起重机械检测": 1}


def test_documents_and_activities(any_db: Database) -> None:
    unit_id = _unit(any_db)
    a = _project(any_db, unit_id, "甲项目")
    b = _project(any_db, unit_id, "乙项目")
    create_inspection(
        any_db, unit_id, InspectionDraft(date(2024, 5, 6), "月例行检查", [a]), [_hazard(a, date(2024, 5, 13))]
    )
    with any_db.session() as s:
        hazard_id = s.scalar(select(SafetyHazard.id))
    notice = DocumentForm(
        "隐患整改通知书",
        date(2024, 5, 6),
        "汨建安改〔2024〕001号",
        a,
        date(2024, 5, 13),
        None,
        "",
        [hazard_id],
    )
    save_document(any_db, unit_id, notice, today=TODAY)
    with pytest.raises(FormErrors, match="已被另一份隐患整改通知书使用"):
        save_document(any_db, unit_id, notice, today=TODAY)
    wrong = DocumentForm("停工整改通知书", date(2024, 5, 6), "", b, date(2024, 5, 1), None, "", [hazard_id])
    with pytest.raises(FormErrors) as caught:
        save_document(any_db, unit_id, wrong, today=TODAY)
    assert [e.message for e in caught.value.errors] == ["整改期限不能早于下发日期"]
    wrong.deadline = None
    with pytest.raises(FormErrors, match="关联的隐患应属于所选项目"):
        save_document(any_db, unit_id, wrong, today=TODAY)
    save_activity(any_db, unit_id, ActivityForm("警示约谈", date(2024, 5, 20), "质量安全警示约谈会", 25))
    with pytest.raises(FormErrors, match="参加人数"):
        save_activity(any_db, unit_id, ActivityForm("培训", date(2024, 5, 20), "", -3))
    with any_db.session() as s:
        stats = period_statistics(s, unit_id, date(2024, 5, 1), date(2024, 5, 31))
        findings = check_safety(s, unit_id, 2024, today=TODAY)
    assert stats.documents_by_kind == {"隐患整改通知书": 1}
    assert stats.documents_overdue_at_end == 1
    assert (stats.activities_by_kind, stats.participants_by_kind) == ({"警示约谈": 1}, {"警示约谈": 25})
    texts = [f.message for f in findings]
    assert (
        "2024年发现的隐患中有1条已超过整改期限仍未整改（最早期限2024-05-13），请督促整改或核实状态" in texts
    )
    assert "2024年下发的文书中有1份已过整改期限但未填写办结日期" in texts


def test_update_project_keeps_status(db: Database) -> None:
    unit_id = _unit(db)
    pid = _project(db, unit_id, "甲项目", "停工", date(2023, 1, 1))
    form = ProjectForm(name="甲项目（二期）", kind="工业", permit_no="430681202301010101", version=1)
    update_project(db, pid, form)
    with db.session() as s:
        stats = period_statistics(s, unit_id, date(2023, 1, 1), date(2023, 12, 31))
    assert stats.kind("工业").status_at_end["停工"] == 1


def test_example_has_the_overdue_badge_count(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        # The 19 hazards of December 2023 left open are all overdue by now.
        assert overdue_count(s, example_unit_id, 2023, today=date(2024, 3, 1)) == 19
        assert overdue_count(s, example_unit_id, 2023, today=date(2023, 12, 31)) == 7
        early = date(2023, 12, 1) - timedelta(days=1)
        assert overdue_count(s, example_unit_id, 2023, today=early) == 0
