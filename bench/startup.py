"""Start-up: process start → main window first painted, and → the example unit's data on screen
with the event loop idle, each against a bare PySide6 baseline (bench/baselines/bare_window.py).

Both moments are detected inside the process by ui/startup_probe.py (ZJTB_STARTUP_TRACE), the
same code in the app and in the baselines; every figure is the median of fresh-process runs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.common import PYTHON, ROOT, Result, Samples, qt_env
from bench.encryption import ENV, PASSWORD, encrypted_copy

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
    locked = encrypted_copy(db, work / "example-encrypted.sqlite3")
    samples = Samples(
        {
            "app": app_command(db),
            "bare": [PYTHON, BARE],
            "bare+orm": [PYTHON, BARE, "--with-orm", str(db)],
            # the encrypted copy, its password given as a script gives it (issue 13)
            "encrypted": ["env", f"{ENV}={PASSWORD}", *app_command(locked)],
        },
        runs,
    )
    heavy = samples.details["app"].get("first-paint", "-")
    note = f"{runs} runs, medians, ratio = median of paired runs"
    if heavy != "-":
        note += f"; loaded before the first paint: {heavy}"
    return [
        samples.result("startup.first-paint", "app", "bare", "first-paint", target="≤ ×1.30", note=note),
        samples.result("startup.data-idle", "app", "bare+orm", "ready", target="≤ ×1.30", note=note),
        samples.result(
            "startup.encrypted.first-paint",
            "encrypted",
            "app",
            "first-paint",
            target="unchanged (≈ ×1.00)",
            note="the encrypted copy with ZJTB_PASSWORD vs the plaintext file; loaded before the first "
            f"paint: {samples.details['encrypted'].get('first-paint', '-')}",
        ),
        samples.result(
            "startup.encrypted.data-idle",
            "encrypted",
            "app",
            "ready",
            target="≤ ×1.30",
            note="the same, to the data on screen (scrypt unlock and SQLCipher included)",
        ),
    ]
