"""The operation log (app/oplog.py): deletions recorded with a description and the OS user, quiet
sessions, imports and their undo, restores, the reading filters and the Excel export."""

from __future__ import annotations

import getpass
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app import oplog
from app.backup import backup_sqlite
from app.db import Database
from app.errors import TargetLockedError
from app.models.oplog import OperationLog
from app.models.registers import Petition
from app.models.safety import SafetyHazard, SafetyInspection, SafetyProject, SafetyProjectStatus
from app.paths import backups_dir_for
from tests.conftest import connect_data


@pytest.fixture(autouse=True)
def os_user(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(getpass, "getuser", lambda: "zhangsan")
    return "zhangsan"


def _lines(db: Database) -> list[tuple[str, str, str]]:
    """(action, detail, user) of every line, oldest first."""
    with db.session() as session:
        rows = session.scalars(select(OperationLog).order_by(OperationLog.id)).all()
        return [(r.action, r.detail, r.os_user) for r in rows]


def _first(db: Database, model, unit_id: int):
    with db.session() as session:
        return session.scalars(select(model).where(model.unit_id == unit_id).order_by(model.id)).first()


def test_deleting_records_logs_a_line_each_with_its_name_and_the_os_user(
    example_db: Database, example_unit_id: int
) -> None:
    from app.services.registers.petitions import delete_petition
    from app.services.safety.inspections import delete_hazard, delete_inspection

    assert _lines(example_db) == []  # loading the example data logs nothing
    hazard = _first(example_db, SafetyHazard, example_unit_id)
    petition = _first(example_db, Petition, example_unit_id)
    delete_hazard(example_db, hazard.id, hazard.version)
    delete_petition(example_db, petition.id, petition.version)
    with example_db.session() as session:
        inspection = session.scalars(
            select(SafetyInspection)
            .where(SafetyInspection.unit_id == example_unit_id, SafetyInspection.checked_on.is_not(None))
            .order_by(SafetyInspection.id)
        ).first()
    delete_inspection(example_db, inspection.id, inspection.version)

    day = inspection.checked_on
    assert _lines(example_db) == [
        ("删除", f"删除 隐患“{hazard.description[:30]}”", "zhangsan"),
        ("删除", f"删除 信访事项“{petition.number}”", "zhangsan"),  # the number, never the petitioner
        ("删除", f"删除 {day.year}年{day.month}月{day.day}日的检查", "zhangsan"),
    ]
    with example_db.session() as session:
        units = session.scalars(select(OperationLog.unit_id)).all()
    assert units == [example_unit_id] * 3


def test_a_record_deleted_with_its_parts_is_one_line(db: Database) -> None:
    from app.services.unit import create_unit

    unit_id = create_unit(db, "测试单位", 2023)
    with db.transaction() as session:
        project = SafetyProject(
            unit_id=unit_id, name="城南小学", kind="房屋建筑", status="在建", status_since=date(2023, 3, 1)
        )
        project.statuses.append(SafetyProjectStatus(status="在建", since=date(2023, 3, 1)))
        project.statuses.append(SafetyProjectStatus(status="停工", since=date(2023, 5, 1)))
        session.add(project)
    with db.transaction() as session:
        session.delete(session.get(SafetyProject, project.id))
    assert _lines(db) == [("删除", "删除 工程项目“城南小学”", "zhangsan")]


def test_a_failed_deletion_logs_nothing_and_a_quiet_session_logs_nothing(db: Database) -> None:
    from app.services.unit import create_unit

    unit_id = create_unit(db, "测试单位", 2023)
    with db.transaction() as session:
        session.add(
            SafetyProject(
                unit_id=unit_id, name="甲", kind="房屋建筑", status="在建", status_since=date(2023, 3, 1)
            )
        )
        session.add(
            SafetyProject(
                unit_id=unit_id, name="乙", kind="房屋建筑", status="在建", status_since=date(2023, 3, 1)
            )
        )
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.delete(session.scalars(select(SafetyProject).where(SafetyProject.name == "甲")).one())
        session.flush()
        raise RuntimeError("rolled back")
    with db.transaction() as session:
        session.info[oplog.QUIET] = True
        session.delete(session.scalars(select(SafetyProject).where(SafetyProject.name == "乙")).one())
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SafetyProject)) == 1
    assert _lines(db) == []


def test_describing_deletions_with_and_without_a_name() -> None:
    assert oplog.describe_deletion("safety_hazard", {"id": 3, "description": "塔吊限位失灵"}) == (
        "删除 隐患“塔吊限位失灵”"
    )
    assert oplog.describe_deletion("unit_year", {"id": 2, "year": 2022}) == "删除 2022年度"
    assert oplog.describe_deletion("safety_hazard", {"id": 3, "description": "  "}) == "删除 隐患 #3"
    assert oplog.describe_deletion("some_table", {"id": 7}) == "删除 some_table #7"
    long = "很长" * 30
    assert oplog.describe_deletion("inspection", {"id": 1, "name": long}) == f"删除 巡察“{long[:30]}…”"


def test_record_never_raises_and_os_user_falls_back(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse() -> str:
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", refuse)
    assert oplog.os_user() == "未知用户"
    oplog.record(db, oplog.LOCK, "锁定了窗口")
    assert _lines(db) == [("锁定", "锁定了窗口", "未知用户")]
    db.dispose()
    with closing(connect_data(db.location.path)) as conn:
        conn.execute("DROP TABLE operation_log")
        conn.commit()
    oplog.record(db, oplog.UNLOCK, "")  # no table: logged to the program log, not raised
    assert "操作日志写入失败" in caplog.text


def test_an_import_and_its_undo_are_one_line_each(db: Database, tmp_path: Path) -> None:
    from app.importers.ledgers.batches import undo_batch
    from app.importers.ledgers.model import ImportOptions
    from app.importers.ledgers.plan import apply_plan, plan_import
    from app.services.unit import create_unit
    from tests.ledgers import build_petitions as build

    unit_id = create_unit(db, "测试县建筑工程服务中心", 2023)
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", 5)
    plan = plan_import(db, unit_id, "petitions", built.path, ImportOptions(year=2023))
    result = apply_plan(db, unit_id, plan, "skip")
    undo_batch(db, result.batch_id)

    lines = _lines(db)
    assert [action for action, _d, _u in lines] == ["导入", "撤销导入"]
    assert lines[0][1] == "信访事项登记台账“信访台账.xlsx”（2023年度）：新建：信访事项 5；更新：无；跳过：无"
    assert lines[1][1].startswith("信访事项登记台账“信访台账.xlsx”（导入于")
    assert lines[1][1].endswith("）：已删除：信访事项 5；已恢复：无")  # not 5 lines of 删除
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Petition)) == 0


def test_a_dry_run_logs_nothing(db: Database, tmp_path: Path) -> None:
    from app.importers.ledgers.model import ImportOptions
    from app.importers.ledgers.plan import apply_plan, plan_import
    from app.services.unit import create_unit
    from tests.ledgers import build_petitions as build

    unit_id = create_unit(db, "测试县建筑工程服务中心", 2023)
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", 3)
    plan = plan_import(db, unit_id, "petitions", built.path, ImportOptions(year=2023))
    apply_plan(db, unit_id, plan, "skip", dry_run=True)
    assert _lines(db) == []


def test_a_restore_is_recorded_in_the_restored_file(example_path: Path) -> None:
    from app.db import location_for
    from app.restore import restore

    backup = backup_sqlite(
        example_path, backups_dir_for(example_path), "manual", now=datetime(2024, 1, 2, 9, 21)
    )
    result = restore(backup, example_path)

    db = Database(location_for(example_path))
    try:
        lines = _lines(db)
    finally:
        db.dispose()
    assert lines == [
        (
            "从备份恢复",
            f"从备份“{backup.name}”恢复，被替换的数据文件另存为“{result.kept_copy.name}”",
            "zhangsan",
        )
    ]


def _fill(db: Database) -> None:
    with db.transaction() as session:
        for at, user, action, detail in (
            (datetime(2024, 1, 5, 9, 0), "zhangsan", oplog.IMPORT, "隐患排查治理台账“一月.xlsx”"),
            (datetime(2024, 1, 6, 10, 30), "lisi", oplog.DELETE, "删除 隐患“塔吊限位失灵”"),
            (datetime(2024, 1, 6, 23, 59, 59), "zhangsan", oplog.EXPORT_UNMASKED, "信访事项登记台账 3 件"),
            (datetime(2024, 1, 7, 0, 0), "lisi", oplog.DELETE, "删除 工程项目“城南小学”"),
            (datetime(2024, 1, 8, 8, 0), "wang_5%", oplog.LOCK, ""),
        ):
            session.add(OperationLog(at=at, os_user=user, action=action, detail=detail))


def test_query_filters_by_action_text_and_days_newest_first(db: Database) -> None:
    _fill(db)

    def details(**kwargs) -> list[str]:
        return [e.detail or e.action for e in oplog.query(db, **kwargs)]

    assert details() == [
        "锁定",
        "删除 工程项目“城南小学”",
        "信访事项登记台账 3 件",
        "删除 隐患“塔吊限位失灵”",
        "隐患排查治理台账“一月.xlsx”",
    ]
    assert details(action=oplog.DELETE) == ["删除 工程项目“城南小学”", "删除 隐患“塔吊限位失灵”"]
    assert details(text="塔吊") == ["删除 隐患“塔吊限位失灵”"]
    assert details(text="lisi") == ["删除 工程项目“城南小学”", "删除 隐患“塔吊限位失灵”"]
    assert details(text="%") == ["锁定"]  # a literal %, not a wildcard
    assert details(text="_") == ["锁定"]
    # both days included: 1月6日 23:59:59 is in, 1月7日 00:00 is not
    assert details(since=date(2024, 1, 6), until=date(2024, 1, 6)) == [
        "信访事项登记台账 3 件",
        "删除 隐患“塔吊限位失灵”",
    ]
    assert details(since=date(2024, 1, 7)) == ["锁定", "删除 工程项目“城南小学”"]
    assert details(action=oplog.DELETE, until=date(2024, 1, 6)) == ["删除 隐患“塔吊限位失灵”"]
    assert details(limit=2) == ["锁定", "删除 工程项目“城南小学”"]


def test_the_excel_export_holds_the_filtered_lines(db: Database, tmp_path: Path) -> None:
    _fill(db)
    target = tmp_path / "导出 文件夹" / "操作日志.xlsx"
    target.parent.mkdir()

    count = oplog.export_log_xlsx(db, oplog.LogFilter(action=oplog.DELETE), target)

    assert count == 2
    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "操作日志"
    assert sheet["A1"].value == "操作日志"
    assert sheet["A2"].value.startswith("操作：删除；共 2 条；导出于 ")
    assert [c.value for c in sheet[3]] == ["序号", "时间", "用户", "操作", "内容"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=4)] == [
        [1, "2024-01-07 00:00:00", "lisi", "删除", "删除 工程项目“城南小学”"],
        [2, "2024-01-06 10:30:00", "lisi", "删除", "删除 隐患“塔吊限位失灵”"],
    ]
    assert [p.name for p in target.parent.iterdir()] == ["操作日志.xlsx"]  # no staging left

    rows = oplog.query(db, text="zhangsan")
    assert oplog.export_log_xlsx(db, rows, target) == 2
    again = openpyxl.load_workbook(target).active
    assert again["A2"].value.startswith("全部记录；共 2 条")
    assert again["E4"].value == "信访事项登记台账 3 件"


def test_the_export_to_a_locked_target_is_a_chinese_error(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.exports.atomic as atomic

    _fill(db)
    target = tmp_path / "操作日志.xlsx"
    target.write_bytes(b"old")

    def held(path: Path) -> None:
        raise TargetLockedError(
            f"无法写入“{path}”：文件被其他程序占用（可能正在被 WPS/Excel 打开），请关闭该文件后重试。"
        )

    monkeypatch.setattr(atomic, "ensure_writable", held)
    with pytest.raises(TargetLockedError, match="文件被其他程序占用"):
        oplog.export_log_xlsx(db, oplog.LogFilter(), target)
    assert target.read_bytes() == b"old"


def test_a_budget_import_is_one_line(db: Database, tmp_path: Path) -> None:
    from app.importers.budget_xlsx import import_files
    from app.services.unit import create_unit
    from tests.integration.test_budget_import import seed_workbook

    unit_id = create_unit(db, "汨罗市建筑工程服务中心", 2023)
    plan = import_files(db, unit_id, 2023, [seed_workbook(tmp_path / "2023年绩效自评.xlsx")])

    assert _lines(db) == [("导入", f"预算绩效自评表（2023年度）：{'；'.join(plan.changes)}", "zhangsan")]
    assert plan.changes  # the line says what was written
