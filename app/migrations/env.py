"""Alembic environment. The app runs migrations itself (app.migrate), passing the connection in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.models import load_all

config = context.config
target_metadata = load_all().metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        transaction_per_migration=True,
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Developer use from the command line: `alembic -x url=sqlite:///x.sqlite3 upgrade head`.
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not used by this project")
run_migrations_online()
