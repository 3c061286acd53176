"""Setting a password on a data file: a new encrypted file, or a plaintext one encrypted in place.

In place: take a backup, write an encrypted copy beside the file (`sqlcipher_export`), check that
every table has the same number of rows in both, write the key file, rename the copy over the
file. The plaintext original is untouched until that rename, so a failure at any step leaves the
user's file as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import UserError, WriteFaultError, describe_os_error
from app.protection import envelope as env
from app.protection.files import is_encrypted, is_plain_sqlite
from app.protection.keys import remember
from app.protection.modes import create_private_file, private_file
from app.protection.unlock import password_problem

ProgressFn = Callable[[int, int, str], None]
SIDE_FILES = ("-wal", "-shm", "-journal")
_IN_USE = "数据文件“{path}”正被另一个窗口或程序打开。请先关闭使用它的程序，再设置密码。"


class ProtectCancelled(Exception):
    pass


@dataclass(frozen=True)
class ProtectResult:
    recovery_code: str
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, equal before and after
    plaintext_copies: list[Path] = field(default_factory=list)  # unencrypted backups still there
    backup: Path | None = None  # the backup taken before converting


def table_counts(conn) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def encrypt_copy(source: Path, target: Path, key: bytes) -> dict[str, int]:
    """Write `target`, an encrypted copy of the plain file `source`, and return the row counts
    per table, checked equal in both. `target` must not exist."""
    from app.protection.sqlite import connect, key_literal, sqlcipher

    with contextlib.closing(
        sqlite3.connect(f"file:{source.resolve().as_posix()}?mode=ro", uri=True)
    ) as plain:
        before = table_counts(plain)
        user_version = plain.execute("PRAGMA user_version").fetchone()[0]
    create_private_file(target)
    conn = sqlcipher().connect(str(source))
    try:
        escaped = str(target).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{escaped}' AS encrypted KEY \"{key_literal(key)}\"")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.user_version = {int(user_version)}")
        conn.commit()
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    with contextlib.closing(connect(target, key=key)) as copy:
        after = table_counts(copy)
        problems = copy.execute("PRAGMA quick_check").fetchall()
    if after != before:
        differ = [name for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]
        raise UserError(f"加密后的数据与原数据不一致（表：{'、'.join(differ)}），未作任何更改。")
    if problems != [("ok",)]:
        raise UserError(f"加密后的数据未通过完整性检查（{problems[0][0]}），未作任何更改。")
    return before


def protect(
    db_path: Path,
    password: str,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    minimum: bool = True,
) -> ProtectResult:
    """Give `db_path` a password (see the module docstring). The file must not be open in this
    process (dispose its Database first); another process holding it makes the rename fail,
    which is reported, with nothing changed. The key stays unlocked in this process."""
    # `minimum=False`: a script's own password for the (fictional) example data, `demo` with
    # ZJTB_PASSWORD, is taken as it is; people choosing one get the 6-character rule.
    problem = password_problem(password, password) if minimum else (None if password else "请输入密码")
    if problem:
        raise UserError(problem)
    db_path = db_path.resolve()
    if is_encrypted(db_path):
        raise UserError("该数据文件已经设置了密码。要更换密码，请用“文件 › 修改密码…”或命令 protect。")
    say = progress or (lambda _d, _t, _s: None)
    data_key = env.new_data_key()
    code = env.new_recovery_code()
    envelope = env.create(data_key, password, code)
    if not db_path.exists() or db_path.stat().st_size == 0:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        _write_envelope(db_path, envelope)
        create_private_file(db_path)
        remember(db_path, data_key)
        return ProtectResult(code)
    if not is_plain_sqlite(db_path):
        raise UserError(f"“{db_path}”不是本程序的数据文件，或已损坏，无法设置密码。")
    from app.backup import backup_sqlite
    from app.paths import backups_dir_for

    say(0, 4, "正在备份数据文件…")
    backup = backup_sqlite(db_path, backups_dir_for(db_path), "preprotect")
    _stop_if(cancel)
    say(1, 4, "正在加密数据…")
    _fold_wal(db_path)
    staged = db_path.with_name(f".{db_path.name}.encrypting")
    _unlink(staged)
    try:
        counts = encrypt_copy(db_path, staged, data_key)
        _stop_if(cancel)
        say(2, 4, "正在核对每个表的记录数…")
        say(3, 4, "正在替换数据文件…")
        _write_envelope(db_path, envelope)
        for suffix in SIDE_FILES:
            _unlink(db_path.with_name(db_path.name + suffix))
        try:
            os.replace(staged, db_path)
        except OSError as exc:
            env.envelope_path(db_path).unlink(missing_ok=True)
            raise WriteFaultError(describe_os_error(exc, db_path, held=True)) from exc
    finally:
        _unlink(staged)
    private_file(db_path)
    remember(db_path, data_key)
    say(4, 4, "已加密")
    return ProtectResult(code, counts, plaintext_copies(db_path), backup)


def _write_envelope(db_path: Path, envelope: env.Envelope) -> None:
    try:
        env.write(db_path, envelope)
    except OSError as exc:
        raise WriteFaultError(describe_os_error(exc, env.envelope_path(db_path))) from exc


def _fold_wal(db_path: Path) -> None:
    """Checkpoint the -wal into the file, refusing when another program has it open."""
    try:
        with contextlib.closing(sqlite3.connect(db_path, timeout=1.0)) as conn:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise UserError(_IN_USE.format(path=db_path)) from exc
    if str(mode).lower() != "delete":
        raise UserError(_IN_USE.format(path=db_path))


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _stop_if(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ProtectCancelled


def plaintext_copies(db_path: Path) -> list[Path]:
    """The backups of `db_path` (pre-migration copies included) that are still plain SQLite."""
    from app.backup import list_backups
    from app.paths import backups_dir_for

    return [
        b.path for b in list_backups(backups_dir_for(db_path), stem=db_path.stem) if is_plain_sqlite(b.path)
    ]


def remove_plaintext_copies(paths: list[Path]) -> int:
    removed = 0
    for path in paths:
        if not is_plain_sqlite(path):
            continue
        try:
            path.unlink()
            removed += 1
        except OSError:
            continue
        for suffix in SIDE_FILES:
            _unlink(path.with_name(path.name + suffix))
    return removed
