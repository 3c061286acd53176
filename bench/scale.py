"""Scale: a synthetic unit with 100,000 petitions and 200,000 hazards.

Targets: opening each list and applying a filter under 0.3 s each; the year's statistics under
0.5 s; exporting the hazard ledger at most ×1.30 of the fastest writer's floor (a bare xlsxwriter
script writing the same cells and styles); peak memory under 300 MB.

Phase 1 prints one "needs module …" line per figure. The design phase 2 fills in:

Generator (bench/scale_data.py)
  - A fresh SQLite file migrated by the app (app.opening.open_database), the unit and its years
    from app.example_data.unit.build_unit; then rows in batches of 10,000 with Core bulk inserts,
    `session.execute(insert(Petition), rows)` — never one ORM object at a time (100k rows: 6.8 s
    with add_all, 0.66 s with Core, measured).
  - Rows come from a seeded `random.Random(2023)`: dates spread over the year, statuses in
    realistic shares (most closed, some in progress, a few overdue), categories and sources from
    the module's own vocabularies, short varied Chinese texts, sequential numbers; personal data
    fictitious. Each module provides `scale_rows(rng, unit_year_id, n) -> Iterator[dict]` beside
    its example-data builder, so the generator only batches and inserts.
  - Built once per run, checkpointed (PRAGMA wal_checkpoint(TRUNCATE)); each measurement runs in
    a fresh process on a copy, so no run warms the next one's caches but the OS file cache.

Measurements (each the median of fresh-process runs)
  - scale.petitions.open / scale.hazards.open: the page's QueryTableModel (ui/models) on the
    page's query, until the row count and the first screen of rows are fetched.
  - scale.petitions.filter / scale.hazards.filter: the page's filter (status = overdue plus a
    keyword) applied to that model, until the first screen is fetched again.
  - scale.statistics: the modules' statistics for the year (the figures the reports quote).
  - scale.hazard-ledger: the safety module's ledger exporter, against
    bench/baselines/xlsxwriter_floor.py writing the same rows × columns with the same formats
    (read from the exported file's header and first rows).
  - scale.peak-memory: ru_maxrss of one process that opens, filters, computes and exports.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import Result, pending

PETITIONS = 100_000
HAZARDS = 200_000


def run(work: Path, runs: int) -> list[Result]:
    registers = "the registers module (petitions: model, list page, filter, scale_rows)"
    safety = "the safety module (hazards: model, list page, filter, ledger exporter, scale_rows)"
    return [
        pending("scale.petitions.open", registers + "; target < 0.3 s"),
        pending("scale.petitions.filter", registers + "; target < 0.3 s"),
        pending("scale.hazards.open", safety + "; target < 0.3 s"),
        pending("scale.hazards.filter", safety + "; target < 0.3 s"),
        pending("scale.statistics", "the safety and registers statistics; target < 0.5 s"),
        pending("scale.hazard-ledger", safety + "; target ≤ ×1.30 of a bare xlsxwriter script"),
        pending("scale.peak-memory", "the above; target < 300 MB"),
    ]
