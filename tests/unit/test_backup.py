from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.backup import BackupCancelled, backup_due, backup_sqlite, last_backup, list_backups
from app.db import Database, location_for
from app.migrate import ensure_current
from app.services.unit import create_unit
from tests.conftest import connect_data


def test_backup_is_consistent_while_data_sits_in_the_wal(tmp_path: Path) -> None:
    # GIVEN a live WAL database whose latest write is not yet checkpointed into the main file
    path = tmp_path / "live.sqlite3"
    db = Database(location_for(path))
    ensure_current(db)
    keep_open = db.engine.connect()  # an open connection stops SQLite from checkpointing on close
    create_unit(db, "只在WAL里的单位", 2024)
    assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0
    # WHEN it is backed up
    copy = backup_sqlite(path, tmp_path / "backups", "manual")
    # THEN the copy has the unit (a plain copy of the main file would not)
    with connect_data(copy) as conn:
        assert conn.execute("SELECT name FROM unit").fetchall() == [("只在WAL里的单位",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    keep_open.close()
    db.dispose()


def test_rotation_keeps_the_last_ten(tmp_path: Path) -> None:
    source = tmp_path / "x.sqlite3"
    connect_data(source).execute("CREATE TABLE t (x)").connection.close()
    folder = tmp_path / "backups"
    start = datetime(2026, 1, 1, 8, 0, 0)
    for day in range(13):
        backup_sqlite(source, folder, "auto", now=start + timedelta(days=day))
    backup_sqlite(source, folder, "premigrate", now=start)
    autos = list_backups(folder, "auto")
    assert len(autos) == 10
    assert autos[0].taken_at == start + timedelta(days=12)
    assert autos[-1].taken_at == start + timedelta(days=3)
    assert len(list_backups(folder, "premigrate")) == 1  # other kinds are rotated separately
    assert not list(folder.glob("*.part"))


def test_backup_due_after_a_day(tmp_path: Path) -> None:
    source = tmp_path / "x.sqlite3"
    connect_data(source).execute("CREATE TABLE t (x)").connection.close()
    folder = tmp_path / "backups"
    assert backup_due(folder)
    taken = datetime(2026, 11, 20, 9, 0, 0)
    backup_sqlite(source, folder, "auto", now=taken)
    assert last_backup(folder).taken_at == taken
    assert not backup_due(folder, now=taken + timedelta(hours=23))
    assert backup_due(folder, now=taken + timedelta(hours=25))


def test_cancelled_backup_leaves_no_file(tmp_path: Path) -> None:
    source = tmp_path / "x.sqlite3"
    conn = connect_data(source)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 3000)
    conn.commit()
    conn.close()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(BackupCancelled):
        backup_sqlite(source, tmp_path / "backups", "manual", cancel=cancel)
    assert list((tmp_path / "backups").iterdir()) == []


def test_backups_of_other_files_in_the_folder_are_kept_apart(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for name in ("a.sqlite3", "b.sqlite3"):
        sqlite3.connect(tmp_path / name).execute("CREATE TABLE t (x)").connection.close()
    start = datetime(2026, 1, 1, 8, 0, 0)
    for day in range(12):
        backup_sqlite(tmp_path / "a.sqlite3", folder, "auto", now=start + timedelta(days=day))
    backup_sqlite(tmp_path / "b.sqlite3", folder, "auto", now=start - timedelta(days=30))
    assert len(list_backups(folder, "auto", stem="a")) == 10
    assert len(list_backups(folder, "auto", stem="b")) == 1  # not rotated away by a's backups
    assert last_backup(folder, stem="b").taken_at == start - timedelta(days=30)
    assert backup_due(folder, now=start + timedelta(days=12), stem="b")
    assert not backup_due(folder, now=start + timedelta(days=11, hours=1), stem="a")
