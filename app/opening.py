"""Opening the database the way both the GUI and the command line do: resolve, connect, migrate."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.data_file import chosen_database
from app.db import Database, DatabaseLocation, location_for
from app.errors import DamagedDatabaseError, UserError, describe_db_error, is_damage
from app.integrity import DAMAGED, FileState, classify, damaged_message, ensure_openable
from app.migrate import MigrationResult, ensure_current
from app.models.unit import Unit
from app.protection.sqlite import database_error_types, error_types


def resolve_location(db_path: str | Path | None = None) -> DatabaseLocation:
    """`--db PATH` first, then `DATABASE_URL`, then the settings, then the default file."""
    path, url = chosen_database(db_path)
    if url is not None:
        from app.server_password import complete

        url = complete(url)  # the password from the credential store (settings.json has none)
    return location_for(path, url)


def open_database(location: DatabaseLocation) -> tuple[Database, MigrationResult]:
    """Connect and bring the schema up to date. Raises UserError with a Chinese message;
    DamagedDatabaseError for a damaged file, or another program's database (left unmigrated)."""
    if location.path is not None:
        from app.protection.files import needs_password

        if needs_password(location.path):  # the GUI has asked already; a command asks here
            from app.protection.unlock import unlock_for_command_line

            unlock_for_command_line(location.path)
        ensure_openable(location.path)
    db = Database(location)
    try:
        result = ensure_current(db)
    except UserError as exc:
        db.dispose()
        cause = exc.__cause__  # the backup before migrating could not read the file
        if location.path is not None and isinstance(cause, database_error_types()) and is_damage(cause):
            raise _damaged(location.path) from exc
        raise
    except SQLAlchemyError as exc:
        db.dispose()
        if location.path is not None and is_damage(exc):
            raise _damaged(location.path) from exc
        message = describe_db_error(exc)
        if message:
            raise UserError(message) from exc
        raise
    return db, result


def _damaged(path: Path) -> DamagedDatabaseError:
    try:
        state = classify(path)
    except (OSError, *error_types()):
        state = FileState(DAMAGED)
    return DamagedDatabaseError(damaged_message(path, state), path)


def resolve_unit(session: Session, spec: str | None = None) -> Unit:
    """The unit named or numbered by `spec`, or the first unit when there is no spec."""
    query = select(Unit).order_by(Unit.id)
    if spec:
        query = query.where(Unit.id == int(spec)) if spec.isdigit() else query.where(Unit.name == spec)
    unit = session.scalars(query.limit(1)).first()
    if unit is None:
        if spec:
            raise UserError(f"找不到单位“{spec}”")
        raise UserError("数据库中还没有单位。可先运行 demo 载入示例数据，或在程序中新建单位。")
    return unit
