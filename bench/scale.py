"""Scale: a unit with 100,000 petitions and 200,000 hazards.

Targets: opening each list and applying a filter under 0.3 s each; the year's statistics under
0.5 s; exporting the hazard ledger at most ×1.30 of the fastest writer's floor (a bare xlsxwriter
script writing the same cells and styles); peak memory under 300 MB.

The data (bench/scale_data.py): the example unit topped up in 2023 to 100,000 petitions and
200,000 hazards (with 40,000 inspections of 300 more projects), from a seeded generator with Core
bulk inserts, built once per run.

Every figure is the median of fresh processes (bench/scale_probe.py), each opening the file anew,
so no run gains from another's SQLite cache — only from the operating system's file cache, which
the build itself has warmed for all of them alike. The GUI figures and the statistics have a
baseline: the same process on the example unit (about 500 petitions and 2,000 hazards), so the
ratio says what the 100,000 rows add. The ledger is compared with
bench/baselines/xlsxwriter_floor.py, whole process against whole process, and the two files'
worksheets are compared byte for byte. Peak memory is the kernel's peak resident set (ru_maxrss)
of each process.
"""

from __future__ import annotations

import json
import statistics
import time
import zipfile
from pathlib import Path

from app.protection.files import is_encrypted
from bench.common import PYTHON, ROOT, Result, Run, measured_run, qt_env
from bench.encryption import encrypted_copy, with_password
from bench.scale_data import TODAY, YEAR, build
from bench.startup import example_database

FLOOR = ROOT / "bench" / "baselines" / "xlsxwriter_floor.py"
GUI_KINDS = ("petitions", "hazards")
KEYWORDS = {"petitions": "渗水", "hazards": "塔吊"}  # as in bench/scale_probe.py


def _probe(kind: str, db: Path, work: Path, *extra: str) -> tuple[dict, Run]:
    env = qt_env(work / "data")
    if is_encrypted(db):
        env = with_password(env)
    run = measured_run([PYTHON, "-m", "bench.scale_probe", kind, str(db), "1", *extra], env=env)
    return json.loads(run.stdout.strip().splitlines()[-1]), run


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _same_sheets(a: Path, b: Path) -> bool:
    """Whether two workbooks hold the same worksheets, styles and strings (not the timestamps)."""
    with zipfile.ZipFile(a) as first, zipfile.ZipFile(b) as second:
        names = [n for n in first.namelist() if n.startswith("xl/")]
        return names == [n for n in second.namelist() if n.startswith("xl/")] and all(
            first.read(n) == second.read(n) for n in names
        )


class _Series:
    """Per-step timings of one probe kind on both databases, round by round."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, list[dict]]] = {"scale": {}, "example": {}, "encrypted": {}}
        self.peaks: dict[str, list[float]] = {"scale": [], "example": [], "encrypted": []}
        self.rows: dict = {}

    def add(self, side: str, timings: dict, run: Run) -> None:
        for step, value in timings.items():
            if step == "rows":
                if side == "scale":
                    self.rows = value
                continue
            self.steps[side].setdefault(step, []).append(value)
        if run.peak_mb is not None:
            self.peaks[side].append(run.peak_mb)

    def wall(self, side: str, step: str) -> float:
        return _median([t["s"] for t in self.steps[side][step]])

    def cpu(self, side: str, step: str) -> float:
        return _median([t["cpu"] for t in self.steps[side][step]])

    def paired(self, step: str, side: str = "scale", base: str = "example") -> float:
        pairs = zip(self.steps[side][step], self.steps[base][step], strict=True)
        return _median([a["s"] / b["s"] for a, b in pairs])

    def encrypted(self, name: str, step: str) -> Result:
        """The scale figure on the encrypted copy against the same on the plaintext file."""
        return Result(
            name,
            self.wall("encrypted", step),
            self.wall("scale", step),
            target="≤ ×1.30",
            note=f"encrypted copy vs plaintext, same rounds; CPU {self.cpu('encrypted', step):.3f} s "
            f"vs {self.cpu('scale', step):.3f} s",
            paired_ratio=self.paired(step, "encrypted", "scale"),
        )

    def result(self, name: str, step: str, target: str, note: str) -> Result:
        cpu = f"CPU {self.cpu('scale', step):.3f} s vs {self.cpu('example', step):.3f} s"
        return Result(
            name,
            self.wall("scale", step),
            self.wall("example", step),
            target=target,
            note=f"{note}; baseline: the same on the example unit; {cpu}",
            paired_ratio=self.paired(step),
        )


def run(work: Path, runs: int) -> list[Result]:
    example = example_database(work)
    path = work / "scale.sqlite3"
    unit = build(path)
    print(
        f"  (scale: {unit.petitions:,} petitions, {unit.hazards:,} hazards, {unit.inspections:,} "
        f"inspections, {unit.projects} projects; built in {unit.seconds:.1f} s, "
        f"{path.stat().st_size / 1e6:.0f} MB)",
        flush=True,
    )
    started = time.perf_counter()
    locked = encrypted_copy(path, work / "scale-encrypted.sqlite3")
    print(f"  (scale: encrypted copy made in {time.perf_counter() - started:.1f} s)", flush=True)
    rounds = max(3, runs // 2)
    series = {kind: _Series() for kind in (*GUI_KINDS, "statistics")}
    for round_no in range(rounds + 1):  # round 0 warms .pyc files and the file cache
        for kind, one in series.items():
            for side, db in (("scale", path), ("example", example), ("encrypted", locked)):
                timings, proc = _probe(kind, db, work)
                if round_no:
                    one.add(side, timings, proc)

    app_runs, floor_runs, locked_runs = [], [], []
    app_out, floor_out = work / "ledger-app.xlsx", work / "ledger-floor.xlsx"
    ledger_rows = 0
    for _ in range(max(2, runs // 5)):
        timings, proc = _probe("ledger", path, work, str(app_out))
        ledger_rows = timings["rows"]["total"]
        app_runs.append(proc)
        locked_runs.append(_probe("ledger", locked, work, str(work / "ledger-encrypted.xlsx"))[1])
        floor_runs.append(
            measured_run(
                [PYTHON, str(FLOOR), str(path), "1", str(YEAR), TODAY.isoformat(), str(floor_out)],
                env=qt_env(work / "data"),
            )
        )
    same = _same_sheets(app_out, floor_out)

    results = []
    for kind, title in (("petitions", "信访"), ("hazards", "隐患台账")):
        one = series[kind]
        rows = one.rows
        first = one.wall("scale", "import") + one.wall("scale", "create")
        results += [
            one.result(
                f"scale.{kind}.open",
                "shown",
                "< 0.3 s",
                f"{title} page load() and paint, {rows['total']:,} rows in the year; creating the page "
                f"the first time adds {first:.3f} s (import, widgets)",
            ),
            one.result(
                f"scale.{kind}.filter",
                "filter",
                "< 0.3 s",
                f"{'category 施工扰民' if kind == 'petitions' else 'category 高处坠落'} in the year: "
                f"{rows['filter']:,} rows",
            ),
            one.result(
                f"scale.{kind}.search",
                "search",
                "< 0.3 s",
                f"overdue with a keyword ({KEYWORDS[kind]}): {rows['search']:,} rows",
            ),
        ]
    stats = series["statistics"]
    results.append(
        stats.result(
            "scale.statistics",
            "statistics",
            "< 0.5 s",
            f"{YEAR} safety statistics with 同比 {stats.wall('scale', 'safety'):.3f} s, "
            f"petition statistics with 同比 {stats.wall('scale', 'petitions'):.3f} s; "
            f"computed again in the same process {stats.wall('scale', 'again'):.3f} s",
        )
    )
    pairs = [a.wall / b.wall for a, b in zip(app_runs, floor_runs, strict=True)]
    cpu = ""
    if app_runs[0].cpu is not None:
        cpu_ratio = _median([a.cpu for a in app_runs]) / _median([b.cpu for b in floor_runs])  # type: ignore[misc]
        cpu = f"; CPU-time ratio ×{cpu_ratio:.2f}"
    results.append(
        Result(
            "scale.hazard-ledger",
            _median([r.wall for r in app_runs]),
            _median([r.wall for r in floor_runs]),
            target="≤ ×1.30",
            paired_ratio=_median(pairs),
            note=f"{ledger_rows:,} rows × 13 columns, whole processes, {len(app_runs)} runs; "
            f"worksheets {'identical' if same else 'DIFFERENT'} to the floor's{cpu}",
        )
    )
    for kind in GUI_KINDS:
        for step in ("shown", "filter", "search"):
            results.append(series[kind].encrypted(f"scale.encrypted.{kind}.{step}", step))
    results.append(series["statistics"].encrypted("scale.encrypted.statistics", "statistics"))
    results.append(
        Result(
            "scale.encrypted.hazard-ledger",
            _median([r.wall for r in locked_runs]),
            _median([r.wall for r in app_runs]),
            target="≤ ×1.30",
            paired_ratio=_median([a.wall / b.wall for a, b in zip(locked_runs, app_runs, strict=True)]),
            note="the ledger export on the encrypted copy vs the plaintext file, whole processes",
        )
    )
    peaks = {kind: max(one.peaks["scale"]) for kind, one in series.items() if one.peaks["scale"]}
    peaks["ledger"] = max(r.peak_mb or 0 for r in app_runs)
    base = {kind: max(one.peaks["example"]) for kind, one in series.items() if one.peaks["example"]}
    if peaks and base:
        results.append(
            Result(
                "scale.peak-memory",
                max(peaks.values()),
                max(base.values()),
                unit="MB",
                target="< 300 MB",
                note="per process: "
                + ", ".join(f"{kind} {mb:.0f} MB" for kind, mb in peaks.items())
                + f"; floor {max(r.peak_mb or 0 for r in floor_runs):.0f} MB"
                + "; baseline: the same on the example unit",
            )
        )
    return results
