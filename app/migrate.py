"""Bringing a database up to the current schema at start-up.

The common case (already current) costs one small query and does not import Alembic.
An existing SQLite file is backed up before any migration step runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from app.db import Database
from app.errors import DatabaseTooNewError, UserError

# The newest migration. A test checks it against the scripts in app/migrations/versions.
HEAD = "0011"

# The tables each revision creates, in order (a test checks them against the scripts). Builds of
# main whose 0002–0005 were still placeholders stamped files 0005 without the tables of the modules
# merged after them; `_restamp_incomplete` finds the first revision whose tables are missing.
REVISION_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("0001", ("unit", "unit_year", "unit_duty")),
    (
        "0002",
        (
            "budget_year",
            "budget_control_item",
            "budget_building",
            "budget_project",
            "budget_indicator",
            "budget_level1_weight",
        ),
    ),
    (
        "0003",
        (
            "safety_project",
            "safety_project_status",
            "safety_inspection",
            "safety_inspection_project",
            "safety_hazard",
            "safety_document",
            "safety_document_hazard",
            "safety_activity",
            "safety_workload_item",
            "safety_workload_value",
        ),
    ),
    (
        "0004",
        (
            "petition_choice",
            "petition",
            "inspection",
            "inspection_aspect",
            "rectification_problem",
            "rectification_measure",
            "rectification_attachment",
        ),
    ),
    ("0005", ("report_section", "report_setting")),
    ("0009", ("safety_hazard_category",)),
    ("0010", ("import_batch", "import_batch_item", "import_mapping")),
    ("0011", ("operation_log",)),
)
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


def missing_tables(conn: Connection, up_to: str) -> list[str]:
    """The tables revisions up to `up_to` create that `conn`'s database lacks."""
    present = set(inspect(conn).get_table_names())
    return [t for rev, names in REVISION_TABLES if rev <= up_to for t in names if t not in present]


def _restamp_incomplete(conn: Connection) -> str | None:
    """Stamp a file back to the last revision whose tables it really has (see REVISION_TABLES), so
    the upgrade runs the later scripts again; they create only what is missing. Returns the new
    stamp, or None when the file is complete."""
    stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if stamped is None:
        return None
    present = set(inspect(conn).get_table_names())
    previous = None
    for rev, names in REVISION_TABLES:
        if rev > stamped:
            break
        if any(name not in present for name in names):
            if previous is None:  # not even the unit tables: nothing to build on
                return None
            conn.execute(text("UPDATE alembic_version SET version_num = :rev"), {"rev": previous})
            return previous
        previous = rev
    return None


def upgrade(db: Database, target: str = "head") -> None:
    from alembic import command

    with db.engine.begin() as conn:
        if inspect(conn).has_table("alembic_version"):
            _restamp_incomplete(conn)
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
    if before is None and _has_foreign_tables(db):
        raise UserError(
            f"“{db.location.describe()}”是其他程序的数据库，不是{_app_name()}的数据文件，未作任何改动。"
            "请选择本程序的数据文件，或换一个文件名新建。"
        )
    backup = None
    if db.location.path is not None and _has_user_tables(db):
        from app.backup import backup_sqlite
        from app.paths import backups_dir_for

        backup = backup_sqlite(db.location.path, backups_dir_for(db.location.path), "premigrate")
    upgrade(db)
    return MigrationResult(before, current_revision(db) or HEAD, backup)


def _has_foreign_tables(db: Database) -> bool:
    """Tables, but none of ours: another program's database, which must not be migrated."""
    ours = {name for _rev, names in REVISION_TABLES for name in names}
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    return bool(tables) and not tables & ours


def _has_user_tables(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _app_name() -> str:
    from app import APP_NAME

    return APP_NAME
