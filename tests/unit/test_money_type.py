from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select

from app.db import Database
from app.models.base import ScaledDecimal


def test_money_is_exact_and_sums_exactly(any_db: Database) -> None:
    metadata = MetaData()
    table = Table(
        "money_probe", metadata, Column("id", Integer, primary_key=True), Column("amount", ScaledDecimal(2))
    )
    metadata.create_all(any_db.engine)
    values = [Decimal("0.1")] * 10 + [Decimal("885.94"), Decimal("65.96"), Decimal("-0.005")]
    with any_db.engine.begin() as conn:
        conn.execute(insert(table), [{"amount": v} for v in values])
        total = conn.execute(select(func.sum(table.c.amount))).scalar()
        first = conn.execute(select(table.c.amount).order_by(table.c.id).limit(1)).scalar()
    assert total == Decimal("952.89")  # 1.00 + 885.94 + 65.96 + (-0.01 after half-up rounding)
    assert isinstance(total, Decimal) and isinstance(first, Decimal)
    assert first == Decimal("0.10")
    metadata.drop_all(any_db.engine)
