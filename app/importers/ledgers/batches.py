"""Every import is a batch: the records it created and updated, each with its version right after the
import, so that 撤销本次导入 can remove exactly those records (and put updated ones back) while
nothing else has touched them, and say what blocks it otherwise. Also the column mappings
remembered per header layout.

Records are named by table (the kinds tell the recorder `"safety_hazard"`, ids …); what refers to
a created record is found from the foreign keys in the metadata, so a new table needs no code here
unless a row of it is never written by an import (NEVER_IMPORTED).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from app import oplog
from app.db import Database
from app.errors import EditConflictError, UserError
from app.importers.ledgers.kinds import KIND_LABELS
from app.importers.ledgers.model import Counts, plain_date
from app.models import load_all
from app.models.base import ScaledDecimal, station_name
from app.models.imports import ImportBatch, ImportBatchItem, ImportMapping

CHUNK = 900  # ids per IN (…): SQLite allows 999 parameters in a statement
MAX_REASONS = 10

CREATED = "created"
UPDATED = "updated"
DELETED = "deleted"  # a part an update removed (a measure): undo puts it back

COUNT_LABELS = {"safety_inspection": "检查记录"}  # counts read "检查记录 7"; reasons "…的检查"
TABLE_LABELS = {
    "safety_hazard": "隐患",
    "safety_inspection": "检查",
    "safety_project": "项目",
    "safety_document": "执法文书",
    "petition": "信访事项",
    "rectification_problem": "整改问题",
    "inspection": "巡察",
    # rows that belong to those records
    "safety_project_status": "项目状态记录",
    "safety_inspection_project": "检查的项目",
    "safety_document_hazard": "文书所涉隐患",
    "inspection_aspect": "巡察方面",
    "rectification_measure": "整改措施",
    "rectification_attachment": "佐证材料",
    "safety_hazard_category": "隐患类别",
    "petition_choice": "信访选项",
}

# The column that names a record in a reason: 项目“城南小学”; a date names it as 2023年3月5日的检查.
NAME_COLUMNS = {
    "safety_project": "name",
    "safety_inspection": "checked_on",
    "safety_hazard": "description",
    "safety_document": "number",
    "petition": "number",
    "rectification_problem": "description",
    "inspection": "name",
    "rectification_attachment": "file_name",
    "safety_hazard_category": "name",
    "petition_choice": "name",
}

# Tables an import never writes: a row of them on an imported record was added by hand since.
NEVER_IMPORTED = frozenset({"rectification_attachment"})

# The owner every record has: a foreign key to it never makes a row part of a batch.
SCOPE_TABLES = frozenset({"unit", "unit_year"})


def table_label(table_name: str) -> str:
    return TABLE_LABELS.get(table_name, table_name)


def count_label(table_name: str) -> str:
    """The label an import's counts use for the table's records ("检查记录 7")."""
    return COUNT_LABELS.get(table_name) or table_label(table_name)


def _table(name: str) -> Table:
    table = load_all().metadata.tables.get(name)
    if table is None:
        raise ValueError(f"no table {name!r}")
    return table


def _versioned(table: Table) -> bool:
    return "version" in table.c


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def jsonable(value: Any) -> Any:
    """A column value as `before` keeps it: dates as ISO strings, Decimals as strings."""
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(record: Any, names: Iterable[str]) -> dict[str, Any]:
    """The `before` of an ORM record about to be updated: its columns `names`, JSON-able."""
    return {name: jsonable(getattr(record, name)) for name in names}


class BatchRecorder:
    """What one import wrote, told by the kinds' write(); finish_batch stores it."""

    def __init__(self, batch_id: int, unit_id: int) -> None:
        self.batch_id = batch_id
        self.unit_id = unit_id
        self._created: dict[str, dict[int, None]] = {}
        self._updated: dict[str, dict[int, dict[str, Any]]] = {}
        self._deleted: dict[str, dict[int, dict[str, Any]]] = {}

    def created(self, table: str, ids: Iterable[int]) -> None:
        _table(table)
        self._created.setdefault(table, {}).update(dict.fromkeys(int(i) for i in ids))

    def updated(self, table: str, record_id: int, before: Mapping[str, Any]) -> None:
        """`before`: the record's columns as they were before this import changed them. A record
        updated twice keeps its first `before`; one the batch created stays "created"."""
        _table(table)
        if record_id in self._created.get(table, {}):
            return
        records = self._updated.setdefault(table, {})
        if record_id not in records:
            records[record_id] = {key: jsonable(value) for key, value in before.items()}

    def deleted(self, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Rows (every column, "id" included) an update removed; one the batch created is simply
        no longer its own."""
        _table(table)
        created = self._created.get(table, {})
        for row in rows:
            record_id = int(row["id"])
            if record_id in created:
                del created[record_id]
                continue
            self._deleted.setdefault(table, {})[record_id] = {k: jsonable(v) for k, v in row.items()}

    @property
    def created_ids(self) -> dict[str, list[int]]:
        return {table: list(ids) for table, ids in self._created.items()}

    @property
    def updated_ids(self) -> dict[str, list[int]]:
        return {table: list(ids) for table, ids in self._updated.items()}


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def start_batch(session: Session, unit_id: int, kind: str, file_name: str, year: int) -> BatchRecorder:
    batch = ImportBatch(
        unit_id=unit_id,
        kind=kind,
        file_name=file_name[:255],
        year=year,
        created_at=_now(),  # local time, as records' changed_at (the server's now() is UTC on SQLite)
        created_by=station_name(),
        counts="",
    )
    session.add(batch)
    session.flush()
    return BatchRecorder(batch.id, unit_id)


_State = tuple[int | None, datetime | None]  # a record's (version, changed_at); (None, None) without


def _current(session: Session, table: Table, ids: Iterable[int]) -> dict[int, _State]:
    """id → (version, changed_at) of the records of `ids` that exist."""
    found: dict[int, _State] = {}
    columns = [table.c.id] + [table.c[name] for name in ("version", "changed_at") if name in table.c]
    for chunk in _chunks(list(ids)):
        for row in session.execute(select(*columns).where(table.c.id.in_(chunk))):
            found[row[0]] = (row[1], row[2]) if len(row) == 3 else (None, None)
    return found


def _item_rows(
    session: Session,
    batch_id: int,
    table_name: str,
    ids: Iterable[int],
    befores: Mapping[int, dict] | None,
    action: str,
) -> Iterator[dict[str, Any]]:
    states = _current(session, _table(table_name), ids)
    for record_id in ids:
        version, changed_at = states.get(record_id, (None, None))
        yield {
            "batch_id": batch_id,
            "table_name": table_name,
            "record_id": record_id,
            "action": action,
            "version_after": version,
            "changed_at_after": changed_at,
            "before": "" if befores is None else json.dumps(befores[record_id], ensure_ascii=False),
        }


def finish_batch(session: Session, recorder: BatchRecorder, counts: Counts) -> int:
    """Store the batch's records, each with its version as written now, and the counts."""
    session.flush()
    rows: list[dict[str, Any]] = []
    for table_name, ids in recorder._created.items():
        rows.extend(_item_rows(session, recorder.batch_id, table_name, ids, None, CREATED))
    for table_name, befores in recorder._updated.items():
        rows.extend(_item_rows(session, recorder.batch_id, table_name, befores, befores, UPDATED))
    for table_name, gone in recorder._deleted.items():
        rows.extend(_item_rows(session, recorder.batch_id, table_name, gone, gone, DELETED))
    if rows:
        session.execute(ImportBatchItem.__table__.insert(), rows)
    batch = session.get(ImportBatch, recorder.batch_id)
    if batch is None:
        raise ValueError(f"no import batch {recorder.batch_id}")
    batch.counts = json.dumps(asdict(counts), ensure_ascii=False)
    session.flush()
    return batch.id


@dataclass(frozen=True)
class BatchInfo:
    id: int
    kind: str
    kind_label: str
    file_name: str
    year: int
    created_at: datetime
    created_by: str
    counts: Counts
    undone_at: datetime | None
    record_count: int  # records created or updated

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


def _counts(text: str) -> Counts:
    if not text:
        return Counts()
    data = json.loads(text)
    return Counts(
        created=data.get("created", {}),
        updated=data.get("updated", {}),
        skipped=data.get("skipped", {}),
        added_values=data.get("added_values", {}),
    )


def list_batches(session: Session, unit_id: int) -> list[BatchInfo]:
    """The unit's imports, newest first."""
    items = (
        select(ImportBatchItem.batch_id, func.count().label("n"))
        .group_by(ImportBatchItem.batch_id)
        .subquery()
    )
    rows = session.execute(
        select(ImportBatch, func.coalesce(items.c.n, 0))
        .outerjoin(items, items.c.batch_id == ImportBatch.id)
        .where(ImportBatch.unit_id == unit_id)
        .order_by(ImportBatch.id.desc())
    ).all()
    return [
        BatchInfo(
            id=batch.id,
            kind=batch.kind,
            kind_label=KIND_LABELS.get(batch.kind, batch.kind),
            file_name=batch.file_name,
            year=batch.year,
            created_at=batch.created_at,
            created_by=batch.created_by,
            counts=_counts(batch.counts),
            undone_at=batch.undone_at,
            record_count=int(count),
        )
        for batch, count in rows
    ]


def batch_item_ids(session: Session, batch_id: int, table: str) -> list[int]:
    """The records of `table` the batch created or updated, by id."""
    return list(
        session.execute(
            select(ImportBatchItem.record_id)
            .where(ImportBatchItem.batch_id == batch_id, ImportBatchItem.table_name == table)
            .order_by(ImportBatchItem.record_id)
        ).scalars()
    )


@dataclass(frozen=True)
class _Item:
    action: str
    after: _State
    before: str


def _items(session: Session, batch_id: int) -> dict[str, dict[int, _Item]]:
    rows = session.execute(
        select(
            ImportBatchItem.table_name,
            ImportBatchItem.record_id,
            ImportBatchItem.action,
            ImportBatchItem.version_after,
            ImportBatchItem.changed_at_after,
            ImportBatchItem.before,
        )
        .where(ImportBatchItem.batch_id == batch_id)
        .order_by(ImportBatchItem.id)
    ).all()
    items: dict[str, dict[int, _Item]] = {}
    for table_name, record_id, action, version, changed_at, before in rows:
        items.setdefault(table_name, {})[record_id] = _Item(action, (version, changed_at), before)
    return items


def _cascades(fk: ForeignKey) -> bool:
    return (fk.ondelete or "").upper() == "CASCADE"


def _references(table: Table) -> list[ForeignKey]:
    """Every foreign key of the schema that points at `table`."""
    return [
        fk
        for other in load_all().metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table
    ]


# A reason, kept as data until it is shown (only the first MAX_REASONS are named, with a query each):
# ("undone", when) / ("changed"|"deleted", table, id) / ("referenced", owner table, id, table, id).
_Reason = tuple[Any, ...]


def _referring_rows(
    session: Session, items: dict[str, dict[int, _Item]], created: dict[str, set[int]]
) -> Iterator[_Reason]:
    """Rows outside the batch that refer to a record the batch created: undo would delete them with
    it (a hazard added since to an imported inspection) or could not (a document citing an
    imported project). A row is of the batch when the batch wrote it, or when it is a record's part
    (a table without versions) that belongs by its cascading keys to records of the batch only
    (created or updated by it: a part added by hand since would have counted their versions up)."""
    for table_name, ids in created.items():
        target = _table(table_name)
        for fk in _references(target):
            referrer = fk.parent.table
            mine = items.get(referrer.name, {})
            owners = [
                other
                for other in referrer.foreign_keys
                if _cascades(other) and other.column.table.name not in SCOPE_TABLES
            ]
            part = not _versioned(referrer) and referrer.name not in NEVER_IMPORTED and bool(owners)
            columns = [fk.parent] + [o.parent for o in owners if o.parent is not fk.parent]
            has_id = "id" in referrer.c
            if has_id:
                columns.append(referrer.c.id)
            for chunk in _chunks(sorted(ids)):
                for row in session.execute(select(*columns).where(fk.parent.in_(chunk))).mappings():
                    if has_id and row["id"] in mine:
                        continue
                    outside = [
                        o
                        for o in owners
                        if row[o.parent.name] is not None
                        and row[o.parent.name] not in items.get(o.column.table.name, {})
                    ]
                    if part and not outside:
                        continue
                    if part or not has_id:  # a link row: name the record it belongs to
                        owner = outside[0] if outside else fk
                        yield (
                            "referenced",
                            owner.column.table.name,
                            row[owner.parent.name],
                            table_name,
                            row[fk.parent.name],
                        )
                    else:
                        yield ("referenced", referrer.name, row["id"], table_name, row[fk.parent.name])


def _blocking(session: Session, batch: ImportBatch) -> list[_Reason]:
    if batch.undone_at is not None:
        return [("undone", batch.undone_at)]
    items = _items(session, batch.id)
    reasons: list[_Reason] = []
    for table_name, all_records in items.items():
        table = _table(table_name)
        records = {i: item for i, item in all_records.items() if item.action != DELETED}
        if not records or (not _versioned(table) and all(i.action == CREATED for i in records.values())):
            continue  # parts of records (status rows …): the records' own versions say enough
        current = _current(session, table, records)
        for record_id, item in records.items():
            if record_id not in current:
                reasons.append(("deleted", table_name, record_id))
            elif current[record_id] != item.after:
                reasons.append(("changed", table_name, record_id))
    created = {
        table_name: {i for i, item in records.items() if item.action == CREATED}
        for table_name, records in items.items()
    }
    reasons.extend(_referring_rows(session, items, {t: ids for t, ids in created.items() if ids}))
    return list(dict.fromkeys(reasons))


def _name(session: Session, table_name: str, record_id: int) -> str:
    label = table_label(table_name)
    column = NAME_COLUMNS.get(table_name)
    value = None
    if column is not None:
        table = _table(table_name)
        value = session.execute(select(table.c[column]).where(table.c.id == record_id)).scalar()
    if isinstance(value, date):
        return f"{plain_date(value)}的{label}"
    text = " ".join(str(value or "").split())
    if not text:
        return f"{label}（编号 {record_id}）"
    return f"{label}“{text if len(text) <= 20 else text[:20] + '…'}”"


def _when(moment: datetime) -> str:
    return f"{plain_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


def _reason_text(session: Session, reason: _Reason) -> str:
    kind = reason[0]
    if kind == "undone":
        return f"本次导入已于{_when(reason[1])}撤销"
    if kind == "changed":
        return f"{_name(session, reason[1], reason[2])}在导入后已被修改"
    if kind == "deleted":
        return f"{table_label(reason[1])}（编号 {reason[2]}）在导入后已被删除"
    _kind, owner_table, owner_id, table_name, record_id = reason
    return f"{_name(session, owner_table, owner_id)}引用了本次导入的{_name(session, table_name, record_id)}"


def undo_blockers(session: Session, batch_id: int) -> list[str]:
    """Why the batch cannot be undone (Chinese; empty: it can): already undone, a record changed or
    deleted since, a record created by it referred to by one that is not. At most MAX_REASONS,
    then "等 N 处" with the total."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        return ["该导入记录不存在"]
    reasons = _blocking(session, batch)
    texts = [_reason_text(session, reason) for reason in reasons[:MAX_REASONS]]
    if len(reasons) > MAX_REASONS:
        texts.append(f"等 {len(reasons)} 处")
    return texts


@dataclass
class UndoResult:
    deleted: dict[str, int] = field(default_factory=dict)  # label → records removed
    restored: dict[str, int] = field(default_factory=dict)  # label → records put back

    def lines(self) -> list[str]:
        def join(counts: dict[str, int]) -> str:
            return "、".join(f"{label} {n}" for label, n in counts.items() if n) or "无"

        return [f"已删除：{join(self.deleted)}", f"已恢复：{join(self.restored)}"]


def _column_value(table: Table, name: str, value: Any) -> Any:
    """A `before` value back in its column's type."""
    if name not in table.c:
        raise ValueError(f"{table.name} has no column {name!r}")
    kind = table.c[name].type
    if value is None:
        return None
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(kind, Date):
        return date.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(kind, (ScaledDecimal, Numeric)):
        return Decimal(str(value))
    if isinstance(kind, Boolean):
        return bool(value)
    if isinstance(kind, Integer):
        return int(value)
    return value


_BOOKKEEPING = ("id", "version", "changed_by", "changed_at")


def _restore(session: Session, table: Table, record_id: int, item: _Item, now: datetime) -> None:
    before = json.loads(item.before) if item.before else {}
    values = {name: _column_value(table, name, v) for name, v in before.items() if name not in _BOOKKEEPING}
    statement = update(table).where(table.c.id == record_id)
    if _versioned(table):
        statement = statement.where(table.c.version == item.after[0])
        values.update(version=table.c.version + 1, changed_by=station_name(), changed_at=now)
    if not values:
        return
    if session.execute(statement.values(**values)).rowcount != 1:
        raise EditConflictError(
            f"{table_label(table.name)}（编号 {record_id}）刚刚在别处被修改或删除，本次未撤销。请稍后重试。"
        )


def _delete_parts(session: Session, table: Table, ids: list[int]) -> None:
    """Delete the parts (rows of tables without versions) referring to `ids` by a key that does
    not cascade (an imported inspection's link to an imported project), so the records can go."""
    for fk in _references(table):
        referrer = fk.parent.table
        if _versioned(referrer) or _cascades(fk) or (fk.ondelete or "").upper() == "SET NULL":
            continue
        for chunk in _chunks(ids):
            session.execute(delete(referrer).where(fk.parent.in_(chunk)))


def undo_batch(db: Database, batch_id: int) -> UndoResult:
    """Undo the batch in one transaction: put the records it updated back as they were, delete the
    records it created (parts first), mark it undone. Raises UserError naming what blocks it."""
    result = UndoResult()
    with db.transaction() as session:
        session.info[oplog.QUIET] = True  # one line for the undo, not one per record it removes
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise UserError("该导入记录不存在，无法撤销。")
        blockers = undo_blockers(session, batch_id)
        if blockers:
            raise UserError(f"无法撤销本次导入：{'；'.join(blockers)}。")
        now = _now()
        items = _items(session, batch_id)
        restored: dict[str, int] = {}
        deleted: dict[str, int] = {}
        for table_name, records in items.items():
            table = _table(table_name)
            for record_id, item in records.items():
                if item.action == UPDATED:
                    _restore(session, table, record_id, item, now)
                    restored[table_name] = restored.get(table_name, 0) + 1
        for table in reversed(load_all().metadata.sorted_tables):  # children before parents
            ids = sorted(i for i, item in items.get(table.name, {}).items() if item.action == CREATED)
            if not ids:
                continue
            _delete_parts(session, table, ids)
            for chunk in _chunks(ids):
                removed = session.execute(delete(table).where(table.c.id.in_(chunk))).rowcount
                deleted[table.name] = deleted.get(table.name, 0) + removed
        for table in load_all().metadata.sorted_tables:  # parents before children
            gone = [item for item in items.get(table.name, {}).values() if item.action == DELETED]
            for item in gone:
                row = {name: _column_value(table, name, v) for name, v in json.loads(item.before).items()}
                if session.scalar(select(table.c.id).where(table.c.id == row["id"])) is not None:
                    del row["id"]  # its id was given to another row since: back under a new one
                session.execute(insert(table).values(**row))
            if gone:
                restored[table.name] = restored.get(table.name, 0) + len(gone)
        for table_name in items:  # in the order the import wrote them
            for counts, target in ((restored, result.restored), (deleted, result.deleted)):
                if table_name in counts:
                    target[count_label(table_name)] = (
                        target.get(count_label(table_name), 0) + counts[table_name]
                    )
        batch.undone_at = now
        kind = KIND_LABELS.get(batch.kind, batch.kind)
        what = f"{kind}“{batch.file_name}”（导入于{_when(batch.created_at)}）"
        oplog.record_in(session, oplog.UNDO_IMPORT, f"{what}：{'；'.join(result.lines())}", batch.unit_id)
    return result


# JSON keys are strings: a dict keyed by ints (column → field) is kept as pairs under this key.
_INT_KEYS = "__int_keys__"


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if value and all(isinstance(k, int) and not isinstance(k, bool) for k in value):
            return {_INT_KEYS: [[k, _encode(v)] for k, v in value.items()]}
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_INT_KEYS}:
            return {int(k): _decode(v) for k, v in value[_INT_KEYS]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def remembered_mapping(session: Session, unit_id: int, kind: str, signature: str) -> dict | None:
    """The mapping last stored for this header layout, as it was given (int keys stay ints;
    tuples come back as lists), or None."""
    text = session.execute(
        select(ImportMapping.mapping).where(
            ImportMapping.unit_id == unit_id, ImportMapping.kind == kind, ImportMapping.signature == signature
        )
    ).scalar()
    if not text:
        return None
    try:
        return _decode(json.loads(text))
    except ValueError:
        return None  # a damaged entry is as good as none: the columns are mapped afresh


def remember_mapping(session: Session, unit_id: int, kind: str, signature: str, mapping: dict) -> None:
    """Store (or replace) the mapping of this header layout; the caller commits."""
    text = json.dumps(_encode(mapping), ensure_ascii=False)
    row = session.execute(
        select(ImportMapping).where(
            ImportMapping.unit_id == unit_id, ImportMapping.kind == kind, ImportMapping.signature == signature
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(
            ImportMapping(unit_id=unit_id, kind=kind, signature=signature, mapping=text, updated_at=_now())
        )
    else:
        row.mapping, row.updated_at = text, _now()
    session.flush()
