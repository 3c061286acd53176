"""Revision 0009 gives every existing unit the seed 隐患类别 list, and leaves the hazards as they were."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.db import Database, location_for
from app.migrate import ensure_current, upgrade
from app.services.safety.categories import categories, resolve
from app.services.safety.constants import HAZARD_CATEGORIES

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "v0008_with_data.sqlite3"


def test_upgrading_seeds_the_list_for_each_unit(tmp_path: Path) -> None:
    path = tmp_path / "v0008.sqlite3"
    shutil.copyfile(FIXTURE, path)
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT id, category FROM safety_hazard ORDER BY id").fetchall()
        units = [r[0] for r in conn.execute("SELECT id FROM unit")]
    db = Database(location_for(path))
    try:
        ensure_current(db)
        with db.session() as session:
            for unit_id in units:
                items = categories(session, unit_id)
                assert [i.name for i in items] == list(HAZARD_CATEGORIES)
                assert all(i.id is not None for i in items)
                assert resolve(items, "触电") == "临时用电"
        # running the step again (a run that died before recording it) adds nothing
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0008'")
        upgrade(db)
    finally:
        db.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT id, category FROM safety_hazard ORDER BY id").fetchall() == before
        assert len(before) > 0
        assert conn.execute("SELECT count(*) FROM safety_hazard_category").fetchone() == (12 * len(units),)
