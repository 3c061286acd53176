from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import Database, location_for
from app.errors import DatabaseTooNewError
from app.migrate import HEAD, current_revision, ensure_current, script_head, upgrade
from app.models import load_all
from app.paths import backups_dir_for
from app.services.unit import load_profile, years_of

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "v0001_with_data.sqlite3"


def test_head_constant_matches_the_scripts() -> None:
    assert script_head() == HEAD


def test_migrations_build_exactly_the_models(any_db: Database) -> None:
    with any_db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), load_all().metadata
        )
    assert diff == []


def test_upgrading_a_first_version_database_keeps_its_data(tmp_path: Path) -> None:
    # GIVEN a database written by the first migration, with data
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, path)
    db = Database(location_for(path))
    assert current_revision(db) == "0001"
    # WHEN the app opens it
    result = ensure_current(db)
    # THEN it is at the newest revision, a copy was taken first, and nothing is lost
    assert (result.before, result.after) == ("0001", HEAD)
    assert result.backup is not None and result.backup.parent == backups_dir_for(path)
    assert result.backup.name.endswith("-premigrate.sqlite3")
    with sqlite3.connect(result.backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    with db.session() as s:
        assert years_of(s, 1) == [2022, 2023]
        profile = load_profile(s, 1, 2023)
        old = load_profile(s, 1, 2022)
    assert profile.name == "旧版测试县建筑工程服务中心"
    assert (profile.staff_quota, profile.staff_actual, profile.retired, profile.departments) == (
        61,
        59,
        20,
        10,
    )
    assert profile.duties == ["负责建筑业企业资质管理", "承办主管部门交办的其它事项"]
    assert (old.staff_quota, old.duties) == (60, ["旧年度职责"])
    # AND opening it again neither migrates nor copies
    again = ensure_current(db)
    assert again.backup is None and again.before == HEAD
    db.dispose()


def test_a_new_database_is_created_without_a_backup(tmp_path: Path) -> None:
    db = Database(location_for(tmp_path / "new.sqlite3"))
    result = ensure_current(db)
    assert (result.before, result.after, result.backup) == (None, HEAD, None)
    assert not backups_dir_for(tmp_path / "new.sqlite3").exists()
    db.dispose()


def test_each_migration_step_is_safe_to_rerun(tmp_path: Path) -> None:
    path = tmp_path / "rerun.sqlite3"
    db = Database(location_for(path))
    upgrade(db, "head")
    with db.engine.begin() as conn:  # pretend the last run died before recording its revision
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    upgrade(db, "head")
    assert current_revision(db) == HEAD
    db.dispose()


def test_a_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    db = Database(location_for(path))
    ensure_current(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseTooNewError, match="更新版本"):
        ensure_current(db)
    db.dispose()
