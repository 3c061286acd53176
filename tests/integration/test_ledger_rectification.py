"""Importing 巡察整改台账 into the example unit: three layouts become 巡察, 方面, problems and their
measures; bad rows are refused with their place and reason; re-imports find the problems already
there (skip / update); each import's batch can be undone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.importers.ledgers.batches import undo_batch, undo_blockers
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import ImportRefused, apply_plan, plan_import
from app.models import load_all
from app.models.registers import Inspection, InspectionAspect, RectificationMeasure, RectificationProblem
from app.services.registers import rectification
from tests.ledgers.build_rectification import (
    ASPECTS,
    DONE,
    LONG_TERM,
    NOT_STARTED,
    Ledger,
    csv_ledger,
    example_lines,
    grouped_header_ledger,
    quarterly_ledger,
    standard_ledger,
)

EXAMPLE_INSPECTION = "工程建设和房地产领域专项巡察"
NEEDS_INSPECTION = "台账中没有巡察名称，请在第1步“所属巡察”中选择或填写（命令行 --inspection）"
EXAMPLE_ASPECTS = [
    "学习贯彻落实党中央、省委、市委工程建设和房地产领域决策部署，切实履行领导责任方面",
    "履行工程建设监管职责方面",
    "防范化解风险、维护群众切身利益方面",
]


def _import(db: Database, unit_id: int, path: Path, on_duplicate: str = "skip", **options):
    plan = plan_import(db, unit_id, "rectification", path, ImportOptions(**{"year": 2024, **options}))
    return plan, apply_plan(db, unit_id, plan, on_duplicate)


def _problems(db: Database, inspection_name: str) -> dict[str, dict]:
    """The 巡察's problems by description: their columns, 方面 title and measures."""
    with db.session() as session:
        inspection = session.scalars(select(Inspection).where(Inspection.name == inspection_name)).one()
        titles = {a.id: a.title for a in inspection.aspects}
        result = {}
        for problem in session.scalars(
            select(RectificationProblem).where(RectificationProblem.inspection_id == inspection.id)
        ):
            result[problem.description] = {
                "number": problem.number,
                "aspect": titles.get(problem.aspect_id, ""),
                "measures": tuple(m.text for m in problem.measures),
                "leader": problem.leader,
                "lead_unit": problem.lead_unit,
                "department": problem.department,
                "due_on": problem.due_on,
                "status": problem.status,
                "completed_on": problem.completed_on,
                "closed_on": problem.closed_on,
                "evidence": problem.evidence,
                "version": problem.version,
            }
        return result


def _expected(ledger: Ledger) -> dict[str, dict]:
    return {
        line.description: {
            "aspect": line.aspect,
            "measures": line.measures,
            "leader": line.leader,
            "lead_unit": line.lead_unit,
            "department": line.department,
            "due_on": line.due_on,
            "status": line.status,
            "completed_on": line.completed_on,
            "closed_on": line.closed_on,
            "evidence": line.evidence,
        }
        for line in ledger.lines
    }


def _without(problems: dict[str, dict], *keys: str) -> dict[str, dict]:
    return {text: {k: v for k, v in row.items() if k not in keys} for text, row in problems.items()}


def _aspect_titles(db: Database, inspection_name: str) -> list[str]:
    with db.session() as session:
        inspection = session.scalars(select(Inspection).where(Inspection.name == inspection_name)).one()
        return [a.title for a in inspection.aspects]


def _everything(db: Database) -> dict[str, list[tuple]]:
    skip = {"import_batch", "import_batch_item", "import_mapping", "alembic_version", "operation_log"}
    with db.engine.connect() as conn:
        return {
            table.name: sorted((tuple(r) for r in conn.execute(table.select())), key=repr)
            for table in load_all().metadata.sorted_tables
            if table.name not in skip
        }


def test_standard_layout_with_heading_rows(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    ledger = standard_ledger(tmp_path, rows=12)
    plan, result = _import(example_db, example_unit_id, ledger.path)

    assert plan.additions == {
        "巡察": ["市委第三巡察组"],
        "方面": [f"市委第三巡察组：{title}" for title in ASPECTS],
    }
    headings = [row.heading for row in plan.rows if row.heading]
    assert headings == [
        "一、落实全面从严治党主体责任方面",
        "二、履行工程建设监管职责方面",
        "三、防范化解风险、维护群众切身利益方面",
        "四、落实中央八项规定精神方面",
        "填表人：张某某    联系电话：13812345678",
    ]
    assert result.counts.created == {"巡察": 1, "方面": 4, "整改问题": 12, "整改措施": 27}
    assert _aspect_titles(example_db, "市委第三巡察组") == list(ASPECTS)
    stored = _problems(example_db, "市委第三巡察组")
    assert _without(stored, "number", "version") == _expected(ledger)
    assert {text: row["number"] for text, row in stored.items()} == {
        line.description: line.number for line in ledger.lines
    }
    first = stored["党组理论学习中心组学习流于形式，研讨交流不深入"]
    assert first["number"] == 1
    assert first["measures"] == ("制定年度学习计划", "每季度开展专题研讨", "建立学习督查通报制度")
    assert (first["due_on"], first["status"], first["completed_on"]) == (
        date(2024, 3, 31),
        DONE,
        date(2024, 3, 20),
    )
    long_term = stored["建筑市场违法分包、挂靠行为查处不力"]  # 整改时限 "长期坚持"
    assert (long_term["due_on"], long_term["status"], long_term["completed_on"]) == (
        None,
        LONG_TERM,
        date(2024, 8, 25),
    )
    # "2024年4月底前" → the last day of April
    assert stored["基层党支部“三会一课”制度落实不到位"]["due_on"] == date(2024, 4, 30)
    with example_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Inspection)) == 2  # the example's and this one


def test_grouped_header_into_the_example_inspection(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    ledger = grouped_header_ledger(tmp_path, rows=12, year=2023)
    with example_db.session() as session:
        before = (
            session.scalars(select(Inspection).where(Inspection.name == EXAMPLE_INSPECTION)).one().version
        )

    plan, result = _import(
        example_db, example_unit_id, ledger.path, year=2023, inspection="工程建设和房地产领域 专项巡察"
    )

    # 方面 matched by their text (the file writes "（二）履行工程建设监管职责方面"), two new ones after them
    assert plan.additions == {
        "方面": [f"{EXAMPLE_INSPECTION}：{ASPECTS[0]}", f"{EXAMPLE_INSPECTION}：{ASPECTS[3]}"],
    }
    assert result.counts.created == {"方面": 2, "整改问题": 12, "整改措施": 27}
    assert _aspect_titles(example_db, EXAMPLE_INSPECTION) == [*EXAMPLE_ASPECTS, ASPECTS[0], ASPECTS[3]]
    stored = _problems(example_db, EXAMPLE_INSPECTION)
    assert len(stored) == 24
    imported = {text: row for text, row in stored.items() if text in _expected(ledger)}
    assert _without(imported, "number", "version") == _expected(ledger)
    # the example holds 1–12: the file's 序号 1–12 are taken, so the rows are numbered 13–24 in order
    assert [imported[line.description]["number"] for line in ledger.lines] == list(range(13, 25))
    assert result.notes[0] == "Sheet1 第4行：序号1：该巡察已有此序号，按顺序编为13"
    closed = imported["3#楼外脚手架连墙件缺失等隐患整改督办不力"]
    assert (closed["status"], closed["completed_on"], closed["closed_on"]) == (
        DONE,
        date(2023, 6, 20),
        date(2023, 6, 28),
    )
    with example_db.session() as session:
        inspection = session.scalars(select(Inspection).where(Inspection.name == EXAMPLE_INSPECTION)).one()
        assert inspection.version == before + 1  # its 方面 changed: a form open elsewhere is refused


def test_quarterly_sheets_with_an_inspection_column(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    ledger = quarterly_ledger(tmp_path, rows=12)
    plan, result = _import(example_db, example_unit_id, ledger.path)

    assert [sheet.title for sheet in plan.sheets] == ["2024年一季度", "2024年二季度"]
    assert result.counts.created == {"巡察": 1, "方面": 4, "整改问题": 12, "整改措施": 27}
    stored = _problems(example_db, "市委第五巡察组常规巡察")
    assert _without(stored, "number", "version") == _expected(ledger)
    # 编号 restarts at 1 on each sheet: the problems are numbered in file order instead
    assert [stored[line.description]["number"] for line in ledger.lines] == list(range(1, 13))
    assert [line.number for line in ledger.lines] == [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]
    assert [note for note in result.notes if "序号" in note] == [
        f"2024年二季度 第{row}行：序号{n}：本表序号有重复，按顺序编为{n + 6}"
        for row, n in zip(range(3, 9), range(1, 7), strict=True)
    ]
    # "3月31日" takes the year of the sheet's title
    assert stored["公务用车使用登记不规范"]["due_on"] == date(2024, 3, 31)


def test_a_ledger_that_names_no_inspection(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    ledger = grouped_header_ledger(tmp_path, rows=5, year=2024, name="整改清单.xlsx")
    plan = plan_import(example_db, example_unit_id, "rectification", ledger.path, ImportOptions(year=2024))
    assert plan.needs == [NEEDS_INSPECTION]
    with pytest.raises(ImportRefused) as refused:
        apply_plan(example_db, example_unit_id, plan, "skip")
    assert refused.value.reasons[0] == NEEDS_INSPECTION


def test_bad_rows_are_refused_with_their_place(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    ledger = grouped_header_ledger(tmp_path, rows=8, year=2024)
    book = openpyxl.load_workbook(ledger.path)
    sheet = book.active
    sheet["I4"] = "2024.2.30"  # 整改时限
    sheet["J5"] = "差不多了"  # 整改进展
    sheet["C6"] = None  # 存在问题
    sheet["K7"] = "=TODAY()"  # 完成日期: a formula WPS has not computed
    sheet["J8"] = "正在整改"  # and a 销号时间 below
    sheet["L8"] = "2024-07-10"
    sheet["K9"] = "2024-08-20"  # completed after the 销号时间 2024-06-28
    sheet["L9"] = "2024-06-28"
    sheet["J9"] = "已完成"
    book.save(ledger.path)
    counts_before = _everything(example_db)

    plan = plan_import(
        example_db,
        example_unit_id,
        "rectification",
        ledger.path,
        ImportOptions(year=2024, inspection="市委第一巡察组"),
    )

    assert [p.text() for p in plan.problems] == [
        "Sheet1 第4行 第I列（整改时限）：整改时限“2024.2.30”不是有效日期",
        "Sheet1 第5行 第J列（整改情况/完成情况）：整改进展“差不多了”无法识别"
        "（可填：已完成、整改中、未启动、长期坚持）",
        "Sheet1 第6行 第C列（存在问题）：缺少问题描述",
        "Sheet1 第7行 第K列（整改情况/完成日期）：公式未计算，请在 WPS 中打开并保存后再导入",
        "Sheet1 第8行 第L列（整改情况/销号时间）：销号日期：只有已完成或长期坚持的问题可以销号",
        "Sheet1 第9行 第L列（整改情况/销号时间）：销号日期：销号日期不能早于完成日期",
    ]
    with pytest.raises(ImportRefused):
        apply_plan(example_db, example_unit_id, plan, "skip")
    assert _everything(example_db) == counts_before


def test_reimport_skips_then_updates(example_db: Database, example_unit_id: int, tmp_path: Path) -> None:
    ledger = standard_ledger(tmp_path, rows=12)
    _import(example_db, example_unit_id, ledger.path)
    first = _problems(example_db, "市委第三巡察组")

    plan, again = _import(example_db, example_unit_id, ledger.path)
    assert len(plan.duplicates) == 12
    assert (again.counts.created, again.counts.skipped) == ({}, {"整改问题": 12})
    assert _problems(example_db, "市委第三巡察组") == first

    # the clerk updates the ledger: one problem finished, another with new measures
    book = openpyxl.load_workbook(ledger.path)
    sheet = book.active
    rows = {line.description: line.row for line in ledger.lines}
    progress = rows["基层党支部“三会一课”制度落实不到位"]
    sheet.cell(progress, 8, "已完成")
    sheet.cell(progress, 9, "2024.4.28")
    measures = rows["质量安全监督抽查覆盖面不足"]
    sheet.cell(
        measures,
        3,
        "一是制定年度监督抽查计划；二是实行在建项目全覆盖检查；三是引入第三方机构巡查；四是每月通报。",
    )
    book.save(ledger.path)

    _plan, updated = _import(example_db, example_unit_id, ledger.path, on_duplicate="update")
    assert (updated.counts.created, updated.counts.updated, updated.counts.skipped) == (
        {},
        {"整改问题": 2},
        {"整改问题": 10},
    )
    now = _problems(example_db, "市委第三巡察组")
    finished = now["基层党支部“三会一课”制度落实不到位"]
    assert (finished["status"], finished["completed_on"], finished["version"]) == (DONE, date(2024, 4, 28), 2)
    assert now["质量安全监督抽查覆盖面不足"]["measures"] == (
        "制定年度监督抽查计划",
        "实行在建项目全覆盖检查",
        "引入第三方机构巡查",
        "每月通报",
    )
    assert now["质量安全监督抽查覆盖面不足"]["version"] == 2
    assert finished["number"] == first["基层党支部“三会一课”制度落实不到位"]["number"]

    # undoing the update puts both back as they were
    undo_batch(example_db, updated.batch_id)
    assert _without(_problems(example_db, "市委第三巡察组"), "version") == _without(first, "version")


def test_undo_of_an_update_that_dropped_measures_puts_them_back(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    ledger = standard_ledger(tmp_path, rows=12)
    _import(example_db, example_unit_id, ledger.path)
    first = _problems(example_db, "市委第三巡察组")
    problem = next(name for name, p in first.items() if len(p["measures"]) >= 2)
    book = openpyxl.load_workbook(ledger.path)
    sheet = book.active
    row = next(line.row for line in ledger.lines if line.description == problem)
    sheet.cell(row, 3, "一是合并为一条措施。")
    book.save(ledger.path)

    _plan, updated = _import(example_db, example_unit_id, ledger.path, on_duplicate="update")
    assert updated.counts.updated == {"整改问题": 1}
    assert _problems(example_db, "市委第三巡察组")[problem]["measures"] == ("合并为一条措施",)
    undone = undo_batch(example_db, updated.batch_id)
    assert undone.restored["整改措施"] == len(first[problem]["measures"])  # 1 rewritten, the rest put back
    assert _problems(example_db, "市委第三巡察组")[problem]["measures"] == first[problem]["measures"]


def test_the_example_problems_are_found_again(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    """A ledger of the example's own 12 problems, its title naming the example's 巡察: nothing new."""
    ledger = standard_ledger(
        tmp_path, year=2023, lines=example_lines(), title="工程建设和房地产领域专项巡察反馈问题整改台账"
    )
    before = _everything(example_db)
    plan, result = _import(example_db, example_unit_id, ledger.path, year=2023)
    assert plan.additions == {}
    assert len(plan.duplicates) == 12
    assert result.counts.created == {}
    assert result.counts.skipped == {"整改问题": 12}
    # with update: the file says what the register says (its measures split back exactly; the
    # 销号日期 it has no column for stay), so nothing changes
    plan, result = _import(example_db, example_unit_id, ledger.path, "update", year=2023)
    assert (result.counts.updated, result.counts.skipped) == ({}, {"整改问题": 12})
    assert _everything(example_db) == before


def test_undo_removes_the_inspection_it_created(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    before = _everything(example_db)
    _plan, result = _import(example_db, example_unit_id, quarterly_ledger(tmp_path, rows=12).path)
    undone = undo_batch(example_db, result.batch_id)
    assert undone.deleted == {"整改措施": 27, "整改问题": 12, "巡察方面": 4, "巡察": 1}
    assert _everything(example_db) == before


def test_undo_into_an_existing_inspection(example_db: Database, example_unit_id: int, tmp_path: Path) -> None:
    before = _everything(example_db)
    ledger = grouped_header_ledger(tmp_path, rows=12, year=2023)
    _plan, result = _import(
        example_db, example_unit_id, ledger.path, year=2023, inspection=EXAMPLE_INSPECTION
    )
    with example_db.session() as session:
        assert session.scalar(select(func.count()).select_from(InspectionAspect)) == 5
        measures = session.scalar(select(func.count()).select_from(RectificationMeasure))
        assert measures == len(before["rectification_measure"]) + 27
    undo_batch(example_db, result.batch_id)
    after = _everything(example_db)
    # everything as it was, but the 巡察's version (counted up by the import and by the undo)
    assert {k: v for k, v in after.items() if k != "inspection"} == {
        k: v for k, v in before.items() if k != "inspection"
    }
    assert _aspect_titles(example_db, EXAMPLE_INSPECTION) == EXAMPLE_ASPECTS


def test_a_gbk_csv_named_by_its_file(example_db: Database, example_unit_id: int, tmp_path: Path) -> None:
    ledger = csv_ledger(tmp_path, rows=12)
    plan, result = _import(example_db, example_unit_id, ledger.path)
    assert plan.sheets[0].skipped == 1  # the 合计 row
    assert result.counts.created == {"巡察": 1, "方面": 4, "整改问题": 12, "整改措施": 27}
    stored = _problems(example_db, "市委第二巡察组")
    assert _without(stored, "number", "version") == _expected(ledger)
    assert stored["党风廉政建设责任制落实层层递减"]["status"] == NOT_STARTED  # "未整改"


def _problem_id(db: Database, description: str) -> int:
    with db.session() as session:
        return session.scalars(
            select(RectificationProblem.id).where(RectificationProblem.description == description)
        ).one()


def test_undo_is_refused_once_the_records_are_touched(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    _plan, result = _import(example_db, example_unit_id, standard_ledger(tmp_path, rows=6).path)
    rectification.start(example_db, _problem_id(example_db, "党风廉政建设责任制落实层层递减"))
    with example_db.session() as session:
        inspection = session.scalars(select(Inspection).where(Inspection.name == "市委第三巡察组")).one()
        added = rectification.new_problem(session, inspection.id)
    added.description = "手工登记的问题"
    rectification.save_problem(example_db, added)

    with example_db.session() as session:
        assert undo_blockers(session, result.batch_id) == [
            "整改问题“党风廉政建设责任制落实层层递减”在导入后已被修改",
            "整改问题“手工登记的问题”引用了本次导入的巡察“市委第三巡察组”",
        ]
    with pytest.raises(UserError):
        undo_batch(example_db, result.batch_id)
