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
from keyring.backend import KeyringBackend  # noqa: E402

from app.db import Database, location_for  # noqa: E402
from app.migrate import ensure_current  # noqa: E402

PG_URL_ENV = "ZJTB_TEST_PG_URL"

# Key derivation at its real cost (0.1 s a try) would dominate the tests that unlock files.
from app.protection import envelope as _envelope  # noqa: E402

_envelope.SCRYPT_N = 2**10

# `ZJTB_TEST_ENCRYPTED=1`: every SQLite file the fixtures make is encrypted (SQLCipher), with
# TEST_PASSWORD, which command-line subprocesses get as ZJTB_PASSWORD (.ci/run runs the suite so).
ENCRYPTED_RUN = os.environ.get("ZJTB_TEST_ENCRYPTED") == "1"
TEST_PASSWORD = "测试-password-1"
if ENCRYPTED_RUN:
    os.environ["ZJTB_PASSWORD"] = TEST_PASSWORD
plaintext_only = pytest.mark.skipif(ENCRYPTED_RUN, reason="reads or damages the SQLite file's bytes itself")
# Tests that encrypt a plaintext file themselves, and check the plaintext side too: the plain run
# covers them (in the encrypted run every file they start from is encrypted already).
encrypts_itself = pytest.mark.skipif(ENCRYPTED_RUN, reason="encrypts plaintext files itself")


# The export date that documents write as 成文日期/填报日期 by default (app.clock): fixed, so
# every export of a test run, in this process or a CLI subprocess, writes the same date.
TEST_TODAY = "2024-01-20"
os.environ["ZJTB_TODAY"] = TEST_TODAY
# No test reads or writes the machine's real credential store (app/server_password.py): the
# app's subprocesses find none, and each test in this process gets an empty one in memory.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


class MemoryKeyring(KeyringBackend):
    """A credential store in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    import keyring

    from app import server_password

    store = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(store)  # type: ignore[arg-type]
    server_password._session.clear()
    yield store
    keyring.set_keyring(previous)
    server_password._session.clear()


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, logs, backups and ui.ini go to a fresh folder, never the user's real one."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ZJTB_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return folder


def connect_data(path: Path | str, *, readonly: bool = False):
    """A DB-API connection to a test's data file: sqlite3 for a plain one, SQLCipher with the
    test password for an encrypted one (ZJTB_TEST_ENCRYPTED=1), so raw checks work in both runs."""
    import sqlite3

    from app.protection.files import is_encrypted
    from app.protection.keys import key_for

    path = Path(path)
    if path.exists() and is_encrypted(path):
        from app.protection.sqlite import connect_file
        from app.protection.unlock import unlock

        if key_for(path) is None:
            unlock(path, TEST_PASSWORD)
        return connect_file(path, readonly=readonly)
    if readonly:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return sqlite3.connect(path)


def open_sqlite(path: Path) -> Database:
    if ENCRYPTED_RUN:
        _encrypt(path)
    db = Database(location_for(path))
    ensure_current(db)
    return db


def _encrypt(path: Path) -> None:
    from app.protection.files import is_encrypted, needs_password
    from app.protection.protect import protect
    from app.protection.unlock import unlock

    if is_encrypted(path):
        if needs_password(path):
            unlock(path, TEST_PASSWORD)
    elif not path.exists() or path.stat().st_size == 0:  # a file a test made itself stays as it is
        protect(path, TEST_PASSWORD)


def copy_data_file(source: Path, target: Path) -> Path:
    """A copy of a data file, with its key file when it is encrypted."""
    from app.protection.envelope import envelope_path

    shutil.copyfile(source, target)
    if envelope_path(source).exists():
        shutil.copyfile(envelope_path(source), envelope_path(target))
    return target


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
    return copy_data_file(example_template, tmp_path / "example.sqlite3")


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
    path = copy_data_file(example_template, folder / "example.sqlite3")
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
