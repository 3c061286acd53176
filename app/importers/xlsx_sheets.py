"""Opening an .xlsx for import without trusting it: every sheet's size is checked before it is read,
and formulas whose result the file does not hold are found.

A sheet is refused when it has content past row MAX_ROWS or column MAX_COLUMNS. The size a sheet
records (its <dimension>) is not trusted: openpyxl's read-only sheets stop at it, so a wrong one
would hide rows, and a huge one costs nothing to write. Rows are read until a limit is passed and no
further, so a 300,000-row sheet is refused after reading 20,000 of them.

    sheets = scan_workbook(path)     # raises UnreadableWorkbook with the reason, in Chinese
    book = open_values(path)         # the cached values, read-only
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_ROWS = 20_000
# The template's widest sheet is 9 columns (A–I); copies typed by hand add blank spacer columns.
MAX_COLUMNS = 20
MAX_SHEETS = 100
# Rows past MAX_ROWS that are empty (formatting only) are skipped, up to this many rows in all.
_SCAN_STOP = 5 * MAX_ROWS


class UnreadableWorkbook(Exception):
    """The file as a whole cannot be imported; `str(exc)` says why, in Chinese."""


@dataclass(frozen=True)
class SheetScan:
    title: str
    formulas: frozenset[tuple[int, int]]  # (row, column) of every formula cell


def rows_from_a1(ws) -> Iterator[tuple]:
    """Every row from A1 to the last one in the file, whatever size the sheet records."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    return ws.iter_rows(min_row=1, min_col=1)


def _open(path: Path, *, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableWorkbook(f"无法打开该文件（应为 .xlsx 格式）：{exc}") from exc


def _scan_sheet(ws, number: int) -> SheetScan:
    from openpyxl.utils import get_column_letter

    formulas: set[tuple[int, int]] = set()
    where = f"第{number}张表“{ws.title}”"
    for row_number, row in enumerate(rows_from_a1(ws), 1):
        if row_number > _SCAN_STOP:
            raise UnreadableWorkbook(f"{where}超过{MAX_ROWS}行，不是自评表，未导入（请只保留要导入的表格）")
        for cell in row:
            if cell.value is None:
                continue
            if row_number > MAX_ROWS:
                raise UnreadableWorkbook(
                    f"{where}超过{MAX_ROWS}行（第{row_number}行有内容），不是自评表，未导入（请只保留要导入的表格）"
                )
            if cell.column > MAX_COLUMNS:
                raise UnreadableWorkbook(
                    f"{where}比模板宽（第{row_number}行{get_column_letter(cell.column)}列有内容，"
                    f"最多到{get_column_letter(MAX_COLUMNS)}列），未导入"
                )
            if cell.data_type == "f":
                formulas.add((row_number, cell.column))
    return SheetScan(ws.title, frozenset(formulas))


def scan_workbook(path: Path) -> tuple[list[SheetScan], bool]:
    """Each sheet's formula cells, and whether the file asks to be recalculated when opened (the
    programs that write formulas without computing them say so; their cached 0 is not a result)."""
    book = _open(path, data_only=False)
    try:
        sheets = book.worksheets
        if len(sheets) > MAX_SHEETS:
            raise UnreadableWorkbook(f"文件中有{len(sheets)}张表，超过{MAX_SHEETS}张，未导入")
        try:
            scans = [_scan_sheet(ws, number) for number, ws in enumerate(sheets, 1)]
        except UnreadableWorkbook:
            raise
        except Exception as exc:  # a damaged part of the file: broken XML, a missing shared string …
            raise UnreadableWorkbook(f"文件内容已损坏，无法读取：{exc}") from exc
        calculation = getattr(book, "calculation", None)
        recalc = bool(getattr(calculation, "fullCalcOnLoad", False))
    finally:
        book.close()
    return scans, recalc


def open_values(path: Path):
    """The workbook with cached values instead of formulas, read-only (close it after use)."""
    return _open(path, data_only=True)
