"""信访 exports: 信访事项登记台账 and 信访情况统计表 (.xlsx).

Personal data (信访人, 联系电话, 身份证号, and phones/ID numbers typed into free text) is masked
unless `unmask` is asked for explicitly, and then only in the register; the statistics hold none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.contributions import ExportContext
from app.db import Database
from app.exports.atomic import safe_filename
from app.exports.registers_common import (
    LedgerColumn,
    add_ledger_formats,
    print_landscape,
    write_ledger,
    write_single_file,
)
from app.exports.xlsx import XlsxBook, XlsxSheet
from app.models.registers import Petition
from app.models.unit import Unit
from app.services.privacy import mask_id_number, mask_name, mask_phone, mask_text
from app.services.registers import petitions as pt
from app.services.registers.common import (
    RegisterFilter,
    as_of_for_year,
    format_date_cn,
    year_bounds,
)
from app.services.registers.petition_stats import (
    PetitionStats,
    StatRow,
    petition_stats,
    stat_table_rows,
)

UNMASK_OPTION = "unmask_personal_data"

LEDGER_COLUMNS = (
    LedgerColumn("序号", 4.5, "ledger_center"),
    LedgerColumn("编号", 11, "ledger_center"),
    LedgerColumn("收到日期", 9.5, "ledger_date"),
    LedgerColumn("渠道", 7.5, "ledger_center"),
    LedgerColumn("转办单位/交办来源", 11),
    LedgerColumn("信访人", 7.5, "ledger_center"),
    LedgerColumn("联系电话", 11, "ledger_center"),
    LedgerColumn("身份证号", 10.5, "ledger_center"),
    LedgerColumn("人数", 5, "ledger_center"),
    LedgerColumn("事项类别", 6.5, "ledger_center"),
    LedgerColumn("内容摘要", 22),
    LedgerColumn("承办科室", 8, "ledger_center"),
    LedgerColumn("包案领导", 6, "ledger_center"),
    LedgerColumn("受理日期", 9.5, "ledger_date"),
    LedgerColumn("办理期限", 9.5, "ledger_date"),
    LedgerColumn("办结日期", 9.5, "ledger_date"),
    LedgerColumn("办理结果/答复", 22),
    LedgerColumn("满意度", 5.5, "ledger_center"),
    LedgerColumn("状态", 7, "ledger_center"),
)
_NAMES = [f.name for f in fields(pt.PetitionData) if f.name != "id"]


def _petitions(session: Session, unit_id: int, flt: RegisterFilter, today: date) -> Iterator[pt.PetitionData]:
    query = (
        select(Petition.id, *(getattr(Petition, n) for n in _NAMES))
        .where(*pt.petition_conditions(unit_id, flt, today))
        .order_by(Petition.received_on, Petition.number)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(query):
        yield pt.PetitionData(id=row[0], **dict(zip(_NAMES, row[1:], strict=True)))


def _ledger_row(index: int, d: pt.PetitionData, today: date, unmask: bool) -> list:
    source = "；".join(part for part in (d.referred_by, d.assignment) if part)
    people = f"{d.people}" + ("\n集体访" if d.is_group_visit else "") + ("\n重复访" if d.repeat else "")
    on_time = pt.closed_on_time(d)
    due = pt.handling_due(d.accepted_on, d.extension_days, d.required_by)
    if on_time is None:
        timeliness = "已超期" if d.status in pt.OPEN_STATES and (pt.next_due(d) or today) < today else ""
    else:
        timeliness = "按期" if on_time else "超期"
    if d.extension_days:
        timeliness += f"（延期{d.extension_days}天）"
    name, phone, id_number = d.petitioner, d.phone, d.id_number
    summary, result = d.summary, d.result
    if not unmask:
        name, phone, id_number = mask_name(name), mask_phone(phone), mask_id_number(id_number)
        summary, result = mask_text(summary), mask_text(result)
    return [
        index,
        d.number,
        d.received_on,
        d.channel,
        source,
        name,
        phone,
        id_number,
        people,
        d.category,
        summary,
        d.department,
        d.leader,
        d.accepted_on,
        due,
        d.closed_on,
        result,
        d.satisfaction,
        f"{d.status}\n{timeliness}" if timeliness else d.status,
    ]


def write_petition_ledger(
    path: Path,
    session: Session,
    unit_id: int,
    flt: RegisterFilter,
    *,
    unmask: bool = False,
    today: date | None = None,
    title: str = "",
) -> int:
    """Write the register of the items `flt` selects; returns how many were written."""
    today = today or date.today()
    unit = session.get(Unit, unit_id)
    unit_name = unit.name if unit else ""
    period = ""
    if flt.start or flt.end:
        period = f"收到日期：{format_date_cn(flt.start, '—')}至{format_date_cn(flt.end, '—')}　"
    rows = [
        _ledger_row(i, d, today, unmask) for i, d in enumerate(_petitions(session, unit_id, flt, today), 1)
    ]
    privacy = "信访人完整信息（内部资料，注意保密）" if unmask else "信访人姓名、联系电话、身份证号已部分隐去"
    subtitle = f"填报单位：{unit_name}　{period}共{len(rows)}件　{privacy}　导出日期：{format_date_cn(today)}"
    status_col = len(LEDGER_COLUMNS) - 1

    def styles(_index: int, row: list) -> dict[int, str]:
        return {status_col: "ledger_overdue"} if "超期" in str(row[status_col]) else {}

    with XlsxBook(path) as book:
        sheet = book.sheet("信访事项登记台账")
        write_ledger(
            sheet, title or f"{unit_name}信访事项登记台账", subtitle, LEDGER_COLUMNS, rows, styles=styles
        )
    return len(rows)


# -- statistics --------------------------------------------------------------------------------


def write_petition_statistics(path: Path, session: Session, unit_id: int, stats: PetitionStats) -> None:
    from app.services.registers.common import format_change

    unit = session.get(Unit, unit_id)
    unit_name = unit.name if unit else ""
    with XlsxBook(path) as book:
        sheet = book.sheet("信访情况统计表", widths=[34, 12, 12, 12, 16])
        add_ledger_formats(sheet)
        book.add_format("stat_rate", {**_cell(), "align": "center", "num_format": "0.00%"})
        book.add_format("stat_int", {**_cell(), "align": "center", "num_format": "0"})
        book.add_format("stat_change", {**_cell(), "align": "center", "num_format": "+0;-0;0"})
        book.add_format("stat_pct", {**_cell(), "align": "center", "num_format": "+0.0%;-0.0%;0.0%"})
        book.add_format("stat_label", {**_cell(), "align": "left"})
        book.add_format("stat_section", {**_cell(), "align": "left", "bold": True, "bg_color": "#F7F9FB"})
        title_year = _period_title(stats.start, stats.end)
        sheet.write_title(0, 0, 4, f"{unit_name}{title_year}信访情况统计表")
        previous = stats.previous
        period = f"统计时段：{format_date_cn(stats.start)}至{format_date_cn(stats.end)}（按收到日期）"
        if previous:
            period += f"；上年同期：{format_date_cn(previous.start)}至{format_date_cn(previous.end)}"
        sheet.ws.merge_range(1, 0, 1, 4, period, sheet.fmt("ledger_subtitle"))
        sheet.ws.set_row(1, 30)
        for col, title in enumerate(("项目", "本期", "上年同期", "增减", "同比")):
            sheet.write(2, col, title, "ledger_header")
        r = 3
        section = ""
        placed: dict[str, list[tuple[int, StatRow]]] = {}  # section → its rows (for the charts)
        for item in stat_table_rows(stats):
            label, current, before, kind = item.label, item.current, item.previous, item.kind
            if kind == "section":
                sheet.ws.merge_range(r, 0, r, 4, label, sheet.fmt("stat_section"))
                section = label
                r += 1
                continue
            placed.setdefault(section, []).append((r, item))
            sheet.write(r, 0, label, "stat_label")
            style = "stat_rate" if kind == "rate" else "stat_int"
            sheet.write(r, 1, current, style)
            sheet.write(r, 2, before, style)
            if kind == "count" and isinstance(current, int) and isinstance(before, int):
                sheet.write(r, 3, item.change, "stat_change")
                sheet.write(r, 4, item.change_ratio, "stat_pct")
            else:
                sheet.write(r, 3, None, "stat_int")
                sheet.write(r, 4, None, "stat_int")
            r += 1
        notes = [
            "说明：1. 按渠道统计时，来信、来访、网上信访、信访局转办合并计为“信访”"
            "（统计口径可在信访登记的“编辑选项”中调整）。",
            "2. 交办件按交办来源另行统计，已包含在信访事项总数中。",
            "3. 办结率＝办结件数÷受理件数；按期办结率＝按期办结件数÷（办结件数＋超期未办结件数）；"
            "个访、重复访为5人以下来访，群访为5人及以上来访。",
        ]
        if previous:
            notes.append(f"4. 信访事项总数{format_change(stats.total, previous.total) or '无上年同期数据'}。")
        for note in notes:
            sheet.ws.merge_range(r, 0, r, 4, note, sheet.fmt("ledger_subtitle"))
            sheet.ws.set_row(r, 30)
            r += 1
        print_landscape(sheet, landscape=False, repeat_rows=(2, 2))
        _statistics_charts(book, sheet, stats, placed, title_year)


def _statistics_charts(
    book: XlsxBook,
    table: XlsxSheet,
    stats: PetitionStats,
    placed: dict[str, list[tuple[int, StatRow]]],
    title_year: str,
) -> None:
    """The sheet 图表: items by channel (统计口径) and by 事项类别, 本期 beside 上年同期, from the
    table's cells. The channel groups sit between their 其中 rows, so they are gathered on the
    chart sheet by formulas that point at the table."""
    from app.exports.xlsx_charts import CHART_SHEET, ChartSheet, Series

    series = [Series((2, 1), 1)] + ([Series((2, 2), 2)] if stats.previous else [])
    columns = [0, 1] + ([2] if stats.previous else [])
    charts = ChartSheet(book, f"{title_year}信访情况统计图", landscape=False)
    groups = {g.label for g in stats.by_group}
    channel_rows = [(r, item) for r, item in _section(placed, "按渠道") if item.label in groups]
    if channel_rows:
        gathered = charts.gather(
            table, [[(r, c, _chart_value(item, c)) for c in columns] for r, item in channel_rows]
        )
        charts.add(
            "按渠道（件）",
            table,
            categories=(*gathered, 0),
            series=series,
            data=CHART_SHEET,
            size=(640, 330),
        )
    category_rows = [r for r, _item in _section(placed, "按事项类别")]
    if category_rows:
        charts.add(
            "按事项类别（件）",
            table,
            categories=(category_rows[0], category_rows[-1], 0),
            series=series,
            at=(20, 0),
            size=(640, 380),
        )
    charts.finish()


def _section(placed: dict[str, list[tuple[int, StatRow]]], name: str) -> list[tuple[int, StatRow]]:
    return next((rows for section, rows in placed.items() if name in section), [])


def _chart_value(item: StatRow, col: int) -> object:
    return (item.label, item.current, item.previous)[col]


def _cell() -> dict:
    from app.exports.xlsx import SONG

    return {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": SONG, "font_size": 10}


def _period_title(start: date, end: date) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return f"{start.year}年"
    return f"{format_date_cn(start)}至{format_date_cn(end)}"


# -- the year package and the page --------------------------------------------------------------


def has_petitions(session: Session, unit_id: int, year: int) -> bool:
    start, end = year_bounds(year)
    return (
        session.scalar(
            select(Petition.id)
            .where(Petition.unit_id == unit_id, Petition.received_on >= start, Petition.received_on <= end)
            .limit(1)
        )
        is not None
    )


FOLDER = "信访"  # the folder in the year package, beside 预算绩效/ and 安全监督/


def _package_path(ctx: ExportContext, name: str) -> Path:
    folder = ctx.out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder / safe_filename(name)


def run_ledger(ctx: ExportContext) -> list[Path]:
    start, end = year_bounds(ctx.year)
    path = _package_path(ctx, f"{ctx.year}年信访事项登记台账.xlsx")
    with ctx.db.session() as session:
        unit = session.get(Unit, ctx.unit_id)
        title = f"{unit.name if unit else ''}{ctx.year}年信访事项登记台账"
        write_petition_ledger(
            path,
            session,
            ctx.unit_id,
            RegisterFilter(start=start, end=end),
            unmask=bool(ctx.options.get(UNMASK_OPTION)),
            today=as_of_for_year(ctx.year),
            title=title,
        )
    ctx.check_cancelled()
    return [path]


def run_statistics(ctx: ExportContext) -> list[Path]:
    start, end = year_bounds(ctx.year)
    path = _package_path(ctx, f"{ctx.year}年信访情况统计表.xlsx")
    with ctx.db.session() as session:
        stats = petition_stats(session, ctx.unit_id, start, end, as_of=as_of_for_year(ctx.year))
        write_petition_statistics(path, session, ctx.unit_id, stats)
    ctx.check_cancelled()
    return [path]


def export_ledger_file(
    db: Database, unit_id: int, flt: RegisterFilter, target: Path, *, unmask: bool = False, title: str = ""
) -> int:
    """The page's 导出台账: the items shown by the list's filter, to `target`."""
    count = 0

    def write(staged: Path) -> None:
        nonlocal count
        with db.session() as session:
            count = write_petition_ledger(staged, session, unit_id, flt, unmask=unmask, title=title)

    write_single_file(target, write)
    return count


def export_statistics_file(db: Database, unit_id: int, start: date, end: date, target: Path) -> None:
    def write(staged: Path) -> None:
        with db.session() as session:
            stats = petition_stats(session, unit_id, start, end)
            write_petition_statistics(staged, session, unit_id, stats)

    write_single_file(target, write)
