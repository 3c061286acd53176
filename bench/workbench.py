"""工作台: the home page's figures on the example unit and at scale.

Targets: the 工作台 ready under 0.3 s on the example unit and under 1 s on the scale unit
(100,000 petitions, 200,000 hazards: bench/scale_data.py), "ready" being `workbench()` — every
to-do line of deadlines and budget execution and every chart's figures — in a fresh process and
session, as the page's background task runs it. Also measured, without a target: the page itself
(create, `load()`, the task, cards and charts filled and painted, offscreen), and the F7 checks
the page runs a moment later for the empty report sections and check errors.

    python -m bench --only workbench
    python -m bench.workbench probe DB TODAY     # one fresh-process measurement, JSON on stdout
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bench.common import PYTHON, Result, measured_run, qt_env
from bench.scale_data import TODAY, YEAR, build
from bench.startup import example_database

EXAMPLE_TODAY = "2024-01-20"  # the tests' today: the example year 2023 is over
STEPS = ("compute", "page", "checks")


def _probe(db: Path, today: str, work: Path) -> dict:
    env = qt_env(work / "data")
    env["ZJTB_TODAY"] = today
    run = measured_run([PYTHON, "-m", "bench.workbench", "probe", str(db), today], env=env)
    return json.loads(run.stdout.strip().splitlines()[-1])


def run(work: Path, runs: int) -> list[Result]:
    example = example_database(work)
    path = work / "scale.sqlite3"
    if not path.exists():
        unit = build(path)
        print(f"  (scale: {unit.petitions:,} petitions, {unit.hazards:,} hazards)", flush=True)
    rounds = max(3, runs // 2)
    timings: dict[str, list[dict]] = {"scale": [], "example": []}
    for round_no in range(rounds + 1):  # round 0 warms .pyc files and the file cache
        for side, db, today in (("scale", path, TODAY.isoformat()), ("example", example, EXAMPLE_TODAY)):
            probe = _probe(db, today, work)
            if round_no:
                timings[side].append(probe)

    def median(side: str, step: str) -> float:
        return statistics.median(t[step] for t in timings[side])

    def paired(step: str) -> float:
        return statistics.median(
            a[step] / b[step] for a, b in zip(timings["scale"], timings["example"], strict=True)
        )

    results = [
        Result("workbench.example", median("example", "compute"), target="< 0.3 s", note="workbench(), 2023"),
        Result(
            "workbench.scale",
            median("scale", "compute"),
            median("example", "compute"),
            target="< 1 s",
            note=f"workbench() on {YEAR}, 100,000 petitions and 200,000 hazards; baseline: the example unit",
            paired_ratio=paired("compute"),
        ),
    ]
    for step, what in (
        ("page", "the page's first load filled and painted (with its 120 ms start delay)"),
        ("checks", "the F7 checks (empty sections, errors)"),
    ):
        results.append(
            Result(
                f"workbench.{step}",
                median("scale", step),
                median("example", step),
                note=f"{what}, scale unit; baseline: the example unit",
                paired_ratio=paired(step),
            )
        )
    return results


def probe(db: str, today: str) -> dict:
    """The three measurements in this (fresh) process, in seconds."""
    from datetime import date

    from app.db import Database, location_for
    from app.models import load_all
    from app.services import workbench as wb
    from app.services.unit import first_unit, years_of

    load_all()
    database = Database(location_for(db))
    with database.session() as session:
        unit = first_unit(session)
        assert unit is not None
        unit_id, year = unit.id, max(years_of(session, unit.id))
    day = date.fromisoformat(today)
    result: dict = {}
    started = time.perf_counter()
    with database.session() as session:
        figures = wb.workbench(session, unit_id, year, day)
    result["compute"] = time.perf_counter() - started
    result["todo"] = {t.kind: t.count for t in figures.todos}
    result["page"] = _page(database, unit_id, year)
    started = time.perf_counter()
    wb.year_check_lines(database, unit_id, year)
    result["checks"] = time.perf_counter() - started
    database.dispose()
    return result


def _page(database, unit_id: int, year: int) -> float:
    from PySide6.QtCore import QEventLoop

    from ui.application import create_application
    from ui.context import AppContext
    from ui.pages.workbench_page import WorkbenchPage
    from ui.tasks import TaskRunner

    app = create_application()
    tasks = TaskRunner()
    ctx = AppContext(database, None, tasks, unit_id, year)
    page = WorkbenchPage(ctx)
    page.resize(1180, 680)
    started = time.perf_counter()
    page.show()
    page.load()
    while page.result is None:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    page.repaint()
    elapsed = time.perf_counter() - started
    page._checks_timer.stop()
    tasks.shutdown()
    page.close()
    return elapsed


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "probe":
        print(json.dumps(probe(sys.argv[2], sys.argv[3])))
    else:
        print(__doc__)
