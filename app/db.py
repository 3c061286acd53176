"""The database: engine, SQLite pragmas, sessions.

A `Database` is created once and passed to whoever needs it; each unit of work opens its own
session (`with db.session() as s`), and a worker thread never shares one with the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.errors import EditConflictError
from app.models.base import stamp_changes
from app.oplog import record_deletions


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@dataclass(frozen=True)
class DatabaseLocation:
    url: str
    path: Path | None  # the SQLite file; None for a server database

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)


def location_for(db_path: Path | str | None = None, url: str | None = None) -> DatabaseLocation:
    """Resolve where the data lives: an explicit path, else a URL, else the default file."""
    if db_path:
        path = Path(db_path).expanduser().resolve()
        return DatabaseLocation(f"sqlite:///{path.as_posix()}", path)
    if url:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            path = Path(parsed.database or "").expanduser().resolve()
            return DatabaseLocation(f"sqlite:///{path.as_posix()}", path)
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return DatabaseLocation(url, None)
    from app.paths import default_db_path

    path = default_db_path()
    return DatabaseLocation(f"sqlite:///{path.as_posix()}", path)


def _sqlite_engine(location: DatabaseLocation) -> Engine:
    """A plain file, or (its key unlocked, app/protection) an encrypted one through SQLCipher.
    A new file is made 0600 before SQLite creates it (its -wal and -shm files take its mode)."""
    from app.protection.keys import key_for
    from app.protection.modes import create_private_file

    path = location.path
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    create_private_file(path)
    key = key_for(path)
    if key is None:
        return create_engine(location.url)
    from sqlalchemy.pool import QueuePool

    from app.protection.sqlite import engine_url

    # pysqlcipher's default pool is one connection per thread, kept forever; the plain file's
    # QueuePool keeps the app's thread use (GUI thread plus task workers) the same on both.
    return create_engine(engine_url(path, key), poolclass=QueuePool)


class Database:
    def __init__(self, location: DatabaseLocation) -> None:
        self.location = location
        if location.path is not None:
            self.engine: Engine = _sqlite_engine(location)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(location.url, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", stamp_changes)
        event.listen(self._sessions, "before_flush", record_deletions)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits at the end, rolls back everything on any error.

        A versioned record changed or deleted by someone else between this transaction's read and
        its write (the UPDATE's `WHERE version = …` matched nothing) is an EditConflictError."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except StaleDataError as exc:
            raise EditConflictError(
                "该记录刚刚在别处（另一台电脑或另一个窗口）被修改或删除。为避免覆盖对方的修改，本次未保存。"
                "请重新载入后再操作。"
            ) from exc

    def dispose(self) -> None:
        self.engine.dispose()
