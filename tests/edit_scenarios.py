"""The two-editor scenarios of every editor: how each loads, changes and saves its record.

Shared by tests/unit/test_edit_conflicts.py and bench/lost_updates.py (which also runs them
against older trees of the app, so nothing here may use what those trees lack)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.db import Database
from app.services.registers import petitions as pt
from app.services.registers import rectification as rc
from app.services.safety import inspections as si
from app.services.safety import projects as sp
from app.services.safety import records as sr

TODAY = date(2024, 7, 1)


@dataclass
class Editor:
    """How one editor loads, changes (field → value) and saves its record."""

    name: str
    make: Callable[[Database, int], int]  # a new record; its id
    load: Callable[[Database, int], Any]
    save: Callable[[Database, int, int, Any], None]  # (db, unit_id, record id, form)
    mine: tuple[str, Any]  # A's change
    theirs: tuple[str, Any]  # B's change, to another field
    delete: Callable[[Database, int, int | None], None] | None = None


def _session_load(loader: Callable[..., Any]) -> Callable[[Database, int], Any]:
    def load(db: Database, record_id: int) -> Any:
        with db.session() as session:
            return loader(session, record_id)

    return load


def _petition(db: Database, unit_id: int) -> int:
    with db.session() as s:
        data = pt.new_petition(s, unit_id, date(2024, 3, 1))
    data.channel, data.category, data.summary = "来信", "房屋质量", "屋面渗漏"
    return pt.save_petition(db, unit_id, data)


def _project(db: Database, unit_id: int) -> int:
    return sp.create_project(db, unit_id, sp.ProjectForm(name="罗城小区一期"), "在建", date(2024, 1, 5))


def _safety_inspection(db: Database, unit_id: int) -> int:
    pid = _project(db, unit_id)
    hazard = si.HazardDraft(pid, "临边防护缺失", "高处坠落", date(2024, 6, 20))
    draft = si.InspectionDraft(date(2024, 6, 3), "月例行检查", [pid], inspectors="李四、王五")
    return si.create_inspection(db, unit_id, draft, [hazard], today=TODAY)


def _hazard(db: Database, unit_id: int) -> int:
    inspection_id = _safety_inspection(db, unit_id)
    with db.session() as s:
        return s.scalars(
            si.select(si.SafetyHazard.id).where(si.SafetyHazard.inspection_id == inspection_id)
        ).one()


def _document(db: Database, unit_id: int) -> int:
    form = sr.DocumentForm(kind="隐患整改通知书", issued_on=date(2024, 6, 3), number="汨建安改〔2024〕001号")
    return sr.save_document(db, unit_id, form, today=TODAY)


def _activity(db: Database, unit_id: int) -> int:
    return sr.save_activity(db, unit_id, sr.ActivityForm("会议", date(2024, 5, 8), "质量安全会", 30))


def _rect_inspection(db: Database, unit_id: int) -> int:
    data = rc.InspectionData(
        name="县委第二巡察组巡察", team="第二巡察组", aspects=[rc.AspectData("党建方面")]
    )
    return rc.save_inspection(db, unit_id, data)


def _problem(db: Database, unit_id: int) -> int:
    inspection_id = _rect_inspection(db, unit_id)
    with db.session() as s:
        data = rc.new_problem(s, inspection_id)
    data.description, data.measures = "制度执行不严", ["一是修订制度", "二是开展培训"]
    return rc.save_problem(db, data)


EDITORS = [
    Editor(
        "信访事项",
        _petition,
        _session_load(pt.load_petition),
        lambda db, unit_id, _id, form: pt.save_petition(db, unit_id, form),
        ("summary", "屋面渗漏，影响三户"),
        ("phone", "13812345668"),
        lambda db, rid, version: pt.delete_petition(db, rid, version),
    ),
    Editor(
        "工程项目",
        _project,
        _session_load(sp.load_project),
        lambda db, _unit, rid, form: sp.update_project(db, rid, form),
        ("contractor", "湖南建工集团"),
        ("location", "罗城路18号"),
        lambda db, rid, version: sp.delete_project(db, rid, version),
    ),
    Editor(
        "检查记录",
        _safety_inspection,
        _session_load(si.load_inspection),
        lambda db, _unit, rid, form: si.update_inspection(db, rid, form),
        ("summary", "共检查1个项目"),
        ("inspectors", "李四、王五、赵六"),
        lambda db, rid, version: si.delete_inspection(db, rid, version),
    ),
    Editor(
        "隐患",
        _hazard,
        lambda db, rid: _session_load(si.load_hazard)(db, rid).draft,
        lambda db, _unit, rid, form: si.update_hazard(db, rid, form, TODAY),
        ("measures", "立即设置防护栏杆"),
        ("responsible", "项目经理张三"),
        lambda db, rid, version: si.delete_hazard(db, rid, version),
    ),
    Editor(
        "执法文书",
        _document,
        _session_load(sr.load_document),
        lambda db, unit_id, rid, form: sr.save_document(db, unit_id, form, rid, TODAY),
        ("note", "已送达"),
        ("deadline", date(2024, 6, 30)),
        lambda db, rid, version: sr.delete_document(db, rid, version),
    ),
    Editor(
        "工作活动",
        _activity,
        _session_load(sr.load_activity),
        lambda db, unit_id, rid, form: sr.save_activity(db, unit_id, form, rid),
        ("title", "全县质量安全工作会"),
        ("participants", 45),
        lambda db, rid, version: sr.delete_activity(db, rid, version),
    ),
    Editor(
        "巡察",
        _rect_inspection,
        _session_load(rc.load_inspection),
        lambda db, unit_id, _id, form: rc.save_inspection(db, unit_id, form),
        ("note", "反馈问题12个"),
        ("team", "县委第三巡察组"),
        lambda db, rid, version: rc.delete_inspection(db, rid, version),
    ),
    Editor(
        "整改问题",
        _problem,
        _session_load(rc.load_problem),
        lambda db, _unit, _id, form: rc.save_problem(db, form),
        ("measures", ["修订制度", "开展培训", "加强督查"]),
        ("leader", "张局长"),
        lambda db, rid, version: rc.delete_problem(db, rid, version),
    ),
]
