"""Malformed 预算绩效 workbooks: one of the example year's exported tables with some of its cells,
sheets, rows or columns mutated the way a clerk, another program or a damaged file would.

A workbook is described by a `Recipe` (which table, which mutations) so that the property test
(Hypothesis draws recipes) and bench/fuzz_import.py (random.Random draws them) build the very same
kinds of file. Nothing here imports the application: the templates are passed in as bytes.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

# Values a cell can be given. Numbers beyond 1e12 万元, below zero or not numbers at all; text that
# str.isdigit() or Decimal() would take; dates far out; long text.
HOSTILE_VALUES: tuple[object, ...] = (
    1e23,
    1e24,
    1e300,
    -1e300,
    10**30,
    -(10**20),
    -1,
    -0.01,
    0.001,
    12.345,
    999999999999.99,
    1000000000000.01,
    "1e24",
    "NaN",
    "Infinity",
    "-Infinity",
    "①",
    "²",
    "٣٠",
    "１２３．４５",
    "9" * 40,
    "0." + "0" * 38 + "1",
    "1,234.50",
    "-5",
    "abc",
    "",
    " ",
    "—",
    "无",
    "10分",
    "100%",
    True,
    datetime(9999, 12, 31),
    datetime(1900, 1, 1),
    "填报日期：9999年12月20日",
    "x" * 400,
    "产出指标(99999999999999999999分)",
)
FORMULAS = ("=SUM(A1:A3)", "=1/0", "=D5*2", "=NOW()")
SHEET_NAMES = ("Sheet1", "", "项目支出", "部门整体自评表", "x" * 31, "基础数据表")


@dataclass(frozen=True)
class Mutation:
    kind: str  # see MUTATION_KINDS
    a: int = 0  # which cell/row/column/sheet (taken modulo what there is)
    b: int = 0
    value: object = None


@dataclass(frozen=True)
class Recipe:
    template: int  # index into the templates
    mutations: tuple[Mutation, ...] = field(default_factory=tuple)
    writer: str = "openpyxl"  # or "xlsxwriter": formulas saved with a cached 0, as XlsxWriter does


MUTATION_KINDS = (
    "number_cell",  # a numeric cell gets a hostile value
    "any_cell",  # any cell in (or just outside) the used range gets a hostile value
    "negative_executed",  # a 全年执行数 / 本年决算数 cell becomes negative
    "formula",  # a numeric cell becomes a formula with no cached value
    "wide",  # content beyond the template's columns
    "long",  # content far below: past 20,000 rows
    "clear",  # an empty sheet
    "rename",  # the sheet gets another name
    "delete_rows",
    "insert_cols",
    "add_sheet",  # another sheet, empty or with junk
)


def _cells(ws) -> list:
    """The cells the sheet holds, in order (iter_rows would create every cell up to max_row × max_column,
    which after a "long" mutation is millions)."""
    return [ws._cells[key] for key in sorted(ws._cells)]


def _numeric_cells(ws) -> list:
    return [c for c in _cells(ws) if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]


def _executed_cells(ws) -> list:
    cells = []
    for c in _cells(ws):
        if isinstance(c.value, str) and ("执行数" in c.value or "决算数" in c.value):
            cells += [ws.cell(r, c.column) for r in range(c.row + 1, c.row + 12)]
    return cells


def _set(cell, value: object) -> None:
    if type(cell).__name__ != "MergedCell":  # only the first cell of a merged range holds a value
        cell.value = value


def _apply(book, mutation: Mutation) -> None:
    ws = book.worksheets[mutation.b % len(book.worksheets)]
    kind, a = mutation.kind, mutation.a
    if kind == "number_cell":
        cells = _numeric_cells(ws) or [ws.cell(5, 4)]
        _set(cells[a % len(cells)], mutation.value)
    elif kind == "any_cell":
        rows, cols = min(ws.max_row, 60) + 3, min(ws.max_column, 12) + 2
        _set(ws.cell(1 + a % rows, 1 + (a // rows) % cols), mutation.value)
    elif kind == "negative_executed":
        cells = _executed_cells(ws) or _numeric_cells(ws) or [ws.cell(5, 6)]
        _set(cells[a % len(cells)], -abs(float(a % 1000) + 0.5))
    elif kind == "formula":
        cells = _numeric_cells(ws) or [ws.cell(5, 6)]
        _set(cells[a % len(cells)], FORMULAS[a % len(FORMULAS)])
    elif kind == "wide":
        _set(ws.cell(1 + a % 30, 21 + a % 40), "多出的列")
    elif kind == "long":
        _set(ws.cell(20_001 + a % 280_000, 1 + a % 9), 1)
    elif kind == "clear":
        for c in _cells(ws):
            _set(c, None)
    elif kind == "rename":
        name = SHEET_NAMES[a % len(SHEET_NAMES)] or "Sheet"
        if name not in book.sheetnames:
            ws.title = name
    elif kind == "delete_rows":
        ws.delete_rows(1 + a % 60, 1 + a % 5)
    elif kind == "insert_cols":
        ws.insert_cols(1 + a % 9, 1 + a % 3)
    elif kind == "add_sheet":
        extra = book.create_sheet(f"附加{len(book.sheetnames)}")
        if a % 2:
            extra["A1"], extra["A3"] = "项目支出名称", "年初预算数"
            _set(extra["B2"], mutation.value)


def build(templates: list[bytes], recipe: Recipe) -> bytes:
    """The workbook a recipe describes, as .xlsx bytes."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(templates[recipe.template % len(templates)]))
    # Rows far down go in last: openpyxl moves rows and columns cell by cell up to max_row.
    for mutation in sorted(recipe.mutations, key=lambda m: m.kind == "long"):
        _apply(book, mutation)
    if recipe.writer == "xlsxwriter":
        return _with_xlsxwriter(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_xlsxwriter(book) -> bytes:
    """The same cells written by XlsxWriter, whose formulas carry a cached 0 until WPS/Excel opens them."""
    import xlsxwriter

    out = io.BytesIO()
    target = xlsxwriter.Workbook(out, {"in_memory": True, "nan_inf_to_errors": True})
    dates = target.add_format({"num_format": "yyyy-mm-dd"})
    for ws in book.worksheets:
        sheet = target.add_worksheet(ws.title[:31] or None)
        for c in _cells(ws):
            value = c.value
            if value is None or type(c).__name__ == "MergedCell":
                continue
            if isinstance(value, str) and value.startswith("="):
                sheet.write_formula(c.row - 1, c.column - 1, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(c.row - 1, c.column - 1, value, dates)
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
                sheet.write_number(c.row - 1, c.column - 1, float(value))
            else:
                sheet.write(c.row - 1, c.column - 1, value)
    target.close()
    return out.getvalue()


def random_recipe(rng: random.Random, templates: int) -> Recipe:
    """A recipe drawn with `rng` (bench/fuzz_import.py); the property test draws them with Hypothesis."""
    mutations = tuple(
        Mutation(
            rng.choice(MUTATION_KINDS),
            rng.randrange(1_000_000),
            rng.randrange(10),
            rng.choice(HOSTILE_VALUES),
        )
        for _ in range(rng.randint(1, 4))
    )
    return Recipe(rng.randrange(templates), mutations, rng.choice(("openpyxl", "openpyxl", "xlsxwriter")))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
