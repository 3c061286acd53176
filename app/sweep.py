"""Removing what killed exports and backups left behind: hidden `.zjtb-export-*` staging folders
(with the files of a package not yet moved into place) and `*.sqlite3.part` backup copies (the
whole database, personal numbers included, in plain SQLite).

Only our own names are looked at: `.zjtb-export-` and eight letters/digits directly in an export
folder; in a backup folder, a backup's name followed by `.part` (and SQLite's `-journal`, or the
`.lock`). A live one, whose lock a running process holds (app/file_lock.py), is never touched.
Sweeps run at application start and before each export and backup; they never raise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import time
from pathlib import Path

from app.file_lock import owner_gone

STAGING_PREFIX = ".zjtb-export-"
STAGING_LOCK_NAME = ".zjtb-export.lock"
_STAGING = re.compile(r"^\.zjtb-export-[a-z0-9_]{8}$")  # tempfile.mkdtemp's suffix
PART_SUFFIX = ".part"
# A backup's name: <data file stem>-<yyyymmdd-hhmmss[-n]>-<kind>.sqlite3 (app/backup.py writes them).
BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<ts>\d{8}-\d{6}(?:-\d+)?)-(?P<kind>auto|manual|premigrate|prerestore|preprotect)\.sqlite3$"
)
PART_LOCK_SUFFIX = ".part.lock"
_PART = re.compile(r"^(?P<copy>.+\.sqlite3)\.part(?:-journal|-wal|-shm|\.lock)?$")
# How long a staging folder without a lock file, or an empty unlocked lock file, is left alone:
# its owner may be in the instant between making it and locking it.
GRACE_SECONDS = 60.0
_EXPORT_FOLDERS_FILE = "export-folders.txt"
_EXPORT_FOLDERS_KEPT = 20

log = logging.getLogger(__name__)


def _stale(lock: Path, made: Path, now: float | None) -> bool:
    gone = owner_gone(lock) if lock.exists() else None
    if gone is not None:
        return gone
    try:
        age = (time.time() if now is None else now) - (lock if lock.exists() else made).stat().st_mtime
    except OSError:
        return False
    return age > GRACE_SECONDS


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as scan:
            return list(scan)
    except OSError:
        return []


def sweep_staging(root: Path, *, now: float | None = None) -> list[Path]:
    """Remove the staging folders in `root` whose exports have ended; returns what was removed."""
    removed = []
    for entry in _entries(root):
        if not _STAGING.match(entry.name) or not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        with contextlib.suppress(OSError):  # one that cannot be looked into stays
            if _stale(folder / STAGING_LOCK_NAME, folder, now):
                shutil.rmtree(folder, ignore_errors=True)
                if not folder.exists():
                    removed.append(folder)
    return removed


def sweep_backup_parts(backup_dir: Path, *, now: float | None = None) -> list[Path]:
    """Remove the partial backup copies in `backup_dir` whose backups have ended.

    A `.part` is written only while its `.part.lock` is held (the lock is made first and removed
    last), so one without a lock file was left by a kill, or by a build before the lock."""
    copies: dict[str, list[Path]] = {}
    for entry in _entries(backup_dir):
        match = _PART.match(entry.name)
        with contextlib.suppress(OSError):
            if match and BACKUP_NAME.match(match["copy"]) and entry.is_file(follow_symlinks=False):
                copies.setdefault(match["copy"], []).append(Path(entry.path))
    removed = []
    for copy, files in copies.items():
        lock = backup_dir / f"{copy}{PART_LOCK_SUFFIX}"
        try:
            if lock.exists() and not _stale(lock, lock, now):
                continue
        except OSError:
            continue
        for path in sorted(files, key=lambda p: p == lock):  # the lock last
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def remember_export_folder(root: Path) -> None:
    """Note a folder exports are staged in, for the sweep at the next start (best effort)."""
    from app.paths import data_dir

    try:
        record = data_dir() / _EXPORT_FOLDERS_FILE
        text = str(root.resolve())
        known = remembered_export_folders()
        if known and known[-1] == root.resolve():
            return
        kept = [str(p) for p in known if str(p) != text][-(_EXPORT_FOLDERS_KEPT - 1) :]
        record.write_text("\n".join([*kept, text]) + "\n", encoding="utf-8")
    except OSError:
        pass


def remembered_export_folders() -> list[Path]:
    from app.paths import data_dir

    try:
        lines = (data_dir() / _EXPORT_FOLDERS_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [Path(line) for line in lines if line.strip()]


def sweep_at_start(db_path: str | Path | None = None) -> list[Path]:
    """At application start: the backup folder beside the SQLite data file that will be opened,
    and the export folders used lately. Never raises (a sweep must not stop the program)."""
    removed: list[Path] = []
    try:
        from app.data_file import chosen_database
        from app.paths import backups_dir_for, data_dir, default_db_path
        from app.protection.modes import private_tree

        path, url = chosen_database(db_path)
        if not url:
            backups = backups_dir_for(Path(path) if path else default_db_path())
            removed += sweep_backup_parts(backups)
            private_tree(backups)
        private_tree(data_dir())  # files an older version left readable by every account
        for root in remembered_export_folders():
            removed += sweep_staging(root)
    except Exception:  # logged; the program starts regardless
        log.exception("sweep at start failed")
    for path in removed:
        log.info("removed what an ended export or backup left: %s", path)
    return removed
