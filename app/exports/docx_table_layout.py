"""Where a Word table's cells sit, how wide its columns are, and how tall it will print.

Word lays a fixed-width table out as it is told, so the widths are computed here from the text, as a
browser's automatic table layout would: every column at least wide enough for its short phrases
and numbers (“一级指标”, “100.00%”), the room left over shared out in proportion to what each column
would need to hold its longest line, with no column allowed to swallow the page for one long
paragraph. The height estimate is what keeps a table's last rows from being left alone on a page.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol

PT_TO_MM = 25.4 / 72
# Cell margins of the 公文表格 style: 57 twips left and right, 28 top and bottom (docx_spec).
CELL_PADDING_MM = 2 * 57 / 1440 * 25.4
ROW_PADDING_MM = 2 * 28 / 1440 * 25.4 + 0.2  # + the border
# Single line spacing of 宋体 and its stand-ins (Noto Serif CJK in LibreOffice) is about 1.3–1.45 em;
# the larger one, so a table estimated to fit a page does.
LINE_EM = 1.42
# A column is never narrower than this many characters of its text (a short phrase on one line), nor
# wider than this share of the table for the sake of one long text.
MIN_CHARS = 4.0
SLACK_MM = 0.4  # borders, and rounding in the layout engines
MAX_SHARE = 0.34

_UNBREAKABLE = re.compile(r"[0-9A-Za-z.%()（）:/\-+²]+")


class CellLike(Protocol):
    text: str
    colspan: int
    rowspan: int


def width_in_chars(text: str) -> float:
    """How many body characters `text` takes: CJK and full-width count 1, Latin digits ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "FWA" else 0.5 for ch in text)


def _printed_chars(text: str) -> float:
    """Like width_in_chars, with Latin letters and digits at the 0.55 em of 宋体's stand-ins."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "FWA" else 0.55 for ch in text)


def place_cells(rows: Sequence[Sequence[CellLike]], columns: int) -> dict[tuple[int, int], CellLike]:
    """Grid position of every cell, skipping positions covered by earlier row/column spans."""
    covered: set[tuple[int, int]] = set()
    placed: dict[tuple[int, int], CellLike] = {}
    for row, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while (row, col) in covered:
                col += 1
            if col + cell.colspan > columns or row + cell.rowspan > len(rows):
                raise ValueError(f"table cell at row {row + 1} runs past the table")
            placed[(row, col)] = cell
            for r in range(row, row + cell.rowspan):
                for c in range(col, col + cell.colspan):
                    covered.add((r, c))
            col += cell.colspan
    return placed


def _min_chars(text: str) -> float:
    """The narrowest a cell's text may be set: its longest number or Latin word unbroken, and
    short phrases (up to MIN_CHARS characters) on one line."""
    lines = text.split("\n")
    words = max((_printed_chars(w) for w in _UNBREAKABLE.findall(text)), default=0.0)
    return max(words, max(min(_printed_chars(line), MIN_CHARS) for line in lines))


def _max_chars(text: str) -> float:
    return max(_printed_chars(line) for line in text.split("\n"))


def _typical(values: list[float]) -> float:
    """What most of a column's cells need (the 90th percentile): one long text in a column of
    short ones wraps rather than widening the column for all the others."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def column_widths(
    rows: Sequence[Sequence[CellLike]], columns: int, total_mm: float, size_pt: float
) -> tuple[float, ...]:
    """Column widths (mm) that add up to `total_mm`, from the text of the cells."""
    char_mm = size_pt * PT_TO_MM
    placed = place_cells(rows, columns)
    low = [CELL_PADDING_MM + char_mm] * columns
    wishes: list[list[float]] = [[] for _ in range(columns)]
    spans: list[tuple[int, int, float]] = []
    for (_row, col), cell in placed.items():
        if not cell.text:
            if cell.colspan == 1 and cell.rowspan == 1:
                wishes[col].append(0.0)
            continue
        need_low = _min_chars(cell.text) * char_mm + CELL_PADDING_MM + SLACK_MM
        if cell.colspan == 1:
            low[col] = max(low[col], need_low)
            wishes[col].append(_max_chars(cell.text) * char_mm + CELL_PADDING_MM + SLACK_MM)
        else:
            spans.append((col, cell.colspan, need_low))
    high = [max(lo, _typical(w)) if w else lo for lo, w in zip(low, wishes, strict=True)]
    longest = [max(hi, max(w, default=0.0)) for hi, w in zip(high, wishes, strict=True)]
    for col, span, need in spans:  # a spanning cell's short text fits across the columns it spans
        short = need - sum(low[col : col + span])
        if short > 0:
            for c in range(col, col + span):
                low[c] += short / span
    cap = MAX_SHARE * total_mm
    want = [max(lo, min(hi, cap)) for lo, hi in zip(low, high, strict=True)]
    if sum(low) >= total_mm:
        return _scaled(low, total_mm)
    if sum(want) > total_mm:  # between the minimum and the wish, in proportion to what is missing
        room = total_mm - sum(low)
        gaps = [w - lo for w, lo in zip(want, low, strict=True)]
        return tuple(lo + room * g / sum(gaps) for lo, g in zip(low, gaps, strict=True))
    # Room to spare goes to the columns whose longest texts still wrap, as far as they need it.
    spare = total_mm - sum(want)
    needs = [max(0.0, min(lg, cap) - w) for lg, w in zip(longest, want, strict=True)]
    if sum(needs) > 0:
        given = [min(n, spare * n / sum(needs)) for n in needs]
        want = [w + g for w, g in zip(want, given, strict=True)]
    return _scaled(want, total_mm)


def _scaled(widths: Sequence[float], total_mm: float) -> tuple[float, ...]:
    factor = total_mm / sum(widths)
    return tuple(w * factor for w in widths)


def text_lines(text: str, width_mm: float, size_pt: float) -> int:
    """Lines `text` takes in a cell of `width_mm`: whole characters to a line, CJK wrapping anywhere."""
    char_mm = size_pt * PT_TO_MM
    per_line = max(1, math.floor((width_mm - CELL_PADDING_MM - SLACK_MM) / char_mm + 1e-9))
    return sum(max(1, math.ceil(_printed_chars(line) / per_line - 1e-9)) for line in text.split("\n"))


def line_mm(size_pt: float) -> float:
    return size_pt * LINE_EM * PT_TO_MM


def row_heights(
    rows: Sequence[Sequence[CellLike]], widths_mm: Sequence[float], size_pt: float
) -> list[float]:
    """The printed height (mm) of each row, estimated from the lines of its cells."""
    placed = place_cells(rows, len(widths_mm))
    lines = [1] * len(rows)
    for (row, col), cell in placed.items():
        if cell.rowspan == 1 and cell.text:
            width = sum(widths_mm[col : col + cell.colspan])
            lines[row] = max(lines[row], text_lines(cell.text, width, size_pt))
    heights = [n * line_mm(size_pt) + ROW_PADDING_MM for n in lines]
    for (row, col), cell in placed.items():  # a tall merged label stretches the rows it spans
        if cell.rowspan > 1 and cell.text:
            width = sum(widths_mm[col : col + cell.colspan])
            need = text_lines(cell.text, width, size_pt) * line_mm(size_pt) + ROW_PADDING_MM
            span = range(row, row + cell.rowspan)
            short = need - sum(heights[r] for r in span)
            if short > 0:
                for r in span:
                    heights[r] += short / cell.rowspan
    return heights
