"""No near-empty page at the end of an annex: where a table would leave its last rows (and the notes
under it) alone on a page less than a third full, the table is cut earlier and its tail starts a
page of its own, its heading row repeated and its merged labels carried over.

Keeping rows together with "keep with next" would be simpler, but LibreOffice ignores it in rows
with merged cells, which every 自评表 has. The cut is placed from estimated heights
(docx_table_layout), with room to spare on the page before it, so a renderer that sets the rows a
little taller than estimated still fits them there.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from app.exports import docx_spec as spec
from app.exports.docx_table_layout import line_mm, place_cells, row_heights, text_lines

PAGE_MM = spec.TYPE_AREA_HEIGHT_MM
GRID_LINE_MM = spec.LINE_PITCH_TWIPS / 1440 * 25.4
NEAR_EMPTY = 1 / 3  # a last page filled less than this is near-empty
TAIL_SHARE = 0.45  # what the tail should fill instead
SAFE_FILL = 0.85  # how full the page before the cut may be estimated


def keep_tails(annex: Any, half_points: int) -> tuple[Any, ...]:
    """The annex's blocks, its last table cut in two where its last page would be near-empty."""
    from app.exports.docx_blocks import Table

    size = half_points / 2
    blocks = list(annex.blocks)
    tables = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
    if not tables:
        return tuple(blocks)
    last = tables[-1]
    pages, fill, starts = _flow(annex, blocks, size)
    if pages == 1 or fill >= NEAR_EMPTY * PAGE_MM:
        return tuple(blocks)
    table: Table = blocks[last]
    heights = row_heights(table.rows, table.widths_mm, size)
    # The page before the near-empty one: where it starts in the last table, and the height above that.
    on_pages = starts[last]
    page_start, y0, _ = on_pages[-2] if on_pages[-1][2] == pages and len(on_pages) > 1 else on_pages[-1]
    after = sum(_block_mm(b, size) for b in blocks[last + 1 :]) + line_mm(size)
    repeated = sum(heights[: table.header_rows])
    best = None
    for cut in range(max(page_start, table.header_rows) + 1, len(heights)):
        before = y0 + sum(heights[page_start:cut])
        tail = repeated + sum(heights[cut:]) + after
        if before <= SAFE_FILL * PAGE_MM and tail >= TAIL_SHARE * PAGE_MM:
            best = cut
    if best is None:
        return tuple(blocks)
    head, rest = split_table(table, best)
    blocks[last : last + 1] = [head, rest]
    return tuple(blocks)


def split_table(table: Any, cut: int) -> tuple[Any, Any]:
    """`table` as two: rows before `cut`, then a new page with the heading rows and the rest; a cell
    spanning the cut is carried over with its text (the 一级指标 label beside the rows it heads)."""
    from app.exports.docx_blocks import Cell

    placed = place_cells(table.rows, len(table.widths_mm))
    first: dict[int, list[tuple[int, Any]]] = {r: [] for r in range(cut)}
    second: dict[int, list[tuple[int, Any]]] = {r: [] for r in range(cut, len(table.rows))}
    for (row, col), cell in placed.items():
        end = row + cell.rowspan
        if row < cut:
            first[row].append((col, dataclasses.replace(cell, rowspan=min(end, cut) - row)))
            if end > cut:
                second[cut].append((col, dataclasses.replace(cell, rowspan=end - cut)))
        else:
            second[row].append((col, cell))

    def rows_of(grid: dict[int, list[tuple[int, Cell]]]) -> tuple[tuple[Cell, ...], ...]:
        return tuple(tuple(c for _, c in sorted(grid[r], key=lambda item: item[0])) for r in sorted(grid))

    headings = table.rows[: table.header_rows]
    keep_first = frozenset(r for r in table.keep_with_next if r < cut)
    keep_second = frozenset(r - cut + len(headings) for r in table.keep_with_next if r >= cut)
    keep_second |= frozenset(range(len(headings)))
    head = dataclasses.replace(table, rows=rows_of(first), keep_with_next=keep_first, page_break_after=True)
    rest = dataclasses.replace(table, rows=(*headings, *rows_of(second)), keep_with_next=keep_second)
    return head, rest


def _block_mm(block: Any, size: float) -> float:
    from app.exports.docx_blocks import Table, TableNote

    if isinstance(block, TableNote):
        return text_lines(block.text, spec.TYPE_AREA_WIDTH_MM, size) * line_mm(size)
    if isinstance(block, Table):
        return sum(row_heights(block.rows, block.widths_mm, size)) + line_mm(size)
    return GRID_LINE_MM


def _flow(
    annex: Any, blocks: list[Any], size: float
) -> tuple[int, float, dict[int, list[tuple[int, float, int]]]]:
    """Pages the annex takes, how far down its last page it ends (mm), and for each table where it
    starts on each page: (row, height used above it on that page, page number)."""
    from app.exports.docx_blocks import Table, TableNote

    y = (3 + len(annex.title_lines)) * GRID_LINE_MM  # 附件N, a blank line, the title, a blank line
    pages = 1
    starts: dict[int, list[tuple[int, float, int]]] = {}
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            heights = row_heights(block.rows, block.widths_mm, size)
            repeated = sum(heights[: block.header_rows])
            starts[index] = [(0, y, pages)]
            for row, h in enumerate(heights):
                if y + h > PAGE_MM:
                    pages += 1
                    y = repeated
                    starts[index].append((row, y, pages))
                y += h
            y += 0.4 if block.continued else line_mm(size)
        elif isinstance(block, TableNote):
            h = text_lines(block.text, spec.TYPE_AREA_WIDTH_MM, size) * line_mm(size)
            if y + h > PAGE_MM:
                pages, y = pages + 1, 0.0
            y += h
        else:
            y += GRID_LINE_MM
    return pages, y, starts
