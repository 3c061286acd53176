"""Bringing a database up to the current schema at start-up.

The common case (already current) costs one small query and does not import Alembic.
An existing SQLite file is backed up before any migration step runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text

from app.db import Database
from app.errors import DatabaseTooNewError

# The newest migration. A test checks it against the scripts in app/migrations/versions.
HEAD = "0006"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class MigrationResult:
    before: str | None  # revision found; None for a new, empty database
    after: str
    backup: Path | None  # the copy taken before migrating, if any


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_config(connection=None):
    from alembic.config import Config

    from app.paths import resources_dir

    config = Config()
    location = MIGRATIONS_DIR
    if not location.is_dir():  # inside a bundle the scripts travel as data files
        location = resources_dir().parent / "app" / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def script_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def upgrade(db: Database, target: str = "head") -> None:
    from alembic import command

    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), target)


def ensure_current(db: Database) -> MigrationResult:
    """Migrate `db` to HEAD, backing an existing SQLite file up first.

    Raises DatabaseTooNewError for a database written by a newer version of the app.
    """
    before = current_revision(db)
    if before == HEAD:
        return MigrationResult(before, HEAD, None)
    if before is not None and before not in known_revisions():
        raise DatabaseTooNewError(
            f"该数据文件由更新版本的{_app_name()}创建（数据库版本 {before}），"
            "当前程序无法安全打开。请升级程序后再打开。"
        )
    backup = None
    if db.location.path is not None and _has_user_tables(db):
        from app.backup import backup_sqlite
        from app.paths import backups_dir_for

        backup = backup_sqlite(db.location.path, backups_dir_for(db.location.path), "premigrate")
    upgrade(db)
    return MigrationResult(before, current_revision(db) or HEAD, backup)


def _has_user_tables(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _app_name() -> str:
    from app import APP_NAME

    return APP_NAME
