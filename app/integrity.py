"""Is a file a sound data file of this program? Checked read-only, with the sqlite3
module alone (SQLCipher for an encrypted file).

`classify` looks at a file before it is opened (a damaged file, or another program's database,
must never be migrated); `check` runs SQLite's own `integrity_check` / `quick_check`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.errors import DamagedDatabaseError
from app.protection.files import is_encrypted
from app.protection.keys import key_for
from app.protection.sqlite import connect_file, database_error_types, error_types

SQLITE_HEADER = b"SQLite format 3\x00"
# How many problems integrity_check reports at most (it stops there).
MAX_PROBLEMS = 20

SOUND, EMPTY, DAMAGED, FOREIGN = "sound", "empty", "damaged", "foreign"
# An encrypted file whose key this process does not hold: nothing can be said before the password.
ENCRYPTED = "encrypted"
# SQLite's primary result codes for a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB.
_DAMAGE_CODES = {11, 26}


class CheckCancelled(Exception):
    pass


@dataclass(frozen=True)
class FileState:
    kind: str  # SOUND, EMPTY (missing or no tables yet: a new database), DAMAGED, FOREIGN or ENCRYPTED
    detail: str = ""  # what SQLite said, for DAMAGED


@contextlib.contextmanager
def read_only(path: Path, *, immutable: bool = False) -> Iterator[sqlite3.Connection]:
    """A read-only connection (keyed, for an encrypted file whose key is unlocked). `immutable`
    for a file nobody writes (a backup): no locks, and no `-wal`/`-shm` files left beside it."""
    conn = connect_file(path, readonly=True, immutable=immutable, check_same_thread=False)
    try:
        yield conn
    finally:
        conn.close()


def classify(path: Path, *, immutable: bool = False) -> FileState:
    """What `path` holds, without changing it. Errors that are not damage (no permission, locked)
    are raised: OSError, sqlite3.Error."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return FileState(EMPTY)
    encrypted = is_encrypted(path)
    if encrypted and key_for(path) is None:
        return FileState(ENCRYPTED)
    if not header:
        return FileState(EMPTY)  # SQLite makes a zero-length file a new database
    if header != SQLITE_HEADER and not encrypted:
        return FileState(DAMAGED, "file is not a database")
    try:
        with read_only(path, immutable=immutable) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                return FileState(EMPTY)
            if "alembic_version" not in tables or "unit" not in tables:
                return FileState(FOREIGN)
            conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except database_error_types() as exc:
        if not _damaged(exc):
            raise  # locked, no permission: the opening reports those in its own words
        return FileState(DAMAGED, str(exc))
    return FileState(SOUND)


def _damaged(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    return type(exc).__name__ == "DatabaseError"


def check(
    path: Path, *, quick: bool = False, immutable: bool = False, cancel: threading.Event | None = None
) -> list[str]:
    """The problems SQLite's integrity_check (quick_check: without the index contents) finds;
    [] when the file is sound. A file SQLite cannot read at all is one problem."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with read_only(path, immutable=immutable) as conn:
            if cancel is not None:
                conn.set_progress_handler(lambda: 1 if cancel.is_set() else 0, 10000)
            rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})")]
    except database_error_types() as exc:
        if cancel is not None and cancel.is_set():
            raise CheckCancelled from exc
        if not _damaged(exc):
            raise
        return [str(exc)]
    if rows == ["ok"]:
        return []
    # integrity_check may put many findings in one row, under a "*** in database main ***" line
    lines = [line for row in rows for line in str(row).splitlines()]
    return [line for line in lines if line and not line.startswith("***")][:MAX_PROBLEMS]


def damaged_message(path: Path, state: FileState) -> str:
    if state.kind == FOREIGN:
        return (
            f"“{path}”不是本程序的数据文件（可能是其他程序的数据库），程序没有打开也没有改动它。"
            "请选择本程序的数据文件（.sqlite3）。"
        )
    return (
        f"数据文件“{path}”已损坏，或不是本程序的数据文件，无法打开。"
        "可从备份恢复（“文件 › 从备份恢复…”，或命令 main.py restore），或选择其他数据文件。"
    )


def ensure_openable(path: Path) -> None:
    """Raise DamagedDatabaseError unless `path` is a sound data file or a new database."""
    try:
        state = classify(path)
    except (OSError, *error_types()):
        return  # not damage: opening the file reports it in its own words
    if state.kind in (DAMAGED, FOREIGN):
        raise DamagedDatabaseError(damaged_message(path, state), path)
