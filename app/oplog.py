"""The operation log (操作日志): every unmasked export or view of a petitioner's data, deletion,
restore, import, password change and lock/unlock, with the time, the OS user and what.

`record` writes one line in its own transaction and never fails its caller (a line that cannot be
written is reported to the program log instead: the operation itself has happened).
`record_in` adds a line to a transaction under way, so it is kept exactly when the change is.
Deletions through the ORM are recorded by `record_deletions` (a before_flush listener, app/db.py);
a session with `session.info[QUIET] = True` records none (an undone import writes one line).

The lines never hold personal data: a petition is named by its number.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as orm_inspect
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models.oplog import OperationLog

if TYPE_CHECKING:
    from app.db import Database

EXPORT_UNMASKED = "导出（含个人信息）"
VIEW_UNMASKED = "查看信访人个人信息"
DELETE = "删除"
RESTORE = "从备份恢复"
IMPORT = "导入"
UNDO_IMPORT = "撤销导入"
PASSWORD = "设置/修改密码"
LOCK = "锁定"
UNLOCK = "解锁"
UNLOCK_FAILED = "解锁失败"
ACTIONS = (
    EXPORT_UNMASKED,
    VIEW_UNMASKED,
    DELETE,
    RESTORE,
    IMPORT,
    UNDO_IMPORT,
    PASSWORD,
    LOCK,
    UNLOCK,
    UNLOCK_FAILED,
)

QUIET = "oplog_quiet"  # session.info key: deletions in this session are not recorded one by one
UNKNOWN_USER = "未知用户"
DEFAULT_LIMIT = 5000  # lines the dialog lists; the export takes every matching line

_log = logging.getLogger(__name__)

# What a deleted row is called in the log, and the column that names it ("删除 隐患“塔吊限位失灵”").
TABLE_LABELS = {
    "unit": "单位",
    "unit_year": "年度",
    "safety_project": "工程项目",
    "safety_inspection": "检查",
    "safety_hazard": "隐患",
    "safety_hazard_category": "隐患类别",
    "safety_document": "执法文书",
    "safety_activity": "工作记录",
    "safety_workload_item": "工作量统计项",
    "petition": "信访事项",
    "petition_choice": "信访选项",
    "inspection": "巡察",
    "rectification_problem": "整改问题",
    "rectification_measure": "整改措施",
    "rectification_attachment": "佐证材料",
    "budget_project": "预算项目",
    "report_section": "报告段落",
}
NAME_COLUMNS = {
    "unit": "name",
    "unit_year": "year",
    "safety_project": "name",
    "safety_inspection": "checked_on",
    "safety_hazard": "description",
    "safety_hazard_category": "name",
    "safety_document": "number",
    "safety_activity": "held_on",
    "safety_workload_item": "name",
    "petition": "number",  # never the petitioner: the log is exported and shown to anyone
    "petition_choice": "name",
    "inspection": "name",
    "rectification_problem": "description",
    "rectification_attachment": "file_name",
    "budget_project": "name",
}
# Rows whose removal is an edit of something else (a 工作量 figure cleared), never logged.
NOT_LOGGED = frozenset({"operation_log", "safety_workload_value", "unit_duty"})


def os_user() -> str:
    """The account logged in on this computer; 未知用户 when the system does not say."""
    import getpass

    try:
        return (getpass.getuser() or UNKNOWN_USER)[:100]
    except Exception:  # getpass raises OSError, KeyError, ImportError … depending on the platform
        return UNKNOWN_USER


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _line(action: str, detail: str, unit_id: int | None) -> OperationLog:
    return OperationLog(at=_now(), os_user=os_user(), action=action[:40], detail=detail, unit_id=unit_id)


def record_in(session: Session, action: str, detail: str = "", unit_id: int | None = None) -> None:
    """A line in the transaction under way: written if, and only if, it commits."""
    session.add(_line(action, detail, unit_id))


def record(db: Database, action: str, detail: str = "", unit_id: int | None = None) -> None:
    """A line in its own transaction. A failure to write it is logged, never raised."""
    try:
        with db.transaction() as session:
            record_in(session, action, detail, unit_id)
    except Exception:
        _log.exception("操作日志写入失败：%s %s", action, detail)


# -- deletions ----------------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, date):  # datetime too
        return f"{value.year}年{value.month}月{value.day}日"
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= 30 else text[:30] + "…"


def describe_deletion(table_name: str, values: dict[str, Any]) -> str:
    """删除 隐患“塔吊限位失灵”, 删除 2023年3月5日的检查; 删除 <table> #id for an unnamed one."""
    label = TABLE_LABELS.get(table_name, table_name)
    column = NAME_COLUMNS.get(table_name)
    value = values.get(column) if column else None
    if value is None or _shown(value) == "":
        return f"删除 {label} #{values.get('id')}"
    if isinstance(value, date):
        return f"删除 {_shown(value)}的{label}"
    if table_name == "unit_year":
        return f"删除 {value}{label}"
    return f"删除 {label}“{_shown(value)}”"


def _values(obj: Any) -> tuple[str, dict[str, Any]]:
    """The table of an ORM object and its column values by column name (as loaded, no query)."""
    state = orm_inspect(obj)
    mapper = state.mapper
    table = mapper.local_table
    loaded = state.dict
    values = {}
    for column in table.columns:
        prop = mapper.get_property_by_column(column)
        if prop.key in loaded:
            values[column.name] = loaded[prop.key]
    return table.name, values


def record_deletions(session: Session, _context: object, _instances: object) -> None:
    """before_flush: a line for each record deleted in this flush. The rows deleted with their
    owner (a project's status history, a problem's measures) go with the owner's line."""
    if session.info.get(QUIET) or not session.deleted:
        return
    deleted = [_values(obj) for obj in session.deleted]
    gone = {(name, values.get("id")) for name, values in deleted}
    tables = {table.name: table for table in (orm_inspect(o).mapper.local_table for o in session.deleted)}
    for name, values in sorted(deleted, key=lambda item: (item[0], str(item[1].get("id")))):
        if name in NOT_LOGGED:
            continue
        owned = any(
            (fk.column.table.name, values.get(fk.parent.name)) in gone for fk in tables[name].foreign_keys
        )
        if owned:
            continue
        unit_id = values.get("unit_id") if name != "unit" else None
        if ("unit", unit_id) in gone:
            unit_id = None
        session.add(_line(DELETE, describe_deletion(name, values), unit_id))


# -- reading and exporting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    id: int
    at: datetime
    os_user: str
    action: str
    detail: str
    unit_id: int | None


@dataclass(frozen=True)
class LogFilter:
    """What the dialog shows: one action (None: all), a text in 用户/内容, a range of days."""

    action: str | None = None
    text: str = ""
    since: date | None = None  # from this day on
    until: date | None = None  # up to and including this day


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def query(
    db: Database,
    *,
    action: str | None = None,
    text: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> list[LogEntry]:
    """The lines matching, newest first. `since`/`until` are days, both included (a datetime
    counts from that moment / up to that moment); `text` is looked for in 用户 and 内容."""
    statement = select(OperationLog)
    if action:
        statement = statement.where(OperationLog.action == action)
    if text and text.strip():
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                OperationLog.detail.like(pattern, escape="\\"),
                OperationLog.os_user.like(pattern, escape="\\"),
                OperationLog.action.like(pattern, escape="\\"),
            )
        )
    if since is not None:
        start = since if isinstance(since, datetime) else _start_of(since)
        statement = statement.where(OperationLog.at >= start)
    if until is not None:
        if isinstance(until, datetime):
            statement = statement.where(OperationLog.at <= until)
        else:
            statement = statement.where(OperationLog.at < _start_of(until) + timedelta(days=1))
    statement = statement.order_by(OperationLog.at.desc(), OperationLog.id.desc())
    if limit is not None:
        statement = statement.limit(limit)
    with db.session() as session:
        return [
            LogEntry(row.id, row.at, row.os_user, row.action, row.detail, row.unit_id)
            for row in session.scalars(statement)
        ]


def query_filter(db: Database, flt: LogFilter, limit: int | None = DEFAULT_LIMIT) -> list[LogEntry]:
    return query(db, action=flt.action, text=flt.text, since=flt.since, until=flt.until, limit=limit)


def format_time(moment: datetime) -> str:
    """2024-01-02 09:21:05, from the fields (no strftime: its CJK formats fail on Windows)."""
    return (
        f"{moment.year}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def _describe_filter(flt: LogFilter | None, count: int) -> str:
    parts = []
    if flt is not None:
        if flt.action:
            parts.append(f"操作：{flt.action}")
        if flt.text.strip():
            parts.append(f"含“{flt.text.strip()}”")
        if flt.since or flt.until:
            since = f"{flt.since.year}年{flt.since.month}月{flt.since.day}日" if flt.since else "最早"
            until = f"{flt.until.year}年{flt.until.month}月{flt.until.day}日" if flt.until else "至今"
            parts.append(f"日期：{since}—{until}")
    chosen = "；".join(parts) if parts else "全部记录"
    return f"{chosen}；共 {count} 条；导出于 {format_time(_now())}"


def export_log_xlsx(db: Database, rows_or_filter: Sequence[LogEntry] | LogFilter, target: Path) -> int:
    """The lines (given, or every line matching the filter) as an Excel sheet at `target`, newest
    first; written beside it and renamed into place (a file open in WPS is a TargetLockedError and
    stays as it was). Returns the number of lines."""
    from app.exports.registers_common import LedgerColumn, write_ledger, write_single_file
    from app.exports.xlsx import XlsxBook

    flt = rows_or_filter if isinstance(rows_or_filter, LogFilter) else None
    rows = query_filter(db, flt, limit=None) if flt is not None else list(rows_or_filter)
    columns = [
        LedgerColumn("序号", 7, "ledger_center"),
        LedgerColumn("时间", 20, "ledger_center"),
        LedgerColumn("用户", 14, "ledger_center"),
        LedgerColumn("操作", 18, "ledger_center"),
        LedgerColumn("内容", 70),
    ]
    cells = [[i, format_time(row.at), row.os_user, row.action, row.detail] for i, row in enumerate(rows, 1)]

    def write(path: Path) -> None:
        with XlsxBook(path) as book:
            sheet = book.sheet("操作日志")
            write_ledger(sheet, "操作日志", _describe_filter(flt, len(rows)), columns, cells)

    write_single_file(Path(target), write)
    return len(rows)
