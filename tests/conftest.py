"""Shared fixtures. Qt runs offscreen; every test gets its own data folder and database."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from app.db import Database, location_for  # noqa: E402
from app.migrate import ensure_current  # noqa: E402

PG_URL_ENV = "ZJTB_TEST_PG_URL"


# The export date that documents write as 成文日期/填报日期 by default (app.clock): fixed, so
# every export of a test run, in this process or a CLI subprocess, writes the same date.
TEST_TODAY = "2024-01-20"
os.environ["ZJTB_TODAY"] = TEST_TODAY


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, logs, backups and ui.ini go to a fresh folder, never the user's real one."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ZJTB_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return folder


def open_sqlite(path: Path) -> Database:
    db = Database(location_for(path))
    ensure_current(db)
    return db


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(location_for(url=url).url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty SQLite database."""
    database = open_sqlite(tmp_path / "test.sqlite3")
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database on SQLite and, when ZJTB_TEST_PG_URL is set, PostgreSQL."""
    if request.param == "sqlite":
        database = open_sqlite(tmp_path / "test.sqlite3")
    else:
        url = os.environ.get(PG_URL_ENV)
        if not url:
            pytest.skip(f"{PG_URL_ENV} not set")
        _reset_postgres(url)
        database = Database(location_for(url=url))
        ensure_current(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def example_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example data built once per test session, as a checkpointed SQLite file."""
    from sqlalchemy import text

    from app.example_data import load_example

    folder = tmp_path_factory.mktemp("example")
    previous = os.environ.get("ZJTB_DATA_DIR")
    os.environ["ZJTB_DATA_DIR"] = str(folder / "data")
    try:
        path = folder / "example.sqlite3"
        database = open_sqlite(path)
        load_example(database)
        with database.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        database.dispose()
    finally:
        if previous is None:
            os.environ.pop("ZJTB_DATA_DIR", None)
        else:
            os.environ["ZJTB_DATA_DIR"] = previous
    return path


@pytest.fixture
def example_path(example_template: Path, tmp_path: Path) -> Path:
    """A private copy of the example database file."""
    path = tmp_path / "example.sqlite3"
    shutil.copyfile(example_template, path)
    return path


@pytest.fixture
def example_db(example_path: Path) -> Iterator[Database]:
    """The example unit (汨罗市建筑工程服务中心, 2022 and 2023) with every module's records."""
    database = open_sqlite(example_path)
    yield database
    database.dispose()


@pytest.fixture
def example_unit_id(example_db: Database) -> int:
    from app.services.unit import first_unit

    with example_db.session() as session:
        unit = first_unit(session)
        assert unit is not None
        return unit.id


@contextmanager
def exported_example(example_template: Path, folder: Path, keys: set[str]) -> Iterator[dict[str, Path]]:
    """The example unit's 2023 documents of the exporters `keys`, written into `folder/out` from a
    copy of the example data, with the built-in report template: {file name: path}. For
    module-scoped fixtures, which cannot use monkeypatch."""
    previous = os.environ.get("ZJTB_DATA_DIR")
    os.environ["ZJTB_DATA_DIR"] = str(folder / "data")  # no user template: the built-in one
    path = folder / "example.sqlite3"
    shutil.copyfile(example_template, path)
    database = Database(location_for(path))
    try:
        ensure_current(database)
        from app.exports.package import export_year
        from app.services.unit import first_unit

        with database.session() as session:
            unit_id = first_unit(session).id
        result = export_year(database, unit_id, 2023, folder / "out", keys=keys)
        yield {p.name: p for p in result.files}
    finally:
        database.dispose()
        if previous is None:
            os.environ.pop("ZJTB_DATA_DIR", None)
        else:
            os.environ["ZJTB_DATA_DIR"] = previous
