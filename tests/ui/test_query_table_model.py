from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import insert, select

from app.db import Database
from app.models.unit import Unit, UnitYear
from ui.models.query_table_model import PAGE_SIZE, QueryColumn, QueryTableModel


def _fill(db: Database, years: int) -> int:
    with db.engine.begin() as conn:
        unit_id = conn.execute(insert(Unit).values(name="单位", credit_code="")).inserted_primary_key[0]
        conn.execute(
            insert(UnitYear),
            [
                dict(
                    unit_id=unit_id,
                    year=1000 + i,
                    supervisor="",
                    nature="",
                    head="",
                    preparer="",
                    phone="",
                    note="",
                )
                for i in range(years)
            ],
        )
    return unit_id


def _model(db: Database) -> QueryTableModel:
    columns = [
        QueryColumn("年度", UnitYear.year),
        QueryColumn("编制数", UnitYear.staff_quota, fmt=lambda v: v or "—"),
    ]
    return QueryTableModel(db, columns, key=UnitYear.id)


def test_only_a_page_is_fetched_until_more_is_asked_for(qtmodeltester, db: Database) -> None:
    unit_id = _fill(db, 1000)
    model = _model(db)
    model.set_query(select(*model.selectables()).where(UnitYear.unit_id == unit_id))
    assert model.total() == 1000
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    qtmodeltester.check(model, force_py=True)


def test_sorting_and_filtering_happen_in_sql(db: Database) -> None:
    unit_id = _fill(db, 600)
    model = _model(db)
    model.set_query(select(*model.selectables()).where(UnitYear.unit_id == unit_id, UnitYear.year >= 1500))
    assert model.total() == 100
    model.sort(0)
    assert model.index(0, 0).data() == "1500"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "1599"
    assert model.index(0, 1).data() == "—"


def test_refresh_row_repaints_one_edited_row(qtbot, db: Database) -> None:
    unit_id = _fill(db, 10)
    model = _model(db)
    model.set_query(select(*model.selectables()).where(UnitYear.unit_id == unit_id))
    key = model.row_key(3)
    with db.transaction() as s:
        s.get(UnitYear, key).staff_quota = 61
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.refresh_row(key)
    assert blocker.args[0].row() == 3 == blocker.args[1].row()
    assert model.index(3, 1).data() == "61"


def test_cleared_it_shows_nothing_and_asks_the_database_nothing(qtmodeltester, db: Database) -> None:
    from sqlalchemy import event

    unit_id = _fill(db, 10)
    model = _model(db)
    model.set_query(select(*model.selectables()).where(UnitYear.unit_id == unit_id))
    assert model.rowCount() == 10
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    model.clear()
    model.refresh()
    assert (model.rowCount(), model.total(), model.canFetchMore()) == (0, 0, False)
    assert statements == []
    qtmodeltester.check(model, force_py=True)
