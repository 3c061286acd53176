"""Importing 工程项目清单 ledgers (three WPS-style layouts) through plan_import / apply_plan: the
projects and status histories created, the row problems, duplicates (skip / update) against the
example data and a re-import, and undo of the batch."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.importers.ledgers import batches
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import apply_plan, plan_import
from app.models.safety import SafetyProject, SafetyProjectStatus
from app.services.unit import create_unit
from tests.ledgers import build_projects as build


@pytest.fixture
def unit_id(db: Database) -> int:
    return create_unit(db, "测试县建筑工程服务中心", 2023)


def _import(db: Database, unit_id: int, path: Path, on_duplicate: str = "skip", **options):
    plan = plan_import(db, unit_id, "projects", path, ImportOptions(year=2023, **options))
    assert plan.blockers(on_duplicate) == []
    return plan, apply_plan(db, unit_id, plan, on_duplicate)


def _projects(db: Database, unit_id: int) -> dict[str, SafetyProject]:
    with db.session() as session:
        rows = session.scalars(select(SafetyProject).where(SafetyProject.unit_id == unit_id)).all()
        return {p.name: p for p in rows}


def _history(db: Database, project_id: int) -> list[tuple[str, date]]:
    with db.session() as session:
        rows = session.execute(
            select(SafetyProjectStatus.status, SafetyProjectStatus.since)
            .where(SafetyProjectStatus.project_id == project_id)
            .order_by(SafetyProjectStatus.since)
        )
        return [tuple(r) for r in rows]


def test_list_layout_creates_every_project_with_its_status_history(db, unit_id, tmp_path):
    built = build.write_list(tmp_path / "项目清单.xlsx", 12)
    plan, result = _import(db, unit_id, built.path)

    assert plan.sheets[0].skipped == 1  # the 合计 row
    assert {m.field for m in plan.sheets[0].matches} >= {"name", "area", "cost", "status", "started_on"}
    assert result.counts.created == {"项目": 12}
    projects = _projects(db, unit_id)
    assert len(projects) == 12
    first = projects["城东安置房项目"]
    assert (first.kind, first.location, first.developer) == (
        "房屋建筑",
        "汨罗市城东镇罗江路1号",
        "汨罗市城市建设投资开发有限公司",
    )
    assert (first.contractor, first.supervision_firm) == (
        "湖南省汨江建设工程有限公司",
        "湖南正弘工程监理有限公司",
    )
    assert (first.area, first.cost, first.permit_no) == (
        Decimal("3500.00"),
        Decimal("500.00"),
        "430681202301100001",
    )
    assert (first.status, first.status_since, first.note, first.version) == (
        "在建",
        date(2023, 1, 1),
        "重点项目",
        1,
    )
    assert first.changed_at is not None
    # 已竣工验收 with 开工 2022-04-22 and 竣工 2023-02-19: 在建 first, then 竣工验收.
    done = projects["罗江安置房项目"]
    assert (done.status, done.status_since, done.cost) == ("竣工验收", date(2023, 2, 19), Decimal("13619.03"))
    assert _history(db, done.id) == [("在建", date(2022, 4, 22)), ("竣工验收", date(2023, 2, 19))]
    # 已备案 → 竣工验收备案 from its 竣工日期.
    filed = projects["新市实验中学教学楼项目"]
    assert (filed.status, filed.status_since) == ("竣工验收备案", date(2023, 10, 31))
    # 停工 without a 状态日期: from its 开工日期 2023-03-15 (later than 1 January), with a note.
    stopped = projects["归义安置房项目"]
    assert _history(db, stopped.id) == [("停工", date(2023, 3, 15))]
    assert "项目清单 第5行：未填写状态日期，“停工”自2023年3月15日起计" in result.notes
    # 未开工 with no date: from 1 January of the ledger's year.
    assert _history(db, projects["白水安置房项目"].id) == [("未开工", date(2023, 1, 1))]


def test_grouped_header_with_units_in_the_header_and_short_spellings(db, unit_id, tmp_path):
    built = build.write_grouped(tmp_path / "台账.xlsx", 10, start=25)
    plan, result = _import(db, unit_id, built.path)

    assert (plan.sheets[0].header.first_row, plan.sheets[0].header.last_row) == (3, 4)
    fields = {m.header: m.field for m in plan.sheets[0].matches}
    assert fields["规模/面积（万㎡）"] == "area" and fields["参建单位/施工单位"] == "contractor"
    assert result.counts.created == {"项目": 10}
    projects = _projects(db, unit_id)
    sewage = projects["城东污水处理厂提标改造项目"]  # 市政, 施工中, "4.46万㎡", "11690.3万元"
    assert (sewage.kind, sewage.status, sewage.status_since) == ("市政基础设施", "在建", date(2023, 7, 22))
    assert (sewage.area, sewage.cost) == (Decimal("44600.00"), Decimal("11690.30"))
    hospital = projects["古仑人民医院住院楼项目"]  # 房建, 竣工 on the 状态日期 2023.2.22
    assert (hospital.kind, hospital.status, hospital.status_since) == (
        "房屋建筑",
        "竣工验收",
        date(2023, 2, 22),
    )
    assert projects["长乐人民医院住院楼项目"].status == "竣工验收备案"  # 已备案
    assert projects["归义污水处理厂提标改造项目"].status == "停工"
    assert projects["白水污水处理厂提标改造项目"].status == "未开工"
    assert {p.location for p in projects.values()} == {""}  # the layout has no 建设地点


def test_quarterly_sheets_with_text_dates_and_amounts_in_yuan(db, unit_id, tmp_path):
    built = build.write_quarters(tmp_path / "2023年新增项目.xlsx", 16)
    plan, result = _import(db, unit_id, built.path)

    assert [s.title for s in plan.sheets] == ["一季度", "二季度", "三季度", "四季度"]
    assert [s.title_year for s in plan.sheets] == [2023] * 4
    assert result.counts.created == {"项目": 16}
    projects = _projects(db, unit_id)
    assert len(projects) == 16
    # "7月16日" in a 2023 title; "26738060000元"/10000 → 万元; "11,720平方米".
    big = projects["大荆安置房项目"]
    assert (big.status_since, big.cost, big.area) == (
        date(2023, 7, 16),
        Decimal("26738.06"),
        Decimal("11720.00"),
    )
    # 竣工备案 with 开工 "2022年6月9日" and 竣工验收日期 "2023年4月10日".
    filed = projects["弼时安置房项目"]
    assert _history(db, filed.id) == [("在建", date(2022, 6, 9)), ("竣工验收备案", date(2023, 4, 10))]
    assert [len(rows) for rows in built.sheets.values()] == [4, 4, 4, 4]
    for p in built.projects:
        got = projects[p.name]
        assert (got.kind, got.status, got.contractor, got.developer) == (
            p.kind,
            p.status,
            p.contractor,
            p.developer,
        )
        assert got.cost == p.cost and got.area == p.area


def test_bad_rows_are_problems_with_their_place_and_nothing_is_written(db, unit_id, tmp_path):
    path = build.write_with_problems(tmp_path / "坏.xlsx")
    plan = plan_import(db, unit_id, "projects", path, ImportOptions(year=2023))

    assert [p.text() for p in plan.problems] == [
        "项目清单 第4行 第C列（工程类别）：工程类别“水利工程”无法识别"
        "（可填：房屋建筑、市政基础设施、工业、装饰装修）",
        "项目清单 第5行 第F列（项目状态）：项目状态“烂尾”无法识别"
        "（可填：未开工、在建、停工、竣工验收、竣工验收备案）",
        "项目清单 第6行 第G列（开工日期）：开工日期“2023.13.45”不是有效日期",
        "项目清单 第7行 第E列（工程造价（万元））：公式未计算，请在 WPS 中打开并保存后再导入",
        "项目清单 第8行 第H列（竣工日期）：竣工日期不能早于开工日期",
        "项目清单 第9行 第B列（项目名称）：缺少项目名称",
    ]
    good = [row for row in plan.records if row.ok]
    assert [row.source.row for row in good] == [3, 10]
    road = good[1].values  # 市政, "2.1万㎡", "0.5亿元", 停工
    assert (road["kind"], road["area"], road["cost"], road["status"]) == (
        "市政基础设施",
        Decimal("21000.00"),
        Decimal("5000.00"),
        "停工",
    )
    with pytest.raises(Exception, match="工程类别“水利工程”无法识别"):
        apply_plan(db, unit_id, plan, "skip")
    assert _projects(db, unit_id) == {}

    # A value map (the wizard's, or --mapping) reads the clerk's own words.
    plan = plan_import(
        db,
        unit_id,
        "projects",
        path,
        ImportOptions(
            year=2023, value_maps={"kind": {"水利工程": "市政基础设施"}, "status": {"烂尾": "停工"}}
        ),
    )
    texts = [p.text() for p in plan.problems]
    assert not any("第4行" in t or "第5行" in t for t in texts) and len(texts) == 4
    assert plan.records[1].values["kind"] == "市政基础设施" and plan.records[2].values["status"] == "停工"


def test_repeated_name_in_the_file_is_a_problem(db, unit_id, tmp_path):
    rows = build.project_rows(3)
    again = replace(rows[0], name="城东安置房（一期）")
    first = replace(rows[0], name="城东安置房(一期)项目")
    built = build.write_quarters(tmp_path / "重复.xlsx", projects=[first, rows[1], rows[2], again])
    plan = plan_import(db, unit_id, "projects", built.path, ImportOptions(year=2023))
    assert [p.text() for p in plan.problems] == [
        "四季度 第4行 第A列（项目名称）：项目“城东安置房（一期）”与工作表“一季度”第4行重复"
    ]


def test_reimport_skips_then_updates_and_undo_puts_everything_back(db, unit_id, tmp_path):
    built = build.write_list(tmp_path / "项目清单.xlsx", 12)
    _import(db, unit_id, built.path)
    before = {
        name: (p.version, p.status, p.status_since, p.cost) for name, p in _projects(db, unit_id).items()
    }

    plan, result = _import(db, unit_id, built.path)
    assert len(plan.duplicates) == 12
    assert result.counts.created == {} and result.counts.skipped == {"项目": 12}
    assert len(_projects(db, unit_id)) == 12

    # An updated ledger: 城东 is now 竣工 (竣工日期 2023-12-01), 新市 costs more; the rest as they were.
    changed = list(built.projects)
    changed[0] = replace(changed[0], status="竣工验收", completed_on=date(2023, 12, 1))
    changed[1] = replace(changed[1], cost=Decimal("5000.50"))
    updated = build.write_list(tmp_path / "项目清单2.xlsx", projects=changed)
    plan, result = _import(db, unit_id, updated.path, "update")
    assert result.counts.updated == {"项目": 2} and result.counts.skipped == {"项目": 10}
    projects = _projects(db, unit_id)
    east = projects["城东安置房项目"]
    assert (east.status, east.status_since, east.version) == ("竣工验收", date(2023, 12, 1), 2)
    assert _history(db, east.id) == [("在建", date(2023, 1, 1)), ("竣工验收", date(2023, 12, 1))]
    assert projects["新市安置房项目"].cost == Decimal("5000.50")

    batches.undo_batch(db, result.batch_id)
    projects = _projects(db, unit_id)
    assert {n: (p.status, p.status_since, p.cost) for n, p in projects.items()} == {
        n: v[1:] for n, v in before.items()
    }
    assert _history(db, projects["城东安置房项目"].id) == [("在建", date(2023, 1, 1))]


def test_undo_removes_the_created_projects_and_their_histories(db, unit_id, tmp_path):
    built = build.write_quarters(tmp_path / "2023年新增项目.xlsx", 8)
    _plan, result = _import(db, unit_id, built.path)
    assert len(_projects(db, unit_id)) == 8
    undone = batches.undo_batch(db, result.batch_id)
    assert undone.deleted["项目"] == 8
    assert _projects(db, unit_id) == {}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SafetyProjectStatus)) == 0


def test_example_projects_are_recognised_despite_spelling(example_db, example_unit_id, tmp_path):
    with example_db.session() as session:
        known = session.scalars(
            select(SafetyProject)
            .where(SafetyProject.unit_id == example_unit_id)
            .order_by(SafetyProject.id)
            .limit(6)
        ).all()
        count = session.scalar(select(func.count()).select_from(SafetyProject))
    assert known[0].name == "城北中学教学楼项目"
    rows = build.project_rows(6)
    # "城北中学教学楼" (no 项目), "工业园 标准厂房工程" (space, 工程) …: the same projects.
    spelled = [known[0].name.removesuffix("项目"), "工业园 标准厂房工程", *[p.name for p in known[2:]]]
    ledger = [
        replace(row, name=name, status=p.status) for row, name, p in zip(rows, spelled, known, strict=True)
    ]
    built = build.write_list(tmp_path / "项目.xlsx", projects=ledger)
    plan = plan_import(example_db, example_unit_id, "projects", built.path, ImportOptions(year=2023))
    assert [row.duplicate_of for row in plan.records] == [p.id for p in known]
    result = apply_plan(example_db, example_unit_id, plan, "skip")
    assert result.counts.skipped == {"项目": 6}
    with example_db.session() as session:
        assert session.scalar(select(func.count()).select_from(SafetyProject)) == count


def test_update_to_a_status_dated_before_the_current_one_is_recorded_today(db, unit_id, tmp_path):
    stopped = build.project_rows(3)[2]  # 停工, 开工 2023-03-15: 停工 from 2023-03-15
    _import(db, unit_id, build.write_list(tmp_path / "a.xlsx", projects=[stopped]).path)
    resumed = replace(stopped, status="在建")  # 复工: the ledger still says 开工 2023-03-15
    _plan, result = _import(
        db, unit_id, build.write_list(tmp_path / "b.xlsx", projects=[resumed]).path, "update"
    )
    assert result.counts.updated == {"项目": 1}
    project = _projects(db, unit_id)["归义安置房项目"]
    assert (project.status, project.status_since) == ("在建", date(2024, 1, 20))
    assert _history(db, project.id) == [("停工", date(2023, 3, 15)), ("在建", date(2024, 1, 20))]
