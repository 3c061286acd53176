"""Importing 执法文书登记 ledgers (three WPS-style layouts) through plan_import / apply_plan: the
documents created and linked to projects (existing, or created after confirmation), the row
problems, duplicates (skip / update) against the example data and a re-import, and undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.importers.ledgers import batches
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import apply_plan, plan_import
from app.models.safety import SafetyDocument, SafetyProject, SafetyProjectStatus
from app.services.unit import create_unit
from tests.ledgers import build_documents as build
from tests.ledgers import build_projects


@pytest.fixture
def unit_id(db: Database) -> int:
    return create_unit(db, "测试县建筑工程服务中心", 2023)


def _import(db: Database, unit_id: int, path: Path, on_duplicate: str = "skip", kind: str = "documents"):
    plan = plan_import(db, unit_id, kind, path, ImportOptions(year=2023))
    assert plan.blockers(on_duplicate) == []
    return plan, apply_plan(db, unit_id, plan, on_duplicate)


def _documents(db: Database, unit_id: int) -> dict[str, tuple]:
    """number → (kind, issued_on, project name, deadline, closed_on, note)."""
    with db.session() as session:
        rows = session.execute(
            select(
                SafetyDocument.number,
                SafetyDocument.kind,
                SafetyDocument.issued_on,
                SafetyProject.name,
                SafetyDocument.deadline,
                SafetyDocument.closed_on,
                SafetyDocument.note,
            )
            .outerjoin(SafetyProject, SafetyProject.id == SafetyDocument.project_id)
            .where(SafetyDocument.unit_id == unit_id)
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def _count(db: Database, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_register_creates_documents_and_after_confirmation_their_projects(db, unit_id, tmp_path):
    built = build.write_register(tmp_path / "文书.xlsx", 12)
    plan = plan_import(db, unit_id, "documents", built.path, ImportOptions(year=2023))

    assert plan.sheets[0].skipped == 1  # the 合计 row
    names = ["城东安置房项目", "新市安置房项目", "归义安置房项目", "罗江安置房项目", "弼时安置房项目"]
    names += ["大荆安置房项目", "古仑安置房项目"]
    assert plan.additions == {"工程项目": names}
    result = apply_plan(db, unit_id, plan, "skip")
    assert result.counts.created == {"项目": 7, "执法文书": 12}

    documents = _documents(db, unit_id)
    assert len(documents) == 12
    assert documents["汨建安改〔2023〕001号"] == (
        "隐患整改通知书",
        date(2023, 1, 2),
        "城东安置房项目",
        date(2023, 1, 9),
        None,
        "3#楼外脚手架连墙件缺失",
    )
    assert documents["汨建安停〔2023〕001号"] == (  # 停工令
        "停工整改通知书",
        date(2023, 1, 8),
        "归义安置房项目",
        date(2023, 1, 15),
        date(2023, 1, 13),
        "基坑临边防护不到位",
    )
    assert documents["汨建安牌〔2023〕001号"][:3] == ("红黄牌", date(2023, 1, 14), None)  # no project
    assert documents["汨建安记〔2023〕002号"][0] == "不良行为记录"
    # Each new project is 在建 from the first day a document names it.
    with db.session() as session:
        east = session.scalar(select(SafetyProject).where(SafetyProject.name == "城东安置房项目"))
        assert (east.kind, east.status, east.status_since, east.version) == (
            "房屋建筑",
            "在建",
            date(2023, 1, 2),
            1,
        )
        history = session.scalars(
            select(SafetyProjectStatus.since).where(SafetyProjectStatus.project_id == east.id)
        )
        assert list(history) == [date(2023, 1, 2)]


def test_monthly_sheets_with_merged_header_and_days_as_deadline(db, unit_id, tmp_path):
    _import(db, unit_id, build_projects.write_list(tmp_path / "项目.xlsx", 8).path, kind="projects")
    built = build.write_monthly(tmp_path / "2023年文书.xlsx", 20)
    plan, result = _import(db, unit_id, built.path)

    assert [s.title for s in plan.sheets] == ["1月", "2月"]
    assert (plan.sheets[0].header.first_row, plan.sheets[0].header.last_row) == (3, 4)
    assert plan.additions == {}  # every project is in the list already
    assert result.counts.created == {"执法文书": 20}
    documents = _documents(db, unit_id)
    for d in built.documents:
        assert documents[d.number] == (d.kind, d.issued_on, d.project or None, d.deadline, d.closed_on, "")
    # "7天" from "2023.2.10" → 2023-02-17, 销案 "2023.2.16".
    assert documents["汨建安改〔2023〕006号"] == (
        "隐患整改通知书",
        date(2023, 2, 10),
        "弼时安置房项目",
        date(2023, 2, 17),
        date(2023, 2, 16),
        "",
    )


def test_a_ledger_of_one_kind_takes_it_from_its_title(db, unit_id, tmp_path):
    built = build.write_notices(tmp_path, 12)
    plan, result = _import(db, unit_id, built.path)

    assert {m.field for m in plan.sheets[0].matches} == {
        "number",
        "project",
        "issued_on",
        "deadline",
        "closed_on",
        "note",
    }
    assert result.counts.created == {"项目": 7, "执法文书": 12}
    documents = _documents(db, unit_id)
    assert {kind for kind, *_ in documents.values()} == {"隐患整改通知书"}
    # "1月5日" (year from the title), closed "2023/1/9".
    assert documents["汨建安改〔2023〕102号"] == (
        "隐患整改通知书",
        date(2023, 1, 5),
        "新市安置房项目",
        date(2023, 1, 12),
        date(2023, 1, 9),
        "塔吊未办理使用登记",
    )
    assert documents["汨建安改〔2023〕105号"][2] is None  # no project


def test_a_ledger_naming_no_kind_cannot_run(db, unit_id, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["执法文书登记"])
    sheet.append(["编号", "工程名称", "下发日期"])
    sheet.append(["汨建〔2023〕1号", "城东安置房项目", "2023.3.1"])
    book.save(tmp_path / "文书.xlsx")
    plan = plan_import(db, unit_id, "documents", tmp_path / "文书.xlsx", ImportOptions(year=2023))
    assert plan.blockers("skip")[0] == (
        "没有对应“文书类型”的列，标题和文件名也未写明文书类型：请在列对应中指定文书类型列，"
        "或将文件名改为如“隐患整改通知书登记台账.xlsx”"
    )


def test_bad_rows_are_problems_with_their_place(db, unit_id, tmp_path):
    path = build.write_with_problems(tmp_path / "坏.xlsx")
    plan = plan_import(db, unit_id, "documents", path, ImportOptions(year=2023))

    allowed = (
        "隐患整改通知书、停工整改通知书、催办通知、红黄牌、不良行为记录、移交案件线索、考评不合格、行政处罚"
    )
    assert [p.text() for p in plan.problems] == [
        f"文书登记 第4行 第B列（文书类型）：文书类型“警告函”无法识别（可填：{allowed}）",
        "文书登记 第5行 第E列（下发日期）：下发日期“2023.2.30”不是有效日期",
        "文书登记 第6行 第F列（整改期限）：整改期限不能早于下发日期",
        "文书登记 第7行 第G列（回复日期）：办结日期不能晚于今天",
        "文书登记 第8行 第E列（下发日期）：公式未计算，请在 WPS 中打开并保存后再导入",
        "文书登记 第9行 第E列（下发日期）：缺少下发日期",
    ]
    good = [row for row in plan.records if row.ok]
    assert [row.source.row for row in good] == [3, 10]
    urge = good[1].values  # 催办, "3月9日", "5个工作日" (Thursday → the next Thursday)
    assert (urge["kind"], urge["issued_on"], urge["deadline"]) == (
        "催办通知",
        date(2023, 3, 9),
        date(2023, 3, 16),
    )
    with pytest.raises(Exception, match="警告函"):
        apply_plan(db, unit_id, plan, "skip")
    assert _count(db, SafetyDocument) == 0


def test_strict_values_make_an_unknown_project_a_problem(db, unit_id, tmp_path):
    built = build.write_register(tmp_path / "文书.xlsx", 3)
    plan = plan_import(db, unit_id, "documents", built.path, ImportOptions(year=2023, strict_values=True))
    assert [p.text() for p in plan.problems] == [
        "文书登记 第3行 第D列（项目名称）：项目“城东安置房项目”不在本单位的项目清单中",
        "文书登记 第4行 第D列（项目名称）：项目“新市安置房项目”不在本单位的项目清单中",
        "文书登记 第5行 第D列（项目名称）：项目“归义安置房项目”不在本单位的项目清单中",
    ]
    assert plan.additions == {}


def test_repeated_number_in_the_file_is_a_problem(db, unit_id, tmp_path):
    docs = build.document_rows(3)
    again = replace(docs[0], number="汨建安改[2023]001号", issued_on=date(2023, 5, 1), deadline=None)
    built = build.write_register(tmp_path / "文书.xlsx", documents=[*docs, again])
    plan = plan_import(db, unit_id, "documents", built.path, ImportOptions(year=2023))
    assert [p.text() for p in plan.problems] == [
        "文书登记 第6行 第C列（文号）：文号“汨建安改[2023]001号”与第3行重复"
    ]


def test_example_documents_are_duplicates_skipped_or_updated_and_undone(
    example_db, example_unit_id, tmp_path
):
    with example_db.session() as session:
        rows = session.execute(
            select(SafetyDocument, SafetyProject.name)
            .outerjoin(SafetyProject, SafetyProject.id == SafetyDocument.project_id)
            .where(SafetyDocument.issued_on >= date(2023, 1, 1))
            .order_by(SafetyDocument.id)
            .limit(10)
        ).all()
        total = session.scalar(select(func.count()).select_from(SafetyDocument))
    assert rows[0][0].number == "汨建安改〔2023〕001号" and rows[0][1] == "城北标准厂房项目"
    docs = [
        build.DocumentRow(
            kind=d.kind,
            spelled="整改通知书" if d.kind == "隐患整改通知书" else d.kind,
            # The ledger writes [2023] for 〔2023〕, and the project without its 项目.
            number=d.number.replace("〔", "[").replace("〕", "]"),
            issued_on=d.issued_on,
            project=(name or "").removesuffix("项目"),
            deadline=d.deadline,
            closed_on=d.closed_on,
            note=d.note,
        )
        for d, name in rows
    ]
    built = build.write_register(tmp_path / "文书.xlsx", documents=docs)
    plan = plan_import(example_db, example_unit_id, "documents", built.path, ImportOptions(year=2023))
    assert [row.duplicate_of for row in plan.records] == [d.id for d, _ in rows]
    assert plan.additions == {}
    result = apply_plan(example_db, example_unit_id, plan, "skip")
    assert result.counts.skipped == {"执法文书": 10} and result.counts.created == {}
    assert _count(example_db, SafetyDocument) == total

    # The clerk's ledger now has the reply dates of the first three one day later.
    later = [
        replace(d, closed_on=d.closed_on + timedelta(days=1)) if i < 3 else d for i, d in enumerate(docs)
    ]
    built = build.write_register(tmp_path / "文书2.xlsx", documents=later)
    plan = plan_import(example_db, example_unit_id, "documents", built.path, ImportOptions(year=2023))
    result = apply_plan(example_db, example_unit_id, plan, "update")
    assert result.counts.updated == {"执法文书": 3} and result.counts.skipped == {"执法文书": 7}
    with example_db.session() as session:
        first = session.get(SafetyDocument, rows[0][0].id)
        # Updated: the reply date; kept: the stored number's spelling.
        assert (first.closed_on, first.number, first.version) == (
            date(2023, 3, 12),
            "汨建安改〔2023〕001号",
            2,
        )

    batches.undo_batch(example_db, result.batch_id)
    with example_db.session() as session:
        first = session.get(SafetyDocument, rows[0][0].id)
        assert first.closed_on == date(2023, 3, 11)
    assert _count(example_db, SafetyDocument) == total


def test_documents_without_number_repeat_by_kind_day_and_project(db, unit_id, tmp_path):
    docs = [replace(d, number="") for d in build.document_rows(6)]
    built = build.write_register(tmp_path / "文书.xlsx", documents=docs)
    _import(db, unit_id, built.path)
    plan, result = _import(db, unit_id, built.path)
    assert len(plan.duplicates) == 6 and result.counts.skipped == {"执法文书": 6}
    assert result.counts.created == {}
    assert _count(db, SafetyDocument) == 6


def test_undo_removes_the_documents_and_the_projects_they_created(db, unit_id, tmp_path):
    built = build.write_register(tmp_path / "文书.xlsx", 10)
    _plan, result = _import(db, unit_id, built.path)
    assert _count(db, SafetyDocument) == 10 and _count(db, SafetyProject) == 7
    undone = batches.undo_batch(db, result.batch_id)
    assert undone.deleted == {"执法文书": 10, "项目": 7, "项目状态记录": 7}
    assert _count(db, SafetyDocument) == 0 and _count(db, SafetyProject) == 0


def test_projects_a_later_import_refers_to_cannot_be_undone_first(db, unit_id, tmp_path):
    _plan, projects = _import(
        db, unit_id, build_projects.write_list(tmp_path / "项目.xlsx", 8).path, kind="projects"
    )
    _plan, documents = _import(db, unit_id, build.write_register(tmp_path / "文书.xlsx", 5).path)
    assert documents.counts.created == {"执法文书": 5}
    with db.session() as session:
        blockers = batches.undo_blockers(session, projects.batch_id)
    assert blockers and all("执法文书" in text for text in blockers)
    with pytest.raises(UserError, match="无法撤销本次导入"):
        batches.undo_batch(db, projects.batch_id)
    batches.undo_batch(db, documents.batch_id)
    batches.undo_batch(db, projects.batch_id)
    assert _count(db, SafetyDocument) == 0 and _count(db, SafetyProject) == 0
