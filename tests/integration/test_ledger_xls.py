"""An old .xls 隐患台账 (WPS 2003 format: merged title, a two-row header with 整改情况 merged over
three columns, a project cell merged over three rows, text and real dates, a 合计 row) imports
through the whole pipeline into the records it describes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import apply_plan, plan_import
from app.models.safety import SafetyHazard, SafetyInspection, SafetyProject
from app.services.unit import create_unit

OLD_XLS = Path(__file__).resolve().parents[1] / "fixtures" / "ledgers" / "隐患台账-旧版.xls"


def test_the_old_xls_ledger_becomes_hazards_inspections_and_projects(db: Database) -> None:
    unit_id = create_unit(db, "汨罗市建筑工程服务中心", 2023)
    plan = plan_import(db, unit_id, "hazards", OLD_XLS, ImportOptions(year=2023))
    assert plan.blockers("skip") == []
    assert plan.sheets[0].header is not None
    assert (plan.sheets[0].header.first_row, plan.sheets[0].header.last_row) == (2, 3)
    assert plan.additions == {
        "工程项目": [
            "汨罗市城南安置小区二期工程",
            "汨罗市第一中学教学楼（扩建）项目",
            "汨罗市人民医院住院综合楼",
        ],
        "隐患类别": ["坍塌"],  # not on the unit's list, nor a synonym of an entry: added, and named
    }
    result = apply_plan(db, unit_id, plan)
    assert result.counts.created["隐患"] == 5
    with db.session() as session:
        hazards = session.scalars(select(SafetyHazard).order_by(SafetyHazard.id)).all()
        projects = {p.id: p.name for p in session.scalars(select(SafetyProject))}
        first = hazards[0]
        inspection = session.get(SafetyInspection, first.inspection_id)
        assert inspection is not None and inspection.inspectors == "李建国、王芳"
        assert projects[first.project_id] == "汨罗市城南安置小区二期工程"
        assert (first.found_on, first.description, first.category) == (
            date(2023, 3, 12),
            "3#楼临边防护栏杆缺失",
            "高处坠落",
        )
        assert (first.deadline, first.rectified_on, first.status) == (
            date(2023, 3, 19),
            date(2023, 3, 18),
            "已整改",
        )
        # the merged project cell names the project of the three rows it spans
        assert [projects[h.project_id] for h in hazards[:3]] == ["汨罗市城南安置小区二期工程"] * 3
        last = hazards[4]
        assert last.found_on == date(2023, 5, 6) and last.deadline == date(
            2023, 5, 20
        )  # "5月20日": the title's year
