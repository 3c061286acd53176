"""The shapes the ledger importer's parts share: a file's sheets as read, the fields of a kind, a
source row with its problems, the options of one import, and the counts an import reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

MAX_ROWS_PER_SHEET = 20_000
MAX_ROWS_PER_FILE = 100_000
MAX_COLUMNS = 60


@dataclass
class RawSheet:
    """One sheet as read: `rows[r][c]` is the value of row r+1, column c+1 (str, int, float, date,
    datetime, bool or None; a merged range's value fills every cell of the range); `uncomputed`
    holds the 1-based (row, column) of formula cells whose result the file does not hold."""

    title: str
    rows: list[list[Any]]
    uncomputed: frozenset[tuple[int, int]] = frozenset()


@dataclass
class LedgerFile:
    name: str  # the file name without folder: a title may be there ("2024年隐患台账.xlsx")
    sheets: list[RawSheet]


@dataclass(frozen=True)
class FieldSpec:
    """A field a column can map to. `synonyms` are header texts that mean it (the label included);
    `required` fields must be mapped (or given by an option) for the import to run."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class ColumnMatch:
    """Column `column` (1-based) with header text `header` maps to `field` (None: ignored) with
    `confidence` 0–100 (100 exact synonym; 0 set by the user or unmatched)."""

    column: int
    header: str
    field: str | None
    confidence: int


@dataclass(frozen=True)
class HeaderGuess:
    first_row: int  # 1-based, inclusive
    last_row: int
    title: str  # the text above the header rows (the sheet's title), joined by " "


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """Something wrong with one row (or one cell): "工作表 第N行 第X列（列名）：message"."""

    sheet: str
    row: int
    message: str
    column: int | None = None
    header: str = ""

    def text(self) -> str:
        where = f"{self.sheet} 第{self.row}行"
        if self.column is not None:
            where += f" 第{column_letter(self.column)}列"
            if self.header:
                where += f"（{self.header}）"
        return f"{where}：{self.message}"


@dataclass
class SourceRow:
    """One data row of a sheet: the raw value of every mapped field, and where each came from."""

    sheet: str
    row: int  # 1-based row number in the sheet
    cells: dict[str, Any]  # field key → raw value (None for blank)
    columns: dict[str, tuple[int, str]]  # field key → (column, header text)
    uncomputed: frozenset[str] = frozenset()  # field keys whose cell is a formula with no cached value
    title_year: int | None = None  # the year the sheet title or file name names, if any
    title: str = ""  # the sheet's title text (above the header rows)

    def problem(self, key: str | None, message: str) -> Problem:
        if key is not None and key in self.columns:
            column, header = self.columns[key]
            return Problem(self.sheet, self.row, message, column, header)
        return Problem(self.sheet, self.row, message)


@dataclass
class ParsedRow:
    """A source row read into typed `values` (field key → value, keys as the kind defines them),
    with its problems (the row cannot be imported) and notes (it can, but the clerk should know).
    `shown` is what the preview shows per field. `duplicate_of` is the id of the record already
    present that this row repeats (set by the kind's find_duplicates); `excluded` rows are left out."""

    source: SourceRow
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)
    duplicate_of: int | None = None
    excluded: bool = False
    heading: str = ""  # a heading row (a 方面 title across the width), not a record: its text

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportOptions:
    """What the user chose (wizard) or gave (command line)."""

    year: int  # the working year: the year of dates written without one ("3月12日")
    sheets: list[str] | None = None  # None: every sheet with a header the kind recognises
    header_rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet → (first, last)
    columns: dict[str, dict[int, str | None]] = field(default_factory=dict)  # sheet → column → field
    value_maps: dict[str, dict[str, str]] = field(default_factory=dict)  # field → raw text → value
    inspection: str = ""  # the 巡察 of an 整改 ledger that does not name it
    inspectors: str = ""  # the inspectors of a 隐患 ledger that does not name them
    strict_values: bool = False  # a value missing from a pick-list is a row problem, not a new entry
    force_year: bool = False  # import although the file's title names another year
    excluded_rows: set[tuple[str, int]] = field(default_factory=set)  # (sheet, row) left out
    mapping: dict[str, Any] | None = None  # a --mapping file's content (plan.read_mapping_file)


@dataclass
class Counts:
    """What an import did (or, planned, would do), per kind of record: label → number."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    added_values: dict[str, list[str]] = field(default_factory=dict)  # list label → new entries
    # rows written with a note worth counting ("超期办结" 3): the kind's label → number
    flagged: dict[str, int] = field(default_factory=dict)

    def add(self, which: str, label: str, number: int = 1) -> None:
        target = getattr(self, which)
        target[label] = target.get(label, 0) + number

    def lines(self) -> list[str]:
        def join(counts: dict[str, int]) -> str:
            return "、".join(f"{label} {n}" for label, n in counts.items() if n) or "无"

        lines = [f"新建：{join(self.created)}", f"更新：{join(self.updated)}", f"跳过：{join(self.skipped)}"]
        for label, names in self.added_values.items():
            if names:
                lines.append(f"已加入{label}列表：{'、'.join(names)}")
        if any(self.flagged.values()):
            lines.append(f"其中：{join(self.flagged)}")
        return lines


ON_DUPLICATE = ("skip", "update", "reject")


class KindContext(Protocol):
    """What a kind loaded once per import (lists, existing records) to parse and write its rows."""


class LedgerKind(Protocol):
    """One kind of ledger (kinds/*.py each define KIND, an object with these members)."""

    key: str  # projects / hazards / documents / petitions / rectification
    label: str  # 工程项目清单 …
    record_label: str  # what one row becomes: 项目, 隐患, 执法文书, 信访事项, 整改问题
    fields: tuple[FieldSpec, ...]

    def prepare(self, session: Any, unit_id: int, options: ImportOptions, file_name: str) -> Any:
        """Load what parsing and writing need (pick-lists, existing projects, duplicate keys)."""

    def needs(self, mapped: set[str], options: ImportOptions, title: str, file_name: str) -> list[str]:
        """What the file as a whole lacks and no option gives (Chinese messages; the import cannot
        run): e.g. the 巡察 of an 整改 ledger named neither by a column, the title, the file name
        nor `options.inspection`. `mapped` holds the field keys some column maps to."""

    def parse(self, row: SourceRow, ctx: Any, options: ImportOptions) -> ParsedRow:
        """Read one row: typed values, problems, notes, shown texts. Never raises for bad data."""

    def find_duplicates(self, session: Any, ctx: Any, rows: list[ParsedRow]) -> None:
        """Set `duplicate_of` on rows whose record is already present."""

    def pending_additions(self, ctx: Any, rows: list[ParsedRow]) -> dict[str, list[str]]:
        """What writing would add to pick-lists or create beside the records (new projects,
        new channels …): list label → names, for the plan's summary and confirmation."""

    def write(
        self, session: Any, unit_id: int, ctx: Any, rows: list[ParsedRow], on_duplicate: str, recorder: Any
    ) -> Counts:
        """Write the rows (problems-free, not excluded) in `session` (the caller commits);
        every record created or updated is told to `recorder` (batches.BatchRecorder)."""


def plain_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
