"""Both register lists with 100,000 items: they open with one page of rows fetched, and filters,
search and sorting are answered by the database (no timing asserts: see bench/ for speed)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import event, insert

from app.db import Database
from app.models.registers import (
    PETITION_CLOSED,
    PETITION_HANDLING,
    PROBLEM_IN_PROGRESS,
    PROBLEM_NOT_STARTED,
    Inspection,
    Petition,
    RectificationProblem,
)
from app.registry import default_registry
from app.services.registers.common import RegisterFilter
from app.services.unit import create_unit
from bench.scale_data import insert_batches, petition_row
from ui.context import AppContext
from ui.models.query_table_model import PAGE_SIZE
from ui.pages.petition_page import PetitionPage
from ui.pages.rectification_page import RectificationPage
from ui.tasks import TaskRunner

N = 100_000
TODAY = date(2023, 12, 20)
CHANNELS = ("12345热线/信箱", "来信", "来访", "舆情", "市长信箱")


def _fill_petitions(db: Database, unit_id: int) -> None:
    """100,000 items over 2023, every tenth still in hand (rows and batched Core inserts from
    bench/scale_data.py, as the benchmarks build theirs)."""
    start = date(2023, 1, 1)

    def petition(i: int) -> dict:
        received = start + timedelta(days=i % 365)
        handling = i % 10 == 0
        return petition_row(
            unit_id,
            number=f"XF2023-{i + 1:06d}",
            received_on=received,
            channel=CHANNELS[i % len(CHANNELS)],
            petitioner=f"信访人{i}",
            category="房屋质量",
            summary=f"反映第{i}号楼渗水",
            accepted_on=received,
            notified_on=received,
            due_on=received + timedelta(days=60),
            next_due=received + timedelta(days=60) if handling else None,
            closed_on=None if handling else received + timedelta(days=20),
            result="" if handling else "已答复",
            status=PETITION_HANDLING if handling else PETITION_CLOSED,
        )

    with db.engine.begin() as conn:
        insert_batches(conn, Petition, (petition(i) for i in range(N)))


class _Statements:
    """Counts the SELECTs that read petition rows (not counts or sums) and their LIMITs."""

    def __init__(self, db: Database) -> None:
        self.limits: list[int | None] = []
        self.db = db

    def __enter__(self) -> _Statements:
        event.listen(self.db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.db.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement: str, parameters, _context, _many) -> None:
        text = " ".join(statement.split())
        if text.startswith("SELECT petition.id, petition.number") and "FROM petition" in text:
            self.limits.append(parameters[-2] if "LIMIT" in text else None)


@pytest.fixture
def big_petitions(db: Database) -> tuple[Database, int]:
    unit_id = create_unit(db, "大数据量测试单位", 2023)
    _fill_petitions(db, unit_id)
    return db, unit_id


def test_the_petition_list_opens_with_one_page_of_100000(qtbot, big_petitions) -> None:
    db, unit_id = big_petitions
    ctx = AppContext(db, default_registry(), TaskRunner(), unit_id, 2023)
    page = PetitionPage(ctx)
    page.today = lambda: TODAY
    qtbot.addWidget(page)
    with _Statements(db) as seen:
        page.load()
    # GIVEN 100,000 items, WHEN the page opens, THEN one page of rows is read, never all of them
    assert page.list.model.total() == N
    assert page.list.model.rowCount() == PAGE_SIZE
    assert page.list.model.canFetchMore()
    assert seen.limits and all(limit is not None and limit <= PAGE_SIZE for limit in seen.limits)
    assert page.year_label.text().startswith(f"2023年：{N} 件")
    # newest first
    assert page.list.model.index(0, 1).data() == "2023-12-31"

    # WHEN a filter is applied programmatically (as benchmarks do)
    page.list.apply_filter(
        RegisterFilter(start=date(2023, 1, 1), end=date(2023, 12, 31), extra={"channel": "来访"})
    )
    assert page.list.model.total() == N // len(CHANNELS)
    assert page.list.model.rowCount() == PAGE_SIZE
    # AND a search, and a sort by another column
    page.list.apply_filter(RegisterFilter(text="XF2023-09999"))
    assert page.list.model.total() == 10  # XF2023-099990 … XF2023-099999
    page.list.apply_filter(RegisterFilter(status=PETITION_HANDLING))
    assert page.list.model.total() == N // 10
    page.list.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert page.list.model.index(0, 0).data() == "XF2023-000001"
    assert page.list.model.rowCount() == PAGE_SIZE
    # AND scrolling fetches the next page only
    page.list.model.fetchMore()
    assert page.list.model.rowCount() == 2 * PAGE_SIZE
    # AND a new registration gets the next number without reading the register
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.form.value("number") == "XF2023-100001"


def test_the_problem_list_opens_with_one_page_of_100000(qtbot, db: Database) -> None:
    unit_id = create_unit(db, "大数据量测试单位", 2023)
    with db.engine.begin() as conn:
        inspection_id = conn.execute(
            insert(Inspection).values(unit_id=unit_id, name="压力测试巡察", team="", note="")
        ).inserted_primary_key[0]
        conn.execute(
            insert(RectificationProblem),
            [
                {
                    "inspection_id": inspection_id,
                    "aspect_id": None,
                    "number": i + 1,
                    "description": f"问题{i + 1}",
                    "leader": "",
                    "lead_unit": "",
                    "department": "",
                    "due_on": date(2023, 1, 1) + timedelta(days=i % 730),
                    "status": PROBLEM_IN_PROGRESS if i % 2 else PROBLEM_NOT_STARTED,
                    "evidence": "",
                }
                for i in range(N)
            ],
        )
    ctx = AppContext(db, default_registry(), TaskRunner(), unit_id, 2023)
    page = RectificationPage(ctx)
    page.today = lambda: TODAY
    qtbot.addWidget(page)
    page.load()
    assert page.list.model.total() == N
    assert page.list.model.rowCount() == PAGE_SIZE
    assert page.list.model.index(0, 0).data() == "1"
    assert "100000项问题" in page.progress_label.text()
    page.list.apply_filter(RegisterFilter(text="问题99999"))
    assert page.list.model.total() == 1
