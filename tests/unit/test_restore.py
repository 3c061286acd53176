"""Restoring a backup over the data file (app/restore.py) and the file checks behind it (app/integrity.py)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from app.backup import backup_sqlite, list_backups
from app.errors import DamagedDatabaseError, UserError
from app.integrity import DAMAGED, EMPTY, FOREIGN, SOUND, check, classify
from app.migrate import HEAD
from app.paths import backups_dir_for
from app.restore import BadBackupError, format_size, format_time, latest_good_backup, restore, summaries
from tests.conftest import connect_data, copy_data_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version and the operation log, which gets the restore's
    line, aside), in a stable order."""
    with closing(connect_data(path, readonly=True)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"')))  # type: ignore[arg-type]
            for t in tables
            if t not in ("alembic_version", "operation_log")
        }


def _change(path: Path, name: str) -> None:
    with closing(connect_data(path)) as conn:
        conn.execute("UPDATE unit SET name = ?", (name,))
        conn.commit()


def _damage(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def test_backups_are_listed_with_time_kind_size_and_what_they_hold(example_path: Path) -> None:
    folder = backups_dir_for(example_path)
    backup_sqlite(example_path, folder, "auto", now=datetime(2024, 1, 2, 9, 21))
    backup_sqlite(example_path, folder, "manual", now=datetime(2024, 3, 4, 16, 5))
    broken = folder / f"{example_path.stem}-20240305-080000-auto.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)

    listed = summaries(example_path)

    assert [(s.backup.kind, s.readable) for s in listed] == [
        ("auto", False),
        ("manual", True),
        ("auto", True),
    ]
    assert listed[0].contents == "无法读取：文件已损坏"
    assert listed[1].contents == "汨罗市建筑工程服务中心 2022、2023年度"
    assert listed[1].kind_label == "手动" and listed[2].kind_label == "自动"
    assert format_time(listed[2].backup.taken_at) == "2024年1月2日 09:21"
    assert format_size(listed[1].size).endswith(" MB")
    # reading a backup leaves nothing beside it
    # (each backup of an encrypted file has its key file beside it)
    beside = sorted(p.name for p in folder.iterdir() if p.suffix != ".key")
    assert beside == sorted(s.backup.path.name for s in listed)


def test_file_states(tmp_path: Path, example_path: Path) -> None:
    foreign = tmp_path / "other.sqlite3"
    with closing(connect_data(foreign)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    text = tmp_path / "notes.sqlite3"
    text.write_text("hello", encoding="utf-8")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert classify(example_path).kind == SOUND
    assert classify(foreign).kind == FOREIGN
    assert classify(text).kind == DAMAGED
    assert classify(empty).kind == EMPTY
    assert classify(tmp_path / "missing.sqlite3").kind == EMPTY
    assert check(example_path) == [] and check(example_path, quick=True) == []
    _damage(example_path)
    assert check(example_path) != []


def test_restore_keeps_a_copy_and_brings_back_every_row(example_path: Path) -> None:
    folder = backups_dir_for(example_path)
    backup = backup_sqlite(example_path, folder, "manual")
    before = _rows(backup)
    _change(example_path, "改过的单位")
    changed = _rows(example_path)

    result = restore(backup, example_path)

    assert _rows(example_path) == before
    assert result.kept_copy is not None and result.kept_copy.name.endswith("-prerestore.sqlite3")
    assert _rows(result.kept_copy) == changed
    assert [b.kind for b in list_backups(folder)].count("prerestore") == 1
    assert result.migration is None
    assert not list(example_path.parent.glob("*.restoring"))


def test_what_is_still_in_the_wal_is_kept_and_the_old_wal_never_replayed(example_path: Path) -> None:
    backup = backup_sqlite(example_path, backups_dir_for(example_path), "manual")
    # A writer that has not checkpointed: its change lives only in example.sqlite3-wal.
    writer = connect_data(example_path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE unit SET name = '只在WAL中'")
    writer.commit()
    wal = example_path.with_name(example_path.name + "-wal")
    assert wal.stat().st_size > 0
    # what a killed program leaves: the file and its -wal (copied while the writer is open)
    killed = example_path.with_name("killed.sqlite3")
    copy_data_file(example_path, killed)  # with its key file, in the encrypted run
    shutil.copyfile(wal, killed.with_name(killed.name + "-wal"))
    # while the writer has the file open, the restore refuses
    with pytest.raises(UserError, match="正被另一个窗口或程序打开"):
        restore(backup, example_path)
    assert not list_backups(backups_dir_for(example_path), kind="prerestore")
    writer.close()

    result = restore(backup, killed)

    assert not killed.with_name(killed.name + "-wal").exists()
    assert not killed.with_name(killed.name + "-shm").exists()
    assert _rows(killed) == _rows(backup)
    assert result.kept_copy is not None
    assert "只在WAL中" in _rows(result.kept_copy)["unit"][0]


@pytest.mark.parametrize("bad", ["random", "truncated", "foreign"])
def test_a_bad_backup_is_refused_and_the_file_left_alone(
    tmp_path: Path, example_path: Path, bad: str
) -> None:
    backup = tmp_path / "backup.sqlite3"
    if bad == "random":
        backup.write_bytes(bytes(range(256)) * 64)
    elif bad == "truncated":
        shutil.copyfile(example_path, backup)
        _damage(backup)
    else:
        with closing(connect_data(backup)) as conn:
            conn.execute("CREATE TABLE contacts (name TEXT)")
    original = example_path.read_bytes()
    with pytest.raises(BadBackupError):
        restore(backup, example_path)
    assert example_path.read_bytes() == original
    assert not list_backups(backups_dir_for(example_path))


def test_a_damaged_data_file_is_kept_as_it_is_and_replaced(example_path: Path) -> None:
    folder = backups_dir_for(example_path)
    good = backup_sqlite(example_path, folder, "auto", now=datetime(2024, 1, 2, 9, 21))
    newer_bad = folder / f"{example_path.stem}-20240105-090000-auto.sqlite3"
    shutil.copyfile(good, newer_bad)
    _damage(newer_bad)
    _damage(example_path)
    damaged = example_path.read_bytes()
    with pytest.raises(DamagedDatabaseError):
        from app.db import location_for
        from app.opening import open_database

        open_database(location_for(example_path))

    latest = latest_good_backup(example_path)
    assert latest is not None and latest.path == good
    result = restore(latest.path, example_path)

    assert result.kept_copy is not None and result.kept_copy.read_bytes() == damaged
    assert check(example_path) == []
    assert _rows(example_path) == _rows(good)


def test_a_backup_of_an_older_schema_is_migrated(tmp_path: Path) -> None:
    old = FIXTURES / "v0001_with_data.sqlite3"
    target = tmp_path / "zjtb.sqlite3"
    result = restore(old, target)
    assert result.kept_copy is None
    assert result.migration is not None and result.migration.after == HEAD
    with closing(connect_data(target)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert conn.execute("SELECT count(*) FROM unit").fetchone()[0] >= 1
    assert old.read_bytes() == (FIXTURES / "v0001_with_data.sqlite3").read_bytes()


def test_a_missing_backup_cannot_run(tmp_path: Path, example_path: Path) -> None:
    with pytest.raises(UserError, match="找不到备份文件") as caught:
        restore(tmp_path / "nothing.sqlite3", example_path)
    assert not isinstance(caught.value, BadBackupError)


@pytest.mark.parametrize("text", ["file is not a database", "database disk image is malformed"])
def test_a_wrapped_sqlite_database_error_has_a_chinese_message(text: str) -> None:
    from sqlalchemy.exc import DatabaseError

    from app.errors import describe_db_error

    wrapped = DatabaseError("SELECT 1", None, sqlite3.DatabaseError(text))
    message = describe_db_error(wrapped)
    assert message is not None and "已损坏" in message
