"""The built-in example unit (示例数据), built from the facts of seed 003 with fictitious people.

`load_example` creates the unit and its years, then lets every module add its records.
"""

from __future__ import annotations

from sqlalchemy import select

from app.contributions import Registry
from app.db import Database
from app.errors import UserError
from app.example_data.unit import EXAMPLE_UNIT_NAME, EXAMPLE_YEAR, build_unit
from app.models.unit import Unit
from app.registry import default_registry

__all__ = ["EXAMPLE_UNIT_NAME", "EXAMPLE_YEAR", "example_exists", "load_example"]


def example_exists(db: Database) -> bool:
    with db.session() as session:
        return session.scalar(select(Unit.id).where(Unit.name == EXAMPLE_UNIT_NAME)) is not None


def load_example(db: Database, registry: Registry | None = None) -> int:
    """Create the example unit with all modules' records in one transaction; returns the unit id."""
    registry = registry or default_registry()
    if example_exists(db):
        raise UserError(f"示例单位“{EXAMPLE_UNIT_NAME}”已存在")
    with db.transaction() as session:
        unit = build_unit(session)
        for builder in registry.example_builders:
            builder(session, unit)
        return unit.id
