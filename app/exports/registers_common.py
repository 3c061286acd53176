"""What the register exports share: the 台账 sheet layout (title, subtitle, header, bordered rows,
A4 landscape with the header repeated) and writing a single file safely from the page.

xlsxwriter is imported only when a workbook is written (app.exports.xlsx does that lazily).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import WriteFaultError, describe_os_error
from app.exports.atomic import move_into_place, staging_folder
from app.exports.xlsx import SONG, XlsxSheet

# Slightly smaller than the shared "text" style: a 台账 has many columns on a landscape A4.
_CELL: dict[str, Any] = {"border": 1, "valign": "vcenter", "font_name": SONG, "font_size": 9}
_WRAPPED = {**_CELL, "text_wrap": True}
LEDGER_FORMATS: dict[str, dict[str, Any]] = {
    "ledger_text": _WRAPPED,
    "ledger_center": {**_WRAPPED, "align": "center"},
    "ledger_date": {**_CELL, "align": "center", "num_format": "yyyy-mm-dd"},
    "ledger_overdue": {**_WRAPPED, "align": "center", "font_color": "#C00000", "bold": True},
    "ledger_header": {**_WRAPPED, "align": "center", "bold": True, "bg_color": "#F2F2F2"},
    "ledger_group": {**_WRAPPED, "align": "left", "bold": True, "font_size": 10, "bg_color": "#F7F9FB"},
    "ledger_subtitle": {"font_name": SONG, "font_size": 10, "valign": "vcenter", "text_wrap": True},
}


def _text_px(text: str, font_pt: float) -> float:
    """Rough printed width in pixels: CJK characters are square, Latin ones about half as wide."""
    wide = font_pt * 4 / 3
    return sum(wide if ord(ch) >= 0x2E80 else wide * 0.55 for ch in text)


def lines_needed(value: Any, width: float, font_pt: float = 9) -> int:
    """How many lines a wrapped cell of `width` (Excel units) needs for `value`."""
    if value is None or value == "":
        return 1
    if not isinstance(value, str):
        return 1
    usable = max(width * 7 * 0.92 - 6, 10)  # a little slack: WPS and LibreOffice fonts run wider
    total = 0
    for part in value.split("\n"):
        total += max(1, -(-int(_text_px(part, font_pt)) // int(usable)))
    return total


def fit_row_height(sheet: XlsxSheet, row: int, values: Sequence[Any], widths: Sequence[float]) -> None:
    """xlsxwriter cannot autofit rows and WPS/LibreOffice don't on opening: set the height of a
    row of wrapped 9 pt text from its longest cell."""
    lines = max((lines_needed(v, w) for v, w in zip(values, widths, strict=False)), default=1)
    sheet.ws.set_row(row, max(16, 12.5 * lines + 4))


@dataclass(frozen=True)
class LedgerColumn:
    title: str
    width: float
    style: str = "ledger_text"  # ledger_text | ledger_center | ledger_date


def add_ledger_formats(sheet: XlsxSheet) -> None:
    for name, properties in LEDGER_FORMATS.items():
        sheet.book.add_format(name, properties)


def write_ledger(
    sheet: XlsxSheet,
    title: str,
    subtitle: str,
    columns: Sequence[LedgerColumn],
    rows: Iterable[Sequence[Any]],
    *,
    styles: Callable[[int, Sequence[Any]], dict[int, str]] | None = None,
) -> int:
    """Title, subtitle, one header row, then the rows; returns the next free row.

    `styles(index, row)` may override the style of some cells of a row (e.g. overdue in red).
    """
    add_ledger_formats(sheet)
    last = len(columns) - 1
    sheet.set_widths([c.width for c in columns])
    sheet.write_title(0, 0, last, title)
    sheet.ws.merge_range(1, 0, 1, last, subtitle, sheet.fmt("ledger_subtitle"))
    sheet.ws.set_row(1, 30)
    for col, column in enumerate(columns):
        sheet.write(2, col, column.title, "ledger_header")
    sheet.ws.set_row(2, 30)
    r = 3
    for index, row in enumerate(rows):
        special = styles(index, row) if styles else {}
        for col, (column, value) in enumerate(zip(columns, row, strict=True)):
            sheet.write(r, col, value, special.get(col, column.style))
        fit_row_height(sheet, r, row, [c.width for c in columns])
        r += 1
    print_landscape(sheet, repeat_rows=(2, 2))
    sheet.ws.freeze_panes(3, 0)
    return r


def print_landscape(sheet: XlsxSheet, *, repeat_rows: tuple[int, int], landscape: bool = True) -> None:
    sheet.print_a4(landscape=landscape, repeat_rows=repeat_rows)
    # Borders are the lines; print_a4 leaves the printed gridlines on, which boxes the notes too.
    sheet.ws.hide_gridlines(1)


def write_single_file(target: Path, write: Callable[[Path], None]) -> Path:
    """Write one export from the page: into a staging folder beside `target`, then renamed into
    place; a target open in WPS/Excel gives a UserError and the old file is left untouched."""
    target = Path(target)
    with staging_folder(target.parent) as staging:
        staged = staging / target.name
        try:
            write(staged)
        except OSError as exc:
            raise WriteFaultError(describe_os_error(exc, target)) from exc
        return move_into_place([(staged, target)])[0]
