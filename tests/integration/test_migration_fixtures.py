"""Every fixture file in tests/fixtures/ (one per landed revision, and the files the early builds of
main wrote) upgrades to the head with every row of every table kept."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.db import Database, location_for
from app.migrate import HEAD, REVISION_TABLES, current_revision, ensure_current
from app.services.unit import years_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VERSIONS = Path(__file__).resolve().parents[2] / "app" / "migrations" / "versions"
FILES = sorted(p.name for p in FIXTURES.glob("v*.sqlite3"))

# A landed migration is frozen: users' files are stamped with it. A schema change is a new
# revision (add its script's hash here when it lands, with its fixture file).
LANDED = {
    "0001_unit_and_years.py": "da0a10fc6444e753e2a2bc5566f83514dbea0bf90bbb2c1be40bc9af972402e2",
    "0002_budget.py": "e2b069b21cd6b0b4352fb5246477c240d378dbe30b9d516f4943e5bbb9ea1536",
    "0003_safety.py": "7b7e59f73497ff6d6798231a478db81b90173ac93914d89d7d77fbb762388a67",
    "0004_registers.py": "5347251db50acdb69b180376b794a2db3335ef2c8350dc0772da83440bc2f45a",
    "0005_reports.py": "ce037b118794455a59c1d0ba9b0d69b4f2aab97f825e8f9837fb49b41011583d",
    "0006_list_indexes.py": "08019e562e989e13507ac9af8e4dbb2e87135913ce5aa0d4937a295c33385465",
    "0007_record_versions.py": "5213b41e41ffcea548d75b8650e8c61c9b52301eadee0e60d8c8bf00881c4bd8",
    "0008_date_choices.py": "7ecf8437a8ae86cfaafb73bd619a81c13bb363d0f8926db511c2238f1e27e089",
    "0009_hazard_categories.py": "ae30c75a8ff6593df65660b5c16a2d1745218ab4953e4b648b4b60bf905be312",
    "0010_import_batches.py": "a78a6c8fd73e28eb5569abd5826677889ba9d98c5ed5198ed75cdc7f4aa98498",
    "0011_operation_log.py": "940c852553dde40cd478f6f7213e99722f895d55b5a690263ba59483ac15c1c5",
}


def _rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        query = "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
        names = [r[0] for r in conn.execute(query)]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


def _columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def test_there_is_a_fixture_for_every_revision_from_0006_on() -> None:
    revisions = sorted(re.match(r"(\d{4})_", p.name)[1] for p in VERSIONS.glob("[0-9]*.py"))
    for revision in (r for r in revisions if r >= "0006"):
        assert f"v{revision}_with_data.sqlite3" in FILES, f"no fixture for revision {revision}"


def test_no_landed_migration_was_edited() -> None:
    scripts = {p.name: p for p in VERSIONS.glob("[0-9]*.py")}
    assert set(scripts) == set(LANDED), "a new revision: add its hash to LANDED and its fixture file"
    for name, digest in LANDED.items():
        text = scripts[name].read_bytes().replace(b"\r\n", b"\n")
        assert hashlib.sha256(text).hexdigest() == digest, f"{name} was edited after it landed"


def test_the_revision_table_list_matches_the_scripts() -> None:
    for revision, names in REVISION_TABLES:
        script = next(VERSIONS.glob(f"{revision}_*.py")).read_text(encoding="utf-8")
        created = re.findall(r'op\.create_table\(\s*"([a-z_0-9]+)"', script)
        assert tuple(created) == names, revision


@pytest.mark.parametrize("name", FILES)
def test_each_fixture_upgrades_to_head_keeping_every_row(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    before = _rows(path)
    assert sum(len(rows) for rows in before.values()) > 0
    db = Database(location_for(path))
    try:
        result = ensure_current(db)
        assert result.after == HEAD and current_revision(db) == HEAD
        with db.session() as session:  # the models can read every module's tables
            assert years_of(session, 1)
    finally:
        db.dispose()
    after = _rows(path)
    every_table = {t for _rev, names in REVISION_TABLES for t in names}
    assert every_table <= set(after), f"missing after upgrade: {every_table - set(after)}"
    for table, rows in before.items():
        old_columns = _columns(FIXTURES / name, table)
        new_columns = _columns(path, table)
        kept = [tuple(row[new_columns.index(c)] for c in old_columns) for row in after[table]]
        assert sorted(kept, key=repr) == rows, f"{name}: rows of {table} changed"


def test_every_table_of_the_head_fixture_holds_rows() -> None:
    head = FIXTURES / f"v{HEAD}_with_data.sqlite3"
    assert head.is_file(), f"no fixture for the head {HEAD}"  # sqlite3.connect would make an empty one
    rows = _rows(head)
    assert [t for t, r in rows.items() if not r] == []


def test_an_early_build_file_failed_before_the_repair(tmp_path: Path) -> None:
    """The file the foundation build wrote is stamped 0005 with only the unit tables: the landed
    0006 alone cannot upgrade it (no such table: petition); the repair re-stamps it first."""
    path = tmp_path / "early.sqlite3"
    shutil.copyfile(FIXTURES / "v0005_foundation_build.sqlite3", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'petition'").fetchone()
    db = Database(location_for(path))
    try:
        from alembic import command

        from app.migrate import _alembic_config

        with pytest.raises(Exception, match="petition"), db.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
        assert ensure_current(db).after == HEAD
    finally:
        db.dispose()
