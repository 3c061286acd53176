"""Importing the tables from .xlsx: our own exports, and seed 003's tables as typed by hand in WPS."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from app.db import Database
from app.errors import UserError
from app.example_data.budget import (
    DEPARTMENT_GOAL,
    DEPARTMENT_INDICATORS,
    QUALITY_INDICATORS,
    TENDER_INDICATORS,
    THRIFT,
    WORK_INDICATORS,
)
from app.exports.package import export_year
from app.importers.budget_xlsx import import_files, plan_import, read_workbook, read_workbooks
from app.services.budget.checks import check_year
from app.services.budget.compute import build_tables, load_context
from app.services.budget.data import BudgetYearData, load_year, save_year
from app.services.unit import create_unit, load_profile, save_profile

D = Decimal


def _export(db: Database, unit_id: int, folder: Path) -> list[Path]:
    return export_year(db, unit_id, 2023, folder, keys={"budget.tables"}, into_package_folder=False).files


def _cells(path: Path) -> list[tuple[str, object]]:
    ws = openpyxl.load_workbook(path).active
    return [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_export_import_export_gives_the_same_tables(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    # GIVEN the example year exported
    first = _export(example_db, example_unit_id, tmp_path / "first")
    with example_db.session() as s:
        before = load_year(s, example_unit_id, 2023)
    # AND the year emptied
    save_year(example_db, example_unit_id, 2023, BudgetYearData(revision=before.revision))
    # WHEN the five files are imported
    plan = import_files(example_db, example_unit_id, 2023, first)
    # THEN nothing needed saying, and exporting again gives the very same cells
    assert [p.text() for p in plan.problems] == []
    second = _export(example_db, example_unit_id, tmp_path / "second")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert _cells(a) == _cells(b), a.name
    # AND the figures are those that were exported (项目概况/立项依据 and the 国有资本经营/社会保险
    # 基金 amounts the report quotes are not in the tables)
    with example_db.session() as s:
        after = load_year(s, example_unit_id, 2023)
    for project in (*before.projects, *after.projects):
        project.basis = project.overview = ""
    after.revision = before.revision
    after.state_capital, after.social_insurance = before.state_capital, before.social_insurance
    # the 填报日期 left to default was written as the export date, and comes back as a date set
    assert before.fill_date is None and after.fill_date == date(2024, 1, 20)
    after.fill_date = None
    assert after == before


# -- seed 003 as typed by hand in WPS ---------------------------------------------------------------------


def _indicator_rows(
    ws: Worksheet, row: int, rows: list[tuple], headers: dict[str, str], na: tuple[str, ...] = ()
) -> int:
    """一级 in column C (merged down its rows, "(30分)" in it), a blank spacer column B, 分值 as text."""
    ws.cell(row, 1, "\n绩效指标\n")
    for col, text in zip(
        range(3, 11),
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因\n分析及\n改进措施",
        ],
        strict=True,
    ):
        ws.cell(row, col, text)
    row += 1
    level1 = level2 = None
    group_start = row
    all_rows = [*rows, *(("成本指标", name, "不适用", "", "", None) for name in na)]
    for item in all_rows:
        l1, l2, name, target, actual, weight, *rest = item
        if l1 != level1:
            if level1 is not None and row - 1 > group_start:
                ws.merge_cells(start_row=group_start, start_column=3, end_row=row - 1, end_column=3)
            ws.cell(row, 3, f"{l1}\n{headers[l1]}")
            level1, group_start, level2 = l1, row, None
        if l2 != level2:
            ws.cell(row, 4, l2)
            level2 = l2
        ws.cell(row, 5, name)
        ws.cell(row, 6, target or None)
        ws.cell(row, 7, actual or None)
        if weight is not None:
            ws.cell(row, 8, str(weight))  # numbers typed as text
            score = rest[0] if rest and rest[0] is not None else str(weight)
            ws.cell(row, 9, score)
        if len(rest) > 1 and rest[1]:
            ws.cell(row, 10, rest[1])
        row += 1
    ws.merge_cells(start_row=group_start, start_column=3, end_row=row - 1, end_column=3)
    return row


def _funds_header(ws: Worksheet, row: int, label: str) -> None:
    ws.cell(row, 1, label)
    for col, text in zip(
        range(4, 10), ["年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率", "得分"], strict=True
    ):
        ws.cell(row, col, text)


HUNAN_HEADERS = {"产出指标": "(30分)", "效益指标": "(30分)", "满意度指标": "(10分)", "成本指标": "（20分）"}


def seed_department(ws: Worksheet) -> None:
    ws.title = "部门整体"
    ws.merge_cells("A1:J1")
    ws["A1"] = "2023年度部门整体支出绩效自评表"
    ws["A2"], ws["C2"] = "预算部门\n名称", "汨罗市建筑工程服务中心"
    _funds_header(ws, 3, "\n年度预算申请(万元)")
    ws["C4"], ws["D4"], ws["E4"], ws["F4"], ws["G4"], ws["H4"], ws["I4"] = (
        "年度资金总额",
        "801.08",
        951.9,
        "951.90",
        10,
        "100%",
        "10",
    )
    ws["C5"], ws["G5"] = "按收入性质分：", "按支出性质分："
    ws["C6"], ws["G6"] = "其中：一般公共预算：885.94", "其中：基本支出：592.17"
    ws["C7"], ws["G7"] = "政府性基金拨款：0", "项目支出：359.73"
    ws["C8"] = "纳入专户管理的非税收入拨款：0"
    ws["C9"] = "其他资金：65.96"
    ws["A10"], ws["C10"], ws["G10"] = "年度总体 目标", "预期目标", "实际完成情况"
    ws["C11"], ws["G11"] = DEPARTMENT_GOAL, "任务已经完成"
    row = _indicator_rows(ws, 12, DEPARTMENT_INDICATORS, HUNAN_HEADERS)
    ws.cell(row, 1, "总分")
    ws.cell(row, 8, "100")
    ws.cell(row, 9, "99.5")
    ws.cell(
        row + 2, 1, "填表人：柳灿    填报日期：          联系电话：15292005668     单位负责人签字：葛思卉"
    )


def seed_project(
    ws: Worksheet,
    name: str,
    funds: tuple,
    rows: list[tuple],
    total: str | None,
    na=(),
    goals=("目标", "完成"),
) -> None:
    ws.title = name[:10]
    ws["A1"] = "2023年度项目支出绩效自评表"
    ws["A2"], ws["C2"] = "项目支出名称", name
    ws["A3"], ws["C3"], ws["E3"], ws["F3"] = (
        "主管部门",
        "汨罗市住房和城乡建设局",
        "实施\n单位",
        "汨罗市建筑工程服务中心",
    )
    _funds_header(ws, 4, "项目资金 (万元)")
    ws["C5"] = "年度资金总额"
    for col, value in zip("DEF", funds, strict=True):
        ws[f"{col}5"] = value
    ws["G5"], ws["H5"], ws["I5"] = 10, "100%", 10
    for row, label, values in (
        (6, "其中：当年财政拨款", funds),
        (7, "上年结转资金", (0, 0, 0)),
        (8, "其他资金", (0, 0, 0)),
    ):
        ws.cell(row, 3, label)
        for col, value in zip((4, 5, 6), values, strict=True):
            ws.cell(row, col, value)
    ws["A9"], ws["C9"], ws["G9"] = "年度总体目标", "预期目标", "实际完成情况"
    ws["C10"], ws["G10"] = goals
    headers = {**HUNAN_HEADERS}
    row = _indicator_rows(ws, 11, rows, headers, na)
    ws.cell(row, 1, "总分")
    ws.cell(row, 8, "100")
    ws.cell(row, 9, total)
    ws.cell(
        row + 2,
        1,
        "备注： 一个一级项目支出一张表。如，业务工作经费，运行维护经费，其他事业发展类资金…各一张表.",
    )


BASE_ROWS = [
    ("“三公”经费", None, None, None),
    ("1、公务用车购置和维护经费", 0, 0, 0),
    ("其中：公车购置", 0, 0, 0),
    ("     公车运行维护", 0, 0, 0),
    ("2、出国经费", 0, 0, 0),
    ("3、公务接待", 0.12, 5.8, 0),
    ("项目支出：", None, None, None),
    ("1、业务工作经费", None, None, None),
    ("2、运行维护经费", None, None, None),
    ("3、县级专项资金\n(一个专项一行)", 12.52, 25, 359.74),
    ("质量安全监督管理专项", None, 5, 5),
    ("招投标监督管理专项", None, 20, 20),
    ("工作经费", None, None, 334.74),
    ("智慧平台服务及专用检测费", 12.52, None, None),
    ("公用经费", None, None, None),
    ("其中：办公经费", 4.09, 6.96, 7.88),
    ("   水费、电费、差旅费", 12.57, 16.24, 23.16),
    ("会议费、培训费", 3.09, 5.8, 1.69),
    ("政府采购金额", 59.7, 37.25, 59.7),
    ("部门基本支出预算调整", None, None, None),
]


def seed_base(ws: Worksheet) -> None:
    ws.title = "基础数据表"
    ws["A1"] = "2023年度部门整体支出绩效评价基础\n数据表"
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = (
        "财政供养人员情况(人)",
        "编制数",
        "2023年实际在职\n人数",
        "控制率",
    )
    ws["B3"], ws["C3"], ws["D3"] = 61, 59, "96.72%"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = (
        "经费控制情况(万元)",
        "2022年决算数",
        "2023年预算数",
        "2023年决算数",
    )
    for row, (label, *values) in enumerate(BASE_ROWS, 5):
        ws.cell(row, 1, label)
        for col, value in enumerate(values, 2):
            ws.cell(row, col, value)
    row = 5 + len(BASE_ROWS)
    headers = [
        "\n楼堂馆所控制情况\n(2023年完工项目)",
        "批复规模 (m²)",
        "实际规模(m²)",
        "规模控制率",
        "预算投资\n(万元)",
        "实际投资 (万元)",
        "投资概算控制率",
    ]
    for col, text in enumerate(headers, 1):
        ws.cell(row, col, text)
    for col, value in zip((2, 3, 5, 6), (0, 0, 0, 0), strict=True):
        ws.cell(row + 1, col, value)
    ws.cell(row + 2, 1, "厉行节约保障措施")
    ws.cell(row + 2, 2, THRIFT)
    ws.cell(
        row + 4,
        1,
        "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。",
    )


def seed_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    seed_base(book.active)
    seed_department(book.create_sheet())
    seed_project(book.create_sheet(), "质量安全监督管理专项", (20, 20, 20), QUALITY_INDICATORS, "100")
    seed_project(book.create_sheet(), "招投标监督管理专项", (5, 5, 5), TENDER_INDICATORS, None)
    seed_project(
        book.create_sheet(),
        "工作经费",
        ("325", "334.74", "334.74"),
        WORK_INDICATORS,
        "99.5",
        na=("社会成本指标", "生态环境成本指标"),
    )
    book.create_sheet("说明").append(["本工作簿由手工录入"])
    book.save(path)
    return path


@pytest.fixture
def fresh_unit(db: Database) -> int:
    unit_id = create_unit(db, "汨罗市建筑工程服务中心", 2023)
    with db.session() as s:
        profile = load_profile(s, unit_id, 2023)
    profile.staff_quota, profile.staff_actual = 61, 59
    save_profile(db, unit_id, 2023, profile)
    return unit_id


def test_seed_003_typed_by_hand_is_read_and_its_errors_are_caught(
    db: Database, fresh_unit: int, tmp_path: Path
) -> None:
    # GIVEN seed 003's five tables, as the clerk typed them in WPS (with the seed's own mistakes)
    path = seed_workbook(tmp_path / "2023年绩效自评.xlsx")
    # WHEN they are read and merged into an empty year
    with db.session() as s:
        current, ctx = load_year(s, fresh_unit, 2023), load_context(s, fresh_unit, 2023)
    result = read_workbook(path)
    plan = plan_import(current, ctx, result)
    messages = [(p.level, p.sheet, p.cell, p.message) for p in plan.problems]
    # THEN nothing blocks the import, and what disagrees is listed with sheet, cell and why
    assert not plan.has_errors, messages
    warnings = {(sheet, cell): message for _level, sheet, cell, message in messages}
    assert warnings[("说明", "")] == "不是可识别的预算绩效表格，已跳过"
    # the 基础数据表 swapped 质量安全 (5) and 招投标 (20): the project tables win
    assert warnings[("基础数据表", "C15")] == (
        "“质量安全监督管理专项”本年预算数为5.00，项目支出绩效自评表为20.00：以项目支出绩效自评表为准，此数未导入"
    )
    assert warnings[("基础数据表", "D16")].startswith(
        "“招投标监督管理专项”本年决算数为20.00，项目支出绩效自评表为5.00"
    )
    # 项目支出 359.73 in the department table against 359.74 in the project tables
    assert warnings[("部门整体", "G7")] == "表中项目支出为359.73，各项目全年执行数合计为359.74：以项目表为准"
    # the 招投标 table's blank 总分 is computed
    assert (
        warnings[("招投标监督管理专项", "I23")]
        == "项目“招投标监督管理专项”的总分为空，导入后按各项得分计算为100"
    )
    assert "未分人员经费和公用经费" in warnings[("部门整体", "")]

    # WHEN it is applied
    from app.importers.budget_xlsx import apply_import

    apply_import(db, fresh_unit, 2023, plan)
    with db.session() as s:
        tables = build_tables(s, fresh_unit, 2023)
        findings = check_year(s, fresh_unit, 2023)
    # THEN the figures are seed 003's
    dept = tables.department
    assert (dept.funds.initial, dept.funds.full, dept.funds.executed, dept.funds.score) == (
        D("801.08"),
        D("951.90"),
        D("951.90"),
        D(10),
    )
    assert [r.amount for r in dept.income] == [D("885.94"), D(0), D(0), D("65.96")]
    assert dept.indicators.total == D("99.5") and dept.goal_actual == "任务已经完成"
    assert [(p.name, p.funds.full, p.indicators.total) for p in tables.projects] == [
        ("质量安全监督管理专项", D(20), D(100)),
        ("招投标监督管理专项", D(5), D(100)),
        ("工作经费", D("334.74"), D("99.5")),
    ]
    assert all(p.kind == "县级专项资金" for p in tables.projects)  # from the base table
    reception = tables.base.row("reception")
    assert reception is not None and (reception.prior, reception.prior_source, reception.budget) == (
        D("0.12"),
        "typed",
        D("5.80"),
    )
    smart = tables.base.row("project:智慧平台服务及专用检测费")
    assert smart is not None and smart.prior == D("12.52")
    assert tables.base.thrift_measures == THRIFT
    # AND the 工作经费 table's 效益 40 points under a (30分) header are flagged by 校验
    work = [f for f in findings if f.table.endswith("（工作经费）") and f.level == "错误"]
    assert [(f.row, f.message) for f in work] == [
        ("效益指标(30分)", "各三级指标分值合计40分，与表头“效益指标(30分)”不符"),
        ("成本指标(20分)", "各三级指标分值合计10分，与表头“成本指标(20分)”不符"),
    ]


def test_an_unreadable_cell_stops_the_whole_import(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    files = _export(example_db, example_unit_id, tmp_path)
    dept = next(p for p in files if "部门整体支出绩效自评表" in p.name)
    book = openpyxl.load_workbook(dept)
    ws = book.active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "办理项目竣工验收率")
    ws.cell(cell.row, 7, "一分")  # 分值
    book.save(dept)
    with example_db.session() as s:
        before = load_year(s, example_unit_id, 2023)
    with pytest.raises(
        UserError,
        match=r"第1张表“附件2 .*部门整体支出绩效自评表.xlsx › 部门整体自评表”第\d+行G列：分值“一分”不是数字",
    ):
        import_files(example_db, example_unit_id, 2023, files)
    with example_db.session() as s:
        assert load_year(s, example_unit_id, 2023) == before


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "不是表格.xlsx"
    path.write_text("hello", encoding="utf-8")
    result = read_workbooks([path])
    assert result.has_errors and "无法打开该文件" in result.problems[0].message
