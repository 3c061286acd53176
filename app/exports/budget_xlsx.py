"""The budget-performance tables as Excel workbooks, laid out as in seed 003:

- 附件1 部门整体支出绩效评价基础数据表
- 附件2 部门整体支出绩效自评表
- 附件3-n 项目支出绩效自评表 (one per 一级项目)

Each is drawn from `BudgetTables` (app.services.budget.tables), so the numbers are the ones the
page shows and the Word report quotes. Numbers are written as numbers (0.00, 0.00%); rows holding
wrapped text get a height that fits, since no spreadsheet autofits merged cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from app.contributions import ExportContext
from app.exports.atomic import safe_filename
from app.exports.xlsx import FANGSONG, SONG, XlsxBook, XlsxSheet
from app.services.budget.tables import (
    BaseDataTable,
    BudgetTables,
    DepartmentTable,
    Footer,
    FundsSummary,
    IndicatorTable,
    ProjectTable,
)

SUBFOLDER = "预算绩效"
# 部门/项目 tables: section | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因
EVAL_WIDTHS = (6, 10, 11, 24, 13, 13, 6.5, 9, 17)
BASE_WIDTHS = (30, 11, 11, 11, 11, 11, 11)
LINE_PT = 14.0  # one line of 10 pt 宋体, with leading
MIN_ROW_PT = 20.0

_BORDER = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": SONG, "font_size": 10}
EXTRA_FORMATS = {
    # "General" rather than "0.##": Excel shows 10 as "10." under "0.##" (LibreOffice does not).
    "b_score": {**_BORDER, "align": "center", "num_format": "General"},
    "b_score_bold": {**_BORDER, "align": "center", "num_format": "General", "bold": True},
    "b_money_center": {**_BORDER, "align": "center", "num_format": "0.00"},
    "b_area": {**_BORDER, "align": "center", "num_format": "0.00"},
    "b_int": {**_BORDER, "align": "center", "num_format": "0"},
    "b_rate": {**_BORDER, "align": "center", "num_format": "0.00%"},
    "b_vertical": {**_BORDER, "align": "center", "bold": True},
    "b_left_top": {**_BORDER, "align": "left", "valign": "top"},
    "b_subtitle_left": {"font_name": SONG, "font_size": 10, "align": "left", "valign": "vcenter"},
    "b_subtitle_right": {"font_name": SONG, "font_size": 10, "align": "right", "valign": "vcenter"},
    "b_note": {"font_name": FANGSONG, "font_size": 10, "text_wrap": True, "valign": "vcenter"},
    "b_muted": {**_BORDER, "align": "center", "font_color": "#595959"},
}


_PLAIN_NUMBER = re.compile(r"^(-?\d+(?:\.(\d+))?)\s*(%|％)?$")
WIDE_PX, NARROW_PX = 13.4, 6.7  # a CJK / other character of 10 pt 宋体 at 96 dpi


def text_px(text: str) -> float:
    return sum(WIDE_PX if ord(ch) > 0x2E80 else NARROW_PX for ch in text)


def column_px(width: float) -> float:
    """What a spreadsheet column of `width` units holds, less the cell's padding."""
    return width * 7 + 5 - 5


def lines_needed(text: str, width: float) -> int:
    usable = max(column_px(width), 10.0)
    return sum(max(1, math.ceil(text_px(part) / usable)) for part in (text or "").split("\n"))


def height_for(cells: Sequence[tuple[str, float]], minimum: float = MIN_ROW_PT) -> float:
    """A row height (pt) that shows every (text, width) cell in full."""
    lines = max((lines_needed(text, width) for text, width in cells), default=1)
    return max(minimum, lines * LINE_PT + 6)


def _span(widths: Sequence[float], first: int, last: int) -> float:
    return float(sum(widths[first : last + 1]))


class _Writer:
    def __init__(self, book: XlsxBook, sheet: XlsxSheet, widths: Sequence[float]) -> None:
        self.book = book
        self.sheet = sheet
        self.widths = widths
        self.row = 0
        self.heights: dict[int, float] = {}
        for name, props in EXTRA_FORMATS.items():
            book.add_format(name, props)

    def span(self, first: int, last: int) -> float:
        return _span(self.widths, first, last)

    def cell(self, row: int, first: int, last: int, value: object, style: str) -> None:
        self.sheet.merge(row, first, row, last, value, style)

    def height(self, row: int, cells: Sequence[tuple[str, int, int]], minimum: float = MIN_ROW_PT) -> None:
        self.set_height(row, height_for([(t, self.span(a, b)) for t, a, b in cells], minimum))

    def set_height(self, row: int, height: float) -> None:
        self.heights[row] = height
        self.sheet.ws.set_row(row, height)

    def value_text(self, row: int, col: int, text: str) -> None:
        """A 年度指标值/实际完成值: "100%" or "16" go in as numbers (1 under 0%), anything else as text."""
        match = _PLAIN_NUMBER.match(text.strip())
        if not match:
            self.cell(row, col, col, text, "text_center")
            return
        decimals = len(match.group(2) or "")
        if match.group(3):
            style = f"b_percent{decimals}"
            pattern = "0" + ("." + "0" * decimals if decimals else "") + "%"
            self.book.add_format(style, {**_BORDER, "align": "center", "num_format": pattern})
            self.cell(row, col, col, Decimal(match.group(1)) / 100, style)
        else:
            self.cell(row, col, col, Decimal(match.group(1)), "b_score")

    def cell_merged(self, first: int, last: int, col: int, text: str, style: str = "label_center") -> None:
        """`text` in column `col` merged over rows first…last, with the rows made tall enough."""
        if last > first:
            self.sheet.ws.merge_range(first, col, last, col, text, self.book.format(style))
        else:
            self.cell(first, col, col, text, style)
        self.fit_merged(first, last, text, col)

    def fit_merged(self, first: int, last: int, text: str, col: int) -> None:
        """Make rows first…last tall enough together for `text` merged over them in column `col`."""
        needed = height_for([(text, self.span(col, col))])
        have = sum(self.heights.get(r, MIN_ROW_PT) for r in range(first, last + 1))
        if needed > have:
            self.set_height(last, self.heights.get(last, MIN_ROW_PT) + needed - have)

    def title(self, text: str) -> None:
        self.sheet.write_title(self.row, 0, len(self.widths) - 1, text, height=40)
        self.heights[self.row] = 40
        self.row += 1

    def footer(self, footer: Footer) -> None:
        self.sheet.write_footer(
            self.row, 0, len(self.widths) - 1, footer.preparer, footer.phone, footer.head, footer.date
        )
        self.set_height(self.row, 30)
        self.row += 1

    def note(self, text: str) -> None:
        last = len(self.widths) - 1
        self.sheet.ws.merge_range(self.row, 0, self.row, last, text, self.book.format("b_note"))
        self.height(self.row, [(text, 0, last)], 22)
        self.row += 1


def _print_setup(w: _Writer, last_row: int, last_col: int, heading_row: int) -> None:
    """A4 portrait, the whole table on one page, as the seed prints it (fit to 1 page wide and
    1 tall: never 总分 and the 填表人 line alone on a page 2). `heading_row` (the column
    headings of the table's long part) is repeated should a printer be set to scale it onto
    more pages."""
    sheet = w.sheet
    sheet.print_a4(repeat_rows=(heading_row, heading_row), pages_tall=1)
    sheet.ws.print_area(0, 0, last_row, last_col)


def _score(value: Decimal | None) -> Decimal | None:
    """Scores go in as numbers; the General format shows them as the seed writes them (10, 0.5, 99.5)."""
    return value


# -- 基础数据表 ------------------------------------------------------------------------------------


def write_base(book: XlsxBook, table: BaseDataTable) -> None:
    sheet = book.sheet("基础数据表", BASE_WIDTHS)
    w = _Writer(book, sheet, BASE_WIDTHS)
    w.title(table.title)
    w.cell(w.row, 0, 3, f"填报单位（盖章）：{table.unit_name}", "b_subtitle_left")
    w.cell(w.row, 4, 6, "金额单位：万元", "b_subtitle_right")
    w.set_height(w.row, 22)
    w.row += 1
    pairs = ((1, 2), (3, 4), (5, 6))

    w.cell(w.row, 0, 0, "财政供养人员情况(人)", "header")
    for (a, b), text in zip(pairs, ("编制数", f"{table.year}年实际在职人数", "控制率"), strict=True):
        w.cell(w.row, a, b, text, "header")
    w.height(w.row, [("财政供养人员情况(人)", 0, 0)], 30)
    w.row += 1
    w.cell(w.row, 0, 0, "", "label")
    w.cell(w.row, 1, 2, table.staff_quota, "b_int")
    w.cell(w.row, 3, 4, table.staff_actual, "b_int")
    w.cell(w.row, 5, 6, table.staff_rate, "b_rate")
    w.set_height(w.row, 22)
    w.row += 1

    prior, year = table.year - 1, table.year
    control_heading = w.row
    w.cell(w.row, 0, 0, "经费控制情况(万元)", "header")
    for (a, b), text in zip(pairs, (f"{prior}年决算数", f"{year}年预算数", f"{year}年决算数"), strict=True):
        w.cell(w.row, a, b, text, "header")
    w.set_height(w.row, 30)
    w.row += 1
    group_depth = -1  # the depth of an open "其中：" group: its later rows align under the first
    for row in table.control_rows:
        if row.label.startswith("其中："):
            group_depth, label = row.depth, row.label
        elif row.depth == group_depth:
            label = "　　　" + row.label
        else:
            group_depth = -1 if row.depth < group_depth else group_depth
            label = ("　" if row.depth == 2 else "") + row.label
        w.cell(w.row, 0, 0, label, "label_bold" if row.depth == 0 else "label")
        for (a, b), value in zip(pairs, (row.prior, row.budget, row.actual), strict=True):
            w.cell(w.row, a, b, value, "b_money_center")
        w.height(w.row, [(label, 0, 0)])
        w.row += 1

    head = f"楼堂馆所控制情况\n({year}年完工项目)"
    w.cell(w.row, 0, 0, head, "header")
    headers = (
        "批复规模\n(m²)",
        "实际规模\n(m²)",
        "规模控制率",
        "预算投资\n(万元)",
        "实际投资\n(万元)",
        "投资概算控制率",
    )
    for col, text in enumerate(headers, 1):
        w.cell(w.row, col, col, text, "header")
    w.height(w.row, [(head, 0, 0), *((t, c, c) for c, t in enumerate(headers, 1))], 32)
    w.row += 1
    buildings = table.buildings
    if not buildings:
        w.cell(w.row, 0, 0, "无", "label_center")
        for col, value in enumerate((Decimal(0), Decimal(0), None, Decimal(0), Decimal(0), None), 1):
            w.cell(w.row, col, col, value, "b_area" if col in (1, 2, 4, 5) else "b_rate")
        w.set_height(w.row, 22)
        w.row += 1
    for b in buildings:
        w.cell(w.row, 0, 0, b.name, "label")
        values = (
            b.approved_area,
            b.actual_area,
            b.area_rate,
            b.budget_investment,
            b.actual_investment,
            b.investment_rate,
        )
        for col, value in enumerate(values, 1):
            w.cell(w.row, col, col, value, "b_rate" if col in (3, 6) else "b_area")
        w.height(w.row, [(b.name, 0, 0)], 22)
        w.row += 1

    w.cell(w.row, 0, 0, "厉行节约保障措施", "label_center")
    w.cell(w.row, 1, 6, table.thrift_measures, "text")
    w.height(w.row, [(table.thrift_measures, 1, 6)], 40)
    w.row += 1
    w.note(table.note)
    w.footer(table.footer)
    _print_setup(w, w.row - 1, len(BASE_WIDTHS) - 1, control_heading)


# -- 部门整体 / 项目支出 绩效自评表 ---------------------------------------------------------------------


def _funds_header(w: _Writer) -> None:
    for col, text in enumerate(("年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率", "得分"), 3):
        w.cell(w.row, col, col, text, "header")
    w.cell(w.row, 1, 2, "", "header")
    w.set_height(w.row, 32)
    w.row += 1


def _funds_total(w: _Writer, funds: FundsSummary) -> None:
    w.cell(w.row, 1, 2, "年度资金总额", "label_center")
    for col, value in enumerate((funds.initial, funds.full, funds.executed), 3):
        w.cell(w.row, col, col, value, "b_money_center")
    w.cell(w.row, 6, 6, _score(funds.weight), "b_score")
    w.cell(w.row, 7, 7, funds.rate, "b_rate")
    w.cell(w.row, 8, 8, _score(funds.score), "b_score")
    w.set_height(w.row, 24)
    w.row += 1


def _goals(w: _Writer, expected: str, actual: str) -> None:
    first = w.row
    w.sheet.ws.merge_range(first, 0, first + 1, 0, "年度总体\n目标", w.book.format("b_vertical"))
    w.cell(first, 1, 4, "预期目标", "header")
    w.cell(first, 5, 8, "实际完成情况", "header")
    w.set_height(first, 24)
    w.cell(first + 1, 1, 4, expected, "b_left_top")
    w.cell(first + 1, 5, 8, actual, "b_left_top")
    w.height(first + 1, [(expected, 1, 4), (actual, 5, 8)], 48)
    w.row += 2


def _indicators(w: _Writer, table: IndicatorTable) -> int:
    """The 绩效指标 part; returns the row of its column headings (一级指标 … 偏差原因)."""
    first = w.row
    headers = (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因\n分析及\n改进措施",
    )
    for col, text in enumerate(headers, 1):
        w.cell(w.row, col, col, text, "header")
    w.set_height(w.row, 44)
    w.row += 1
    for group in table.groups:
        rows = group.rows
        if not rows:
            continue
        g_first = w.row
        for l2 in group.level2:
            l2_first = w.row
            for r in l2.rows:
                if r.not_applicable:
                    name = f"{r.name}（不适用）" if r.name else "不适用"
                    w.cell(w.row, 3, 3, name, "text_center")
                    for col in range(4, 9):
                        w.cell(w.row, col, col, None, "text_center")
                    w.height(w.row, [(name, 3, 3)])
                else:
                    w.cell(w.row, 3, 3, r.name, "text_center")
                    w.value_text(w.row, 4, r.target)
                    w.value_text(w.row, 5, r.actual)
                    w.cell(w.row, 6, 6, _score(r.weight), "b_score")
                    w.cell(w.row, 7, 7, _score(r.score), "b_score")
                    w.cell(w.row, 8, 8, r.reason, "text")
                    w.height(w.row, [(r.name, 3, 3), (r.target, 4, 4), (r.actual, 5, 5), (r.reason, 8, 8)])
                w.row += 1
            w.cell_merged(l2_first, w.row - 1, 2, l2.name)
        w.cell_merged(g_first, w.row - 1, 1, group.header().replace("(", "\n("))
    w.cell_merged(first, w.row - 1, 0, "绩效\n指标", "b_vertical")
    w.cell(w.row, 0, 5, "总分", "header")
    w.cell(w.row, 6, 6, _score(table.total_weight), "b_score_bold")
    w.cell(w.row, 7, 7, _score(table.total), "b_score_bold")
    grade = f"评价等级：{table.grade}" if table.grade else ""
    w.cell(w.row, 8, 8, grade, "text_center")
    w.set_height(w.row, 26)
    w.row += 1
    return first


def write_department(book: XlsxBook, table: DepartmentTable) -> None:
    sheet = book.sheet("部门整体自评表", EVAL_WIDTHS)
    w = _Writer(book, sheet, EVAL_WIDTHS)
    ws, fmt = sheet.ws, book.format
    w.title(table.title)
    w.cell(w.row, 0, 1, "预算部门\n名称", "label_center")
    w.cell(w.row, 2, 8, table.unit_name, "text")
    w.set_height(w.row, 34)
    w.row += 1
    first = w.row
    _funds_header(w)
    _funds_total(w, table.funds)
    w.cell(w.row, 1, 4, "按收入性质分：", "label")
    w.cell(w.row, 5, 8, "按支出性质分：", "label")
    w.set_height(w.row, 22)
    w.row += 1
    expense_labels = {
        "basic": "其中：基本支出",
        "personnel": "　　其中：人员经费",
        "public": "　　　　　公用经费",
        "projects": "项目支出",
    }
    for number, (income, expense) in enumerate(zip(table.income, table.expense, strict=True)):
        label = ("其中：" if number == 0 else "") + income.label
        w.cell(w.row, 1, 3, label, "label")
        w.cell(w.row, 4, 4, income.amount, "b_money_center")
        w.cell(w.row, 5, 7, expense_labels[expense.key], "label")
        w.cell(w.row, 8, 8, expense.amount, "b_money_center")
        w.height(w.row, [(label, 1, 3), (expense_labels[expense.key], 5, 7)], 22)
        w.row += 1
    ws.merge_range(first, 0, w.row - 1, 0, "年度\n预算\n申请\n(万元)", fmt("b_vertical"))
    _goals(w, table.goal_expected, table.goal_actual)
    heading = _indicators(w, table.indicators)
    w.footer(table.footer)
    _print_setup(w, w.row - 1, len(EVAL_WIDTHS) - 1, heading)


def write_project(book: XlsxBook, table: ProjectTable) -> None:
    sheet = book.sheet("项目支出自评表", EVAL_WIDTHS)
    w = _Writer(book, sheet, EVAL_WIDTHS)
    ws, fmt = sheet.ws, book.format
    w.title(table.title)
    w.cell(w.row, 0, 1, "项目支出\n名称", "label_center")
    w.cell(w.row, 2, 8, table.name, "text")
    w.set_height(w.row, 34)
    w.row += 1
    w.cell(w.row, 0, 1, "主管部门", "label_center")
    w.cell(w.row, 2, 4, table.supervisor, "text")
    w.cell(w.row, 5, 5, "实施\n单位", "label_center")
    w.cell(w.row, 6, 8, table.implementer, "text")
    w.height(w.row, [(table.supervisor, 2, 4), (table.implementer, 6, 8)], 34)
    w.row += 1
    first = w.row
    _funds_header(w)
    _funds_total(w, table.funds)
    for number, source in enumerate(table.sources):
        w.cell(w.row, 1, 2, ("其中：" if number == 0 else "") + source.label, "label")
        for col, value in enumerate((source.initial, source.full, source.executed), 3):
            w.cell(w.row, col, col, value, "b_money_center")
        for col in (6, 7, 8):
            w.cell(w.row, col, col, None, "text")
        w.set_height(w.row, 22)
        w.row += 1
    ws.merge_range(first, 0, w.row - 1, 0, "项目\n资金\n(万元)", fmt("b_vertical"))
    _goals(w, table.goal_expected, table.goal_actual)
    heading = _indicators(w, table.indicators)
    w.note(table.note)
    w.footer(table.footer)
    _print_setup(w, w.row - 1, len(EVAL_WIDTHS) - 1, heading)


# -- files ---------------------------------------------------------------------------------------------


def file_names(tables: BudgetTables) -> list[str]:
    year = tables.year
    names = [
        f"附件1 {year}年度部门整体支出绩效评价基础数据表.xlsx",
        f"附件2 {year}年度部门整体支出绩效自评表.xlsx",
    ]
    names += [
        f"附件3-{i} {year}年度项目支出绩效自评表（{p.name or f'项目{i}'}）.xlsx"
        for i, p in enumerate(tables.projects, 1)
    ]
    return [safe_filename(n) for n in names]


def write_budget_workbooks(
    tables: BudgetTables,
    folder: Path,
    progress: Callable[[int, int, str], None] | None = None,
    check_cancelled: Callable[[], None] | None = None,
) -> list[Path]:
    """Write every table of `tables` into `folder` (one workbook a table); returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    names = file_names(tables)
    jobs: list[tuple[str, Callable[[XlsxBook], None]]] = [
        (names[0], lambda book: write_base(book, tables.base)),
        (names[1], lambda book: write_department(book, tables.department)),
    ]
    for name, project in zip(names[2:], tables.projects, strict=True):
        jobs.append((name, lambda book, p=project: write_project(book, p)))
    files = []
    for done, (name, job) in enumerate(jobs):
        if check_cancelled is not None:
            check_cancelled()
        if progress is not None:
            progress(done, len(jobs), f"正在写入：{name}")
        path = folder / name
        with XlsxBook(path) as book:
            job(book)
        files.append(path)
    if progress is not None:
        progress(len(jobs), len(jobs), "预算绩效表格已写入")
    return files


def export_budget_tables(ctx: ExportContext) -> list[Path]:
    """The registered exporter ("budget.tables")."""
    from app.services.budget.compute import build_tables

    with ctx.db.session() as session:
        tables = build_tables(session, ctx.unit_id, ctx.year)
    return write_budget_workbooks(tables, ctx.out_dir / SUBFOLDER, ctx.progress, ctx.check_cancelled)
