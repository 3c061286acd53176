"""The one Excel writer for every export (xlsxwriter: 3–4× faster than openpyxl for styled
sheets, measured), with the formats our tables share: 公文-style titles, bordered wrapped cells
in 宋体/仿宋, numbers kept as numbers (0.00, 0.00%), A4 print setup.

Usage:
    with XlsxBook(path) as book:
        sheet = book.sheet("基础数据表", widths=[14, 30, 12])
        sheet.write_title(0, 0, 5, "2023年度部门整体支出绩效评价基础数据表")
        sheet.write(2, 1, Decimal("951.90"), "money")
        sheet.print_a4(repeat_rows=(0, 2), landscape=False)
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

SONG = "宋体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"

_BORDERED = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": SONG, "font_size": 10}
FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_name": SONG, "font_size": 16, "align": "center", "valign": "vcenter"},
    "subtitle": {"font_name": SONG, "font_size": 10, "align": "right", "valign": "vcenter"},
    "header": {**_BORDERED, "bold": True, "align": "center", "bg_color": "#F2F2F2"},
    "label": {**_BORDERED, "align": "left"},
    "label_center": {**_BORDERED, "align": "center"},
    "label_bold": {**_BORDERED, "align": "left", "bold": True},
    "text": {**_BORDERED, "align": "left"},
    "text_center": {**_BORDERED, "align": "center"},
    "money": {**_BORDERED, "align": "right", "num_format": "0.00"},
    "money_bold": {**_BORDERED, "align": "right", "num_format": "0.00", "bold": True},
    "amount4": {**_BORDERED, "align": "right", "num_format": "0.0000"},
    "rate": {**_BORDERED, "align": "center", "num_format": "0.00%"},
    "score": {**_BORDERED, "align": "center", "num_format": "0.##"},
    "score_bold": {**_BORDERED, "align": "center", "num_format": "0.##", "bold": True},
    "int": {**_BORDERED, "align": "center", "num_format": "0"},
    "date": {**_BORDERED, "align": "center", "num_format": "yyyy-mm-dd"},
    "overdue": {**_BORDERED, "align": "center", "font_color": "#C00000", "bold": True},
    "note": {"font_name": FANGSONG, "font_size": 10, "text_wrap": True, "valign": "top"},
    "footer": {"font_name": FANGSONG, "font_size": 11, "valign": "vcenter"},
}


def _plain(value: Any) -> Any:
    """xlsxwriter writes float/int; Decimals go in as floats (two decimals survive exactly)."""
    if isinstance(value, Decimal):
        return float(value)
    return value


class XlsxSheet:
    def __init__(self, book: XlsxBook, worksheet: Any) -> None:
        self.book = book
        self.ws = worksheet

    def fmt(self, name: str) -> Any:
        return self.book.format(name)

    def set_widths(self, widths: Sequence[float]) -> None:
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)

    def write(self, row: int, col: int, value: Any, style: str = "text") -> None:
        """A cell: None → blank (keeping the border), Decimal/int/float → number, else text."""
        fmt = self.book._formats.get(style) or self.book.format(style)
        if value is None or value == "":
            self.ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):  # the common case first: ledgers write tens of thousands
            self.ws.write_string(row, col, value, fmt)
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            self.ws.write_number(row, col, _plain(value), fmt)
        elif hasattr(value, "year") and hasattr(value, "month"):
            self.ws.write_datetime(row, col, value, fmt)
        else:
            self.ws.write_string(row, col, str(value), fmt)

    def merge(
        self, first_row: int, first_col: int, last_row: int, last_col: int, value: Any, style: str = "text"
    ) -> None:
        """Merged cells; a single cell when the range is one cell (xlsxwriter refuses those)."""
        if first_row == last_row and first_col == last_col:
            self.write(first_row, first_col, value, style)
            return
        value = _plain(value)
        fmt = self.fmt(style)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.ws.merge_range(first_row, first_col, last_row, last_col, None, fmt)
            self.ws.write_number(first_row, first_col, value, fmt)
        else:
            self.ws.merge_range(
                first_row, first_col, last_row, last_col, "" if value is None else str(value), fmt
            )

    def write_formula(self, row: int, col: int, formula: str, value: Any, style: str) -> None:
        """A formula with its computed value cached, so viewers that don't recalculate show it."""
        self.ws.write_formula(row, col, formula, self.fmt(style), _plain(value))

    def write_title(self, row: int, first_col: int, last_col: int, title: str, height: float = 36) -> None:
        self.ws.merge_range(row, first_col, row, last_col, title, self.fmt("title"))
        self.ws.set_row(row, height)

    def write_footer(
        self, row: int, first_col: int, last_col: int, preparer: str, phone: str, head: str, date: str = ""
    ) -> None:
        """The 填表人/填报日期/联系电话/单位负责人签字 line under every 绩效 table."""
        blank = "        "
        text = (
            f"填表人：{preparer or blank}    填报日期：{date or blank}    "
            f"联系电话：{phone or blank}    单位负责人签字：{head}"
        )
        self.ws.merge_range(row, first_col, row, last_col, text, self.fmt("footer"))
        self.ws.set_row(row, 24)

    def print_a4(
        self,
        *,
        landscape: bool = False,
        repeat_rows: tuple[int, int] | None = None,
        fit_width: bool = True,
        pages_tall: int = 0,
        center: bool = True,
    ) -> None:
        """A4, fit to the page width and `pages_tall` pages tall (0: as many as needed; 1: a
        table printed on one page, shrunk to fit), `repeat_rows` (the column-heading rows, 0-based,
        first and last) printed again at the top of every page, gridlines off (the borders are the
        lines), margins as WPS users expect, "第 1 页，共 2 页" centred in the footer."""
        ws = self.ws
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        if fit_width:
            ws.fit_to_pages(1, pages_tall)
        if repeat_rows is not None:
            ws.repeat_rows(*repeat_rows)
        ws.hide_gridlines(1)  # print no gridlines: the cell borders are the lines
        ws.set_margins(left=0.6, right=0.6, top=0.75, bottom=0.75)
        if center:
            ws.center_horizontally()
        ws.set_footer("&C第 &P 页，共 &N 页")


class XlsxBook:
    """A workbook written to `path` (callers pass a staging path; see app.exports.package)."""

    def __init__(self, path: Path, *, constant_memory: bool = False) -> None:
        import xlsxwriter

        self.path = path
        # in_memory: the parts of the file are assembled in memory rather than in temporary files
        # (each of which cost ~2 ms to create and remove here, more where a virus scanner looks
        # at them); a huge sheet in constant_memory mode streams its rows to a file instead.
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": constant_memory,
                "in_memory": not constant_memory,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._formats: dict[str, Any] = {}

    def format(self, name: str) -> Any:
        if name not in self._formats:
            self._formats[name] = self.workbook.add_format(FORMATS[name])
        return self._formats[name]

    def add_format(self, name: str, properties: dict[str, Any]) -> None:
        """A named format a module needs beyond the shared ones (for this workbook only)."""
        if name not in self._formats:
            self._formats[name] = self.workbook.add_format(properties)

    def sheet(self, name: str, widths: Sequence[float] = ()) -> XlsxSheet:
        ws = self.workbook.add_worksheet(name[:31])
        sheet = XlsxSheet(self, ws)
        sheet.set_widths(widths)
        return sheet

    def close(self) -> None:
        """Write the file. Raises OSError (disk full, no permission): xlsxwriter wraps the error of
        writing the file in its FileCreateError, which callers that convert OSError would miss."""
        from xlsxwriter.exceptions import FileCreateError

        try:
            self.workbook.close()
        except FileCreateError as exc:
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc.__context__
            if isinstance(cause, OSError):
                raise cause from exc
            raise OSError(errno.EIO, str(exc), str(self.path)) from exc

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
