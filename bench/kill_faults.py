"""Kill -9 during `export` and during a backup, and count what is left behind (issue 12 §3, §5).

    python bench/kill_faults.py [--tree DIR] [--exports 25] [--backups 40] [--seed 12]

`--tree` is the source tree to measure (default: this one; an older commit unpacked with
`git archive <commit> | tar -x -C DIR` gives the figures before a change); the Python running this
script runs it, so its .venv must have that tree's requirements.

Exports: the example data (`main.py demo --db X`), one complete `main.py export` to time it, then
N runs each killed with SIGKILL at a moment drawn uniformly from that time (process start
included). After each kill the new hidden `.zjtb-export-*` staging folders (and `.zjtb-probe-*`
files) are counted: a run "left an orphan" when one of them is new. Backups the same: a copy of
the example database grown to --db-mb MB with rows of phone numbers (what a `.part` leaks),
`app.backup.backup_sqlite` into the backup folder beside it in a child process, killed at a
random moment of its lifetime; orphans are `*.part`, `*.part-journal`, `*.part.lock`.

Then "the next start": one GUI start (offscreen, `--quit-when-ready`: a build that sweeps at
start does it there), counted; then one complete export and one complete backup (a build that
sweeps before each does it there), counted again. Only the work folder made here is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_BACKUP_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
    "from app.backup import backup_sqlite; backup_sqlite(Path(sys.argv[2]), Path(sys.argv[3]), 'manual')"
)


@dataclass
class Tally:
    name: str
    runs: int = 0
    killed_running: int = 0  # the process was still running when killed
    runs_leaving: int = 0
    largest: int = 0  # bytes of the largest orphan
    after_kills: int = 0
    after_gui_start: int = 0
    after_next_run: int = 0
    seconds_per_run: float = 0.0
    samples: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.name}: {self.runs_leaving} of {self.runs} runs left an orphan "
            f"({self.killed_running} killed while running, largest {self.largest / 1e6:.1f} MB); "
            f"orphan files or folders present after the kills {self.after_kills}, after a GUI start "
            f"{self.after_gui_start}, after the next {self.name} {self.after_next_run}"
        )


def _env(data: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "ZJTB_DATA_DIR": str(data),
        "PYTHONIOENCODING": "utf-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("DATABASE_URL", None)
    return env


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def export_orphans(out: Path) -> dict[Path, int]:
    if not out.exists():
        return {}
    found = [p for p in out.iterdir() if p.name.startswith(".zjtb-export-")]
    found += [p for p in out.rglob(".zjtb-probe-*")]
    return {p: _size(p) for p in found}


def backup_orphans(folder: Path) -> dict[Path, int]:
    if not folder.exists():
        return {}
    suffixes = (".part", ".part-journal", ".part.lock")
    return {p: _size(p) for p in folder.iterdir() if p.name.endswith(suffixes)}


def _kill_at_random(command: list[str], env: dict[str, str], window: float, rng: random.Random) -> bool:
    """Start `command`, SIGKILL it after a uniform draw from `window` s; True if it was running."""
    process = subprocess.Popen(
        command, env=env, cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(rng.uniform(0, window))
    running = process.poll() is None
    if running:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=120)
    return running


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=HERE, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - started


def _kill_loop(tally: Tally, command: list[str], env: dict[str, str], runs: int, count, rng) -> None:
    tally.seconds_per_run = _timed(command, env)
    for _ in range(runs):
        before = count()
        tally.runs += 1
        tally.killed_running += _kill_at_random(command, env, tally.seconds_per_run, rng)
        new = {p: size for p, size in count().items() if p not in before}
        if new:
            tally.runs_leaving += 1
            tally.largest = max(tally.largest, *new.values())
            tally.samples.extend(p.name for p in new)
    tally.after_kills = len(count())


def _grow(db: Path, megabytes: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE IF NOT EXISTS bench_filler (phone TEXT, note TEXT)")
    rows = [(f"138{n:08d}", "联系人电话 " * 20) for n in range(5000)]
    while db.stat().st_size < megabytes * 1_000_000:
        conn.executemany("INSERT INTO bench_filler VALUES (?, ?)", rows)
        conn.commit()
    conn.close()


def run(tree: Path, exports: int, backups: int, seed: int, db_mb: int, work: Path) -> list[Tally]:
    rng = random.Random(seed)
    data = work / "data"
    env = _env(data)
    db = work / "x.sqlite3"
    main = str(tree / "main.py")
    subprocess.run(
        [PYTHON, main, "demo", "--db", str(db)], env=env, cwd=HERE, check=True, capture_output=True
    )
    out = work / "out"
    export_command = [PYTHON, main, "export", "--year", "2023", "--out", str(out), "--db", str(db)]

    big = work / "big" / "zjtb.sqlite3"
    big.parent.mkdir()
    shutil.copyfile(db, big)
    _grow(big, db_mb)
    backup_dir = big.parent / "backups"  # app.paths.backups_dir_for
    backup_command = [PYTHON, "-c", _BACKUP_CHILD, str(tree), str(big), str(backup_dir)]

    exported = Tally("export")
    _kill_loop(exported, export_command, env, exports, lambda: export_orphans(out), rng)
    backed_up = Tally("backup")
    _kill_loop(backed_up, backup_command, env, backups, lambda: backup_orphans(backup_dir), rng)

    for db_file in (db, big):  # a GUI start on each data file (the export folder is remembered by either)
        subprocess.run(
            [PYTHON, main, "--db", str(db_file), "--quit-when-ready"],
            env=env,
            cwd=HERE,
            capture_output=True,
            timeout=300,
        )
    time.sleep(1)  # a sweep started in the background at start may still be finishing
    exported.after_gui_start = len(export_orphans(out))
    backed_up.after_gui_start = len(backup_orphans(backup_dir))

    subprocess.run(export_command, env=env, cwd=HERE, check=True, capture_output=True, timeout=600)
    subprocess.run(backup_command, env=env, cwd=HERE, check=True, capture_output=True, timeout=600)
    exported.after_next_run = len(export_orphans(out))
    backed_up.after_next_run = len(backup_orphans(backup_dir))
    return [exported, backed_up]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", type=Path, default=HERE, help="source tree to measure (default: this one)")
    parser.add_argument("--exports", type=int, default=25, help="export runs to kill")
    parser.add_argument("--backups", type=int, default=40, help="backup runs to kill")
    parser.add_argument("--db-mb", type=int, default=20, help="size of the database backed up")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zjtb-kill-") as tmp:
        tallies = run(args.tree.resolve(), args.exports, args.backups, args.seed, args.db_mb, Path(tmp))
    print(f"tree: {args.tree.resolve()}  seed: {args.seed}")
    for tally in tallies:
        print(tally.line() + f"  [{tally.seconds_per_run:.2f} s per complete run]")
    if args.json:
        print(json.dumps([{k: v for k, v in vars(t).items() if k != "samples"} for t in tallies]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
