"""Two editors of one record, on every editor: how many stale saves are refused, and how many
silently revert the other editor's change (issue 12 §1, §5).

    python bench/lost_updates.py [--tree DIR] [--pg URL]

For each editor of tests/edit_scenarios.py: make a record, load it twice (A and B), A changes one
field and saves, B (still holding the old copy) changes another field and saves. B's save is
"refused" when it raises; otherwise it is "lost" when A's change is no longer stored. `--tree`
is the source tree to measure (default: this one; `git archive <commit> | tar -x -C DIR` gives
the figures before a change; a tree whose forms carry no version gets None, as its UI did).
`--pg` runs the same on a PostgreSQL database (its schema is dropped and rebuilt).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def _scenarios():
    spec = importlib.util.spec_from_file_location("edit_scenarios", HERE / "tests" / "edit_scenarios.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.EDITORS


def _database(pg_url: str | None, folder: Path):
    from app.db import Database, location_for
    from app.migrate import ensure_current

    if pg_url:
        from sqlalchemy import create_engine, text

        engine = create_engine(location_for(url=pg_url).url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        db = Database(location_for(url=pg_url))
    else:
        db = Database(location_for(folder / "lost-updates.sqlite3"))
    ensure_current(db)
    return db


def run(pg_url: str | None = None) -> list[tuple[str, str]]:
    from app.services.unit import create_unit

    outcomes = []
    with tempfile.TemporaryDirectory(prefix="zjtb-lost-") as tmp:
        os.environ["ZJTB_DATA_DIR"] = str(Path(tmp) / "data")
        for editor in _scenarios():
            db = _database(pg_url, Path(tmp) / editor.name)
            try:
                unit_id = create_unit(db, "测试县建筑工程服务中心", 2024)
                record_id = editor.make(db, unit_id)
                copy_a, copy_b = editor.load(db, record_id), editor.load(db, record_id)
                setattr(copy_a, *editor.mine)
                editor.save(db, unit_id, record_id, copy_a)
                setattr(copy_b, *editor.theirs)
                try:
                    editor.save(db, unit_id, record_id, copy_b)
                except Exception as exc:  # any refusal counts; its message is shown
                    outcomes.append((editor.name, f"refused: {exc}"))
                    continue
                kept = getattr(editor.load(db, record_id), editor.mine[0]) == editor.mine[1]
                outcomes.append((editor.name, "both kept" if kept else "lost: A's change reverted"))
            finally:
                db.dispose()
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", type=Path, help="the source tree to measure (default: this one)")
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL database to run on instead of SQLite")
    args = parser.parse_args()
    tree = (args.tree or HERE).resolve()
    sys.path.insert(0, str(tree))
    outcomes = run(args.pg)
    for name, outcome in outcomes:
        print(f"{name}: {outcome}")
    lost = sum(o.startswith("lost") for _n, o in outcomes)
    refused = sum(o.startswith("refused") for _n, o in outcomes)
    print(f"{tree}: {len(outcomes)} editors, {refused} stale saves refused, {lost} silently lost an edit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
