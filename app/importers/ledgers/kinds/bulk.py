"""Bulk inserts for the kinds' write(): many rows in a few statements, their ids in row order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session


def insert_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` into `model`'s table; returns the new ids in the order of `rows`.

    A Core insert on the table, not the ORM's bulk insert: the ORM leaves out a None value of a
    column with a default, so rows with different blanks fall into separate batches, and 10,000
    rows become thousands of statements."""
    if not rows:
        return []
    table = model.__table__
    result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())
