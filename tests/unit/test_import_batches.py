"""Import batches: what an import wrote is recorded, undo removes exactly that (or explains what
blocks it), and column mappings are remembered per header layout."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select, text

from app.db import Database
from app.errors import UserError
from app.importers.ledgers.batches import (
    BatchRecorder,
    batch_item_ids,
    finish_batch,
    list_batches,
    remember_mapping,
    remembered_mapping,
    snapshot,
    start_batch,
    undo_batch,
    undo_blockers,
)
from app.importers.ledgers.model import Counts
from app.models import load_all
from app.models.imports import ImportBatchItem
from app.models.registers import (
    Inspection,
    InspectionAspect,
    Petition,
    RectificationMeasure,
    RectificationProblem,
)
from app.models.safety import (
    SafetyHazard,
    SafetyInspection,
    SafetyInspectionProject,
    SafetyProject,
    SafetyProjectStatus,
)
from app.services.safety.inspections import HazardDraft, add_hazards, load_hazard, update_hazard
from app.services.safety.records import DocumentForm, save_document
from app.services.unit import create_unit

TODAY = date(2024, 1, 20)
IMPORT_TABLES = {"import_batch", "import_batch_item", "import_mapping", "alembic_version", "operation_log"}


def _everything(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table but the import bookkeeping, for before/after comparisons."""
    with db.engine.connect() as conn:
        return {
            table.name: sorted((tuple(r) for r in conn.execute(table.select())), key=repr)
            for table in load_all().metadata.sorted_tables
            if table.name not in IMPORT_TABLES
        }


def _import_inspection(
    db: Database, unit_id: int, project_id: int | None = None
) -> tuple[int, dict[str, list[int]]]:
    """What a 隐患台账 import writes, by the ORM: a new project (with its status row), an inspection
    of it (and of `project_id` when given) and two hazards; returns the batch id and the ids."""
    with db.transaction() as session:
        recorder = start_batch(session, unit_id, "hazards", "2023年隐患台账.xlsx", 2023)
        project = SafetyProject(
            unit_id=unit_id,
            name="城南安置小区二期",
            kind="房屋建筑",
            status="在建",
            status_since=date(2023, 3, 1),
        )
        project.statuses.append(SafetyProjectStatus(status="在建", since=date(2023, 3, 1)))
        inspection = SafetyInspection(unit_id=unit_id, checked_on=date(2023, 3, 12), kind="月例行检查")
        session.add_all([project, inspection])
        session.flush()
        covered = [project.id] + ([project_id] if project_id else [])
        session.add_all(SafetyInspectionProject(inspection_id=inspection.id, project_id=p) for p in covered)
        hazards = [
            SafetyHazard(
                unit_id=unit_id,
                inspection_id=inspection.id,
                project_id=project.id,
                found_on=inspection.checked_on,
                description=description,
                category=category,
                level="一般",
                deadline=date(2023, 3, 19),
                status="待整改",
            )
            for description, category in (("二层临边未设防护栏杆", "高处坠落"), ("配电箱未接地", "临时用电"))
        ]
        session.add_all(hazards)
        session.flush()
        ids = {
            "safety_project": [project.id],
            "safety_inspection": [inspection.id],
            "safety_hazard": [h.id for h in hazards],
        }
        for table, table_ids in ids.items():
            recorder.created(table, table_ids)
        counts = Counts(created={"隐患": 2, "检查": 1, "项目": 1})
        batch_id = finish_batch(session, recorder, counts)
    return batch_id, ids


@pytest.fixture
def unit_id(db: Database) -> int:
    return create_unit(db, "测试县建筑工程服务中心", 2023)


def test_undoing_a_batch_removes_every_row_it_wrote(db: Database, unit_id: int) -> None:
    before = _everything(db)
    batch_id, ids = _import_inspection(db, unit_id)
    with db.session() as session:
        assert batch_item_ids(session, batch_id, "safety_hazard") == ids["safety_hazard"]
        assert session.scalar(select(func.count()).select_from(SafetyProjectStatus)) == 1
        versions = session.execute(
            select(ImportBatchItem.table_name, ImportBatchItem.action, ImportBatchItem.version_after)
        ).all()
        assert sorted(versions) == [
            ("safety_hazard", "created", 1),
            ("safety_hazard", "created", 1),
            ("safety_inspection", "created", 1),
            ("safety_project", "created", 1),
        ]
        [info] = list_batches(session, unit_id)
        assert (info.id, info.kind, info.kind_label, info.file_name, info.year) == (
            batch_id,
            "hazards",
            "隐患排查整改台账",
            "2023年隐患台账.xlsx",
            2023,
        )
        assert info.record_count == 4 and info.undone_at is None
        assert info.counts.created == {"隐患": 2, "检查": 1, "项目": 1}
        assert undo_blockers(session, batch_id) == []

    result = undo_batch(db, batch_id)

    assert result.deleted == {"项目": 1, "检查记录": 1, "隐患": 2} and result.restored == {}
    assert result.lines() == ["已删除：项目 1、检查记录 1、隐患 2", "已恢复：无"]
    assert _everything(db) == before  # the status row and the inspection's project links went too
    with db.session() as session:
        [info] = list_batches(session, unit_id)
        assert info.undone_at is not None and info.record_count == 4  # the batch row stays


def test_a_batch_inspection_of_an_existing_project_leaves_the_project(db: Database, unit_id: int) -> None:
    with db.transaction() as session:
        old = SafetyProject(
            unit_id=unit_id,
            name="老城区管网改造",
            kind="市政基础设施",
            status="在建",
            status_since=date(2022, 5, 1),
        )
        session.add(old)
        session.flush()
        old_id = old.id
    before = _everything(db)
    batch_id, _ids = _import_inspection(db, unit_id, project_id=old_id)
    undo_batch(db, batch_id)
    assert _everything(db) == before


def test_an_updated_petition_is_restored_exactly(example_db: Database, example_unit_id: int) -> None:
    columns = [c.key for c in Petition.__table__.columns]
    with example_db.session() as session:
        petition = session.scalars(
            select(Petition)
            .where(Petition.unit_id == example_unit_id, Petition.closed_on.is_not(None))
            .order_by(Petition.id)
        ).first()
        assert petition is not None
        petition_id = petition.id
        original = {c: getattr(petition, c) for c in columns}
    with example_db.transaction() as session:
        recorder = start_batch(session, example_unit_id, "petitions", "信访台账.xlsx", 2023)
        row = session.get(Petition, petition_id)
        assert row is not None
        recorder.updated(
            "petition",
            row.id,
            snapshot(
                row, ["channel", "people", "repeat", "closed_on", "summary", "due_on", "next_due", "status"]
            ),
        )
        row.channel, row.people, row.repeat = "12345热线", 6, not row.repeat
        row.closed_on, row.summary, row.status = None, "导入的新摘要", "办理中"
        row.next_due = date(2023, 12, 31)
        session.flush()
        recorder.created("petition", [])  # nothing created: no item
        batch_id = finish_batch(session, recorder, Counts(updated={"信访事项": 1}))
    with example_db.session() as session:
        assert session.get(Petition, petition_id).version == original["version"] + 1
        assert undo_blockers(session, batch_id) == []

    result = undo_batch(example_db, batch_id)

    assert result.restored == {"信访事项": 1} and result.deleted == {}
    with example_db.session() as session:
        restored = session.get(Petition, petition_id)
        now = {c: getattr(restored, c) for c in columns}
    bookkeeping = {"version", "changed_by", "changed_at", "updated_at"}
    assert {c: v for c, v in now.items() if c not in bookkeeping} == {
        c: v for c, v in original.items() if c not in bookkeeping
    }
    assert isinstance(now["closed_on"], date) and now["repeat"] is original["repeat"]
    assert now["version"] == original["version"] + 2  # the restore is a save of its own


def test_a_hazard_edited_since_blocks_undo(db: Database, unit_id: int) -> None:
    batch_id, ids = _import_inspection(db, unit_id)
    hazard_id = ids["safety_hazard"][0]
    with db.session() as session:
        draft = load_hazard(session, hazard_id).draft
    draft.measures = "立即设置临边防护栏杆"
    update_hazard(db, hazard_id, draft, today=TODAY)
    before = _everything(db)

    with db.session() as session:
        assert undo_blockers(session, batch_id) == ["隐患“二层临边未设防护栏杆”在导入后已被修改"]
    with pytest.raises(UserError, match="隐患“二层临边未设防护栏杆”在导入后已被修改"):
        undo_batch(db, batch_id)
    assert _everything(db) == before  # nothing undone


def test_a_hazard_added_since_to_an_imported_inspection_blocks_undo(db: Database, unit_id: int) -> None:
    batch_id, ids = _import_inspection(db, unit_id)
    [added] = add_hazards(
        db,
        ids["safety_inspection"][0],
        [
            HazardDraft(
                project_id=ids["safety_project"][0],
                description="塔吊限位失灵",
                category="起重机械",
                deadline=date(2023, 3, 20),
            )
        ],
        today=TODAY,
    )
    with db.session() as session:
        reasons = undo_blockers(session, batch_id)
    # it is in the imported inspection and names the imported project
    assert reasons == [
        "隐患“塔吊限位失灵”引用了本次导入的项目“城南安置小区二期”",
        "隐患“塔吊限位失灵”引用了本次导入的2023年3月12日的检查",
    ]
    with pytest.raises(UserError, match="无法撤销本次导入：隐患“塔吊限位失灵”"):
        undo_batch(db, batch_id)
    with db.session() as session:
        assert session.get(SafetyHazard, added) is not None


def test_a_document_citing_an_imported_hazard_blocks_undo(db: Database, unit_id: int) -> None:
    batch_id, ids = _import_inspection(db, unit_id)
    form = DocumentForm(
        kind="隐患整改通知书",
        issued_on=date(2023, 3, 13),
        number="汨建安改〔2023〕7号",
        project_id=ids["safety_project"][0],
        hazard_ids=[ids["safety_hazard"][1]],
    )
    save_document(db, unit_id, form, today=TODAY)
    with db.session() as session:
        reasons = undo_blockers(session, batch_id)
    assert reasons == [
        "执法文书“汨建安改〔2023〕7号”引用了本次导入的项目“城南安置小区二期”",
        "执法文书“汨建安改〔2023〕7号”引用了本次导入的隐患“配电箱未接地”",
    ]


def test_an_inspection_added_since_of_an_imported_project_blocks_undo(db: Database, unit_id: int) -> None:
    batch_id, ids = _import_inspection(db, unit_id)
    with db.transaction() as session:
        later = SafetyInspection(unit_id=unit_id, checked_on=date(2023, 4, 2), kind="月例行检查")
        session.add(later)
        session.flush()
        session.add(SafetyInspectionProject(inspection_id=later.id, project_id=ids["safety_project"][0]))
    with db.session() as session:
        assert undo_blockers(session, batch_id) == [
            "2023年4月2日的检查引用了本次导入的项目“城南安置小区二期”"
        ]


def test_a_problem_added_since_to_an_imported_inspection_blocks_undo(db: Database, unit_id: int) -> None:
    with db.transaction() as session:
        recorder = start_batch(session, unit_id, "rectification", "巡察整改台账.xlsx", 2023)
        inspection = Inspection(unit_id=unit_id, name="工程建设领域专项巡察")
        inspection.aspects.append(InspectionAspect(title="一、落实监管责任方面"))
        session.add(inspection)
        session.flush()
        problem = RectificationProblem(
            inspection_id=inspection.id, aspect_id=inspection.aspects[0].id, description="监督抽查覆盖不足"
        )
        problem.measures.append(RectificationMeasure(text="制定年度抽查计划"))
        session.add(problem)
        session.flush()
        recorder.created("inspection", [inspection.id])
        recorder.created("rectification_problem", [problem.id])
        batch_id = finish_batch(session, recorder, Counts(created={"整改问题": 1}))
        inspection_id = inspection.id
    with db.session() as session:
        assert undo_blockers(session, batch_id) == []  # its aspect and measures are its own
    with db.transaction() as session:
        session.add(RectificationProblem(inspection_id=inspection_id, number=2, description="档案管理不规范"))
    with db.session() as session:
        assert undo_blockers(session, batch_id) == [
            "整改问题“档案管理不规范”引用了本次导入的巡察“工程建设领域专项巡察”"
        ]


def test_a_deleted_record_blocks_and_reasons_are_capped(db: Database, unit_id: int) -> None:
    batch_id, ids = _import_inspection(db, unit_id)
    with db.transaction() as session:
        session.execute(text("UPDATE safety_hazard SET version = version + 1"))
        session.execute(SafetyHazard.__table__.delete().where(SafetyHazard.id == ids["safety_hazard"][0]))
        for n in range(11):
            session.add(
                SafetyHazard(
                    unit_id=unit_id,
                    inspection_id=ids["safety_inspection"][0],
                    project_id=ids["safety_project"][0],
                    found_on=date(2023, 3, 12),
                    description=f"后补隐患{n}",
                    category="其他",
                    level="一般",
                    deadline=date(2023, 3, 19),
                    status="待整改",
                )
            )
    with db.session() as session:
        reasons = undo_blockers(session, batch_id)
    assert reasons[:2] == [
        f"隐患（编号 {ids['safety_hazard'][0]}）在导入后已被删除",
        "隐患“配电箱未接地”在导入后已被修改",
    ]
    assert len(reasons) == 11 and reasons[-1] == "等 24 处"  # 2 + 11 hazards × (inspection, project)


def test_a_new_record_given_a_deleted_ones_id_is_not_the_batchs(db: Database, unit_id: int) -> None:
    """SQLite gives a new row the id of a deleted last one, and a new record is at version 1 too."""
    batch_id, ids = _import_inspection(db, unit_id)
    last = ids["safety_hazard"][1]
    with db.transaction() as session:
        session.execute(SafetyHazard.__table__.delete().where(SafetyHazard.id == last))
    time.sleep(1.05)  # records are stamped to the second
    [added] = add_hazards(
        db,
        ids["safety_inspection"][0],
        [
            HazardDraft(
                project_id=ids["safety_project"][0],
                description="基坑无排水",
                category="深基坑",
                deadline=date(2023, 3, 20),
            )
        ],
        today=TODAY,
    )
    assert added == last
    with db.session() as session:
        assert session.get(SafetyHazard, added).version == 1
        assert undo_blockers(session, batch_id) == ["隐患“基坑无排水”在导入后已被修改"]


def test_a_second_undo_says_it_was_undone(db: Database, unit_id: int) -> None:
    batch_id, _ids = _import_inspection(db, unit_id)
    undo_batch(db, batch_id)
    with db.session() as session:
        [reason] = undo_blockers(session, batch_id)
    assert reason.startswith("本次导入已于") and reason.endswith("撤销")
    with pytest.raises(UserError, match=r"本次导入已于.*撤销"):
        undo_batch(db, batch_id)


def test_batches_are_listed_newest_first_per_unit(db: Database, unit_id: int) -> None:
    first, _ = _import_inspection(db, unit_id)
    with db.transaction() as session:
        recorder = start_batch(session, unit_id, "petitions", "空台账.xlsx", 2023)
        second = finish_batch(session, recorder, Counts(skipped={"信访事项": 3}))
    other = create_unit(db, "另一单位", 2023)
    with db.session() as session:
        batches = list_batches(session, unit_id)
        assert [(b.id, b.record_count) for b in batches] == [(second, 0), (first, 4)]
        assert batches[0].counts.lines() == ["新建：无", "更新：无", "跳过：信访事项 3"]
        assert list_batches(session, other) == []


def test_a_mapping_is_remembered_and_replaced(db: Database, unit_id: int) -> None:
    mapping = {"Sheet1": {2: "received_on", 3: "number", 5: None}, "header_rows": {"Sheet1": [2, 3]}}
    with db.transaction() as session:
        assert remembered_mapping(session, unit_id, "petitions", "a" * 40) is None
        remember_mapping(session, unit_id, "petitions", "a" * 40, mapping)
    with db.session() as session:
        assert remembered_mapping(session, unit_id, "petitions", "a" * 40) == mapping
        assert remembered_mapping(session, unit_id, "hazards", "a" * 40) is None
    changed = {"Sheet1": {2: "received_on", 4: "number"}}
    with db.transaction() as session:
        remember_mapping(session, unit_id, "petitions", "a" * 40, changed)
    with db.session() as session:
        assert remembered_mapping(session, unit_id, "petitions", "a" * 40) == changed
        assert session.scalar(text("SELECT count(*) FROM import_mapping")) == 1


def test_finishing_a_batch_of_ten_thousand_records(
    db: Database, unit_id: int, capsys: pytest.CaptureFixture
) -> None:
    batch_id, ids = _import_inspection(db, unit_id)
    rows = [
        {
            "unit_id": unit_id,
            "inspection_id": ids["safety_inspection"][0],
            "project_id": ids["safety_project"][0],
            "found_on": date(2023, 3, 12),
            "description": f"隐患{n}",
            "category": "其他",
            "level": "一般",
            "deadline": date(2023, 3, 19),
            "status": "待整改",
            "version": 1,
        }
        for n in range(10_000)
    ]
    with db.transaction() as session:
        recorder = start_batch(session, unit_id, "hazards", "大台账.xlsx", 2023)
        new_ids = list(session.execute(insert(SafetyHazard).returning(SafetyHazard.id), rows).scalars())
        recorder.created("safety_hazard", new_ids)
        started = time.perf_counter()
        big = finish_batch(session, recorder, Counts(created={"隐患": 10_000}))
        elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nfinish_batch of 10,000 records: {elapsed * 1000:.0f} ms")
    with db.session() as session:
        assert len(batch_item_ids(session, big, "safety_hazard")) == 10_000
        assert (
            session.scalar(
                select(func.count()).where(
                    ImportBatchItem.batch_id == big, ImportBatchItem.version_after == 1
                )
            )
            == 10_000
        )
        assert undo_blockers(session, big) == []
    assert undo_batch(db, big).deleted == {"隐患": 10_000}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SafetyHazard)) == 2
        assert undo_blockers(session, batch_id) == []


def test_the_recorder_keeps_the_first_before_and_created_wins(db: Database, unit_id: int) -> None:
    recorder = BatchRecorder(batch_id=1, unit_id=unit_id)
    recorder.updated("petition", 7, {"people": 1, "closed_on": date(2023, 5, 6), "cost": Decimal("12.50")})
    recorder.updated("petition", 7, {"people": 2})
    recorder.created("petition", [8, 9])
    recorder.updated("petition", 8, {"people": 3})
    assert recorder.created_ids == {"petition": [8, 9]}
    assert recorder.updated_ids == {"petition": [7]}
    assert recorder._updated["petition"][7] == {"people": 1, "closed_on": "2023-05-06", "cost": "12.50"}
    with pytest.raises(ValueError):
        recorder.created("no_such_table", [1])
