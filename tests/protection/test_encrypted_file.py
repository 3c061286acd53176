"""An encrypted data file: nothing readable in its bytes; backups, restore and the conversion of a
plaintext file keep every row."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.backup import backup_sqlite, list_backups
from app.db import Database, location_for
from app.models.registers import Petition
from app.opening import open_database
from app.paths import backups_dir_for
from app.protection import envelope as env
from app.protection import keys
from app.protection.files import SQLITE_HEADER, is_encrypted
from app.protection.protect import plaintext_copies, protect, remove_plaintext_copies, table_counts
from app.protection.unlock import PasswordRequiredError, unlock
from app.restore import restore
from tests.conftest import ENCRYPTED_RUN, TEST_PASSWORD

PHONE = re.compile(rb"1[3-9]\d{9}")
PASSWORD = TEST_PASSWORD if ENCRYPTED_RUN else "单位密码-2024"


def _phones(path: Path) -> set[bytes]:
    return set(PHONE.findall(path.read_bytes()))


def _example_phones(db: Database) -> set[str]:
    with db.session() as s:
        return {p for p in s.scalars(select(Petition.phone)) if p}


def _encrypted_example(example_path: Path) -> Path:
    if not is_encrypted(example_path):
        protect(example_path, PASSWORD)
    return example_path


def test_plaintext_example_shows_phones_and_encrypted_does_not(example_path: Path):
    if not ENCRYPTED_RUN:
        assert _phones(example_path), "the example petitions have phone numbers in plain SQLite"
    db, _ = open_database(location_for(example_path))
    phones = _example_phones(db)
    db.dispose()
    assert len(phones) > 100
    _encrypted_example(example_path)
    assert example_path.read_bytes()[:16] != SQLITE_HEADER
    assert not {p.encode() for p in phones} & _phones(example_path)


def test_conversion_keeps_every_row(example_path: Path):
    if ENCRYPTED_RUN:
        pytest.skip("the example is encrypted already")
    with contextlib.closing(sqlite3.connect(example_path)) as conn:
        before = table_counts(conn)
    result = protect(example_path, PASSWORD)
    assert result.counts == before and before["petition"] == 520
    db = Database(location_for(example_path))
    with db.engine.connect() as conn:
        after = table_counts(conn.connection.dbapi_connection)
        assert db.engine.dialect.driver == "pysqlcipher"
    db.dispose()
    assert after == before
    # the backup taken first is plain: offered for removal with the other plaintext copies
    assert result.backup in result.plaintext_copies
    assert plaintext_copies(example_path) == result.plaintext_copies
    assert remove_plaintext_copies(result.plaintext_copies) == len(result.plaintext_copies)
    assert plaintext_copies(example_path) == []


def test_conversion_refused_while_open_elsewhere(example_path: Path):
    if ENCRYPTED_RUN:
        pytest.skip("the example is encrypted already")
    holder = sqlite3.connect(example_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Exception, match="正被另一个窗口或程序打开"):
            protect(example_path, PASSWORD)
    finally:
        holder.rollback()
        holder.close()
    assert example_path.read_bytes()[:16] == SQLITE_HEADER and not env.envelope_path(example_path).exists()


def test_open_without_the_key_needs_the_password(example_path: Path, monkeypatch: pytest.MonkeyPatch):
    _encrypted_example(example_path)
    keys.forget()
    monkeypatch.delenv("ZJTB_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(PasswordRequiredError, match="数据文件已加密，需要密码"):
        open_database(location_for(example_path))
    monkeypatch.setenv("ZJTB_PASSWORD", PASSWORD)
    db, _ = open_database(location_for(example_path))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Petition)) == 520
    db.dispose()


def test_backup_is_encrypted_with_its_key_file_and_restores(example_path: Path):
    _encrypted_example(example_path)
    folder = backups_dir_for(example_path)
    copy = backup_sqlite(example_path, folder, "manual")
    assert copy.read_bytes()[:16] != SQLITE_HEADER
    assert env.envelope_path(copy).exists() and not _phones(copy)
    assert [b.path for b in list_backups(folder, "manual")] == [copy]
    # a new password later: the backup still opens with the key of the data file
    keys.forget()
    unlock(example_path, PASSWORD)
    db, _ = open_database(location_for(example_path))
    with db.transaction() as s:
        s.delete(s.scalars(select(Petition).limit(1)).one())
    db.dispose()
    result = restore(copy, example_path)
    assert result.kept_copy is not None and result.kept_copy.read_bytes()[:16] != SQLITE_HEADER
    db, _ = open_database(location_for(example_path))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Petition)) == 520
    db.dispose()


def test_plain_backup_restored_over_an_encrypted_file_stays_encrypted(example_path: Path, tmp_path: Path):
    if ENCRYPTED_RUN:
        pytest.skip("needs a plaintext example")
    folder = backups_dir_for(example_path)
    plain = backup_sqlite(example_path, folder, "manual")
    protect(example_path, PASSWORD)
    restore(plain, example_path)
    assert example_path.read_bytes()[:16] != SQLITE_HEADER and is_encrypted(example_path)
    db, _ = open_database(location_for(example_path))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Petition)) == 520
    db.dispose()


@pytest.mark.skipif(not Path("/usr/bin/strings").exists(), reason="needs binutils' strings")
def test_strings_over_the_file_finds_no_phone(example_path: Path):
    _encrypted_example(example_path)
    out = subprocess.run(["strings", "-n", "6", str(example_path)], capture_output=True, check=True).stdout
    assert not PHONE.search(out)
