"""A backup that cannot be made is a UserError with a Chinese message (the GUI shows it in the
status bar, a migration's backup stops the migration with it), and leaves no `.part` behind."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from app.backup import backup_sqlite
from app.errors import UserError


def _database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("13800138000" * 50,)] * 500)
    conn.commit()
    conn.close()
    return path


def test_a_file_where_the_backup_folder_must_go(tmp_path: Path) -> None:
    source = _database(tmp_path / "zjtb.sqlite3")
    blocker = tmp_path / "backups"
    blocker.write_bytes(b"")
    with pytest.raises(UserError) as caught:
        backup_sqlite(source, blocker, "manual")
    assert str(caught.value) == (
        f"无法写入“{blocker}”：同名文件已存在（这里需要的是文件夹），请将该文件改名或移走后重试。"
    )


def test_disk_full_while_renaming_the_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _database(tmp_path / "zjtb.sqlite3")
    folder = tmp_path / "backups"
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(src).endswith(".part"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(UserError, match="磁盘已满"):
        backup_sqlite(source, folder, "manual")
    assert list(folder.iterdir()) == []  # no .part (personal numbers in plain text), no lock


def test_disk_full_inside_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _database(tmp_path / "zjtb.sqlite3")
    folder = tmp_path / "backups"
    real_connect = sqlite3.connect

    class SourceOnAFullDisk:
        """The source connection; its backup writes some pages, then SQLite reports SQLITE_FULL."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            self.inner = real_connect(*args, **kwargs)

        def backup(self, dest: sqlite3.Connection, **_kwargs: object) -> None:
            dest.execute("CREATE TABLE copied (x)")
            dest.execute("INSERT INTO copied VALUES ('13800138000')")
            dest.commit()
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = 13  # SQLITE_FULL
            raise error

        def close(self) -> None:
            self.inner.close()

    def connect(target, *args, **kwargs):
        if str(target).startswith("file:"):  # the source, opened read-only by URI
            return SourceOnAFullDisk(target, *args, **kwargs)
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    with pytest.raises(UserError, match="磁盘已满"):
        backup_sqlite(source, folder, "manual")
    assert list(folder.iterdir()) == []
