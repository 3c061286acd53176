"""Bundle: start-up of the packaged program (dist/zjtb) against running the same sources.

Same probe and the same two moments as bench/startup.py (first paint; the unit's data on screen
and idle), plus the wall time of a headless `check`. The bundle is built when missing.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path

from bench.common import PYTHON, ROOT, Result, Samples, qt_env
from bench.startup import app_command, example_database


def _wall(command: list[str], work: Path, runs: int) -> float:
    times = []
    for round_no in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=qt_env(work / "data"), check=True, capture_output=True)
        if round_no:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(work: Path, runs: int, bundle_dir: Path | None = None) -> list[Result]:
    from tools import bundle

    folder = bundle_dir or bundle.DIST / bundle.BUNDLE_NAME
    if not bundle.executable(bundle.GUI_EXE, folder).exists():
        print("  (bundle: building dist/zjtb first)", flush=True)
        folder = bundle.build()
    gui = str(bundle.executable(bundle.GUI_EXE, folder))
    cli = str(bundle.executable(bundle.CLI_EXE, folder))
    db = example_database(work)
    samples = Samples(
        {"bundle": [gui, "--db", str(db), "--quit-when-ready"], "source": app_command(db)}, runs
    )
    check = ["check", "--year", "2023", "--db", str(db)]
    size = f"bundle {bundle.folder_size(folder) / 1e6:.0f} MB"
    return [
        samples.result("bundle.first-paint", "bundle", "source", "first-paint", note=f"vs source; {size}"),
        samples.result("bundle.data-idle", "bundle", "source", "ready", note="vs source"),
        Result(
            "bundle.cli-check",
            _wall([cli, *check], work, runs),
            _wall([PYTHON, str(ROOT / "main.py"), *check], work, runs),
            note="vs source, whole process",
        ),
    ]
