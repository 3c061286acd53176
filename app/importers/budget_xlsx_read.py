"""Reading 预算绩效 tables from .xlsx (ours, or the same layout typed by hand in WPS) into plain
records, by their labels rather than cell addresses: blank spacer columns, merged cells, "(30分)" in
the 一级指标 cells, numbers typed as text, "100%" or "10分" in cells, a label and its number in one
cell ("其中：一般公共预算：885.94"). Each table also gives its 表尾 (填表人, 填报日期, 联系电话) and the
year it names (table_year). Nothing here touches the database; budget_xlsx.py merges and writes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from pathlib import Path

from app.findings import ERROR, WARNING
from app.importers.xlsx_sheets import UnreadableWorkbook, open_values, rows_from_a1, scan_workbook
from app.services.budget.compute import (
    kind_code,
    project_code,
)
from app.services.budget.data import (
    INCOME_FIELDS,
    INCOME_LABELS,
    PROJECT_KINDS,
    Building,
    Funds,
    Indicator,
)
from app.services.parsing import (
    NUMBER_TEXT,
    ParseError,
    check_text,
    parse_count,
    parse_date,
    parse_money,
    parse_score,
    tidy_number_text,
)
from app.services.validation import validate_phone

# -- problems and results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    level: str  # 错误 / 警告
    sheet: str
    cell: str  # "D12"; "" for the sheet as a whole
    message: str
    sheet_no: int = 0  # 1-based position of the sheet in its file; 0 for the file as a whole

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def text(self) -> str:
        """ "[错误] 第2张表“项目支出”第15行F列：全年执行数不能为负数"."""
        where = f"第{self.sheet_no}张表“{self.sheet}”" if self.sheet_no else f"“{self.sheet}”"
        match = _CELL.fullmatch(self.cell)
        if match:
            where += f"第{match.group(2)}行{match.group(1)}列"
        elif self.cell:
            where += f" {self.cell}"
        return f"[{self.level}] {where}：{self.message}"


_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass
class ReadIndicators:
    indicators: list[Indicator] = field(default_factory=list)
    header_weights: dict[str, Decimal] = field(default_factory=dict)  # "(30分)" as read
    typed_scores: list[Decimal | None] = field(default_factory=list)  # 得分 as read, by row
    total_weight: Decimal | None = None  # 总分 row as read
    total_score: Decimal | None = None
    total_cell: str = ""


@dataclass
class ReadFooter:
    """The 填表人/填报日期/联系电话 line under a table, as read; "" / None where it was left blank
    or could not be kept (a problem says why)."""

    preparer: str = ""
    phone: str = ""
    fill_date: date | None = None
    cell: str = ""  # the line's first cell; "" when the table has none

    def is_blank(self) -> bool:
        return not (self.preparer or self.phone or self.fill_date)


@dataclass
class ReadDepartment:
    sheet: str
    unit_name: str = ""
    funds: Funds = field(default_factory=Funds)
    income: dict[str, Decimal | None] = field(default_factory=dict)
    basic: Decimal | None = None
    personnel: Decimal | None = None
    public: Decimal | None = None
    projects: Decimal | None = None
    projects_cell: str = ""
    execution_score: Decimal | None = None
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: ReadIndicators = field(default_factory=ReadIndicators)
    fill_date: date | None = None  # the footer's, kept here for callers that read only this table
    year: int | None = None  # the year the table says it is for ("2024年度…" in its title)
    footer: ReadFooter = field(default_factory=ReadFooter)


@dataclass
class ReadProject:
    sheet: str
    name: str = ""
    supervisor: str = ""
    implementer: str = ""
    total: Funds = field(default_factory=Funds)
    total_cell: str = ""
    sources: dict[str, Funds] = field(default_factory=dict)
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: ReadIndicators = field(default_factory=ReadIndicators)
    year: int | None = None
    footer: ReadFooter = field(default_factory=ReadFooter)


@dataclass
class ReadControlRow:
    code: str  # a TYPED_ROWS code, "public", a sum code, "kind:…" or "project:…"
    label: str
    values: tuple[Decimal | None, Decimal | None, Decimal | None]  # 上年决算数, 本年预算数, 本年决算数
    cells: tuple[str, str, str]
    kind: str = ""  # for "project:…" rows: the kind row above them


@dataclass
class ReadBase:
    sheet: str
    staff_quota: int | None = None
    staff_actual: int | None = None
    rows: list[ReadControlRow] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    thrift_measures: str | None = None
    year: int | None = None
    footer: ReadFooter = field(default_factory=ReadFooter)


@dataclass
class ImportResult:
    path: Path
    base: ReadBase | None = None
    department: ReadDepartment | None = None
    projects: list[ReadProject] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def found(self) -> bool:
        return bool(self.base or self.department or self.projects)


# -- reading cells ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％：（）", "0123456789.,%:()")


def norm(text: str) -> str:
    """A label as compared: no spaces or line breaks, full-width digits and brackets folded."""
    return _SPACES.sub("", str(text)).translate(_FULLWIDTH)


def _coord(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


class Grid:
    """One sheet's non-empty cells: (row, col) → value, with text for labels (1-based, as Excel).

    `ws` is a worksheet whose size was checked (xlsx_sheets.scan_workbook). A formula cell in
    `formulas` with no cached result, or with the 0 that programs write when they do not compute
    (`recalc`: the file asks to be recalculated), reads as UNCOMPUTED rather than as empty or 0."""

    def __init__(
        self,
        ws,
        formulas: frozenset[tuple[int, int]] = frozenset(),
        recalc: bool = False,
        number: int = 0,
    ) -> None:
        self.title = ws.title
        self.number = number  # the sheet's position in its file, from 1
        self.values: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        for row in rows_from_a1(ws):
            for cell in row:
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                self.values[(cell.row, cell.column)] = value
                self.formats[(cell.row, cell.column)] = cell.number_format or ""
        for key in formulas:
            cached = self.values.get(key)
            if cached is None or (recalc and type(cached) in (int, float) and cached == 0):
                self.values[key] = UNCOMPUTED
                self.formats.setdefault(key, "")
        by_row: dict[int, list[tuple[int, object]]] = {}
        for (r, c), value in self.values.items():
            by_row.setdefault(r, []).append((c, value))
        self._by_row = {r: sorted(cells, key=lambda cv: cv[0]) for r, cells in by_row.items()}
        self.rows = sorted(self._by_row)
        self.max_col = max((c for _r, c in self.values), default=0)

    def row_cells(self, row: int) -> list[tuple[int, object]]:
        return self._by_row.get(row, [])

    def text(self, row: int, col: int) -> str:
        value = self.values.get((row, col))
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return number_as_text(value, self.formats.get((row, col), ""))
        if isinstance(value, date):
            return f"{value.year}年{value.month}月{value.day}日"
        return str(value).strip()

    def find(self, predicate, start: int = 0, stop: int | None = None) -> tuple[int, int] | None:
        """The first cell (row order, then column) whose normalised text satisfies `predicate`."""
        for row in self.rows:
            if row < start or (stop is not None and row >= stop):
                continue
            for col, _value in self.row_cells(row):
                if predicate(norm(self.text(row, col))):
                    return row, col
        return None

    def after(self, row: int, col: int, limit: int | None = None) -> tuple[int, str] | None:
        """The next non-empty cell to the right in the same row."""
        for c, _v in self.row_cells(row):
            if c > col and (limit is None or c < limit):
                return c, self.text(row, c)
        return None


def number_as_text(value: float | int, number_format: str) -> str:
    """A number cell as the clerk saw it: 1 under a % format is "100%", 16.0 is "16"."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return f"{_plain_number(number * 100)}%" if "%" in number_format else _plain_number(number)


def _plain_number(value: Decimal) -> str:
    if not value.is_finite() or abs(value) >= _PLAIN_LIMIT:
        return str(value)  # "1E+24": shown as it is, and refused where a number is read
    with localcontext() as ctx:
        ctx.prec = 40
        return f"{value.quantize(Decimal('0.0001')).normalize():f}"


_PLAIN_LIMIT = Decimal("1e20")


MONEY, SCORE, COUNT = "money", "score", "count"
RESAVE = "请先用 WPS 或 Excel 打开该文件并保存，再导入"
_BLANKS = ("-", "—", "/", "无")
_UNITS = ("万元", "元", "分", "人")


class _Uncomputed:
    """A formula cell whose result the file does not hold (written by a program, never opened in
    WPS/Excel): openpyxl reads it as empty or 0, which must not be imported as a figure."""

    def __str__(self) -> str:
        return ""


UNCOMPUTED = _Uncomputed()


def _number_text(raw: str) -> str:
    text = norm(raw)
    for suffix in _UNITS:
        text = text.removesuffix(suffix)
    return text.removesuffix("%")


def looks_numeric(raw: object) -> bool:
    """Whether a cell holds a number (or a number typed as text) rather than a label."""
    if isinstance(raw, str):
        return bool(NUMBER_TEXT.fullmatch(tidy_number_text(_number_text(raw))))
    return raw is UNCOMPUTED or (isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool))


def read_number(raw: object, label: str, kind: str = MONEY) -> Decimal | int | None:
    """A cell as an amount in 万元 (MONEY), a 分值/得分 (SCORE) or a head count (COUNT), under the
    limits of app.services.parsing; blank, "-", "无" → None. "951.90万元", "10分", "100%" (a 得分
    typed with %), " 5 " are read. Raises ParseError naming `label`."""
    if raw is UNCOMPUTED:
        raise ParseError(f"{label}是公式，但文件中没有它的计算结果：{RESAVE}")
    if isinstance(raw, str):
        text = _number_text(raw)
        if text in _BLANKS:
            return None
        if text and not looks_numeric(text):
            shown = raw.strip() if len(raw.strip()) <= 20 else raw.strip()[:20] + "…"
            raise ParseError(f"{label}“{shown}”不是数字")
        raw = text
    if kind == COUNT:
        return parse_count(raw, label)
    if kind == SCORE:
        return parse_score(raw, label, round_places=True)
    return parse_money(raw, label, round_places=True)


FundsHeader = tuple[int, dict[str, int]]  # the header's row, and the column of each amount
FundsRow = tuple[Funds, Decimal | None, str]  # the amounts, the 得分 beside them, the cell


class _Reader:
    """Reading one sheet, collecting problems against it."""

    def __init__(self, grid: Grid, problems: list[Problem]) -> None:
        self.grid = grid
        self.problems = problems

    def problem(self, level: str, row: int, col: int, message: str) -> None:
        cell = _coord(row, col) if row and col else ""
        self.problems.append(Problem(level, self.grid.title, cell, message, self.grid.number))

    def number(self, row: int, col: int, label: str, kind: str = MONEY) -> Decimal | None:
        """The number in a cell (see read_number); a problem at the cell when it cannot be read."""
        try:
            value = read_number(self.grid.values.get((row, col)), label, kind)
        except ParseError as exc:
            self.problem(ERROR, row, col, str(exc))
            return None
        return None if value is None else Decimal(value)

    def count(self, row: int, col: int, label: str) -> int | None:
        value = self.number(row, col, label, COUNT)
        return None if value is None else int(value)

    def problems_at(self, row: int) -> bool:
        """Whether a problem was already reported in `row` of this sheet."""
        cells = {_coord(row, c) for c, _v in self.grid.row_cells(row)}
        return any(p.sheet == self.grid.title and p.cell in cells for p in self.problems)

    def text_within(self, row: int, col: int, text: str, label: str, limit: int) -> str:
        """`text` if it fits its database column, else a problem at the cell (and "" )."""
        message = check_text(text, label, limit)
        if message:
            self.problem(ERROR, row, col, message)
            return ""
        return text

    def value_near(self, row: int, col: int, next_col: int | None) -> int | None:
        """The column holding the value under a header at `col` (merges and spacers shift it)."""
        for c in range(col, (next_col or col + 1)):
            if (row, c) in self.grid.values:
                return c
        return None

    def header_columns(self, row: int, keys: dict[str, tuple[str, ...]]) -> dict[str, int]:
        found: dict[str, int] = {}
        for col, _v in self.grid.row_cells(row):
            text = norm(self.grid.text(row, col))
            for key, needles in keys.items():
                if key not in found and any(text.startswith(n) for n in needles):
                    found[key] = col
        return found

    def read_by_header(
        self, row: int, columns: dict[str, int], label: str, wanted: tuple[str, ...]
    ) -> dict[str, Decimal | None]:
        """The numbers of `row` under the `wanted` headers (the other headers only bound them)."""
        ordered = sorted(columns.items(), key=lambda kv: kv[1])
        result: dict[str, Decimal | None] = {}
        for i, (key, col) in enumerate(ordered):
            if key not in wanted:
                continue
            limit = ordered[i + 1][1] if i + 1 < len(ordered) else col + 2
            at = self.value_near(row, col, limit)
            kind = SCORE if key == "得分" else MONEY
            result[key] = self.number(row, at, f"{label}的{key}", kind) if at is not None else None
        return result

    # -- shared blocks -------------------------------------------------------------------------------

    FUND_KEYS = {
        "年初预算数": ("年初预算数", "年初预算"),
        "全年预算数": ("全年预算数", "全年预算"),
        "全年执行数": ("全年执行数", "全年执行"),
    }

    def funds_header(self) -> FundsHeader | None:
        at = self.grid.find(lambda t: t.startswith("年初预算"))
        if at is None:
            return None
        row = at[0]
        columns = self.header_columns(
            row, {**self.FUND_KEYS, "分值": ("分值",), "执行率": ("执行率",), "得分": ("得分",)}
        )
        return row, columns

    def funds_row(self, label_test, header: FundsHeader, label: str) -> FundsRow | None:
        row_h, columns = header
        at = self.grid.find(label_test, start=row_h + 1)
        if at is None:
            return None
        row, col = at
        values = self.read_by_header(row, columns, label, (*self.FUND_KEYS, "得分"))
        funds = Funds(
            values.get("年初预算数"),
            values.get("全年预算数"),
            values.get("全年执行数"),
        )
        return funds, values.get("得分"), _coord(row, col)

    def funds_total(self) -> tuple[FundsHeader | None, FundsRow | None]:
        """The funds header and the 年度资金总额 row under it; a missing one is a problem."""
        header = self.funds_header()
        if header is None:
            self.problem(ERROR, 0, 0, "没有找到资金表头（年初预算数、全年预算数、全年执行数）")
            return None, None
        total = self.funds_row(lambda t: t.startswith("年度资金总额"), header, "年度资金总额")
        if total is None:
            self.problem(ERROR, 0, 0, "没有找到“年度资金总额”行")
        return header, total

    def goals(self) -> tuple[str, str]:
        """预期目标 | 实际完成情况: the texts in the first row under their headers."""
        at = self.grid.find(lambda t: t == "预期目标")
        if at is None:
            self.problem(WARNING, 0, 0, "没有找到“预期目标/实际完成情况”，年度总体目标未导入")
            return "", ""
        row, col = at
        actual_at = self.grid.find(lambda t: t.startswith("实际完成情况"), start=row, stop=row + 1)
        actual_col = actual_at[1] if actual_at else self.grid.max_col + 1
        below = next((r for r in self.grid.rows if r > row), None)
        if below is None:
            return "", ""
        cells = self.grid.row_cells(below)
        expected = next((self.grid.text(below, c) for c, _ in cells if col <= c < actual_col), "")
        actual = next((self.grid.text(below, c) for c, _ in cells if c >= actual_col), "")
        return expected.strip(), actual.strip()

    def indicators(self, rules_level1: tuple[str, ...]) -> ReadIndicators:
        read = ReadIndicators()
        at = self.grid.find(lambda t: t == "一级指标")
        if at is None:
            self.problem(ERROR, 0, 0, "没有找到绩效指标表头（一级指标、二级指标、三级指标…）")
            return read
        head_row = at[0]
        keys = {
            "level1": ("一级指标",),
            "level2": ("二级指标",),
            "name": ("三级指标",),
            "target": ("年度指标值", "指标值"),
            "actual": ("实际完成值", "实际值", "完成值"),
            "weight": ("分值",),
            "score": ("得分",),
            "reason": ("偏差原因",),
        }
        columns = self.header_columns(head_row, keys)
        missing = [
            keys[k][0] for k in ("level1", "level2", "name", "target", "actual", "weight") if k not in columns
        ]
        if missing:
            self.problem(ERROR, head_row, at[1], f"绩效指标表头缺少：{'、'.join(missing)}")
            return read
        level1 = level2 = ""
        warned: set[str] = set()
        for row in self.grid.rows:
            if row <= head_row:
                continue
            texts = {k: self.grid.text(row, c) for k, c in columns.items()}
            first_text = norm(" ".join(self.grid.text(row, c) for c, _ in self.grid.row_cells(row)))
            if first_text.startswith("总分") or any(norm(t) == "总分" for t in texts.values()):
                read.total_cell = _coord(row, columns["score"] if "score" in columns else columns["weight"])
                read.total_weight = self._total_cell(row, columns, "weight")
                read.total_score = self._total_cell(row, columns, "score")
                break
            if not any(texts.values()):
                continue
            if texts["level1"]:
                name, weight = split_level1(texts["level1"])
                if name != level1:
                    level2 = ""
                level1 = name
                if weight is not None:
                    read.header_weights[name] = weight
            if texts["level2"]:
                level2 = texts["level2"].replace("\n", "")
            name_text = texts["name"].replace("\n", "")
            if not (name_text or texts["target"] or texts["actual"] or texts["weight"]):
                continue  # a row holding only the merged 一级/二级 labels
            not_applicable = "不适用" in norm(name_text) and not texts["target"] and not texts["actual"]
            if not_applicable:
                name_text = re.sub(r"[（(]?不适用[）)]?", "", name_text).strip()
            weight = None if not_applicable else self.number(row, columns["weight"], "分值", SCORE)
            score = (
                self.number(row, columns["score"], "得分", SCORE)
                if "score" in columns and not not_applicable
                else None
            )
            limited = {
                key: self.text_within(row, columns[key], value, label, limit)
                for key, value, label, limit in (
                    ("level1", level1, "一级指标", 50),
                    ("level2", level2, "二级指标", 50),
                    ("name", name_text, "三级指标", 300),
                    ("target", texts["target"].replace("\n", ""), "年度指标值", 300),
                    ("actual", texts["actual"].replace("\n", ""), "实际完成值", 300),
                )
            }
            read.indicators.append(
                Indicator(
                    level1=limited["level1"],
                    level2=limited["level2"],
                    name=limited["name"],
                    target=limited["target"],
                    actual=limited["actual"],
                    weight=weight,
                    reason=texts.get("reason", "").strip(),
                    not_applicable=not_applicable,
                )
            )
            read.typed_scores.append(score)
            if level1 and rules_level1 and level1 not in rules_level1 and level1 not in warned:
                warned.add(level1)
                self.problem(WARNING, row, columns["level1"], f"一级指标“{level1}”不在所选评分规则中")
        else:
            self.problem(WARNING, 0, 0, "没有找到“总分”行")
        if not read.indicators:
            self.problem(ERROR, head_row, at[1], "表头下没有读到任何绩效指标")
        return read

    def _total_cell(self, row: int, columns: dict[str, int], key: str) -> Decimal | None:
        if key not in columns:
            return None
        col = columns[key]
        if not looks_numeric(self.grid.values.get((row, col))):
            return None  # a label or a note in the 总分 row: compared, never stored
        return self.number(row, col, "总分", SCORE)

    def footer(self) -> ReadFooter:
        """The 表尾 line ("填表人：… 填报日期：… 联系电话：… 单位负责人签字：…"), in one merged cell or
        spread over the cells of its row (or of two or three rows). What cannot be kept is a warning
        and stays blank (the year keeps its own), except a 填报日期 that is a date but does not
        exist: an error, as typed."""
        starts = [(r, self._footer_start(r)) for r in self.grid.rows]
        lines = [(r, c) for r, c in starts if c is not None]
        if not lines:
            return ReadFooter()
        # From the bottom: the line is under the table (an indicator may mention 填报日期 too).
        row, first = lines[-1]
        block = [(r, c) for r, c in lines if row - 3 <= r <= row]
        row, first = block[0]
        text = "".join(
            norm(self.grid.text(r, c)) for r, start in block for c, _v in self.grid.row_cells(r) if c >= start
        )
        parts = _FOOTER_LABEL.split(text)
        values: dict[str, str] = {}
        for label, value in zip(parts[1::2], parts[2::2], strict=True):
            key = _FOOTER_KEYS[label]
            value = value.strip(":")
            if key not in values:
                values[key] = "" if value in _BLANKS else value
        read = ReadFooter(cell=_coord(row, first))
        preparer = values.get("preparer", "")
        message = check_text(preparer, "填表人", 50)
        if message:
            self.problem(WARNING, row, first, f"表尾的{message}，未导入")
        else:
            read.preparer = preparer
        phone = values.get("phone", "")
        if phone and validate_phone(phone):
            shown = phone if len(phone) <= 20 else phone[:20] + "…"
            self.problem(
                WARNING,
                row,
                first,
                f"表尾的联系电话“{shown}”格式不正确（应为11位手机号或带区号的固定电话），未导入",
            )
        else:
            read.phone = phone
        read.fill_date = self._footer_date(row, first, values.get("fill_date", ""))
        return read

    def _footer_start(self, row: int) -> int | None:
        """The column where a 表尾 line starts in `row` ("填表人：…", "联系电话：…"), or None."""
        return next(
            (
                c
                for c, _v in self.grid.row_cells(row)
                if norm(self.grid.text(row, c)).startswith(_FOOTER_STARTS)
            ),
            None,
        )

    def _footer_date(self, row: int, col: int, text: str) -> date | None:
        if not text:
            return None
        match = _DATE_IN_TEXT.search(text)
        if match is None:
            shown = text if len(text) <= 20 else text[:20] + "…"
            self.problem(WARNING, row, col, f"表尾的填报日期“{shown}”无法识别（应如2024年1月15日），未导入")
            return None
        try:
            return parse_date(match.group(0), "填报日期")
        except ParseError as exc:
            self.problem(ERROR, row, col, str(exc))
            return None


_PREPARER_LABELS = ("填表人", "填报人", "制表人")
_FOOTER_KEYS = {
    **dict.fromkeys(_PREPARER_LABELS, "preparer"),
    **dict.fromkeys(("填报日期", "填表日期"), "fill_date"),
    **dict.fromkeys(("联系电话", "电话"), "phone"),
    **dict.fromkeys(("单位负责人签字", "单位负责人(签字)", "单位负责人", "负责人签字", "负责人"), "head"),
}
_FOOTER_STARTS = (*_PREPARER_LABELS, "填报日期", "填表日期", "联系电话", "单位负责人")
# Longest first, so that "联系电话" is not read as "联系" + "电话".
_FOOTER_LABEL = re.compile(
    "(" + "|".join(re.escape(k) for k in sorted(_FOOTER_KEYS, key=len, reverse=True)) + ")"
)
# A date in one of the forms parse_date reads (2024年1月15日, 2024.1.15, 2024-1-15, 2024/1/15, 20240115)
# within the text after 填报日期 ("2024年1月15日（盖章）").
_DATE_IN_TEXT = re.compile(r"\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?|\d{8}", re.ASCII)


# At most 3 ASCII digits: "(30分)"; anything longer is not a weight (and would overflow the score column).
_LEVEL1 = re.compile(r"^(.*?)[(（]\s*(\d{1,3}(?:\.\d{1,2})?)\s*分\s*[)）]\s*$", re.ASCII)


def split_level1(text: str) -> tuple[str, Decimal | None]:
    """ "产出指标\\n(30分)" → ("产出指标", 30)."""
    clean = norm(text)
    match = _LEVEL1.match(clean)
    if match:
        return match.group(1), Decimal(match.group(2))
    return clean, None


# -- the three kinds of table ------------------------------------------------------------------------------


def _read_department(grid: Grid, problems: list[Problem], level1: tuple[str, ...]) -> ReadDepartment:
    r = _Reader(grid, problems)
    read = ReadDepartment(grid.title)
    at = grid.find(lambda t: t.startswith("预算部门名称") or t == "预算部门")
    if at:
        nxt = grid.after(*at)
        read.unit_name = nxt[1] if nxt else ""
    header, total = r.funds_total()
    if total is not None:
        read.funds, read.execution_score, _cell = total
    labels = {
        **{key: INCOME_LABELS[key] for key in INCOME_FIELDS},
        "basic": "基本支出",
        "personnel": "人员经费",
        "public": "公用经费",
        "projects": "项目支出",
    }
    goals_at = grid.find(lambda t: t == "预期目标")
    stop = goals_at[0] if goals_at else None
    start = header[0] if header else 0
    for key, label in labels.items():
        value, cell = _labelled_amount(r, label, start, stop)
        if key in INCOME_FIELDS:
            read.income[key] = value
        elif key == "projects":
            read.projects, read.projects_cell = value, cell
        else:
            setattr(read, key, value)
    read.goal_expected, read.goal_actual = r.goals()
    read.indicators = r.indicators(level1)
    return read


def _labelled_amount(r: _Reader, label: str, start: int, stop: int | None) -> tuple[Decimal | None, str]:
    """An amount given beside its label, in the same cell ("一般公共预算：885.94") or the next one."""
    grid = r.grid
    target = norm(label)
    at = grid.find(lambda t: t.removeprefix("其中:").removeprefix("其中").startswith(target), start, stop)
    if at is None:
        return None, ""
    row, col = at
    text = norm(grid.text(row, col))
    rest = text.split(target, 1)[1].lstrip(":").strip()
    if rest:
        if not looks_numeric(rest):
            r.problem(ERROR, row, col, f"{label}的金额“{rest}”不是数字")
            return None, _coord(row, col)
        try:
            value = read_number(rest, label)
        except ParseError as exc:
            r.problem(ERROR, row, col, str(exc))
            return None, _coord(row, col)
        return value, _coord(row, col)  # type: ignore[return-value]
    nxt = grid.after(row, col)
    if nxt is None:
        return None, _coord(row, col)
    if not looks_numeric(grid.values.get((row, nxt[0]))):
        # The next cell is another label (the 按支出性质分 column): no amount for this one.
        return None, _coord(row, col)
    return r.number(row, nxt[0], label), _coord(row, nxt[0])


def _read_project(grid: Grid, problems: list[Problem], level1: tuple[str, ...]) -> ReadProject:
    r = _Reader(grid, problems)
    read = ReadProject(grid.title)
    at = grid.find(lambda t: t.startswith("项目支出名称") or t == "项目名称")
    if at is None:
        r.problem(ERROR, 0, 0, "没有找到“项目支出名称”")
    else:
        nxt = grid.after(*at)
        read.name = r.text_within(at[0], nxt[0], nxt[1].strip(), "项目支出名称", 200) if nxt else ""
        if not read.name and not r.problems_at(at[0]):
            r.problem(ERROR, *at, "项目支出名称为空")
    for key, label in (("supervisor", "主管部门"), ("implementer", "实施单位")):
        found = grid.find(lambda t, lb=label: t == lb)
        if found:
            nxt = grid.after(*found)
            text = nxt[1].strip() if nxt and norm(nxt[1]) not in ("实施单位", "主管部门") else ""
            setattr(read, key, r.text_within(found[0], nxt[0], text, label, 200) if nxt else "")
    header, total = r.funds_total()
    if total is not None:
        read.total, _score, read.total_cell = total
    if header is not None:
        for key, label in (("current", "当年财政拨款"), ("carry", "上年结转资金"), ("other", "其他资金")):
            found = r.funds_row(
                lambda t, lb=label: t.removeprefix("其中:").removeprefix("其中").startswith(lb), header, label
            )
            if found is not None:
                read.sources[key] = found[0]
    read.goal_expected, read.goal_actual = r.goals()
    read.indicators = r.indicators(level1)
    return read


_CONTROL_CODES = {
    "三公经费": "three_public",
    "“三公”经费": "three_public",
    '"三公"经费': "three_public",
    "公务用车购置和维护经费": "car",
    "公车购置": "car_purchase",
    "公车运行维护": "car_running",
    "出国经费": "abroad",
    "公务接待": "reception",
    "项目支出": "projects",
    "公用经费": "public",
    "办公经费": "office",
    "水费、电费、差旅费": "utilities",
    "会议费、培训费": "meetings",
    "政府采购金额": "procurement",
    "部门基本支出预算调整": "basic_adjust",
}
_NUMBERING = re.compile(r"^(?:其中[:：]?)?(?:\d+[、.．]|[(（]\d+[)）])?")


def control_label_code(label: str) -> tuple[str, str]:
    """("code", clean label) for a 经费控制情况 label; ("", clean) when it is not a known row."""
    clean = _NUMBERING.sub("", norm(label)).rstrip(":：")
    clean = re.sub(r"[(（]一个专项一行[)）]", "", clean)
    for kind in PROJECT_KINDS:
        if clean == kind:
            return kind_code(kind), clean
    return _CONTROL_CODES.get(clean, ""), clean


def _read_base(grid: Grid, problems: list[Problem]) -> ReadBase:
    r = _Reader(grid, problems)
    read = ReadBase(grid.title)
    at = grid.find(lambda t: t == "编制数")
    if at:
        values_row = next((row for row in grid.rows if row > at[0]), None)
        if values_row is not None:
            quota = r.value_near(values_row, at[1], at[1] + 3)
            if quota is not None:
                read.staff_quota = r.count(values_row, quota, "编制数")
            actual_at = grid.find(lambda t: "在职" in t, start=at[0], stop=at[0] + 1)
            if actual_at:
                col = r.value_near(values_row, actual_at[1], actual_at[1] + 3)
                if col is not None:
                    read.staff_actual = r.count(values_row, col, "在职人数")
    head = grid.find(lambda t: t.startswith("经费控制情况"))
    if head is None:
        r.problem(ERROR, 0, 0, "没有找到“经费控制情况”")
        return read
    head_row = head[0]
    value_cols = [c for c, _v in grid.row_cells(head_row) if c > head[1]][:3]
    if len(value_cols) < 3:
        r.problem(ERROR, head_row, head[1], "经费控制情况的表头应有上年决算数、本年预算数、本年决算数三列")
        return read
    kind = ""
    for row in grid.rows:
        if row <= head_row:
            continue
        cells = grid.row_cells(row)
        if not cells:
            continue
        label_col, _ = cells[0]
        if label_col >= value_cols[0]:
            continue
        label = grid.text(row, label_col)
        if norm(label).startswith("楼堂馆所"):
            break
        code, clean = control_label_code(label)
        values = []
        coords = []
        for i, col in enumerate(value_cols):
            limit = value_cols[i + 1] if i + 1 < len(value_cols) else col + 2
            at_col = r.value_near(row, col, limit)
            values.append(r.number(row, at_col, clean) if at_col is not None else None)
            coords.append(_coord(row, at_col or col))
        if code.startswith("kind:"):
            kind = code.removeprefix("kind:")
        elif not code:
            if kind == "县级专项资金" and clean:
                if not r.text_within(row, label_col, label.strip(), "项目名称", 200):
                    continue
                code = project_code(label.strip())
            else:
                r.problem(WARNING, row, label_col, f"无法识别的行“{clean}”，未导入")
                continue
        else:
            kind = "" if code in ("public", "procurement", "basic_adjust", "three_public") else kind
        read.rows.append(ReadControlRow(code, clean, tuple(values), tuple(coords), kind))  # type: ignore[arg-type]
    read.buildings = _read_buildings(r)
    thrift = grid.find(lambda t: t.startswith("厉行节约"))
    if thrift:
        nxt = grid.after(*thrift)
        read.thrift_measures = nxt[1].strip() if nxt else ""
    return read


_BUILDING_LABELS = {
    "approved_area": "批复规模",
    "actual_area": "实际规模",
    "budget_investment": "预算投资",
    "actual_investment": "实际投资",
}


def _read_buildings(r: _Reader) -> list[Building]:
    grid = r.grid
    at = grid.find(lambda t: t.startswith("批复规模"))
    if at is None:
        return []
    head_row = at[0]
    keys = {
        "approved_area": ("批复规模",),
        "actual_area": ("实际规模",),
        "budget_investment": ("预算投资",),
        "actual_investment": ("实际投资",),
    }
    columns = r.header_columns(head_row, keys)
    label_col = min((c for c, _ in grid.row_cells(head_row)), default=1)
    buildings = []
    for row in grid.rows:
        if row <= head_row:
            continue
        first = grid.row_cells(row)
        if not first:
            continue
        text = norm(grid.text(row, first[0][0]))
        if text.startswith("厉行节约") or text.startswith("说明") or text.startswith("填表人"):
            break
        name = grid.text(row, label_col) if first[0][0] == label_col else ""
        values = {
            k: r.number(row, c, _BUILDING_LABELS[k]) if (row, c) in grid.values else None
            for k, c in columns.items()
        }
        if norm(name) in ("", "无") and not any(values.values()):
            continue
        name = r.text_within(row, label_col, name, "楼堂馆所项目名称", 200)
        buildings.append(Building(name=name if norm(name) != "无" else "", **values))
    return buildings


def table_kind(grid: Grid) -> str:
    """ "department", "project", "base" or "" for a sheet we cannot read."""
    texts = [norm(grid.text(r, c)) for r in grid.rows[:6] for c, _ in grid.row_cells(r)]
    joined = "".join(texts)
    if "基础数据表" in joined or grid.find(lambda t: t.startswith("经费控制情况")):
        return "base"
    if "项目支出绩效自评表" in joined or grid.find(lambda t: t.startswith("项目支出名称")):
        return "project"
    if "部门整体支出绩效自评表" in joined or grid.find(lambda t: t.startswith("预算部门名称")):
        return "department"
    return ""


_TITLE_YEAR = re.compile(r"(\d{4})年度", re.ASCII)
_YEAR_CELL = re.compile(r"(?:所属|填报)?年度:?(\d{4})年?度?", re.ASCII)
_YEAR_LABELS = ("年度", "所属年度", "填报年度")
_YEAR_VALUE = re.compile(r"(\d{4})(?:年度?)?", re.ASCII)


def table_year(grid: Grid) -> int | None:
    """The year a table says it is for, from its first rows: "2024年度…表" in the title, or a
    年度 cell ("年度：2024", or "年度" beside "2024"); None when it does not say."""
    for row in grid.rows[:6]:
        for col, _value in grid.row_cells(row):
            text = norm(grid.text(row, col))
            match = _TITLE_YEAR.search(text) if "表" in text else _YEAR_CELL.fullmatch(text)
            if match is None and text.rstrip(":") in _YEAR_LABELS:
                nxt = grid.after(row, col)
                match = _YEAR_VALUE.fullmatch(norm(nxt[1])) if nxt else None
            if match is not None and 1949 <= int(match.group(1)) <= 2100:
                return int(match.group(1))
    return None


def read_workbook(path: Path, level1: tuple[str, ...] = ()) -> ImportResult:
    """Read every sheet of `path` that is one of our tables. Never raises for a bad cell or file:
    what cannot be read is in `problems`. A sheet past MAX_ROWS rows or MAX_COLUMNS columns refuses
    the whole file before anything is read from it."""
    result = ImportResult(Path(path))
    try:
        scans, recalc = scan_workbook(path)
        book = open_values(path)
    except UnreadableWorkbook as exc:
        result.problems.append(Problem(ERROR, Path(path).name, "", str(exc)))
        return result
    try:
        for number, (ws, scan) in enumerate(zip(book.worksheets, scans, strict=True), 1):
            try:
                grid = Grid(ws, scan.formulas, recalc, number)
            except Exception as exc:  # a damaged part of the file (openpyxl's errors are of many kinds)
                result.problems.append(Problem(ERROR, ws.title, "", f"该表已损坏，无法读取：{exc}", number))
                continue
            if not grid.values:
                continue
            _read_sheet(grid, result, level1)
    finally:
        book.close()
    if not result.found() and not result.has_errors:
        result.problems.append(
            Problem(
                ERROR,
                Path(path).name,
                "",
                "没有找到可导入的表格（部门整体支出绩效自评表、项目支出绩效自评表或基础数据表）",
            )
        )
    return result


def _read_sheet(grid: Grid, result: ImportResult, level1: tuple[str, ...]) -> None:
    def note(level: str, message: str) -> None:
        result.problems.append(Problem(level, grid.title, "", message, grid.number))

    kind = table_kind(grid)
    table: ReadBase | ReadDepartment | ReadProject
    if kind == "base":
        if result.base is not None:
            note(WARNING, "文件中有多张基础数据表，只导入第一张")
            return
        table = result.base = _read_base(grid, result.problems)
    elif kind == "department":
        if result.department is not None:
            note(WARNING, "文件中有多张部门整体支出绩效自评表，只导入第一张")
            return
        table = result.department = _read_department(grid, result.problems, level1)
    elif kind == "project":
        table = _read_project(grid, result.problems, level1)
        if table.name and any(p.name == table.name for p in result.projects):
            note(ERROR, f"项目“{table.name}”在文件中出现了两次")
        result.projects.append(table)
    else:
        note(WARNING, "不是可识别的预算绩效表格，已跳过")
        return
    table.year = table_year(grid)
    table.footer = _Reader(grid, result.problems).footer()
    if isinstance(table, ReadDepartment):
        table.fill_date = table.footer.fill_date


def read_workbooks(paths: list[Path], level1: tuple[str, ...] = ()) -> ImportResult:
    """Several files read as one import (e.g. the 附件 of one year). With more than one file,
    sheets are named "file › sheet" in every problem."""
    merged = ImportResult(paths[0] if paths else Path())
    for path in paths:
        one = read_workbook(path, level1)
        prefix = f"{Path(path).name} › " if len(paths) > 1 else ""
        merged.problems += [
            Problem(p.level, _prefixed(prefix, p.sheet, path), p.cell, p.message, p.sheet_no)
            for p in one.problems
        ]
        for table in (one.base, one.department, *one.projects):
            if table is not None:
                table.sheet = prefix + table.sheet
        for attr in ("base", "department"):
            table = getattr(one, attr)
            if table is None:
                continue
            if getattr(merged, attr) is not None:
                merged.problems.append(Problem(WARNING, table.sheet, "", "重复的表格，已跳过"))
            else:
                setattr(merged, attr, table)
        for project in one.projects:
            if project.name and any(p.name == project.name for p in merged.projects):
                merged.problems.append(
                    Problem(ERROR, project.sheet, "", f"项目“{project.name}”在多个文件中出现")
                )
            merged.projects.append(project)
    return merged


def _prefixed(prefix: str, sheet: str, path: Path) -> str:
    """A problem's sheet with its file in front (a whole-file problem is named by the file already)."""
    return sheet if not prefix or sheet == Path(path).name else prefix + sheet
