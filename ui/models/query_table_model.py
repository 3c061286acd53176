"""A read-only table over a SQL query that stays fast at 100,000+ rows.

Only the row count and the rows scrolled into view are fetched (`canFetchMore`/`fetchMore`, one
page of rows per call); sorting and filtering are done by the database. Rows are kept as plain
SQLAlchemy `Row` tuples, never ORM objects, and every fetch uses its own short session.

    columns = [QueryColumn("编号", Petition.number), QueryColumn("收到日期", Petition.received, fmt=str)]
    model = QueryTableModel(db, columns, key=Petition.id)
    model.set_query(select(*model.selectables()).where(Petition.unit_id == 1))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.models.base import VersionedMixin

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.engine import Row

    from app.db import Database

_Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 256
ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
VERSION_LABEL = "record_version"


@dataclass
class QueryColumn:
    title: str
    expr: Any  # a column expression selected by the query; also what sorting orders by
    fmt: Callable[[Any], str] | None = None  # value → text (default: str, None → "")
    align: Qt.AlignmentFlag = ALIGN_LEFT
    sortable: bool = True
    width: int = 0  # a hint for the view (0: let the view decide)
    stretch: bool = False  # the long text column: it takes the width the others leave
    extra: list[Any] = field(default_factory=list)  # more expressions this column's callbacks read


class QueryTableModel(QAbstractTableModel):
    def __init__(
        self,
        db: Database,
        columns: list[QueryColumn],
        key: Any,
        parent: Any = None,
        *,
        row_colour: Callable[[Row], str | None] | None = None,
        row_tooltip: Callable[[Row], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.columns = columns
        self.key = key  # the primary-key column, selected first and used to find rows again
        self.row_colour = row_colour
        self.row_tooltip = row_tooltip
        self._query: Select | None = None
        self._order: list[Any] = []
        self._rows: list[Row] = []
        self._total = 0

    # -- the query -------------------------------------------------------------------------------

    def selectables(self) -> list[Any]:
        """What the query must select, in order: the key, each column, then extras (and, for a
        versioned record, its version: a delete from the list is refused if the row changed since)."""
        extras = [e for c in self.columns for e in c.extra]
        owner = getattr(self.key, "class_", None)
        if isinstance(owner, type) and issubclass(owner, VersionedMixin):
            extras.append(owner.version.label(VERSION_LABEL))
        return [self.key, *(c.expr for c in self.columns), *extras]

    def set_query(self, query: Select) -> None:
        """Show `query` (built from `selectables()` plus any WHERE); refetches from the start."""
        self._query = query
        self._reload()

    def clear(self) -> None:
        """Show nothing, without asking the database (e.g. the details of no selected item)."""
        self._query = None
        self._reload()

    def _ordered(self) -> Select:
        assert self._query is not None
        order = [*self._order, self.key] if self._order else [self.key.desc()]
        return self._query.order_by(None).order_by(*order)

    def _reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._total = 0
        if self._query is not None:
            with self.db.session() as session:
                self._total = self.count_rows(session)
                self._rows = list(session.execute(self._ordered().limit(PAGE_SIZE)).all())
        self.endResetModel()

    def count_rows(self, session: Any) -> int:
        """How many rows the query gives. A subclass may count more cheaply than through the
        whole query (without its joins, say), or count more in the same pass."""
        from sqlalchemy import func, select

        assert self._query is not None
        return session.scalar(select(func.count()).select_from(self._query.order_by(None).subquery())) or 0

    def refresh(self) -> None:
        """Re-run the query (after an insert or delete), keeping the sort order."""
        self._reload()

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._query is None:
            return
        with self.db.session() as session:
            more = list(session.execute(self._ordered().offset(len(self._rows)).limit(PAGE_SIZE)).all())
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def refresh_row(self, key_value: Any) -> None:
        """Re-read one row after it was edited, and repaint just that row."""
        row = self.row_of(key_value)
        if row < 0 or self._query is None:
            return
        with self.db.session() as session:
            fresh = session.execute(self._query.where(self.key == key_value)).first()
        if fresh is None:
            self.refresh()
            return
        self._rows[row] = fresh
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- access ----------------------------------------------------------------------------------

    def row_key(self, row: int) -> Any:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def row_version(self, row: int) -> int | None:
        """The version of the record shown in `row`, as read for the list (None if not versioned)."""
        data = self.row_data(row)
        return None if data is None else data._mapping.get(VERSION_LABEL)

    def row_data(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key_value: Any) -> int:
        return next((i for i, r in enumerate(self._rows) if r[0] == key_value), -1)

    def value(self, row: int, column: int) -> Any:
        return self._rows[row][column + 1]

    # -- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.value(index.row(), index.column())
            if column.fmt is not None:
                text = column.fmt(value)
                return "" if text is None else str(text)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ForegroundRole and self.row_colour is not None:
            colour = self.row_colour(self._rows[index.row()])
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and self.row_tooltip is not None:
            return self.row_tooltip(self._rows[index.row()])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            return
        expr = self.columns[column].expr
        self._order = [expr.desc() if order == Qt.SortOrder.DescendingOrder else expr.asc()]
        if self._query is not None:
            self._reload()
