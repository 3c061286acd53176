"""Damaged data files given to the command line: how many end in a traceback (issue 12 §4/§5).

Each case is a copy of the example database damaged one way (random bytes, truncated at several
offsets, bytes flipped in b-tree page headers, a text file, another program's database, a
zero-length file), run through `main.py check --year 2023 --db CASE` in this process. A traceback
is an exception out of the command, or the catch-all "程序内部错误" message. Only public entry
points (main.main) are used, so the same script measures an older tree:

    .venv/bin/python -m bench.damaged_files            # prints: cases, tracebacks, exit codes
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAGE = 4096


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path, Path], None]  # (sound example file, file to write)


def _random_bytes(_good: Path, out: Path) -> None:
    out.write_bytes(random.Random(12).randbytes(64 * 1024))


def _truncate(fraction: float) -> Callable[[Path, Path], None]:
    def make(good: Path, out: Path) -> None:
        data = good.read_bytes()
        out.write_bytes(data[: int(len(data) * fraction)])

    return make


def _truncate_at(offset: int) -> Callable[[Path, Path], None]:
    def make(good: Path, out: Path) -> None:
        out.write_bytes(good.read_bytes()[:offset])

    return make


def _flip_page_headers(seed: int, pages: int) -> Callable[[Path, Path], None]:
    """XOR one byte of the b-tree page header (type, first freeblock, cell count, cell content
    start) of `pages` random pages, page 1 (the schema) included for some seeds."""

    def make(good: Path, out: Path) -> None:
        data = bytearray(good.read_bytes())
        rng = random.Random(seed)
        count = len(data) // PAGE
        for _ in range(pages):
            page = rng.randrange(0 if seed % 3 == 0 else 1, count)
            start = page * PAGE + (100 if page == 0 else 0)
            data[start + rng.randrange(0, 8)] ^= rng.choice((0x01, 0x0F, 0x55, 0xFF))
        out.write_bytes(bytes(data))

    return make


def _text(_good: Path, out: Path) -> None:
    out.write_text("单位,年度\n汨罗市建筑工程服务中心,2023\n", encoding="utf-8")


def _foreign(_good: Path, out: Path) -> None:
    with contextlib.closing(sqlite3.connect(out)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('张三', '13800000000')")
        conn.commit()


def _empty(_good: Path, out: Path) -> None:
    out.write_bytes(b"")


CASES: list[Case] = [
    Case("random-bytes", _random_bytes),
    Case("text-file", _text),
    Case("other-program", _foreign),
    Case("zero-length", _empty),
    Case("truncated-at-50", _truncate_at(50)),
    Case("truncated-at-100", _truncate_at(100)),
    Case("truncated-at-page-2", _truncate_at(PAGE + 10)),
    *(Case(f"truncated-{int(f * 100)}pct", _truncate(f)) for f in (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)),
    *(Case(f"flipped-headers-{seed}", _flip_page_headers(seed, 1 + seed % 4)) for seed in range(12)),
]


@dataclass(frozen=True)
class Outcome:
    case: str
    code: int | None  # None: an exception left the command
    stderr: str

    @property
    def traceback(self) -> bool:
        return self.code is None or "程序内部错误" in self.stderr or "Traceback" in self.stderr


def run_case(case: Case, good: Path, folder: Path) -> Outcome:
    import main

    target = folder / case.name / "data.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    case.make(good, target)
    err = io.StringIO()
    code: int | None
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main.main(["check", "--year", "2023", "--db", str(target)])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except Exception:
            import traceback

            traceback.print_exc(file=err)
            code = None
    return Outcome(case.name, code, err.getvalue())


def make_example(folder: Path) -> Path:
    """The example unit in a checkpointed SQLite file (what a closed program leaves)."""
    from app.db import Database, location_for
    from app.example_data import load_example
    from app.migrate import ensure_current

    path = folder / "example.sqlite3"
    db = Database(location_for(path))
    ensure_current(db)
    load_example(db)
    db.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    folder = Path(tempfile.mkdtemp(prefix="zjtb-damaged-"))
    os.environ["ZJTB_DATA_DIR"] = str(folder / "data")
    try:
        good = make_example(folder)
        outcomes = [run_case(case, good, folder) for case in CASES]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for outcome in outcomes:
        flag = "TRACEBACK" if outcome.traceback else "ok"
        last = outcome.stderr.strip().splitlines()[-1] if outcome.stderr.strip() else ""
        print(f"{outcome.case:24} exit {outcome.code}  {flag:9} {last[:90]}")
    codes = Counter(o.code for o in outcomes)
    print(f"cases {len(outcomes)}, tracebacks {sum(o.traceback for o in outcomes)}, exit codes {dict(codes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
