"""The 自评表 importer's gaps of issue 15 (point 6): the file's footer (填表人, 填报日期, 联系电话) is
kept instead of the unit's; a table of another year is named and refused unless confirmed; the
preview lists the 校验 findings the import adds or removes, with their figures."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.db import Database
from app.errors import EditConflictError, UserError
from app.exports.package import export_year
from app.importers.budget_xlsx import apply_import, import_files, plan_files
from app.importers.budget_xlsx_read import Grid, table_year
from app.services.budget.compute import build_tables
from app.services.budget.data import load_year, save_year
from app.services.unit import load_profile, save_profile

YEAR = 2023
EXAMPLE_FOOTER = (
    "填表人：林晓雯    填报日期：2024年1月20日    联系电话：13907305668    单位负责人签字：周建平"
)


@pytest.fixture
def files(example_db: Database, example_unit_id: int, tmp_path: Path) -> dict[str, Path]:
    """The example year's five tables as the app exports them: {"base"|"dept"|"工作经费"…: path}."""
    exported = export_year(
        example_db, example_unit_id, YEAR, tmp_path / "out", keys={"budget.tables"}, into_package_folder=False
    ).files
    named = {}
    for path in exported:
        if "基础数据表" in path.name:
            named["base"] = path
        elif "部门整体支出绩效自评表" in path.name:
            named["dept"] = path
        else:
            named[path.name.split("（")[1].removesuffix("）.xlsx")] = path
    return named


def _footer_cell(ws) -> str:
    return next(c.coordinate for row in ws.iter_rows() for c in row if str(c.value).startswith("填表人"))


def _edit(path: Path, **cells: object) -> Path:
    book = openpyxl.load_workbook(path)
    ws = book.active
    for coordinate, value in cells.items():
        ws[_footer_cell(ws) if coordinate == "footer" else coordinate] = value
    book.save(path)
    return path


def _footer_text(path: Path) -> str:
    ws = openpyxl.load_workbook(path).active
    return ws[_footer_cell(ws)].value


# -- the footer ------------------------------------------------------------------------------------------


def test_the_files_footer_is_kept_and_printed_again(
    example_db: Database, example_unit_id: int, files: dict[str, Path], tmp_path: Path
) -> None:
    # GIVEN the exported tables with the footer the clerk typed: another preparer, date and phone
    assert _footer_text(files["dept"]) == EXAMPLE_FOOTER
    footer = "填表人：柳灿    填报日期：2024年2月5日    联系电话：0730-5212345    单位负责人签字：周建平"
    for path in files.values():
        _edit(path, footer=footer)
    # WHEN they are imported
    plan = import_files(example_db, example_unit_id, YEAR, list(files.values()))
    # THEN the preview said so, and the footer is the file's, not the unit's
    assert (
        "表尾：填表人“柳灿”、联系电话“0730-5212345”（写入2023年度单位信息），填报日期2024年2月5日"
        in plan.changes
    )
    assert [p.text() for p in plan.problems] == []
    with example_db.session() as s:
        profile = load_profile(s, example_unit_id, YEAR)
        data = load_year(s, example_unit_id, YEAR)
        tables = build_tables(s, example_unit_id, YEAR)
        assert load_profile(s, example_unit_id, 2022).preparer == "林晓雯"  # the other year untouched
    assert (profile.preparer, profile.phone, data.fill_date) == ("柳灿", "0730-5212345", date(2024, 2, 5))
    assert profile.head == "周建平"
    f = tables.department.footer
    assert (f.preparer, f.date, f.phone) == ("柳灿", "2024年2月5日", "0730-5212345")
    # AND exported again, every table prints it exactly
    again = export_year(
        example_db,
        example_unit_id,
        YEAR,
        tmp_path / "again",
        keys={"budget.tables"},
        into_package_folder=False,
    ).files
    assert [_footer_text(p) for p in again] == [footer] * 5


@pytest.mark.parametrize(
    "date_cell",
    ["2024.2.5", "2024-02-05", "2024/2/5", "20240205", "2024年2月5日（盖章）", datetime(2024, 2, 5)],
)
def test_a_footer_typed_over_several_cells_with_any_known_date_form(
    example_db: Database, example_unit_id: int, files: dict[str, Path], date_cell: object
) -> None:
    path = files["dept"]
    book = openpyxl.load_workbook(path)
    ws = book.active
    row = ws[_footer_cell(ws)].row
    ws.unmerge_cells(f"A{row}:I{row}")
    for col, value in enumerate(
        [
            "填表人：",
            " 柳 灿 ",
            "填报日期：",
            date_cell,
            "联系电话",
            "１３９０７３０１２３４",
            "单位负责人（签字）：",
        ],
        1,
    ):
        ws.cell(row, col, value)
    book.save(path)
    plan = import_files(example_db, example_unit_id, YEAR, [path])
    assert [p.text() for p in plan.problems] == []
    with example_db.session() as s:
        profile = load_profile(s, example_unit_id, YEAR)
        assert (profile.preparer, profile.phone) == ("柳灿", "13907301234")
        assert load_year(s, example_unit_id, YEAR).fill_date == date(2024, 2, 5)


def test_a_footer_over_two_lines_under_an_indicator_naming_a_date(
    example_db: Database, example_unit_id: int, files: dict[str, Path]
) -> None:
    book = openpyxl.load_workbook(files["dept"])
    ws = book.active
    ws["A43"] = "填表人：柳灿        联系电话：0730-5212345"
    ws["A44"] = "填报日期：2024年2月5日    单位负责人签字：周建平"
    indicator = next(c for row in ws.iter_rows() for c in row if c.value == "办理项目竣工验收率")
    ws.cell(indicator.row, 9, "填报日期：以系统为准")  # a 偏差原因 above the footer mentioning a date
    book.save(files["dept"])
    plan = import_files(example_db, example_unit_id, YEAR, [files["dept"]])
    assert [p.text() for p in plan.problems] == []
    with example_db.session() as s:
        profile = load_profile(s, example_unit_id, YEAR)
        assert (profile.preparer, profile.phone) == ("柳灿", "0730-5212345")
        assert load_year(s, example_unit_id, YEAR).fill_date == date(2024, 2, 5)


def test_a_blank_footer_keeps_what_the_year_had(
    example_db: Database, example_unit_id: int, files: dict[str, Path]
) -> None:
    with example_db.session() as s:
        data = load_year(s, example_unit_id, YEAR)
    data.fill_date = date(2024, 1, 10)
    save_year(example_db, example_unit_id, YEAR, data)
    path = _edit(files["dept"], footer="填表人：        填报日期：        联系电话：        单位负责人签字：")
    plan = plan_files(example_db, example_unit_id, YEAR, [path])
    assert not [line for line in plan.changes if line.startswith("表尾")]
    import_files(example_db, example_unit_id, YEAR, [path])
    with example_db.session() as s:
        profile = load_profile(s, example_unit_id, YEAR)
        assert (profile.preparer, profile.phone) == ("林晓雯", "13907305668")
        assert load_year(s, example_unit_id, YEAR).fill_date == date(2024, 1, 10)


def test_a_footer_that_cannot_be_kept_is_named_and_left_as_it_was(
    example_db: Database, example_unit_id: int, files: dict[str, Path]
) -> None:
    _edit(files["dept"], footer="填表人：柳灿  填报日期：二〇二四年二月  联系电话：12345  单位负责人签字：")
    _edit(files["工作经费"], footer="填表人：王芳  填报日期：  联系电话：  单位负责人签字：")
    plan = plan_files(example_db, example_unit_id, YEAR, [files["dept"], files["工作经费"]])
    dept_sheet = f"{files['dept'].name} › 部门整体自评表"
    work_sheet = f"{files['工作经费'].name} › 项目支出自评表"
    assert [(p.level, p.sheet, p.cell, p.message) for p in plan.problems] == [
        (
            "警告",
            dept_sheet,
            "A43",
            "表尾的联系电话“12345”格式不正确（应为11位手机号或带区号的固定电话），未导入",
        ),
        ("警告", dept_sheet, "A43", "表尾的填报日期“二〇二四年二月”无法识别（应如2024年1月15日），未导入"),
        (
            "警告",
            work_sheet,
            "A42",
            f"表尾的填表人“王芳”与“{dept_sheet}”中的“柳灿”不同，按“{dept_sheet}”导入",
        ),
    ]
    assert plan.footer is not None and plan.footer.profile_changes() == {"preparer": "柳灿"}


def test_unit_info_saved_after_the_preview_refuses_the_whole_import(
    example_db: Database, example_unit_id: int, files: dict[str, Path]
) -> None:
    path = _edit(files["dept"], footer="填表人：柳灿  填报日期：  联系电话：0730-5212345  单位负责人签字：")
    plan = plan_files(example_db, example_unit_id, YEAR, [path])
    with example_db.session() as s:
        before = load_year(s, example_unit_id, YEAR)
        profile = load_profile(s, example_unit_id, YEAR)
    profile.phone = "13800000000"  # typed on the 单位信息 page meanwhile
    save_profile(example_db, example_unit_id, YEAR, profile)
    with pytest.raises(EditConflictError, match="2023年度单位信息中的填表人、联系电话已在别处被修改并保存"):
        apply_import(example_db, example_unit_id, YEAR, plan)
    with example_db.session() as s:
        assert load_year(s, example_unit_id, YEAR) == before  # one transaction: nothing written
        assert load_profile(s, example_unit_id, YEAR).phone == "13800000000"


def test_a_date_that_does_not_exist_stops_the_import(
    example_db: Database, example_unit_id: int, files: dict[str, Path]
) -> None:
    path = _edit(files["dept"], footer="填表人：柳灿  填报日期：2024年2月30日  联系电话：  单位负责人签字：")
    with pytest.raises(UserError, match="第43行A列：填报日期“2024年2月30日”不存在，请核对"):
        import_files(example_db, example_unit_id, YEAR, [path])


# -- the table's year ------------------------------------------------------------------------------------


def test_a_2024_table_into_2023_is_named_and_refused_until_confirmed(
    example_db: Database, example_unit_id: int, files: dict[str, Path]
) -> None:
    path = _edit(files["dept"], A1="2024年度部门整体支出绩效自评表")
    with example_db.session() as s:
        before = load_year(s, example_unit_id, YEAR)
    plan = plan_files(example_db, example_unit_id, YEAR, [path])
    assert plan.file_years == (2024,)
    assert plan.year_mismatch == "文件是2024年度的自评表，当前导入到2023年度"
    with pytest.raises(UserError, match=r"^文件是2024年度的自评表，当前导入到2023年度，未导入任何数据"):
        import_files(example_db, example_unit_id, YEAR, [path])
    with example_db.session() as s:
        assert load_year(s, example_unit_id, YEAR) == before
    # confirmed, it is imported
    import_files(example_db, example_unit_id, YEAR, [path], force_year=True)
    with example_db.session() as s:
        assert load_year(s, example_unit_id, YEAR).revision == before.revision + 1


def test_tables_of_the_year_imported_into_say_nothing(
    example_db: Database, example_unit_id: int, files: dict[str, Path]
) -> None:
    plan = plan_files(example_db, example_unit_id, YEAR, list(files.values()))
    assert (plan.file_years, plan.year_mismatch) == ((2023,), "")
    # the same files planned into 2022: the mismatch is named with that year
    assert plan_files(example_db, example_unit_id, 2022, list(files.values())).year_mismatch == (
        "文件是2023年度的自评表，当前导入到2022年度"
    )


@pytest.mark.parametrize(
    ("cells", "year"),
    [
        ({"A1": "2024年度部门整体支出绩效自评表"}, 2024),
        ({"A1": "汨罗市建筑工程服务中心2022年度项目支出绩效自评表"}, 2022),
        ({"A1": "部门整体支出绩效自评表", "A2": "年度", "C2": 2024}, 2024),
        ({"A1": "部门整体支出绩效自评表", "A2": "年度：", "B2": "2024年"}, 2024),
        ({"A1": "部门整体支出绩效自评表", "G2": "所属年度：2024"}, 2024),
        ({"A1": "部门整体支出绩效自评表", "A3": "2023年实际在职人数"}, None),
        ({"A1": "部门整体支出绩效自评表"}, None),
    ],
)
def test_the_year_a_table_names(cells: dict[str, object], year: int | None) -> None:
    ws = openpyxl.Workbook().active
    for coordinate, value in cells.items():
        ws[coordinate] = value
    assert table_year(Grid(ws)) == year


# -- the 校验 before and after ---------------------------------------------------------------------------

ADDED_BY_364_63 = [
    "新增：[错误] 2023年度部门整体支出绩效自评表 › 年度资金总额 › 全年执行数："
    "全年执行数981.80万元大于全年预算数951.90万元",
    "新增：[错误] 2023年度部门整体支出绩效自评表 › 按收入性质分 › 合计：一般公共预算885.94"
    "＋政府性基金拨款0.00＋纳入专户管理的非税收入拨款0.00＋其他资金65.96＝951.90万元，与全年执行数981.80万元不符（差-29.90）",
    "新增：[错误] 2023年度项目支出绩效自评表（工作经费） › 年度资金总额 › 全年执行数："
    "全年执行数364.63万元大于全年预算数334.74万元",
    "新增：[错误] 2023年度项目支出绩效自评表（工作经费） › 其中：当年财政拨款 › 全年执行数："
    "全年执行数364.63万元大于全年预算数334.74万元",
]


def test_the_preview_lists_the_checks_the_import_breaks_and_mends(
    example_db: Database, example_unit_id: int, files: dict[str, Path], tmp_path: Path
) -> None:
    # GIVEN 工作经费's table with its 全年执行数 334.73 changed to 364.63 (+29.90): the projects no
    # longer add up to the department's 951.90
    original = tmp_path / "工作经费.xlsx"
    original.write_bytes(files["工作经费"].read_bytes())
    changed = _edit(files["工作经费"], F5=364.63, F6=364.63)
    # WHEN its import is planned
    plan = plan_files(example_db, example_unit_id, YEAR, [changed])
    # THEN the file itself is fine, and the preview names the 校验 errors the import brings, with figures
    assert [p.text() for p in plan.problems] == []
    assert plan.changes == ["更新项目“工作经费”：资金 325.00/334.74/364.63，28项指标"]
    assert [c.line() for c in plan.check_changes] == ADDED_BY_364_63
    # WHEN it is imported anyway, the original file's preview lists them as mended
    import_files(example_db, example_unit_id, YEAR, [changed])
    back = plan_files(example_db, example_unit_id, YEAR, [original])
    assert [c.line() for c in back.check_changes] == [
        line.replace("新增：", "消除：", 1) for line in ADDED_BY_364_63
    ]
    # AND a file that changes nothing changes no check
    import_files(example_db, example_unit_id, YEAR, [original])
    assert plan_files(example_db, example_unit_id, YEAR, [original]).check_changes == []
