"""Consistent copies of the SQLite database, and their rotation.

SQLite's backup API copies pages through the library, so what is still in the `-wal` file is
included; copying the main file of a live database would miss it.

The copy is written as `<name>.part` and renamed when complete. While it is written a lock file
`<name>.part.lock` is held (app/file_lock.py), made before the `.part` and removed after it, so
that the sweep (app/sweep.py) removes only the `.part` files of backups that were killed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.errors import WriteFaultError, describe_os_error
from app.file_lock import HeldLock, LockBusyError, hold
from app.protection.keys import key_for
from app.protection.modes import create_private_file, private_dir
from app.protection.sqlite import connect, error_types
from app.sweep import BACKUP_NAME, PART_LOCK_SUFFIX, PART_SUFFIX, sweep_backup_parts

KEEP = 10
AUTO_MAX_AGE = timedelta(days=1)
KINDS = {
    "auto": "自动备份",
    "manual": "手动备份",
    "premigrate": "升级前备份",
    "prerestore": "恢复前备份",
    "preprotect": "加密前备份",
}
_NAME = BACKUP_NAME

ProgressFn = Callable[[int, int, str], None]


class BackupCancelled(Exception):
    pass


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str
    taken_at: datetime


def list_backups(backup_dir: Path, kind: str | None = None, stem: str | None = None) -> list[BackupFile]:
    """Backups in the folder (of the database file named `stem`, if given), newest first."""
    if not backup_dir.is_dir():
        return []
    found = []
    for entry in backup_dir.iterdir():
        match = _NAME.match(entry.name)
        if not match or (kind and match["kind"] != kind) or (stem and match["stem"] != stem):
            continue
        stamp = datetime.strptime(match["ts"][:15], "%Y%m%d-%H%M%S")
        found.append(BackupFile(entry, match["kind"], stamp))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def last_backup(backup_dir: Path, stem: str | None = None) -> BackupFile | None:
    backups = list_backups(backup_dir, stem=stem)
    return backups[0] if backups else None


def backup_due(backup_dir: Path, now: datetime | None = None, stem: str | None = None) -> bool:
    """True when the newest backup of any kind is older than a day (or there is none)."""
    newest = last_backup(backup_dir, stem)
    now = now or datetime.now()
    return newest is None or now - newest.taken_at > AUTO_MAX_AGE


def backup_sqlite(
    db_path: Path,
    backup_dir: Path,
    kind: str = "auto",
    *,
    now: datetime | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Copy `db_path` into `backup_dir` through the backup API, then keep only the newest KEEP.

    Partial copies of killed backups in the folder are swept first. Raises BackupCancelled, or
    WriteFaultError (a UserError with the Chinese message) when the copy cannot be made."""
    if kind not in KINDS:
        raise ValueError(kind)
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFaultError(describe_os_error(exc, backup_dir)) from exc
    private_dir(backup_dir)
    sweep_backup_parts(backup_dir)
    target, lock = _claim(backup_dir, db_path.stem, (now or datetime.now()).strftime("%Y%m%d-%H%M%S"), kind)
    partial = target.with_name(target.name + PART_SUFFIX)

    def on_pages(_status: int, remaining: int, total: int) -> None:
        if cancel is not None and cancel.is_set():
            raise BackupCancelled
        if progress is not None:
            progress(total - remaining, total, "正在备份数据库…")

    try:
        _copy(db_path, partial, on_pages)
        os.replace(partial, target)
        _copy_key_file(db_path, target)
    except BaseException as exc:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteFaultError(describe_os_error(exc, target)) from exc
        if isinstance(exc, error_types()):
            raise WriteFaultError(_describe_sqlite_error(exc, db_path, target)) from exc
        raise
    finally:
        lock.release()
    with contextlib.suppress(OSError):  # an old backup open elsewhere goes next time
        rotate(backup_dir, kind, stem=db_path.stem)
    return target


def _claim(backup_dir: Path, stem: str, stamp: str, kind: str) -> tuple[Path, HeldLock]:
    """A backup name not taken yet (by a file, or by a backup running in another process), with
    the lock of its `.part` held."""
    serial = 1
    while True:
        suffix = f"-{serial}" if serial > 1 else ""
        target = backup_dir / f"{stem}-{stamp}{suffix}-{kind}.sqlite3"
        serial += 1
        if target.exists():
            continue
        try:
            return target, hold(target.with_name(target.name + PART_LOCK_SUFFIX))
        except LockBusyError:
            continue
        except OSError as exc:
            raise WriteFaultError(describe_os_error(exc, backup_dir)) from exc


def _copy(db_path: Path, partial: Path, on_pages: Callable[[int, int, int], None]) -> None:
    """An encrypted file's copy is encrypted with the same key (SQLCipher's backup API needs both
    ends keyed alike)."""
    key = key_for(db_path)
    source = connect(db_path, key=key, readonly=True)
    try:
        create_private_file(partial)
        dest = connect(partial, key=key)
        try:
            source.backup(dest, pages=256, progress=on_pages)
        finally:
            dest.close()
    finally:
        source.close()


def _copy_key_file(db_path: Path, target: Path) -> None:
    """The backup of an encrypted file gets the key file it opens with (the password of now)."""
    from app.protection.envelope import envelope_path

    source = envelope_path(db_path)
    if key_for(db_path) is None or not source.exists():
        return
    copy = envelope_path(target)
    partial = copy.with_name(copy.name + ".tmp")
    create_private_file(partial)
    partial.write_bytes(source.read_bytes())
    os.replace(partial, copy)


# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


def _describe_sqlite_error(exc: sqlite3.Error, db_path: Path, target: Path) -> str:
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _SQLITE_FULL:
        return f"无法写入“{target}”：磁盘已满，请清理磁盘空间或换一个磁盘后重试。"
    if code in (_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_CANTOPEN):
        return f"无法备份“{db_path}”到“{target}”：权限不足，或文件不存在。"
    if code == _SQLITE_IOERR:
        return f"无法写入“{target}”：磁盘读写出错（如U盘已拔出或磁盘损坏），请检查磁盘后重试。"
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return f"无法备份“{db_path}”：数据库文件已损坏或不是本程序的数据文件。"
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return f"无法备份“{db_path}”：数据库正被另一个程序占用，请稍后重试。"
    return f"无法备份“{db_path}”到“{target}”（SQLite 错误代码 {code}）。"


def rotate(backup_dir: Path, kind: str, keep: int = KEEP, stem: str | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups of `kind` (of one database file, if `stem` is
    given); returns what was deleted."""
    removed = []
    from app.protection.envelope import envelope_path

    for old in list_backups(backup_dir, kind, stem)[keep:]:
        old.path.unlink(missing_ok=True)
        envelope_path(old.path).unlink(missing_ok=True)
        removed.append(old.path)
    return removed
