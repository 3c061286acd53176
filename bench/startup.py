"""Start-up: process start → main window first painted, and → the example unit's data on screen
with the event loop idle, each against a bare PySide6 baseline (bench/baselines/bare_window.py).

Both moments are detected inside the process by ui/startup_probe.py (ZJTB_STARTUP_TRACE), the
same code in the app and in the baselines; every figure is the median of fresh-process runs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.common import PYTHON, ROOT, Result, median_traces, qt_env

BARE = str(ROOT / "bench" / "baselines" / "bare_window.py")


def example_database(folder: Path, command: list[str] | None = None) -> Path:
    """The example unit in a fresh SQLite file, made by the app's own `demo` command."""
    path = folder / "example.sqlite3"
    if not path.exists():
        subprocess.run(
            [*(command or [PYTHON, str(ROOT / "main.py")]), "demo", "--db", str(path)],
            cwd=ROOT,
            env=qt_env(folder / "data"),
            check=True,
            capture_output=True,
        )
    return path


def app_command(db: Path) -> list[str]:
    return [PYTHON, str(ROOT / "main.py"), "--db", str(db), "--quit-when-ready"]


def run(work: Path, runs: int) -> list[Result]:
    db = example_database(work)
    medians = median_traces(
        {
            "app": app_command(db),
            "bare": [PYTHON, BARE],
            "bare+orm": [PYTHON, BARE, "--with-orm", str(db)],
        },
        runs,
    )
    app, bare, orm = medians["app"], medians["bare"], medians["bare+orm"]
    heavy = app.get("first-paint:detail", "-")
    note = f"{runs} runs, median" + ("" if heavy == "-" else f"; loaded before the first paint: {heavy}")
    return [
        Result("startup.first-paint", app["first-paint"], bare["first-paint"], target="≤ ×1.30", note=note),
        Result(
            "startup.data-idle", app["ready"], orm["ready"], target="≤ ×1.30", note=f"{runs} runs, median"
        ),
    ]
