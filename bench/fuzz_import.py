"""Malformed budget workbooks against the importer (issue 12 §2): how many crash, and how long a
300,000-row sheet takes.

    python bench/fuzz_import.py                       # this tree
    python bench/fuzz_import.py --app /tmp/before-A   # another tree's app (e.g. an older commit)
    python bench/fuzz_import.py --count 3130 --seed 7

The workbooks are built by tests/property/workbooks.py (the same recipes as the property test, drawn
here with random.Random(seed)) from the example year's exported tables, and imported one by one
into a copy of the example database with app.importers.budget_xlsx.import_files. Outcomes:
imported; refused (UserError, database unchanged); refused but the database changed; crashed
(any other exception, counted by type). The 300,000-row sheet is imported in a child process and
killed after --big-timeout seconds.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
YEAR = 2023


def _workbooks_module():
    """tests/property/workbooks.py of this tree, loaded by path (the app under test may be another
    tree, whose own tests package would shadow it)."""
    source = HERE / "tests" / "property" / "workbooks.py"
    spec = importlib.util.spec_from_file_location("fuzz_workbooks", source)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_workbooks"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _use_app(root: Path, data_dir: Path) -> None:
    os.environ["ZJTB_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(root))


def _example_db(folder: Path):
    from app.db import Database, location_for
    from app.example_data import load_example
    from app.migrate import ensure_current
    from app.services.unit import first_unit

    db = Database(location_for(folder / "fuzz.sqlite3"))
    ensure_current(db)
    load_example(db)
    with db.session() as session:
        unit = first_unit(session)
        assert unit is not None
        return db, unit.id


def _dump(db) -> dict[str, list]:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars().all()
        return {n: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{n}"'))), key=repr) for n in names}


def _big_workbook(path: Path, rows: int) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("项目支出")
    sheet.write_row(0, 0, ["2023年度项目支出绩效自评表"])
    sheet.write_row(1, 0, ["项目支出名称", "", "大项目"])
    header = ["项目资金", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    sheet.write_row(3, 0, header)
    for row in range(4, rows):
        sheet.write_row(row, 0, ["", f"第{row}行", "", row % 97, row % 89, row % 83])
    book.close()
    return path


def fuzz(args: argparse.Namespace, folder: Path) -> None:
    from app.errors import UserError
    from app.exports.package import export_year
    from app.importers.budget_xlsx import import_files

    workbooks = _workbooks_module()
    db, unit_id = _example_db(folder)
    exported = export_year(
        db, unit_id, YEAR, folder / "templates", keys={"budget.tables"}, into_package_folder=False
    )
    templates = [p.read_bytes() for p in sorted(exported.files)]
    rng = random.Random(args.seed)
    outcomes: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    first: dict[str, str] = {}
    path = folder / "表.xlsx"
    before = _dump(db)
    start = time.perf_counter()
    for _ in range(args.count):
        recipe = workbooks.random_recipe(rng, len(templates))
        path.write_bytes(workbooks.build(templates, recipe))
        try:
            import_files(db, unit_id, YEAR, [path])
        except UserError:
            after = _dump(db)
            outcomes["refused" if after == before else "refused, database changed"] += 1
        except Exception as exc:
            name = type(exc).__name__
            crashes[name] += 1
            outcomes["crashed"] += 1
            first.setdefault(name, f"{recipe}\n{traceback.format_exc(limit=-3)}")
            before = _dump(db)
        else:
            outcomes["imported"] += 1
            before = _dump(db)
    elapsed = time.perf_counter() - start
    print(f"workbooks: {args.count} (seed {args.seed}) in {elapsed:.1f} s")
    for key in ("imported", "refused", "refused, database changed", "crashed"):
        print(f"  {key}: {outcomes[key]}")
    for name, count in crashes.most_common():
        print(f"    {name}: {count}")
    if args.verbose:
        for name, text in first.items():
            print(f"--- first {name}:\n{text}")
    db.dispose()


def big(args: argparse.Namespace, folder: Path) -> None:
    path = _big_workbook(folder / "big.xlsx", args.rows)
    command = [sys.executable, __file__, "--app", str(args.app), "--big-child", str(path)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.big_timeout)
    except subprocess.TimeoutExpired:
        print(f"{args.rows}-row sheet: still running after {args.big_timeout:.0f} s (killed)")
        return
    elapsed = time.perf_counter() - start
    outcome = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-300:]
    print(f"{args.rows}-row sheet: {elapsed:.1f} s (child process, with start-up) — {outcome}")


def big_child(path: Path, folder: Path) -> None:
    """In the child: the example database, then the one import, timed."""
    from app.errors import UserError
    from app.importers.budget_xlsx import import_files

    db, unit_id = _example_db(folder)
    start = time.perf_counter()
    try:
        import_files(db, unit_id, YEAR, [path])
        outcome = "imported"
    except UserError as exc:
        outcome = f"refused: {str(exc)[:120]}"
    except Exception as exc:
        outcome = f"crashed: {type(exc).__name__}"
    print(f"import {time.perf_counter() - start:.1f} s, {outcome}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=HERE, help="the tree whose app/ is tested")
    parser.add_argument("--count", type=int, default=313)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--big-timeout", type=float, default=60.0)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="show the first traceback of each crash")
    parser.add_argument("--big-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zjtb-fuzz-") as temp:
        folder = Path(temp)
        _use_app(args.app.resolve(), folder / "data")
        if args.big_child:
            big_child(args.big_child, folder)
            return
        print(f"app: {args.app.resolve()}")
        fuzz(args, folder)
        if not args.skip_big:
            big(args, folder)


if __name__ == "__main__":
    main()
