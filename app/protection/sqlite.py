"""Connections to plain and encrypted SQLite files; the one module that imports sqlcipher3.

An encrypted file is opened with SQLCipher 4 and its raw 256-bit data key (`PRAGMA key =
"x'…'"`: no key derivation per connection, the password was stretched once, app/protection/envelope.py).
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path
from types import ModuleType

_loaded = threading.Lock()
_module: ModuleType | None = None


def sqlcipher() -> ModuleType:
    """sqlcipher3's DB-API module, with SQLCipher's own logging off: a wrong key otherwise prints
    "ERROR CORE … hmac check failed" lines to stderr, which users and tests must not see."""
    global _module
    with _loaded:
        if _module is None:
            from sqlcipher3 import dbapi2

            probe = dbapi2.connect(":memory:")
            try:
                probe.execute("PRAGMA cipher_log_level = NONE")
            finally:
                probe.close()
            _module = dbapi2
        return _module


def key_literal(key: bytes) -> str:
    return f"x'{key.hex()}'"


def key_pragma(key: bytes, schema: str = "") -> str:
    prefix = f"{schema}." if schema else ""
    return f'PRAGMA {prefix}key = "{key_literal(key)}"'


def connect(
    path: Path,
    *,
    key: bytes | None = None,
    readonly: bool = False,
    immutable: bool = False,
    timeout: float = 5.0,
    check_same_thread: bool = True,
):
    """A DB-API connection to `path`: sqlite3 for a plain file (key None), sqlcipher3 keyed with
    `key` for an encrypted one. The key is checked by the first read, not here."""
    if readonly or immutable:
        flags = "mode=ro" + ("&immutable=1" if immutable else "")
        target, uri = f"file:{path.resolve().as_posix()}?{flags}", True
    else:
        target, uri = str(path), False
    if key is None:
        return sqlite3.connect(target, uri=uri, timeout=timeout, check_same_thread=check_same_thread)
    conn = sqlcipher().connect(target, uri=uri, timeout=timeout, check_same_thread=check_same_thread)
    conn.execute(key_pragma(key))
    return conn


def connect_file(path: Path, **options):
    """`connect` with the key this process holds for `path` (None: a plain file)."""
    from app.protection.keys import key_for

    return connect(path, key=key_for(path), **options)


def error_types() -> tuple[type[BaseException], ...]:
    """sqlite3.Error, and sqlcipher3's Error once it is loaded: `except error_types():`."""
    if _module is not None or "sqlcipher3.dbapi2" in sys.modules:
        return (sqlite3.Error, sys.modules["sqlcipher3.dbapi2"].Error)
    return (sqlite3.Error,)


def database_error_types() -> tuple[type[BaseException], ...]:
    if "sqlcipher3.dbapi2" in sys.modules:
        return (sqlite3.DatabaseError, sys.modules["sqlcipher3.dbapi2"].DatabaseError)
    return (sqlite3.DatabaseError,)


def operational_error_types() -> tuple[type[BaseException], ...]:
    if "sqlcipher3.dbapi2" in sys.modules:
        return (sqlite3.OperationalError, sys.modules["sqlcipher3.dbapi2"].OperationalError)
    return (sqlite3.OperationalError,)


def engine_url(path: Path, key: bytes):
    """The SQLAlchemy URL of an encrypted file (its password is the raw key literal), as a URL
    object: rendered as text, the key would need quoting and could end up in a message."""
    # Named here so that PyInstaller bundles the dialect SQLAlchemy picks by the URL's name.
    import sqlalchemy.dialects.sqlite.pysqlcipher  # noqa: F401
    from sqlalchemy.engine import URL

    sqlcipher()
    return URL.create("sqlite+pysqlcipher", password=key_literal(key), database=str(path))
