"""The statistics workbooks carry native Excel charts on a sheet "图表", whose series refer to the
table's cells (so they follow a figure corrected in WPS/Excel) and the table prints as before."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.db import Database
from app.exports.registers_petitions import export_statistics_file
from app.exports.safety_ledgers import write_statistics_table
from app.services.safety.periods import Period

SAFETY = "安全监督工作统计表"
PETITIONS = "信访情况统计表"


def _ref(formula: str) -> tuple[str, str]:
    """ "'安全监督工作统计表'!$D$34:$D$36" → (sheet, "D34:D36")."""
    sheet, cells = formula.rsplit("!", 1)
    return sheet.strip("'"), cells.replace("$", "")


def _values(book, formula: str) -> list:
    sheet, cells = _ref(formula)
    found = book[sheet][cells]
    if not isinstance(found, tuple):  # one cell
        return [found.value]
    return [cell.value for row in found for cell in row]


def _series(chart) -> list[tuple[str, str, str]]:
    return [
        (s.tx.strRef.f, s.cat.strRef.f if s.cat.strRef else s.cat.numRef.f, s.val.numRef.f)
        for s in chart.series
    ]


@pytest.fixture(scope="module")
def safety_book(example_template: Path, tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import copy_data_file, open_sqlite

    folder = tmp_path_factory.mktemp("charts")
    db_path = folder / "example.sqlite3"
    copy_data_file(example_template, db_path)
    db: Database = open_sqlite(db_path)
    try:
        write_statistics_table(db, 1, Period.year(2023), folder / "safety.xlsx")
        export_statistics_file(db, 1, date(2023, 1, 1), date(2023, 12, 31), folder / "petitions.xlsx")
    finally:
        db.dispose()
    return openpyxl.load_workbook(folder / "safety.xlsx"), openpyxl.load_workbook(folder / "petitions.xlsx")


def test_the_safety_charts_refer_to_the_table(safety_book) -> None:
    book, _petitions = safety_book
    assert book.sheetnames == [SAFETY, "图表"] and book.active.title == SAFETY
    charts = book["图表"]._charts
    assert [c.tagname for c in charts] == ["barChart", "barChart"]
    assert [c.barDir for c in charts] == ["col", "bar"]
    found, by_category = charts
    (now_name, cats, now), (before_name, cats_again, before) = _series(found)
    assert cats == cats_again and _ref(now)[0] == SAFETY
    # 排查隐患, 其中重大隐患, 消除（整改完成）隐患 of 2023 and of 2022, read from the table's cells
    assert [v.strip("　") for v in _values(book, cats)] == [
        "排查隐患",
        "其中重大隐患",
        "消除（整改完成）隐患",
    ]
    assert _values(book, now) == [2080, 23, 2092]
    assert _values(book, before) == [1350, 15, 1319]
    assert _values(book, now_name) == ["本期（2023年度）"] and _values(book, before_name) == [
        "上年同期（2022年度）"
    ]
    assert re.fullmatch(r"D\d+:D\d+", _ref(now)[1]) and re.fullmatch(r"E\d+:E\d+", _ref(before)[1])
    (_n, cats, now), (_b, _c, before) = _series(by_category)
    labels = [v.strip("　") for v in _values(book, cats)]
    assert labels[:3] == ["高处坠落类隐患", "起重机械类隐患", "临时用电类隐患"] and len(labels) == 11
    assert _values(book, now)[:3] == [314, 308, 263] and _values(book, before)[:3] == [191, 182, 182]
    assert sum(_values(book, now)) == 2080  # every hazard found has its category row


def test_the_chart_sheet_prints_on_one_page_and_the_table_as_before(safety_book) -> None:
    book, _petitions = safety_book
    charts, table = book["图表"], book[SAFETY]
    assert charts.page_setup.orientation == "landscape" and charts.page_setup.paperSize == 9
    assert charts.sheet_properties.pageSetUpPr.fitToPage and charts.page_setup.fitToHeight in (1, None)
    assert charts.print_area == "'图表'!$A$1:$R$27"  # both charts and a column of margin
    assert not table.print_area and table.print_title_rows == "$3:$3"


def test_the_petition_charts_follow_the_table(safety_book) -> None:
    _safety, book = safety_book
    assert book.sheetnames == [PETITIONS, "图表"]
    by_channel, by_category = book["图表"]._charts
    (name, cats, now), (_b, _c, before) = _series(by_channel)
    # the channel groups, gathered on the chart sheet by formulas pointing at the table
    assert _ref(now)[0] == "图表" and _values(book, name) == ["本期"]
    sheet = book["图表"]
    first = int(re.match(r"B(\d+)", _ref(now)[1])[1])
    assert sheet.cell(first, 1).value == f"='{PETITIONS}'!$A$6"
    table = book[PETITIONS]
    gathered = [
        [
            table[re.sub(r"[$']|.*!", "", sheet.cell(first + i, c).value.split("!")[1])].value
            for c in (1, 2, 3)
        ]
        for i in range(len(_values(book, now)))
    ]
    assert gathered[:4] == [["12345信箱", 239, 198], ["舆情", 11, 9], ["信访", 26, 22], ["市长信箱", 8, 7]]
    (_n, cats, now), (_b, _c, before) = _series(by_category)
    assert _ref(now)[0] == PETITIONS
    assert _values(book, cats) == [
        "农民工工资",
        "工程款结算",
        "房屋质量",
        "交房问题",
        "施工扰民",
        "拆迁补偿",
        "其他",
    ]
    assert _values(book, now) == [38, 21, 86, 52, 61, 6, 20]
    assert _values(book, before) == [35, 18, 64, 38, 55, 8, 18]
