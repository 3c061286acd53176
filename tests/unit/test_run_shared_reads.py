"""Inside one run (the checks, the year package) what is the same for every period is read once
and shared: the results are those of each period read on its own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from sqlalchemy import event

from app.checks import run_checks
from app.db import Database
from app.services.run_cache import active, run_cache
from app.services.safety.periods import Period
from app.services.safety.stats import period_statistics
from app.services.safety.workload import figures_for_period, problems_for_period, save_values
from app.services.unit import create_unit

PERIODS = [
    period
    for year in (2022, 2023)
    for period in (Period.year(year), *(Period.quarter(year, q) for q in range(1, 5)))
]


@contextmanager
def statements(db: Database) -> Iterator[Counter[str]]:
    """The tables read (as "FROM <table>") by each SQL statement run inside the block."""
    counts: Counter[str] = Counter()

    def count(_conn, _cursor, statement: str, *_args) -> None:
        for table in ("safety_project_status", "safety_workload_value", "safety_workload_item"):
            if f"FROM {table}" in statement:
                counts[table] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_period_statistics_in_a_run_are_those_of_each_period_alone(
    example_db: Database, example_unit_id: int
) -> None:
    with example_db.session() as s:
        alone = [period_statistics(s, example_unit_id, p.start, p.end) for p in PERIODS]
    with run_cache(), example_db.session() as s:
        assert active()
        shared = [period_statistics(s, example_unit_id, p.start, p.end) for p in PERIODS]
    assert not active()
    assert shared == alone
    year, q1 = shared[5], shared[6]  # 2023 and its first quarter (seeds 003 and 002)
    assert (year.housing.supervised, year.municipal.supervised, year.completed) == (101, 11, 38)
    assert (q1.projects_inspected, q1.hazards_found) == (47, 49)
    assert q1.work("fire.design.accepted") == Decimal(29)


def test_the_checks_read_the_project_history_and_workload_once(
    example_db: Database, example_unit_id: int
) -> None:
    with statements(example_db) as counts:
        findings = run_checks(example_db, example_unit_id, 2023)
    # Ten periods' statistics (2023, its quarters and the same periods of 2022) and five periods'
    # 工作量统计 problems: once each per run, not once per period.
    assert counts == {"safety_project_status": 1, "safety_workload_value": 1, "safety_workload_item": 1}
    overdue = [f for f in findings if f.table == "隐患排查治理台账" and f.field == "整改期限"]
    assert [f.message for f in overdue] == [
        "2023年发现的隐患中有19条已超过整改期限仍未整改（最早期限2023-12-08），请督促整改或核实状态"
    ]


def test_workload_figures_and_problems_in_a_run_are_those_read_alone(db: Database) -> None:
    unit_id = create_unit(db, "单位", 2023)
    q1 = Period.quarter(2023, 1)
    save_values(
        db,
        unit_id,
        q1,
        {
            "fire.filing.accepted": Decimal(55),
            "fire.filing.sampled": Decimal(45),
            "info.reported": Decimal(1),
        },
    )
    save_values(db, unit_id, Period.quarter(2023, 2), {"fire.filing.accepted": Decimal(7)})
    save_values(db, unit_id, Period(date(2023, 3, 1), date(2023, 4, 30)), {"info.reported": Decimal(3)})
    save_values(db, unit_id, Period.quarter(2024, 1), {"fire.filing.accepted": Decimal(100)})
    periods = [Period.year(2023), q1, Period.quarter(2023, 2), Period(date(2023, 2, 1), date(2023, 5, 31))]
    with db.session() as s:
        alone = [
            (figures_for_period(s, unit_id, p.start, p.end), problems_for_period(s, unit_id, p.start, p.end))
            for p in periods
        ]
    with run_cache(), db.session() as s:
        shared = [
            (figures_for_period(s, unit_id, p.start, p.end), problems_for_period(s, unit_id, p.start, p.end))
            for p in periods
        ]
    assert shared == alone
    year_figures, year_problems = shared[0]
    assert year_figures["fire.filing.accepted"].value == Decimal(62)  # Q1 + Q2, not 2024's
    assert dict(year_problems)["报送信息"] == "填写的统计期间相互重叠，汇总时可能重复计算，请核对"
    assert shared[3][0]["fire.filing.accepted"].value is None  # no typed period lies inside it
