"""Putting a backup back in place of the data file, and what the backups of a file hold.

A restore checks the backup (SQLite's integrity_check, and that it is a data file of this
program), keeps a copy of the file it replaces (a "prerestore" backup), copies the backup to a
temporary name beside the data file and renames it over the data file, then migrates it if it is
of an older schema. The database must be closed in this process first; another process holding
it open is detected and refused.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import APP_NAME
from app.backup import KINDS, BackupFile, backup_sqlite, list_backups
from app.errors import UserError, WriteFaultError, describe_os_error
from app.integrity import DAMAGED, EMPTY, ENCRYPTED, FOREIGN, CheckCancelled, check, classify, read_only
from app.migrate import MigrationResult
from app.paths import backups_dir_for
from app.protection.files import is_encrypted, is_plain_sqlite, needs_password
from app.protection.keys import key_for
from app.protection.sqlite import connect_file, database_error_types, error_types, operational_error_types
from app.protection.unlock import PasswordRequiredError, unlock
from app.registry import Cancelled

ProgressFn = Callable[[int, int, str], None]
SIDE_FILES = ("-wal", "-shm", "-journal")


class BadBackupError(UserError):
    """The backup cannot be restored (damaged, or not a data file of this program): choose another."""


@dataclass(frozen=True)
class BackupSummary:
    backup: BackupFile
    size: int
    contents: str  # "单位 2022、2023年度；…", or why the backup cannot be read
    readable: bool

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.backup.kind, self.backup.kind).removesuffix("备份")


@dataclass(frozen=True)
class RestoreResult:
    backup: Path
    target: Path
    kept_copy: Path | None  # the replaced file's copy; None when there was no file to keep
    migration: MigrationResult | None


def format_time(moment: datetime) -> str:
    """2024年1月2日 09:21, built from the fields (a CJK strftime format fails on Windows)."""
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour:02d}:{moment.minute:02d}"


def format_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.0f} KB" if size else "0 KB"
    return f"{size / 1024 / 1024:.1f} MB"


def backup_contents(path: Path) -> tuple[str, bool]:
    """The units and years in a backup, read-only; (why not, False) when it cannot be read."""
    try:
        state = classify(path, immutable=True)
    except (OSError, *error_types()) as exc:
        return f"无法读取：{exc}", False
    if state.kind == ENCRYPTED:
        return "已加密（与当前数据文件的密码不同，恢复时需输入这份备份的密码）", True
    if state.kind == DAMAGED:
        return "无法读取：文件已损坏", False
    if state.kind in (FOREIGN, EMPTY):
        return "无法读取：不是本程序的数据文件", False
    try:
        with read_only(path, immutable=True) as conn:
            units = conn.execute("SELECT id, name FROM unit ORDER BY id").fetchall()
            years: dict[int, list[int]] = {}
            for unit_id, year in conn.execute("SELECT unit_id, year FROM unit_year ORDER BY year"):
                years.setdefault(unit_id, []).append(year)
    except error_types():
        return "无法读取：文件已损坏", False
    if not units:
        return "（没有单位）", True
    parts = []
    for unit_id, name in units:
        have = "、".join(str(y) for y in years.get(unit_id, []))
        parts.append(f"{name} {have}年度" if have else f"{name}（无年度）")
    return "；".join(parts), True


def summaries(db_path: Path) -> list[BackupSummary]:
    """The backups of the data file `db_path`, newest first, with what each holds."""
    found = []
    for backup in list_backups(backups_dir_for(db_path), stem=db_path.stem):
        try:
            size = backup.path.stat().st_size
        except OSError:
            continue
        contents, readable = backup_contents(backup.path)
        found.append(BackupSummary(backup, size, contents, readable))
    return found


def problems_of(backup: Path, cancel: threading.Event | None = None) -> str | None:
    """Why `backup` cannot be restored, in Chinese; None when it can. An encrypted backup whose
    key is not unlocked raises PasswordRequiredError."""
    try:
        state = classify(backup, immutable=True)
    except (OSError, *error_types()) as exc:
        raise UserError(f"无法读取备份“{backup}”：{exc}") from exc
    if state.kind == ENCRYPTED:
        raise PasswordRequiredError(f"备份“{backup.name}”已加密，需要这份备份的密码。")
    if state.kind == DAMAGED:
        return f"备份“{backup.name}”已损坏，无法恢复。请选择另一份备份。"
    if state.kind in (FOREIGN, EMPTY):
        return f"“{backup.name}”不是本程序的数据文件，无法恢复。请选择另一份备份。"
    try:
        found = check(backup, immutable=True, cancel=cancel)
    except CheckCancelled as exc:
        raise Cancelled from exc
    if found:
        return f"备份“{backup.name}”未通过完整性检查（{found[0]}），无法恢复。请选择另一份备份。"
    return None


def latest_good_backup(db_path: Path, cancel: threading.Event | None = None) -> BackupFile | None:
    """The newest backup of `db_path` that passes integrity_check."""
    for backup in list_backups(backups_dir_for(db_path), stem=db_path.stem):
        if problems_of(backup.path, cancel) is None:
            return backup
    return None


def restore(
    backup: Path,
    db_path: Path,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
    password: str | None = None,
) -> RestoreResult:
    """Replace `db_path` by `backup` (see the module docstring). Raises BadBackupError when the
    backup is not fit, UserError when the restore cannot run, Cancelled before the replacement.

    An encrypted backup opens with the key of the data file when it is a copy of it, else with
    `password` (PasswordRequiredError without, WrongPasswordError for a wrong one). The restored
    file keeps the data file's protection: a plain backup put back over an encrypted file is
    encrypted with its key first; an encrypted one brings its key file along."""
    say = progress or (lambda _d, _t, _s: None)
    backup, db_path = backup.resolve(), db_path.resolve()
    if not backup.is_file():
        raise UserError(f"找不到备份文件“{backup}”。")
    if backup == db_path:
        raise UserError("备份文件就是当前数据文件本身，无法恢复。")
    if needs_password(backup) and password is not None:
        unlock(backup, password)
    say(0, 4, "正在检查备份的完整性…")
    problem = problems_of(backup, cancel)
    if problem:
        raise BadBackupError(problem)
    _stop_if(cancel)
    staged = _stage_copy(backup, db_path)
    current_key = key_for(db_path) if is_encrypted(db_path) else None
    try:
        if current_key is not None and is_plain_sqlite(staged):
            staged = _encrypted_stage(staged, current_key)
        say(1, 4, "正在保存当前数据文件的副本…")
        _release(db_path)
        kept = _keep_current(db_path, now)
        _stop_if(cancel)
        say(2, 4, "正在替换数据文件…")
        _remove_side_files(db_path)
        _bring_key_file(backup, db_path, staged)
        try:
            os.replace(staged, db_path)
        except OSError as exc:
            raise WriteFaultError(describe_os_error(exc, db_path)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
        raise
    say(3, 4, "正在打开恢复的数据文件…")
    from app.db import location_for
    from app.opening import open_database

    db, migration = open_database(location_for(db_path))
    try:
        from app import oplog

        kept_note = f"，被替换的数据文件另存为“{kept.name}”" if kept is not None else ""
        oplog.record(db, oplog.RESTORE, f"从备份“{backup.name}”恢复{kept_note}")
    finally:
        db.dispose()
    say(4, 4, "恢复完成")
    return RestoreResult(backup, db_path, kept, migration if migration.before != migration.after else None)


def _encrypted_stage(staged: Path, key: bytes) -> Path:
    from app.protection.protect import encrypt_copy

    encrypted = staged.with_name(staged.name + ".encrypted")
    try:
        encrypt_copy(staged, encrypted, key)
    except BaseException:
        with contextlib.suppress(OSError):
            encrypted.unlink(missing_ok=True)
        raise
    finally:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
    return encrypted


def _bring_key_file(backup: Path, db_path: Path, staged: Path) -> None:
    """The restored file must open: an encrypted backup of another key brings its key file (the
    data file's own key file, with today's password, stays when the keys are the same); a plain
    file leaves none behind."""
    from app.protection import envelope as env

    target = env.envelope_path(db_path)
    if is_plain_sqlite(staged):
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        return
    theirs = env.read(backup)
    ours = env.read(db_path) if target.exists() else None
    if theirs is not None and (ours is None or ours.key_id != theirs.key_id):
        env.write(db_path, theirs)


def _stop_if(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


def _stage_copy(backup: Path, db_path: Path) -> Path:
    """The backup copied to a temporary name in the data file's folder (so the rename is atomic)."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".restoring", dir=db_path.parent)
        os.close(handle)
        staged = Path(name)
    except OSError as exc:
        raise WriteFaultError(describe_os_error(exc, db_path.parent)) from exc
    try:
        shutil.copyfile(backup, staged)
        with open(staged, "rb+") as written:
            os.fsync(written.fileno())
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise WriteFaultError(describe_os_error(exc, db_path.parent)) from exc
    return staged


def _keep_current(db_path: Path, now: datetime | None) -> Path | None:
    """A copy of the file about to be replaced, in its backups folder; None when there is none."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    directory = backups_dir_for(db_path)
    if _state(db_path) != DAMAGED:
        try:
            return backup_sqlite(db_path, directory, "prerestore", now=now)
        except (UserError, *error_types()):
            pass  # damaged deeper than the header: copied as it is, below
    # The backup API cannot read a damaged file: its bytes (and its -wal) are kept as they are.
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = directory / f"{db_path.stem}-{stamp}-prerestore.sqlite3"
    serial = 1
    while target.exists():
        serial += 1
        target = directory / f"{db_path.stem}-{stamp}-{serial}-prerestore.sqlite3"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db_path, target)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    except OSError as exc:
        raise WriteFaultError(describe_os_error(exc, target)) from exc
    return target


def _state(path: Path) -> str:
    try:
        return classify(path).kind
    except (OSError, *error_types()):
        return DAMAGED  # unreadable as a database here: handled as bytes


def _release(db_path: Path) -> None:
    """Fold the `-wal` into the file, refusing when another process has the file open: leaving WAL
    mode needs the only connection (SQLite says "locked" otherwise)."""
    if db_path.exists() and _state(db_path) != DAMAGED:
        try:
            conn = connect_file(db_path, timeout=1.0)
            try:
                mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            finally:
                conn.close()
        except operational_error_types() as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise UserError(_IN_USE.format(path=db_path)) from exc
        except database_error_types():
            pass  # damaged: its side files are removed below
        else:
            if str(mode).lower() != "delete":
                raise UserError(_IN_USE.format(path=db_path))


def _remove_side_files(db_path: Path) -> None:
    """A `-wal` left beside the restored file would be replayed into it."""
    for suffix in SIDE_FILES:
        side = db_path.with_name(db_path.name + suffix)
        try:
            side.unlink(missing_ok=True)
        except OSError as exc:
            raise WriteFaultError(describe_os_error(exc, side)) from exc


_IN_USE = "数据文件“{path}”正被另一个窗口或程序打开。请先关闭使用它的" + APP_NAME + "窗口，再恢复备份。"
