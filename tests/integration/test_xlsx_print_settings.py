"""How every exported workbook prints, read back with openpyxl from the example year's files:
A4, fit to the page width, the orientation the columns need, the column-heading rows repeated
on every page, "第 1 页，共 N 页" in the footer; the budget tables (附件1/2/3-N) on one page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import exported_example

XLSX_KEYS = {
    "budget.tables",
    "safety.hazards",
    "safety.projects",
    "safety.documents",
    "safety.statistics",
    "petitions.ledger",
    "petitions.statistics",
    "rectification.ledger",
}
PAGE_FOOTER = "第 &P 页，共 &N 页"
HEADER_FILL = "F2F2F2"  # the grey of the "header" / "ledger_header" formats
# A4 in points, less the margins print_a4 sets (0.6" left and right, 0.75" top and bottom).
A4_SHORT, A4_LONG = 595 - 2 * 0.6 * 72, 842 - 2 * 0.75 * 72  # portrait: width, height
A4_LONG_WIDE = 842 - 2 * 0.6 * 72  # landscape: width

BUDGET_HEADINGS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
BUDGET = {
    "附件1 ": ["经费控制情况(万元)", "2022年决算数", "2023年预算数", "2023年决算数"],
    "附件2 ": BUDGET_HEADINGS,
    "附件3-1 ": BUDGET_HEADINGS,
    "附件3-2 ": BUDGET_HEADINGS,
    "附件3-3 ": BUDGET_HEADINGS,
}
# file, sheet, orientation, the repeated rows (1-based), the first headings of each of them
LEDGERS = [
    ("2023年度隐患排查治理台账", None, "landscape", (3, 3), [["序号", "项目名称", "检查日期", "检查类型"]]),
    ("2023年度工程项目清单", None, "landscape", (3, 3), [["序号", "项目名称", "工程类别", "建设地点"]]),
    ("2023年度执法文书登记表", None, "landscape", (3, 3), [["序号", "文书类型", "文号", "下发日期"]]),
    ("2023年度安全监督工作统计表", None, "landscape", (3, 3), [["类别", "指标", "单位", "本期（2023年度）"]]),
    ("2023年信访事项登记台账", None, "landscape", (3, 3), [["序号", "编号", "收到日期", "渠道"]]),
    ("2023年信访情况统计表", None, "portrait", (3, 3), [["项目", "本期", "上年同期", "增减", "同比"]]),
    (
        "反馈问题整改台账",
        "整改台账",
        "landscape",
        (4, 5),
        [["序号", "问题清单", "任务清单", "时间清单", "责任清单"], ["反馈问题", "整改措施", "整改时限"]],
    ),
    ("反馈问题整改台账", "整改进度", "portrait", (3, 3), [["方面", "问题数", "未启动", "整改中"]]),
]


@pytest.fixture(scope="module")
def exported(example_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The example unit's workbooks for 2023, exported once for this module: {file name: path}."""
    with exported_example(example_template, tmp_path_factory.mktemp("print_settings"), XLSX_KEYS) as files:
        yield files


def _sheet(files: dict[str, Path], fragment: str, name: str | None = None):
    [path] = [p for file_name, p in files.items() if fragment in file_name]
    book = openpyxl.load_workbook(path)
    return book[name] if name else book.active


def _pages_tall(ws) -> int:
    """fitToHeight as a printer reads it: left out of the file means 1 (the OOXML default)."""
    value = ws.page_setup.fitToHeight
    return 1 if value is None else int(value)


def _pages_wide(ws) -> int:
    value = ws.page_setup.fitToWidth
    return 1 if value is None else int(value)


def _title_rows(ws) -> tuple[int, int]:
    first, last = ws.print_title_rows.replace("$", "").split(":")
    return int(first), int(last)


def _texts(ws, row: int) -> list[str]:
    return [c.value.replace("\n", "") for c in ws[row] if isinstance(c.value, str) and c.value.strip()]


def _is_heading_row(ws, row: int) -> bool:
    """A row of column headings: its cells are in the grey header format."""
    cells = [c for c in ws[row] if c.value is not None]
    return bool(cells) and all((c.fill.fgColor.rgb or "").endswith(HEADER_FILL) for c in cells)


def _table_width_pt(ws) -> float:
    """The printed width of the columns at 100% (Excel: 7 px a width unit with the default
    Calibri 11, plus 5 px of padding a column; 0.75 pt a pixel)."""
    units, columns = 0.0, 0
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max <= ws.max_column:
            count = dim.max - dim.min + 1
            units += (dim.width or 8.43) * count
            columns += count
    return (units * 7 + 5 * columns) * 0.75


def _fit_width_scale(ws, orientation: str) -> float:
    return min(1.0, (A4_SHORT if orientation == "portrait" else A4_LONG_WIDE) / _table_width_pt(ws))


def _assert_a4_fit_width_footer(ws) -> None:
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert _pages_wide(ws) == 1
    assert PAGE_FOOTER in (ws.oddFooter.center.text or "")
    assert ws.print_options.gridLines is not True


@pytest.mark.parametrize("fragment", list(BUDGET))
def test_budget_tables_print_on_one_a4_page_with_their_column_headings_repeated(
    exported: dict[str, Path], fragment: str
) -> None:
    ws = _sheet(exported, fragment)
    _assert_a4_fit_width_footer(ws)
    assert ws.page_setup.orientation == "portrait"
    # one page wide and one tall: never 总分 and the 填表人 line alone on a page 2
    assert _pages_tall(ws) == 1
    # the repeated row is the column headings of the table's long part, not the title
    first, last = _title_rows(ws)
    assert first == last and first > 1
    texts = _texts(ws, first)
    assert texts[texts.index(BUDGET[fragment][0]) :][: len(BUDGET[fragment])] == BUDGET[fragment]
    # the print area holds the whole table, the 填表人 line last
    area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
    last_row = int(area.rsplit("$", 1)[1])
    assert _texts(ws, last_row)[0].startswith("填表人：")


def test_the_department_table_repeats_the_row_of_its_indicator_headings(exported: dict[str, Path]) -> None:
    ws = _sheet(exported, "附件2 ")
    [row] = [r for r in range(1, ws.max_row + 1) if "一级指标" in _texts(ws, r)]
    assert ws.print_title_rows == f"${row}:${row}"
    assert _texts(ws, row) == ["绩效指标", *BUDGET_HEADINGS, "偏差原因分析及改进措施"]


@pytest.mark.parametrize("fragment", list(BUDGET))
def test_one_page_budget_tables_are_shrunk_no_more_than_to_half_size(
    exported: dict[str, Path], fragment: str
) -> None:
    """Readable on its one page: the rows' heights (at most 1.5 A4 pages at 100%, here about
    1300 pt for 附件2) and the width keep the shrink-to-fit scale at 50% or more."""
    ws = _sheet(exported, fragment)
    height = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    scale = min(_fit_width_scale(ws, "portrait"), A4_LONG / height)
    assert scale >= 0.5, f"{fragment}: printed at {scale:.0%}"


@pytest.mark.parametrize(
    ("fragment", "name", "orientation", "rows", "headings"),
    LEDGERS,
    ids=[f"{f}-{n or ''}" for f, n, *_ in LEDGERS],
)
def test_ledgers_fit_the_page_width_and_repeat_all_their_heading_rows(
    exported: dict[str, Path],
    fragment: str,
    name: str | None,
    orientation: str,
    rows: tuple[int, int],
    headings: list[list[str]],
) -> None:
    ws = _sheet(exported, fragment, name)
    _assert_a4_fit_width_footer(ws)
    assert ws.page_setup.orientation == orientation
    assert _pages_tall(ws) == 0  # as many pages tall as the rows need
    assert _title_rows(ws) == rows
    first, last = rows
    for row, wanted in zip(range(first, last + 1), headings, strict=True):
        assert _texts(ws, row)[: len(wanted)] == wanted
    # every heading row is repeated (the two of 整改台账 too), and only heading rows
    assert all(_is_heading_row(ws, r) for r in range(first, last + 1))
    assert not _is_heading_row(ws, first - 1) and not _is_heading_row(ws, last + 1)


@pytest.mark.parametrize(
    ("fragment", "name", "orientation"),
    [(f, n, o) for f, n, o, *_ in LEDGERS],
    ids=[f"{f}-{n or ''}" for f, n, *_ in LEDGERS],
)
def test_ledgers_are_landscape_only_where_portrait_would_shrink_the_text(
    exported: dict[str, Path], fragment: str, name: str | None, orientation: str
) -> None:
    """Portrait unless fitting the columns to a portrait page would print them below 75%; then
    landscape, where no ledger is shrunk below 60% (9–10 pt text printed at 5.5 pt or more)."""
    ws = _sheet(exported, fragment, name)
    portrait = _fit_width_scale(ws, "portrait")
    assert orientation == ("portrait" if portrait >= 0.75 else "landscape")
    assert _fit_width_scale(ws, orientation) >= 0.6
