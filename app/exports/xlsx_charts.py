"""Native Excel charts for the statistics tables, on a second sheet "图表" so that the printed table
stays exactly as it is. The series refer to the table's own cells: a figure corrected in WPS or
Excel moves its bar. A figure the table does not hold in one run of cells (the channel groups of
the 信访 table, between their 其中 rows) is first gathered on the chart sheet by formulas that
point at the table (`gather`), so it follows the table too.

Usage:
    charts = ChartSheet(book, "2023年度安全监督工作统计图", landscape=True)
    charts.add("隐患排查与整改", table, categories=(20, 22, 1), series=[Series((2, 3), 3)])
    charts.finish()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell

from app.exports.xlsx import SONG, XlsxBook, XlsxSheet

CHART_SHEET = "图表"
ROW_PX = 20  # the default row height in pixels
COL_PX = 64  # the default column width in pixels
COLOURS = ("#4472C4", "#ED7D31", "#A5A5A5")  # 本期, 上年同期, …


@dataclass(frozen=True)
class Series:
    name: tuple[int, int]  # the cell holding the series' name (a column heading)
    col: int  # the column of its values, on the rows of the categories


@dataclass(frozen=True)
class Placed:
    """A chart as written, for tests and for laying out the next one."""

    title: str
    row: int
    col: int
    width: int
    height: int


class ChartSheet:
    """The sheet "图表": a title, then the charts, printed on one A4 page."""

    def __init__(self, book: XlsxBook, title: str, *, landscape: bool) -> None:
        self.book = book
        self.sheet = book.sheet(CHART_SHEET)
        self.landscape = landscape
        self.title = title
        self.placed: list[Placed] = []
        # Gathered figures go below the printed page (rows 25/40 on): outside the print area.
        self._free_row = (25 if landscape else 40) + 3

    @staticmethod
    def _font(size: int, bold: bool = False) -> dict:
        return {"name": SONG, "size": size, "bold": bold}

    def add(
        self,
        title: str,
        table: XlsxSheet,
        *,
        categories: tuple[int, int, int],  # first row, last row, column (0-based)
        series: Sequence[Series],
        kind: str = "column",
        at: tuple[int, int] = (2, 0),
        size: tuple[int, int] = (480, 320),
        data: str = "",  # the sheet of categories and values: the table unless gathered here
    ) -> Placed:
        """A chart of `series` (named by cells of `table`) over the `categories` rows, at cell
        `at` of this sheet, `size` pixels wide and tall."""
        source = data or table.ws.name
        first, last, col = categories
        chart = self.book.workbook.add_chart({"type": kind})
        for index, item in enumerate(series):
            chart.add_series(
                {
                    "name": [table.ws.name, *item.name],
                    "categories": [source, first, col, last, col],
                    "values": [source, first, item.col, last, item.col],
                    "fill": {"color": COLOURS[index % len(COLOURS)]},
                    "border": {"none": True},
                    "data_labels": {"value": True, "font": self._font(8)},
                    "gap": 80,
                }
            )
        chart.set_title({"name": title, "name_font": self._font(12, bold=True)})
        # xlsxwriter's x axis is the horizontal one: a bar chart's values, a column chart's
        # categories. A bar chart lists its categories top down, as the table does.
        categories_axis: dict = {"num_font": self._font(9)}
        if kind == "bar":  # reversed, with the values' axis kept at the bottom
            categories_axis.update(reverse=True, crossing="max")
        values_axis = {
            "num_font": self._font(9),
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
        chart.set_x_axis(values_axis if kind == "bar" else categories_axis)
        chart.set_y_axis(categories_axis if kind == "bar" else values_axis)
        chart.set_legend({"position": "bottom", "font": self._font(9)})
        width, height = size
        self.sheet.ws.insert_chart(*at, chart, {"x_scale": width / 480, "y_scale": height / 288})
        placed = Placed(title, at[0], at[1], width, height)
        self.placed.append(placed)
        return placed

    def gather(self, table: XlsxSheet, rows: Sequence[Sequence[tuple[int, int, object]]]) -> tuple[int, int]:
        """Formulas on consecutive rows of this sheet (below the printed page) pointing at cells
        of `table`: row i holds `rows[i]`, (table row, table column, current value) a cell, in
        columns 0, 1, …; the values are cached for viewers that do not recalculate. Returns the
        first and last rows written."""
        quoted = "'" + table.ws.name.replace("'", "''") + "'"
        first = self._free_row
        for offset, cells in enumerate(rows):
            for col, (row, column, value) in enumerate(cells):
                ref = xl_rowcol_to_cell(row, column, row_abs=True, col_abs=True)
                self.sheet.ws.write_formula(first + offset, col, f"={quoted}!{ref}", None, value)
        self._free_row = first + len(rows) + 1
        return first, first + len(rows) - 1

    def finish(self) -> None:
        """The title, and one A4 page holding the charts."""
        right = max((p.col + -(-p.width // COL_PX) for p in self.placed), default=8)
        bottom = max((p.row + -(-p.height // ROW_PX) for p in self.placed), default=20)
        ws = self.sheet.ws
        ws.merge_range(0, 0, 0, right, self.title, self.book.format("title"))
        ws.set_row(0, 30)
        ws.print_area(0, 0, bottom, right)  # a column of margin right of the charts
        self.sheet.print_a4(landscape=self.landscape, pages_tall=1)
