"""One scale measurement in a fresh process; prints its timings as JSON (read by bench/scale.py).

    python -m bench.scale_probe petitions|hazards|statistics DB UNIT_ID
    python -m bench.scale_probe ledger DB UNIT_ID OUT.xlsx

`petitions` / `hazards` open the page the way the main window does on a click in the navigation
(import the page module, create the page, `load()`, show and paint; for hazards then the
隐患台账 tab), then apply two filters through the page's own filter bar: one on a category or
channel, one overdue items with a keyword. Each step is timed until the page has been repainted.
Every step's wall time ("s") and CPU time ("cpu") are reported.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.scale_data import TODAY, YEAR

Timings = dict[str, dict[str, float]]


class Clock:
    def __init__(self) -> None:
        self.timings: Timings = {}

    def step(self, name: str, work: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.timings[name] = {"s": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
        return result

    def total(self, name: str, *steps: str) -> None:
        self.timings[name] = {k: sum(self.timings[s][k] for s in steps) for k in ("s", "cpu")}


def _database(path: str):
    from sqlalchemy import text

    from app.db import Database, location_for
    from app.protection.files import needs_password

    if needs_password(Path(path)):  # the encrypted copy (bench/encryption.py): ZJTB_PASSWORD
        from app.protection.unlock import unlock_for_command_line

        unlock_for_command_line(Path(path))
    db = Database(location_for(path))
    with db.session() as session:  # the app's connection is open long before a page is clicked
        session.execute(text("SELECT 1"))
    return db


def _gui(path: str, unit_id: int):
    from ui.application import create_application
    from ui.context import AppContext
    from ui.tasks import TaskRunner

    app = create_application([])
    return app, AppContext(_database(path), None, TaskRunner(), unit_id, YEAR)


def _shown(app, page) -> None:
    page.resize(1060, 760)  # the page area of the 1280×800 main window
    page.show()
    app.processEvents()
    page.repaint()


def petitions(path: str, unit_id: int) -> Timings:
    app, ctx = _gui(path, unit_id)
    clock = Clock()
    pages = clock.step("import", lambda: __import__("ui.pages.petition_page", fromlist=["PetitionPage"]))
    from app.services.registers.common import OVERDUE, RegisterFilter, year_bounds

    def create():
        page = pages.PetitionPage(ctx)
        page.today = lambda: TODAY
        return page

    page = clock.step("create", create)
    clock.step("load", page.load)
    clock.step("paint", lambda: _shown(app, page))
    clock.total("shown", "load", "paint")
    start, end = year_bounds(YEAR)

    def apply(flt) -> Callable[[], None]:
        def run() -> None:
            page.list.apply_filter(flt)
            page.repaint()

        return run

    clock.step("filter", apply(RegisterFilter(start=start, end=end, extra={"category": "施工扰民"})))
    shown_filter = page.list.model.total()
    clock.step("search", apply(RegisterFilter(start=start, end=end, due=OVERDUE, text="渗水")))
    clock.timings["rows"] = {
        "total": _count_all(ctx),
        "filter": shown_filter,
        "search": page.list.model.total(),
    }
    return clock.timings


def _count_all(ctx) -> int:
    from sqlalchemy import func, select

    from app.models.registers import Petition

    with ctx.db.session() as session:
        return session.scalar(select(func.count()).where(Petition.unit_id == ctx.unit_id)) or 0


def hazards(path: str, unit_id: int) -> Timings:
    app, ctx = _gui(path, unit_id)
    clock = Clock()
    pages = clock.step("import", lambda: __import__("ui.pages.safety_page", fromlist=["SafetyPage"]))
    from app.services.safety.lists import OVERDUE, HazardFilter
    from app.services.safety.periods import Period

    page = clock.step("create", lambda: pages.SafetyPage(ctx, today=lambda: TODAY))
    clock.step("load", page.load)
    clock.step("paint", lambda: (page.tabs.setCurrentIndex(pages.TAB_HAZARDS), _shown(app, page)))
    clock.total("shown", "load", "paint")
    year = Period.year(YEAR)

    def apply(flt) -> Callable[[], None]:
        def run() -> None:
            page.open_hazards(flt)
            page.repaint()

        return run

    total = page.hazards.summary.total
    clock.step("filter", apply(HazardFilter(period=year, category="高处坠落")))
    shown_filter = page.hazards.summary.total
    clock.step("search", apply(HazardFilter(period=year, status=OVERDUE, text="塔吊")))
    clock.timings["rows"] = {"total": total, "filter": shown_filter, "search": page.hazards.summary.total}
    return clock.timings


def statistics(path: str, unit_id: int) -> Timings:
    """What the reports quote for the year: the safety statistics with the year before (同比), and
    the petition statistics (with the year before), as the statistics tabs compute them."""
    clock = Clock()

    def imports():
        from app.services.registers import petition_stats
        from app.services.safety import stats

        return stats, petition_stats

    stats, petition_stats = clock.step("import", imports)
    db = _database(path)
    from app.services.registers.common import year_bounds

    start, end = year_bounds(YEAR)

    def safety() -> None:
        with db.session() as session:
            stats.period_statistics(session, unit_id, start, end)
            stats.same_period_last_year(session, unit_id, start, end)

    def registers() -> None:
        with db.session() as session:
            petition_stats.petition_stats(session, unit_id, start, end, as_of=TODAY)

    clock.step("safety", safety)
    clock.step("petitions", registers)
    clock.total("statistics", "safety", "petitions")
    # Once more in the same process: what is left when the statements are compiled, the ORM
    # configured and SQLite's cache filled (the cost of the first time is the difference).
    clock.step("safety-again", safety)
    clock.step("petitions-again", registers)
    clock.total("again", "safety-again", "petitions-again")
    return clock.timings


def ledger(path: str, unit_id: int, out: str) -> Timings:
    clock = Clock()
    from app.exports.safety_ledgers import write_hazard_ledger
    from app.services.safety.periods import Period

    db = _database(path)
    rows = clock.step(
        "ledger", lambda: write_hazard_ledger(db, unit_id, Period.year(YEAR), Path(out), today=TODAY)
    )
    clock.timings["rows"] = {"total": rows}
    return clock.timings


def main(argv: list[str]) -> int:
    kind, path, unit_id, *rest = argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    probe = {"petitions": petitions, "hazards": hazards, "statistics": statistics, "ledger": ledger}[kind]
    timings = probe(path, int(unit_id), *rest)
    print(json.dumps(timings))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown (widgets, pools): not part of any figure


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
