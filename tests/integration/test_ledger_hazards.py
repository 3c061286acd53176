"""Importing 隐患排查整改台账 through the ledger pipeline (plan_import → apply_plan): three WPS-style
layouts built at test time, the records they become, the problems of bad rows, duplicates against
the example data, and undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.db import Database
from app.importers.ledgers import batches
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import ImportRefused, apply_plan, plan_import
from app.models.safety import (
    SafetyHazard,
    SafetyHazardCategory,
    SafetyInspection,
    SafetyInspectionProject,
    SafetyProject,
)
from app.services.unit import create_unit
from tests.ledgers.build_hazards import (
    BuiltLedger,
    HazardLine,
    merged_header_ledger,
    quarters_ledger,
    standard_ledger,
    stored_lines,
)

OPTIONS = ImportOptions(year=2023)


@pytest.fixture
def unit_id(db: Database) -> int:
    return create_unit(db, "汨罗市建筑工程服务中心", 2023)


def _import(db: Database, unit_id: int, path: Path, on_duplicate: str = "skip", **options):
    plan = plan_import(db, unit_id, "hazards", path, replace(OPTIONS, **options))
    return plan, apply_plan(db, unit_id, plan, on_duplicate)


def _stored(db: Database, unit_id: int, hazard_ids: list[int] | None = None) -> list[dict]:
    with db.session() as s:
        query = (
            select(SafetyHazard, SafetyInspection, SafetyProject.name)
            .join(SafetyInspection, SafetyInspection.id == SafetyHazard.inspection_id)
            .join(SafetyProject, SafetyProject.id == SafetyHazard.project_id)
            .where(SafetyHazard.unit_id == unit_id)
            .order_by(SafetyHazard.id)
        )
        if hazard_ids is not None:
            query = query.where(SafetyHazard.id.in_(hazard_ids))
        return [
            {
                "found_on": h.found_on,
                "project": name,
                "inspectors": i.inspectors,
                "kind": i.kind,
                "campaign": i.campaign,
                "description": h.description,
                "category": h.category,
                "level": h.level,
                "measures": h.measures,
                "responsible": h.responsible,
                "deadline": h.deadline,
                "rectified_on": h.rectified_on,
                "reviewer": h.reviewer,
                "status": h.status,
                "checked_on": i.checked_on,
                "version": h.version,
            }
            for h, i, name in s.execute(query)
        ]


def _expected(line: HazardLine) -> dict:
    keys = ("found_on", "project", "inspectors", "kind", "campaign", "description", "category", "level")
    keys += ("measures", "responsible", "deadline", "rectified_on", "reviewer", "status")
    return {key: getattr(line, key) for key in keys} | {"checked_on": line.found_on, "version": 1}


def _count(db: Database, model, unit_id: int) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.unit_id == unit_id)) or 0


def _assert_all_imported(db: Database, unit_id: int, ledger: BuiltLedger) -> None:
    assert _stored(db, unit_id) == [_expected(line) for line in ledger.lines]
    assert _count(db, SafetyInspection, unit_id) == ledger.inspections


# -- three layouts -------------------------------------------------------------------------------


def test_the_standard_layout_becomes_hazards_inspections_and_projects(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    ledger = standard_ledger(tmp_path / "2023年隐患台账.xlsx", rows=20)
    plan, result = _import(db, unit_id, ledger.path)
    (sheet,) = plan.sheets
    assert (sheet.header.first_row, sheet.header.last_row) == (3, 3)
    assert {m.header: m.field for m in sheet.matches} == {
        "序号": None,
        "检查日期": "found_on",
        "项目名称": "project",
        "检查人员": "inspectors",
        "隐患描述": "description",
        "隐患类别": "category",
        "隐患等级": "level",
        "整改措施": "measures",
        "责任单位": "responsible",
        "整改期限": "deadline",
        "整改完成日期": "rectified_on",
        "复查人": "reviewer",
        "整改情况": "status",
        "备注": None,
    }
    assert plan.additions == {
        "工程项目": [
            f"{n}项目"
            for n in (
                "罗城商业综合体",
                "凤凰医院门诊综合楼",
                "江南办公楼",
                "城北中学教学楼",
                "工业园标准厂房",
                "循环园安置房",
                "金龙文化活动中心",
            )
        ]
    }
    assert result.counts.created == {"项目": 7, "检查记录": 7, "隐患": 20}
    _assert_all_imported(db, unit_id, ledger)
    first = _stored(db, unit_id)[0]
    assert first["found_on"] == date(2023, 1, 3)
    assert (first["project"], first["inspectors"]) == ("罗城商业综合体项目", "张某某、李某某")
    assert (first["description"], first["category"], first["status"]) == (
        "3#楼外脚手架连墙件缺失",
        "脚手架",
        "已整改",
    )
    # rows 4–6 are one inspection of one project; "未整改" is 待整改
    assert ledger.on("隐患台账", 13).status == "待整改"
    with db.session() as s:
        inspection = s.scalars(select(SafetyInspection).order_by(SafetyInspection.id)).first()
        assert (inspection.checked_on, inspection.kind, inspection.inspectors) == (
            date(2023, 1, 3),
            "月例行检查",
            "张某某、李某某",
        )
        assert s.scalar(select(func.count()).where(SafetyHazard.inspection_id == inspection.id)) == 3
        assert s.scalars(
            select(SafetyInspectionProject.project_id).where(
                SafetyInspectionProject.inspection_id == inspection.id
            )
        ).all() == [s.scalar(select(SafetyProject.id).where(SafetyProject.name == "罗城商业综合体项目"))]
        project = s.scalar(select(SafetyProject).where(SafetyProject.name == "罗城商业综合体项目"))
        assert (project.kind, project.status, project.status_since) == ("房屋建筑", "在建", date(2023, 1, 3))


def test_a_two_row_merged_header_with_text_dates_and_the_inspectors_in_the_title(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    ledger = merged_header_ledger(tmp_path / "隐患台账.xlsx", rows=30)
    plan, result = _import(db, unit_id, ledger.path)
    (sheet,) = plan.sheets
    mapped = {m.header: m.field for m in sheet.matches if m.field}
    assert mapped["整改情况/完成时间"] == "rectified_on"
    assert mapped["整改情况/复查人"] == "reviewer"
    assert mapped["整改情况/是否整改"] == "status"
    assert "inspectors" not in mapped.values()
    assert result.counts.created == {"项目": 10, "检查记录": 10, "隐患": 30}
    _assert_all_imported(db, unit_id, ledger)
    # what the file wrote, and what it became
    ws = openpyxl.load_workbook(ledger.path).active
    immediate = ledger.on("Sheet1", 9)
    assert ws["I9"].value == "立即整改" and immediate.deadline == immediate.found_on == date(2023, 1, 4)
    assert ws["B5"].value == "1月3日" and ledger.on("Sheet1", 5).found_on == date(2023, 1, 3)
    assert (ws["B4"].value, ws["F4"].value, ws["I4"].value) == ("2023年1月3日", "外架", "2023.1.6")
    assert ledger.on("Sheet1", 4).category == "脚手架"
    assert ws["L5"].value == "✓" and ledger.on("Sheet1", 5).status == "已整改"
    assert ws["L13"].value == "未整改" and ledger.on("Sheet1", 13).status == "待整改"
    assert ws["G8"].value == "重大隐患" and ledger.on("Sheet1", 8).level == "重大"
    assert {row["inspectors"] for row in _stored(db, unit_id)} == {"张某某、李某某"}


def test_one_sheet_per_quarter_with_serial_dates_campaigns_and_padded_names(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    ledger = quarters_ledger(tmp_path / "2023年隐患排查台账.xlsx", rows=24)
    plan, result = _import(db, unit_id, ledger.path)
    assert [s.title for s in plan.sheets] == ["一季度", "二季度", "三季度", "四季度"]
    assert result.counts.created == {"项目": 8, "检查记录": 8, "隐患": 24}
    _assert_all_imported(db, unit_id, ledger)
    ws = openpyxl.load_workbook(ledger.path)["二季度"]
    assert ws["B3"].value == 45019  # 2023-04-03 as an Excel serial number
    assert (ws["E4"].value, ws["J3"].value) == ("刘 某某，陈某某", "2023-04-09")
    assert (ws["C3"].value, ws["M3"].value) == ("月检", "已完成")
    stored = _stored(db, unit_id)
    assert (stored[6]["found_on"], stored[6]["inspectors"]) == (date(2023, 4, 3), "刘某某、陈某某")
    assert stored[7]["inspectors"] == "刘某某、陈某某"
    assert {(r["kind"], r["campaign"]) for r in stored} == {
        ("月例行检查", ""),
        ("专项检查", "建筑施工安全专项整治"),
    }
    assert [r["kind"] for r in stored].count("专项检查") == 3


# -- rows with problems, values the file leaves out ----------------------------------------------

HEADER = ("序号", "检查日期", "项目名称", "检查人员", "检查类型", "隐患描述", "隐患类别", "隐患等级")
HEADER += ("整改期限", "整改完成日期", "整改情况")


def _small_ledger(path: Path, rows: list[tuple], *, header=HEADER, title="2023年隐患排查整改台账") -> Path:
    """A sheet "台账": a merged title, the header on row 2, `rows` from row 3 (a value starting
    with "=" is a formula, saved without a result as a program that does not compute writes it)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "台账"
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for column, text in enumerate(header, 1):
        ws.cell(2, column, text)
    for r, values in enumerate(rows, 3):
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(r, column, value)
    book.save(path)
    return path


GOOD = (
    1,
    "2023-03-01",
    "城北中学教学楼项目",
    "张某某、李某某",
    "月检",
    "5层临边防护缺失",
    "高处坠落",
    "一般",
)
GOOD += ("2023-03-08", "2023-03-05", "已整改")


def _row(**changes) -> tuple:
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update(changes)
    return tuple(values[h] for h in HEADER)


def test_bad_rows_are_problems_at_their_cell_and_nothing_is_written(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    path = _small_ledger(
        tmp_path / "bad.xlsx",
        [
            _row(),
            _row(检查日期="2023.13.45"),
            _row(检查类型="夜查"),
            _row(隐患等级="特大"),
            _row(整改期限="=B7+7"),
            _row(隐患描述=None),
            _row(整改期限="2023-02-20"),
            _row(整改情况="整改中"),
            _row(整改完成日期="2024-02-01"),
            _row(整改情况="搁置"),
            _row(项目名称=None),
            _row(整改期限=None),
            _row(检查日期=None),
        ],
    )
    plan = plan_import(db, unit_id, "hazards", path, OPTIONS)
    assert [p.text() for p in plan.problems] == [
        "台账 第4行 第B列（检查日期）：检查日期“2023.13.45”不是有效日期",
        "台账 第5行 第E列（检查类型）：检查类型“夜查”无法识别（可填：月例行检查、专项检查、季度考评、"
        "节假日专项、恶劣天气专项、起重机械检测、暗访、其他）",
        "台账 第6行 第H列（隐患等级）：隐患等级“特大”无法识别（可填：一般、重大）",
        "台账 第7行 第I列（整改期限）：公式未计算，请在 WPS 中打开并保存后再导入",
        "台账 第8行 第F列（隐患描述）：缺少隐患描述",
        "台账 第9行 第I列（整改期限）：整改期限不能早于检查日期（2023-03-01）",
        "台账 第10行 第J列（整改完成日期）：状态为“整改中”的隐患不应有整改完成日期",
        "台账 第11行 第J列（整改完成日期）：整改完成日期不能晚于今天",
        "台账 第12行 第K列（整改情况）：整改状态“搁置”无法识别（可填：已整改、整改中、待整改）",
        "台账 第13行 第C列（项目名称）：缺少项目名称",
        "台账 第14行 第I列（整改期限）：缺少整改期限",
        "台账 第15行 第B列（检查日期）：缺少检查日期",
    ]
    assert len(plan.records) == 13 and sum(row.ok for row in plan.records) == 1
    with pytest.raises(ImportRefused):
        apply_plan(db, unit_id, plan, "skip")
    assert _count(db, SafetyHazard, unit_id) == 0
    assert _count(db, SafetyProject, unit_id) == 0


def test_the_inspectors_come_from_the_option_when_the_ledger_names_none(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    header = tuple(h for h in HEADER if h != "检查人员")
    rows = [tuple(v for h, v in zip(HEADER, _row(), strict=True) if h != "检查人员")]
    path = _small_ledger(tmp_path / "无检查人.xlsx", rows, header=header)
    plan = plan_import(db, unit_id, "hazards", path, OPTIONS)
    assert plan.needs == ["台账中没有检查人员，请在第1步“检查人员”中填写（命令行 --inspectors）"]
    _plan, result = _import(db, unit_id, path, inspectors="王某某 赵某某")
    assert result.counts.created == {"项目": 1, "检查记录": 1, "隐患": 1}
    assert _stored(db, unit_id)[0]["inspectors"] == "王某某、赵某某"
    # a title that names them is enough
    path = _small_ledger(
        tmp_path / "有标题.xlsx", rows, header=header, title="2023年隐患台账（检查人员：周某某、吴某某）"
    )
    assert plan_import(db, unit_id, "hazards", path, OPTIONS).needs == []


def test_deadlines_written_as_periods_and_dates_without_a_year(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    path = _small_ledger(
        tmp_path / "期限.xlsx",
        [
            _row(隐患描述="a", 整改期限="立即整改", 整改完成日期="2023-03-01"),
            _row(隐患描述="b", 整改期限="7天", 整改完成日期=None, 整改情况=None),
            _row(隐患描述="c", 整改期限="限3个工作日内", 整改完成日期=None, 整改情况="整改中"),  # Wed → Mon
            _row(隐患描述="d", 检查日期="12月28日", 整改期限="1月5日", 整改完成日期="1月4日"),
            _row(隐患描述="e", 整改完成日期=None, 整改情况="已整改"),
            _row(隐患描述="f", 整改完成日期=datetime(2023, 3, 2), 整改情况=None),
        ],
    )
    _plan, result = _import(db, unit_id, path)
    got = [
        (r["description"], r["found_on"], r["deadline"], r["rectified_on"], r["status"])
        for r in _stored(db, unit_id)
    ]
    assert got == [
        ("a", date(2023, 3, 1), date(2023, 3, 1), date(2023, 3, 1), "已整改"),
        ("b", date(2023, 3, 1), date(2023, 3, 8), None, "待整改"),
        ("c", date(2023, 3, 1), date(2023, 3, 6), None, "整改中"),
        ("d", date(2023, 12, 28), date(2024, 1, 5), date(2024, 1, 4), "已整改"),
        ("e", date(2023, 3, 1), date(2023, 3, 8), date(2023, 3, 8), "已整改"),
        ("f", date(2023, 3, 1), date(2023, 3, 8), date(2023, 3, 2), "已整改"),
    ]
    assert result.notes == ["台账 第7行：已整改但未填整改完成日期，按整改期限记为2023年3月8日"]


def test_categories_by_synonym_containment_or_as_new_entries(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    rows = [
        _row(隐患描述="a", 隐患类别="塔吊"),
        _row(隐患描述="b", 隐患类别="塔吊基础积水"),
        _row(隐患描述="c", 隐患类别="临 电"),
        _row(隐患描述="d", 隐患类别="防雷接地"),
        _row(隐患描述="e", 隐患类别=None),
        _row(隐患描述="f", 隐患类别="防雷接地"),
    ]
    path = _small_ledger(tmp_path / "类别.xlsx", rows)
    strict = plan_import(db, unit_id, "hazards", path, replace(OPTIONS, strict_values=True))
    assert [p.text() for p in strict.problems] == [
        f"台账 第{n}行 第G列（隐患类别）：隐患类别“防雷接地”不在本单位的隐患类别列表中（可填：高处坠落、"
        "起重机械、临时用电、深基坑、模板支撑、脚手架、施工机具、消防、扬尘、文明施工、工程质量、其他）"
        for n in (6, 8)
    ]
    plan, result = _import(db, unit_id, path)
    assert plan.additions["隐患类别"] == ["防雷接地"]
    assert result.counts.added_values == {"隐患类别": ["防雷接地"]}
    assert [r["category"] for r in _stored(db, unit_id)] == [
        "起重机械",
        "起重机械",
        "临时用电",
        "防雷接地",
        "其他",
        "防雷接地",
    ]
    assert result.notes == ["台账 第7行：隐患类别未填，记为“其他”"]
    with db.session() as s:
        names = s.scalars(
            select(SafetyHazardCategory.name)
            .where(SafetyHazardCategory.unit_id == unit_id)
            .order_by(SafetyHazardCategory.position)
        ).all()
    assert names[-2:] == ["其他", "防雷接地"] and len(names) == 13


# -- duplicates, existing inspections, undo ------------------------------------------------------


def test_reimporting_the_same_ledger_creates_nothing_and_undo_removes_the_batch(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=20)
    _plan, first = _import(db, unit_id, ledger.path)
    plan, again = _import(db, unit_id, ledger.path)
    assert len(plan.duplicates) == 20 and plan.additions == {}
    assert (again.counts.created, again.counts.skipped) == ({}, {"隐患": 20})
    _plan, updated = _import(db, unit_id, ledger.path, "update")
    assert (updated.counts.updated, updated.counts.skipped) == ({}, {"隐患": 20})
    assert _count(db, SafetyHazard, unit_id) == 20 and _count(db, SafetyInspection, unit_id) == 7
    undone = batches.undo_batch(db, first.batch_id)
    assert undone.deleted == {"项目": 7, "项目状态记录": 7, "检查记录": 7, "隐患": 20}
    for model in (SafetyHazard, SafetyInspection, SafetyProject):
        assert _count(db, model, unit_id) == 0


def test_an_updated_ledger_updates_the_example_hazards_and_undo_puts_them_back(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    db, unit_id = example_db, example_unit_id
    with db.session() as s:
        lines = stored_lines(s, unit_id, date(2023, 12, 1), date(2023, 12, 31))
    assert len(lines) == 268 and sum(line.status != "已整改" for line in lines) == 19
    before = _stored(db, unit_id)
    # the ledger as the clerk keeps it a month later: the open hazards are closed (their 整改措施
    # left blank, which keeps what is stored), project names written without 项目, a new hazard
    # in an existing inspection
    closed = [
        replace(line, status="已整改", rectified_on=date(2024, 1, 15), reviewer="复查组", measures="")
        if line.status != "已整改"
        else line
        for line in lines
    ]
    renamed = [replace(line, project=line.project.removesuffix("项目")) for line in closed]
    extra = replace(
        renamed[0], description="新发现：配电箱门未上锁", status="待整改", rectified_on=None, reviewer=""
    )
    ledger = standard_ledger(tmp_path / "2023年12月隐患台账.xlsx", lines=[*renamed, extra])
    plan, result = _import(db, unit_id, ledger.path, "update")
    assert plan.additions == {}
    assert len(plan.duplicates) == 268
    assert result.counts.created == {"隐患": 1}
    assert result.counts.updated == {"隐患": 19}
    assert result.counts.skipped == {"隐患": 249}
    after = _stored(db, unit_id)
    assert len(after) == len(before) + 1
    changed = [(b, a) for b, a in zip(before, after, strict=False) if a != b]
    assert len(changed) == 19
    assert all(
        (a["status"], a["rectified_on"], a["reviewer"], a["measures"], a["version"])
        == ("已整改", date(2024, 1, 15), "复查组", b["measures"], b["version"] + 1)
        and b["measures"]
        for b, a in changed
    )
    new = after[-1]
    with db.session() as s:
        first = s.scalar(
            select(SafetyHazard.inspection_id).where(
                SafetyHazard.found_on == lines[0].found_on, SafetyHazard.description == lines[0].description
            )
        )
        newest = s.scalar(select(SafetyHazard).order_by(SafetyHazard.id.desc()).limit(1))
    assert newest.inspection_id == first and new["description"] == "新发现：配电箱门未上锁"
    # undo: the new hazard goes, the 19 come back as they were
    undone = batches.undo_batch(db, result.batch_id)
    assert (undone.deleted, undone.restored) == ({"隐患": 1}, {"隐患": 19})
    restored = _stored(db, unit_id)
    assert [{k: v for k, v in r.items() if k != "version"} for r in restored] == [
        {k: v for k, v in r.items() if k != "version"} for r in before
    ]


def test_names_follow_the_spelling_of_the_units_inspectors(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    rows = [_row(项目名称="城北中学教学楼", 检查人员="杨 帆，胡　小兵", 检查日期="2023-03-02")]
    path = _small_ledger(tmp_path / "名字.xlsx", rows)
    _plan, result = _import(example_db, example_unit_id, path)
    assert result.counts.created == {"检查记录": 1, "隐患": 1}
    with example_db.session() as s:
        inspection = s.scalar(select(SafetyInspection).order_by(SafetyInspection.id.desc()).limit(1))
        project = s.scalar(
            select(SafetyProject.name)
            .join(SafetyInspectionProject, SafetyInspectionProject.project_id == SafetyProject.id)
            .where(SafetyInspectionProject.inspection_id == inspection.id)
        )
    assert (inspection.inspectors, project) == ("杨帆、胡小兵", "城北中学教学楼项目")


def test_a_ledger_without_category_and_level_columns_records_其他_and_一般(
    db: Database, unit_id: int, tmp_path: Path
) -> None:
    keep = [h for h in HEADER if h not in ("隐患类别", "隐患等级")]
    rows = [tuple(v for h, v in zip(HEADER, _row(隐患描述=d), strict=True) if h in keep) for d in "ab"]
    path = _small_ledger(tmp_path / "简表.xlsx", rows, header=tuple(keep))
    plan, result = _import(db, unit_id, path)
    assert [(r["category"], r["level"]) for r in _stored(db, unit_id)] == [("其他", "一般"), ("其他", "一般")]
    assert result.notes == ["台账 第3行：台账中没有隐患类别列：隐患均记为“其他”"]
    assert plan.records[0].shown["category"] == "其他" and plan.records[1].shown["project"] == (
        "城北中学教学楼项目（新建）"
    )


def test_the_wizards_value_maps_come_before_the_synonyms(db: Database, unit_id: int, tmp_path: Path) -> None:
    rows = [_row(整改情况="OK", 检查人员="老张", 隐患类别="其它问题", 整改完成日期="2023-03-04")]
    path = _small_ledger(tmp_path / "映射.xlsx", rows)
    maps = {
        "status": {"OK": "已整改"},
        "inspectors": {"老张": "张某某"},
        "category": {"其它问题": "文明施工"},
    }
    _plan, result = _import(db, unit_id, path, value_maps=maps)
    assert result.counts.added_values == {}
    (stored,) = _stored(db, unit_id)
    assert (stored["status"], stored["inspectors"], stored["category"]) == ("已整改", "张某某", "文明施工")
