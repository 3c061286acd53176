"""Consistent copies of the SQLite database, and their rotation.

SQLite's backup API copies pages through the library, so what is still in the `-wal` file is
included; copying the main file of a live database would miss it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

KEEP = 10
AUTO_MAX_AGE = timedelta(days=1)
KINDS = {"auto": "自动备份", "manual": "手动备份", "premigrate": "升级前备份"}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<ts>\d{8}-\d{6}(?:-\d+)?)-(?P<kind>auto|manual|premigrate)\.sqlite3$")

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
    """Copy `db_path` into `backup_dir` through the backup API, then keep only the newest KEEP."""
    if kind not in KINDS:
        raise ValueError(kind)
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{db_path.stem}-{stamp}-{kind}.sqlite3"
    serial = 1
    while target.exists():
        serial += 1
        target = backup_dir / f"{db_path.stem}-{stamp}-{serial}-{kind}.sqlite3"
    partial = target.with_name(target.name + ".part")

    def on_pages(_status: int, remaining: int, total: int) -> None:
        if cancel is not None and cancel.is_set():
            raise BackupCancelled
        if progress is not None:
            progress(total - remaining, total, "正在备份数据库…")

    source = sqlite3.connect(f"file:{db_path.as_posix()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest, pages=256, progress=on_pages)
        finally:
            dest.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    os.replace(partial, target)
    rotate(backup_dir, kind, stem=db_path.stem)
    return target


def rotate(backup_dir: Path, kind: str, keep: int = KEEP, stem: str | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups of `kind` (of one database file, if `stem` is
    given); returns what was deleted."""
    removed = []
    for old in list_backups(backup_dir, kind, stem)[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed
