"""Importing a 10,000-row 隐患台账 (issue 15): the whole import, from the .xlsx on disk to the
committed batch — read, header and column detection, every row parsed and checked, duplicates
looked up, inspections grouped, hazards written, the batch recorded.

Target: < 3 s, into a copy of the example data (its projects are matched by name). Baseline, in the
same rounds: openpyxl alone reading every cell of the same file (read-only, values), the least any
import of it costs. Also reported: the plan alone (nothing written) and re-importing the same file
(every row a duplicate, skipped).

    python -m bench --only import_ledgers
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from bench.common import Result
from bench.startup import example_database

ROWS = 10_000
YEAR = 2024  # after the example data: no row repeats one of its hazards


def _read_bare(path: Path) -> float:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    for ws in book.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass
    book.close()
    return time.perf_counter() - started


def _import(example: Path, ledger: Path, target: Path) -> dict[str, float]:
    from app.db import Database, location_for
    from app.importers.ledgers.model import ImportOptions
    from app.importers.ledgers.plan import apply_plan, plan_import
    from app.services.unit import first_unit

    shutil.copyfile(example, target)
    db = Database(location_for(target))
    with db.session() as session:
        unit = first_unit(session)
        assert unit is not None
        unit_id = unit.id
    timings: dict[str, float] = {}
    started = time.perf_counter()
    plan = plan_import(db, unit_id, "hazards", ledger, ImportOptions(year=YEAR))
    timings["plan"] = time.perf_counter() - started
    result = apply_plan(db, unit_id, plan, "skip")
    timings["import"] = time.perf_counter() - started
    created = result.counts.created.get("隐患", 0)
    assert created == ROWS, f"created {created} hazards, expected {ROWS}: {plan.blockers('skip')[:3]}"
    started = time.perf_counter()
    again = apply_plan(
        db, unit_id, plan_import(db, unit_id, "hazards", ledger, ImportOptions(year=YEAR)), "skip"
    )
    timings["again"] = time.perf_counter() - started
    assert again.counts.skipped.get("隐患", 0) == ROWS
    db.dispose()
    return timings


def run(work: Path, runs: int) -> list[Result]:
    from app.models import load_all
    from tests.ledgers.build_hazards import standard_ledger

    load_all()
    example = example_database(work)
    ledger = standard_ledger(work / "隐患台账-10000行.xlsx", ROWS, year=YEAR).path
    rounds = max(3, runs // 3)
    bare: list[float] = []
    timings: list[dict[str, float]] = []
    for round_no in range(rounds + 1):  # round 0 warms the imports and the file cache
        read = _read_bare(ledger)
        measured = _import(example, ledger, work / f"import-{round_no}.sqlite3")
        if round_no:
            bare.append(read)
            timings.append(measured)

    def median(step: str) -> float:
        return statistics.median(t[step] for t in timings)

    def paired(step: str) -> float:
        return statistics.median(t[step] / b for t, b in zip(timings, bare, strict=True))

    note = f"{ROWS:,}-row 隐患台账 into the example data; baseline: openpyxl reading the file's values"
    return [
        Result(
            "import.hazards_10k",
            median("import"),
            statistics.median(bare),
            target="< 3 s",
            note=note,
            paired_ratio=paired("import"),
        ),
        Result(
            "import.hazards_10k_plan",
            median("plan"),
            statistics.median(bare),
            note="the plan alone (nothing written)",
            paired_ratio=paired("plan"),
        ),
        Result(
            "import.hazards_10k_again",
            median("again"),
            statistics.median(bare),
            note="the same file again: every row a duplicate, skipped",
            paired_ratio=paired("again"),
        ),
    ]
