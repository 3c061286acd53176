"""Pages: the first open of each page (navigation click → the page painted) once the example unit's
data is on screen and the window has been idle for a while (the idle prefetch of the page modules
has had its time), and the F7 check (MainWindow.run_checks) on the example unit.

Every figure is the median of fresh processes (`python -m bench.pages probe DB PAGE`), one page
per process, so that no page profits from the modules another page imported.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PYTHON, ROOT, Result, qt_env
from bench.startup import example_database

PAGE_TARGET_S = 0.3
CHECK_TARGET_S = 0.2
# How long the window is left idle after the data is on screen before the page is clicked: the
# prefetch runs in idle time and takes about a second on the example unit.
IDLE_WAIT_S = 4.0
# F7 comes this long after the page opened: what the page started in the background has ended.
CHECK_WAIT_MS = 1500


def _probe(db: Path, page: str, work: Path) -> dict[str, float]:
    done = subprocess.run(
        [PYTHON, "-m", "bench.pages", "probe", str(db), page],
        cwd=ROOT,
        env=qt_env(work / "data"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.pages probe {page} exited {done.returncode}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(work: Path, runs: int) -> list[Result]:
    from ui.pages import PAGES

    db = example_database(work)
    keys = [spec.key for spec in PAGES]
    opens: dict[str, list[float]] = {key: [] for key in keys}
    cpu: dict[str, list[float]] = {key: [] for key in keys}
    checks: list[float] = []
    checks_cpu: list[float] = []
    for round_no in range(runs + 1):  # round 0 warms file caches and .pyc files
        for key in keys:
            figures = _probe(db, key, work)
            if round_no:
                if figures["open"] >= 0:
                    opens[key].append(figures["open"])
                    cpu[key].append(figures["open-cpu"])
                checks.append(figures["check"])
                checks_cpu.append(figures["check-cpu"])
    note = f"{runs} fresh processes per page, medians, after {IDLE_WAIT_S:g} s idle"
    results = [
        Result(
            f"pages.first-open.{spec.key}",
            statistics.median(opens[spec.key]),
            target=f"< {PAGE_TARGET_S} s",
            note=f"{spec.title}; {note}; GUI-thread CPU {statistics.median(cpu[spec.key]):.3f} s",
        )
        if opens[spec.key]
        else Result(f"pages.first-open.{spec.key}", None, note=f"{spec.title}: shown at start, not clicked")
        for spec in PAGES
    ]
    results.append(
        Result(
            "pages.check-f7",
            statistics.median(checks),
            target=f"< {CHECK_TARGET_S} s",
            note=f"MainWindow.run_checks on the example unit's latest year, {CHECK_WAIT_MS} ms after the "
            f"page opened; {len(checks)} runs; GUI-thread CPU {statistics.median(checks_cpu):.3f} s",
        )
    )
    return results


def probe(db: str, key: str) -> dict[str, float]:
    """In this process: open the window on `db`, wait for the data and then IDLE_WAIT_S of idle
    time, click `key` in the navigation and time it until the page has been painted; then F7."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.application import create_application, ui_settings
    from ui.main_window import MainWindow

    app = create_application()
    window = MainWindow(db, ui_settings())
    window.resize(1280, 720)
    figures: dict[str, float] = {}

    class PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.started = 0.0
            self.cpu = 0.0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.started and "open" not in figures:
                QTimer.singleShot(0, self.painted)
            return False

        def painted(self) -> None:
            if "open" not in figures:
                figures["open"] = time.perf_counter() - self.started
                figures["open-cpu"] = time.thread_time() - self.cpu
                QTimer.singleShot(CHECK_WAIT_MS, check)

    watch = PaintWatch()

    def click() -> None:
        row = window.nav.row_of(key)
        if key in window.pages:  # the page every start opens (工作台): nothing to click
            figures["open"] = -1.0
            QTimer.singleShot(CHECK_WAIT_MS, check)
            return
        watch.started = time.perf_counter()
        watch.cpu = time.thread_time()
        window.stack.installEventFilter(watch)
        window.stack.currentChanged.connect(lambda _i: window.stack.currentWidget().installEventFilter(watch))
        window.nav.setCurrentRow(row)

    def check() -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        window.run_checks()
        figures["check"] = time.perf_counter() - started
        figures["check-cpu"] = time.thread_time() - cpu
        window.close()
        app.quit()

    def entered() -> None:
        QTimer.singleShot(int(IDLE_WAIT_S * 1000), click)

    window.entered.connect(entered)
    window.show()
    window.start()
    QTimer.singleShot(60000, app.quit)
    QApplication.exec()
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "probe":
        print(json.dumps(probe(sys.argv[2], sys.argv[3])))
    else:
        print("usage: python -m bench.pages probe DB PAGE", file=sys.stderr)
        sys.exit(2)
