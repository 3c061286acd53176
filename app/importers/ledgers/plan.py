"""The ledger import pipeline: a plan (read the file, find each sheet's header, map its columns,
read every row, find the duplicates) that writes nothing, then `apply_plan`, which writes it in one
transaction as one batch.

    plan = plan_import(db, unit_id, "hazards", path, ImportOptions(year=2024))
    plan.blockers("skip")            # what stops the import: missing fields, row problems …
    result = apply_plan(db, unit_id, plan, "skip")

The plan keeps the file as read: changing an option (a column's field, the header rows, a value
map, an excluded row) is `replan(db, unit_id, plan, options)`, without reading the file again.
`apply_plan` reads every row again in its own transaction (from the file as read, not the disk), so
a record saved elsewhere since the plan was made is seen (as a duplicate) and never doubled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app import oplog
from app.db import Database
from app.errors import UserError
from app.importers.ledgers import batches, headers
from app.importers.ledgers.files import read_ledger_file
from app.importers.ledgers.kinds import KIND_LABELS, ledger_kind
from app.importers.ledgers.model import (
    ColumnMatch,
    Counts,
    HeaderGuess,
    ImportOptions,
    LedgerFile,
    LedgerKind,
    ParsedRow,
    RawSheet,
    SourceRow,
    column_letter,
)
from app.importers.ledgers.values import year_in
from app.services.parsing import tidy_number_text

UNCOMPUTED = "公式未计算，请在 WPS 中打开并保存后再导入"
# How many problems the command line and the summary list before "等 N 处".
SHOWN_PROBLEMS = 200


class ImportRefused(UserError):
    """The plan cannot be written; `reasons` are the Chinese lines to show."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("；".join(reasons[:5]) + (f"等 {len(reasons)} 项" if len(reasons) > 5 else ""))
        self.reasons = reasons


@dataclass
class SheetPlan:
    title: str
    header: HeaderGuess | None  # None: no header found (the sheet is left out)
    headers: list[str]  # one text per column, 1-based column = index + 1
    matches: list[ColumnMatch]
    signature: str
    remembered: bool  # the mapping came from an earlier import of a file with this layout
    title_year: int | None
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: int = 0  # blank, 合计/小计 and repeated header rows

    @property
    def mapped(self) -> dict[str, ColumnMatch]:
        return {m.field: m for m in self.matches if m.field}

    def mapping_lines(self, kind: LedgerKind) -> list[str]:
        labels = {f.key: f.label for f in kind.fields}
        lines = []
        for m in self.matches:
            target = labels.get(m.field, m.field) if m.field else "（不导入）"
            sure = f"（匹配度 {m.confidence}%）" if m.field and m.confidence else ""
            lines.append(f"  {column_letter(m.column)}列“{m.header}” → {target}{sure}")
        return lines


@dataclass
class LedgerPlan:
    kind: LedgerKind
    path: Path
    options: ImportOptions
    file: LedgerFile
    sheets: list[SheetPlan]
    needs: list[str]
    year_mismatch: str
    additions: dict[str, list[str]]
    left_out: dict[str, str] = field(default_factory=dict)  # sheet → why it is not imported

    @property
    def file_name(self) -> str:
        return self.file.name

    @property
    def sheet_titles(self) -> list[str]:
        return [s.title for s in self.file.sheets]

    @property
    def rows(self) -> list[ParsedRow]:
        return [row for sheet in self.sheets for row in sheet.rows]

    @property
    def records(self) -> list[ParsedRow]:
        """The rows that are records (not headings) and not excluded."""
        return [row for row in self.rows if not row.heading and not row.excluded]

    @property
    def problems(self) -> list:
        return [p for row in self.records for p in row.problems]

    @property
    def duplicates(self) -> list[ParsedRow]:
        return [row for row in self.records if row.duplicate_of is not None]

    def blockers(self, on_duplicate: str) -> list[str]:
        """Why the plan cannot be written as it stands (empty: it can)."""
        reasons = list(self.needs)
        if self.year_mismatch and not self.options.force_year:
            reasons.append(self.year_mismatch)
        if not self.sheets:
            reasons.append(f"文件中没有可识别为{self.kind.label}的工作表（未找到表头）")
        elif not self.records and not self.needs:
            reasons.append("没有可导入的数据行")
        reasons += [p.text() for p in self.problems]
        if on_duplicate == "reject" and self.duplicates:
            reasons.append(
                f"有 {len(self.duplicates)} 行与已有的{self.kind.record_label}重复（--on-duplicate reject）"
            )
        return reasons

    def mapping(self) -> dict[str, Any]:
        """The mapping used, as the --mapping file and the remembered layouts store it."""
        return {
            "kind": self.kind.key,
            "sheets": {
                s.title: {
                    "header_rows": [s.header.first_row, s.header.last_row] if s.header else None,
                    "columns": {column_letter(m.column): m.field for m in s.matches},
                }
                for s in self.sheets
            },
            "values": self.options.value_maps,
        }


@dataclass
class ApplyResult:
    batch_id: int
    counts: Counts
    notes: list[str]


def _title_year(title: str, file_name: str) -> int | None:
    return year_in(title) or year_in(Path(file_name).stem)


def _column_number(key: str | int) -> int | None:
    """A column given as 1-based number or as letters ("C"); None for anything else (a header text)."""
    if isinstance(key, int):
        return key
    text = str(key).strip().upper()
    if text.isdigit():
        return int(text)
    if not text or not (text.isascii() and text.isalpha()) or len(text) > 3:
        return None
    number = 0
    for char in text:
        number = number * 26 + ord(char) - 64
    return number


def _norm(text: str) -> str:
    return "".join(tidy_number_text(str(text)).split())


def read_mapping_file(path: Path) -> dict[str, Any]:
    """A --mapping file (what `plan.mapping()` gives, which the command line prints with
    --dry-run): {"sheets": {"<sheet, or * for every sheet>": {"header_rows": [3, 4], "columns":
    {"C": "found_on", "序号": null}}}, "values": {"status": {"OK": "已整改"}}}. Columns are named
    by letter, number or header text; a field of null leaves the column out."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UserError(f"无法读取对应关系文件“{path}”：{exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sheets", {}), dict):
        raise UserError(f"对应关系文件“{path}”的格式不对（应为 JSON 对象，见 --help）")
    return data


def _mapping_entry(mapping: dict[str, Any], sheet_title: str) -> dict[str, Any] | None:
    sheets = mapping.get("sheets") or {}
    entry = sheets.get(sheet_title) or sheets.get("*")
    if entry is None and len(sheets) == 1:
        entry = next(iter(sheets.values()))
    return entry if isinstance(entry, dict) else None


def _mapped_header_rows(mapping: dict[str, Any] | None, sheet_title: str) -> tuple[int, int] | None:
    entry = _mapping_entry(mapping or {}, sheet_title)
    rows = entry.get("header_rows") if entry else None
    if isinstance(rows, list) and len(rows) == 2 and all(isinstance(r, int) for r in rows):
        return rows[0], rows[1]
    return None


def _columns_from_mapping(
    mapping: dict[str, Any], sheet_title: str, texts: list[str], kind: LedgerKind
) -> dict[int, str | None]:
    entry = _mapping_entry(mapping, sheet_title)
    columns: dict[int, str | None] = {}
    if entry is None or not isinstance(entry.get("columns"), dict):
        return columns
    keys = {f.key for f in kind.fields}
    by_text = {_norm(text): i + 1 for i, text in enumerate(texts) if text}
    for key, target in entry["columns"].items():
        number = _column_number(key)
        if number is None:
            number = by_text.get(_norm(str(key)))
        if number is None or number > len(texts):
            raise UserError(f"对应关系中的列“{key}”在工作表“{sheet_title}”中不存在")
        if target and target not in keys:
            known = "、".join(f"{f.key}（{f.label}）" for f in kind.fields)
            raise UserError(f"对应关系中的字段“{target}”不是{kind.label}的字段（可用：{known}）")
        columns[number] = target or None
    return columns


def _merge_value_maps(options: ImportOptions, mapping: dict[str, Any]) -> None:
    values = mapping.get("values")
    if isinstance(values, dict):
        for key, table in values.items():
            if isinstance(table, dict):
                mine = options.value_maps.setdefault(key, {})
                for raw, value in table.items():
                    mine.setdefault(str(raw), str(value))


def _sheet_plan(
    kind: LedgerKind,
    sheet: RawSheet,
    file_name: str,
    options: ImportOptions,
    remembered: Callable[[str], dict | None],
) -> SheetPlan | None:
    rows_given = options.header_rows.get(sheet.title) or _mapped_header_rows(options.mapping, sheet.title)
    if rows_given is not None:
        first, last = rows_given
        if not (1 <= first <= last <= len(sheet.rows)):
            raise UserError(
                f"工作表“{sheet.title}”的表头行“{first}–{last}”超出了表格范围（共{len(sheet.rows)}行）"
            )
        above = [
            str(v).strip() for row in sheet.rows[: first - 1] for v in row if v is not None and str(v).strip()
        ]
        guess: HeaderGuess | None = HeaderGuess(first, last, " ".join(dict.fromkeys(above)))
    else:
        guess = headers.detect_header(sheet, kind.fields)
    if guess is None:
        return None
    texts = headers.header_texts(sheet, guess.first_row, guess.last_row)
    signature = headers.layout_signature(kind.key, texts)
    stored = None
    if sheet.title in options.columns:
        fixed = options.columns[sheet.title]
    elif options.mapping is not None:
        fixed = _columns_from_mapping(options.mapping, sheet.title, texts, kind)
        _merge_value_maps(options, options.mapping)
    else:
        stored = remembered(signature)
        fixed = {}
        if stored is not None:
            try:
                fixed = _columns_from_mapping(stored, sheet.title, texts, kind)
            except UserError:  # a layout remembered by an older version: map afresh
                stored, fixed = None, {}
            else:
                _merge_value_maps(options, stored)
    matches = headers.map_columns(texts, kind.fields, remembered=fixed or None)
    computed = {headers.normalise_header(text) for text in getattr(kind, "computed_headers", ())}
    matches = [
        replace(m, field=None, confidence=0)
        if m.field
        and m.confidence < headers.EXACT
        and m.column not in fixed
        and headers.normalise_header(m.header.split("/")[-1]) in computed
        else m
        for m in matches
    ]
    title_year = _title_year(guess.title, file_name)
    return SheetPlan(sheet.title, guess, texts, matches, signature, stored is not None, title_year)


def _source_rows(kind: LedgerKind, sheet: RawSheet, plan: SheetPlan) -> list[SourceRow]:
    assert plan.header is not None
    mapped = [(m.field, m.column, m.header) for m in plan.matches if m.field]
    columns = {key: (column, header) for key, column, header in mapped}
    rows: list[SourceRow] = []
    for number in range(plan.header.last_row + 1, len(sheet.rows) + 1):
        values = sheet.rows[number - 1]
        if headers.is_blank_row(values):
            continue
        if headers.is_subtotal_row(values) or headers.is_repeated_header(values, plan.headers):
            plan.skipped += 1
            continue
        cells = {key: (values[column - 1] if column <= len(values) else None) for key, column, _ in mapped}
        if all(_blank(v) for v in cells.values()):
            plan.skipped += 1  # a pre-numbered empty row: only its 序号, or only unmapped columns
            continue
        uncomputed = frozenset(key for key, column, _ in mapped if (number, column) in sheet.uncomputed)
        rows.append(
            SourceRow(
                sheet.title,
                number,
                cells,
                columns,
                uncomputed,
                plan.title_year,
                plan.header.title,
            )
        )
    return rows


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_rows(
    kind: LedgerKind, ctx: Any, options: ImportOptions, sources: list[SourceRow]
) -> list[ParsedRow]:
    parsed = []
    for source in sources:
        row = kind.parse(source, ctx, options)
        for key in source.uncomputed:
            if not any(p.column == source.columns[key][0] for p in row.problems):
                row.problems.append(source.problem(key, UNCOMPUTED))
        row.excluded = (source.sheet, source.row) in options.excluded_rows
        parsed.append(row)
    return parsed


_YEARLESS_DATE = re.compile(r"^\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?\s*$")


def _yearless_dates(sheet: SheetPlan) -> int:
    """Cells of the sheet's rows holding a date written without its year ("3月12日")."""
    return sum(
        1
        for row in sheet.rows
        for value in row.source.cells.values()
        if isinstance(value, str) and _YEARLESS_DATE.match(value)
    )


def _year_mismatch(sheets: list[SheetPlan], options: ImportOptions, file_name: str) -> str:
    """A title naming another year than the working year matters only where the year is needed:
    for dates written without one, which are read in the title's year. Records carry their own
    dates (a 2022 巡察's ledger is imported in 2023 as it is), so elsewhere it is no question."""
    other = sorted(
        {s.title_year for s in sheets if s.title_year not in (None, options.year) and _yearless_dates(s)}
    )
    if not other:
        return ""
    named = "、".join(f"{y}年" for y in other)
    return (
        f"文件“{file_name}”的标题为{named}，当前导入的工作年度为{options.year}年，"
        f"未写年份的日期（如“3月12日”）将按标题的{named}读取，请确认年度"
    )


def _build(
    session, unit_id: int, kind: LedgerKind, path: Path, file: LedgerFile, options: ImportOptions
) -> tuple[LedgerPlan, Any]:
    def remembered(signature: str) -> dict | None:
        return batches.remembered_mapping(session, unit_id, kind.key, signature)

    chosen = options.sheets
    if chosen is not None:
        unknown = [name for name in chosen if name not in {s.title for s in file.sheets}]
        if unknown:
            have = "、".join(s.title for s in file.sheets)
            raise UserError(f"文件中没有工作表“{'、'.join(unknown)}”（有：{have}）")
    sheet_plans: list[SheetPlan] = []
    raw_by_title: dict[str, RawSheet] = {}
    for sheet in file.sheets:
        if chosen is not None and sheet.title not in chosen:
            continue
        plan = _sheet_plan(kind, sheet, file.name, options, remembered)
        if plan is None:
            if chosen is not None:
                raise UserError(f"工作表“{sheet.title}”中找不到{kind.label}的表头，请指定表头所在的行")
            continue
        sheet_plans.append(plan)
        raw_by_title[sheet.title] = sheet
    left_out = {s.title: "未找到表头" for s in file.sheets if s.title not in raw_by_title}
    if chosen is None:
        # A summary sheet beside the ledger (整改进度: 方面, 问题数 …) has a header of the kind's
        # words but lacks what a record needs: left out when another sheet has it all.
        required = [spec for spec in kind.fields if spec.required]
        complete = [plan for plan in sheet_plans if all(spec.key in plan.mapped for spec in required)]
        if complete and len(complete) < len(sheet_plans):
            for plan in sheet_plans:
                if plan not in complete:
                    lacking = "、".join(spec.label for spec in required if spec.key not in plan.mapped)
                    left_out[plan.title] = f"没有“{lacking}”列"
            sheet_plans = complete
    if chosen is not None:
        left_out = {t: r for t, r in left_out.items() if t in chosen}
    mapped = {key for plan in sheet_plans for key in plan.mapped}
    title = " ".join(plan.header.title for plan in sheet_plans if plan.header)
    needs = list(kind.needs(mapped, options, title, file.name))
    for spec in kind.fields:
        if spec.required and sheet_plans and not all(spec.key in plan.mapped for plan in sheet_plans):
            missing = [plan.title for plan in sheet_plans if spec.key not in plan.mapped]
            needs.append(f"工作表“{'、'.join(missing)}”中没有对应“{spec.label}”的列，请在列对应中指定")
    ctx = kind.prepare(session, unit_id, options, file.name)
    if not needs:
        for plan in sheet_plans:
            plan.rows = _parse_rows(kind, ctx, options, _source_rows(kind, raw_by_title[plan.title], plan))
        records = [row for plan in sheet_plans for row in plan.rows if not row.heading and not row.excluded]
        kind.find_duplicates(session, ctx, [row for row in records if row.ok])
        # what the new records need: a repeated row (skipped, or updating its record) has it already
        additions = kind.pending_additions(
            ctx, [row for row in records if row.ok and row.duplicate_of is None]
        )
    else:
        additions = {}
    ledger = LedgerPlan(
        kind,
        path,
        options,
        file,
        sheet_plans,
        needs,
        _year_mismatch(sheet_plans, options, file.name),
        additions,
        left_out=left_out,
    )
    return ledger, ctx


def plan_import(db: Database, unit_id: int, kind_key: str, path: Path, options: ImportOptions) -> LedgerPlan:
    """Read `path` and plan its import; nothing is written. Raises UserError when the file cannot
    be read at all (files.LedgerFileError) or an option names a sheet the file lacks."""
    kind = ledger_kind(kind_key)
    file = read_ledger_file(path)
    with db.session() as session:
        plan, _ = _build(session, unit_id, kind, path, file, options)
    return plan


def replan(db: Database, unit_id: int, plan: LedgerPlan, options: ImportOptions) -> LedgerPlan:
    """The plan again with other options (a column's field, header rows, value maps, exclusions)."""
    with db.session() as session:
        new, _ = _build(session, unit_id, plan.kind, plan.path, plan.file, options)
    return new


def with_options(plan: LedgerPlan, **changes: Any) -> ImportOptions:
    """A copy of the plan's options with `changes` (the wizard edits a copy, then replans)."""
    import copy

    return replace(copy.deepcopy(plan.options), **changes)


def apply_plan(
    db: Database,
    unit_id: int,
    plan: LedgerPlan,
    on_duplicate: str = "skip",
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    dry_run: bool = False,
) -> ApplyResult:
    """Write the plan as one batch, in one transaction; raises ImportRefused (nothing written) when
    it has blockers, now or as the data stands when writing. With `dry_run` everything is done and
    counted, then rolled back: the counts are exactly what the import would do."""
    from sqlalchemy.exc import IntegrityError

    try:
        return _apply(db, unit_id, plan, on_duplicate, progress, cancelled, dry_run)
    except _RolledBack as done:
        return done.result
    except IntegrityError as exc:
        # Another computer saved a record with the same number (信访编号 …) between the check and
        # the write (PostgreSQL): nothing was written, and planning again sees it as a duplicate.
        raise UserError(
            "导入时发现刚刚有其他人保存了相同的记录（如相同的信访编号），本次未写入任何数据。请重新导入。"
        ) from exc


class _RolledBack(Exception):
    def __init__(self, result: ApplyResult) -> None:
        self.result = result


def _apply(db, unit_id, plan, on_duplicate, progress, cancelled, dry_run) -> ApplyResult:
    reasons = plan.blockers(on_duplicate)
    if reasons:
        raise ImportRefused(reasons)
    say = progress or (lambda _d, _t, _s: None)
    stop = cancelled or (lambda: False)
    say(0, 3, "正在核对数据…")
    with db.transaction() as session:
        session.info[oplog.QUIET] = True  # the import is one line of the log, not one per row
        # Every row read again against the data as it stands in this transaction: what others
        # saved since the plan is seen (as a duplicate, a project that now exists), never doubled.
        fresh, ctx = _build(session, unit_id, plan.kind, plan.path, plan.file, plan.options)
        reasons = fresh.blockers(on_duplicate)
        if reasons:
            raise ImportRefused(reasons)
        if stop():
            raise ImportCancelled()
        say(1, 3, f"正在写入{len(fresh.records)}条{plan.kind.record_label}…")
        recorder = batches.start_batch(session, unit_id, plan.kind.key, plan.file_name, plan.options.year)
        rows = [row for row in fresh.records if row.ok]
        counts = plan.kind.write(session, unit_id, ctx, rows, on_duplicate, recorder)
        if stop():
            raise ImportCancelled()
        say(2, 3, "正在保存…")
        batch_id = batches.finish_batch(session, recorder, counts)
        notes = [f"{row.source.sheet} 第{row.source.row}行：{note}" for row in rows for note in row.notes]
        if dry_run:
            raise _RolledBack(ApplyResult(batch_id, counts, notes))
        for sheet in fresh.sheets:
            batches.remember_mapping(
                session, unit_id, plan.kind.key, sheet.signature, _remembered_entry(fresh, sheet)
            )
        oplog.record_in(session, oplog.IMPORT, import_line(plan, counts), unit_id)
    say(3, 3, "导入完成")
    return ApplyResult(batch_id, counts, notes)


class ImportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("已取消导入，未写入任何数据。")


def _remembered_entry(plan: LedgerPlan, sheet: SheetPlan) -> dict[str, Any]:
    return {
        "sheets": {
            "*": {
                "header_rows": [sheet.header.first_row, sheet.header.last_row] if sheet.header else None,
                "columns": {column_letter(m.column): m.field for m in sheet.matches},
            }
        },
        "values": plan.options.value_maps,
    }


def import_line(plan: LedgerPlan, counts: Counts) -> str:
    """The operation log's line: 信访事项登记台账“2023年台账.xlsx”（2023年度）：新建：信访事项 12；…"""
    return f"{plan.kind.label}“{plan.file_name}”（{plan.options.year}年度）：{'；'.join(counts.lines())}"


def kind_label(key: str) -> str:
    return KIND_LABELS.get(key, key)
