"""Importing 预算绩效 workbooks whose cells or sizes are out of bounds: each is refused with a
message naming the sheet, row and column, and the database is left as it was. Before the limits,
1e24 raised decimal.InvalidOperation while reading, 1e23 overflowed the Money column on writing,
negative 执行数 and uncomputed formulas were imported as figures, and a 300,000-row sheet ran for
minutes."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from app.db import Database
from app.errors import UserError
from app.exports.package import export_year
from app.importers.budget_xlsx import import_files
from app.services.budget.data import load_year

YEAR = 2023
EXECUTED = "F6"  # 其中：当年财政拨款 · 全年执行数 of 附件3-1


@pytest.fixture
def project_file(example_db: Database, example_unit_id: int, tmp_path: Path) -> Path:
    files = export_year(
        example_db, example_unit_id, YEAR, tmp_path, keys={"budget.tables"}, into_package_folder=False
    ).files
    return next(p for p in files if p.name.startswith("附件3-1"))


def _with(path: Path, cell: str, value: object) -> Path:
    book = openpyxl.load_workbook(path)
    book.active[cell] = value
    book.save(path)
    return path


def _refused(db: Database, unit_id: int, path: Path, pattern: str) -> str:
    with db.session() as s:
        before = load_year(s, unit_id, YEAR)
    with pytest.raises(UserError) as caught:
        import_files(db, unit_id, YEAR, [path])
    message = str(caught.value)
    assert re.search(pattern, message), message
    with db.session() as s:
        assert load_year(s, unit_id, YEAR) == before
    return message


@pytest.mark.parametrize("value", [1e24, 1e23, 1e300, "1e24", "9" * 40])
def test_an_amount_beyond_1e12_is_refused(
    example_db: Database, example_unit_id: int, project_file: Path, value: object
) -> None:
    _with(project_file, EXECUTED, value)
    _refused(example_db, example_unit_id, project_file, r"第1张表“项目支出自评表”第6行F列：.*全年执行数")


def test_a_negative_executed_amount_is_a_row_error(
    example_db: Database, example_unit_id: int, project_file: Path
) -> None:
    _with(project_file, EXECUTED, -5)
    _refused(
        example_db,
        example_unit_id,
        project_file,
        r"第1张表“项目支出自评表”第6行F列：当年财政拨款的全年执行数不能为负数",
    )


def test_a_formula_without_its_result_is_a_row_error(
    example_db: Database, example_unit_id: int, project_file: Path
) -> None:
    _with(project_file, EXECUTED, "=D6")  # openpyxl saves formulas without a result
    _refused(example_db, example_unit_id, project_file, r"第6行F列：.*是公式.*WPS 或 Excel 打开该文件并保存")


def test_a_formula_with_the_cached_0_xlsxwriter_writes_is_a_row_error(
    example_db: Database, example_unit_id: int, project_file: Path, tmp_path: Path
) -> None:
    source = openpyxl.load_workbook(project_file).active
    path = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet(source.title)
    for row in source.iter_rows():
        for c in row:
            if c.value is not None and type(c).__name__ != "MergedCell":
                sheet.write(c.row - 1, c.column - 1, c.value)
    sheet.write_formula("F6", "=D6")  # read back as 0 by openpyxl's data_only
    book.close()
    _refused(example_db, example_unit_id, path, r"第6行F列：.*是公式")


def test_a_sheet_wider_than_the_template_is_refused(
    example_db: Database, example_unit_id: int, project_file: Path
) -> None:
    _with(project_file, "AD3", "备注")
    _refused(example_db, example_unit_id, project_file, r"第1张表“项目支出自评表”比模板宽（第3行AD列有内容")


def test_300000_rows_are_refused_in_under_5_seconds(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    path = tmp_path / "huge.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("项目支出")
    sheet.write_row(0, 0, ["项目支出名称", "", "大项目"])
    for row in range(1, 300_000):
        sheet.write_number(row, 3, row)
    book.close()
    start = time.perf_counter()
    _refused(example_db, example_unit_id, path, r"第1张表“项目支出”超过20000行")
    assert time.perf_counter() - start < 5


def test_a_sheet_whose_recorded_size_hides_its_rows_is_still_refused(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    # openpyxl's read-only sheets stop at the size the file records: a wrong one must not hide rows
    path = tmp_path / "lying.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("项目支出")
    for row in range(25_000):
        sheet.write_number(row, 0, row)
    book.close()
    lying = tmp_path / "lying2.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            target.writestr(item, data)
    _refused(example_db, example_unit_id, lying, r"超过20000行（第20001行有内容）")
