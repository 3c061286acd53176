"""SQL for "exactly these records": an IN over a list of ids of any length."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam


def id_in(column: Any, ids: Iterable[int]) -> Any:
    """`column IN (ids)` with the ids written into the statement: a bound parameter per id would
    run into SQLite's limit of 32,766 parameters (a month of the 200,000-hazard unit is 16,000)."""
    values = sorted({int(i) for i in ids})
    return column.in_(bindparam(f"ids_{column.key}", values, expanding=True, literal_execute=True))
