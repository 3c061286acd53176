"""Reading a ledger file the app did not write (.xlsx/.xlsm, .xls, .csv) into RawSheets, without
trusting it: the zip is checked before it is opened, every sheet stops being read as soon as it passes
a limit, and whatever is wrong with the file becomes a Chinese message (LedgerFileError), never a
traceback.

The file's content decides how it is read, not its extension alone: a workbook saved as .xlsx under
the name .xls (or the reverse) is read; a web page or a Word document named .xls is refused by name.

    ledger = read_ledger_file(Path("2024年隐患台账.xlsx"))   # raises LedgerFileError
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from contextlib import suppress
from datetime import date, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.importers.ledgers.model import (
    MAX_COLUMNS,
    MAX_ROWS_PER_FILE,
    MAX_ROWS_PER_SHEET,
    LedgerFile,
    RawSheet,
    column_letter,
)
from app.importers.xlsx_sheets import MAX_SHEETS

READ_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")
WPS_EXTENSIONS = (".et", ".ett")
MAX_FILE_MB = 200
# Zip bombs: the parts of an .xlsx are XML, which compresses well, but not this well.
MAX_UNZIPPED = 500 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECKED_FROM = 50 * 1024 * 1024
# Rows the file holds (blank ones too, as formatting) are read up to this many per sheet.
_SCAN_STOP = 5 * MAX_ROWS_PER_SHEET
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html|<table|<meta)", re.IGNORECASE)
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


class LedgerFileError(UserError):
    """The file as a whole cannot be read; `str(exc)` says why, in Chinese."""


def read_ledger_file(path: Path) -> LedgerFile:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in WPS_EXTENSIONS:
        raise LedgerFileError(f"这是 WPS 表格格式（{suffix}），请在 WPS 中另存为 .xlsx 后再导入")
    if suffix not in READ_EXTENSIONS:
        shown = f"“{suffix}”格式的文件" if suffix else "没有扩展名的文件"
        raise LedgerFileError(f"不能导入{shown}，可以导入的是 .xlsx、.xlsm、.xls 和 .csv 表格")
    data = _read_bytes(path)
    if data.startswith(_ZIP_MAGIC):
        sheets = _read_xlsx(data, path.name)
    elif data.startswith(_OLE_MAGIC):
        sheets = _read_xls(data, path.name)
    elif suffix == ".csv":
        sheets = [_read_csv(data, path)]
    elif _HTML_START.match(data[:1024]):
        raise LedgerFileError(
            f"“{path.name}”其实是网页格式，不是真正的 Excel 表格；请在 WPS/Excel 中打开后另存为 .xlsx 再导入"
        )
    else:
        raise LedgerFileError(
            f"“{path.name}”不是有效的 {suffix} 表格（可能已损坏，或只是改了扩展名），未导入"
        )
    if not any(sheet.rows for sheet in sheets):
        raise LedgerFileError(f"“{path.name}”中没有任何内容，未导入")
    return LedgerFile(path.name, sheets)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise LedgerFileError(f"“{path.name}”是一个文件夹，请选择要导入的表格文件")
        if size > MAX_FILE_MB * 1024 * 1024:
            raise LedgerFileError(f"文件过大（{size // (1024 * 1024)} MB，最多 {MAX_FILE_MB} MB），未导入")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise LedgerFileError(f"找不到文件“{path}”") from exc
    except PermissionError as exc:
        raise LedgerFileError(f"无法读取“{path.name}”：没有读取权限，或文件正被其他程序独占打开") from exc
    except OSError as exc:
        raise LedgerFileError(f"无法读取“{path.name}”（错误代码 {exc.errno}），请检查文件所在的磁盘") from exc
    if not data:
        raise LedgerFileError(f"“{path.name}”是空文件（0 字节），未导入")
    return data


# -- one sheet, assembled within the limits --------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Limits:
    """Rows with content counted over the whole file."""

    def __init__(self) -> None:
        self.rows = 0

    def add_row(self) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS_PER_FILE:
            raise LedgerFileError(f"文件中的数据超过{MAX_ROWS_PER_FILE}行，未导入（请分成几个文件导入）")


class _SheetBuilder:
    """Collects a sheet's non-blank cells row by row, refusing it as soon as it passes a limit."""

    def __init__(self, title: str, limits: _Limits) -> None:
        self.title = title
        self.limits = limits
        self.cells: dict[int, list[tuple[int, Any]]] = {}
        self.uncomputed: set[tuple[int, int]] = set()
        self.merges: list[tuple[int, int, int, int]] = []  # first row, first column, last row, last column

    def seen_row(self, row: int) -> None:
        """Called for every row the file holds, blank or not."""
        if row > _SCAN_STOP:
            raise LedgerFileError(self._too_many(row))

    def add_row(self, row: int, values: Iterable[tuple[int, Any]]) -> None:
        kept = [(column, value) for column, value in values if not _blank(value)]
        if not kept:
            return
        for column, _ in kept:
            if column > MAX_COLUMNS:
                raise LedgerFileError(
                    f"工作表“{self.title}”第{row}行{column_letter(column)}列有内容，超过了"
                    f"{MAX_COLUMNS}列（到{column_letter(MAX_COLUMNS)}列）的上限，未导入"
                    "（请删去不导入的列或工作表）"
                )
        self.cells[row] = kept
        if len(self.cells) > MAX_ROWS_PER_SHEET:
            raise LedgerFileError(self._too_many(row))
        self.limits.add_row()

    def _too_many(self, row: int) -> str:
        return (
            f"工作表“{self.title}”超过{MAX_ROWS_PER_SHEET}行（读到第{row}行），未导入"
            "（请只保留要导入的数据，或分成几个文件导入）"
        )

    def sheet(self) -> RawSheet:
        if not self.cells:
            return RawSheet(self.title, [])
        height = max(self.cells)
        width = max(column for cells in self.cells.values() for column, _ in cells)
        rows: list[list[Any]] = [[None] * width for _ in range(height)]
        for row, cells in self.cells.items():
            target = rows[row - 1]
            for column, value in cells:
                target[column - 1] = value
        uncomputed = {(r, c) for r, c in self.uncomputed if r <= height and c <= width}
        self._fill_merges(rows, height, width, uncomputed)
        return RawSheet(self.title, rows, frozenset(uncomputed))

    def _fill_merges(self, rows: list[list[Any]], height: int, width: int, uncomputed: set) -> None:
        budget = 2 * height * width  # ranges do not overlap in a sound file
        for first_row, first_column, last_row, last_column in self.merges:
            if first_row > height or first_column > width or first_row < 1 or first_column < 1:
                continue
            last_row, last_column = min(last_row, height), min(last_column, width)
            budget -= (last_row - first_row + 1) * (last_column - first_column + 1)
            if budget < 0:
                raise LedgerFileError(f"工作表“{self.title}”的合并单元格异常，文件可能已损坏，未导入")
            value = rows[first_row - 1][first_column - 1]
            formula = (first_row, first_column) in uncomputed
            for r in range(first_row, last_row + 1):
                target = rows[r - 1]
                for c in range(first_column, last_column + 1):
                    target[c - 1] = value
                    if formula:
                        uncomputed.add((r, c))


def _plain(value: Any) -> Any:
    """A cell value as RawSheet holds it."""
    if value is None or isinstance(value, (str, bool, int, float, date)):
        return value  # date covers datetime
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _check_sheet_count(count: int) -> None:
    if count > MAX_SHEETS:
        raise LedgerFileError(f"文件中有{count}张工作表，超过{MAX_SHEETS}张，未导入")


# -- .xlsx / .xlsm -----------------------------------------------------------------------------------


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LedgerFileError(f"“{name}”已损坏，无法打开（不是完整的 .xlsx 文件），未导入") from exc
    names = {member.filename for member in members}
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNZIPPED or (member.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO):
            raise LedgerFileError("文件解压后过大，可能已损坏，未导入")
        if member.flag_bits & 0x1:
            raise LedgerFileError(f"“{name}”设置了密码，请在 WPS/Excel 中取消密码后再导入")
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise LedgerFileError(f"“{name}”是 Word 文档，不是表格，未导入")
        raise LedgerFileError(f"“{name}”不是 Excel 表格（可能只是改了扩展名），未导入")


def _read_xlsx(data: bytes, name: str) -> list[RawSheet]:
    _check_zip(data, name)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension is not supported" and the like
            # from memory: openpyxl refuses a path not named .xlsx/.xlsm, and the file is not held open
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise LedgerFileError(f"“{name}”已损坏，无法读取，未导入（可在 WPS 中另存后再试）") from exc
    try:
        worksheets = [ws for ws in book.worksheets if hasattr(ws, "_get_source")]
        _check_sheet_count(len(worksheets))
        limits = _Limits()
        sheets = []
        for ws in worksheets:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    sheets.append(_read_worksheet(book, ws, limits))
            except LedgerFileError:
                raise
            except Exception as exc:  # broken XML, a missing shared string, a bad merge reference …
                raise LedgerFileError(
                    f"“{name}”的工作表“{ws.title}”已损坏，无法读取，未导入（可在 WPS 中另存后再试）"
                ) from exc
        return sheets
    finally:
        book.close()


@cache
def _parser_class() -> type:
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, VALUE_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"

    class Parser(WorkSheetParser):
        """openpyxl's parser noting formulas without a cached value, and reading inline strings
        (what openpyxl itself writes) without building rich-text objects, three times faster.
        With `recalc` (the file asks to be recalculated when opened: programs that write formulas
        without computing them say so, and their cached 0 is not a result) every formula counts."""

        def __init__(self, uncomputed: set[tuple[int, int]], recalc: bool, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.uncomputed = uncomputed
            self.recalc = recalc

        def parse_cell(self, element: Any) -> dict:
            if element.get("t") == "inlineStr":
                return self._inline(element)
            try:
                cell = super().parse_cell(element)
            except ValueError:  # a number openpyxl cannot cast ("NaN"): passed on, for the readers to refuse
                cell = self._uncast(element)
            if (self.recalc or cell["value"] is None) and element.find(FORMULA_TAG) is not None:
                self.uncomputed.add((cell["row"], cell["column"]))
            return cell

        def _uncast(self, element: Any) -> dict:
            coordinate = element.get("r")  # without one, the failed parse has counted the column
            row, column = (
                coordinate_to_tuple(coordinate) if coordinate else (self.row_counter, self.col_counter)
            )
            text = element.findtext(VALUE_TAG) or ""
            try:
                value: Any = float(text)
            except ValueError:
                value = text
            return {"row": row, "column": column, "value": value, "data_type": "n", "style_id": 0}

        def _inline(self, element: Any) -> dict:
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            parts = []
            string = element.find(INLINE_STRING)
            for child in string if string is not None else ():
                if child.tag == text_tag:
                    parts.append(child.text or "")
                elif child.tag == run_tag:  # a formatted run; phonetic runs (rPh) are not text
                    parts.append(child.findtext(text_tag) or "")
            value = "".join(parts) if string is not None else None
            return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": 0}

    return Parser


def _read_worksheet(book: Any, ws: Any, limits: _Limits) -> RawSheet:
    """One pass over the sheet's XML with openpyxl's own parser (the one its read-only sheets use),
    which also yields the merged ranges read-only sheets drop, and where a formula has no cached value
    (data_only parsing gives None there)."""
    builder = _SheetBuilder(ws.title, limits)
    recalc = bool(getattr(getattr(book, "calculation", None), "fullCalcOnLoad", False))
    with ws._get_source() as source:
        parser = _parser_class()(
            builder.uncomputed,
            recalc,
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for row, cells in parser.parse():
            builder.seen_row(row)
            builder.add_row(row, ((cell["column"], _plain(cell["value"])) for cell in cells))
        merged = parser.merged_cells
    if merged is not None:
        builder.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in merged.mergeCell]
    return builder.sheet()


# -- .xls ------------------------------------------------------------------------------------------


def _read_xls(data: bytes, name: str) -> list[RawSheet]:
    import xlrd

    if _ENCRYPTED_STREAM in data[:65536] or _ENCRYPTED_STREAM in data[-65536:]:
        raise LedgerFileError(f"“{name}”设置了打开密码，请在 WPS/Excel 中取消密码后再导入")
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except Exception as exc:  # xlrd.XLRDError, CompDocError, struct errors for a damaged file …
        if "encrypted" in str(exc).lower():
            raise LedgerFileError(f"“{name}”设置了打开密码，请在 WPS/Excel 中取消密码后再导入") from exc
        raise LedgerFileError(
            f"“{name}”不是有效的 .xls 表格（可能已损坏，或只是改了扩展名），未导入"
        ) from exc
    try:
        _check_sheet_count(book.nsheets)
        limits = _Limits()
        sheets = []
        for index in range(book.nsheets):
            try:
                sheets.append(_read_xls_sheet(book, book.sheet_by_index(index), limits))
            except LedgerFileError:
                raise
            except Exception as exc:
                raise LedgerFileError(f"“{name}”的第{index + 1}张工作表已损坏，无法读取，未导入") from exc
        return sheets
    finally:
        book.release_resources()


def _read_xls_sheet(book: Any, sheet: Any, limits: _Limits) -> RawSheet:
    import xlrd

    builder = _SheetBuilder(sheet.name, limits)
    for r in range(sheet.nrows):
        builder.seen_row(r + 1)
        values = []
        for c, (kind, value) in enumerate(zip(sheet.row_types(r), sheet.row_values(r), strict=True), 1):
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            if kind == xlrd.XL_CELL_DATE:
                # an impossible serial stays a number; the date reader refuses it
                with suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
            elif kind == xlrd.XL_CELL_NUMBER and value == value and abs(value) < 2**53 and value.is_integer():
                value = int(value)  # .xls keeps every number as a float
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#错误")
            values.append((c, value))
        builder.add_row(r + 1, values)
    builder.merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
    return builder.sheet()


# -- .csv ------------------------------------------------------------------------------------------

_DELIMITERS = (",", "\t", ";")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本"
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise LedgerFileError(
        f"“{name}”不是可识别的文本表格（应为 UTF-8 或 GBK 编码的 CSV），请在 WPS 中另存为 .xlsx 后再导入"
    )


def _delimiter(text: str) -> str:
    """The candidate that splits the first lines into the most columns, the same number on most."""
    sample = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=lambda width: (widths.count(width), width))
        score = (common if common > 1 else 0, widths.count(common))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, path: Path) -> RawSheet:
    text = _decode(data, path.name)
    builder = _SheetBuilder(path.stem, _Limits())
    try:
        for row, values in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), 1
        ):
            builder.seen_row(row)
            builder.add_row(row, ((column, value) for column, value in enumerate(values, 1)))
    except csv.Error as exc:
        raise LedgerFileError(f"“{path.name}”的格式有误，无法按 CSV 读取（{exc}），未导入") from exc
    return builder.sheet()
