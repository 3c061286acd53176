"""The safety ledgers as Excel workbooks: 隐患排查治理台账, 工程项目清单, 执法文书登记表 and the
period statistics table (安全监督工作统计表). Each prints on A4 landscape, fit to the page width,
with the header row (the column headings) repeated on every page and "第 1 页，共 N 页" in the
footer; the header row is frozen and has an autofilter.

`write_*(db, unit_id, period, path, progress, cancel)` write one workbook; the registered
exporters call them for a year, and the GUI for any period (through `export_atomically`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.contributions import Cancelled, ExportContext, ProgressFn
from app.dates import cn_date
from app.db import Database
from app.errors import WriteFaultError, describe_os_error
from app.exports.atomic import move_into_place, safe_filename, staging_folder
from app.exports.xlsx import XlsxBook, XlsxSheet
from app.models.safety import (
    SafetyDocument,
    SafetyDocumentHazard,
    SafetyHazard,
    SafetyInspection,
    SafetyInspectionProject,
    SafetyProject,
    SafetyProjectStatus,
)
from app.models.unit import Unit
from app.services.safety.constants import FINISHED_STATUSES, RECTIFIED
from app.services.safety.inspections import is_overdue
from app.services.safety.periods import Period
from app.services.safety.stats import has_records, period_statistics, same_period_last_year
from app.services.safety.stats_table import RATE, TWO, StatRow, numbered_sections, statistics_rows

FOLDER = "安全监督"
HEADER_ROW = 2  # title, then the unit/period line, then the header


def _no_progress(_done: int, _total: int, _text: str) -> None:
    pass


def _unit_name(session: Session, unit_id: int) -> str:
    unit = session.get(Unit, unit_id)
    return unit.name if unit else ""


def _heading(sheet: XlsxSheet, last_col: int, title: str, unit_name: str, period: Period) -> None:
    sheet.write_title(0, 0, last_col, title)
    info = f"填报单位：{unit_name}    统计期间：{cn_date(period.start)}至{cn_date(period.end)}"
    sheet.ws.merge_range(
        1, 0, 1, last_col, info + f"    导出日期：{date.today():%Y-%m-%d}", sheet.fmt("subtitle")
    )
    sheet.ws.set_row(1, 20)


def _header(sheet: XlsxSheet, titles: list[str]) -> None:
    for col, title in enumerate(titles):
        sheet.write(HEADER_ROW, col, title, "header")
    sheet.ws.set_row(HEADER_ROW, 30)


def _finish(sheet: XlsxSheet, last_row: int, last_col: int) -> None:
    sheet.ws.freeze_panes(HEADER_ROW + 1, 0)
    sheet.ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), last_col)
    sheet.print_a4(landscape=True, repeat_rows=(HEADER_ROW, HEADER_ROW))


_NARROW = re.compile("[\x00-\u2e7f]+")  # what is not a CJK character (U+2E80 and above)


def _text_tenths(text: str) -> int:
    """Roughly how many tenths of a column-width unit a text takes in 10 pt 宋体: 18 for a CJK
    character, 10 for any other. Whole numbers, so a text that just fills its lines is not given
    one more by a rounding error; one regular-expression pass rather than a Python step per
    character (the ledger of a big year has millions of characters)."""
    return 10 * len(text) + 8 * len(_NARROW.sub("", text))


def _write_row(sheet: XlsxSheet, row: int, cells: list[tuple[object, str]], widths: list[float]) -> None:
    """Write one data row, tall enough for its wrapped text (LibreOffice and WPS do not grow rows
    themselves for files written by xlsxwriter)."""
    lines = 1
    for (value, _style), width in zip(cells, widths, strict=True):
        if isinstance(value, str) and value:
            lines = max(lines, -(-_text_tenths(value) // round(10 * max(width - 1, 1))))
    sheet.ws.set_row(row, max(18, 13.5 * lines + 4))
    for col, (value, style) in enumerate(cells):
        sheet.write(row, col, value, style)


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


# -- 隐患排查治理台账 ---------------------------------------------------------------------------------

HAZARD_COLUMNS = [
    ("序号", 6),
    ("项目名称", 26),
    ("检查日期", 11),
    ("检查类型", 16),
    ("隐患描述", 32),
    ("隐患类别", 9),
    ("等级", 6),
    ("整改措施", 30),
    ("责任单位/人", 16),
    ("整改期限", 11),
    ("整改完成日期", 11),
    ("复查人", 8),
    ("状态", 12),
]


def hazard_ledger_query(unit_id: int, period: Period):
    """Hazards found in the period, and those found earlier still open when it began (上期结转)."""
    carried = and_(
        SafetyHazard.found_on < period.start,
        or_(SafetyHazard.rectified_on.is_(None), SafetyHazard.rectified_on >= period.start),
    )
    return (
        select(
            SafetyProject.name,
            SafetyHazard.found_on,
            SafetyInspection.kind,
            SafetyInspection.campaign,
            SafetyHazard.description,
            SafetyHazard.category,
            SafetyHazard.level,
            SafetyHazard.measures,
            SafetyHazard.responsible,
            SafetyHazard.deadline,
            SafetyHazard.rectified_on,
            SafetyHazard.reviewer,
            SafetyHazard.status,
        )
        .join(SafetyProject, SafetyProject.id == SafetyHazard.project_id)
        .join(SafetyInspection, SafetyInspection.id == SafetyHazard.inspection_id)
        .where(
            SafetyHazard.unit_id == unit_id,
            SafetyHazard.found_on <= period.end,
            or_(SafetyHazard.found_on >= period.start, carried),
        )
        .order_by(SafetyHazard.found_on, SafetyHazard.id)
    )


def write_hazard_ledger(
    db: Database,
    unit_id: int,
    period: Period,
    path: Path,
    progress: ProgressFn = _no_progress,
    cancel: threading.Event | None = None,
    today: date | None = None,
) -> int:
    """Write the ledger; returns the number of hazards in it."""
    today = today or date.today()
    query = hazard_ledger_query(unit_id, period)
    with db.session() as session:
        unit_name = _unit_name(session, unit_id)
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        with XlsxBook(path, constant_memory=total > 20000) as book:
            sheet = book.sheet("隐患排查治理台账", [w for _t, w in HAZARD_COLUMNS])
            last_col = len(HAZARD_COLUMNS) - 1
            _heading(sheet, last_col, f"{period.label()}隐患排查治理台账", unit_name, period)
            _header(sheet, [t for t, _w in HAZARD_COLUMNS])
            row = HEADER_ROW
            result = session.execute(query.execution_options(yield_per=2000))
            for number, values in enumerate(result, start=1):
                if number % 1000 == 0:
                    _check(cancel)
                    progress(number, total, f"隐患排查治理台账：{number}/{total}")
                (
                    name,
                    found,
                    kind,
                    campaign,
                    text,
                    category,
                    level,
                    measures,
                    who,
                    deadline,
                    fixed,
                    reviewer,
                    status,
                ) = values
                row += 1
                overdue = is_overdue(status, deadline, today)
                late = status == RECTIFIED and fixed is not None and fixed > deadline
                status_text = f"{status}（逾期）" if overdue else ("已整改（超期）" if late else status)
                carried = found < period.start
                cells = [
                    (number, "int"),
                    (name, "text"),
                    (found, "date"),
                    (f"{kind}（{campaign}）" if campaign else kind, "text_center"),
                    (text + ("（上期结转）" if carried else ""), "text"),
                    (category, "text_center"),
                    (level, "overdue" if level == "重大" else "text_center"),
                    (measures, "text"),
                    (who, "text"),
                    (deadline, "date"),
                    (fixed, "date"),
                    (reviewer, "text_center"),
                    (status_text, "overdue" if overdue else "text_center"),
                ]
                _write_row(sheet, row, cells, [w for _t, w in HAZARD_COLUMNS])
            _finish(sheet, row, last_col)
    progress(total, total, "隐患排查治理台账已生成")
    return total


# -- 工程项目清单 -------------------------------------------------------------------------------------

PROJECT_COLUMNS = [
    ("序号", 6),
    ("项目名称", 28),
    ("工程类别", 11),
    ("建设地点", 12),
    ("建设单位", 19),
    ("施工单位", 19),
    ("监理单位", 19),
    ("建筑面积（m²）", 13),
    ("工程造价（万元）", 13),
    ("施工许可证号", 20),
    ("期末状态", 11),
    ("状态日期", 11),
    ("本期检查次数", 9),
    ("本期发现隐患", 9),
    ("期末未整改隐患", 9),
]


def supervised_project_ids(session: Session, unit_id: int, period: Period) -> dict[int, tuple[str, date]]:
    """Projects supervised in the period (the definition of stats.py), with the status in force
    at its end: {project id: (status, since)}."""
    rows = session.execute(
        select(SafetyProjectStatus.project_id, SafetyProjectStatus.since, SafetyProjectStatus.status)
        .join(SafetyProject, SafetyProject.id == SafetyProjectStatus.project_id)
        .where(SafetyProject.unit_id == unit_id, SafetyProjectStatus.since <= period.end)
        .order_by(SafetyProjectStatus.project_id, SafetyProjectStatus.since)
    )
    history: dict[int, list[tuple[date, str]]] = {}
    for project_id, since, status in rows:
        history.setdefault(project_id, []).append((since, status))
    result = {}
    for project_id, changes in history.items():
        before = [s for since, s in changes if since < period.start]
        if before and before[-1] in FINISHED_STATUSES:
            continue
        since, status = changes[-1]
        result[project_id] = (status, since)
    return result


def write_project_list(
    db: Database,
    unit_id: int,
    period: Period,
    path: Path,
    progress: ProgressFn = _no_progress,
    cancel: threading.Event | None = None,
) -> int:
    with db.session() as session:
        unit_name = _unit_name(session, unit_id)
        supervised = supervised_project_ids(session, unit_id, period)
        checks = dict(
            session.execute(
                select(SafetyInspectionProject.project_id, func.count())
                .join(SafetyInspection, SafetyInspection.id == SafetyInspectionProject.inspection_id)
                .where(
                    SafetyInspection.unit_id == unit_id,
                    SafetyInspection.checked_on.between(period.start, period.end),
                )
                .group_by(SafetyInspectionProject.project_id)
            ).all()
        )
        found = dict(
            session.execute(
                select(SafetyHazard.project_id, func.count())
                .where(
                    SafetyHazard.unit_id == unit_id, SafetyHazard.found_on.between(period.start, period.end)
                )
                .group_by(SafetyHazard.project_id)
            ).all()
        )
        still_open = dict(
            session.execute(
                select(SafetyHazard.project_id, func.count())
                .where(
                    SafetyHazard.unit_id == unit_id,
                    SafetyHazard.found_on <= period.end,
                    or_(SafetyHazard.rectified_on.is_(None), SafetyHazard.rectified_on > period.end),
                )
                .group_by(SafetyHazard.project_id)
            ).all()
        )
        projects = session.scalars(
            select(SafetyProject)
            .where(SafetyProject.unit_id == unit_id, SafetyProject.id.in_(list(supervised) or [-1]))
            .order_by(SafetyProject.kind, SafetyProject.name)
        ).all()
        with XlsxBook(path) as book:
            sheet = book.sheet("工程项目清单", [w for _t, w in PROJECT_COLUMNS])
            last_col = len(PROJECT_COLUMNS) - 1
            _heading(sheet, last_col, f"{period.label()}监管工程项目清单", unit_name, period)
            _header(sheet, [t for t, _w in PROJECT_COLUMNS])
            row = HEADER_ROW
            for number, p in enumerate(projects, start=1):
                _check(cancel)
                status, since = supervised[p.id]
                row += 1
                cells = [
                    (number, "int"),
                    (p.name, "text"),
                    (p.kind, "text_center"),
                    (p.location, "text"),
                    (p.developer, "text"),
                    (p.contractor, "text"),
                    (p.supervision_firm, "text"),
                    (p.area, "money"),
                    (p.cost, "money"),
                    (p.permit_no, "text_center"),
                    (status, "text_center"),
                    (since, "date"),
                    (checks.get(p.id, 0), "int"),
                    (found.get(p.id, 0), "int"),
                    (still_open.get(p.id, 0), "int"),
                ]
                _write_row(sheet, row, cells, [w for _t, w in PROJECT_COLUMNS])
            total_row = row + 1
            sheet.merge(total_row, 0, total_row, 6, f"合计（{len(projects)}个项目）", "label_center")
            for col, values in ((7, [p.area for p in projects]), (8, [p.cost for p in projects])):
                letter = chr(ord("A") + col)
                cached = sum((v for v in values if v is not None), start=0)
                formula = f"=SUBTOTAL(9,{letter}{HEADER_ROW + 2}:{letter}{row + 1})" if projects else "=0"
                sheet.write_formula(total_row, col, formula, cached, "money_bold")
            for col in range(9, last_col + 1):
                sheet.write(total_row, col, None, "text")
            _finish(sheet, row, last_col)
    progress(1, 1, "工程项目清单已生成")
    return len(projects)


# -- 执法文书登记表 -----------------------------------------------------------------------------------

DOCUMENT_COLUMNS = [
    ("序号", 6),
    ("文书类型", 14),
    ("文号", 22),
    ("下发日期", 11),
    ("项目名称", 30),
    ("涉及隐患", 8),
    ("整改期限", 11),
    ("办结日期", 11),
    ("办理状态", 12),
    ("备注", 24),
]


def write_document_register(
    db: Database,
    unit_id: int,
    period: Period,
    path: Path,
    progress: ProgressFn = _no_progress,
    cancel: threading.Event | None = None,
    today: date | None = None,
) -> int:
    today = today or date.today()
    links = (
        select(SafetyDocumentHazard.document_id, func.count().label("n"))
        .group_by(SafetyDocumentHazard.document_id)
        .subquery()
    )
    project = aliased(SafetyProject)
    query = (
        select(
            SafetyDocument.kind,
            SafetyDocument.number,
            SafetyDocument.issued_on,
            project.name,
            func.coalesce(links.c.n, 0),
            SafetyDocument.deadline,
            SafetyDocument.closed_on,
            SafetyDocument.note,
        )
        .outerjoin(project, project.id == SafetyDocument.project_id)
        .outerjoin(links, links.c.document_id == SafetyDocument.id)
        .where(SafetyDocument.unit_id == unit_id, SafetyDocument.issued_on.between(period.start, period.end))
        .order_by(SafetyDocument.issued_on, SafetyDocument.kind, SafetyDocument.number)
    )
    with db.session() as session:
        unit_name = _unit_name(session, unit_id)
        rows = session.execute(query).all()
        with XlsxBook(path) as book:
            sheet = book.sheet("执法文书登记表", [w for _t, w in DOCUMENT_COLUMNS])
            last_col = len(DOCUMENT_COLUMNS) - 1
            _heading(sheet, last_col, f"{period.label()}执法文书登记表", unit_name, period)
            _header(sheet, [t for t, _w in DOCUMENT_COLUMNS])
            row = HEADER_ROW
            for number, (kind, doc_no, issued, name, hazards, deadline, closed, note) in enumerate(
                rows, start=1
            ):
                _check(cancel)
                overdue = closed is None and deadline is not None and deadline < today
                state = "已办结" if closed else ("逾期未办结" if overdue else "办理中")
                row += 1
                cells = [
                    (number, "int"),
                    (kind, "text_center"),
                    (doc_no, "text_center"),
                    (issued, "date"),
                    (name or "", "text"),
                    (hazards or None, "int"),
                    (deadline, "date"),
                    (closed, "date"),
                    (state, "overdue" if overdue else "text_center"),
                    (note, "text"),
                ]
                _write_row(sheet, row, cells, [w for _t, w in DOCUMENT_COLUMNS])
            _finish(sheet, row, last_col)
    progress(1, 1, "执法文书登记表已生成")
    return len(rows)


# -- 安全监督工作统计表 -------------------------------------------------------------------------------

STATS_COLUMNS = [("类别", 33), ("指标", 36), ("单位", 10), ("本期", 18), ("上年同期", 18), ("同比", 24)]
_CENTERED = {"border": 1, "valign": "vcenter", "align": "center", "font_name": "宋体", "font_size": 10}
STAT_FORMATS = {
    "stat_int": {**_CENTERED, "num_format": "0"},
    "stat_2": {**_CENTERED, "num_format": "0.00"},
    "stat_4": {**_CENTERED, "num_format": "0.0000"},
    "stat_rate": {**_CENTERED, "num_format": "0.00%"},
}


def _number_style(row: StatRow) -> str:
    if row.style == RATE:
        return "stat_rate"
    if row.style == TWO or row.style == "qty2":
        return "stat_2"
    if row.style == "qty4":
        return "stat_4"
    return "stat_int"


def write_statistics_table(
    db: Database,
    unit_id: int,
    period: Period,
    path: Path,
    progress: ProgressFn = _no_progress,
    cancel: threading.Event | None = None,
) -> int:
    with db.session() as session:
        unit_name = _unit_name(session, unit_id)
        current = period_statistics(session, unit_id, period.start, period.end)
        previous = same_period_last_year(session, unit_id, period.start, period.end)
    _check(cancel)
    rows = statistics_rows(current, previous)
    earlier = period.same_period_last_year()
    with XlsxBook(path) as book:
        for name, properties in STAT_FORMATS.items():
            book.add_format(name, properties)
        sheet = book.sheet("安全监督工作统计表", [w for _t, w in STATS_COLUMNS])
        last_col = len(STATS_COLUMNS) - 1
        _heading(sheet, last_col, f"{period.label()}安全监督工作统计表", unit_name, period)
        titles = [t for t, _w in STATS_COLUMNS]
        titles[3], titles[4] = f"本期（{period.label()}）", f"上年同期（{earlier.label()}）"
        _header(sheet, titles)
        line = HEADER_ROW
        rows_at: dict[str, int] = {}  # row key → the sheet row it is on (the charts refer to them)
        for section, items in numbered_sections(rows):
            for item in items:
                line += 1
                rows_at[item.key] = line
                label = ("　　" * item.indent) + item.label
                category = f"{section}（{item.group}）" if item.group else section
                style = _number_style(item)
                cells = [
                    (category, "label"),
                    (label, "label"),
                    (item.unit, "text_center"),
                    (item.current, style),
                    (item.previous if previous is not None else None, style),
                    (item.change.text if previous is not None else "", "text_center"),
                ]
                _write_row(sheet, line, cells, [w for _t, w in STATS_COLUMNS])
        note = line + 2
        sheet.ws.merge_range(
            note,
            0,
            note,
            last_col,
            "说明：检查项目次数按“项目·次”统计；隐患整改率＝本期发现且期末前已整改的隐患÷本期发现的隐患；"
            "期末状态为统计期间最后一日的状态；工作量统计项按填报期间汇总，比率由其组成部分计算。",
            sheet.fmt("note"),
        )
        sheet.ws.set_row(note, 36)
        _finish(sheet, line, last_col)
        _statistics_charts(book, sheet, period, rows_at, compare=previous is not None)
    progress(1, 1, "安全监督工作统计表已生成")
    return len(rows)


def _statistics_charts(
    book: XlsxBook, table: XlsxSheet, period: Period, rows_at: dict[str, int], *, compare: bool
) -> None:
    """The sheet 图表: 排查/重大/消除 hazards and the hazards by category, 本期 beside 上年同期,
    drawn from the table's cells (columns 指标, 本期, 上年同期)."""
    from app.exports.xlsx_charts import ChartSheet, Series

    series = [Series((HEADER_ROW, 3), 3)] + ([Series((HEADER_ROW, 4), 4)] if compare else [])
    charts = ChartSheet(book, f"{period.label()}隐患排查治理统计图", landscape=True)
    # 排查隐患, 其中重大隐患, 消除（整改完成）隐患: three rows in a run.
    found, rectified = rows_at["hazards.found"], rows_at["hazards.rectified"]
    charts.add(
        "隐患排查与整改（条）", table, categories=(found, rectified, 1), series=series, size=(400, 470)
    )
    by_category = sorted(row for key, row in rows_at.items() if key.startswith("hazards.category."))
    if by_category:
        first, last = by_category[0], by_category[-1]
        assert last - first + 1 == len(by_category), "the category rows are one run"
        charts.add(
            "隐患类别分布（条）",
            table,
            categories=(first, last, 1),
            series=series,
            kind="bar",
            at=(2, 7),
            size=(600, 470),
        )
    charts.finish()


# -- files and exporters --------------------------------------------------------------------------------

Writer = Callable[..., int]
LEDGERS: dict[str, tuple[str, Writer]] = {
    "hazards": ("隐患排查治理台账", write_hazard_ledger),
    "projects": ("工程项目清单", write_project_list),
    "documents": ("执法文书登记表", write_document_register),
    "statistics": ("安全监督工作统计表", write_statistics_table),
}


def ledger_filename(kind: str, period: Period) -> str:
    return safe_filename(f"{period.label()}{LEDGERS[kind][0]}.xlsx")


def export_atomically(
    db: Database,
    unit_id: int,
    kind: str,
    period: Period,
    target: Path,
    progress: ProgressFn = _no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Write one ledger to `target` through a temporary file beside it (a file open in WPS stops
    the move with a TargetLockedError before anything is replaced)."""
    _title, writer = LEDGERS[kind]
    with staging_folder(target.parent) as staging:
        staged = staging / target.name
        try:
            writer(db, unit_id, period, staged, progress, cancel)
        except OSError as exc:
            raise WriteFaultError(describe_os_error(exc, target)) from exc
        _check(cancel)
        return move_into_place([(staged, target)])[0]


def _exporter(kind: str) -> Callable[[ExportContext], list[Path]]:
    def run(ctx: ExportContext) -> list[Path]:
        period = Period.year(ctx.year)
        folder = ctx.out_dir / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / ledger_filename(kind, period)
        LEDGERS[kind][1](ctx.db, ctx.unit_id, period, path, ctx.progress, ctx.cancel)
        return [path]

    return run


def _has_records(session: Session, unit_id: int, year: int) -> bool:
    period = Period.year(year)
    return has_records(session, unit_id, period.start, period.end)


EXPORTERS = [
    (f"safety.{kind}", title, _exporter(kind), _has_records) for kind, (title, _writer) in LEDGERS.items()
]
